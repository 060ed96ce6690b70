import {
  Bool,
  Data,
  Field as ArrowField,
  Float64,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimeUnit,
  TimestampNanosecond,
  Type,
  Utf8,
  makeData,
  tableFromIPC,
  tableToIPC,
  type Timestamp,
} from 'apache-arrow';
import { encodeFrame, FrameEncodingError } from './arrow';
import type { Frame } from './model';

const frame: Frame = {
  name: 'latency',
  refId: 'A',
  meta: { type: 'timeseries-wide', typeVersion: [0, 1], executedQueryString: 'GET /api/v1/query' },
  fields: [
    { name: 'time', type: 'time', values: [1700000000000, null, 1700000000123.456] },
    {
      name: 'p99',
      type: 'number',
      values: [1.5, null, -2],
      labels: { region: 'eu-west-1' },
      config: { unit: 'ms', displayName: 'P99' },
    },
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
    const table = tableFromIPC(
      encodeFrame({
        refId: 'Z',
        fields: [
          { name: 'time', type: 'time', values: [] },
          { name: 'v', type: 'number', values: [] },
        ],
      }),
    );
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['time', 'v']);
    expect(table.schema.metadata.get('name')).toBe('');
    expect(table.schema.metadata.has('meta')).toBe(false);
  });

  it('encodes a million rows', () => {
    const n = 1_000_000;
    const values = Array.from({ length: n }, (_, i) => i);
    const table = tableFromIPC(
      encodeFrame({
        fields: [
          { name: 'time', type: 'time', values },
          { name: 'v', type: 'number', values },
        ],
      }),
    );
    expect(table.numRows).toBe(n);
    expect(table.getChildAt(1)!.get(n - 1)).toBe(n - 1);
    expect(table.getChildAt(0)!.data[0].values[n - 1]).toBe(BigInt(n - 1) * 1000000n);
  });

  it('names the field and row of a value of the wrong type', () => {
    const bad: Frame = { fields: [{ name: 'v', type: 'number', values: [1, 'two' as unknown as number] }] };
    expect(() => encodeFrame(bad)).toThrow(FrameEncodingError);
    expect(() => encodeFrame(bad)).toThrow('field "v" row 1: expected a number or null, got string');
    // One error model: the plugin built the frame, so the failure is the plugin's (kind internal, 500).
    expect(() => encodeFrame(bad)).toThrow(
      expect.objectContaining({ kind: 'internal', status: 500, source: 'plugin' }),
    );
    expect(() => encodeFrame({ fields: [{ name: 't', type: 'time', values: [Number.NaN] }] })).toThrow(
      /field "t" row 0/,
    );
  });

  it('refuses fields of different lengths', () => {
    expect(() =>
      encodeFrame({
        fields: [
          { name: 'a', type: 'number', values: [1] },
          { name: 'b', type: 'number', values: [] },
        ],
      }),
    ).toThrow(/"b" has 0 values, field "a" has 1/);
  });
});

/** An Arrow column from plain values with apache-arrow's makeData (the encoder before it wrote IPC itself). */
function oracleColumn(field: Frame['fields'][number]): Data {
  const values = field.values;
  const length = values.length;
  const nullBitmap = new Uint8Array(Math.ceil(length / 8));
  let nullCount = 0;
  values.forEach((v, i) => (v === null ? nullCount++ : (nullBitmap[i >> 3] |= 1 << (i & 7))));
  switch (field.type) {
    case 'time': {
      const data = BigInt64Array.from(values, (v) =>
        v === null
          ? 0n
          : Number.isInteger(v)
            ? BigInt(v as number) * 1_000_000n
            : BigInt(Math.round((v as number) * 1000)) * 1000n,
      );
      return makeData({ type: new TimestampNanosecond(), length, nullCount, nullBitmap, data });
    }
    case 'number':
      return makeData({
        type: new Float64(),
        length,
        nullCount,
        nullBitmap,
        data: Float64Array.from(values, (v) => (v as number) ?? 0),
      });
    case 'boolean': {
      const data = new Uint8Array(Math.ceil(length / 8));
      values.forEach((v, i) => v === true && (data[i >> 3] |= 1 << (i & 7)));
      return makeData({ type: new Bool(), length, nullCount, nullBitmap, data });
    }
    default: {
      const strings = values.map((v) => Buffer.from((v as string | null) ?? ''));
      const valueOffsets = new Int32Array(length + 1);
      strings.forEach((b, i) => (valueOffsets[i + 1] = valueOffsets[i] + b.length));
      return makeData({ type: new Utf8(), length, nullCount, nullBitmap, valueOffsets, data: Buffer.concat(strings) });
    }
  }
}

