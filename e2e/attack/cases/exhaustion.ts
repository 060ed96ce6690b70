// Resource exhaustion and catastrophic regular expressions: a runaway query ends with its own clear error
// (a time or memory budget), other data sources go on (the runner measures a bystander's wait), the process
// never dies. Regexes from queries must run in linear time or inside the budget.
import type { AttackCase } from '../lib/runner';
import { must, until } from '../lib/runner';
import { answered, failed } from './expect';

const K1 = 'resource exhaustion (UQL/JSONata)';
const K2 = 'catastrophic regex';

/** A runaway query must end with a per-query error that names a budget or limit (never a crash or a hang). */
function budgetError(r: Parameters<typeof failed>[0]): void {
  failed(
    r,
    [400, 408, 413, 422, 429, 503, 504],
    'plugin',
    /budget|limit|time|memory|too (many|large|long)|exceed|string length/i,
  );
}

/** A catastrophic pattern either runs in linear time (an answer) or is stopped by the budget. */
function linearOrBudget(r: Parameters<typeof failed>[0], rows?: number): void {
  if (r?.status === 200) answered(r, rows);
  else budgetError(r);
}

const evil = (n: number) => ({
  url: 'api/evil-string',
  params: [{ key: 'n', value: String(n) }],
  format: 'json' as const,
});

