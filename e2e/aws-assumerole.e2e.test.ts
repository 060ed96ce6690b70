// What Sigil sends to STS AssumeRole (session name, External ID, duration from Grafana's [aws] options),
// and how a refusal for a missing External ID is reported. moto 5.2.5 does not refuse a *missing*
// External ID (its trust-policy check skips absent condition keys; a wrong one is refused and covered in
// aws-moto.e2e.test.ts), so this fake STS refuses it the way AWS does.
import { createPlugin } from '../backend/plugin';
import type { CheckHealthRequest } from '../backend/protocol/types';
import { startFake, type FakeServer } from './lib/fakes/server';

const EXPECTED_EXTERNAL_ID = 'grafana-ext-42';
let sts: FakeServer;

beforeAll(async () => {
  sts = await startFake((req, res) => {
    const p = new URLSearchParams(req.body);
    if (p.get('Action') === 'AssumeRole' && p.get('ExternalId') !== EXPECTED_EXTERNAL_ID) {
      res
        .writeHead(403, { 'content-type': 'text/xml' })
        .end(
          '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>' +
            `<Message>User: arn:aws:iam::123456789012:user/u is not authorized to perform: sts:AssumeRole on resource: ${p.get('RoleArn')}</Message></Error></ErrorResponse>`,
        );
      return;
    }
    if (p.get('Action') === 'AssumeRole') {
      res
        .writeHead(200, { 'content-type': 'text/xml' })
        .end(
          '<AssumeRoleResponse><AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn><AssumedRoleId>A:s</AssumedRoleId></AssumedRoleUser>' +
            `<Credentials><AccessKeyId>ASIAFAKE</AccessKeyId><SecretAccessKey>assumed-secret-value</SecretAccessKey><SessionToken>assumed-token-value</SessionToken><Expiration>${new Date(Date.now() + 3600_000).toISOString()}</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>`,
        );
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/xml' })
      .end(
        '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn><UserId>A:s</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>',
      );
  });
});
afterAll(async () => {
  await sts.close();
});

function health(
  uid: string,
  jsonData: Record<string, unknown>,
  grafanaConfig: Record<string, string> = {},
): CheckHealthRequest {
  return {
    headers: {},
    pluginContext: {
      orgId: 1,
      pluginId: 'sigil-awsapi-datasource',
      pluginVersion: 't',
      userAgent: '',
      grafanaConfig,
      dataSourceInstanceSettings: {
        id: 1,
        uid,
        name: uid,
        url: '',
        user: '',
        database: '',
        basicAuthEnabled: false,
        basicAuthUser: '',
        jsonDataRaw: '',
        jsonData: {
          authType: 'keys',
          endpoint: sts.url,
          assumeRoleArn: 'arn:aws:iam::123456789012:role/target',
          ...jsonData,
        },
        decryptedSecureJsonData: { accessKey: 'AKIABASE', secretKey: 'base-secret-value' },
        lastUpdatedMS: 1,
        apiVersion: '',
      },
    },
  };
}

it('sends the session name, External ID and the [aws] session duration', async () => {
  const { handlers } = createPlugin({});
  const r = await handlers.checkHealth(
    health('P1809F7CD0C75ACF3', { externalId: EXPECTED_EXTERNAL_ID }, { AWS_AUTH_SESSION_DURATION: '1h' }),
  );
  await handlers.dispose();
  expect(r.status).toBe('OK');
  const call = new URLSearchParams(sts.requests.find((q) => q.body.includes('Action=AssumeRole'))!.body);
  expect(Object.fromEntries(call)).toMatchObject({
    RoleArn: 'arn:aws:iam::123456789012:role/target',
    RoleSessionName: 'grafana-sigil-P1809F7CD0C75ACF3',
    ExternalId: EXPECTED_EXTERNAL_ID,
    DurationSeconds: '3600',
  });
  // The identity call is signed with the assumed credentials, not the base keys.
  const identity = sts.requests.find((q) => q.body.includes('GetCallerIdentity'))!;
  expect(identity.headers.authorization).toMatch(/Credential=ASIAFAKE\//);
  expect(identity.headers['x-amz-security-token']).toBe('assumed-token-value');
  expect(JSON.stringify(r)).not.toMatch(/assumed-secret-value|assumed-token-value|base-secret-value/);
});

it('reports a refusal for a missing External ID at the AssumeRole step, with a hint', async () => {
  const { handlers } = createPlugin({});
  const before = sts.requests.length;
  const r = await handlers.checkHealth(health('no-ext', {}));
  await handlers.dispose();
  const sent = new URLSearchParams(sts.requests[before].body);
  expect(sent.has('ExternalId')).toBe(false);
  expect(r.status).toBe('ERROR');
  expect(r.message).toMatch(
    /^AssumeRole failed: STS AssumeRole of arn:aws:iam::123456789012:role\/target at http:\/\/127\.0\.0\.1:\d+ failed: AccessDenied: .*not authorized to perform: sts:AssumeRole/,
  );
  expect(r.message).toMatch(/no External ID was sent; set externalId if the role requires one/);
  expect(r.jsonDetails).toMatchObject({ step: 'assumeRole' });
});
