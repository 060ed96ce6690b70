import { queryTypeProblems, resolveQuery, validateQuery, type SigilQuery } from './query';

/** Every field of the query model with its path and a value of the right type. */
const FIELDS: Array<[string, unknown]> = [
  ['queryType', 'http'],
  ['method', 'GET'],
  ['url', 'https://a.amazonaws.com/'],
  ['params', [{ key: 'a', value: 'b' }]],
  ['headers', [{ key: 'x-a', value: 'b' }]],
  ['bodyType', 'none'],
  ['body', ''],
  ['form', [{ key: 'Action', value: 'X' }]],
  ['format', 'json'],
  ['rootSelector', 'a'],
  ['columns', [{ selector: 'a', type: 'string' }]],
  ['timeSeries', { enabled: false }],
  ['pagination', { mode: 'none' }],
  ['uql', ''],
  ['service', 'sts'],
  ['region', 'us-east-1'],
  ['timeSeries.enabled', true],
  ['timeSeries.labelColumns', ['a']],
  ['pagination.mode', 'none'],
  ['pagination.tokenPath', 'NextToken'],
  ['pagination.tokenTarget', 'param'],
  ['pagination.tokenField', 'NextToken'],
  ['pagination.maxPages', 2],
  ['pagination.maxRows', 10],
  ['params[0].key', 'a'],
  ['params[0].value', 'b'],
  ['headers[0].key', 'x-a'],
  ['form[0].value', 'X'],
  ['columns[0].selector', 'a'],
  ['columns[0].type', 'string'],
  ['columns[0].text', 'A'],
  ['columns[0].timeFormat', 'iso'],
];

const WRONG: unknown[] = [42, true, 'text', [], { a: 1 }, [1]];

/** A valid query with `value` put at `path` (creating the parent object or list item). */
function queryWith(path: string, value: unknown): SigilQuery {
  const q: Record<string, unknown> = { refId: 'A', url: 'https://a.amazonaws.com/' };
  const m = /^(\w+)(?:\[(\d)\])?(?:\.(\w+))?$/.exec(path)!;
  const [, top, index, leaf] = m;
  if (index !== undefined)
    q[top] = [{ ...(top === 'columns' ? { selector: 'a', type: 'string' } : { key: 'k', value: 'v' }), [leaf]: value }];
  else if (leaf !== undefined) q[top] = { [leaf]: value };
  else q[top] = value;
  return q as unknown as SigilQuery;
}

function sameType(a: unknown, b: unknown): boolean {
  const kind = (v: unknown) =>
    Array.isArray(v) ? `array:${(v as unknown[]).every((x) => typeof x === 'string') ? 's' : 'x'}` : typeof v;
  if (Array.isArray(a) && Array.isArray(b) && (a.length === 0 || b.length === 0)) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return JSON.stringify(a).startsWith('[{') === JSON.stringify(b).startsWith('[{') && kind(a) === kind(b);
  return kind(a) === kind(b);
}

describe('query model types', () => {
  it.each(FIELDS)('accepts the right type for %s', (path, value) => {
    expect(queryTypeProblems(queryWith(path, value))).toEqual([]);
  });

  const cases = FIELDS.flatMap(([path, good]) =>
    WRONG.filter((w) => !sameType(w, good)).map((w) => [path, w] as const),
  );
  it.each(cases)('names %s when it is %j, and resolving it never throws', (path, wrong) => {
    const q = queryWith(path, wrong);
    const problems = validateQuery(q);
    expect(problems.length).toBeGreaterThan(0);
    // The problem names the field itself, or the list item that holds it.
    expect(problems.map((p) => p.path)).toContainEqual(
      expect.stringMatching(new RegExp(`^${path.replace(/[[\].]/g, '\\$&')}(\\[\\d+\\])?$`)),
    );
    expect(problems[0].message).toMatch(/must be/);
    expect(() => resolveQuery(q)).not.toThrow();
  });

  it('reads only own properties: nothing on Object.prototype is a query field', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.url = 42;
    proto.pagination = 'x';
    try {
      expect(validateQuery({ refId: 'A', url: 'https://a.amazonaws.com/' })).toEqual([]);
      expect(resolveQuery({ refId: 'A' }).url).toBe('');
    } finally {
      delete proto.url;
      delete proto.pagination;
    }
  });

  it('treats null as absent and reports a query that is not an object', () => {
    expect(
      validateQuery({
        refId: 'A',
        url: 'https://a.amazonaws.com/',
        body: null,
        pagination: null,
      } as unknown as SigilQuery),
    ).toEqual([]);
    expect(queryTypeProblems([1])).toEqual([{ path: '', message: 'the query must be an object (got a list)' }]);
  });
});
