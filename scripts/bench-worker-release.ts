// What a query worker's end costs the plugin's main thread, through the BUILT plugin under Grafana's plugin
// client (npx tsx scripts/bench-worker-release.ts [plugin executable ...]; `npm run build:backend` first).
// For each executable, alternating, RUNS fresh plugins: one query of a large answer (LARGE_ROWS rows, ~50 MB;
// its worker holds more than the retire bound afterwards, so the pool ends it), then small queries of another data
// source back to back for WATCH_S seconds. Prints per executable the medians over runs of: the longest small
// query in that window and when it came (seconds after the large answer), the usual small query (p50), and
// the plugin's RSS right after the large answer and 2 s later.
// Why: V8 has the main isolate unmap a torn-down worker's pooled pages 8 s after the worker ends
// (backend/isolation/messages.ts), which held every query up for as long as that took.
// Prints numbers; asserts nothing.
import { PluginSession } from '../e2e/attack/lib/session';
import { PLUGIN_EXECUTABLE, type HostCall } from '../e2e/lib/grafanaHost';
import { startFake, type FakeServer } from '../e2e/lib/fakes/server';
import { dataSource } from './soak';

const RUNS = 5;
const WATCH_S = 12;
const LARGE_ROWS = 500_000;

/** A loopback target: /large answers ~50 MB of JSON rows, anything else two rows. */
async function startTarget(): Promise<FakeServer> {
  const large = JSON.stringify(
    Array.from({ length: LARGE_ROWS }, (_, i) => ({ id: i, name: `metric-${i}`, value: i / 7, tags: 'a,b,c,d,e,f' })),
  );
  return startFake((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(req.path === '/large' ? large : '[{"v":1,"name":"a"},{"v":2,"name":"b"}]');
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const query = (target: string, uid: string, path: string): HostCall => ({
  kind: 'queryData',
  dataSource: dataSource(target, uid),
  queries: [{ refId: 'A', json: { url: path, format: 'json' } }],
  timeoutMs: 60_000,
});

interface RunFigures {
  longestMs: number;
  longestAtS: number;
  p50Ms: number;
  rssAfterMiB: number;
  rss2sMiB: number;
}

async function oneRun(plugin: string, target: string): Promise<RunFigures> {
  const session = new PluginSession({ SIGIL_LOG_LEVEL: 'warn' }, plugin);
  await session.start();
  try {
    const small = query(target, 'bystander', '/rows');
    for (let i = 0; i < 20; i++) await session.call(small);
    const big = await session.call(query(target, 'large', '/large'));
    const frame = Object.values(big.result?.responses ?? {})[0];
    if (!frame || frame.error) throw new Error(`the large query failed: ${JSON.stringify(big).slice(0, 300)}`);
    const bigDone = Date.now();
    const rssAfterMiB = session.rssMiB() ?? NaN;
    let rss2sMiB = NaN;
    const times: { at: number; ms: number }[] = [];
    while (Date.now() - bigDone < WATCH_S * 1000) {
      if (Number.isNaN(rss2sMiB) && Date.now() - bigDone >= 2000) rss2sMiB = session.rssMiB() ?? NaN;
      const started = Date.now();
      const out = await session.call(small);
      if (!out.result || out.result.grpcError) throw new Error(`a small query failed: ${JSON.stringify(out)}`);
      times.push({ at: started - bigDone, ms: out.result.elapsedMs });
    }
    const longest = times.reduce((a, b) => (b.ms > a.ms ? b : a));
    return {
      longestMs: longest.ms,
      longestAtS: longest.at / 1000,
      p50Ms: median(times.map((t) => t.ms)),
      rssAfterMiB,
      rss2sMiB,
    };
  } finally {
    await session.stop();
  }
}

async function main(): Promise<void> {
  const plugins = process.argv.length > 2 ? process.argv.slice(2) : [PLUGIN_EXECUTABLE];
  const target = await startTarget();
  const figures = new Map<string, RunFigures[]>(plugins.map((p) => [p, []]));
  try {
    for (let r = 0; r < RUNS; r++) {
      for (const p of plugins) {
        figures.get(p)!.push(await oneRun(p, target.url));
        // startFake keeps every request; a run sends ~10,000, and this process shares the CPU with the plugin.
        target.requests.length = 0;
      }
    }
  } finally {
    await target.close();
  }
  console.log(`small queries for ${WATCH_S} s after a ${LARGE_ROWS}-row answer; medians of ${RUNS} fresh plugins`);
  for (const p of plugins) {
    const f = figures.get(p)!;
    const m = (key: keyof RunFigures) => median(f.map((x) => x[key]));
    console.log(p);
    console.log(
      `  longest small query ${m('longestMs').toFixed(1)} ms (runs: ${f.map((x) => x.longestMs.toFixed(0)).join(', ')}), ` +
        `at ${m('longestAtS').toFixed(1)} s (runs: ${f.map((x) => x.longestAtS.toFixed(1)).join(', ')})`,
    );
    console.log(`  small query p50 ${m('p50Ms').toFixed(2)} ms`);
    console.log(
      `  RSS right after the large answer ${m('rssAfterMiB').toFixed(0)} MiB, 2 s later ${m('rss2sMiB').toFixed(0)} MiB`,
    );
  }
}

void main();
