// One labelled text or number input of the config editor, with its description and validation message.
import { Field, Input } from '@grafana/ui';

interface Props {
  id: string;
  label: string;
  description: string;
  error?: string;
  width: number;
  placeholder?: string;
  value: string | number | undefined;
  type?: 'text' | 'number';
  min?: number;
  onChange: (text: string) => void;
}

export function TextSetting({ id, label, description, error, width, placeholder, value, type, min, onChange }: Props) {
  return (
    <Field label={label} htmlFor={id} description={description} invalid={Boolean(error)} error={error}>
      <Input
        id={id}
        width={width}
        type={type}
        min={min}
        placeholder={placeholder}
        value={value ?? ''}
        onChange={(e) => onChange(e.currentTarget.value)}
      />
    </Field>
  );
}
