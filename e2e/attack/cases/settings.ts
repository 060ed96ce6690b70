// Fail-open settings: jsonData that is malformed, empty or not an object must fail closed with an error
// saying the settings could not be read (never the default chain, i.e. the Grafana server's own identity).
// The plugin's environment holds default-chain credentials and its proxy is a canary: falling open shows.
import type { AttackCase, CaseContext } from '../lib/runner';
import { must } from '../lib/runner';
import { failed } from './expect';

const K = 'fail-open settings';

function unreadable(id: string, raw: string): AttackCase[] {
  const ds = (ctx: CaseContext) => ({ ...ctx.ds({}, { creds: false }), jsonData: undefined, rawJsonData: raw });
  return [
    {
      id: `settings.${id}.query`,
      klass: K,
      title: `jsonData ${JSON.stringify(raw)}: a query fails closed, 400 naming the settings`,
      async run(ctx) {
        failed(await ctx.one(ds(ctx), { url: `${ctx.api.url}/api/echo`, format: 'json' }), 400, 'plugin', /settings/i);
      },
    },
    {
      id: `settings.${id}.health`,
      klass: K,
      title: `jsonData ${JSON.stringify(raw)}: Save & test says ERROR naming the settings`,
      async run(ctx) {
        const h = await ctx.health(ds(ctx), { timeoutMs: 60_000 });
        must(
          h.status === 'ERROR' && /settings/i.test(h.message ?? ''),
          `expected ERROR naming the settings, got ${h.status}: ${h.message}`,
        );
      },
    },
  ];
}

export const cases: AttackCase[] = [
  ...unreadable('malformed', '{"authType": "keys", '),
  ...unreadable('empty', ''),
  ...unreadable('array', '[]'),
  ...unreadable('string', '"keys"'),
  ...unreadable('number', '42'),
  ...unreadable('null', 'null'),
  {
    id: 'settings.resource-malformed',
    klass: K,
    title: 'malformed jsonData: the editor preview fails closed (400 naming the settings)',
    async run(ctx) {
      const res = await ctx.resource(
        { ...ctx.ds({}, { creds: false }), jsonData: undefined, rawJsonData: '{not json' } as never,
        { query: { url: `${ctx.api.url}/api/echo` } },
      );
      must(
        res.code === 400 && /settings/i.test(res.body ?? ''),
        `expected 400 naming the settings, got ${res.code} ${res.body?.slice(0, 300)}`,
      );
    },
  },
  {
    id: 'settings.allowedUrls-string',
    klass: K,
    title: 'allowedUrls given as a string, not a list: 400 naming allowedUrls',
    async run(ctx) {
      failed(
        await ctx.one(ctx.ds({ allowedUrls: `${ctx.api.url}/` }), { url: 'api/rows', format: 'json' }),
        400,
        'plugin',
        /allowedUrls/,
      );
    },
  },
  {
    id: 'settings.authType-number',
    klass: K,
    title: 'authType 42: 400 naming authType, never the default chain',
    async run(ctx) {
      failed(await ctx.one(ctx.ds({ authType: 42 }), { url: 'api/echo', format: 'json' }), 400, 'plugin', /authType/);
    },
  },
  {
    id: 'settings.timeout-text',
    klass: K,
    title: 'timeoutSeconds "abc": 400 naming timeoutSeconds',
    async run(ctx) {
      failed(
        await ctx.one(ctx.ds({ timeoutSeconds: 'abc' }), { url: 'api/rows', format: 'json' }),
        400,
        'plugin',
        /timeoutSeconds/,
      );
    },
  },
];
