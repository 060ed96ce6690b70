// The floor of the query benchmarks: the same small request signed and sent directly, its JSON answer
// parsed. What a query through the plugin costs beyond this is the plugin's overhead (with Grafana's plugin
// client's hop). Two floors:
// - goDirectSignedP50: from Grafana's side, the Go host's own process (aws-sdk-go-v2's signer, net/http),
//   as issue 13 measured its starting point. The request crosses processes, as one through the plugin does;
// - directSignedP50: from the benchmark's own process (SignatureV4, as the plugin signs), whose loopback
//   target runs in that same process: client and target share one event loop, so this floor skips the
//   process switches any real request pays (Go's faster client makes up for them: the two floors read within
//   ~0.1 ms of each other, either one the lower).
import { Agent, request } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { runGrafanaHost, type HostCall } from '../e2e/lib/grafanaHost';

/** Requests each floor sends before the ones it times. */
const WARMUP_REQUESTS = 50;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** p50 ms of `runs` such requests to `url` (http://127.0.0.1:port/path), after WARMUP_REQUESTS unmeasured ones. */
export async function directSignedP50(
  url: string,
  runs: number,
  credentials: { accessKeyId: string; secretAccessKey: string },
): Promise<number> {
  const { hostname, port, pathname } = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const signer = new SignatureV4({
    credentials,
    region: 'us-east-1',
    service: 'execute-api',
    sha256: Hash.bind(null, 'sha256'),
  });
  const once = async (): Promise<number> => {
    const t = process.hrtime.bigint();
    const signed = await signer.sign({
      method: 'GET',
      protocol: 'http:',
      hostname,
      port: Number(port),
      path: pathname,
      query: {},
      headers: { host: `${hostname}:${port}` },
    });
    await new Promise<void>((resolve, reject) => {
      const req = request(
        { agent, host: hostname, port, path: pathname, method: 'GET', headers: signed.headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            JSON.parse(Buffer.concat(chunks).toString('utf8'));
            if (res.statusCode === 200) resolve();
            else reject(new Error(`direct request: HTTP ${res.statusCode}`));
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  try {
    for (let i = 0; i < WARMUP_REQUESTS; i++) await once();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await once());
    return percentile(times, 50);
  } finally {
    agent.destroy();
  }
}

/** p50 ms of `runs` such requests sent by the Go host (call kind directSigned, no plugin), after WARMUP_REQUESTS unmeasured ones. */
export async function goDirectSignedP50(
  url: string,
  runs: number,
  credentials: { accessKeyId: string; secretAccessKey: string },
): Promise<number> {
  const call: HostCall = {
    kind: 'directSigned',
    url,
    signing: {
      accessKey: credentials.accessKeyId,
      secretKey: credentials.secretAccessKey,
      region: 'us-east-1',
      service: 'execute-api',
    },
  };
  const results = await runGrafanaHost({ plugin: '', calls: Array<HostCall>(WARMUP_REQUESTS + runs).fill(call) });
  const failed = results.find((r) => r.grpcError);
  if (failed) throw new Error(`the Go host's direct signed request failed: ${failed.grpcError}`);
  return percentile(
    results.slice(WARMUP_REQUESTS).map((r) => r.elapsedMs),
    50,
  );
}
