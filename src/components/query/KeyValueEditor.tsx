// An editable list of name/value pairs (query parameters, headers).
import { Button, IconButton, Input, Stack } from '@grafana/ui';
import type { KeyValue } from '../../shared/query';

interface Props {
  /** Singular noun used in labels, e.g. "Parameter" or "Header". */
  noun: string;
  pairs: KeyValue[];
  onChange: (pairs: KeyValue[]) => void;
}

export function KeyValueEditor({ noun, pairs, onChange }: Props) {
  const update = (index: number, patch: Partial<KeyValue>) =>
    onChange(pairs.map((p, i) => (i === index ? { ...p, ...patch } : p)));
  return (
    <Stack direction="column" gap={0.5}>
      {pairs.map((pair, index) => (
        <Stack key={index} direction="row" gap={0.5} alignItems="center">
          <Input
            aria-label={`${noun} ${index + 1} name`}
            width={30}
            placeholder="name"
            value={pair.key}
            onChange={(e) => update(index, { key: e.currentTarget.value })}
          />
          <Input
            aria-label={`${noun} ${index + 1} value`}
            width={50}
            placeholder="value"
            value={pair.value}
            onChange={(e) => update(index, { value: e.currentTarget.value })}
          />
          <IconButton
            name="trash-alt"
            tooltip={`Remove ${noun.toLowerCase()} ${index + 1}`}
            onClick={() => onChange(pairs.filter((_, i) => i !== index))}
          />
        </Stack>
      ))}
      <div>
        <Button variant="secondary" size="sm" icon="plus" onClick={() => onChange([...pairs, { key: '', value: '' }])}>
          Add {noun.toLowerCase()}
        </Button>
      </div>
    </Stack>
  );
}
