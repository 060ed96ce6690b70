// The Grafana server's outbound proxy (HTTP_PROXY / HTTPS_PROXY / NO_PROXY in its environment, which the
// plugin inherits) carries the signed requests, including STS AssumeRole; moto, behind the proxy, still
// verifies every signature. NO_PROXY sends them direct.
import { runGrafanaHost, type HostCall } from './lib/grafanaHost';
import { startMoto, type Moto } from './lib/moto';
import { startForwardProxy, type ForwardProxy } from './lib/fakes/forwardProxy';

let moto: Moto;
let proxy: ForwardProxy;
beforeAll(async () => {
  moto = await startMoto();
  proxy = await startForwardProxy();
});
afterAll(async () => {
  await proxy?.close();
  await moto?.stop();
});

const ISOLATED_ENV = {
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
};

function assumeRoleHealth(): HostCall {
  return {
    kind: 'checkHealth',
    dataSource: {
      uid: 'via-proxy',
      jsonData: {
        authType: 'keys',
        endpoint: moto.endpoint,
        defaultRegion: 'us-east-1',
        assumeRoleArn: moto.role.arn,
        externalId: moto.role.externalId,
      },
      secureJsonData: { accessKey: moto.user.accessKeyId, secretKey: moto.user.secretAccessKey },
      lastUpdatedMS: 1,
    },
  };
}

it('sends AssumeRole and the signed identity call through HTTP_PROXY', async () => {
  proxy.carried.length = 0;
  const [health] = await runGrafanaHost({
    env: { ...ISOLATED_ENV, HTTP_PROXY: proxy.url, NO_PROXY: '' },
    calls: [assumeRoleHealth()],
  });
  expect(health.status).toBe('OK');
  expect(health.message).toContain(`assumed-role/${moto.role.arn.split('/').pop()}`);
  const viaProxy = proxy.carried.filter((c) => c.startsWith(`POST ${moto.endpoint}/`));
  // One AssumeRole (the STS client) and one GetCallerIdentity (the signing proxy), both through the proxy.
  expect(viaProxy.length).toBeGreaterThanOrEqual(2);
});

it('goes direct to hosts NO_PROXY names', async () => {
  proxy.carried.length = 0;
  const [health] = await runGrafanaHost({
    env: { ...ISOLATED_ENV, HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' },
    calls: [assumeRoleHealth()],
  });
  expect(health.status).toBe('OK');
  expect(proxy.carried).toEqual([]);
});
