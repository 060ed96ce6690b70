// The main-thread path for small plain answers: the same outcome as a query worker's, and a worker for every
// answer or query outside its bounds.
import { resolveQuery, type SigilQuery } from '../../src/shared/query';
import { SigilError } from '../errors';
import { encodeFrames } from '../frames/arrow';
import { runQuery } from './engine';
import { processInline } from './inline';
import { checkCells, checkDepth, INLINE_LIMITS, mayRunInline, NeedsWorker } from './inlineGuard';
import { QueryProcessor, type PageAnswer, type QueryJob } from './process';
import { FakeProxy, JSON_HEADERS } from './testing';
import { queryPool } from './worker/client';

const SECRET = 'inline-test-secret-0123456789abcdef';

function job(q: Partial<SigilQuery>, encode = false): QueryJob {
  return { query: resolveQuery({ refId: 'A', ...q }), executed: 'GET /', secrets: [SECRET], encode };
}

function answer(body: string, contentType = 'application/json'): PageAnswer {
  return { body: Buffer.from(body), contentType, host: 'api.example' };
}

/** What a query worker makes of the page (the same processor, outside the inline bounds). */
async function inWorker(j: QueryJob, a: PageAnswer) {
  const outcome = await new QueryProcessor(j).addPage(a);
  return j.encode && outcome.frames ? { ...outcome, frames: encodeFrames(outcome.frames) } : outcome;
}

const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i, name: `n${i}`, value: i / 7 }));
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const nestedXml = (depth: number) => '<a>'.repeat(depth) + '1' + '</a>'.repeat(depth);

const CALLER_IDENTITY =
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
  '<Arn>arn:aws:iam::111122223333:user/x</Arn><UserId>AIDAX</UserId><Account>111122223333</Account>' +
  '</GetCallerIdentityResult></GetCallerIdentityResponse>';
const EC2_INSTANCES =
  '<DescribeInstancesResponse><reservationSet><item><instancesSet>' +
  '<item><instanceId>i-1</instanceId><tagSet/><launchTime>2024-05-01T10:00:00.000Z</launchTime></item>' +
  '<item><instanceId>i-2</instanceId><tagSet><item><key>Name</key><value>b</value></item></tagSet>' +
  '<launchTime>2024-05-02T10:00:00.000Z</launchTime></item>' +
  '</instancesSet></item></reservationSet></DescribeInstancesResponse>';
const LAUGHS =
  '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>' +
  '<lolz>&lol2;</lolz>';

afterAll(() => queryPool().close());

describe('mayRunInline', () => {
  it.each<[string, Partial<SigilQuery>, boolean]>([
    ['json, no selector', { format: 'json' }, true],
    ['auto, a dotted root selector', { format: 'auto', rootSelector: 'a.b' }, true],
    [
      'typed columns with built-in time formats',
      {
        columns: [
          { selector: 't', type: 'time', timeFormat: 'epoch_s' },
          { selector: 'n', type: 'number' },
        ],
      },
      true,
    ],
    ['xml', { format: 'xml' }, true],
    ['csv', { format: 'csv' }, false],
    ['uql', { format: 'uql', uql: 'parse-json' }, false],
    ['prometheus', { format: 'prometheus' }, false],
    ['pagination', { pagination: { mode: 'next_token', tokenPath: 'NextToken', tokenField: 'NextToken' } }, false],
    ['time series split', { timeSeries: { enabled: true } }, false],
    ['a moment time format', { columns: [{ selector: 't', type: 'time', timeFormat: 'YYYY-MM-DD' }] }, false],
  ])('%s: %s', (_name, q, expected) => {
    expect(mayRunInline(resolveQuery({ refId: 'A', ...q }))).toBe(expected);
  });
});

