// Query editor: the request (method, URL, params, headers, body), how to read the answer (format, root
// selector, columns, UQL), time series and pagination, and a raw preview through the backend.
import { useEffect } from 'react';
import type { QueryEditorProps, SelectableValue } from '@grafana/data';
import { Alert, InlineField, InlineFieldRow, InlineSwitch, Input, RadioButtonGroup, Select, Stack, TextArea } from '@grafana/ui';
import type { EditorDataSource } from './editorDataSource';
import type { SigilJsonData } from '../shared/settings';
import {
  BODY_TYPES,
  DEFAULT_QUERY,
  HTTP_METHODS,
  QUERY_FORMATS,
  validateQuery,
  type BodyType,
  type HttpMethod,
  type QueryFormat,
  type SigilQuery,
} from '../shared/query';
import { KeyValueEditor } from './query/KeyValueEditor';
import { ColumnsEditor } from './query/ColumnsEditor';
import { PaginationEditor } from './query/PaginationEditor';
import { PreviewPanel } from './query/PreviewPanel';

export type SigilQueryEditorProps = QueryEditorProps<EditorDataSource, SigilQuery, SigilJsonData>;

const METHOD_OPTIONS: Array<SelectableValue<HttpMethod>> = HTTP_METHODS.map((m) => ({ value: m, label: m }));
const FORMAT_LABELS: Record<QueryFormat, string> = {
  auto: 'Auto (Content-Type)',
  json: 'JSON',
  xml: 'XML',
  csv: 'CSV',
  tsv: 'TSV',
  prometheus: 'Prometheus API',
  uql: 'UQL',
};
const FORMAT_OPTIONS: Array<SelectableValue<QueryFormat>> = QUERY_FORMATS.map((f) => ({ value: f, label: FORMAT_LABELS[f] }));
const BODY_LABELS: Record<BodyType, string> = { none: 'None', raw: 'Raw', json: 'JSON', form: 'Form' };
const BODY_OPTIONS = BODY_TYPES.map((b) => ({ value: b, label: BODY_LABELS[b] }));
const LABEL_WIDTH = 16;
/** Problems shown next to their field rather than in the list. */
const INLINE_PATHS = ['url', 'uql', 'bodyType'];

