// The URL prefixes the backend may send signed requests to: one full-width input per prefix with a bordered
// remove button, and a hint when an AWS host does not match the configured service or region.
import { Button, Field, Input, Stack, Text } from '@grafana/ui';
import { urlHostHint } from './urlHints';

interface Props {
  urls: string[];
  service?: string;
  region?: string;
  /** Validation messages by index. */
  errors: Array<string | undefined>;
  onChange: (urls: string[]) => void;
  onBlur: (index: number) => void;
}

export function AllowedUrlsEditor({ urls, service, region, errors, onChange, onBlur }: Props) {
  const replace = (index: number, value: string) => onChange(urls.map((u, i) => (i === index ? value : u)));
  const remove = (index: number) => onChange(urls.filter((_, i) => i !== index));
  return (
    <Stack direction="column" gap={1}>
      {urls.map((url, index) => {
        const id = `sigil-allowed-url-${index}`;
        const hint = errors[index] ? undefined : urlHostHint(url, service, region);
        return (
          <Stack key={index} direction="row" gap={1} alignItems="flex-start">
            <div style={{ flexGrow: 1 }}>
              <Field
                label={`Allowed URL ${index + 1}`}
                htmlFor={id}
                invalid={Boolean(errors[index])}
                error={errors[index]}
                description={hint && <Text color="warning">{hint}</Text>}
              >
                <Input
                  id={id}
                  placeholder="https://monitoring.us-east-1.amazonaws.com/"
                  value={url}
                  onChange={(e) => replace(index, e.currentTarget.value)}
                  onBlur={() => onBlur(index)}
                />
              </Field>
            </div>
            {/* Level with the input: below the label line. */}
            <div style={{ marginTop: 22 }}>
              <Button
                variant="secondary"
                fill="outline"
                icon="trash-alt"
                aria-label={`Remove allowed URL ${index + 1}`}
                tooltip={`Remove allowed URL ${index + 1}`}
                onClick={() => remove(index)}
              />
            </div>
          </Stack>
        );
      })}
      <div>
        <Button variant="secondary" fill="outline" icon="plus" onClick={() => onChange([...urls, ''])}>
          Add allowed URL
        </Button>
      </div>
    </Stack>
  );
}