describe('inline bounds', () => {
  it('lets nesting up to the limit through and stops one level deeper', () => {
    expect(() => checkDepth(JSON.parse(nested(INLINE_LIMITS.maxDepth)))).not.toThrow();
    expect(() => checkDepth(JSON.parse(nested(INLINE_LIMITS.maxDepth + 1)))).toThrow(NeedsWorker);
    expect(() => checkDepth({ a: { b: JSON.parse(nested(INLINE_LIMITS.maxDepth)) } })).toThrow(NeedsWorker);
  });

  it('counts the frame as rows × flattened fields, or × the columns defined', () => {
    const { maxCells } = INLINE_LIMITS;
    expect(() => checkCells(rows(Math.floor(maxCells / 3) + 1), [])).toThrow(NeedsWorker); // 3 fields each
    expect(() => checkCells(rows(Math.floor(maxCells / 3)), [])).not.toThrow();
    // Each row a field of its own: few values per row, but a field per row in every row of the frame.
    const distinct = Array.from({ length: 200 }, (_, i) => ({ [`k${i}`]: i }));
    expect(() => checkCells(distinct, [])).toThrow(NeedsWorker);
    expect(() => checkCells([{ a: { b: { c: 1, d: 2 } } }], [])).not.toThrow();
    const wide = (n: number) => [Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, i]))];
    expect(() => checkCells(wide(INLINE_LIMITS.maxFields), [])).not.toThrow();
    expect(() => checkCells(wide(INLINE_LIMITS.maxFields + 1), [])).toThrow(NeedsWorker);
    const columns = [{ selector: 'id', type: 'number' as const }];
    expect(() => checkCells(rows(maxCells), columns)).not.toThrow();
    expect(() => checkCells(rows(maxCells + 1), columns)).toThrow(NeedsWorker);
  });
});

