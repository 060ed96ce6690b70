// How the answer is read: format, root selector (JSONata) or UQL, typed columns, time series, max rows.
import type { SelectableValue } from '@grafana/data';
import { InlineField, InlineFieldRow, InlineSwitch, Input, Select } from '@grafana/ui';
import {
  DEFAULT_MAX_ROWS,
  PREFERRED_VISUALISATIONS,
  QUERY_FORMATS,
  type PreferredVisualisation,
  type QueryFormat,
} from '../../shared/query';
import { ColumnsEditor } from './ColumnsEditor';
import { CodeField } from './CodeField';
import type { QuerySectionProps } from './sectionProps';

type Props = QuerySectionProps;

const FORMAT_LABELS: Record<QueryFormat, string> = {
  auto: 'Auto (Content-Type)',
  json: 'JSON',
  xml: 'XML',
  csv: 'CSV',
  tsv: 'TSV',
  prometheus: 'Prometheus API',
  uql: 'UQL',
};
const FORMAT_OPTIONS: Array<SelectableValue<QueryFormat>> = QUERY_FORMATS.map((f) => ({
  value: f,
  label: FORMAT_LABELS[f],
}));
const AUTO = 'auto';
const SHOW_AS_OPTIONS: Array<SelectableValue<PreferredVisualisation | typeof AUTO>> = [
  { value: AUTO, label: 'Auto' },
  ...PREFERRED_VISUALISATIONS.map((v) => ({ value: v, label: v[0].toUpperCase() + v.slice(1) })),
];

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function optionalInt(text: string): number | undefined {
  const n = Number.parseInt(text, 10);
  return Number.isFinite(n) ? n : undefined;
}

export function AnswerSection(props: Props) {
  return (
    <>
      <FormatRow {...props} />
      <ReaderFields {...props} />
      <TimeSeriesRow {...props} />
    </>
  );
}

/** Format, how Grafana shows the result, and the row cap. */
function FormatRow({ query: q, set, setAndRun, onRunQuery, problemAt, labelWidth }: Props) {
  const format = q.format ?? 'auto';
  return (
    <InlineFieldRow>
      <InlineField label="Format" labelWidth={labelWidth} htmlFor="sigil-format">
        <Select<QueryFormat>
          inputId="sigil-format"
          width={24}
          options={FORMAT_OPTIONS}
          value={format}
          onChange={(v) => setAndRun({ format: v.value })}
        />
      </InlineField>
      <InlineField
        label="Show as"
        htmlFor="sigil-show-as"
        tooltip="A hint for Explore and panels: Logs shows time + body rows in the logs view"
      >
        <Select<PreferredVisualisation | typeof AUTO>
          inputId="sigil-show-as"
          width={12}
          options={SHOW_AS_OPTIONS}
          value={q.preferredVisualisation ?? AUTO}
          onChange={(v) => setAndRun({ preferredVisualisation: v.value === AUTO ? undefined : v.value })}
        />
      </InlineField>
      <InlineField
        label="Max rows"
        htmlFor="sigil-max-rows"
        tooltip={`At most this many rows per query, over all pages (default ${DEFAULT_MAX_ROWS.toLocaleString('en')}); a notice says when the result was cut`}
        invalid={Boolean(problemAt('pagination.maxRows'))}
        error={problemAt('pagination.maxRows')}
      >
        <Input
          id="sigil-max-rows"
          width={14}
          type="number"
          min={1}
          placeholder={String(DEFAULT_MAX_ROWS)}
          value={q.pagination?.maxRows ?? ''}
          onChange={(e) =>
            set({ pagination: { mode: 'none', ...q.pagination, maxRows: optionalInt(e.currentTarget.value) } })
          }
          onBlur={onRunQuery}
        />
      </InlineField>
    </InlineFieldRow>
  );
}

/** How rows are picked from the answer: a root selector or UQL, and typed columns. */
function ReaderFields({ query: q, set, onRunQuery, problemAt, labelWidth }: Props) {
  const format = q.format ?? 'auto';
  return (
    <>
      {format !== 'uql' && format !== 'prometheus' && (
        <InlineField
          label="Root selector"
          labelWidth={labelWidth}
          grow
          tooltip="JSONata expression selecting the rows; empty = whole answer"
        >
          <CodeField
            label="Root selector"
            language="jsonata"
            value={q.rootSelector ?? ''}
            minHeight={32}
            onChange={(rootSelector) => set({ rootSelector })}
            onBlur={onRunQuery}
          />
        </InlineField>
      )}
      {format === 'uql' && (
        <InlineField
          label="UQL"
          labelWidth={labelWidth}
          grow
          invalid={Boolean(problemAt('uql'))}
          error={problemAt('uql')}
        >
          <CodeField
            label="UQL"
            language="uql"
            value={q.uql ?? ''}
            minHeight={100}
            onChange={(uql) => set({ uql })}
            onBlur={onRunQuery}
          />
        </InlineField>
      )}
      {format !== 'prometheus' && (
        <InlineField
          label="Columns"
          labelWidth={labelWidth}
          tooltip="Empty: every field, nested objects flattened"
          useFieldset
        >
          <ColumnsEditor columns={q.columns ?? []} onChange={(columns) => set({ columns })} />
        </InlineField>
      )}
    </>
  );
}

function TimeSeriesRow({ query: q, setAndRun, labelWidth }: Props) {
  const labelColumns = (q.timeSeries?.labelColumns ?? []).join(', ');
  return (
    <InlineFieldRow>
      <InlineField label="Time series" labelWidth={labelWidth} htmlFor="sigil-time-series">
        <InlineSwitch
          id="sigil-time-series"
          value={q.timeSeries?.enabled ?? false}
          onChange={(e) => setAndRun({ timeSeries: { ...q.timeSeries, enabled: e.currentTarget.checked } })}
        />
      </InlineField>
      {q.timeSeries?.enabled && (
        <InlineField
          label="Label columns"
          htmlFor="sigil-label-columns"
          tooltip="Comma-separated; empty = every string column"
        >
          <Input
            key={labelColumns}
            id="sigil-label-columns"
            width={40}
            placeholder="InstanceId, Region"
            defaultValue={labelColumns}
            onBlur={(e) => setAndRun({ timeSeries: { enabled: true, labelColumns: splitList(e.currentTarget.value) } })}
          />
        </InlineField>
      )}
    </InlineFieldRow>
  );
}
