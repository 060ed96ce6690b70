// The STS rule against moto's real STS (IAM authentication on, signatures checked): GetSessionToken and
// AssumeRole asked by a query, directly or through a 302 from an allowed loopback API, are refused before
// moto sees them, while GetCallerIdentity through the same stack is signed correctly and answers.
import { runGrafanaHostDetailed, type HostRun } from './lib/grafanaHost';
import { startFake, type FakeServer } from './lib/fakes/server';
import { startMoto, type Moto } from './lib/moto';

const ISOLATED_ENV = {
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
};

let moto: Moto;
let api: FakeServer;
let run: HostRun;

const stsForm = (action: string, extra: Array<{ key: string; value: string }> = []) => ({
  method: 'POST',
  url: '/',
  service: 'sts',
  format: 'xml',
  bodyType: 'form',
  form: [{ key: 'Action', value: action }, { key: 'Version', value: '2011-06-15' }, ...extra],
});

beforeAll(async () => {
  moto = await startMoto();
  api = await startFake((req, res) => {
    if (req.path === '/api/to-moto')
      res.writeHead(302, { location: `${moto.endpoint}/?Action=GetSessionToken&Version=2011-06-15` }).end();
    else res.writeHead(404).end();
  });
  const dataSource = {
    uid: 'moto-sts',
    name: 'moto sts',
    lastUpdatedMS: 1,
    jsonData: {
      authType: 'keys',
      endpoint: moto.endpoint,
      defaultRegion: 'us-east-1',
      allowedUrls: [`${api.url}/api/`],
    },
    secureJsonData: { accessKey: moto.admin.accessKeyId, secretKey: moto.admin.secretAccessKey },
  };
  run = await runGrafanaHostDetailed({
    env: ISOLATED_ENV,
    calls: [
      {
        kind: 'queryData',
        dataSource,
        queries: [
          { refId: 'token', json: stsForm('GetSessionToken') },
          {
            refId: 'assume',
            json: stsForm('AssumeRole', [
              { key: 'RoleArn', value: moto.role.arn },
              { key: 'RoleSessionName', value: 'q' },
              { key: 'ExternalId', value: moto.role.externalId },
            ]),
          },
          {
            refId: 'redirect',
            json: { method: 'GET', url: `${api.url}/api/to-moto`, service: 'execute-api', format: 'xml' },
          },
          {
            refId: 'identity',
            json: {
              ...stsForm('GetCallerIdentity'),
              rootSelector: 'GetCallerIdentityResponse.GetCallerIdentityResult',
            },
          },
        ],
      },
    ],
  });
});
afterAll(async () => {
  await Promise.all([moto?.stop(), api?.close()]);
});

it.each(['token', 'assume', 'redirect'])('refuses the %s query with a url_refused error naming the action', (refId) => {
  const res = run.results[0].responses?.[refId];
  expect(res?.status).toBe(403);
  expect(res?.frames).toEqual([]);
  expect(res?.error).toMatch(/the action (GetSessionToken|AssumeRole) returns AWS credentials/);
});

it('keeps GetCallerIdentity working with a signature moto accepts', () => {
  const res = run.results[0].responses?.identity;
  expect(res?.error).toBeUndefined();
  expect(JSON.stringify(res?.frames)).toContain(moto.admin.arn);
});

it('shows no secret anywhere', () => {
  const everything = JSON.stringify(run.results) + run.stderr;
  expect(everything).not.toContain(moto.admin.secretAccessKey);
});
