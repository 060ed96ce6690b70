import { resolveQuery, type SigilQuery } from '../../src/shared/query';
import type { Frame } from '../frames/model';
import { variableFrame } from './variableFrame';
import { annotationFrame } from './annotationFrame';
import { unresolvedVariables } from './unresolved';
import { runQuery } from './engine';
import { FakeProxy, JSON_HEADERS } from './testing';

const T = Date.UTC(2024, 4, 1, 10);
const table: Frame = {
  refId: 'A',
  meta: { executedQueryString: 'POST https://ec2/' },
  fields: [
    { name: 'InstanceId', type: 'string', values: ['i-1', 'i-2', 'i-1', null] },
    { name: 'Name', type: 'string', values: ['web', 'db', 'web', 'x'] },
    { name: 'LaunchTime', type: 'time', values: [T, T + 1000, T, null] },
    { name: 'Tags', type: 'string', values: ['["prod","eu"]', '[]', 'single', null] },
  ],
};

describe('variable frames', () => {
  it('gives text and value fields, deduplicated, rows without a value left out', () => {
    const f = variableFrame([table], { valueField: 'InstanceId', textField: 'Name' }, 'V');
    expect(f.fields).toEqual([
      { name: 'text', type: 'string', values: ['web', 'db'] },
      { name: 'value', type: 'string', values: ['i-1', 'i-2'] },
    ]);
    expect(f.refId).toBe('V');
    expect(f.meta?.executedQueryString).toBe('POST https://ec2/');
  });

  it('defaults to the first string column, and names a column that is not there', () => {
    expect(variableFrame([table], undefined, 'V').fields[1].values).toEqual(['i-1', 'i-2']);
    expect(() => variableFrame([table], { valueField: 'Id' }, 'V')).toThrow(
      'variable.valueField "Id" is not a column of the result (columns: "InstanceId", "Name", "LaunchTime", "Tags")',
    );
    expect(variableFrame([], undefined, 'V').fields).toEqual([
      { name: 'text', type: 'string', values: [] },
      { name: 'value', type: 'string', values: [] },
    ]);
  });
});

describe('annotation frames', () => {
  it('maps columns to time, title, text and tags (lists give one tag per item)', () => {
    const f = annotationFrame(
      [table],
      { timeField: 'LaunchTime', titleField: 'InstanceId', textField: 'Name', tagsFields: ['Tags', 'Name'] },
      'N',
    );
    expect(f.fields).toEqual([
      { name: 'time', type: 'time', values: [T, T + 1000, T] },
      { name: 'title', type: 'string', values: ['i-1', 'i-2', 'i-1'] },
      { name: 'text', type: 'string', values: ['web', 'db', 'web'] },
      { name: 'tags', type: 'string', values: ['prod,eu,web', 'db', 'single,web'] },
    ]);
    expect(f.meta?.notices).toEqual([
      { severity: 'warning', text: '1 row(s) have no time in "LaunchTime" and are not shown as annotations' },
    ]);
  });

  it('makes regions with an end time; defaults to the first time and string columns', () => {
    const f = annotationFrame([table], { timeEndField: 'LaunchTime' }, 'N');
    expect(f.fields.map((x) => x.name)).toEqual(['time', 'timeEnd', 'title', 'text', 'tags']);
    expect(f.fields[3].values).toEqual(['i-1', 'i-2', 'i-1']);
  });

  it('says what to fix when a column is missing or not a time', () => {
    expect(() => annotationFrame([table], { timeField: 'Name' }, 'N')).toThrow(
      /annotation\.timeField "Name" is a string column, not a time; give it type time/,
    );
    expect(() => annotationFrame([{ fields: [table.fields[0]] }], {}, 'N')).toThrow(/the result has no time column/);
    expect(() => annotationFrame([table], { tagsFields: ['Nope'] }, 'N')).toThrow(
      /annotation\.tagsFields "Nope" is not a column/,
    );
  });
});

describe('variables the browser did not replace', () => {
  const q = (p: Partial<SigilQuery>) => resolveQuery({ refId: 'A', ...p });
  it('finds $name, ${name}, ${name:fmt} and [[name]] in the request parts only', () => {
    expect(
      unresolvedVariables(
        q({
          url: 'https://ec2.$region.amazonaws.com/${path:raw}',
          params: [{ key: 'x', value: '[[bucket]]' }],
          headers: [{ key: 'X', value: '$hdr' }],
          bodyType: 'json',
          body: '{"a": "$body", "price": "10$", "jsonpath": "$.a"}',
          rootSelector: '$sum(Items.$number(x))',
          uql: 'parse-json | where "$x" == 1',
        }),
      ),
    ).toEqual(['region', 'path', 'bucket', 'hdr', 'body']);
    expect(
      unresolvedVariables(
        q({
          url: 'https://x/?t=${__from:date:seconds}&i=$__interval',
          bodyType: 'form',
          form: [{ key: 'Filter.$n', value: 'a' }],
        }),
      ),
    ).toEqual(['n']);
  });

  it('are named in a frame notice, and the request is sent as typed', async () => {
    const proxy = new FakeProxy(() => ({ headers: JSON_HEADERS, body: '{"a": 1}' }));
    const [frame] = await runQuery(
      { refId: 'A', url: 'https://x.amazonaws.com/$stage/items', params: [{ key: 'q', value: '${queue}' }] },
      { proxy, settings: {}, timeRange: { fromMs: 0, toMs: 1 }, intervalMs: 1000 },
    );
    expect(proxy.sent[0].url).toBe('https://x.amazonaws.com/$stage/items?q=%24%7Bqueue%7D');
    expect(frame.meta?.notices).toEqual([
      {
        severity: 'warning',
        text: 'variables $stage, $queue are not defined in this dashboard and were sent as typed; define them or remove the reference',
      },
    ]);
  });
});
