// DataSourceInstanceSettings -> validated Settings. The rules themselves live in src/shared/validation.ts
// so that the ConfigEditor shows the very same messages.
import type { DataSourceInstanceSettings } from '../protocol/types';
import { pluginError } from '../errors';
import { normaliseAuthType, resolveJsonData, SETTINGS_DEFAULTS, validateJsonData } from '../../src/shared/validation';
import { normalisePrefix } from '../http/allowedUrls';
import type { AwsServerOptions, Settings } from './types';

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** Regional STS endpoint; China regions live under amazonaws.com.cn. */
export function regionalStsEndpoint(region: string): string {
  return `https://sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

export function parseSettings(ds: DataSourceInstanceSettings, server: AwsServerOptions, env: NodeJS.ProcessEnv = process.env): Settings {
  const jsonData = ds.jsonData ?? {};
  const secure = ds.decryptedSecureJsonData ?? {};
  const secureSet = Object.fromEntries(Object.entries(secure).map(([k, v]) => [k, typeof v === 'string' && v !== '']));
  const problems = validateJsonData(jsonData, secureSet, server);
  if (problems.length > 0) {
    const list = problems.map((p) => p.message).join('; ');
    throw pluginError(`invalid data source settings for "${ds.name}": ${list}`);
  }
  const r = resolveJsonData(jsonData, secureSet);
  const authType = normaliseAuthType(r.authType) ?? SETTINGS_DEFAULTS.authType;
  // Empty or "default" region: the SDK's own environment variables, then us-east-1.
  const region = r.region && r.region !== 'default' ? r.region : text(env.AWS_REGION) ?? text(env.AWS_DEFAULT_REGION) ?? SETTINGS_DEFAULTS.region;
  const endpoint = text(jsonData.endpoint)?.replace(/\/+$/, '');
  const allowedUrls = Array.isArray(jsonData.allowedUrls)
    ? (jsonData.allowedUrls as string[]).map((u) => normalisePrefix(u))
    : [];
  if (endpoint !== undefined) allowedUrls.push(normalisePrefix(endpoint));
  const testUrl = text(jsonData.testUrl);
  const timeoutSeconds = Number(jsonData.timeoutSeconds ?? '') || SETTINGS_DEFAULTS.timeoutSeconds;
  const maxResponseBytes = Number(jsonData.maxResponseBytes ?? '') || SETTINGS_DEFAULTS.maxResponseBytes;
  const settings: Settings = {
    uid: ds.uid,
    name: ds.name,
    authType,
    region,
    service: text(jsonData.service),
    profile: authType === 'credentials' ? r.profile : undefined,
    assumeRoleArn: r.assumeRoleArn,
    externalId: r.assumeRoleArn ? r.externalId ?? server.externalId : undefined,
    endpoint,
    stsEndpoint: endpoint ?? regionalStsEndpoint(region),
    allowedUrls: [...new Set(allowedUrls)],
    timeoutMs: Math.round(timeoutSeconds * 1000),
    maxResponseBytes,
    testUrl,
    assumeRoleDurationSeconds: server.sessionDurationSeconds,
  };
  if (authType === 'keys') {
    settings.accessKey = secure[r.accessKeyField];
    settings.secretKey = secure[r.secretKeyField];
    settings.sessionToken = text(secure.sessionToken);
  }
  return settings;
}
