// CheckHealth ("Save & test"): settings -> credentials (and AssumeRole) -> STS GetCallerIdentity through
// the signing proxy -> the optional test URL. Each failure names the step and the reason, never a secret.
import type { CheckHealthRequest, CheckHealthResult } from '../protocol/types';
import type { HandlerDeps, DataSourceInstance } from './deps';
import { PLUGIN_VERSION } from '../version';
import { awsErrorSummary } from '../aws/errorAnswer';
import { parseXml } from '../query/parse/xml';
import { healthFailure, type HealthStep } from './answers';
import { awsAnswerMessage } from '../../src/shared/aws';
import { urlForLog } from '../http/allowedUrls';
import type { Logger } from '../log';

interface Identity {
  arn: string;
  account: string;
  userId: string;
}

const fail = (step: HealthStep, reason: unknown, details: Record<string, unknown> = {}): CheckHealthResult =>
  healthFailure(step, reason, details);

async function callerIdentity(
  instance: DataSourceInstance,
  signal?: AbortSignal,
): Promise<Identity | CheckHealthResult> {
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
    return fail('identity', `${awsAnswerMessage(sts, res.status, awsErrorSummary(res))}${hint}`, {
      status: res.status,
      errorSource: 'downstream',
      kind: 'aws_answer',
    });
  }
  let doc: {
    GetCallerIdentityResponse?: { GetCallerIdentityResult?: { Arn?: string; Account?: string; UserId?: string } };
  };
  try {
    doc = parseXml(res.body.toString('utf8')) as typeof doc;
  } catch {
    doc = {};
  }
  const r = doc.GetCallerIdentityResponse?.GetCallerIdentityResult;
  if (!r?.Arn) return fail('identity', `${sts} answered 200 without a caller ARN`);
  return { arn: String(r.Arn), account: String(r.Account ?? ''), userId: String(r.UserId ?? '') };
}

export async function checkHealth(
  req: CheckHealthRequest,
  deps: HandlerDeps,
  signal?: AbortSignal,
): Promise<CheckHealthResult> {
  const ds = req.pluginContext.dataSourceInstanceSettings;
  const target = { uid: ds?.uid ?? '', name: ds?.name ?? '' };
  try {
    return await deps.instances.use(req.pluginContext, async (instance) => {
      const result = await checkInstance(instance, signal);
      const { settings } = instance;
      const step = result.jsonDetails?.step;
      const url = step === 'testUrl' && settings.testUrl ? settings.testUrl : settings.stsEndpoint;
      if (result.status !== 'OK') logHealthFailure(deps.log, result, { ...target, url: urlForLog(url) });
      return result;
    });
  } catch (err) {
    // Only getting the instance fails here (checkInstance answers its own failures): the settings step.
    const result = healthFailure('settings', err, {}, deps.log);
    logHealthFailure(deps.log, result, target);
    return result;
  }
}

/** One warn line per failed Save & test: the data source, the step, the kind and the message shown. */
function logHealthFailure(log: Logger | undefined, result: CheckHealthResult, fields: Record<string, string>): void {
  const details = result.jsonDetails ?? {};
  log?.warn('health check failed', {
    ...fields,
    step: String(details.step ?? ''),
    ...(details.kind ? { kind: String(details.kind) } : {}),
    ...(typeof details.status === 'number' ? { status: details.status } : {}),
    error: result.message,
  });
}

async function checkInstance(instance: DataSourceInstance, signal?: AbortSignal): Promise<CheckHealthResult> {
  const { settings } = instance;
  let identity: Identity;
  try {
    const got = await callerIdentity(instance, signal);
    if ('status' in got) return got;
    identity = got;
  } catch (err) {
    return fail('identity', err);
  }
  const details: Record<string, unknown> = {
    version: PLUGIN_VERSION,
    arn: identity.arn,
    account: identity.account,
    authType: settings.authType,
    region: settings.region,
    ...(settings.assumeRoleArn ? { assumeRoleArn: settings.assumeRoleArn } : {}),
  };
  let message =
    `Authenticated as ${identity.arn} (account ${identity.account}) using ${settings.authType}` +
    (settings.assumeRoleArn ? ' + AssumeRole' : '');
  if (settings.testUrl) {
    try {
      const res = await instance.proxy.send({ method: 'GET', url: settings.testUrl, signal });
      details.testUrl = { url: settings.testUrl.split('?')[0], status: res.status };
      if (res.status < 200 || res.status >= 300) {
        return fail('testUrl', awsAnswerMessage(settings.testUrl.split('?')[0], res.status, awsErrorSummary(res)), {
          ...details,
          errorSource: 'downstream',
          kind: 'aws_answer',
        });
      }
      message += `; test URL answered ${res.status}`;
    } catch (err) {
      return fail('testUrl', err, details);
    }
  }
  return { status: 'OK', message, jsonDetails: details };
}
