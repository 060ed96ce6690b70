// The outgoing path through the BUILT plugin under Grafana's plugin client: a query cannot mint AWS
// credentials (named directly, in other spellings, or reached by a 302 from an allowed server), and a
// hanging STS AssumeRole ends at the data source's timeoutSeconds with an error naming the step.
// The broad attack suite lives in e2e/attack/; these are the outgoing layers' own proofs.
import { runGrafanaHostDetailed, type HostCall, type HostRun } from './lib/grafanaHost';
import { startFake, type FakeServer } from './lib/fakes/server';
import { startMintingSts, type MintingSts } from './lib/fakes/sts';

const ISOLATED_ENV = {
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
};
const BASE_SECRET = 'base-secret-Vt5rE8wQ2zXc6Bn1';

let sts: MintingSts;
let api: FakeServer;

beforeAll(async () => {
  sts = await startMintingSts();
  api = await startFake((req, res) => {
    if (req.path === '/api/to-sts') {
      res.writeHead(302, { location: `${sts.url}/?Action=GetSessionToken&Version=2011-06-15` }).end();
    } else if (req.path === '/api/to-sts-lower') {
      res.writeHead(307, { location: `${sts.url}/?action=getsessiontoken` }).end();
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    }
  });
});
afterAll(async () => {
  await Promise.all([sts?.close(), api?.close()]);
});

function dataSource(uid: string, jsonData: Record<string, unknown> = {}) {
  return {
    uid,
    name: `outgoing ${uid}`,
    lastUpdatedMS: 1,
    jsonData: {
      authType: 'keys',
      region: 'us-east-1',
      endpoint: sts.url,
      allowedUrls: [`${api.url}/api/`],
      ...jsonData,
    },
    secureJsonData: { accessKey: 'AKIAOUTGOINGBASE0001', secretKey: BASE_SECRET },
  };
}

/** Key/value rows as the editor keeps form fields and headers, in order (repeats kept). */
const keyValues = (...fields: Array<[string, string]>) => fields.map(([key, value]) => ({ key, value }));

/** A signed POST to the data source's STS endpoint. */
const stsPost = (request: Record<string, unknown>) => ({ method: 'POST', url: '/', service: 'sts', ...request });

/** Each case: a name, the query, and for the redirect cases the allowed API path that answers with the redirect. */
const mintingQueries: Array<[string, Record<string, unknown>, string?]> = [
  [
    'form GetSessionToken',
    stsPost({ bodyType: 'form', form: keyValues(['Action', 'GetSessionToken'], ['Version', '2011-06-15']) }),
  ],
  [
    'query string AssumeRole, lower case',
    {
      method: 'GET',
      url: '/?action=assumerole&RoleArn=arn:aws:iam::123456789012:role/r&RoleSessionName=s',
      service: 'sts',
    },
  ],
  [
    'raw body, encoded',
    stsPost({
      bodyType: 'raw',
      body: 'Version=2011-06-15&Action=GetFederation%54oken&Name=x',
      headers: keyValues(['Content-Type', 'application/x-www-form-urlencoded']),
    }),
  ],
  [
    'duplicated Action',
    stsPost({ bodyType: 'form', form: keyValues(['Action', 'GetCallerIdentity'], ['Action', 'GetSessionToken']) }),
  ],
  [
    'X-Amz-Target',
    stsPost({
      bodyType: 'json',
      body: '{}',
      headers: keyValues(['X-Amz-Target', 'AWSSecurityTokenServiceV20110615.GetSessionToken']),
    }),
  ],
  ['302 from an allowed API', { method: 'GET', service: 'execute-api' }, '/api/to-sts'],
  ['307 from an allowed API, lower case', { method: 'GET', service: 'execute-api' }, '/api/to-sts-lower'],
];

