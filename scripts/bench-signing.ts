// Signing and credentials benchmark. Run: npx tsx scripts/bench-signing.ts
// Prints: SigV4 signing time per request (p50/p99, 1 KB and 1 MB bodies, S3 and non-S3); STS AssumeRole
// calls per 1000 signed requests (with the process CPU time per request through the outgoing stack);
// the STS rule's scan and the inflation of a 1 MB answer; what each layer of the outgoing stack costs per
// request (BENCH_LAYERS=0 skips it); time to first credentials per provider.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signRequest } from '../backend/aws/sign';
import { createCredentialSource } from '../backend/aws/credentials';
import { CachingInstanceProvider } from '../backend/instances/provider';
import { createRedactor } from '../backend/redaction';
import type { Settings } from '../backend/settings/types';
import type { PluginContext } from '../backend/protocol/types';
import { startImds } from '../e2e/lib/fakes/imds';
import { ECS_PATH, startEcsCredentials } from '../e2e/lib/fakes/ecs';
import { startShortLivedSts, startWebIdentitySts } from '../e2e/lib/fakes/sts';
import { gzipSync } from 'node:zlib';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { carriesCredentials, refusedAction } from '../backend/aws/stsActions';
import { createTransport } from '../backend/http/transport';
import { signingLayer } from '../backend/http/signing';
import { defaultRetryPolicy, retryLayer } from '../backend/http/retries';
import { credentialGuardLayer } from '../backend/http/credentialGuard';
import { urlGuardLayer } from '../backend/http/urlGuard';
import { redirectLayer } from '../backend/http/redirects';
import { observeLayer } from '../backend/http/observe';
import { parsePrefix } from '../backend/http/allowedUrls';
import { compose } from '../backend/http/stack';
import type { Layer, OutgoingRequest, Send } from '../backend/http/types';
import { systemClock } from '../backend/clock';

const CREDS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'token',
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function benchSigning(label: string, url: string, size: number, iterations: number): Promise<void> {
  const body = new Uint8Array(size).map((_, i) => i % 251);
  const u = new URL(url);
  const target = u.hostname.includes('.s3.')
    ? { service: 's3', region: 'eu-west-1' }
    : { service: 'monitoring', region: 'us-east-1' };
  for (let i = 0; i < 50; i++)
    await signRequest({
      method: 'POST',
      url: u,
      headers: { 'content-type': 'application/json' },
      body,
      target,
      credentials: CREDS,
    });
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = process.hrtime.bigint();
    await signRequest({
      method: 'POST',
      url: u,
      headers: { 'content-type': 'application/json' },
      body,
      target,
      credentials: CREDS,
    });
    times.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  times.sort((a, b) => a - b);
  console.log(
    `sign ${label.padEnd(22)} body ${String(size).padStart(8)} B: p50 ${percentile(times, 50).toFixed(1)} µs  p99 ${percentile(times, 99).toFixed(1)} µs  (n=${iterations})`,
  );
}

async function stsCallsPer1000(lifetimeMs: number, paceMs: number): Promise<void> {
  const sts = await startShortLivedSts(lifetimeMs);
  const provider = new CachingInstanceProvider({ env: {}, redactor: createRedactor() });
  const ctx: PluginContext = {
    orgId: 1,
    pluginId: 'sigil-awsapi-datasource',
    pluginVersion: 'bench',
    grafanaConfig: {},
    userAgent: 'bench',
    dataSourceInstanceSettings: {
      id: 1,
      uid: 'bench',
      name: 'bench',
      url: '',
      user: '',
      database: '',
      basicAuthEnabled: false,
      basicAuthUser: '',
      jsonData: { authType: 'keys', endpoint: sts.url, assumeRoleArn: 'arn:aws:iam::123456789012:role/short' },
      jsonDataRaw: '',
      decryptedSecureJsonData: { accessKey: 'AKIABASE', secretKey: 'base-secret' },
      lastUpdatedMS: 1,
      apiVersion: '',
    },
  };
  const instance = await provider.use(ctx, async (i) => i);
  let failures = 0;
  let n = 0;
  const started = Date.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (n < 1000) {
        n++;
        const res = await instance.proxy.send({
          method: 'POST',
          url: `${sts.url}/`,
          service: 'sts',
          body: 'Action=GetCallerIdentity&Version=2011-06-15',
        });
        if (res.status !== 200) failures++;
        if (paceMs) await new Promise((r) => setTimeout(r, paceMs));
      }
    }),
  );
  const elapsed = Date.now() - started;
  const used = process.cpuUsage(cpu);
  console.log(
    `AssumeRole credentials living ${lifetimeMs / 1000} s: 1000 requests in ${(elapsed / 1000).toFixed(1)} s -> ${sts.assumeRoleCalls()} STS AssumeRole calls, ${failures} failures, ${sts.expiredRefusals()} expired-credential refusals` +
      ` (process CPU ${((used.user + used.system) / 1000 / 1000).toFixed(3)} ms per request, client and fake server)`,
  );
  await provider.disposeAll();
  await sts.close();
}

