// CheckHealth ("Save & test"): settings -> credentials (and AssumeRole) -> STS GetCallerIdentity through
// the signing proxy -> the optional test URL. Each failure names the step and the reason, never a secret.
import type { CheckHealthRequest, CheckHealthResult } from '../protocol/types';
import { SigilError } from '../errors';
import { CredentialsError } from '../aws/credentials';
import type { HandlerDeps, DataSourceInstance } from './deps';
import { PLUGIN_VERSION } from '../version';
import { awsErrorSummary } from '../http/awsError';
import { parseXml } from '../aws/xml';

type Step = 'settings' | 'credentials' | 'assumeRole' | 'identity' | 'testUrl';

const STEP_LABEL: Record<Step, string> = {
  settings: 'Settings',
  credentials: 'Credentials',
  assumeRole: 'AssumeRole',
  identity: 'STS GetCallerIdentity',
  testUrl: 'Test URL',
};

interface Identity {
  arn: string;
  account: string;
  userId: string;
}


function fail(step: Step, reason: string, details: Record<string, unknown> = {}): CheckHealthResult {
  return { status: 'ERROR', message: `${STEP_LABEL[step]} failed: ${reason}`, jsonDetails: { step, version: PLUGIN_VERSION, ...details } };
}

async function callerIdentity(instance: DataSourceInstance, signal?: AbortSignal): Promise<Identity | CheckHealthResult> {
  const sts = instance.settings.stsEndpoint;
  const res = await instance.proxy.send({
    signal,
    method: 'POST',
    url: `${sts}/`,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
    service: 'sts',
    region: instance.settings.region,
  });
  if (res.status !== 200) {
    const hint = res.status === 403 ? ' (check the access key, secret key and session token, or the assumed role)' : '';
    return fail('identity', `${sts} answered ${res.status}: ${awsErrorSummary(res)}${hint}`, { status: res.status });
  }
  let doc: { GetCallerIdentityResponse?: { GetCallerIdentityResult?: { Arn?: string; Account?: string; UserId?: string } } };
  try {
    doc = parseXml(res.body.toString('utf8')) as typeof doc;
  } catch {
    doc = {};
  }
  const r = doc.GetCallerIdentityResponse?.GetCallerIdentityResult;
  if (!r?.Arn) return fail('identity', `${sts} answered 200 without a caller ARN`);
  return { arn: String(r.Arn), account: String(r.Account ?? ''), userId: String(r.UserId ?? '') };
}

export async function checkHealth(req: CheckHealthRequest, deps: HandlerDeps, signal?: AbortSignal): Promise<CheckHealthResult> {
  let instance: DataSourceInstance;
  try {
    instance = await deps.instances.get(req.pluginContext);
  } catch (err) {
    return fail('settings', (err as Error).message);
  }
  const { settings } = instance;
  let identity: Identity;
  try {
    const got = await callerIdentity(instance, signal);
    if ('status' in got) return got;
    identity = got;
  } catch (err) {
    if (err instanceof CredentialsError) return fail(err.step, err.message);
    return fail('identity', (err as Error).message, { errorSource: err instanceof SigilError ? err.source : 'plugin' });
  }
  const details: Record<string, unknown> = {
    version: PLUGIN_VERSION,
    arn: identity.arn,
    account: identity.account,
    authType: settings.authType,
    region: settings.region,
    ...(settings.assumeRoleArn ? { assumeRoleArn: settings.assumeRoleArn } : {}),
  };
  let message = `Authenticated as ${identity.arn} (account ${identity.account}) using ${settings.authType}` +
    (settings.assumeRoleArn ? ' + AssumeRole' : '');
  if (settings.testUrl) {
    try {
      const res = await instance.proxy.send({ method: 'GET', url: settings.testUrl, signal });
      details.testUrl = { url: settings.testUrl.split('?')[0], status: res.status };
      if (res.status < 200 || res.status >= 300) {
        return fail('testUrl', `${settings.testUrl.split('?')[0]} answered ${res.status}: ${awsErrorSummary(res)}`, details);
      }
      message += `; test URL answered ${res.status}`;
    } catch (err) {
      if (err instanceof CredentialsError) return fail(err.step, err.message, details);
      return fail('testUrl', (err as Error).message, details);
    }
  }
  return { status: 'OK', message, jsonDetails: details };
}
