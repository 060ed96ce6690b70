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
        <InlineField
          label="Service"
          labelWidth={labelWidth}
          htmlFor="sigil-service"
          tooltip="SigV4 signing name for this query, e.g. sqs, dynamodb, aps; empty = the data source's, else from the host"
          invalid={Boolean(problemAt('service'))}
          error={problemAt('service')}
        >
          <Input
            id="sigil-service"
            width={20}
            placeholder={defaults.service || 'from the host'}
            value={q.service ?? ''}
            onChange={(e) => set({ service: e.currentTarget.value })}
            onBlur={onRunQuery}
          />
        </InlineField>
        <InlineField
          label="Region"
          htmlFor="sigil-region"
          tooltip="SigV4 region for this query; empty = the host's, else the data source's"
          invalid={Boolean(problemAt('region'))}
          error={problemAt('region')}
        >
          <Input
            id="sigil-region"
            width={20}
            placeholder={defaults.region || 'us-east-1'}
            value={q.region ?? ''}
            onChange={(e) => set({ region: e.currentTarget.value })}
            onBlur={onRunQuery}
          />
        </InlineField>
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
