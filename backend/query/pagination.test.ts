import { resolveQuery, validateQuery, type PaginationOptions, type SigilQuery } from '../../src/shared/query';
import { SigilError } from '../errors';
import { readPageToken, setOwnDotted, withTokenParam } from './pagination';
import { runQuery } from './engine';
import { FakeProxy, JSON_HEADERS, XML_HEADERS } from './testing';

const pag = (p: PaginationOptions) => resolveQuery({ refId: 'A', pagination: p }).pagination;

async function failure(p: Promise<unknown>): Promise<SigilError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SigilError);
    return e as SigilError;
  }
  throw new Error('expected a failure');
}

describe('setOwnDotted (token written into a JSON body)', () => {
  it('creates nested objects and keeps what is there', () => {
    const body: Record<string, unknown> = { Page: { Size: 5 }, Limit: 10 };
    setOwnDotted(body, 'Page.Token', 'T');
    setOwnDotted(body, 'Deep.A.B', { k: 1 });
    expect(JSON.parse(JSON.stringify(body))).toEqual({
      Page: { Size: 5, Token: 'T' },
      Limit: 10,
      Deep: { A: { B: { k: 1 } } },
    });
  });

  it.each(['__proto__', '__proto__.polluted', 'constructor.prototype.polluted', 'a.prototype', 'a..b', ''])(
    'refuses %j, naming the field',
    (field) => {
      const body: Record<string, unknown> = {};
      expect(() => setOwnDotted(body, field, 'x')).toThrow(/pagination\.tokenField/);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    },
  );

  it('writes an own property even where the prototype has a setter, and never walks inherited values', () => {
    const body = JSON.parse('{"a": 1}') as Record<string, unknown>;
    setOwnDotted(body, 'toString.x', 'T'); // toString is inherited: replaced by an own object, not walked into
    expect(Object.prototype.hasOwnProperty.call(body, 'toString')).toBe(true);
    expect((Object.prototype.toString as unknown as Record<string, unknown>).x).toBeUndefined();
    expect(JSON.parse(JSON.stringify(body))).toEqual({ a: 1, toString: { x: 'T' } });
  });
});

describe('readPageToken', () => {
  it('reads string, number, object and marker tokens; absent ends paging', async () => {
    expect(
      await readPageToken(
        { NextToken: 'abc' },
        pag({ mode: 'next_token', tokenPath: 'NextToken', tokenField: 'NextToken' }),
      ),
    ).toEqual({ kind: 'text', value: 'abc' });
    expect(await readPageToken({ n: 7 }, pag({ mode: 'next_token', tokenPath: 'n', tokenField: 'n' }))).toEqual({
      kind: 'text',
      value: '7',
    });
    expect(
      await readPageToken(
        { NextToken: null },
        pag({ mode: 'next_token', tokenPath: 'NextToken', tokenField: 'NextToken' }),
      ),
    ).toBeUndefined();
    const key = { pk: { S: 'a' }, sk: { N: '2' } };
    expect(
      await readPageToken(
        { LastEvaluatedKey: key },
        pag({
          mode: 'object_token',
          tokenPath: 'LastEvaluatedKey',
          tokenTarget: 'body',
          tokenField: 'ExclusiveStartKey',
        }),
      ),
    ).toEqual({ kind: 'json', value: key });
    expect(
      await readPageToken(
        { LastEvaluatedKey: {} },
        pag({ mode: 'object_token', tokenPath: 'LastEvaluatedKey', tokenField: 'x' }),
      ),
    ).toBeUndefined();
  });

  it('follows the truncation flag: false stops even with a token, true without a token is an error', async () => {
    const marker = pag({ mode: 'marker', tokenPath: 'R.Marker', truncatedPath: 'R.IsTruncated', tokenField: 'Marker' });
    expect(await readPageToken({ R: { IsTruncated: 'false', Marker: 'm1' } }, marker)).toBeUndefined();
    expect(await readPageToken({ R: { IsTruncated: 'true', Marker: 'm1' } }, marker)).toEqual({
      kind: 'text',
      value: 'm1',
    });
    expect(await readPageToken({ R: { IsTruncated: true, Marker: 'm1' } }, marker)).toEqual({
      kind: 'text',
      value: 'm1',
    });
    expect((await failure(readPageToken({ R: { IsTruncated: 'true' } }, marker))).message).toMatch(
      /more pages remain \(R\.IsTruncated is true\) but has no token at pagination\.tokenPath "R\.Marker"/,
    );
    expect((await failure(readPageToken({ R: { IsTruncated: 'maybe' } }, marker))).message).toMatch(
      /pagination\.truncatedPath "R\.IsTruncated" gave a string/,
    );
  });

  it('a token of the wrong type is an error that says which mode to use', async () => {
    const next = pag({
      mode: 'next_token',
      tokenPath: 'LastEvaluatedKey',
      tokenField: 'ExclusiveStartKey',
      tokenTarget: 'body',
    });
    const err = await failure(readPageToken({ LastEvaluatedKey: { id: { S: '1' } } }, next));
    expect(err.message).toMatch(
      /token at "LastEvaluatedKey" is an object, which next_token pagination cannot send back; choose pagination mode "object token"/,
    );
    expect(
      (await failure(readPageToken({ T: ['a', 'b'] }, pag({ mode: 'marker', tokenPath: 'T', tokenField: 'm' }))))
        .message,
    ).toMatch(/is a list of 2 values/);
    expect(
      (await failure(readPageToken({ T: true }, pag({ mode: 'marker', tokenPath: 'T', tokenField: 'm' })))).message,
    ).toMatch(/is a boolean/);
  });

  it('an object token cannot go into a param', () => {
    expect(() => withTokenParam([], 'k', { kind: 'json', value: { a: 1 } })).toThrow(
      /object token cannot be sent as the query parameter "k"/,
    );
  });
});

