// Where requests go and how they are signed: region, SigV4 service name, custom endpoint, timeout.
import { Field, Input, Select } from '@grafana/ui';
import type { SelectableValue } from '@grafana/data';
import { AWS_REGIONS } from './regions';
import { withJsonData, type SigilSettings } from './optionsUpdate';
import type { FieldErrors } from './fieldErrors';

interface Props {
  options: SigilSettings;
  onOptionsChange: (options: SigilSettings) => void;
  errors: FieldErrors;
}

const REGION_OPTIONS: Array<SelectableValue<string>> = AWS_REGIONS.map((r) => ({ value: r, label: r }));

/** Keep what was typed while it is not a number, so the validation message can say what is wrong. */
function parseTimeout(text: string): number | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

export function ConnectionSection({ options, onOptionsChange, errors }: Props) {
  const { jsonData } = options;
  const region = jsonData.defaultRegion ?? '';
  const regionOptions =
    region && !AWS_REGIONS.includes(region) ? [{ value: region, label: region }, ...REGION_OPTIONS] : REGION_OPTIONS;
  return (
    <>
      <Field
        label="Default region"
        htmlFor="sigil-default-region"
        description="Region used for signing when a URL does not name one, and for STS. Pick one or type any region."
        invalid={Boolean(errors.defaultRegion)}
        error={errors.defaultRegion}
      >
        <Select<string>
          inputId="sigil-default-region"
          width={40}
          options={regionOptions}
          value={region || null}
          allowCustomValue
          placeholder="us-east-1"
          onCreateOption={(v) => onOptionsChange(withJsonData(options, { defaultRegion: v.trim() }))}
          onChange={(v) => onOptionsChange(withJsonData(options, { defaultRegion: v?.value }))}
        />
      </Field>
      <Field
        label="Service name"
        htmlFor="sigil-service"
        description="SigV4 signing name, e.g. monitoring, aps, execute-api. Empty: inferred from each URL's host."
        invalid={Boolean(errors.service)}
        error={errors.service}
      >
        <Input
          id="sigil-service"
          width={40}
          placeholder="inferred from the URL"
          value={jsonData.service ?? ''}
          onChange={(e) => onOptionsChange(withJsonData(options, { service: e.currentTarget.value }))}
        />
      </Field>
      <Field
        label="Custom endpoint"
        htmlFor="sigil-endpoint"
        description="Optional, e.g. a VPC endpoint or a local emulator: https://vpce-….monitoring.us-east-1.vpce.amazonaws.com"
        invalid={Boolean(errors.endpoint)}
        error={errors.endpoint}
      >
        <Input
          id="sigil-endpoint"
          width={60}
          placeholder="https://"
          value={jsonData.endpoint ?? ''}
          onChange={(e) => onOptionsChange(withJsonData(options, { endpoint: e.currentTarget.value }))}
        />
      </Field>
      <Field
        label="Timeout (seconds)"
        htmlFor="sigil-timeout"
        description="Per request to AWS, including retries on throttling."
        invalid={Boolean(errors.timeoutSeconds)}
        error={errors.timeoutSeconds}
      >
        <Input
          id="sigil-timeout"
          width={20}
          type="number"
          min={1}
          placeholder="30"
          value={jsonData.timeoutSeconds ?? ''}
          onChange={(e) => onOptionsChange(withJsonData(options, { timeoutSeconds: parseTimeout(e.currentTarget.value) }))}
        />
      </Field>
    </>
  );
}
