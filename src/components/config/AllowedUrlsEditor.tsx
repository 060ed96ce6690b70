// The URL prefixes the backend may send signed requests to: one input per prefix, with a hint when an AWS
// host does not match the configured service or region.
import { Button, Field, IconButton, Input, Stack, Text } from '@grafana/ui';
import { urlHostHint } from './urlHints';

interface Props {
  urls: string[];
  service?: string;
  region?: string;
  /** Validation messages by index. */
  errors: Array<string | undefined>;
  onChange: (urls: string[]) => void;
}

export function AllowedUrlsEditor({ urls, service, region, errors, onChange }: Props) {
  const replace = (index: number, value: string) => onChange(urls.map((u, i) => (i === index ? value : u)));
  const remove = (index: number) => onChange(urls.filter((_, i) => i !== index));
  return (
    <Stack direction="column" gap={1}>
      {urls.map((url, index) => {
        const id = `sigil-allowed-url-${index}`;
        const hint = errors[index] ? undefined : urlHostHint(url, service, region);
        return (
          <Field
            key={index}
            label={`Allowed URL ${index + 1}`}
            htmlFor={id}
            invalid={Boolean(errors[index])}
            error={errors[index]}
            description={hint && <Text color="warning">{hint}</Text>}
          >
            <Input
              id={id}
              width={60}
              placeholder="https://monitoring.us-east-1.amazonaws.com/"
              value={url}
              onChange={(e) => replace(index, e.currentTarget.value)}
              addonAfter={
                <IconButton name="trash-alt" tooltip={`Remove allowed URL ${index + 1}`} onClick={() => remove(index)} />
              }
            />
          </Field>
        );
      })}
      <div>
        <Button variant="secondary" icon="plus" size="sm" onClick={() => onChange([...urls, ''])}>
          Add allowed URL
        </Button>
      </div>
    </Stack>
  );
}
