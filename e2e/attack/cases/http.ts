// Header injection, userinfo, bodiless answers with a big declared length, compressed answers, and many
// queries in one request.
import type { AttackCase, CaseContext } from '../lib/runner';
import { must, show } from '../lib/runner';
import { answered, failed, refused } from './expect';

const K1 = 'header injection';
const K2 = 'userinfo';
const K3 = 'HEAD/204/304 with a big declared length';
const K4 = 'compressed answers';
const K5 = 'many queries in one request';

function headerCase(id: string, key: string, value: string, named: string): AttackCase {
  return {
    id: `header.${id}`,
    klass: K1,
    title: `header ${JSON.stringify(key)}: ${JSON.stringify(value)}: refused 400 naming the header, nothing sent`,
    async run(ctx) {
      const r = await ctx.one(ctx.ds(), { url: 'api/echo', format: 'json', headers: [{ key, value }] });
      failed(r, 400, 'plugin', new RegExp(named, 'i'));
      must(ctx.api.requests.filter((q) => q.path.startsWith('/api/')).length === 0, 'the request was sent');
    },
  };
}

const apiOnly = (ctx: CaseContext) => ctx.ds({ endpoint: undefined, allowedUrls: [`${ctx.api.url}/api/`] });

export const cases: AttackCase[] = [
  headerCase('crlf-value', 'X-Custom', 'a\r\nX-Injected: 1', 'X-Custom'),
  headerCase('lf-value', 'X-Custom', 'a\nHost: 127.0.0.2', 'X-Custom'),
  headerCase('cr-value', 'X-Custom', 'a\rb', 'X-Custom'),
  headerCase('nul-value', 'X-Custom', 'a\u0000b', 'X-Custom'),
  headerCase('crlf-name', 'X-A\r\nX-Injected', 'v', 'header'),
  headerCase('space-name', 'X A', 'v', 'header'),
  headerCase('colon-name', 'X-A:', 'v', 'header'),
  headerCase('macro-crlf', 'X-Custom', '${__from}\r\nX-Injected: 1', 'X-Custom'),
  {
    id: 'header.host-override',
    klass: K1,
    title: 'a Host header naming another host: refused (400 naming Host) or overridden by the allowed host',
    async run(ctx) {
      const r = await ctx.one(ctx.ds(), {
        url: 'api/rows',
        format: 'json',
        headers: [{ key: 'Host', value: `127.0.0.2:${ctx.api.port}` }],
      });
      if (r.status === 200)
        must(
          ctx.api.requests.every((q) => q.headers.host === `127.0.0.1:${ctx.api.port}`),
          'the foreign Host header was sent',
        );
      else failed(r, 400, 'plugin', /Host/);
    },
  },
  {
    id: 'header.param-crlf',
    klass: K1,
    title: 'CR/LF in a query param is percent-encoded on the wire: 3 rows, no injected header',
    async run(ctx) {
      answered(
        await ctx.one(ctx.ds(), {
          url: 'api/rows',
          format: 'json',
          params: [{ key: 'x', value: 'a\r\nX-Injected: 1' }],
        }),
        3,
      );
      must(
        ctx.api.requests.every((q) => !('x-injected' in q.headers)),
        'a header was injected',
      );
    },
  },
  // Userinfo.
  {
    id: 'userinfo.user-pass',
    klass: K2,
    title: 'http://user:pass@allowed/...: refused (403 "refused", names userinfo), nothing sent',
    async run(ctx) {
      refused(
        await ctx.one(apiOnly(ctx), { url: `http://user:pass@127.0.0.1:${ctx.api.port}/api/rows`, format: 'json' }),
        /userinfo|user info|credentials/i,
      );
    },
  },
  {
    id: 'userinfo.user-only',
    klass: K2,
    title: 'http://user@allowed/...: refused, nothing sent',
    async run(ctx) {
      refused(
        await ctx.one(apiOnly(ctx), { url: `http://user@127.0.0.1:${ctx.api.port}/api/rows`, format: 'json' }),
        /userinfo|user info|credentials/i,
      );
    },
  },
  {
    id: 'userinfo.empty',
    klass: K2,
    title: 'http://:@allowed/...: refused, nothing sent',
    async run(ctx) {
      refused(await ctx.one(apiOnly(ctx), { url: `http://:@127.0.0.1:${ctx.api.port}/api/rows`, format: 'json' }));
    },
  },
  {
    id: 'userinfo.encoded-at',
    klass: K2,
    title: 'http://a%40b@allowed/...: refused, nothing sent',
    async run(ctx) {
      refused(
        await ctx.one(apiOnly(ctx), { url: `http://a%40b:c@127.0.0.1:${ctx.api.port}/api/rows`, format: 'json' }),
      );
    },
  },
  {
    id: 'userinfo.endpoint',
    klass: K2,
    title: 'a path query against an endpoint carrying userinfo: refused or a settings error, nothing sent',
    async run(ctx) {
      const r = await ctx.one(ctx.ds({ endpoint: `http://user:pw@127.0.0.1:${ctx.api.port}` }), {
        url: 'api/rows',
        format: 'json',
      });
      failed(r, [400, 403], 'plugin', /refused|userinfo|settings|endpoint/i);
    },
  },
  {
    id: 'userinfo.path-at',
    klass: K2,
    title: 'an @ in the path (not userinfo) is fine: 404 from the API, not a refusal',
    async run(ctx) {
      failed(await ctx.one(apiOnly(ctx), { url: `${ctx.api.url}/api/a@b`, format: 'json' }), 404, 'downstream');
    },
  },
  // Bodiless answers.
  {
    id: 'bodiless.head',
    klass: K3,
    title: 'HEAD answered 200 with Content-Length 5 GB and maxResponseBytes 1 MB: no error',
    async run(ctx) {
      const r = await ctx.one(ctx.ds({ maxResponseBytes: 1_000_000 }), {
        method: 'HEAD',
        url: 'api/head-big',
        format: 'json',
      });
      must(r.status === 200 && !r.error, `expected no error, got ${show(r)}`);
    },
  },
  {
    id: 'bodiless.204',
    klass: K3,
    title: '204 with Content-Length 5 GB and maxResponseBytes 1 MB: no error',
    async run(ctx) {
      const r = await ctx.one(ctx.ds({ maxResponseBytes: 1_000_000 }), {
        method: 'DELETE',
        url: 'api/204-big',
        format: 'json',
      });
      must(r.status === 200 && !r.error, `expected no error, got ${show(r)}`);
    },
  },
  {
    id: 'bodiless.304',
    klass: K3,
    title: '304 with Content-Length 5 GB and maxResponseBytes 1 MB: no size-cap error',
    async run(ctx) {
      const r = await ctx.one(ctx.ds({ maxResponseBytes: 1_000_000 }), { url: 'api/304-big', format: 'json' });
      must(
        !/maxResponseBytes/.test(r.error ?? '') && r.status !== 413,
        `the size cap counted a bodiless 304: ${show(r)}`,
      );
    },
  },
  {
    id: 'bodiless.head-preview',
    klass: K3,
    title: 'the preview of a HEAD with Content-Length 5 GB: 200, status 200 shown',
    async run(ctx) {
      const res = await ctx.resource(ctx.ds({ maxResponseBytes: 1_000_000 }), {
        query: { method: 'HEAD', url: 'api/head-big' },
      });
      must(
        res.code === 200 && (res.json as { status?: number } | undefined)?.status === 200,
        `expected the preview, got ${res.code} ${res.body?.slice(0, 300)}`,
      );
    },
  },
  // Compressed answers.
  ...(['gzip', 'deflate', 'br'] as const).map((enc): AttackCase => ({
    id: `compressed.${enc}`,
    klass: K4,
    title: `a small ${enc} JSON answer is inflated: 3 rows`,
    async run(ctx) {
      answered(await ctx.one(ctx.ds(), { url: `api/${enc}`, format: 'json' }), 3);
    },
  })),
  ...(['gzip-bomb', 'br-bomb'] as const).map((path): AttackCase => ({
    id: `compressed.${path}`,
    klass: K4,
    runaway: true,
    title: `a ${path} inflating to 64 MiB over maxResponseBytes 1 MB: 413 naming maxResponseBytes`,
    async run(ctx) {
      failed(
        await ctx.one(ctx.ds({ maxResponseBytes: 1_000_000 }), { url: `api/${path}`, format: 'json' }),
        413,
        'plugin',
        /maxResponseBytes/,
      );
    },
  })),
  {
    id: 'compressed.lying-encoding',
    klass: K4,
    title: 'Content-Encoding gzip on a plain body: a clear error (422 or 502) once answers are inflated, not a crash',
    async run(ctx) {
      failed(
        await ctx.one(ctx.ds(), { url: 'api/gzip-lie', format: 'json' }),
        [422, 502],
        undefined,
        /gzip|inflat|decod|compress|header check/i,
      );
    },
  },
  // Many queries.
  ...[40, 120].map((n): AttackCase => ({
    id: `many.${n}`,
    klass: K5,
    title: `${n} queries in one request: all answer 3 rows, no Node warning on stderr`,
    async run(ctx) {
      const ds = ctx.ds();
      const { responses } = await ctx.query(
        ds,
        Array.from({ length: n }, (_, i) => ({
          refId: `M${i}`,
          json: { queryType: 'http', url: 'api/rows', format: 'json' },
        })),
      );
      const good = Object.values(responses).filter((r) => r.status === 200 && r.frames[0]?.rows === 3).length;
      must(good === n, `only ${good} of ${n} answered 3 rows`);
    },
  })),
];
