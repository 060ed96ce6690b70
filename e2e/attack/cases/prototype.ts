// Prototype pollution: user-given dotted paths and JSON (query model, pagination token field, UQL columns,
// column selectors, settings) must never reach Object.prototype. Every case is followed by the suite's
// pollution probe (a fresh data source must still have no endpoint / reach its own), and by a fresh process.
import type { AttackCase, CaseContext } from '../lib/runner';
import { must, show } from '../lib/runner';
import { answered, failed, namesField } from './expect';

const K = 'prototype pollution';

function tokenFieldCase(path: string, target: 'body' | 'param'): AttackCase {
  return {
    id: `proto.tokenField.${target}.${path}`,
    klass: K,
    freshProcessAfter: true,
    title: `pagination tokenField "${path}" (${target}) with a canary URL as token: refused with 400 naming pagination.tokenField`,
    async run(ctx: CaseContext) {
      ctx.api.planted.pageToken = ctx.suite.canaries.canaries[0].url;
      const r = await ctx.one(ctx.ds(), {
        method: 'POST',
        url: 'api/page',
        bodyType: target === 'body' ? 'json' : 'none',
        body: target === 'body' ? '{}' : '',
        format: 'json',
        rootSelector: 'items',
        pagination: { mode: 'next_token', tokenPath: 'NextToken', tokenTarget: target, tokenField: path, maxPages: 2 },
      });
      namesField(r, 'pagination.tokenField');
    },
  };
}