describe('processInline', () => {
  it.each<[string, Partial<SigilQuery>, string]>([
    ['rows', { format: 'json' }, JSON.stringify(rows(20))],
    ['rows under a dotted path', { rootSelector: 'data.items' }, JSON.stringify({ data: { items: rows(5) } })],
    ['a selector that matches nothing (notice)', { rootSelector: 'data.nothing' }, JSON.stringify({ data: {} })],
    [
      'nested objects flattened, ISO times',
      { format: 'auto' },
      '[{"a":{"b":1,"c":{"d":"x"}},"createdAt":"2024-05-01T10:00:00Z"}]',
    ],
    ['keys that name prototypes', { format: 'json' }, '[{"__proto__":{"x":1},"constructor":"c","a":1}]'],
    ['lists and deep values kept as JSON text', { format: 'json' }, `[{"list":[1,[2,[3]]],"deep":${nested(40)}}]`],
    ['an echoed secret, masked', { format: 'json' }, JSON.stringify([{ echo: `key=${SECRET}` }])],
    ['an empty answer', { format: 'json' }, ''],
    [
      'typed columns',
      {
        columns: [
          { selector: 'id', type: 'string' },
          { selector: 'value', type: 'number', text: 'v' },
        ],
      },
      JSON.stringify(rows(3)),
    ],
    ['a row limit', { pagination: { mode: 'none', maxRows: 2 } }, JSON.stringify(rows(5))],
    ['a scalar', { format: 'json' }, '42'],
    [
      'STS GetCallerIdentity (XML)',
      { format: 'xml', rootSelector: 'GetCallerIdentityResponse.GetCallerIdentityResult' },
      CALLER_IDENTITY,
    ],
    ['an EC2 list with an empty tagSet (XML, auto)', { format: 'auto' }, EC2_INSTANCES],
    [
      'XML elements that name prototypes',
      { format: 'xml' },
      '<r><__proto__><x>1</x></__proto__><constructor>c</constructor></r>',
    ],
  ])('%s: the outcome a worker gives', async (_name, q, body) => {
    const contentType = body.startsWith('<') ? 'text/xml' : 'application/json';
    for (const encode of [false, true]) {
      const j = job(q, encode);
      const inline = await processInline(j, answer(body, contentType));
      expect(inline).toBeDefined();
      expect(inline).toEqual(await inWorker(j, answer(body, contentType)));
    }
  });

  it("keeps a data source's masker until its secrets change (rotated ambient credentials)", async () => {
    const owner = {};
    const rotated = 'inline-test-rotated-secret-fedcba9876543210';
    const echo = answer(JSON.stringify([{ a: SECRET, b: rotated }]));
    const first = await processInline(job({}), echo, owner);
    expect(JSON.stringify(first)).not.toContain(SECRET);
    expect(JSON.stringify(first)).toContain(rotated); // not one of this job's secrets
    const next = await processInline({ ...job({}), secrets: [rotated] }, echo, owner);
    expect(JSON.stringify(next)).not.toContain(rotated);
  });

  it('never returns the secret it masks', async () => {
    const outcome = await processInline(job({}), answer(JSON.stringify([{ echo: SECRET }])));
    expect(JSON.stringify(outcome)).not.toContain(SECRET);
  });

  it.each<[string, Partial<SigilQuery>, string, string]>([
    [
      'an answer over the size bound',
      {},
      JSON.stringify(rows(Math.ceil(INLINE_LIMITS.maxAnswerBytes / 30))),
      'application/json',
    ],
    ['a CSV answer to format auto', { format: 'auto' }, 'a,b\n1,2\n', 'text/csv'],
    ['XML nested past the bound', { format: 'xml' }, nestedXml(INLINE_LIMITS.maxDepth + 1), 'text/xml'],
    [
      'a JSONata root selector',
      { rootSelector: 'items[id > 1]' },
      JSON.stringify({ items: rows(3) }),
      'application/json',
    ],
    [
      'a dotted path through a list (JSONata maps it)',
      { rootSelector: 'items.name' },
      JSON.stringify({ items: rows(3) }),
      'application/json',
    ],
    ['nesting past the bound', {}, `[{"deep":${nested(INLINE_LIMITS.maxDepth + 1)}}]`, 'application/json'],
    [
      'a frame past the cell bound',
      {},
      JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ [`k${i}`]: i }))),
      'application/json',
    ],
    ['a query outside mayRunInline', { format: 'csv' }, 'a\n1\n', 'text/csv'],
  ])('%s: goes to a worker', async (_name, q, body, contentType) => {
    expect(await processInline(job(q), answer(body, contentType))).toBeUndefined();
  });

  it.each([
    ['truncated JSON', 'json', '{"a": [1, 2', /line 1/],
    ['truncated XML', 'xml', '<a><b>1</b>', /XML/],
    ['XML entities defined in a DOCTYPE (billion laughs)', 'xml', LAUGHS, /entity|DOCTYPE/i],
  ] as const)("%s: fails with the worker's error", async (_name, format, body, message) => {
    const j = job({ format });
    const inline = await processInline(j, answer(body)).catch((e: unknown) => e);
    const worker = await inWorker(j, answer(body)).catch((e: unknown) => e);
    expect(inline).toBeInstanceOf(SigilError);
    expect(inline).toEqual(worker);
    expect((inline as SigilError).message).toMatch(message);
  });
});

describe('the engine', () => {
  const proxy = new FakeProxy((req) => ({
    headers: JSON_HEADERS,
    body: JSON.stringify({ items: rows(new URL(req.url).searchParams.has('many') ? 3000 : 3) }),
  }));
  const run = (q: Partial<SigilQuery>) =>
    runQuery(
      { refId: 'A', url: 'https://x.amazonaws.com/', ...q },
      { proxy, settings: {}, timeRange: { fromMs: 0, toMs: 1 }, intervalMs: 1000 },
    );

  it('processes a small plain answer without a worker, and hands the others to one', async () => {
    const small = await run({ rootSelector: 'items' });
    expect(small[0].fields.map((f) => f.values.length)).toEqual([3, 3, 3]);
    expect(queryPool().stats().workers).toBe(0);

    const filtered = await run({ rootSelector: 'items[id > 0]' });
    expect(filtered[0].fields[0].values).toEqual([1, 2]);
    expect(queryPool().stats().workers).toBeGreaterThan(0);

    const large = await run({ url: 'https://x.amazonaws.com/?many=1', rootSelector: 'items' });
    expect(large[0].fields[0].values).toHaveLength(3000);
  });
});
