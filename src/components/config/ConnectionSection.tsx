// Where requests go and how they are signed: region, SigV4 service name, custom endpoint.
import { Field, Select } from '@grafana/ui';
import type { SelectableValue } from '@grafana/data';
import { AWS_REGIONS } from './regions';
import { withJsonData } from './optionsUpdate';
import type { SectionProps } from './sectionProps';
import { TextSetting } from './TextSetting';

const REGION_OPTIONS: Array<SelectableValue<string>> = AWS_REGIONS.map((r) => ({ value: r, label: r }));

export function ConnectionSection({ options, onOptionsChange, errors, touch }: SectionProps) {
  const { jsonData } = options;
  const region = jsonData.defaultRegion ?? '';
  const regionOptions =
    region && !AWS_REGIONS.includes(region) ? [{ value: region, label: region }, ...REGION_OPTIONS] : REGION_OPTIONS;
  return (
    <>
      <Field
        label="Default region"
        htmlFor="sigil-default-region"
        description="Region used for signing when a URL does not name one, and for STS. Empty: the Grafana server's AWS_REGION, else us-east-1."
        invalid={Boolean(errors.defaultRegion)}
        error={errors.defaultRegion}
      >
        <Select<string>
          inputId="sigil-default-region"
          options={regionOptions}
          value={region || null}
          allowCustomValue
          isClearable
          // A placeholder that reads as an instruction, not as a chosen region.
          placeholder="Choose or type a region"
          onCreateOption={(v) => onOptionsChange(withJsonData(options, { defaultRegion: v.trim() }))}
          onChange={(v) => onOptionsChange(withJsonData(options, { defaultRegion: v?.value }))}
          onBlur={() => touch('defaultRegion')}
        />
      </Field>
      <TextSetting
        id="sigil-service"
        label="Service name"
        description="SigV4 signing name, e.g. monitoring, aps, execute-api. Empty: inferred from each URL's host."
        error={errors.service}
        placeholder="inferred from the URL"
        value={jsonData.service}
        onChange={(service) => onOptionsChange(withJsonData(options, { service }))}
        onBlur={() => touch('service')}
      />
      <TextSetting
        id="sigil-endpoint"
        label="Custom endpoint"
        description="Optional, e.g. a VPC endpoint or a local emulator: https://vpce-….monitoring.us-east-1.vpce.amazonaws.com"
        error={errors.endpoint}
        placeholder="https://"
        value={jsonData.endpoint}
        onChange={(endpoint) => onOptionsChange(withJsonData(options, { endpoint }))}
        onBlur={() => touch('endpoint')}
      />
    </>
  );
}
