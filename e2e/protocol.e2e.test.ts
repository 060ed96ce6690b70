// The plugin executable under Grafana's own plugin client, driven through the grafana-host CLI that the other
// e2e tests use: frames decoded by the Go SDK, per-refId errors, resources, and no secret in any log line.
import { runGrafanaHostDetailed, PLUGIN_EXECUTABLE } from './lib/grafanaHost';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const SECRET = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCY-E2E-SECRET';

const built = existsSync(PLUGIN_EXECUTABLE);
if (!built && (process.env.CI || process.env.SIGIL_REQUIRE_DIST)) {
  throw new Error(`${PLUGIN_EXECUTABLE} is missing; run npm run build`);
}
const describeBuilt = built ? describe : describe.skip;

const CALLER_IDENTITY =
  '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/e2e</Arn>' +
  '<UserId>AIDAE2E</UserId><Account>111122223333</Account></GetCallerIdentityResult></GetCallerIdentityResponse>';

describeBuilt('plugin protocol through grafana-host', () => {
  // A loopback STS that answers GetCallerIdentity to signed requests: the health check has one known outcome.
  let sts: Server;
  let stsUrl: string;
  beforeAll(async () => {
    sts = createServer((req, res) => {
      const signed = /^AWS4-HMAC-SHA256 /.test(req.headers.authorization ?? '');
      res.writeHead(signed ? 200 : 403, { 'content-type': 'text/xml' });
      res.end(signed ? CALLER_IDENTITY : '<Error><Code>MissingAuthenticationToken</Code></Error>');
    });
    await new Promise<void>((resolve) => sts.listen(0, '127.0.0.1', resolve));
    stsUrl = `http://127.0.0.1:${(sts.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => sts.close(() => resolve()));
  });

  it('answers 40 queries of one request sharing its cancellation, with no Node warning on stderr', async () => {
    const dataSource = {
      uid: 'e2e-forty',
      name: 'forty',
      jsonData: { authType: 'keys', defaultRegion: 'us-east-1', endpoint: stsUrl },
      secureJsonData: { accessKey: 'AKIAE2EFORTYQUERIES', secretKey: SECRET },
      lastUpdatedMS: 1,
    };
    const queries = Array.from({ length: 40 }, (_, i) => ({
      refId: `Q${i}`,
      json: {
        method: 'POST',
        url: '/',
        bodyType: 'form',
        form: [
          { key: 'Action', value: 'GetCallerIdentity' },
          { key: 'Version', value: '2011-06-15' },
        ],
        format: 'xml',
        service: 'sts',
      },
    }));
    const run = await runGrafanaHostDetailed({ calls: [{ kind: 'queryData', dataSource, queries }] });
    expect(run.exitCode).toBe(0);
    const responses = run.results[0].responses!;
    expect(Object.keys(responses)).toHaveLength(40);
    expect(Object.values(responses).filter((r) => r.error)).toEqual([]);
    expect(run.stderr).not.toMatch(/Warning|MaxListeners/);
  });

  it('answers echo queries, per-refId errors and resources on one process, logging no secret', async () => {
    const dataSource = {
      uid: 'e2e-protocol',
      name: 'protocol',
      jsonData: { authType: 'keys', defaultRegion: 'us-east-1', endpoint: stsUrl },
      secureJsonData: { accessKey: 'AKIAE2EPROTOCOLTEST', secretKey: SECRET },
      lastUpdatedMS: 1,
    };
    const run = await runGrafanaHostDetailed({
      env: { SIGIL_LOG_LEVEL: 'trace' },
      calls: [
        {
          kind: 'queryData',
          dataSource,
          queries: [
            {
              refId: 'A',
              queryType: 'echo',
              json: { values: [1, null, 3], strings: ['x', null, 'z'], labels: { k: 'v' } },
              from: 1000,
              to: 3000,
            },
            { refId: 'B', rawJson: '{"queryType": "echo",' },
            { refId: 'C', queryType: 'no-such-type', json: {} },
          ],
        },
        { kind: 'callResource', dataSource, path: 'version' },
        { kind: 'checkHealth', dataSource },
        { kind: 'collectMetrics' },
      ],
    });
    expect(run.exitCode).toBe(0);
    const [query, resource, health, metrics] = run.results;

    const a = query.responses!.A;
    expect(a.error).toBeUndefined();
    expect(a.frames).toHaveLength(1);
    const frame = a.frames[0];
    expect(frame.refId).toBe('A');
    expect(frame.fields.map((f) => [f.name, f.type, f.goType])).toEqual([
      ['time', 'time', '*time.Time'],
      ['value', 'number', '*float64'],
      ['text', 'string', '*string'],
    ]);
    expect(frame.fields[0].values).toEqual([1000, 2000, 3000]);
    expect(frame.fields[1].values).toEqual([1, null, 3]);
    expect(frame.fields[1].labels).toEqual({ k: 'v' });
    expect(frame.fields[2].values).toEqual(['x', null, 'z']);
    expect(query.responses!.B).toMatchObject({
      status: 400,
      errorSource: 'plugin',
      error: expect.stringMatching(/malformed/),
    });
    expect(query.responses!.C).toMatchObject({ status: 400, error: expect.stringContaining('no-such-type') });

    expect(resource).toMatchObject({ code: 200, json: { version: expect.any(String) } });
    expect(health.status).toBe('OK');
    expect(health.message).toContain('arn:aws:iam::111122223333:user/e2e');
    expect(metrics.prometheus).toContain('sigil_grpc_requests_total{method="QueryData",code="OK"} 1');

    // Nothing the plugin returned or logged carries the secret key.
    expect(run.stderr).not.toMatch(/Warning/);
    expect(JSON.stringify(run.results)).not.toContain(SECRET);
    expect(run.stderr).toContain('plugin started');
    expect(run.stderr).not.toContain(SECRET);
  });
});
