// Grafana's [aws] server options as Grafana shares them with plugins named in [aws] forward_settings_to_plugins:
// in PluginContext.grafanaConfig on current versions, as process environment variables on older ones. The key
// names and defaults are those of grafana-aws-sdk (pkg/awsds/authSettings.go).
import type { AwsServerOptions } from './types';

export const AWS_SERVER_KEYS = {
  allowedAuthProviders: 'AWS_AUTH_AllowedAuthProviders',
  assumeRoleEnabled: 'AWS_AUTH_AssumeRoleEnabled',
  externalId: 'AWS_AUTH_EXTERNAL_ID',
  sessionDuration: 'AWS_AUTH_SESSION_DURATION',
  listMetricsPageLimit: 'AWS_CW_LIST_METRICS_PAGE_LIMIT',
} as const;

/** Grafana's defaults when nothing is shared ([aws] in defaults.ini; stscreds.DefaultDuration = 15m). */
export const GRAFANA_AWS_DEFAULTS = {
  allowedAuthProviders: ['default', 'keys', 'credentials'],
  assumeRoleEnabled: true,
  sessionDurationSeconds: 15 * 60,
  listMetricsPageLimit: 500,
} as const;

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Parses Grafana durations such as `15m`, `1h`, `1h30m`, `2d`, or plain seconds. Undefined when invalid. */
export function parseDurationSeconds(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    total += Number(m[1]) * UNIT_SECONDS[m[2]];
    matched = re.lastIndex;
  }
  return matched === t.length && matched > 0 ? Math.round(total) : undefined;
}

function parseBool(text: string): boolean | undefined {
  // Go's strconv.ParseBool accepts these spellings.
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

export function readAwsServerOptions(grafanaConfig: Record<string, string>, env: NodeJS.ProcessEnv): AwsServerOptions {
  const keys = Object.values(AWS_SERVER_KEYS);
  const fromConfig = keys.some((k) => (grafanaConfig[k] ?? '') !== '');
  const fromEnv = !fromConfig && keys.some((k) => (env[k] ?? '') !== '');
  const source: AwsServerOptions['source'] = fromConfig ? 'grafanaConfig' : fromEnv ? 'environment' : 'defaults';
  const get = (k: string): string => ((fromConfig ? grafanaConfig[k] : fromEnv ? env[k] : '') ?? '').trim();
  const warnings: string[] = [];
  const options: AwsServerOptions = {
    allowedAuthProviders: [...GRAFANA_AWS_DEFAULTS.allowedAuthProviders],
    assumeRoleEnabled: GRAFANA_AWS_DEFAULTS.assumeRoleEnabled,
    sessionDurationSeconds: GRAFANA_AWS_DEFAULTS.sessionDurationSeconds,
    listMetricsPageLimit: GRAFANA_AWS_DEFAULTS.listMetricsPageLimit,
    source,
    warnings,
  };
  const providers = get(AWS_SERVER_KEYS.allowedAuthProviders)
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (providers.length > 0) options.allowedAuthProviders = providers;
  const assume = get(AWS_SERVER_KEYS.assumeRoleEnabled);
  if (assume !== '') {
    const b = parseBool(assume);
    if (b === undefined) warnings.push(`${AWS_SERVER_KEYS.assumeRoleEnabled}="${assume}" is not a boolean; kept true`);
    else options.assumeRoleEnabled = b;
  }
  const externalId = get(AWS_SERVER_KEYS.externalId);
  if (externalId !== '') options.externalId = externalId;
  const duration = get(AWS_SERVER_KEYS.sessionDuration);
  if (duration !== '') {
    const s = parseDurationSeconds(duration);
    // STS accepts 900 s to 12 h.
    if (s === undefined || s < 900 || s > 43200) {
      warnings.push(`${AWS_SERVER_KEYS.sessionDuration}="${duration}" is not a duration from 15m to 12h; kept 15m`);
    } else {
      options.sessionDurationSeconds = s;
    }
  }
  const limit = get(AWS_SERVER_KEYS.listMetricsPageLimit);
  if (limit !== '') {
    const n = Number(limit);
    if (Number.isInteger(n) && n > 0) options.listMetricsPageLimit = n;
    else warnings.push(`${AWS_SERVER_KEYS.listMetricsPageLimit}="${limit}" is not a positive whole number; kept 500`);
  }
  return options;
}