export const cases: AttackCase[] = [
  {
    id: 'uql.mv-expand-cartesian',
    klass: K1,
    runaway: true,
    title: 'UQL split + three mv-expands of 1,000 items (10^9 rows): a budget error, the process lives',
    async run(ctx) {
      budgetError(
        await ctx.one(
          ctx.ds(),
          {
            ...evil(3),
            format: 'uql',
            uql: 'parse-json | extend "l"=split("list", ",") | mv-expand "x"="l" | extend "l"=split("list", ",") | mv-expand "y"="l" | extend "l"=split("list", ",") | mv-expand "z"="l" | count',
          },
          { timeoutMs: 120_000 },
        ),
      );
    },
  },
  {
    id: 'uql.strcat-growth',
    klass: K1,
    runaway: true,
    title: 'UQL nested strcat doubling a string 30 times: a budget error, the process lives',
    async run(ctx) {
      const steps = Array.from({ length: 30 }, (_, i) => `extend "s${i + 1}"=strcat("s${i}", "s${i}")`).join(' | ');
      budgetError(
        await ctx.one(
          ctx.ds(),
          { ...evil(3), format: 'uql', uql: `parse-json | extend "s0"="list" | ${steps} | project "n"=strlen("s30")` },
          { timeoutMs: 120_000 },
        ),
      );
    },
  },
  {
    id: 'uql.strcat-mv-expand',
    klass: K1,
    runaway: true,
    title: 'UQL strcat of 64 copies then mv-expand of a 100,000-item split, twice: a budget error',
    async run(ctx) {
      const cat = (c: string) => `strcat(${Array.from({ length: 64 }, () => `"${c}"`).join(', ')})`;
      const uql = `parse-json | extend "big"=${cat('list')} | extend "l"=split("big", ",") | mv-expand "x"="l" | extend "l2"=split("big", ",") | mv-expand "y"="l2" | count`;
      budgetError(
        await ctx.one(
          ctx.ds(),
          { url: 'api/evil-string', params: [{ key: 'items', value: '2000' }], format: 'uql', uql },
          { timeoutMs: 120_000 },
        ),
      );
    },
  },
  {
    id: 'jsonata.array-doubling',
    klass: K1,
    runaway: true,
    title: 'JSONata doubling an array 40 times ($append): a budget error, the process lives',
    async run(ctx) {
      budgetError(
        await ctx.one(
          ctx.ds(),
          {
            url: 'api/rows',
            format: 'json',
            rootSelector: '($f := function($n){ $n = 0 ? [1] : ($a := $f($n - 1); $append($a, $a)) }; $count($f(40)))',
          },
          { timeoutMs: 120_000 },
        ),
      );
    },
  },
  {
    id: 'jsonata.big-map',
    klass: K1,
    runaway: true,
    title: 'JSONata $map over 10^7 items building objects: a budget error, RSS back down',
    async run(ctx) {
      budgetError(
        await ctx.one(
          ctx.ds(),
          {
            url: 'api/rows',
            format: 'json',
            rootSelector:
              '$count($map([1..10000000], function($v){ {"v": $v, "s": $string($v) & "-" & $string($v)} }))',
          },
          { timeoutMs: 120_000 },
        ),
      );
    },
  },
  {
    id: 'jsonata.cpu-loop',
    klass: K1,
    runaway: true,
    title: 'JSONata recursion summing 10^7 numbers: a budget error (time or stack), others go on',
    async run(ctx) {
      budgetError(
        await ctx.one(
          ctx.ds(),
          {
            url: 'api/rows',
            format: 'json',
            rootSelector: '($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, $acc + $n) }; $f(10000000, 0))',
          },
          { timeoutMs: 120_000 },
        ),
      );
    },
  },
  {
    id: 'jsonata.string-growth',
    klass: K1,
    runaway: true,
    title: 'JSONata doubling a string 40 times: a per-query error, never an internal error',
    async run(ctx) {
      budgetError(
        await ctx.one(
          ctx.ds(),
          {
            url: 'api/rows',
            format: 'json',
            rootSelector: '($f := function($n){ $n = 0 ? "ab" : ($s := $f($n - 1); $s & $s) }; $length($f(40)))',
          },
          { timeoutMs: 120_000 },
        ),
      );
    },
  },
  {
    id: 'jsonata.columns-after-budget',
    klass: K1,
    title: 'after runaway queries, an ordinary JSONata query on the same data source answers 3 rows',
    async run(ctx) {
      const ds = ctx.ds();
      await ctx.one(
        ds,
        { url: 'api/rows', format: 'json', rootSelector: '$count($map([1..3000000], function($v){ $string($v) }))' },
        { timeoutMs: 120_000 },
      );
      answered(await ctx.one(ds, { url: 'api/rows', format: 'json', rootSelector: '$[value > 5]' }), 3);
    },
  },
  // Catastrophic regular expressions.
  {
    id: 'regex.jsonata-match-root',
    klass: K2,
    runaway: true,
    title: '$match of 34 a\'s and "!" against /^(a+)+$/ in a root selector: linear or budget',
    async run(ctx) {
      linearOrBudget(
        await ctx.one(
          ctx.ds(),
          { ...evil(30), rootSelector: '$.{"m": $count($match(s, /^(a+)+$/))}' },
          { timeoutMs: 120_000 },
        ),
        1,
      );
    },
  },
  {
    id: 'regex.jsonata-contains',
    klass: K2,
    runaway: true,
    title: '$contains with /(a|aa)+$/ on 44 characters: linear or budget',
    async run(ctx) {
      linearOrBudget(
        await ctx.one(
          ctx.ds(),
          { ...evil(44), rootSelector: '$.{"m": $contains(s, /^(a|aa)+$/)}' },
          { timeoutMs: 120_000 },
        ),
        1,
      );
    },
  },
  {
    id: 'regex.jsonata-replace',
    klass: K2,
    runaway: true,
    title: '$replace with /(a*)*b/ on 28 characters: linear or budget',
    async run(ctx) {
      linearOrBudget(
        await ctx.one(
          ctx.ds(),
          { ...evil(28), rootSelector: '$.{"m": $replace(s, /^(a*)*b$/, "x")}' },
          { timeoutMs: 120_000 },
        ),
        1,
      );
    },
  },
  {
    id: 'regex.jsonata-split',
    klass: K2,
    runaway: true,
    title: '$split with a nested-quantifier regex on 28 characters: linear or budget',
    async run(ctx) {
      linearOrBudget(
        await ctx.one(
          ctx.ds(),
          { ...evil(28), rootSelector: '$.{"m": $count($split(s, /^(a+)+$/))}' },
          { timeoutMs: 120_000 },
        ),
        1,
      );
    },
  },
  {
    id: 'regex.uql-matches',
    klass: K2,
    runaway: true,
    title: 'UQL where "s" matches regex "^(a+)+$" on 28 characters: linear or budget',
    async run(ctx) {
      linearOrBudget(
        await ctx.one(
          ctx.ds(),
          { ...evil(28), format: 'uql', uql: 'parse-json | where "s" matches \'^(a+)+$\' | count' },
          { timeoutMs: 120_000 },
        ),
      );
    },
  },
  {
    id: 'regex.uql-extract',
    klass: K2,
    runaway: true,
    title: 'UQL extract("(a|a)*$", 0, "s") on 28 characters: linear or budget',
    async run(ctx) {
      linearOrBudget(
        await ctx.one(
          ctx.ds(),
          { ...evil(28), format: 'uql', uql: 'parse-json | extend "m"=extract(\'^(a|a)*$\', 0, "s") | project "m"' },
          { timeoutMs: 120_000 },
        ),
        1,
      );
    },
  },
  {
    id: 'regex.uql-backreference',
    klass: K2,
    title: 'a regex with a back-reference (not linear-time expressible): refused 400, or answered',
    async run(ctx) {
      const r = await ctx.one(ctx.ds(), {
        ...evil(10),
        format: 'uql',
        uql: 'parse-json | where "s" matches \'^(a+)\\\\1$\' | count',
      });
      if (r.status !== 200) failed(r, 400, 'plugin', /regex|regular expression|pattern/i);
    },
  },
  {
    id: 'regex.health-during',
    klass: K2,
    runaway: true,
    title: 'Save & test of another data source during a catastrophic regex answers OK',
    async run(ctx) {
      // Settled at once so a failure of the query cannot go unhandled while the health check runs.
      const q = ctx
        .one(ctx.ds(), { ...evil(28), rootSelector: '$.{"m": $count($match(s, /^(a+)+$/))}' }, { timeoutMs: 120_000 })
        .then(
          (r) => ({ r }),
          (e: unknown) => ({ e }),
        );
      await until(
        () => ctx.api.requests.some((x) => x.path.startsWith('/api/evil-string')),
        'the regex query to fetch its answer',
      );
      const h = await ctx.health(ctx.ds(), { timeoutMs: 120_000 });
      must(
        h.status === 'OK' && h.elapsedMs < 5000,
        `health blocked (a stall, over 5 s) or failed during the regex: ${h.status} after ${h.elapsedMs} ms: ${h.message}`,
      );
      const settled = await q;
      if ('e' in settled) throw settled.e;
      linearOrBudget(settled.r, 1);
    },
  },
];
