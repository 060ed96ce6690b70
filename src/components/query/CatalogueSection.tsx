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

export function CatalogueSection({ query, jsonData, onChange, onRunQuery, labelWidth }: Props) {
  const [pickedId, setPickedId] = useState<string | undefined>();
  const [values, setValues] = useState<Record<string, string>>({});
  const picked = pickedId ? findEntry(pickedId) : undefined;
  // In the picked entry's order (its most important blank first), not the order they appear in the text.
  const order = (name: string) => {
    const i = picked?.blanks.findIndex((b) => b.name === name) ?? -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const blanks = findBlanks(query).sort((a, b) => order(a.name) - order(b.name));
  const coverage = query.url ? coverageProblem(query.url, jsonData) : undefined;

  const pick = (id: string | undefined) => {
    const entry = id ? findEntry(id) : undefined;
    if (!entry) return;
    setPickedId(entry.id);
    setValues({});
    // The author's region carries over; a region the previous entry pinned (IAM, Cost Explorer) does not.
    const region = picked?.region !== undefined && query.region === picked.region ? undefined : query.region;
    const placed = entryQuery(entry, { endpoint: jsonData.endpoint, defaultRegion: jsonData.defaultRegion, service: jsonData.service, region });
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
        <InlineField label="Ready query" labelWidth={labelWidth} grow tooltip="AWS calls ready to run: type a service or an operation, e.g. dynamodb scan">
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
      {picked && (
        <Text element="p" color="secondary">
          {picked.family} {picked.operation}: {picked.result}{' '}
          <a href={picked.reference} target="_blank" rel="noreferrer">
            AWS reference
          </a>
        </Text>
      )}
      {blanks.map((blank) => {
        const doc = blankDoc(blank.name, picked);
        const id = `sigil-blank-${blank.name}`;
        return (
          <InlineFieldRow key={blank.name}>
            <InlineField label={blank.name} labelWidth={labelWidth} htmlFor={id} tooltip={doc?.description ?? `Fills {{${blank.name}}} in ${blank.paths.join(', ')}`}>
              <Input
                id={id}
                width={48}
                placeholder={doc?.example ?? ''}
                value={values[blank.name] ?? ''}
                onChange={(e) => setValues({ ...values, [blank.name]: e.currentTarget.value })}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') fill(blank.name);
                }}
              />
            </InlineField>
            <Button variant="secondary" size="md" onClick={() => fill(blank.name)} disabled={!values[blank.name]?.trim()}>
              Fill {blank.name}
            </Button>
          </InlineFieldRow>
        );
      })}
      {coverage && (
        <Alert severity="warning" title="URL not allowed by this data source">
          {coverage}
        </Alert>
      )}
    </Stack>
  );
}
