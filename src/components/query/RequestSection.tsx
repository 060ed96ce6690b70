// The request: method, URL, per-query SigV4 service and region, query parameters and headers.
import type { SelectableValue } from '@grafana/data';
import { InlineField, InlineFieldRow, Input, Select } from '@grafana/ui';
import { HTTP_METHODS, type HttpMethod } from '../../shared/query';
import { KeyValueEditor } from './KeyValueEditor';
import type { QuerySectionProps } from './sectionProps';

interface Props extends QuerySectionProps {
  /** The data source's region and service, shown as what an empty field means. */
  defaults: { region?: string; service?: string };
}

const METHOD_OPTIONS: Array<SelectableValue<HttpMethod>> = HTTP_METHODS.map((m) => ({ value: m, label: m }));

export function RequestSection({ query: q, set, setAndRun, onRunQuery, problemAt, defaults, labelWidth }: Props) {
  return (
    <>
      <InlineFieldRow>
        <InlineField label="Method" labelWidth={labelWidth} htmlFor="sigil-method">
          <Select<HttpMethod>
            inputId="sigil-method"
            width={12}
            options={METHOD_OPTIONS}
            value={q.method ?? 'GET'}
            onChange={(v) => setAndRun({ method: v.value })}
          />
        </InlineField>
        <InlineField label="URL" htmlFor="sigil-url" grow invalid={Boolean(problemAt('url'))} error={problemAt('url')}>
          <Input
            id="sigil-url"
            placeholder="https://monitoring.us-east-1.amazonaws.com/ or a path on the data source endpoint"
            value={q.url ?? ''}
            onChange={(e) => set({ url: e.currentTarget.value })}
            onBlur={onRunQuery}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        <SigningOverride
          {...{ query: q, set, onRunQuery, problemAt }}
          field="service"
          label="Service"
          labelWidth={labelWidth}
          tooltip="SigV4 signing name for this query, e.g. sqs, dynamodb, aps; empty = the data source's, else from the host"
          placeholder={defaults.service || 'from the host'}
        />
        <SigningOverride
          {...{ query: q, set, onRunQuery, problemAt }}
          field="region"
          label="Region"
          tooltip="SigV4 region for this query; empty = the host's, else the data source's"
          placeholder={defaults.region || 'us-east-1'}
        />
      </InlineFieldRow>
      <InlineField label="Parameters" labelWidth={labelWidth} tooltip="Query string parameters" useFieldset>
        <KeyValueEditor noun="Parameter" pairs={q.params ?? []} onChange={(params) => set({ params })} />
      </InlineField>
      <InlineField
        label="Headers"
        labelWidth={labelWidth}
        tooltip="Signing headers (Authorization, X-Amz-*) are set by the backend"
        useFieldset
      >
        <KeyValueEditor noun="Header" pairs={q.headers ?? []} onChange={(headers) => set({ headers })} />
      </InlineField>
    </>
  );
}

interface OverrideProps extends Pick<Props, 'query' | 'set' | 'onRunQuery' | 'problemAt'> {
  field: 'service' | 'region';
  label: string;
  labelWidth?: number;
  tooltip: string;
  placeholder: string;
}

/** A per-query SigV4 setting; empty means the data source's (or the host's). */
function SigningOverride({
  query,
  set,
  onRunQuery,
  problemAt,
  field,
  label,
  labelWidth,
  tooltip,
  placeholder,
}: OverrideProps) {
  const id = `sigil-${field}`;
  return (
    <InlineField
      label={label}
      labelWidth={labelWidth}
      htmlFor={id}
      tooltip={tooltip}
      invalid={Boolean(problemAt(field))}
      error={problemAt(field)}
    >
      <Input
        id={id}
        width={20}
        placeholder={placeholder}
        value={query[field] ?? ''}
        onChange={(e) => set({ [field]: e.currentTarget.value })}
        onBlur={onRunQuery}
      />
    </InlineField>
  );
}
