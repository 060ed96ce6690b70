// Secret echo: an API that echoes the request (Authorization, X-Amz-Security-Token, body) or holds a
// configured secret and returns it raw, JSON-escaped with \/, URL-encoded or base64. Every output (frames,
// errors, health, preview, stderr) is searched by the runner for every credential in every form; each case
// also states what must still work.
import type { AttackCase, CaseContext } from '../lib/runner';
import { ENV_CREDENTIALS, must, show } from '../lib/runner';
import { answered, failed } from './expect';
import type { HostDataSource } from '../../lib/grafanaHost';

const K = 'secret echo';
const ROLE = 'arn:aws:iam::123456789012:role/attack-echo';

function echoed(id: string, title: string, ds: (ctx: CaseContext) => HostDataSource, path = 'api/echo'): AttackCase {
  return {
    id: `echo.${id}`,
    klass: K,
    title: `${title}: the answer is shown (1 row) with every credential masked`,
    async run(ctx) {
      const r = await ctx.one(ds(ctx), { method: 'POST', url: path, bodyType: 'raw', body: 'hello', format: 'json' });
      answered(r, 1);
      must(
        !/Credential=[A-Z0-9]{16,}/.test(JSON.stringify(r.frames)),
        `the Authorization header was shown unmasked: ${show(r)}`,
      );
    },
  };
}

function planted(form: string, which: 'secretKey' | 'sessionToken'): AttackCase {
  return {
    id: `echo.planted-${which}-${form}`,
    klass: K,
    title: `an API returning the configured ${which} ${form}: 1 row, masked`,
    async run(ctx) {
      const ds = ctx.ds();
      ctx.api.planted.s = String(ds.secureJsonData?.[which]);
      answered(
        await ctx.one(ds, {
          url: 'api/plant',
          params: [
            { key: 'name', value: 's' },
            { key: 'form', value: form },
          ],
          format: 'json',
        }),
        1,
      );
    },
  };
}

export const cases: AttackCase[] = [
  echoed('configured-keys', 'configured keys and session token echoed as JSON', (ctx) => ctx.ds()),
  echoed('configured-escaped', 'the echo with every "/" escaped as \\/', (ctx) => ctx.ds(), 'api/echo-escaped'),
  echoed('configured-base64', 'the echo as one base64 blob', (ctx) => ctx.ds(), 'api/echo-b64'),
  echoed('configured-urlenc', 'the echo URL-encoded', (ctx) => ctx.ds(), 'api/echo-urlenc'),
  echoed('assumed-role', "an assumed role's session token echoed", (ctx) => ctx.ds({ assumeRoleArn: ROLE })),
  echoed(
    'assumed-role-escaped',
    "an assumed role's session token echoed with \\/",
    (ctx) => ctx.ds({ assumeRoleArn: ROLE }),
    'api/echo-escaped',
  ),
  echoed('env-default-chain', "the default chain's environment credentials echoed", (ctx) =>
    ctx.ds({ authType: 'default' }, { creds: false }),
  ),
  echoed(
    'env-default-chain-b64',
    "the default chain's environment credentials echoed in base64",
    (ctx) => ctx.ds({ authType: 'default' }, { creds: false }),
    'api/echo-b64',
  ),
  planted('raw', 'secretKey'),
  planted('json', 'secretKey'),
  planted('url', 'secretKey'),
  planted('base64', 'secretKey'),
  planted('base64-inner', 'secretKey'),
  planted('json', 'sessionToken'),
  planted('url', 'sessionToken'),
  planted('base64', 'sessionToken'),
  {
    id: 'echo.env-secret-planted',
    klass: K,
    title: 'an API returning the environment secret key JSON-escaped: 1 row, masked',
    async run(ctx) {
      ctx.api.planted.s = ENV_CREDENTIALS.secretAccessKey;
      answered(
        await ctx.one(ctx.ds({ authType: 'default' }, { creds: false }), {
          url: 'api/plant',
          params: [
            { key: 'name', value: 's' },
            { key: 'form', value: 'json' },
          ],
          format: 'json',
        }),
        1,
      );
    },
  },
  {
    id: 'echo.query-error',
    klass: K,
    title: "the echo inside an API error (400): the error names the API's message, masked",
    async run(ctx) {
      failed(await ctx.one(ctx.ds(), { url: 'api/echo-error', format: 'json' }), 400, 'downstream', /EchoException/);
    },
  },
  {
    id: 'echo.xml-error-assumed',
    klass: K,
    title: 'an XML error echoing Authorization and an assumed token: 403 SignatureDoesNotMatch, masked',
    async run(ctx) {
      failed(
        await ctx.one(ctx.ds({ assumeRoleArn: ROLE }), { url: 'api/echo-xml-error', format: 'xml' }),
        403,
        'downstream',
        /SignatureDoesNotMatch/,
      );
    },
  },
  {
    id: 'echo.health-testUrl',
    klass: K,
    title: 'Save & test with a testUrl whose error echoes the request: ERROR naming the test URL step, masked',
    async run(ctx) {
      const h = await ctx.health(ctx.ds({ testUrl: `${ctx.api.url}/api/echo-error` }));
      must(
        h.status === 'ERROR' && /EchoException|400/.test(h.message ?? ''),
        `expected ERROR from the test URL, got ${h.status}: ${h.message}`,
      );
    },
  },
  {
    id: 'echo.health-assumed',
    klass: K,
    title: 'Save & test (AssumeRole) with a testUrl echoing the assumed token: ERROR, masked',
    async run(ctx) {
      const h = await ctx.health(ctx.ds({ assumeRoleArn: ROLE, testUrl: `${ctx.api.url}/api/echo-xml-error` }));
      must(h.status === 'ERROR', `expected ERROR from the test URL, got ${h.status}: ${h.message}`);
    },
  },
  {
    id: 'echo.preview',
    klass: K,
    title: 'the editor preview of the echo: 200 with the body shown, credentials masked',
    async run(ctx) {
      const res = await ctx.resource(ctx.ds(), {
        query: { method: 'POST', url: 'api/echo', bodyType: 'raw', body: 'hello' },
      });
      must(
        res.code === 200 && /hello/.test(res.body ?? ''),
        `expected the preview, got ${res.code} ${res.body?.slice(0, 200)}`,
      );
    },
  },
  {
    id: 'echo.preview-header-by-value',
    klass: K,
    title: 'the preview of an answer echoing the token in a harmless header name: header masked by value',
    async run(ctx) {
      const res = await ctx.resource(ctx.ds(), { query: { url: 'api/echo-header' } });
      must(res.code === 200, `expected the preview, got ${res.code} ${res.body?.slice(0, 200)}`);
    },
  },
  {
    id: 'echo.preview-assumed',
    klass: K,
    title: 'the preview of the echo with an assumed role: 200, the assumed token masked',
    async run(ctx) {
      const res = await ctx.resource(ctx.ds({ assumeRoleArn: ROLE }), { query: { url: 'api/echo-escaped' } });
      must(res.code === 200, `expected the preview, got ${res.code} ${res.body?.slice(0, 200)}`);
    },
  },
  {
    id: 'echo.preview-env',
    klass: K,
    title: 'the preview of the echo with the default chain: 200, the environment token masked',
    async run(ctx) {
      const res = await ctx.resource(ctx.ds({ authType: 'default' }, { creds: false }), {
        query: { url: 'api/echo-b64' },
      });
      must(res.code === 200, `expected the preview, got ${res.code} ${res.body?.slice(0, 200)}`);
    },
  },
];
