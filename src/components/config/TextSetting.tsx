// One labelled text or number input of the config editor, full width, with its description and message.
import { Field, Input } from '@grafana/ui';

interface Props {
  id: string;
  label: string;
  description: string;
  error?: string;
  placeholder?: string;
  value: string | number | undefined;
  type?: 'text' | 'number';
  min?: number;
  onChange: (text: string) => void;
  /** Leaving the field marks it touched, so its message may show. */
  onBlur?: () => void;
}

export function TextSetting({ id, label, description, error, placeholder, value, type, min, onChange, onBlur }: Props) {
  return (
    <Field label={label} htmlFor={id} description={description} invalid={Boolean(error)} error={error}>
      <Input
        id={id}
        type={type}
        min={min}
        placeholder={placeholder}
        value={value ?? ''}
        onChange={(e) => onChange(e.currentTarget.value)}
        onBlur={onBlur}
      />
    </Field>
  );
}
