// Health check URL and limits: per-attempt timeout and the largest answer read.
import { withJsonData } from './optionsUpdate';
import type { SectionProps } from './sectionProps';
import { TextSetting } from './TextSetting';
import { SETTINGS_DEFAULTS } from '../../shared/validation';

const MIB = 1024 * 1024;

/** Keep what was typed while it is not a number, so the validation message can say what is wrong. */
function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

export function AdditionalSection({ options, onOptionsChange, errors, touch }: SectionProps) {
  const { jsonData } = options;
  return (
    <>
      <TextSetting
        id="sigil-test-url"
        label="Health check URL"
        description='Optional. "Save & test" calls it after STS GetCallerIdentity, to prove access to the target API.'
        error={errors.testUrl}
        placeholder="https://monitoring.us-east-1.amazonaws.com/?Action=ListMetrics&Version=2010-08-01"
        value={jsonData.testUrl}
        onChange={(testUrl) => onOptionsChange(withJsonData(options, { testUrl }))}
        onBlur={() => touch('testUrl')}
      />
      <TextSetting
        id="sigil-timeout"
        label="Timeout (seconds)"
        description="Per attempt; throttled requests and server errors of idempotent requests are retried up to 3 times."
        error={errors.timeoutSeconds}
        type="number"
        min={1}
        placeholder={String(SETTINGS_DEFAULTS.timeoutSeconds)}
        value={jsonData.timeoutSeconds}
        onChange={(text) => onOptionsChange(withJsonData(options, { timeoutSeconds: parseNumber(text) }))}
        onBlur={() => touch('timeoutSeconds')}
      />
      <TextSetting
        id="sigil-max-response"
        label="Largest answer (MiB)"
        description="Answers larger than this are refused instead of filling Grafana's memory."
        error={errors.maxResponseBytes}
        type="number"
        min={1}
        placeholder={String(SETTINGS_DEFAULTS.maxResponseBytes / MIB)}
        value={jsonData.maxResponseBytes === undefined ? undefined : jsonData.maxResponseBytes / MIB}
        onChange={(text) => {
          const mib = parseNumber(text);
          onOptionsChange(
            withJsonData(options, { maxResponseBytes: mib === undefined ? undefined : Math.round(mib * MIB) }),
          );
        }}
        onBlur={() => touch('maxResponseBytes')}
      />
    </>
  );
}