/** The same frame through apache-arrow's own writer: Data per column, a Table, tableToIPC(…, 'file'). */
function viaTableToIPC(f: Frame): Uint8Array {
  const columns = f.fields.map(oracleColumn);
  const fields = f.fields.map((field, i) => {
    const meta = new Map<string, string>([
      ['tstype', { time: 'time', number: 'number', string: 'string', boolean: 'boolean' }[field.type]],
    ]);
    if (field.labels !== undefined) meta.set('labels', JSON.stringify(field.labels));
    if (field.config !== undefined) meta.set('config', JSON.stringify(field.config));
    return new ArrowField(field.name, columns[i].type, true, meta);
  });
  const meta = new Map<string, string>([
    ['name', f.name ?? ''],
    ['refId', f.refId ?? ''],
  ]);
  if (f.meta !== undefined) meta.set('meta', JSON.stringify(f.meta));
  const schema = new Schema(fields, meta);
  const length = f.fields[0]?.values.length ?? 0;
  const struct = makeData({ type: new Struct(fields), length, nullCount: 0, children: columns });
  return tableToIPC(new Table(schema, [new RecordBatch(schema, struct)]), 'file');
}

describe('encodeFrame against apache-arrow tableToIPC', () => {
  const cases: [string, Frame][] = [
    ['the mixed frame', frame],
    ['no fields', { name: 'empty', fields: [] }],
    [
      '0 rows',
      {
        refId: 'Z',
        fields: [
          { name: 't', type: 'time', values: [] },
          { name: 's', type: 'string', values: [] },
        ],
      },
    ],
    [
      'no nulls, 9 rows (bitmaps over a byte)',
      {
        fields: [
          { name: 'b', type: 'boolean', values: [true, false, true, true, false, false, true, true, true] },
          { name: 'n', type: 'number', values: [1, 2, 3, 4, 5, 6, 7, 8, 9] },
        ],
      },
    ],
    [
      'all null',
      {
        fields: [
          { name: 'b', type: 'boolean', values: [null, null, null] },
          { name: 's', type: 'string', values: [null, null, null] },
          { name: 't', type: 'time', values: [null, null, null] },
        ],
      },
    ],
    ['an empty field name and empty strings', { fields: [{ name: '', type: 'string', values: ['', 'x', ''] }] }],
    [
      'names the encoder keeps encoded, and text that is not ASCII',
      {
        name: 'meta',
        refId: 'number',
        meta: { custom: { note: 'é 日本 \u{1F600}' } },
        fields: [
          { name: 'tstype', type: 'number', values: [1], config: { displayName: 'ß' } },
          { name: 'refId', type: 'string', values: ['日本'], labels: { é: '\u{1F600}' } },
          { name: 'é名', type: 'boolean', values: [true] },
        ],
      },
    ],
  ];
  it.each(cases)('writes the same bytes: %s', (_name, f) => {
    const hand = Buffer.from(encodeFrame(f));
    expect(hand.equals(Buffer.from(viaTableToIPC(f)))).toBe(true);
  });

  it('writes the same bytes after a frame wider than the builders it keeps', () => {
    // The footer of 12,000 fields of long names is over the 1 MiB a kept builder may grow to.
    const wide: Frame = {
      fields: Array.from({ length: 12_000 }, (_, i) => ({
        name: `field-${i}-${'x'.repeat(80)}`,
        type: 'number' as const,
        values: [i],
      })),
    };
    const small: Frame = { refId: 'B', fields: [{ name: 'v', type: 'string', values: ['a'] }] };
    for (const f of [small, wide, small, wide, small]) {
      expect(Buffer.from(encodeFrame(f)).equals(Buffer.from(viaTableToIPC(f)))).toBe(true);
    }
  });

  it('writes the same bytes for random frames', () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const value = (type: string): unknown => {
      if (rand() < 0.2) return null;
      if (type === 'time') return 1_600_000_000_000 + Math.floor(rand() * 1e11) + (rand() < 0.3 ? 0.25 : 0);
      if (type === 'number') return (rand() - 0.5) * 1e6;
      if (type === 'boolean') return rand() < 0.5;
      return 'é'.repeat(Math.floor(rand() * 5)) + String(rand());
    };
    for (let n = 0; n < 40; n++) {
      const rows = Math.floor(rand() * 70);
      const types = ['time', 'number', 'string', 'boolean'] as const;
      const f: Frame = {
        name: n % 3 ? `f${n}` : undefined,
        refId: n % 2 ? 'A' : undefined,
        meta: n % 4 ? undefined : { executedQueryString: `q${n}` },
        fields: Array.from({ length: 1 + Math.floor(rand() * 5) }, (_, i) => {
          const type = types[Math.floor(rand() * 4)];
          return {
            name: `c${i}`,
            type,
            values: Array.from({ length: rows }, () => value(type)) as never,
            labels: rand() < 0.3 ? { k: `v${i}` } : undefined,
            config: rand() < 0.3 ? { unit: 'ms' } : undefined,
          };
        }),
      };
      const hand = Buffer.from(encodeFrame(f));
      expect(hand.equals(Buffer.from(viaTableToIPC(f)))).toBe(true);
    }
  });
});