describe('validation names the field', () => {
  const base: Partial<SigilQuery> = {
    url: 'https://dynamodb.us-east-1.amazonaws.com/',
    method: 'POST',
    bodyType: 'json',
    body: '{}',
  };
  it.each([
    [
      { mode: 'object_token', tokenPath: 'LastEvaluatedKey', tokenField: 'ExclusiveStartKey', tokenTarget: 'param' },
      'pagination.tokenTarget',
      /copied as JSON into a body field/,
    ],
    [
      { mode: 'next_token', tokenPath: 'N', tokenField: '__proto__.x', tokenTarget: 'body' },
      'pagination.tokenField',
      /may not have empty, __proto__, constructor or prototype parts/,
    ],
    [
      { mode: 'pages' as 'marker', tokenPath: 'N', tokenField: 'x' },
      'pagination.mode',
      /one of none, next_token, object_token, marker/,
    ],
  ] as const)('%j', (p, path, message) => {
    const problems = validateQuery({ refId: 'A', ...base, pagination: p as PaginationOptions });
    expect(problems).toEqual([{ path, message: expect.stringMatching(message) }]);
  });

  it('variable and annotation columns are names', () => {
    expect(
      validateQuery({
        refId: 'A',
        url: 'https://x/',
        queryType: 'annotation',
        annotation: { tagsFields: 'a,b' as unknown as string[], textField: 3 as unknown as string },
      }),
    ).toEqual([
      { path: 'annotation.textField', message: 'annotation.textField must be a string (got number 3)' },
      { path: 'annotation.tagsFields', message: 'annotation.tagsFields must be a list of strings (got string "a,b")' },
    ]);
  });

  it('old saved queries (next_token without truncatedPath) stay valid', () => {
    expect(
      validateQuery({
        refId: 'A',
        url: 'https://x/',
        pagination: { mode: 'next_token', tokenPath: 'NextToken', tokenField: 'NextToken' },
      }),
    ).toEqual([]);
  });
});

