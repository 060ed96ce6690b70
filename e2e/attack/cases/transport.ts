// Answers that attack the transport and the parsers (held, must keep holding): billion laughs and XXE, bombs,
// size caps, slowloris, resets, 100 concurrent queries over 10 data sources, settings changed in flight.
import type { AttackCase } from '../lib/runner';
import { must, show, until } from '../lib/runner';
import { answered, failed } from './expect';
import { ROWS } from '../lib/fakeApi';

const K1 = 'XML entities (billion laughs, XXE)';
const K2 = 'bombs and size caps';
const K3 = 'slowloris and resets';
const K4 = 'concurrency and settings in flight';

export const cases: AttackCase[] = [
  {
    id: 'xml.billion-laughs',
    klass: K1,
    title: 'nested entity definitions are not expanded: a clear error or a frame without the expansion',
    async run(ctx) {
      const r = await ctx.one(ctx.ds(), { url: 'api/laughs', format: 'xml' });
      if (r.status === 200) must(JSON.stringify(r.frames).length < 100_000, `entities were expanded: ${show(r)}`);
      else failed(r, [400, 422], 'plugin', /XML|entity|DOCTYPE/i);
    },
  },
  {
    id: 'xml.xxe-file',
    klass: K1,
    title: 'an external entity naming /etc/passwd (and a canary URL) is never read',
    async run(ctx) {
      const r = await ctx.one(ctx.ds(), { url: 'api/xxe', format: 'xml' });
      must(!JSON.stringify(r).includes('root:x:0:0'), '/etc/passwd was read into the answer');
      if (r.status !== 200) failed(r, [400, 422], 'plugin', /XML|entity|DOCTYPE/i);
    },
  },
  {
    id: 'xml.deep-nesting',
    klass: K1,
    title: '100,000 nested XML elements: a clear per-query error or a frame, the process lives',
    async run(ctx) {
      const r = await ctx.one(ctx.ds(), { url: 'api/deep-xml', format: 'xml' });
      if (r.status !== 200) failed(r, [400, 413, 422], 'plugin');
    },
  },
  {
    id: 'json.deep-nesting',
    klass: K2,
    title: '100,000 nested JSON arrays: a clear per-query error (400/422) or a frame, never an internal error',
    async run(ctx) {
      const r = await ctx.one(ctx.ds(), { url: 'api/deep-json', format: 'json' });
      if (r.status !== 200) failed(r, [400, 413, 422], 'plugin');
    },
  },
  {
    id: 'csv.wide',
    klass: K2,
    runaway: true,
    title: 'a CSV row of 100,000 columns (1.2 MB): a frame with 1 row or a clear error, others go on',
    async run(ctx) {
      const r = await ctx.one(ctx.ds(), { url: 'api/wide-csv', format: 'csv' }, { timeoutMs: 60_000 });
      if (r.status === 200) must(r.frames[0]?.rows === 1, `expected 1 row, got ${show(r)}`);
      else failed(r, [400, 413, 422], 'plugin');
    },
  },
  {
    id: 'cap.declared-length',
    klass: K2,
    title: 'a declared Content-Length of 5 GB is refused at once: 413 naming maxResponseBytes',
    async run(ctx) {
      failed(
        await ctx.one(ctx.ds({ maxResponseBytes: 1_000_000 }), { url: 'api/big-declared', format: 'json' }),
        413,
        'plugin',
        /maxResponseBytes/,
      );
    },
  },
  {
    id: 'cap.chunked-stream',
    klass: K2,
    title: 'an 8 MiB chunked answer over a 1 MB cap: 413 naming maxResponseBytes',
    async run(ctx) {
      failed(
        await ctx.one(ctx.ds({ maxResponseBytes: 1_000_000 }), { url: 'api/big-chunked', format: 'json' }),
        413,
        'plugin',
        /maxResponseBytes/,
      );
    },
  },
  {
    id: 'cap.max-rows',
    klass: K2,
    title: 'maxRows 100 on an answer of 5,000 rows: a frame of 100 rows with a notice',
    async run(ctx) {
      const r = await ctx.one(ctx.ds(), {
        url: 'api/many',
        params: [{ key: 'n', value: '5000' }],
        format: 'json',
        pagination: { mode: 'none', maxRows: 100 },
      });
      answered(r, 100);
      must(
        JSON.stringify(r.frames[0]?.meta ?? {}).includes('max rows') ||
          JSON.stringify(r.frames[0]?.meta ?? {}).includes('cut'),
        `expected a notice about the cut, got ${JSON.stringify(r.frames[0]?.meta)}`,
      );
    },
  },
  {
    id: 'slowloris.trickle',
    klass: K3,
    title: 'an answer trickling one byte every 200 ms ends at timeoutSeconds 3: 504 "timed out"',
    async run(ctx) {
      const r = await ctx.one(ctx.ds({ timeoutSeconds: 3 }), { url: 'api/trickle', format: 'json' });
      failed(r, 504, 'downstream', /timed out/);
      must(r.elapsedMs < 15_000, `the timeout of 3 s took ${r.elapsedMs} ms`);
    },
  },
  {
    id: 'slowloris.no-headers',
    klass: K3,
    title: 'a server that never sends headers: 504 "timed out" after timeoutSeconds 3',
    async run(ctx) {
      const r = await ctx.one(ctx.ds({ timeoutSeconds: 3 }), { url: 'api/slow-headers', format: 'json' });
      failed(r, 504, 'downstream', /timed out/);
      must(r.elapsedMs < 15_000, `the timeout of 3 s took ${r.elapsedMs} ms`);
    },
  },
  {
    id: 'reset.immediate',
    klass: K3,
    title: 'a connection reset before any answer: 502 from downstream',
    async run(ctx) {
      failed(await ctx.one(ctx.ds(), { url: 'api/reset', format: 'json' }), 502, 'downstream');
    },
  },
  {
    id: 'reset.mid-body',
    klass: K3,
    title: 'a reset in the middle of the body: 502 from downstream',
    async run(ctx) {
      failed(await ctx.one(ctx.ds(), { url: 'api/reset-mid', format: 'json' }), 502, 'downstream');
    },
  },
  {
    id: 'concurrency.100-over-10',
    klass: K4,
    title: '100 concurrent queries over 10 data sources: all 100 answer 3 rows',
    async run(ctx) {
      const sources = Array.from({ length: 10 }, () => ctx.ds());
      const all = await Promise.all(
        sources.map((ds) =>
          ctx.query(
            ds,
            Array.from({ length: 10 }, (_, i) => ({
              refId: `R${i}`,
              json: { queryType: 'http', url: 'api/rows', format: 'json' },
            })),
          ),
        ),
      );
      let good = 0;
      for (const { responses } of all)
        for (const r of Object.values(responses)) if (r.status === 200 && r.frames[0]?.rows === ROWS.length) good++;
      must(good === 100, `only ${good} of 100 queries answered 3 rows`);
    },
  },
  {
    id: 'settings.changed-in-flight',
    klass: K4,
    title:
      'a data source saved with a new endpoint while a query runs: the old query ends on the old server, the new one uses the new',
    async run(ctx) {
      const other = await ctx.otherApi();
      const v1 = ctx.ds({}, { uid: `inflight-${Date.now()}`, lastUpdatedMS: 1 });
      const v2 = { ...v1, lastUpdatedMS: 2, jsonData: { ...v1.jsonData, endpoint: other.url } };
      const first = ctx.one(v1, {
        url: 'api/slow',
        params: [
          { key: 'who', value: 'old' },
          { key: 'ms', value: '1500' },
        ],
        format: 'json',
      });
      // The second query is sent once the first waits on its server (which answers after 1.5 s).
      await until(
        () => ctx.api.requests.some((q) => q.path.startsWith('/api/slow')),
        'the first query to reach the old server',
      );
      const second = await ctx.one(v2, {
        url: 'api/slow',
        params: [
          { key: 'who', value: 'new' },
          { key: 'ms', value: '10' },
        ],
        format: 'json',
      });
      const r1 = await first;
      answered(r1, 1);
      answered(second, 1);
      must(
        JSON.stringify(r1.frames[0].fields).includes('"old"'),
        `the old query was not answered by the old server: ${show(r1)}`,
      );
      must(
        other.requests.length === 1 && other.requests[0].path.includes('who=new'),
        'the new settings did not reach the new server',
      );
    },
  },
  {
    id: 'settings.secure-proto-key',
    klass: K4,
    title: 'a secureJsonData key named __proto__ changes nothing: Save & test still OK',
    async run(ctx) {
      const ds = ctx.ds();
      ds.secureJsonData = { ...ds.secureJsonData, ['__proto__']: 'x', constructor: 'y' };
      const h = await ctx.health(ds);
      must(h.status === 'OK', `expected health OK, got ${h.status}: ${h.message}`);
    },
  },
];