async function timeToFirst(label: string, settings: Settings, env: Record<string, string>, runs = 15): Promise<void> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const source = createCredentialSource(settings);
      const t = process.hrtime.bigint();
      await source.get();
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      source.dispose();
    }
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
  times.sort((a, b) => a - b);
  console.log(
    `first credentials ${label.padEnd(34)} median ${percentile(times, 50).toFixed(2)} ms  max ${times[times.length - 1].toFixed(2)} ms  (n=${runs})`,
  );
}

async function timed(label: string, iterations: number, work: () => unknown | Promise<unknown>): Promise<void> {
  for (let i = 0; i < 5; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = process.hrtime.bigint();
    await work();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(48)} p50 ${percentile(times, 50).toFixed(3)} ms  p99 ${percentile(times, 99).toFixed(3)} ms  (n=${iterations})`,
  );
}

/** A loopback HTTP server and a keep-alive transport to it; `close` stops both. */
async function loopbackTransport(
  handler: http.RequestListener,
): Promise<{ base: string; send: Send; close: () => void }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const agent = new http.Agent({ keepAlive: true });
  const send = createTransport({
    agentFor: () => agent,
    timeoutMs: 10_000,
    maxResponseBytes: 50 * 1024 * 1024,
    clock: systemClock,
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    send,
    close: () => {
      agent.destroy();
      server.close();
    },
  };
}

/** The outgoing path's own costs beyond signing: the STS rule and inflating an answer. */
async function benchAnswers(): Promise<void> {
  const json = Buffer.from(
    JSON.stringify(
      Array.from({ length: 12_000 }, (_, i) => ({ id: i, name: `metric-${i}`, value: i * 1.5, tags: ['a', 'b'] })),
    ),
  ).subarray(0, 1024 * 1024);
  await timed('STS rule: request form body (1 KB)', 5000, () =>
    refusedAction({
      url: 'https://sts.amazonaws.com/',
      body: `Action=GetCallerIdentity&Version=2011-06-15&x=${'a'.repeat(950)}`,
    }),
  );
  await timed('STS rule: answer scan (1 MB JSON)', 200, () => carriesCredentials(json));
  const gz = gzipSync(json);
  const { base, send, close } = await loopbackTransport((req, res) =>
    res.writeHead(200, req.url === '/gz' ? { 'content-encoding': 'gzip' } : {}).end(req.url === '/gz' ? gz : json),
  );
  await timed('transport: 1 MB answer, identity', 100, () => send({ method: 'GET', url: `${base}/plain` }));
  await timed(`transport: 1 MB answer, gzip (${(gz.length / 1024).toFixed(0)} KB on the wire)`, 100, () =>
    send({ method: 'GET', url: `${base}/gz` }),
  );
  close();
}

/**
 * What each layer of the outgoing stack costs: the same small request to a loopback server through the
 * transport alone, then with each layer above it added in the stack's order (backend/http/stack.ts). CPU per
 * request is the process's (client and server; the server's share is the same in every row).
 */
async function layerCosts(): Promise<void> {
  const answer = Buffer.from('{"Account":"123456789012","Arn":"arn:aws:iam::123456789012:user/bench"}');
  const {
    base,
    send: transport,
    close,
  } = await loopbackTransport((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(answer));
  const credentials = { get: async () => CREDS };
  const silent = { info: () => undefined, warn: () => undefined };
  const meter = { request: () => undefined };
  // Bottom-up, as stack.ts composes them top-down.
  const layers: [string, Layer][] = [
    [
      '+ signing',
      signingLayer({ credentials, defaults: { service: 'execute-api', region: 'us-east-1' }, userAgent: 'bench' }),
    ],
    ['+ retries', retryLayer(defaultRetryPolicy(), systemClock, silent)],
    ['+ credential guard (STS rule)', credentialGuardLayer()],
    ['+ URL guard', urlGuardLayer([parsePrefix(`${base}/`)])],
    ['+ redirects', redirectLayer(5)],
    ['+ observe (log, metrics)', observeLayer(silent, meter, systemClock)],
  ];
  const stacks: [string, Send][] = [['transport alone', transport]];
  for (let i = 0; i < layers.length; i++)
    stacks.push([
      layers[i][0],
      compose(
        layers
          .slice(0, i + 1)
          .map(([, l]) => l)
          .reverse(),
        transport,
      ),
    ]);
  const request: OutgoingRequest = {
    method: 'POST',
    url: `${base}/`,
    body: '{"a":1}',
    headers: { 'content-type': 'application/json' },
  };
  const N = 3000;
  // Two passes, reporting the second: the first warms every path up (JIT), whichever row it is.
  for (const pass of [1, 2]) {
    for (const [label, send] of stacks) {
      for (let i = 0; i < 300; i++) await send(request);
      const cpu = process.cpuUsage();
      const times: number[] = [];
      for (let i = 0; i < N; i++) {
        const t = process.hrtime.bigint();
        await send(request);
        times.push(Number(process.hrtime.bigint() - t) / 1000);
      }
      const used = process.cpuUsage(cpu);
      times.sort((a, b) => a - b);
      if (pass === 2)
        console.log(
          `outgoing stack ${label.padEnd(32)} p50 ${percentile(times, 50).toFixed(0)} µs  CPU ${((used.user + used.system) / N).toFixed(0)} µs per request  (n=${N}, loopback)`,
        );
    }
  }
  close();
}

async function main(): Promise<void> {
  for (const [label, url] of [
    ['non-S3 (monitoring)', 'https://monitoring.us-east-1.amazonaws.com/'],
    ['S3 (payload header)', 'https://b.s3.eu-west-1.amazonaws.com/k'],
  ]) {
    await benchSigning(label, url, 1024, 5000);
    await benchSigning(label, url, 1024 * 1024, 300);
  }
  await stsCallsPer1000(15 * 60_000, 0);
  await stsCallsPer1000(1500, 40);
  await benchAnswers();
  if (process.env.BENCH_LAYERS !== '0') await layerCosts();

  const base: Settings = {
    uid: 'b',
    name: 'b',
    authType: 'default',
    region: 'us-east-1',
    allowedUrls: [],
    stsEndpoint: 'https://sts.us-east-1.amazonaws.com',
    timeoutMs: 5000,
    maxResponseBytes: 1e6,
    assumeRoleDurationSeconds: 900,
  };
  const clean = {
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const fake = { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake-secret' };
  await timeToFirst('keys (static)', { ...base, authType: 'keys', accessKey: 'A', secretKey: 'S' }, clean);
  const dir = mkdtempSync(join(tmpdir(), 'sigil-bench-'));
  writeFileSync(
    join(dir, 'credentials'),
    '[sigil]\naws_access_key_id = AKIAFILE\naws_secret_access_key = file-secret\n',
  );
  await timeToFirst(
    'credentials (shared file profile)',
    { ...base, authType: 'credentials', profile: 'sigil' },
    { ...clean, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') },
  );
  await timeToFirst('default (environment keys)', base, {
    ...clean,
    AWS_ACCESS_KEY_ID: 'AKIAENV',
    AWS_SECRET_ACCESS_KEY: 'env-secret',
  });
  const imds = await startImds(fake);
  await timeToFirst(
    'ec2_iam_role (IMDSv2 fake)',
    { ...base, authType: 'ec2_iam_role' },
    { ...clean, AWS_EC2_METADATA_DISABLED: 'false', AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url },
  );
  const ecs = await startEcsCredentials(fake, 'Bearer t');
  await timeToFirst('default (ECS container fake)', base, {
    ...clean,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: `${ecs.url}${ECS_PATH}`,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: 'Bearer t',
  });
  const wi = await startWebIdentitySts(fake, 'web-identity-token');
  writeFileSync(join(dir, 'token'), 'web-identity-token');
  await timeToFirst('default (web identity, STS fake)', base, {
    ...clean,
    AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, 'token'),
    AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/irsa',
    AWS_ENDPOINT_URL_STS: wi.url,
  });
  await Promise.all([imds.close(), ecs.close(), wi.close()]);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