/** A query Grafana created without asking getDefaultQuery (older versions, some code paths). */
function isBlank(query: SigilQuery): boolean {
  return query.queryType === undefined && query.url === undefined;
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function QueryEditor({ query, onChange, onRunQuery, datasource, range }: SigilQueryEditorProps) {
  useEffect(() => {
    if (isBlank(query)) {
      onChange({ ...DEFAULT_QUERY, ...query });
    }
  }, [query, onChange]);

  const q: SigilQuery = isBlank(query) ? { ...DEFAULT_QUERY, ...query } : query;
  const problems = validateQuery(q);
  const problemAt = (path: string) => problems.find((p) => p.path === path)?.message;
  const set = (patch: Partial<SigilQuery>) => onChange({ ...q, ...patch });
  const setAndRun = (patch: Partial<SigilQuery>) => {
    set(patch);
    onRunQuery();
  };
  const bodyType = q.bodyType ?? 'none';
  const format = q.format ?? 'auto';
  const otherProblems = problems.filter((p) => !INLINE_PATHS.includes(p.path));

  return (
    <Stack direction="column" gap={1}>
      <InlineFieldRow>
        <InlineField label="Method" labelWidth={LABEL_WIDTH} htmlFor="sigil-method">
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

      <InlineField label="Parameters" labelWidth={LABEL_WIDTH} tooltip="Query string parameters" useFieldset>
        <KeyValueEditor noun="Parameter" pairs={q.params ?? []} onChange={(params) => set({ params })} />
      </InlineField>
      <InlineField label="Headers" labelWidth={LABEL_WIDTH} tooltip="Signing headers (Authorization, X-Amz-*) are set by the backend" useFieldset>
        <KeyValueEditor noun="Header" pairs={q.headers ?? []} onChange={(headers) => set({ headers })} />
      </InlineField>

      <InlineField label="Body" labelWidth={LABEL_WIDTH} invalid={Boolean(problemAt('bodyType'))} error={problemAt('bodyType')}>
        <RadioButtonGroup aria-label="Body type" options={BODY_OPTIONS} value={bodyType} onChange={(b) => set({ bodyType: b })} />
      </InlineField>
      {(bodyType === 'raw' || bodyType === 'json') && (
        <InlineField label="Body text" labelWidth={LABEL_WIDTH} htmlFor="sigil-body" grow>
          <TextArea
            id="sigil-body"
            rows={6}
            placeholder={bodyType === 'json' ? '{"Namespace": "AWS/EC2"}' : ''}
            value={q.body ?? ''}
            onChange={(e) => set({ body: e.currentTarget.value })}
            onBlur={onRunQuery}
          />
        </InlineField>
      )}
      {bodyType === 'form' && (
        <InlineField label="Form fields" labelWidth={LABEL_WIDTH} tooltip="URL-encoded, e.g. Action and Version for AWS Query APIs" useFieldset>
          <KeyValueEditor noun="Form field" pairs={q.form ?? []} onChange={(form) => set({ form })} />
        </InlineField>
      )}

      <InlineFieldRow>
        <InlineField label="Format" labelWidth={LABEL_WIDTH} htmlFor="sigil-format">
          <Select<QueryFormat>
            inputId="sigil-format"
            width={24}
            options={FORMAT_OPTIONS}
            value={format}
            onChange={(v) => setAndRun({ format: v.value })}
          />
        </InlineField>
        {format !== 'uql' && format !== 'prometheus' && (
          <InlineField label="Root selector" htmlFor="sigil-root-selector" grow tooltip="JSONata expression selecting the rows; empty = whole answer">
            <Input
              id="sigil-root-selector"
              placeholder="e.g. ListMetricsResponse.ListMetricsResult.Metrics.member"
              value={q.rootSelector ?? ''}
              onChange={(e) => set({ rootSelector: e.currentTarget.value })}
              onBlur={onRunQuery}
            />
          </InlineField>
        )}
      </InlineFieldRow>
      {format === 'uql' && (
        <InlineField label="UQL" labelWidth={LABEL_WIDTH} htmlFor="sigil-uql" grow invalid={Boolean(problemAt('uql'))} error={problemAt('uql')}>
          <TextArea
            id="sigil-uql"
            rows={5}
            placeholder={'parse-json\n| scope "Metrics"\n| project "MetricName", "Namespace"'}
            value={q.uql ?? ''}
            onChange={(e) => set({ uql: e.currentTarget.value })}
            onBlur={onRunQuery}
          />
        </InlineField>
      )}

      {format !== 'prometheus' && (
        <InlineField label="Columns" labelWidth={LABEL_WIDTH} tooltip="Empty: every field, nested objects flattened" useFieldset>
          <ColumnsEditor columns={q.columns ?? []} onChange={(columns) => set({ columns })} />
        </InlineField>
      )}

      <InlineFieldRow>
        <InlineField label="Time series" labelWidth={LABEL_WIDTH} htmlFor="sigil-time-series">
          <InlineSwitch
            id="sigil-time-series"
            value={q.timeSeries?.enabled ?? false}
            onChange={(e) => setAndRun({ timeSeries: { ...q.timeSeries, enabled: e.currentTarget.checked } })}
          />
        </InlineField>
        {q.timeSeries?.enabled && (
          <InlineField label="Label columns" htmlFor="sigil-label-columns" tooltip="Comma-separated; empty = every string column">
            <Input
              id="sigil-label-columns"
              width={40}
              placeholder="InstanceId, Region"
              defaultValue={(q.timeSeries.labelColumns ?? []).join(', ')}
              onBlur={(e) =>
                setAndRun({ timeSeries: { enabled: true, labelColumns: splitList(e.currentTarget.value) } })
              }
            />
          </InlineField>
        )}
      </InlineFieldRow>

      <PaginationEditor value={q.pagination} onChange={(pagination) => set({ pagination })} />

      {otherProblems.length > 0 && (
        <Alert severity="warning" title="Fix before running">
          <ul>
            {otherProblems.map((p) => (
              <li key={p.path + p.message}>
                {p.path}: {p.message}
              </li>
            ))}
          </ul>
        </Alert>
      )}

      <PreviewPanel
        datasource={datasource}
        disabled={problems.length > 0}
        buildRequest={() => ({
          query: datasource.applyTemplateVariables(q, {}),
          timeRange: range ? { from: range.from.valueOf(), to: range.to.valueOf() } : undefined,
        })}
      />
    </Stack>
  );
}
