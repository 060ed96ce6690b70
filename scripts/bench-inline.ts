// Main-thread processing of small answers (backend/query/inline.ts). Run: npx tsx scripts/bench-inline.ts
// Every answer here (JSON or XML) is at most INLINE_LIMITS.maxAnswerBytes: the shapes that cost the main thread most within
// the bounds (most values, most rows, deepest nesting allowed, long keys, times to parse, a long text to mask),
// and the ones that pass the first checks and fail a later one (the main thread's time is spent, then a worker
// redoes the page). Prints, per shape, whether it stayed inline, and the main thread's time for processInline
// (parse, checks, frame and its Arrow bytes): median and maximum over the repeats. That maximum is how long
// one small answer can hold up every other query; the worker budgets bound all larger work. Asserts nothing.
import { performance } from 'node:perf_hooks';
import { resolveQuery, type SigilQuery } from '../src/shared/query';
import { processInline } from '../backend/query/inline';
import { INLINE_LIMITS } from '../backend/query/inlineGuard';
import type { QueryJob } from '../backend/query/process';

const REPEATS = Number(process.argv[2] ?? 200);
const { maxAnswerBytes, maxCells, maxFields, maxDepth } = INLINE_LIMITS;
const SECRET = 'bench-inline-secret-key-0123456789abcdef';

/** Items from `make` joined (by `join`, between `open` and `close`) while they stay within the byte bound. */
function fill(make: (i: number) => string, most = Infinity, [open, join, close] = ['[', ',', ']']): string {
  const parts: string[] = [];
  let size = open.length + close.length;
  for (let i = 0; i < most; i++) {
    const item = make(i);
    if (size + item.length + join.length > maxAnswerBytes) break;
    parts.push(item);
    size += item.length + join.length;
  }
  return `${open}${parts.join(join)}${close}`;
}

const XML_LIST: [string, string, string] = ['<R><Items>', '', '</Items></R>'];

const nest = (depth: number, inner: string) => '['.repeat(depth) + inner + ']'.repeat(depth);
const longKey = 'k'.repeat(1000);
const wideRow = (fields: number) =>
  JSON.stringify(Object.fromEntries(Array.from({ length: fields }, (_, k) => [`f${k}`, k])));

const SHAPES: { name: string; query?: Partial<SigilQuery>; body: string; xml?: boolean }[] = [
  {
    name: '20 rows (bench-footprint small answer)',
    body: fill((i) => JSON.stringify({ id: i, name: `metric-${i}`, value: i / 7, tags: 'a,b,c' }), 20),
  },
  {
    name: `${maxCells} values, 4 fields per row`,
    body: fill((i) => JSON.stringify({ a: i, b: i / 3, c: 'x', d: true }), maxCells / 4),
  },
  { name: 'numbers only: more rows than the cell bound', body: fill((i) => String(i % 10)) },
  { name: 'a new field in every row', body: fill((i) => `{"f${i}":1}`) },
  {
    name: 'ISO times and time-named epochs',
    body: fill((i) => JSON.stringify({ time: 1.7e12 + i, at: new Date(1.7e12 + i * 1000).toISOString() })),
  },
  {
    name: `nesting ${maxDepth} deep, repeated`,
    body: fill(() => `{"v":${nest(maxDepth - 3, '1')}}`),
  },
  { name: `nesting ${maxDepth + 1} deep (goes to a worker)`, body: `[{"v":${nest(maxDepth, '1')}}]` },
  {
    name: 'nested objects 32 deep with 1000-char keys',
    body: fill((i) => `{"${longKey}":`.repeat(32) + String(i) + '}'.repeat(32), 1),
  },
  { name: `${maxFields} fields in every row`, body: fill(() => wideRow(maxFields)) },
  { name: `${maxFields + 1} fields (goes to a worker)`, body: fill(() => wideRow(maxFields + 1)) },
  { name: 'one long text with the secret echoed', body: JSON.stringify([{ text: `${SECRET} `.repeat(1500) }]) },
  {
    name: 'XML: member list at the value bound',
    query: { format: 'xml', rootSelector: 'R.Items' },
    body: fill(
      (i) => `<member><Id>i-${i}</Id><Value>${i / 7}</Value><At>2024-05-01T10:00:00Z</At></member>`,
      maxCells / 3,
      XML_LIST,
    ),
    xml: true,
  },
  {
    name: 'XML: elements, entities and text',
    query: { format: 'xml' },
    body: fill((i) => `<e${i % 50}>a &amp; b &lt; c &#x41;</e${i % 50}>`, Infinity, ['<R>', '', '</R>']),
    xml: true,
  },
  {
    name: `XML: nesting ${maxDepth} deep, repeated`,
    query: { format: 'xml' },
    body: fill(() => '<a>'.repeat(maxDepth - 3) + '1' + '</a>'.repeat(maxDepth - 3), Infinity, ['<R>', '', '</R>']),
    xml: true,
  },
  {
    name: 'typed columns',
    query: {
      columns: [
        { selector: 'a', type: 'string' },
        { selector: 'b.c', type: 'number' },
        { selector: 't', type: 'time', timeFormat: 'epoch_s' },
      ],
    },
    body: fill((i) => JSON.stringify({ a: i, b: { c: `${i}` }, t: 1.7e9 + i }), maxCells / 3),
  },
];

async function main(): Promise<void> {
  console.log(
    `bounds: ${maxAnswerBytes} bytes, ${maxCells} values, ${maxFields} fields, depth ${maxDepth}; ${REPEATS} repeats; Node ${process.version}`,
  );
  let worst = 0;
  for (const shape of SHAPES) {
    const job: QueryJob = {
      query: resolveQuery({ refId: 'A', format: 'json', ...shape.query }),
      executed: 'GET /',
      secrets: [SECRET],
      encode: true,
    };
    const body = Buffer.from(shape.body);
    const times: number[] = [];
    let inline = false;
    for (let i = 0; i < REPEATS; i++) {
      const t = performance.now();
      const contentType = shape.xml ? 'text/xml' : 'application/json';
      const outcome = await processInline(job, { body, contentType, host: 'bench' });
      times.push(performance.now() - t);
      inline = outcome !== undefined;
    }
    times.sort((a, b) => a - b);
    const max = times[times.length - 1];
    worst = Math.max(worst, max);
    console.log(
      `${shape.name.padEnd(48)} ${String(body.length).padStart(6)} B  ${inline ? 'inline ' : 'worker '}  median ${times[times.length >> 1].toFixed(2).padStart(6)} ms  max ${max.toFixed(2).padStart(6)} ms`,
    );
  }
  console.log(`longest main-thread time for one answer: ${worst.toFixed(2)} ms`);
}

void main();
