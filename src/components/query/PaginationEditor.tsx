// Pagination: where the next token (a string, a JSON object, or a marker) is read from, where it is sent
// back, and how many pages at most. "Max rows" lives with the answer options: it applies without pages too.
import { InlineField, InlineFieldRow, Input, RadioButtonGroup } from '@grafana/ui';
import type { PaginationOptions } from '../../shared/query';

interface Props {
  value: PaginationOptions | undefined;
  onChange: (value: PaginationOptions) => void;
  labelWidth?: number;
}

const MODES: Array<{ value: PaginationOptions['mode']; label: string; description: string }> = [
  { value: 'none', label: 'None', description: 'One request' },
  {
    value: 'next_token',
    label: 'Next token',
    description: 'A string token (NextToken, S3 continuation tokens, NextMarker)',
  },
  {
    value: 'object_token',
    label: 'Object token',
    description: 'A JSON value copied as is (DynamoDB LastEvaluatedKey → ExclusiveStartKey)',
  },
  { value: 'marker', label: 'Marker', description: 'Marker / NextMarker while IsTruncated is true (IAM)' },
];
const TARGETS = [
  { value: 'param' as const, label: 'Query parameter' },
  { value: 'body' as const, label: 'Body field' },
];

function optionalInt(text: string): number | undefined {
  const n = Number.parseInt(text, 10);
  return Number.isFinite(n) ? n : undefined;
}

export function PaginationEditor({ value, onChange, labelWidth = 16 }: Props) {
  const p: PaginationOptions = value ?? { mode: 'none' };
  const set = (patch: Partial<PaginationOptions>) => onChange({ ...p, ...patch });
  return (
    <>
      <InlineFieldRow>
        <InlineField label="Pagination" labelWidth={labelWidth}>
          <RadioButtonGroup aria-label="Pagination" options={MODES} value={p.mode} onChange={(mode) => set({ mode })} />
        </InlineField>
      </InlineFieldRow>
      {p.mode !== 'none' && (
        <InlineFieldRow>
          <InlineField
            label="Token path"
            labelWidth={labelWidth}
            tooltip="Where the next token is in the answer, e.g. NextToken"
          >
            <Input
              id="sigil-page-token-path"
              width={28}
              placeholder="NextToken"
              value={p.tokenPath ?? ''}
              onChange={(e) => set({ tokenPath: e.currentTarget.value })}
            />
          </InlineField>
          {p.mode === 'marker' && (
            <InlineField
              label="Truncated path"
              tooltip="Where IsTruncated is in the answer; pages are followed while it is true"
            >
              <Input
                id="sigil-page-truncated-path"
                width={28}
                placeholder="IsTruncated"
                value={p.truncatedPath ?? ''}
                onChange={(e) => set({ truncatedPath: e.currentTarget.value })}
              />
            </InlineField>
          )}
          <InlineField label="Send token as">
            <RadioButtonGroup
              aria-label="Send token as"
              options={TARGETS}
              value={p.tokenTarget ?? 'param'}
              onChange={(tokenTarget) => set({ tokenTarget })}
            />
          </InlineField>
          <InlineField label="Token field" tooltip="Name of the query parameter or body field that carries the token">
            <Input
              id="sigil-page-token-field"
              width={20}
              placeholder="NextToken"
              value={p.tokenField ?? ''}
              onChange={(e) => set({ tokenField: e.currentTarget.value })}
            />
          </InlineField>
          <InlineField label="Max pages">
            <Input
              id="sigil-page-max-pages"
              width={10}
              type="number"
              min={1}
              value={p.maxPages ?? ''}
              onChange={(e) => set({ maxPages: optionalInt(e.currentTarget.value) })}
            />
          </InlineField>
        </InlineFieldRow>
      )}
    </>
  );
}
