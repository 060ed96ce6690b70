import { checkHealth } from './checkHealth';
import { awsErrorSummary } from '../aws/errorAnswer';
import type { DataSourceInstance, HandlerDeps } from './deps';
import type { IncomingResponse, OutgoingRequest } from '../http/types';
import type { Settings } from '../settings/types';
import { CredentialsError } from '../aws/credentials';
import { sigilError } from '../errors';
import { createRedactor } from '../redaction';
import { fixedInstances } from '../instances/testing';
import { createLogger } from '../log';

const settings: Settings = {
  uid: 'u',
  name: 'n',
  authType: 'keys',
  region: 'eu-west-1',
  allowedUrls: [],
  stsEndpoint: 'https://sts.eu-west-1.amazonaws.com',
  timeoutMs: 1000,
  maxResponseBytes: 1000,
  assumeRoleDurationSeconds: 900,
  accessKey: 'AK',
  secretKey: 'SECRET',
};
const IDENTITY =
  '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/grafana</Arn><UserId>AIDA</UserId><Account>111122223333</Account></GetCallerIdentityResult></GetCallerIdentityResponse>';

function deps(
  answer: (r: OutgoingRequest) => IncomingResponse | Promise<IncomingResponse>,
  s: Partial<Settings> = {},
): HandlerDeps & { sent: OutgoingRequest[] } {
  const sent: OutgoingRequest[] = [];
  const instance: DataSourceInstance = {
    settings: { ...settings, ...s },
    proxy: {
      send: async (r) => {
        sent.push(r);
        return answer(r);
      },
    },
  };
  return { instances: fixedInstances(() => instance), redactor: createRedactor(), sent };
}
const req = {
  pluginContext: { orgId: 1, pluginId: 'p', pluginVersion: 'v', grafanaConfig: {}, userAgent: '' },
  headers: {},
};
const ok = (body: string, status = 200): IncomingResponse => ({
  status,
  headers: {},
  body: Buffer.from(body),
  url: '',
});

