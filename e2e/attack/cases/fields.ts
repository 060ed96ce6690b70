// Wrong-typed query fields: each is named in its error (status 400, source plugin), never an internal error.
import type { AttackCase } from '../lib/runner';
import { namesField } from './expect';

const K = 'wrong-typed query fields';

/** [field path named in the error, the query model (url and format filled in unless overridden)]. */
const FIELDS: Array<[string, Record<string, unknown>]> = [
  ['url', { url: 42 }],
  ['url', { url: ['api/rows'] }],
  ['method', { method: 7 }],
  ['method', { method: { x: 1 } }],
  ['params', { params: 'a=b' }],
  ['params[0].value', { params: [{ key: 'a', value: 5 }] }],
  ['params[0].key', { params: [{ key: {}, value: 'x' }] }],
  ['headers', { headers: { 'X-A': 'b' } }],
  ['headers[0].value', { headers: [{ key: 'X-A', value: true }] }],
  ['headers[0].key', { headers: [{ key: 1, value: 'x' }] }],
  ['bodyType', { bodyType: 1 }],
  ['body', { method: 'POST', bodyType: 'raw', body: { a: 1 } }],
  ['form', { method: 'POST', bodyType: 'form', form: 'a=b' }],
  ['form[0].value', { method: 'POST', bodyType: 'form', form: [{ key: 'a', value: 1 }] }],
  ['format', { format: 3 }],
  ['rootSelector', { rootSelector: 12 }],
  ['columns', { columns: 'name' }],
  ['columns[0].selector', { columns: [{ selector: 3, type: 'string' }] }],
  ['columns[0].type', { columns: [{ selector: 'name', type: 9 }] }],
  ['columns[0].timeFormat', { columns: [{ selector: 'name', type: 'time', timeFormat: 5 }] }],
  ['timeSeries', { timeSeries: 'yes' }],
  ['timeSeries.enabled', { timeSeries: { enabled: 'yes' } }],
  ['timeSeries.labelColumns', { timeSeries: { enabled: true, labelColumns: 'name' } }],
  ['pagination', { pagination: 'next' }],
  [
    'pagination.tokenField',
    {
      method: 'POST',
      bodyType: 'json',
      body: '{}',
      pagination: { mode: 'next_token', tokenPath: 'NextToken', tokenTarget: 'body', tokenField: 7 },
    },
  ],
  [
    'pagination.tokenPath',
    { pagination: { mode: 'next_token', tokenPath: ['NextToken'], tokenTarget: 'param', tokenField: 't' } },
  ],
  ['pagination.maxPages', { pagination: { mode: 'none', maxPages: 'ten' } }],
  ['pagination.maxRows', { pagination: { mode: 'none', maxRows: '100' } }],
  ['uql', { format: 'uql', uql: 5 }],
  ['service', { service: 1 }],
  ['region', { region: ['us-east-1'] }],
];

export const cases: AttackCase[] = FIELDS.map(([path, model], i): AttackCase => ({
  id: `fields.${i}.${path}`,
  klass: K,
  title: `${path} = ${JSON.stringify(Object.values(model).slice(-1)[0])}: 400 naming ${path}`,
  async run(ctx) {
    namesField(await ctx.one(ctx.ds(), { url: 'api/rows', format: 'json', ...model }), path);
  },
}));
