import { tableFromIPC, Type, TimeUnit, type Timestamp } from 'apache-arrow';
import { encodeFrame, FrameEncodingError } from './arrow';
import type { Frame } from './model';

const frame: Frame = {
  name: 'latency',
  refId: 'A',
  meta: { type: 'timeseries-wide', typeVersion: [0, 1], executedQueryString: 'GET /api/v1/query' },
  fields: [
    { name: 'time', type: 'time', values: [1700000000000, null, 1700000000123.456] },
    { name: 'p99', type: 'number', values: [1.5, null, -2], labels: { region: 'eu-west-1' }, config: { unit: 'ms', displayName: 'P99' } },
    { name: 'host', type: 'string', values: ['a', null, 'ünïcødé'] },
    { name: 'up', type: 'boolean', values: [true, null, false] },
  ],
};

describe('encodeFrame', () => {
  it('writes the Arrow IPC file format (what data.UnmarshalArrowFrame opens)', () => {
    const bytes = encodeFrame(frame);
    expect(Buffer.from(bytes.subarray(0, 6)).toString()).toBe('ARROW1');
    expect(Buffer.from(bytes.subarray(bytes.length - 6)).toString()).toBe('ARROW1');
  });

  it('round-trips names, metadata, types, values and nulls', () => {
    const table = tableFromIPC(encodeFrame(frame));
    expect(table.numRows).toBe(3);
    expect(table.schema.metadata.get('name')).toBe('latency');
    expect(table.schema.metadata.get('refId')).toBe('A');
    expect(JSON.parse(table.schema.metadata.get('meta') ?? '')).toEqual(frame.meta);

    const [time, p99, host, up] = table.schema.fields;
    expect(time.name).toBe('time');
    expect(time.typeId).toBe(Type.Timestamp);
    expect((time.type as Timestamp).unit).toBe(TimeUnit.NANOSECOND);
    expect((time.type as Timestamp).timezone ?? null).toBeNull();
    expect(p99.typeId).toBe(Type.Float);
    expect(host.typeId).toBe(Type.Utf8);
    expect(up.typeId).toBe(Type.Bool);
    expect(table.schema.fields.every((f) => f.nullable)).toBe(true);
    expect(table.schema.fields.map((f) => f.metadata.get('tstype'))).toEqual(['time', 'number', 'string', 'boolean']);
    expect(JSON.parse(p99.metadata.get('labels') ?? '')).toEqual({ region: 'eu-west-1' });
    expect(JSON.parse(p99.metadata.get('config') ?? '')).toEqual({ unit: 'ms', displayName: 'P99' });
    expect(time.metadata.has('labels')).toBe(false);

    // Nanoseconds since the epoch, exact for whole milliseconds, microsecond precision for fractions.
    const times = table.getChildAt(0)!;
    expect(times.data[0].values[0]).toBe(1700000000000n * 1000000n);
    expect(times.isValid(1)).toBe(false);
    expect(times.data[0].values[2]).toBe(1700000000123456000n);
    expect(table.getChildAt(1)!.toArray()[0]).toBe(1.5);
    expect(table.getChildAt(1)!.get(1)).toBeNull();
    expect(table.getChildAt(1)!.get(2)).toBe(-2);
    expect([...table.getChildAt(2)!]).toEqual(['a', null, 'ünïcødé']);
    expect([...table.getChildAt(3)!]).toEqual([true, null, false]);
  });

  it('encodes a frame with 0 rows', () => {
    const table = tableFromIPC(encodeFrame({ refId: 'Z', fields: [{ name: 'time', type: 'time', values: [] }, { name: 'v', type: 'number', values: [] }] }));
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['time', 'v']);
    expect(table.schema.metadata.get('name')).toBe('');
    expect(table.schema.metadata.has('meta')).toBe(false);
  });

  it('encodes a million rows', () => {
    const n = 1_000_000;
    const values = Array.from({ length: n }, (_, i) => i);
    const table = tableFromIPC(encodeFrame({ fields: [{ name: 'time', type: 'time', values }, { name: 'v', type: 'number', values }] }));
    expect(table.numRows).toBe(n);
    expect(table.getChildAt(1)!.get(n - 1)).toBe(n - 1);
    expect(table.getChildAt(0)!.data[0].values[n - 1]).toBe(BigInt(n - 1) * 1000000n);
  });

  it('names the field and row of a value of the wrong type', () => {
    const bad: Frame = { fields: [{ name: 'v', type: 'number', values: [1, 'two' as unknown as number] }] };
    expect(() => encodeFrame(bad)).toThrow(FrameEncodingError);
    expect(() => encodeFrame(bad)).toThrow('field "v" row 1: expected a number or null, got string');
    expect(() => encodeFrame({ fields: [{ name: 't', type: 'time', values: [Number.NaN] }] })).toThrow(/field "t" row 0/);
  });

  it('refuses fields of different lengths', () => {
    expect(() => encodeFrame({ fields: [{ name: 'a', type: 'number', values: [1] }, { name: 'b', type: 'number', values: [] }] })).toThrow(/"b" has 0 values, field "a" has 1/);
  });
});
