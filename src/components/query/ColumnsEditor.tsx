// Columns to extract from each row: selector, display name, type, and a time format for time columns.
import { Button, IconButton, Input, Select, Stack } from '@grafana/ui';
import type { ColumnDefinition, ColumnType } from '../../shared/query';

const TYPES: ColumnType[] = ['string', 'number', 'boolean', 'time'];
const TYPE_OPTIONS = TYPES.map((t) => ({ value: t, label: t }));

interface Props {
  columns: ColumnDefinition[];
  onChange: (columns: ColumnDefinition[]) => void;
}

export function ColumnsEditor({ columns, onChange }: Props) {
  const update = (index: number, patch: Partial<ColumnDefinition>) =>
    onChange(columns.map((c, i) => (i === index ? { ...c, ...patch } : c)));
  return (
    <Stack direction="column" gap={0.5}>
      {columns.map((column, index) => {
        const n = index + 1;
        return (
          <Stack key={index} direction="row" gap={0.5} alignItems="center">
            <Input
              aria-label={`Column ${n} selector`}
              width={30}
              placeholder="selector, e.g. Timestamp"
              value={column.selector}
              onChange={(e) => update(index, { selector: e.currentTarget.value })}
            />
            <Input
              aria-label={`Column ${n} name`}
              width={20}
              placeholder="name (optional)"
              value={column.text ?? ''}
              onChange={(e) => update(index, { text: e.currentTarget.value || undefined })}
            />
            <Select<ColumnType>
              aria-label={`Column ${n} type`}
              width={14}
              options={TYPE_OPTIONS}
              value={column.type}
              onChange={(v) => update(index, { type: v.value ?? 'string' })}
            />
            {column.type === 'time' && (
              <Input
                aria-label={`Column ${n} time format`}
                width={20}
                placeholder="iso, epoch_s, epoch_ms"
                value={column.timeFormat ?? ''}
                onChange={(e) => update(index, { timeFormat: e.currentTarget.value || undefined })}
              />
            )}
            <IconButton
              name="trash-alt"
              tooltip={`Remove column ${n}`}
              onClick={() => onChange(columns.filter((_, i) => i !== index))}
            />
          </Stack>
        );
      })}
      <div>
        <Button
          variant="secondary"
          size="sm"
          icon="plus"
          onClick={() => onChange([...columns, { selector: '', type: 'string' }])}
        >
          Add column
        </Button>
      </div>
    </Stack>
  );
}