export const cases: AttackCase[] = [
  tokenFieldCase('__proto__.endpoint', 'body'),
  tokenFieldCase('constructor.prototype.endpoint', 'body'),
  tokenFieldCase('__proto__.allowedUrls', 'body'),
  tokenFieldCase('a.__proto__.testUrl', 'body'),
  tokenFieldCase('prototype.endpoint', 'body'),
  {
    id: 'proto.tokenField.param-plain',
    klass: K,
    title: 'a flat param named NextToken still paginates (the refusal is for prototype segments only): 2 rows',
    async run(ctx) {
      ctx.api.planted.pageToken = 'plain-token';
      const r = await ctx.one(ctx.ds(), {
        url: 'api/page',
        format: 'json',
        rootSelector: 'items',
        pagination: {
          mode: 'next_token',
          tokenPath: 'NextToken',
          tokenTarget: 'param',
          tokenField: 'NextToken',
          maxPages: 3,
        },
      });
      answered(r, 2);
    },
  },
  {
    id: 'proto.column-selector-read',
    klass: K,
    title: 'a column selector "constructor.name" reads no prototype: 400 naming columns[0].selector',
    async run(ctx) {
      const r = await ctx.one(ctx.ds(), {
        url: 'api/rows',
        format: 'json',
        columns: [{ selector: 'constructor.name', type: 'string' }],
      });
      namesField(r, 'columns[0].selector');
    },
  },
  {
    id: 'proto.column-selector-proto',
    klass: K,
    title: 'a column selector "__proto__.polluted": 400 naming columns[0].selector',
    async run(ctx) {
      const r = await ctx.one(ctx.ds(), {
        url: 'api/rows',
        format: 'json',
        columns: [{ selector: '__proto__.polluted', type: 'string' }],
      });
      namesField(r, 'columns[0].selector');
    },
  },
  {
    id: 'proto.answer-keys',
    klass: K,
    title: 'an answer with __proto__ / constructor.prototype keys: one row, "name" kept, nothing polluted',
    freshProcessAfter: true,
    async run(ctx) {
      const r = await ctx.one(ctx.ds(), {
        url: 'api/proto',
        params: [{ key: 'token', value: ctx.suite.canaries.canaries[1].url }],
        format: 'json',
        rootSelector: 'items',
      });
      answered(r, 1);
      must(
        !JSON.stringify(r.frames).includes('"yes"') || JSON.stringify(r.frames).includes('__proto__'),
        `a prototype value surfaced as an ordinary column: ${show(r)}`,
      );
    },
  },
  {
    id: 'proto.uql-extend',
    klass: K,
    freshProcessAfter: true,
    title: 'UQL extend "__proto__.endpoint"=...: refused (400 naming the column) or kept as a plain column',
    async run(ctx) {
      const r = await ctx.one(ctx.ds(), {
        url: 'api/proto',
        params: [{ key: 'token', value: ctx.suite.canaries.canaries[2].url }],
        format: 'uql',
        uql: 'parse-json | scope "items" | extend "__proto__.endpoint"="name", "constructor.prototype.testUrl"="name"',
      });
      if (r.status !== 200) failed(r, 400, 'plugin', /__proto__|constructor|prototype/);
    },
  },
  {
    id: 'proto.uql-project',
    klass: K,
    freshProcessAfter: true,
    title: 'UQL project "__proto__"="x": refused (400) or kept as a plain column',
    async run(ctx) {
      const r = await ctx.one(ctx.ds(), {
        url: 'api/rows',
        format: 'uql',
        uql: 'parse-json | project "__proto__"="name", "constructor"="name", "id"',
      });
      if (r.status !== 200) failed(r, 400, 'plugin', /__proto__|constructor|prototype/);
      else answered(r, 3);
    },
  },
  {
    id: 'proto.jsonata-merge',
    klass: K,
    freshProcessAfter: true,
    title: 'JSONata $merge of answer objects with __proto__ keys: one row, nothing polluted',
    async run(ctx) {
      const r = await ctx.one(ctx.ds(), {
        url: 'api/proto',
        params: [{ key: 'token', value: ctx.suite.canaries.canaries[3].url }],
        format: 'json',
        rootSelector: '$merge([{}, items[0]])',
      });
      if (r.status !== 200) failed(r, 400, 'plugin');
    },
  },
  {
    id: 'proto.query-model',
    klass: K,
    title: 'a query model with "__proto__": {"url": canary}: 400 naming the refused __proto__ field, nothing sent',
    async run(ctx) {
      const { responses } = await ctx.query(ctx.ds(), [
        {
          refId: 'A',
          rawJson: `{"queryType":"http","__proto__":{"url":"${ctx.suite.canaries.canaries[0].url}/x","format":"json"}}`,
        },
      ]);
      namesField(responses.A, '"__proto__"');
    },
  },
  {
    id: 'proto.query-pagination-proto',
    klass: K,
    freshProcessAfter: true,
    title:
      'pagination {"__proto__": {"tokenField": "__proto__.endpoint"}}: 400 naming the refused __proto__ field, nothing polluted',
    async run(ctx) {
      ctx.api.planted.pageToken = ctx.suite.canaries.canaries[0].url;
      const { responses } = await ctx.query(ctx.ds(), [
        {
          refId: 'A',
          rawJson:
            '{"queryType":"http","method":"POST","url":"api/page","bodyType":"json","body":"{}","format":"json","rootSelector":"items","pagination":{"mode":"next_token","tokenPath":"NextToken","tokenTarget":"body","__proto__":{"tokenField":"__proto__.endpoint"}}}',
        },
      ]);
      namesField(responses.A, '"__proto__"');
    },
  },
  {
    id: 'proto.resource-body',
    klass: K,
    title: 'a resource request {"query": {"__proto__": {...}}}: 400 naming the refused __proto__ field, nothing sent',
    async run(ctx) {
      const res = await ctx.call({
        kind: 'callResource',
        dataSource: ctx.ds(),
        path: 'request',
        method: 'POST',
        body: `{"query":{"__proto__":{"url":"${ctx.suite.canaries.canaries[0].url}/x"}}}`,
      });
      must(
        res.code === 400 && /\\?"__proto__\\?"/.test(res.body ?? ''),
        `expected 400 naming __proto__, got ${res.code} ${res.body}`,
      );
    },
  },
  {
    id: 'proto.settings-proto-allowedUrls',
    klass: K,
    freshProcessAfter: true,
    title: 'jsonData {"__proto__": {"allowedUrls": [canary]}}: the canary stays refused',
    async run(ctx) {
      const ds = ctx.ds();
      const canary = ctx.suite.canaries.canaries[4].url;
      const jd = JSON.stringify(ds.jsonData).replace(
        /^\{/,
        `{"__proto__":{"allowedUrls":["${canary}/"],"testUrl":"${canary}/t"},`,
      );
      const r = await ctx.one({ ...ds, jsonData: undefined, rawJsonData: jd } as typeof ds, {
        url: `${canary}/x`,
        format: 'json',
      });
      failed(r, [400, 403], 'plugin', /refused|settings/);
    },
  },
  {
    id: 'proto.settings-constructor-endpoint',
    klass: K,
    freshProcessAfter: true,
    title: 'jsonData {"constructor": {"prototype": {"endpoint": canary}}}: a path query still says "no endpoint"',
    async run(ctx) {
      const ds = ctx.ds({ endpoint: undefined });
      const canary = ctx.suite.canaries.canaries[5].url;
      const jd = JSON.stringify(ds.jsonData).replace(/^\{/, `{"constructor":{"prototype":{"endpoint":"${canary}"}},`);
      const r = await ctx.one({ ...ds, jsonData: undefined, rawJsonData: jd } as typeof ds, {
        url: 'x',
        format: 'json',
      });
      failed(r, 400, 'plugin', /no endpoint|settings|constructor/);
    },
  },
];
