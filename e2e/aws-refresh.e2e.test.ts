// Refresh across expiry: assumed-role credentials that live 2.5 s, 1000 signed requests spanning several
// expiries, against an STS fake that refuses expired credentials the way AWS does. No request may fail.
import { CachingInstanceProvider } from '../backend/instances';
import type { PluginContext } from '../backend/protocol/types';
import { startShortLivedSts, type ShortLivedSts } from './lib/fakes/sts';

let sts: ShortLivedSts;
beforeAll(async () => {
  sts = await startShortLivedSts(2500);
});
afterAll(async () => {
  await sts.close();
});

function context(endpoint: string): PluginContext {
  return {
    orgId: 1, pluginId: 'sigil-awsapi-datasource', pluginVersion: 'test', grafanaConfig: {}, userAgent: 'test',
    dataSourceInstanceSettings: {
      id: 1, uid: 'refresh', name: 'refresh', url: '', user: '', database: '', basicAuthEnabled: false, basicAuthUser: '',
      jsonData: { authType: 'keys', endpoint, assumeRoleArn: 'arn:aws:iam::123456789012:role/short' }, jsonDataRaw: '',
      decryptedSecureJsonData: { accessKey: 'AKIABASE', secretKey: 'base-secret' }, lastUpdatedMS: 1, apiVersion: '',
    },
  };
}

it('1000 requests across credential expiries: 0 failures, a few shared refreshes', async () => {
  const provider = new CachingInstanceProvider({ env: {} });
  const instance = await provider.get(context(sts.url));
  const started = Date.now();
  let failures = 0;
  let done = 0;
  const concurrency = 10;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (done < 1000) {
      done++;
      const res = await instance.proxy.send({
        method: 'POST', url: `${sts.url}/`, service: 'sts', body: 'Action=GetCallerIdentity&Version=2011-06-15',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      if (res.status !== 200) failures++;
      await new Promise((r) => setTimeout(r, 40)); // spread the requests over several lifetimes
    }
  }));
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
