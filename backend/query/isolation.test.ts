// Query isolation through the engine: each query's processing runs in a pooled worker (the real worker
// bundle), within a time and a memory budget; a runaway query fails alone while others go on.
import type { SigilQuery } from '../../src/shared/query';
import { SigilError } from '../errors';
import { runQuery } from './engine';
import { FakeProxy, JSON_HEADERS } from './testing';
import { QUERY_BUDGET, queryError, queryPool, timeBudgetMs } from './worker/client';
import { BudgetExceeded } from '../isolation/pool';
import { RELEASE_HEAP } from '../isolation/messages';

// Small budgets so the runaway cases end quickly (the pool is created at the first query, with these).
QUERY_BUDGET.timeMs = 1_500;
QUERY_BUDGET.memoryMb = 64;

const items = JSON.stringify({ items: Array.from({ length: 400 }, (_, i) => ({ id: i, name: `n${i}` })) });
const proxy = new FakeProxy(() => ({ headers: JSON_HEADERS, body: items }));
const run = (q: Partial<SigilQuery>) =>
  runQuery(
    { refId: 'A', url: 'https://x.amazonaws.com/', ...q },
    { proxy, settings: {}, timeRange: { fromMs: 0, toMs: 1 }, intervalMs: 1000 },
  );

const ENDLESS = '($f := function($x){ $f($x) }; $f(1))';
const BIG_UQL = 'parse-json | scope "items" | extend "all"=1 | mv-expand "x"="all"';

async function failure(p: Promise<unknown>): Promise<SigilError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SigilError);
  return e as SigilError;
}

afterAll(async () => {
  await queryPool().close();
});

