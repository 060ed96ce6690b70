// DataSourceInstanceSettings -> validated Settings. The rules themselves live in src/shared/validation.ts
// so that the ConfigEditor shows the very same messages. Fails closed: settings that could not be read
// (jsonData not JSON, not an object, or with prototype-shaped keys) are an error, never the defaults,
// and only the jsonData's own properties are read.
import type { DataSourceInstanceSettings } from '../protocol/types';
import { sigilError } from '../errors';
import {
  normaliseAuthType,
  ownValue,
  resolveJsonData,
  SETTINGS_DEFAULTS,
  validateJsonData,
} from '../../src/shared/validation';
import { normalisePrefix } from '../../src/shared/urls';
import type { AwsServerOptions, Settings } from './types';

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** Regional STS endpoint; China regions live under amazonaws.com.cn. */
export function regionalStsEndpoint(region: string): string {
  return `https://sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

/** Refuses settings that could not be read or break a rule, with one settings error naming every field. */
function refuseInvalid(
  ds: DataSourceInstanceSettings,
  secureSet: Record<string, boolean>,
  server: AwsServerOptions,
): void {
  if (ds.jsonDataProblem !== undefined) {
    throw sigilError(
      'settings',
      `the settings of data source "${ds.name}" could not be read: ${ds.jsonDataProblem}; save the data source again or fix its provisioning file`,
      {
        details: { field: 'jsonData' },
      },
    );
  }
  const problems = validateJsonData(ds.jsonData ?? {}, secureSet, server);
  if (problems.length > 0) {
    const list = problems.map((p) => p.message).join('; ');
    throw sigilError('settings', `invalid data source settings for "${ds.name}": ${list}`, {
      details: { field: problems.map((p) => p.field).join(',') },
    });
  }
}

export function parseSettings(
  ds: DataSourceInstanceSettings,
  server: AwsServerOptions,
  env: NodeJS.ProcessEnv = process.env,
): Settings {
  const jsonData = ds.jsonData ?? {};
  const secure = ds.decryptedSecureJsonData ?? {};
  const secureSet: Record<string, boolean> = Object.create(null);
  for (const [k, v] of Object.entries(secure)) secureSet[k] = typeof v === 'string' && v !== '';
  refuseInvalid(ds, secureSet, server);
  const field = (key: string): unknown => ownValue(jsonData, key);
  const r = resolveJsonData(jsonData, secureSet);
  const authType = normaliseAuthType(r.authType) ?? SETTINGS_DEFAULTS.authType;
  // Empty or "default" region: the SDK's own environment variables, then us-east-1.
  const region =
    r.region && r.region !== 'default'
      ? r.region
      : (text(env.AWS_REGION) ?? text(env.AWS_DEFAULT_REGION) ?? SETTINGS_DEFAULTS.region);
  const endpoint = text(field('endpoint'))?.replace(/\/+$/, '');
  const listed = field('allowedUrls');
  const allowedUrls = Array.isArray(listed) ? (listed as string[]).map((u) => normalisePrefix(u)) : [];
  if (endpoint !== undefined) allowedUrls.push(normalisePrefix(endpoint));
  const testUrl = text(field('testUrl'));
  const timeoutSeconds = Number(field('timeoutSeconds') ?? '') || SETTINGS_DEFAULTS.timeoutSeconds;
  const maxResponseBytes = Number(field('maxResponseBytes') ?? '') || SETTINGS_DEFAULTS.maxResponseBytes;
  // A null-prototype object: an unset optional field (secretKey, endpoint, ...) can never be read from Object.prototype.
  const settings: Settings = Object.assign(Object.create(null) as Settings, {
    uid: ds.uid,
    name: ds.name,
    authType,
    region,
    service: text(field('service')),
    profile: authType === 'credentials' ? r.profile : undefined,
    assumeRoleArn: r.assumeRoleArn,
    externalId: r.assumeRoleArn ? (r.externalId ?? server.externalId) : undefined,
    endpoint,
    stsEndpoint: endpoint ?? regionalStsEndpoint(region),
    allowedUrls: [...new Set(allowedUrls)],
    timeoutMs: Math.round(timeoutSeconds * 1000),
    maxResponseBytes,
    testUrl,
    assumeRoleDurationSeconds: server.sessionDurationSeconds,
  });
  if (authType === 'keys') {
    const secret = (key: string): string | undefined => {
      const v = ownValue(secure, key);
      return typeof v === 'string' && v !== '' ? v : undefined;
    };
    settings.accessKey = secret(r.accessKeyField);
    settings.secretKey = secret(r.secretKeyField);
    settings.sessionToken = text(ownValue(secure, 'sessionToken'));
  }
  return settings;
}
