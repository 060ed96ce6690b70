import { autoFields, definedFields, toRows, toTime } from './table';
import { shapeTimeSeries } from './timeSeries';
import type { Frame } from '../frames/model';

describe('rows and columns', () => {
  it('turns what a selector picked into rows', () => {
    expect(toRows([{ a: 1 }, 2])).toEqual([{ a: 1 }, { value: 2 }]);
    expect(toRows({ a: 1 })).toEqual([{ a: 1 }]);
    expect(toRows(undefined)).toEqual([]);
    expect(toRows('')).toEqual([]);
  });

  it('finds columns automatically, flattening nested objects with dotted names', () => {
    const fields = autoFields([
      { id: 1, name: { first: 'a', last: 'b' }, ok: true, tags: ['x'] },
      { id: 2, name: { first: 'c' }, extra: 'late' },
    ]);
    expect(fields.map((f) => [f.name, f.type])).toEqual([
      ['id', 'number'],
      ['name.first', 'string'],
      ['name.last', 'string'],
      ['ok', 'boolean'],
      ['tags', 'string'],
      ['extra', 'string'],
    ]);
    expect(fields.find((f) => f.name === 'name.last')?.values).toEqual(['b', null]);
    expect(fields.find((f) => f.name === 'tags')?.values).toEqual(['["x"]', null]);
    expect(fields.find((f) => f.name === 'extra')?.values).toEqual([null, 'late']);
  });

  it('keeps an object nested deeper than 32 levels as one JSON text, and an empty object as null', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 40; i++) deep = { n: deep };
    const fields = autoFields([{ deep, empty: {} }]);
    expect(fields[0].name).toBe(`deep${'.n'.repeat(32)}`);
    expect(fields[0].type).toBe('string');
    expect(JSON.parse(fields[0].values[0] as string)).toHaveProperty('n.n.n.n.n.n.n.n.leaf', 1);
    expect(fields[1]).toEqual({ name: 'empty', type: 'string', values: [null] });
  });

  it('mixed types become text; CSV text is read as numbers only when plainly decimal', () => {
    expect(autoFields([{ a: 1 }, { a: 'x' }])[0]).toEqual({ name: 'a', type: 'string', values: ['1', 'x'] });
    const csv = autoFields(
      [
        { n: '1.5', id: '007', e: '' },
        { n: '-2', id: '008', e: '3' },
      ],
      'text',
    );
    expect(csv.map((f) => [f.name, f.type, f.values])).toEqual([
      ['n', 'number', [1.5, -2]],
      ['id', 'string', ['007', '008']],
      ['e', 'number', [null, 3]],
    ]);
  });

  it('converts typed columns and reports what it could not convert', () => {
    const rows = [
      {
        t: '2024-05-01T10:00:00Z',
        s: 1714557600,
        ms: '1714557600000',
        f: '01/05/2024 10:00',
        n: '3.5',
        b: 'true',
        x: { y: 'deep' },
      },
      { t: 'garbage', s: null, ms: 'NaN', f: 'nope', n: 'abc', b: 'maybe', x: { y: 'z' } },
    ];
    const { fields, notices } = definedFields(rows, [
      { selector: 't', type: 'time' },
      { selector: 's', type: 'time', timeFormat: 'epoch_s' },
      { selector: 'ms', type: 'time', timeFormat: 'epoch_ms' },
      { selector: 'f', type: 'time', timeFormat: 'DD/MM/YYYY HH:mm' },
      { selector: 'n', text: 'Number', type: 'number' },
      { selector: 'b', type: 'boolean' },
      { selector: 'x.y', text: 'Deep', type: 'string' },
    ]);
    const t = 1714557600000;
    expect(fields.map((f) => [f.name, f.values])).toEqual([
      ['t', [t, null]],
      ['s', [t, null]],
      ['ms', [t, null]],
      ['f', [t, null]],
      ['Number', [3.5, null]],
      ['b', [true, null]],
      ['Deep', ['deep', 'z']],
    ]);
    expect(notices.map((n) => n.text)).toEqual([
      'column "t": 1 value(s) could not be converted and are empty (first at row 2: "garbage" is not a time (iso))',
      'column "ms": 1 value(s) could not be converted and are empty (first at row 2: "NaN" is not a time (epoch_ms))',
      'column "f": 1 value(s) could not be converted and are empty (first at row 2: "nope" is not a time (DD/MM/YYYY HH:mm))',
      'column "Number": 1 value(s) could not be converted and are empty (first at row 2: "abc" is not a number)',
      'column "b": 1 value(s) could not be converted and are empty (first at row 2: "maybe" is not a boolean)',
    ]);
  });

  it('reads ISO times without a zone as UTC', () => {
    expect(toTime('2024-05-01 10:00:00')).toBe(Date.UTC(2024, 4, 1, 10));
    expect(toTime('2024-05-01T12:00:00+02:00')).toBe(Date.UTC(2024, 4, 1, 10));
  });
});

describe('time series shaping', () => {
  const long: Frame = {
    refId: 'A',
    fields: [
      { name: 'time', type: 'time', values: [3000, 1000, 2000, 1000] },
      { name: 'host', type: 'string', values: ['a', 'a', 'b', 'b'] },
      { name: 'cpu', type: 'number', values: [3, 1, 20, 10] },
    ],
  };

  it('marks a time + numbers frame as wide, sorted by time, without being asked', () => {
    const [f] = shapeTimeSeries({ fields: [long.fields[0], long.fields[2]] }, { enabled: false });
    expect(f.meta).toEqual({ type: 'timeseries-wide', typeVersion: [0, 1] });
    expect(f.fields.map((x) => x.values)).toEqual([
      [1000, 1000, 2000, 3000],
      [1, 10, 20, 3],
    ]);
  });

  it('leaves a table with text columns alone unless asked', () => {
    expect(shapeTimeSeries(long, { enabled: false })).toEqual([long]);
  });

  it('splits a long frame by label columns into one labelled series each (multi)', () => {
    const frames = shapeTimeSeries(long, { enabled: true, labelColumns: ['host'] });
    expect(frames).toHaveLength(2);
    expect(frames.map((f) => f.meta?.type)).toEqual(['timeseries-multi', 'timeseries-multi']);
    expect(frames[0].fields).toEqual([
      { name: 'time', type: 'time', values: [1000, 3000] },
      { name: 'cpu', type: 'number', values: [1, 3], labels: { host: 'a' } },
    ]);
    expect(frames[1].fields[1]).toEqual({ name: 'cpu', type: 'number', values: [10, 20], labels: { host: 'b' } });
  });

  it('uses every text column as labels when none are named, and warns about a missing one', () => {
    expect(shapeTimeSeries(long, { enabled: true })).toHaveLength(2);
    const frames = shapeTimeSeries(long, { enabled: true, labelColumns: ['host', 'zone'] });
    expect(frames[0].meta?.notices).toEqual([
      { severity: 'warning', text: 'label column "zone" is not in the result' },
    ]);
  });

  it('warns when asked for a series it cannot make', () => {
    const [f] = shapeTimeSeries({ fields: [long.fields[1]] }, { enabled: true });
    expect(f.meta?.notices?.[0].text).toMatch(/needs a time column and at least one number column/);
  });
});
