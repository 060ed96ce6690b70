import type { DataQuery, PluginContext, QueryDataRequest } from '../protocol/types';
import type { HandlerDeps } from './deps';
import type { Settings } from '../settings/types';
import { sigilError } from '../errors';
import { createRedactor } from '../redaction';
import { fixedInstances } from '../instances/testing';
import { FakeProxy, JSON_HEADERS } from '../query/testing';
import { queryData } from './queryData';
import { readFrames } from '../frames/testing';

const settings = {
  uid: 'u',
  name: 'n',
  authType: 'keys',
  region: 'us-east-1',
  allowedUrls: [],
  timeoutMs: 1000,
  maxResponseBytes: 1e6,
} as unknown as Settings;

function deps(proxy: FakeProxy, fail?: string): HandlerDeps {
  return {
    instances: fixedInstances(() => {
      if (fail) throw sigilError('settings', fail);
      return { settings, proxy };
    }),
    redactor: createRedactor(),
  };
}

const q = (refId: string, body: unknown, queryType = ''): DataQuery => ({
  refId,
  queryType,
  maxDataPoints: 100,
  intervalMs: 1000,
  timeRange: { fromMs: 0, toMs: 60_000 },
  json: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});
const req = (...queries: DataQuery[]): QueryDataRequest => ({
  pluginContext: {} as PluginContext,
  headers: {},
  queries,
});

describe('queryData', () => {
  const proxy = new FakeProxy((r) =>
    r.url.includes('/bad')
      ? { status: 400, headers: JSON_HEADERS, body: '{"__type":"ValidationException","message":"nope"}' }
      : { headers: JSON_HEADERS, body: '[{"v":1}]' },
  );

  it('answers each refId on its own: data, downstream error, plugin error, malformed JSON, echo', async () => {
    const res = await queryData(
      req(
        q('A', { url: 'https://a.amazonaws.com/ok' }),
        q('B', { queryType: 'http', url: 'https://a.amazonaws.com/bad' }),
        q('C', { url: 'https://a.amazonaws.com/ok', format: 'yaml' }),
        q('D', '{nope'),
        q('E', { values: [1, 2] }, 'echo'),
        q('F', { url: 'x' }, 'graphql'),
      ),
      deps(proxy),
    );
    expect(res.responses.A.status).toBe(200);
    expect(res.responses.A.error).toBeUndefined();
    expect(readFrames(res.responses.A.frames)).toEqual([
      expect.objectContaining({ refId: 'A', fields: [{ name: 'v', type: 'number', values: [1] }] }),
    ]);
    // Written as Arrow by the query's worker; the main thread only passes the bytes on.
    expect(res.responses.A.frames[0]).toEqual({ arrow: expect.any(Uint8Array) });
    expect(res.responses.B).toEqual({
      frames: [],
      status: 400,
      errorSource: 'downstream',
      error: 'a.amazonaws.com answered HTTP 400 ValidationException: nope',
    });
    expect(res.responses.C).toMatchObject({
      status: 400,
      errorSource: 'plugin',
      error: expect.stringContaining('format must be one of'),
    });
    expect(res.responses.D).toMatchObject({
      status: 400,
      errorSource: 'plugin',
      error: expect.stringContaining('query JSON is malformed'),
    });
    expect(readFrames(res.responses.E.frames)[0].fields[1].values).toEqual([1, 2]);
    expect(res.responses.F).toMatchObject({
      status: 400,
      error: 'unknown query type "graphql"; use one of: http, variable, annotation, echo',
    });
  });

  it('names a wrong-typed field with status 400 from the plugin, never an internal error', async () => {
    const res = await queryData(
      req(
        q('A', { url: 42 }),
        q('B', { url: 'https://a.amazonaws.com/ok', params: [{ key: 'a', value: 1 }] }),
        q('C', { url: 'https://a.amazonaws.com/ok', pagination: { mode: 'next_token', maxPages: '3' } }),
        q('D', '{"url":"https://a.amazonaws.com/ok","__proto__":{"endpoint":"https://evil.example"}}'),
      ),
      deps(proxy),
    );
    expect(res.responses.A).toEqual({
      frames: [],
      status: 400,
      errorSource: 'plugin',
      error: 'the query is not valid: url: url must be a string (got number 42)',
    });
    expect(res.responses.B).toMatchObject({
      status: 400,
      errorSource: 'plugin',
      error: expect.stringContaining('params[0].value must be a string'),
    });
    expect(res.responses.C).toMatchObject({
      status: 400,
      errorSource: 'plugin',
      error: expect.stringContaining('pagination.maxPages must be a number'),
    });
    expect(res.responses.D).toMatchObject({
      status: 400,
      errorSource: 'plugin',
      error: expect.stringContaining('field named "__proto__"'),
    });
  });

  it('gives every http query the settings error, and keeps echo working without settings', async () => {
    const res = await queryData(
      req(q('A', { url: 'https://a/' }), q('E', {}, 'echo')),
      deps(proxy, 'jsonData.defaultRegion: enter a region'),
    );
    expect(res.responses.A).toMatchObject({ errorSource: 'plugin', error: 'jsonData.defaultRegion: enter a region' });
    expect(res.responses.E.status).toBe(200);
  });
});
