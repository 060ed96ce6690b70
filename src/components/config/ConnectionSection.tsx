// Where requests go and how they are signed: region, SigV4 service name, custom endpoint, timeout, size cap.
import { Field, Select } from '@grafana/ui';
import type { SelectableValue } from '@grafana/data';
import { AWS_REGIONS } from './regions';
import { withJsonData, type SigilSettings } from './optionsUpdate';
import type { FieldErrors } from './fieldErrors';
import { TextSetting } from './TextSetting';
import { SETTINGS_DEFAULTS } from '../../shared/validation';

interface Props {
  options: SigilSettings;
  onOptionsChange: (options: SigilSettings) => void;
  errors: FieldErrors;
}

const REGION_OPTIONS: Array<SelectableValue<string>> = AWS_REGIONS.map((r) => ({ value: r, label: r }));

const MIB = 1024 * 1024;

/** Keep what was typed while it is not a number, so the validation message can say what is wrong. */
function parseNumber(text: string): number | undefined {
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
      <TextSetting
        id="sigil-service"
        label="Service name"
        description="SigV4 signing name, e.g. monitoring, aps, execute-api. Empty: inferred from each URL's host."
        error={errors.service}
        width={40}
        placeholder="inferred from the URL"
        value={jsonData.service}
        onChange={(service) => onOptionsChange(withJsonData(options, { service }))}
      />
      <TextSetting
        id="sigil-endpoint"
        label="Custom endpoint"
        description="Optional, e.g. a VPC endpoint or a local emulator: https://vpce-….monitoring.us-east-1.vpce.amazonaws.com"
        error={errors.endpoint}
        width={60}
        placeholder="https://"
        value={jsonData.endpoint}
        onChange={(endpoint) => onOptionsChange(withJsonData(options, { endpoint }))}
      />
      <TextSetting
        id="sigil-timeout"
        label="Timeout (seconds)"
        description="Per attempt; throttled requests and server errors of idempotent requests are retried up to 3 times."
        error={errors.timeoutSeconds}
        width={20}
        type="number"
        min={1}
        placeholder={String(SETTINGS_DEFAULTS.timeoutSeconds)}
        value={jsonData.timeoutSeconds}
        onChange={(text) => onOptionsChange(withJsonData(options, { timeoutSeconds: parseNumber(text) }))}
      />
      <TextSetting
        id="sigil-max-response"
        label="Largest answer (MiB)"
        description="Answers larger than this are refused instead of filling Grafana's memory."
        error={errors.maxResponseBytes}
        width={20}
        type="number"
        min={1}
        placeholder={String(SETTINGS_DEFAULTS.maxResponseBytes / MIB)}
        value={jsonData.maxResponseBytes === undefined ? undefined : jsonData.maxResponseBytes / MIB}
        onChange={(text) => {
          const mib = parseNumber(text);
          onOptionsChange(withJsonData(options, { maxResponseBytes: mib === undefined ? undefined : Math.round(mib * MIB) }));
        }}
      />
    </>
  );
}
