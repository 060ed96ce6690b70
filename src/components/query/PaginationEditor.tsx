// Pagination: the style (next token, object token, marker), where the token is read from, where it is sent
// back, the optional truncation flag, and the limits.
import { InlineField, InlineFieldRow, Input, RadioButtonGroup } from '@grafana/ui';
import type { PaginationOptions } from '../../shared/query';

interface Props {
  value: PaginationOptions | undefined;
  onChange: (value: PaginationOptions) => void;
}

const MODES = [
  { value: 'none' as const, label: 'None' },
  { value: 'next_token' as const, label: 'Next token', description: 'A text token: NextToken, S3 NextContinuationToken' },
  { value: 'object_token' as const, label: 'Object token', description: 'A JSON token copied into a JSON body field: DynamoDB LastEvaluatedKey -> ExclusiveStartKey' },
  { value: 'marker' as const, label: 'Marker', description: 'Marker / NextMarker with IsTruncated' },
];
const TARGETS = [
  { value: 'param' as const, label: 'Query parameter' },
  { value: 'body' as const, label: 'Body field' },
];

function optionalInt(text: string): number | undefined {
  const n = Number.parseInt(text, 10);
  return Number.isFinite(n) ? n : undefined;
}

export function PaginationEditor({ value, onChange }: Props) {
  const p: PaginationOptions = value ?? { mode: 'none' };
  const set = (patch: Partial<PaginationOptions>) => onChange({ ...p, ...patch });
  return (
    <>
      <InlineFieldRow>
        <InlineField label="Pagination" labelWidth={16}>
          <RadioButtonGroup aria-label="Pagination" options={MODES} value={p.mode} onChange={(mode) => set({ mode })} />
        </InlineField>
      </InlineFieldRow>
      {p.mode !== 'none' && (
        <InlineFieldRow>
          <InlineField label="Token path" labelWidth={16} tooltip="Where the next token is in the answer, e.g. NextToken">
            <Input
              id="sigil-page-token-path"
              width={28}
              placeholder="NextToken"
              value={p.tokenPath ?? ''}
              onChange={(e) => set({ tokenPath: e.currentTarget.value })}
            />
          </InlineField>
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
          <InlineField label="Truncated flag" tooltip="Optional: where the answer says more pages remain, e.g. IsTruncated">
            <Input
              id="sigil-page-truncated-path"
              width={20}
              placeholder="IsTruncated"
              value={p.truncatedPath ?? ''}
              onChange={(e) => set({ truncatedPath: e.currentTarget.value })}
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
          <InlineField label="Max rows">
            <Input
              id="sigil-page-max-rows"
              width={12}
              type="number"
              min={1}
              value={p.maxRows ?? ''}
              onChange={(e) => set({ maxRows: optionalInt(e.currentTarget.value) })}
            />
          </InlineField>
        </InlineFieldRow>
      )}
    </>
  );
}
