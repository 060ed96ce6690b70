// "Ready query": pick a catalogue entry by service and operation (a searchable select, keyboard usable),
// which fills the whole query for this data source; then fill its blanks. Also says when the data source's
// Allowed URLs do not cover the query's URL, and which URL to add.
import { useState } from 'react';
import type { SelectableValue } from '@grafana/data';
import { Alert, Button, InlineField, InlineFieldRow, Input, Select, Stack, Text } from '@grafana/ui';
import { CATALOGUE, entryQuery, findEntry, type CatalogueBlank, type CatalogueEntry } from '../../catalogue';
import { coverageProblem } from '../../catalogue/coverage';
import { fillBlank, findBlanks } from '../../shared/blanks';
import type { SigilQuery } from '../../shared/query';
import type { SigilJsonData } from '../../shared/settings';

type FoundBlank = ReturnType<typeof findBlanks>[number];

interface Props {
  query: SigilQuery;
  jsonData: SigilJsonData;
  onChange: (query: SigilQuery) => void;
  onRunQuery: () => void;
  labelWidth: number;
}

const OPTIONS: Array<SelectableValue<string>> = CATALOGUE.map((e) => ({
  value: e.id,
  label: `${e.family} ${e.operation}`,
  description: e.description,
}));

/** What the author is told about a blank: the picked entry's words, else any entry's with that name. */
function blankDoc(name: string, picked: CatalogueEntry | undefined): CatalogueBlank | undefined {
  return picked?.blanks.find((b) => b.name === name) ?? CATALOGUE.flatMap((e) => e.blanks).find((b) => b.name === name);
}

/** The query's blanks in the picked entry's order (its most important first), not their order in the text. */
function blanksInEntryOrder(query: SigilQuery, picked: CatalogueEntry | undefined): FoundBlank[] {
  const order = (name: string) => {
    const i = picked?.blanks.findIndex((b) => b.name === name) ?? -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return findBlanks(query).sort((a, b) => order(a.name) - order(b.name));
}

/** The entry's query placed for this data source, after `previous` (the entry picked before, if any). */
function placedQuery(
  entry: CatalogueEntry,
  previous: CatalogueEntry | undefined,
  query: SigilQuery,
  jsonData: SigilJsonData,
) {
  // The author's region carries over; a region the previous entry pinned (IAM, Cost Explorer) does not.
  const region = previous?.region !== undefined && query.region === previous.region ? undefined : query.region;
  return entryQuery(entry, {
    endpoint: jsonData.endpoint,
    defaultRegion: jsonData.defaultRegion,
    service: jsonData.service,
    region,
  });
}

function PickedSummary({ entry }: { entry: CatalogueEntry }) {
  return (
    <Text element="p" color="secondary">
      {entry.family} {entry.operation}: {entry.result}{' '}
      <a href={entry.reference} target="_blank" rel="noreferrer">
        AWS reference
      </a>
    </Text>
  );
}

export function CatalogueSection({ query, jsonData, onChange, onRunQuery, labelWidth }: Props) {
  const [pickedId, setPickedId] = useState<string | undefined>();
  const [values, setValues] = useState<Record<string, string>>({});
  const picked = pickedId ? findEntry(pickedId) : undefined;
  const blanks = blanksInEntryOrder(query, picked);
  const coverage = query.url ? coverageProblem(query.url, jsonData) : undefined;

  const pick = (id: string | undefined) => {
    const entry = id ? findEntry(id) : undefined;
    if (!entry) return;
    setPickedId(entry.id);
    setValues({});
    const placed = placedQuery(entry, picked, query, jsonData);
    onChange({ ...placed, refId: query.refId, hide: query.hide, datasource: query.datasource });
    if (findBlanks(placed).length === 0) onRunQuery();
  };

  const fill = (name: string) => {
    const value = values[name]?.trim();
    if (!value) return;
    const next = fillBlank(query, name, value);
    onChange(next);
    if (findBlanks(next).length === 0) onRunQuery();
  };

  return (
    <Stack direction="column" gap={0.5}>
      <InlineFieldRow>
        <InlineField
          label="Ready query"
          labelWidth={labelWidth}
          grow
          tooltip="AWS calls ready to run: type a service or an operation, e.g. dynamodb scan"
        >
          <Select<string>
            inputId="sigil-catalogue"
            aria-label="Ready query"
            placeholder="Search AWS calls by service and operation, e.g. CloudWatch GetMetricData"
            options={OPTIONS}
            value={pickedId ?? null}
            onChange={(v) => pick(v?.value)}
          />
        </InlineField>
      </InlineFieldRow>
      {picked && <PickedSummary entry={picked} />}
      {blanks.map((blank) => (
        <BlankRow
          key={blank.name}
          blank={blank}
          doc={blankDoc(blank.name, picked)}
          value={values[blank.name] ?? ''}
          onValue={(value) => setValues({ ...values, [blank.name]: value })}
          onFill={() => fill(blank.name)}
          labelWidth={labelWidth}
        />
      ))}
      {coverage && (
        <Alert severity="warning" title="URL not allowed by this data source">
          {coverage}
        </Alert>
      )}
    </Stack>
  );
}

interface BlankRowProps {
  blank: FoundBlank;
  doc: CatalogueBlank | undefined;
  value: string;
  onValue: (value: string) => void;
  onFill: () => void;
  labelWidth: number;
}

/** One blank of the query: its value, filled in by Enter or the button. */
function BlankRow({ blank, doc, value, onValue, onFill, labelWidth }: BlankRowProps) {
  const id = `sigil-blank-${blank.name}`;
  return (
    <InlineFieldRow>
      <InlineField
        label={blank.name}
        labelWidth={labelWidth}
        htmlFor={id}
        tooltip={doc?.description ?? `Fills {{${blank.name}}} in ${blank.paths.join(', ')}`}
      >
        <Input
          id={id}
          width={48}
          placeholder={doc?.example ?? ''}
          value={value}
          onChange={(e) => onValue(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onFill();
          }}
        />
      </InlineField>
      <Button variant="secondary" size="md" onClick={onFill} disabled={!value.trim()}>
        Fill {blank.name}
      </Button>
    </InlineFieldRow>
  );
}