describe('paging through the engine', () => {
  const ctx = (proxy: FakeProxy) => ({ proxy, settings: {}, timeRange: { fromMs: 0, toMs: 1 }, intervalMs: 1000 });

  it('DynamoDB Scan: copies a composite LastEvaluatedKey into ExclusiveStartKey over 3 pages', async () => {
    const items = Array.from({ length: 25 }, (_, i) => ({ pk: { S: `p${i % 3}` }, sk: { N: String(i) } }));
    const proxy = new FakeProxy((req) => {
      const body = JSON.parse(req.body as string) as { Limit: number; ExclusiveStartKey?: { sk: { N: string } } };
      const start = body.ExclusiveStartKey ? Number(body.ExclusiveStartKey.sk.N) + 1 : 0;
      const page = items.slice(start, start + body.Limit);
      const last = page[page.length - 1];
      return {
        headers: JSON_HEADERS,
        body: JSON.stringify({
          Items: page,
          Count: page.length,
          ...(start + body.Limit < items.length ? { LastEvaluatedKey: last } : {}),
        }),
      };
    });
    const [frame] = await runQuery(
      {
        refId: 'A',
        url: 'https://dynamodb.us-east-1.amazonaws.com/',
        method: 'POST',
        bodyType: 'json',
        body: '{"TableName": "t", "Limit": 10}',
        rootSelector: 'Items',
        pagination: {
          mode: 'object_token',
          tokenPath: 'LastEvaluatedKey',
          tokenTarget: 'body',
          tokenField: 'ExclusiveStartKey',
        },
      },
      ctx(proxy),
    );
    expect(proxy.sent).toHaveLength(3);
    expect(JSON.parse(proxy.sent[1].body as string)).toEqual({
      TableName: 't',
      Limit: 10,
      ExclusiveStartKey: { pk: { S: 'p0' }, sk: { N: '9' } },
    });
    expect(frame.fields.find((f) => f.name === 'sk.N')?.values).toEqual(items.map((it) => it.sk.N));
    expect(frame.meta?.executedQueryString).toMatch(/\(3 page\(s\)\)$/);
  });

  it('IAM-style markers with IsTruncated, in a form body', async () => {
    const proxy = new FakeProxy((req, i) => {
      const more = i < 2;
      return {
        headers: XML_HEADERS,
        body: `<ListRolesResponse><ListRolesResult><Roles><member><RoleName>r${i}</RoleName></member></Roles><IsTruncated>${more}</IsTruncated>${more ? `<Marker>${i + 1}</Marker>` : ''}</ListRolesResult></ListRolesResponse>`,
      };
    });
    const [frame] = await runQuery(
      {
        refId: 'A',
        url: 'https://iam.amazonaws.com/',
        bodyType: 'form',
        form: [{ key: 'Action', value: 'ListRoles' }],
        format: 'xml',
        rootSelector: 'ListRolesResponse.ListRolesResult.Roles',
        pagination: {
          mode: 'marker',
          tokenPath: 'ListRolesResponse.ListRolesResult.Marker',
          truncatedPath: 'ListRolesResponse.ListRolesResult.IsTruncated',
          tokenTarget: 'body',
          tokenField: 'Marker',
        },
      },
      ctx(proxy),
    );
    expect(proxy.sent.map((r) => r.body)).toEqual([
      'Action=ListRoles',
      'Action=ListRoles&Marker=1',
      'Action=ListRoles&Marker=2',
    ]);
    expect(frame.fields[0].values).toEqual(['r0', 'r1', 'r2']);
  });

  it('S3 ListObjectsV2: NextContinuationToken to the continuation-token param while IsTruncated', async () => {
    const proxy = new FakeProxy((req, i) => ({
      headers: XML_HEADERS,
      body: `<ListBucketResult><IsTruncated>${i < 2}</IsTruncated><Contents><Key>k${i}</Key><Size>${i}</Size></Contents>${i < 2 ? `<NextContinuationToken>c/${i}=</NextContinuationToken>` : ''}</ListBucketResult>`,
    }));
    const [frame] = await runQuery(
      {
        refId: 'A',
        url: 'https://b.s3.amazonaws.com/',
        params: [{ key: 'list-type', value: '2' }],
        format: 'xml',
        rootSelector: 'ListBucketResult.Contents',
        pagination: {
          mode: 'next_token',
          tokenPath: 'ListBucketResult.NextContinuationToken',
          truncatedPath: 'ListBucketResult.IsTruncated',
          tokenTarget: 'param',
          tokenField: 'continuation-token',
        },
      },
      ctx(proxy),
    );
    expect(proxy.sent.map((r) => r.url)).toEqual([
      'https://b.s3.amazonaws.com/?list-type=2',
      'https://b.s3.amazonaws.com/?list-type=2&continuation-token=c%2F0%3D',
      'https://b.s3.amazonaws.com/?list-type=2&continuation-token=c%2F1%3D',
    ]);
    expect(frame.fields.map((f) => [f.name, f.type, f.values])).toEqual([
      ['Key', 'string', ['k0', 'k1', 'k2']],
      ['Size', 'number', [0, 1, 2]],
    ]);
  });

  it('an object token met in next_token mode fails the query instead of stopping after page 1', async () => {
    const proxy = new FakeProxy(() => ({
      headers: JSON_HEADERS,
      body: '{"Items":[{"a":1}],"LastEvaluatedKey":{"id":{"S":"1"}}}',
    }));
    const err = await failure(
      runQuery(
        {
          refId: 'A',
          url: 'https://dynamodb.us-east-1.amazonaws.com/',
          method: 'POST',
          bodyType: 'json',
          body: '{}',
          rootSelector: 'Items',
          pagination: {
            mode: 'next_token',
            tokenPath: 'LastEvaluatedKey',
            tokenTarget: 'body',
            tokenField: 'ExclusiveStartKey',
          },
        },
        ctx(proxy),
      ),
    );
    expect(err.message).toMatch(/is an object.*object token/);
  });
});