describe('a query cannot mint credentials', () => {
  let run: HostRun;
  beforeAll(async () => {
    const queries = mintingQueries.map(([, q, apiPath], i) => {
      const url = apiPath ? `${api.url}${apiPath}` : (q.url as string);
      return { refId: `Q${i}`, json: { ...q, url, format: 'xml' } };
    });
    const calls: HostCall[] = [
      { kind: 'queryData', dataSource: dataSource('mint'), queries },
      { kind: 'checkHealth', dataSource: dataSource('mint') },
      // 40 queries of one request share one cancellation signal.
      {
        kind: 'queryData',
        dataSource: dataSource('mint'),
        queries: Array.from({ length: 40 }, (_, i) => ({
          refId: `M${i}`,
          json: { method: 'GET', url: `${api.url}/api/data?i=${i}`, service: 'execute-api', format: 'json' },
        })),
      },
    ];
    run = await runGrafanaHostDetailed({ env: ISOLATED_ENV, calls });
  });

  it.each(mintingQueries.map(([name], i) => [name, i] as const))('refuses %s with a url_refused error', (_name, i) => {
    const res = run.results[0].responses?.[`Q${i}`];
    expect(res?.frames).toEqual([]);
    expect(res?.status).toBe(403);
    expect(res?.errorSource).toBe('plugin');
    expect(res?.error).toMatch(
      /the action (GetSessionToken|AssumeRole|GetFederationToken) returns AWS credentials, which a query may not read/,
    );
  });

  it('never reached STS with a minting call, and no output or log line carries a minted or configured secret', () => {
    expect(sts.mintingCalls()).toBe(0);
    const everything = JSON.stringify(run.results) + run.stderr;
    for (const secret of [sts.minted.secretAccessKey, sts.minted.sessionToken, sts.minted.accessKeyId, BASE_SECRET])
      expect(everything).not.toContain(secret);
  });

  it('keeps the identity check working on the same stack', () => {
    expect(run.results[1].status).toBe('OK');
    expect(run.results[1].message).toMatch(/arn:aws:iam::123456789012:user\/sigil/);
  });

  it('answers 40 queries of one request and prints no Node warning on stderr', () => {
    const answers = Object.values(run.results[2].responses ?? {});
    expect(answers).toHaveLength(40);
    expect(answers.every((r) => r.status === 200 && r.error === undefined)).toBe(true);
    expect(run.stderr).not.toMatch(/Warning:|MaxListenersExceeded/);
  });
});

describe('a hanging STS', () => {
  it('ends a query and a health check near timeoutSeconds with a timeout naming the AssumeRole step', async () => {
    sts.hangAssumeRole(true);
    try {
      const ds = dataSource('hang', {
        assumeRoleArn: 'arn:aws:iam::123456789012:role/slow',
        externalId: 'ext',
        timeoutSeconds: 2,
      });
      const run = await runGrafanaHostDetailed({
        env: ISOLATED_ENV,
        calls: [
          {
            kind: 'queryData',
            dataSource: ds,
            queries: [
              {
                refId: 'A',
                json: stsPost({
                  bodyType: 'form',
                  form: keyValues(['Action', 'GetCallerIdentity'], ['Version', '2011-06-15']),
                  format: 'xml',
                }),
              },
            ],
          },
          { kind: 'checkHealth', dataSource: { ...ds, lastUpdatedMS: 2 } },
        ],
      });
      const [query, health] = run.results;
      const res = query.responses?.A;
      expect(res?.status).toBe(504);
      expect(res?.error).toMatch(
        /STS AssumeRole of arn:aws:iam::123456789012:role\/slow at http:\/\/127\.0\.0\.1:\d+ did not answer within 2 s \(timeoutSeconds\)/,
      );
      // Well before the host's own 30 s deadline: the data source's timeout ended it.
      expect(query.elapsedMs).toBeLessThan(20_000);
      expect(health.status).toBe('ERROR');
      expect(health.message).toMatch(/did not answer within 2 s \(timeoutSeconds\)/);
      expect(health.elapsedMs).toBeLessThan(20_000);
    } finally {
      sts.hangAssumeRole(false);
    }
  });
});