describe('query isolation', () => {
  it("gives a query its data source's timeout as processing time, at least 10 s, unless fixed", () => {
    const fixed = QUERY_BUDGET.timeMs;
    try {
      QUERY_BUDGET.timeMs = undefined;
      expect([timeBudgetMs(5_000), timeBudgetMs(45_000), timeBudgetMs()]).toEqual([10_000, 45_000, 30_000]);
    } finally {
      QUERY_BUDGET.timeMs = fixed;
    }
  });

  it('stops a query over its time budget with a per-query error that says what to do', async () => {
    const err = await failure(run({ rootSelector: ENDLESS }));
    expect(err.status).toBe(422);
    expect(err.source).toBe('plugin');
    expect(err.message).toMatch(
      /^the query's processing exceeded its time budget \(1\.5 s\) and was stopped; narrow the root selector/,
    );
  });

  it('stops a query over its memory budget with a per-query error; the process goes on', async () => {
    // Each extend makes every row's text 4 times longer: 4^13 x 4 characters per row, far past a 64 MiB heap.
    const uql = `parse-json | scope "items" | project "s"="name"${' | extend "s"=strcat("s", "s", "s", "s")'.repeat(13)}`;
    QUERY_BUDGET.timeMs = 60_000; // the heap, not the clock, must stop this one
    const err = await failure(
      runQuery(
        { refId: 'A', url: 'https://x.amazonaws.com/', format: 'uql', uql },
        { proxy, settings: {}, timeRange: { fromMs: 0, toMs: 1 }, intervalMs: 1000 },
      ),
    ).finally(() => {
      QUERY_BUDGET.timeMs = 1_500;
    });
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/^the query's processing exceeded its memory budget \(64 MiB\) and was stopped; /);
    await expect(run({ rootSelector: 'items[id < 2].name' })).resolves.toEqual([
      expect.objectContaining({ fields: [{ name: 'value', type: 'string', values: ['n0', 'n1'] }] }),
    ]);
  });

  it('answers other queries while a runaway one runs, before its error', async () => {
    const events: string[] = [];
    // A budget that outlasts three worker starts on a loaded machine (the order is what is tested), so
    // JSONata's own 5 s evaluation limit stops the runaway first, in its worker.
    QUERY_BUDGET.timeMs = 20_000;
    const runaway = failure(run({ rootSelector: ENDLESS })).then((e) => {
      events.push('runaway failed');
      return e;
    });
    try {
      for (let i = 0; i < 3; i++) {
        const [frame] = await run({ format: 'uql', uql: BIG_UQL.replace('"all"=1', `"all"=${i}`) + ' | count' });
        expect(frame.fields[0].values).toEqual([400]);
        events.push(`bystander ${i}`);
      }
      expect((await runaway).message).toMatch(/Evaluation timeout after 5000 milliseconds/);
    } finally {
      await runaway;
      QUERY_BUDGET.timeMs = 1_500;
    }
    expect(events).toEqual(['bystander 0', 'bystander 1', 'bystander 2', 'runaway failed']);
  });

  it('keeps the main thread free while a query runs away (its timers fire)', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    await failure(run({ rootSelector: ENDLESS }));
    clearInterval(timer);
    // Processing on the main thread would starve timers for the whole budget: 0 ticks.
    expect(ticks).toBeGreaterThan(10);
  });

  it("keeps a paginated query's rows in one worker across its pages", async () => {
    const pages = new FakeProxy((_req, i) => ({
      headers: JSON_HEADERS,
      body: JSON.stringify({ Items: [{ n: i * 2 }, { n: i * 2 + 1 }], Next: i < 2 ? `t${i}` : null }),
    }));
    const [frame] = await runQuery(
      {
        refId: 'A',
        url: 'https://x.amazonaws.com/',
        rootSelector: 'Items',
        pagination: { mode: 'next_token', tokenPath: 'Next', tokenTarget: 'param', tokenField: 'next' },
      },
      { proxy: pages, settings: {}, timeRange: { fromMs: 0, toMs: 1 }, intervalMs: 1000 },
    );
    expect(frame.fields).toEqual([{ name: 'n', type: 'number', values: [0, 1, 2, 3, 4, 5] }]);
    expect(frame.meta?.executedQueryString).toMatch(/\(3 page\(s\)\)$/);
  });

  it("masks each query's own secrets in its worker, as the data sources' secrets change", async () => {
    const [first, second] = ['isolation-secret-one-0123456789abcdef', 'isolation-secret-two-fedcba9876543210'];
    const echo = new FakeProxy(() => ({ headers: JSON_HEADERS, body: JSON.stringify([{ a: first, b: second }]) }));
    const query = (secrets: string[]) =>
      runQuery(
        // A JSONata root selector: the page goes to a worker, one of the pool's few.
        { refId: 'A', url: 'https://x.amazonaws.com/', rootSelector: '$[a != ""]' },
        { proxy: echo, settings: {}, timeRange: { fromMs: 0, toMs: 1 }, intervalMs: 1000, secretValues: () => secrets },
      ).then((frames) => JSON.stringify(frames));
    for (const secrets of [[first], [second], [first], [first, second]]) {
      const text = await query(secrets);
      for (const s of [first, second]) expect(text.includes(s)).toBe(!secrets.includes(s));
    }
  });

  it('runs regexes from a query on RE2: a catastrophic pattern completes', async () => {
    const evil = new FakeProxy(() => ({ headers: JSON_HEADERS, body: JSON.stringify({ s: `${'a'.repeat(20000)}!` }) }));
    const [frame] = await runQuery(
      { refId: 'A', url: 'https://x.amazonaws.com/', rootSelector: '{"m": $exists($match(s, /^(a+)+$/))}' },
      { proxy: evil, settings: {}, timeRange: { fromMs: 0, toMs: 1 }, intervalMs: 1000 },
    );
    expect(frame.fields).toEqual([{ name: 'm', type: 'boolean', values: [false] }]);
  });

  it('makes a worker thread the system would not start a 503 of that query that says what to raise', () => {
    // Node's own words when a Worker cannot get its descriptors (seen under `ulimit -n`).
    const refused = queryError(
      new BudgetExceeded('crash', 0, 'the worker failed: Worker initialization failure: EMFILE'),
      10_000,
    );
    expect(refused).toBeInstanceOf(SigilError);
    expect({ kind: (refused as SigilError).kind, status: (refused as SigilError).status }).toEqual({
      kind: 'internal',
      status: 503,
    });
    expect(refused.message).toMatch(
      /^the query's processing could not run: the plugin process has no file descriptor left \(EMFILE.*ulimit -n/,
    );
    const crashed = queryError(new BudgetExceeded('crash', 0, 'the worker exited (code 1)'), 10_000) as SigilError;
    expect([crashed.status, crashed.message]).toEqual([
      500,
      "the query's processing failed: the worker exited (code 1)",
    ]);
  });

  it("treats a task that looks like the pool's release message as a task: the worker answers and stays", async () => {
    // The pool wraps every task as { seq, payload }: whatever a query carries sits in `payload`.
    const lease = await queryPool().lease();
    try {
      const before = queryPool().stats().heapsGivenBack;
      const spoof = await lease.run(RELEASE_HEAP, 10_000).then(
        (value) => ({ value }),
        (err: unknown) => ({ err }),
      );
      expect(spoof).not.toMatchObject({ err: expect.any(BudgetExceeded) });
      await expect(lease.run({ kind: 'reset' }, 10_000)).resolves.toBeDefined();
      expect(queryPool().stats().heapsGivenBack).toBe(before);
    } finally {
      lease.release();
    }
  });
});