describe('checkHealth', () => {
  it('reports the caller ARN and account from a signed STS GetCallerIdentity', async () => {
    const d = deps(() => ok(IDENTITY));
    const r = await checkHealth(req, d);
    expect(r.status).toBe('OK');
    expect(r.message).toBe('Authenticated as arn:aws:iam::111122223333:user/grafana (account 111122223333) using keys');
    expect(r.jsonDetails).toMatchObject({ arn: 'arn:aws:iam::111122223333:user/grafana', account: '111122223333' });
    expect(d.sent[0]).toMatchObject({
      method: 'POST',
      url: 'https://sts.eu-west-1.amazonaws.com/',
      service: 'sts',
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
  });

  it('names the failed step: settings, credentials, AssumeRole, STS, test URL', async () => {
    const bad: HandlerDeps = {
      instances: fixedInstances(() => {
        throw sigilError('settings', 'invalid data source settings for "n": x');
      }),
      redactor: createRedactor(),
    };
    expect(await checkHealth(req, bad)).toMatchObject({
      message: 'Settings failed: invalid data source settings for "n": x',
      jsonDetails: { step: 'settings', errorSource: 'plugin', kind: 'settings' },
    });
    const creds = deps(() => {
      throw new CredentialsError(
        'credentials',
        'could not load credentials credentials: profile nope not found',
        401,
        'plugin',
      );
    });
    expect((await checkHealth(req, creds)).message).toMatch(/^Credentials failed: could not load/);
    const assume = deps(() => {
      throw new CredentialsError('assumeRole', 'STS AssumeRole of arn failed: AccessDenied', 403, 'downstream');
    });
    expect((await checkHealth(req, assume)).jsonDetails).toMatchObject({
      step: 'assumeRole',
      errorSource: 'downstream',
      kind: 'assume_role',
    });
    const bug = deps(() => {
      throw new TypeError('x.y is not a function');
    });
    expect(await checkHealth(req, bug)).toMatchObject({
      message: 'STS GetCallerIdentity failed: internal error: x.y is not a function',
      jsonDetails: { errorSource: 'plugin', kind: 'internal' },
    });
    const denied = deps(() =>
      ok(
        '<ErrorResponse><Error><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>',
        403,
      ),
    );
    expect((await checkHealth(req, denied)).message).toBe(
      'STS GetCallerIdentity failed: https://sts.eu-west-1.amazonaws.com answered HTTP 403 InvalidClientTokenId: The security token included in the request is invalid. (check the access key, secret key and session token, or the assumed role)',
    );
    const test = deps(
      (r) => (r.url.includes('sts') ? ok(IDENTITY) : ok('{"__type":"AccessDeniedException","message":"no"}', 400)),
      { testUrl: 'https://monitoring.eu-west-1.amazonaws.com/?Action=ListMetrics' },
    );
    const t = await checkHealth(req, test);
    expect(t.status).toBe('ERROR');
    expect(t.message).toBe(
      'Test URL failed: https://monitoring.eu-west-1.amazonaws.com/ answered HTTP 400 AccessDeniedException: no',
    );
  });

  it('calls the test URL after the identity check and reports it', async () => {
    const d = deps((r) => (r.url.includes('sts') ? ok(IDENTITY) : ok('{}')), {
      testUrl: 'https://monitoring.eu-west-1.amazonaws.com/?Action=ListMetrics',
    });
    const r = await checkHealth(req, d);
    expect(r.status).toBe('OK');
    expect(r.message).toMatch(/; test URL answered 200$/);
    expect(d.sent.map((s) => s.method)).toEqual(['POST', 'GET']);
  });

  it('summarises AWS error bodies', () => {
    expect(
      awsErrorSummary({
        headers: {},
        body: Buffer.from('<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>'),
      }),
    ).toBe('SlowDown: Reduce your request rate.');
    expect(awsErrorSummary({ headers: {}, body: Buffer.from('plain   text\n error') })).toBe('plain text error');
  });
});

describe('checkHealth log lines', () => {
  function capture() {
    const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
    const log = createLogger({
      write: (line) => {
        const { '@level': level, '@message': message, ...fields } = JSON.parse(line) as Record<string, unknown>;
        lines.push({ level: String(level), message: String(message), fields });
      },
    });
    return { lines, log };
  }
  const withDs = {
    ...req,
    pluginContext: {
      ...req.pluginContext,
      dataSourceInstanceSettings: {
        id: 1,
        uid: 'u',
        name: 'n',
        url: '',
        jsonData: {},
        decryptedSecureJsonData: {},
        lastUpdatedMS: 1,
      } as never,
    },
  };

  it('writes one warn line per failed check with the data source, step, kind and URL without query values', async () => {
    const { lines, log } = capture();
    const d = { ...deps(() => ok('<ErrorResponse/>', 403)), log };
    await checkHealth(withDs, d);
    const test = {
      ...deps((r) => (r.url.includes('test') ? ok('no', 500) : ok(IDENTITY)), {
        testUrl: 'https://api.example.com/test?key=SECRET',
      }),
      log,
    };
    await checkHealth(withDs, test);
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ['warn', 'health check failed'],
      ['warn', 'health check failed'],
    ]);
    expect(lines[0].fields).toMatchObject({
      uid: 'u',
      name: 'n',
      step: 'identity',
      kind: 'aws_answer',
      status: 403,
      url: 'https://sts.eu-west-1.amazonaws.com/',
    });
    expect(lines[1].fields).toMatchObject({ step: 'testUrl', url: 'https://api.example.com/test?key=' });
    expect(JSON.stringify(lines)).not.toContain('SECRET');
  });

  it('writes one line for a settings failure and none for a passing check', async () => {
    const { lines, log } = capture();
    await checkHealth(withDs, {
      instances: fixedInstances(() => {
        throw sigilError('settings', 'invalid data source settings for "n": x');
      }),
      redactor: createRedactor(),
      log,
    });
    await checkHealth(withDs, { ...deps(() => ok(IDENTITY)), log });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'warn',
      message: 'health check failed',
      fields: { uid: 'u', name: 'n', step: 'settings', kind: 'settings' },
    });
  });
});
