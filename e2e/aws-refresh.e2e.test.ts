// Refresh across expiry: assumed-role credentials that live 2.5 s, 1000 signed requests spanning several
// expiries, against an STS fake that refuses expired credentials the way AWS does. No request may fail.
import { CachingInstanceProvider } from '../backend/instances/provider';
import { createRedactor } from '../backend/redaction';
import type { PluginContext } from '../backend/protocol/types';
import { startShortLivedSts, type ShortLivedSts } from './lib/fakes/sts';
import { runGrafanaHost } from './lib/grafanaHost';

let sts: ShortLivedSts;
beforeAll(async () => {
  sts = await startShortLivedSts(2500);
});
afterAll(async () => {
  await sts.close();
});

function context(endpoint: string): PluginContext {
  return {
    orgId: 1,
    pluginId: 'sigil-awsapi-datasource',
    pluginVersion: 'test',
    grafanaConfig: {},
    userAgent: 'test',
    dataSourceInstanceSettings: {
      id: 1,
      uid: 'refresh',
      name: 'refresh',
      url: '',
      user: '',
      database: '',
      basicAuthEnabled: false,
      basicAuthUser: '',
      jsonData: { authType: 'keys', endpoint, assumeRoleArn: 'arn:aws:iam::123456789012:role/short' },
      jsonDataRaw: '',
      decryptedSecureJsonData: { accessKey: 'AKIABASE', secretKey: 'base-secret' },
      lastUpdatedMS: 1,
      apiVersion: '',
    },
  };
}

it('1000 requests across credential expiries: 0 failures, a few shared refreshes', async () => {
  const provider = new CachingInstanceProvider({ env: {}, redactor: createRedactor() });
  const instance = await provider.use(context(sts.url), async (i) => i);
  const started = Date.now();
  let failures = 0;
  let done = 0;
  const concurrency = 10;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (done < 1000) {
        done++;
        const res = await instance.proxy.send({
          method: 'POST',
          url: `${sts.url}/`,
          service: 'sts',
          body: 'Action=GetCallerIdentity&Version=2011-06-15',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        if (res.status !== 200) failures++;
        await new Promise((r) => setTimeout(r, 40)); // spread the requests over several lifetimes
      }
    }),
  );
  const elapsed = Date.now() - started;
  await provider.disposeAll();
  expect(elapsed).toBeGreaterThan(3000); // the run really crossed at least two expiries
  expect(failures).toBe(0);
  expect(sts.expiredRefusals()).toBe(0);
  expect(sts.assumeRoleCalls()).toBeGreaterThanOrEqual(2);
  // One refresh per lifetime (2.5 s, refreshed ~0.8 s early), not one per request.
  expect(sts.assumeRoleCalls()).toBeLessThanOrEqual(Math.ceil(elapsed / 1500) + 1);
  expect(instance.credentials.stsCalls).toBe(sts.assumeRoleCalls());
});

// The same through the built executable, driven by Grafana's plugin client: 1000 QueryData queries (200 calls
// of 5) read GetCallerIdentity with assumed-role credentials that live 0.5 s. Every query must answer; the run
// must cross several expiries, with one AssumeRole per lifetime rather than one per query.
it('through the built plugin: 1000 queries across expiries, 0 failures', async () => {
  const lifetimeMs = 500;
  const shortSts = await startShortLivedSts(lifetimeMs);
  try {
    const dataSource = {
      uid: 'refresh-plugin',
      jsonData: { authType: 'keys', endpoint: shortSts.url, assumeRoleArn: 'arn:aws:iam::123456789012:role/short' },
      secureJsonData: { accessKey: 'AKIABASE', secretKey: 'base-secret' },
      lastUpdatedMS: 1,
    };
    const query = {
      queryType: 'http',
      method: 'POST',
      url: '/',
      bodyType: 'form',
      service: 'sts',
      format: 'xml',
      form: [
        { key: 'Action', value: 'GetCallerIdentity' },
        { key: 'Version', value: '2011-06-15' },
      ],
      rootSelector: 'GetCallerIdentityResponse.GetCallerIdentityResult',
    };
    // 10 ms between calls: at least 2 s in all, several lifetimes however fast the machine is.
    const calls = Array.from({ length: 200 }, (_, c) => ({
      kind: 'queryData' as const,
      pauseMs: 10,
      dataSource,
      queries: Array.from({ length: 5 }, (_, q) => ({ refId: `Q${c}-${q}`, queryType: 'http', json: query })),
    }));
    const started = Date.now();
    const results = await runGrafanaHost({ calls, valuesLimit: 1 });
    const elapsed = Date.now() - started;
    const responses = results.flatMap((r) => Object.values(r.responses ?? {}));
    expect(responses).toHaveLength(1000);
    const failed = responses.filter((r) => r.error || r.frames.length !== 1);
    expect(failed.map((r) => r.error)).toEqual([]);
    expect(shortSts.expiredRefusals()).toBe(0);
    const generations = shortSts.assumeRoleCalls();
    console.log(
      `1000 queries through the plugin in ${elapsed} ms with ${lifetimeMs} ms credentials: ${generations} AssumeRole calls, 0 failures`,
    );
    expect(elapsed).toBeGreaterThan(4 * lifetimeMs); // the run really crossed expiries
    expect(generations).toBeGreaterThanOrEqual(4);
    expect(generations).toBeLessThanOrEqual(Math.ceil(elapsed / (lifetimeMs / 2)) + 1);
  } finally {
    await shortSts.close();
  }
});
