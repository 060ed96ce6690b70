// URL and redirect tricks (held, must keep holding): encodings, IP spellings, IPv6, userinfo, dot segments,
// schemes, redirect chains and loops, redirect re-signing. The data source allows only <api>/api/.
import type { AttackCase, CaseContext } from '../lib/runner';
import { must } from '../lib/runner';
import { answered, failed, refused } from './expect';

const K = 'URL and redirect tricks';

/** A data source without endpoint that allows only the case server's /api/ prefix. */
function apiOnly(ctx: CaseContext) {
  return ctx.ds({ endpoint: undefined, allowedUrls: [`${ctx.api.url}/api/`] });
}

function refusedUrl(id: string, title: string, url: (ctx: CaseContext) => string): AttackCase {
  return {
    id: `url.${id}`,
    klass: K,
    title: `${title}: refused, nothing sent`,
    async run(ctx) {
      refused(await ctx.one(apiOnly(ctx), { url: url(ctx), format: 'json' }));
    },
  };
}

const port = (ctx: CaseContext) => ctx.api.port;

export const cases: AttackCase[] = [
  {
    id: 'url.allowed-baseline',
    klass: K,
    title: 'the allowed prefix itself answers 3 rows (the guard is not simply closed)',
    async run(ctx) {
      answered(await ctx.one(apiOnly(ctx), { url: `${ctx.api.url}/api/rows`, format: 'json' }), 3);
    },
  },
  refusedUrl(
    'other-loopback',
    'another loopback address on the same port',
    (ctx) => `http://127.0.0.2:${port(ctx)}/api/rows`,
  ),
  refusedUrl(
    'short-ipv4',
    'a short IPv4 spelling of another host (127.2)',
    (ctx) => `http://127.2:${port(ctx)}/api/rows`,
  ),
  refusedUrl(
    'hex-ipv4',
    'a hexadecimal IPv4 spelling (0x7f000002)',
    (ctx) => `http://0x7f000002:${port(ctx)}/api/rows`,
  ),
  refusedUrl(
    'decimal-ipv4',
    'a decimal IPv4 spelling (2130706434)',
    (ctx) => `http://2130706434:${port(ctx)}/api/rows`,
  ),
  refusedUrl('octal-ipv4', 'an octal IPv4 spelling (0177.0.0.2)', (ctx) => `http://0177.0.0.2:${port(ctx)}/api/rows`),
  refusedUrl('ipv6-loopback', 'IPv6 loopback on the same port', (ctx) => `http://[::1]:${port(ctx)}/api/rows`),
  refusedUrl(
    'ipv4-mapped-ipv6',
    'an IPv4-mapped IPv6 address of another host',
    (ctx) => `http://[::ffff:127.0.0.2]:${port(ctx)}/api/rows`,
  ),
  refusedUrl(
    'localhost-name',
    'the name localhost for the allowed address',
    (ctx) => `http://localhost:${port(ctx)}/api/rows`,
  ),
  refusedUrl(
    'other-port',
    'the allowed host on another port',
    (ctx) => ctx.suite.canaries.canaries.find((c) => c.host === '127.0.0.1')?.url + '/api/rows',
  ),
  refusedUrl(
    'canary-host',
    'a canary on 127.0.0.5',
    (ctx) => ctx.suite.canaries.canaries.find((c) => c.host === '127.0.0.5')?.url + '/api/rows',
  ),
  refusedUrl('path-outside', 'a path outside the allowed prefix', (ctx) => `${ctx.api.url}/forbidden/x`),
  refusedUrl(
    'prefix-lookalike',
    'a path that only starts with the prefix text (/api-evil/)',
    (ctx) => `${ctx.api.url}/api-evil/x`,
  ),
  refusedUrl('dot-segments', 'dot segments out of the prefix', (ctx) => `${ctx.api.url}/api/../forbidden/x`),
  refusedUrl('encoded-dots', 'percent-encoded dot segments (%2e%2e)', (ctx) => `${ctx.api.url}/api/%2e%2e/forbidden/x`),
  refusedUrl(
    'encoded-slash-dots',
    'dots with an encoded slash (..%2f)',
    (ctx) => `${ctx.api.url}/api/..%2fforbidden/x`,
  ),
  refusedUrl('mixed-dots', 'a half-encoded dot segment (.%2E)', (ctx) => `${ctx.api.url}/api/.%2E/forbidden/x`),
  {
    id: 'url.double-encoded-dots',
    klass: K,
    title: 'double-encoded dots (%252e%252e): refused, or sent as is under the prefix (the API answers 404)',
    async run(ctx) {
      const r = await ctx.one(apiOnly(ctx), { url: `${ctx.api.url}/api/%252e%252e/forbidden/x`, format: 'json' });
      if (r.status === 403) refused(r);
      else failed(r, 404, 'downstream', /no route \/api\/%252e%252e\/forbidden/);
    },
  },
  refusedUrl(
    'backslash-host',
    'a backslash that WHATWG reads as a slash (allowed\\@canary)',
    (ctx) => `http://127.0.0.2:${port(ctx)}\\@127.0.0.1:${port(ctx)}/api/rows`,
  ),
  refusedUrl(
    'userinfo-at-canary',
    'allowed host as userinfo of a canary (allowed@canary)',
    (ctx) => `http://127.0.0.1:${port(ctx)}@127.0.0.2:${port(ctx)}/api/rows`,
  ),
  refusedUrl(
    'fragment-at',
    'a fragment with an @ (allowed#@canary) pointing nowhere else',
    (ctx) => `http://127.0.0.2:${port(ctx)}/api/rows#@127.0.0.1:${port(ctx)}`,
  ),
  {
    id: 'url.uppercase-scheme-host',
    klass: K,
    title: 'HTTP:// and an upper-case path prefix spelling of the allowed URL: allowed after normalising, 3 rows',
    async run(ctx) {
      answered(await ctx.one(apiOnly(ctx), { url: `HTTP://127.0.0.1:${port(ctx)}/api/rows`, format: 'json' }), 3);
    },
  },
  ...[
    'file:///etc/passwd',
    'ftp://127.0.0.1/x',
    'gopher://127.0.0.1:70/x',
    'data:application/json,[{"a":1}]',
    'javascript:alert(1)',
  ].map((u, i): AttackCase => ({
    id: `url.scheme-${i}`,
    klass: K,
    title: `the non-http scheme ${u.split(':')[0]}: refused as a bad query (400) or by the guard (403)`,
    async run(ctx) {
      const r = await ctx.one(apiOnly(ctx), { url: u, format: 'json' });
      failed(r, [400, 403], 'plugin', /http|refused|scheme/);
    },
  })),
  {
    id: 'url.crlf-in-url',
    klass: K,
    title:
      'CR/LF in the URL cannot add a header or a request: error 400, or the bytes stay percent-encoded in the path',
    async run(ctx) {
      const r = await ctx.one(apiOnly(ctx), {
        url: `${ctx.api.url}/api/rows\r\nHost: 127.0.0.2\r\n\r\nGET /forbidden/x HTTP/1.1`,
        format: 'json',
      });
      if (r.status === 200) {
        must(
          ctx.api.requests.every((q) => !q.headers['x-injected'] && q.headers.host === `127.0.0.1:${port(ctx)}`),
          'a header was injected',
        );
      } else failed(r, [400, 403, 404], undefined);
    },
  },
  // Redirects.
  {
    id: 'redirect.to-canary',
    klass: K,
    title: 'a redirect from the allowed API to another loopback host: refused, not followed',
    async run(ctx) {
      const r = await ctx.one(apiOnly(ctx), {
        url: `${ctx.api.url}/api/redirect`,
        params: [{ key: 'to', value: `http://127.0.0.2:${port(ctx)}/api/rows` }],
        format: 'json',
      });
      refused(r);
    },
  },
  {
    id: 'redirect.protocol-relative',
    klass: K,
    title: 'a protocol-relative redirect (//canary): refused',
    async run(ctx) {
      refused(
        await ctx.one(apiOnly(ctx), {
          url: `${ctx.api.url}/api/redirect`,
          params: [{ key: 'to', value: `//127.0.0.3:${port(ctx)}/api/rows` }],
          format: 'json',
        }),
      );
    },
  },
  {
    id: 'redirect.relative-out',
    klass: K,
    title: 'a relative redirect out of the prefix (../forbidden): refused',
    async run(ctx) {
      refused(
        await ctx.one(apiOnly(ctx), {
          url: `${ctx.api.url}/api/redirect`,
          params: [{ key: 'to', value: '../forbidden/x' }],
          format: 'json',
        }),
      );
    },
  },
  {
    id: 'redirect.userinfo',
    klass: K,
    title: 'a redirect to a URL with userinfo: refused',
    async run(ctx) {
      const r = await ctx.one(apiOnly(ctx), {
        url: `${ctx.api.url}/api/redirect`,
        params: [{ key: 'to', value: `http://u:p@127.0.0.1:${port(ctx)}/api/rows` }],
        format: 'json',
      });
      refused(r);
    },
  },
  {
    id: 'redirect.to-proxy-canary',
    klass: K,
    title: 'a 307 redirect to an https host outside loopback: refused before any proxy CONNECT',
    async run(ctx) {
      refused(
        await ctx.one(apiOnly(ctx), {
          url: `${ctx.api.url}/api/redirect`,
          params: [
            { key: 'to', value: 'https://evil.example.com/steal' },
            { key: 'status', value: '307' },
          ],
          method: 'POST',
          bodyType: 'raw',
          body: 'x',
          format: 'json',
        }),
      );
    },
  },
  {
    id: 'redirect.chain',
    klass: K,
    title: 'a chain of 3 redirects inside the prefix is followed: 3 rows',
    async run(ctx) {
      answered(
        await ctx.one(apiOnly(ctx), {
          url: `${ctx.api.url}/api/chain`,
          params: [{ key: 'n', value: '3' }],
          format: 'json',
        }),
        3,
      );
    },
  },
  {
    id: 'redirect.loop',
    klass: K,
    title: 'a redirect loop ends with "too many redirects" (downstream), not a hang',
    async run(ctx) {
      failed(
        await ctx.one(apiOnly(ctx), { url: `${ctx.api.url}/api/loop`, format: 'json' }),
        [502, 508, 400],
        'downstream',
        /too many redirects/,
      );
    },
  },
  {
    id: 'redirect.resigned',
    klass: K,
    title: 'each hop of a redirect is signed again: a new Authorization for the new URL',
    async run(ctx) {
      answered(
        await ctx.one(apiOnly(ctx), {
          url: `${ctx.api.url}/api/chain`,
          params: [{ key: 'n', value: '1' }],
          format: 'json',
        }),
        3,
      );
      const hops = ctx.api.requests.filter((q) => q.path.startsWith('/api/'));
      must(hops.length === 3, `expected 3 hops, saw ${hops.map((h) => h.path).join(', ')}`);
      const sigs = hops.map((h) => /Signature=([0-9a-f]{64})/.exec(String(h.headers.authorization ?? ''))?.[1]);
      must(
        sigs.every(Boolean) && new Set(sigs).size === 3,
        `every hop must carry its own signature, got ${sigs.join(', ')}`,
      );
    },
  },
];
