import { resolveQuery, type SigilQuery } from '../../src/shared/query';
import { parseJson } from './parse/json';
import { answerReader } from './parse/read';
import { QueryProcessor, type PageOutcome } from './process';

function processor(q: Omit<SigilQuery, 'refId'>): QueryProcessor {
  return new QueryProcessor({ query: resolveQuery({ refId: 'A', ...q }), executed: 'GET /', secrets: [] });
}

function page(text: string, contentType: string): { body: Uint8Array; contentType: string; host: string } {
  return { body: Buffer.from(text), contentType, host: 'api.example' };
}

function frameValues(outcome: PageOutcome, field: string): unknown[] {
  const f = outcome.frames?.[0].fields.find((x) => x.name === field);
  if (!f) throw new Error(`no field ${field} in ${JSON.stringify(outcome)}`);
  return [...f.values];
}

// Counts the JSON parses a page costs; the parser itself is the real one.
jest.mock('./parse/json', () => {
  const actual = jest.requireActual<typeof import('./parse/json')>('./parse/json');
  return { ...actual, parseJson: jest.fn(actual.parseJson) };
});
const parses = parseJson as jest.MockedFunction<typeof parseJson>;

beforeEach(() => parses.mockClear());

describe('answerReader', () => {
  it('parses once per format and hands the same document back', () => {
    const read = answerReader('1');
    const first = read('json');
    expect(read('json')).toBe(first);
    expect(first.doc).toBe(1);
    expect(parses).toHaveBeenCalledTimes(1);
    expect(read('csv')).toEqual({ rows: [] }); // a header line and no rows: another reader, its own parse
    expect(read('csv')).toBe(read('csv'));
  });
});

describe('UQL with pagination', () => {
  const paged: Omit<SigilQuery, 'refId'> = {
    format: 'uql',
    uql: 'parse-json | scope "Items" | project "id"',
    pagination: { mode: 'next_token', tokenPath: 'NextToken', tokenField: 'NextToken' },
  };

  it('reads each page once for both the rows and the next token', async () => {
    const p = processor(paged);
    const first = await p.addPage(page('{"Items":[{"id":1,"x":0}],"NextToken":"t2"}', 'application/json'));
    expect(first.next).toEqual({ kind: 'text', value: 't2' });
    expect(parses).toHaveBeenCalledTimes(1);
    const last = await p.addPage(page('{"Items":[{"id":2,"x":0}]}', 'application/json'));
    expect(parses).toHaveBeenCalledTimes(2);
    expect(frameValues(last, 'id')).toEqual([1, 2]);
  });

  it('reads the token from an XML page, whose empty lists UQL sees as lists', async () => {
    const p = processor({
      format: 'uql',
      uql: 'parse-xml | scope "R.Items"',
      pagination: { mode: 'next_token', tokenPath: 'R.NextToken', tokenField: 'NextToken' },
    });
    const xml = (token: string) =>
      `<R><Items><member><n>a</n><Tags><member>t</member></Tags></member><member><n>b</n><Tags/></member></Items>${token}</R>`;
    const first = await p.addPage(page(xml('<NextToken>t2</NextToken>'), 'text/xml'));
    expect(first.next).toEqual({ kind: 'text', value: 't2' });
    const last = await p.addPage(page(xml(''), 'text/xml'));
    expect(frameValues(last, 'n')).toEqual(['a', 'b', 'a', 'b']);
    expect(frameValues(last, 'Tags').map((v) => JSON.parse(String(v)))).toEqual([['t'], [], ['t'], []]);
  });
});
