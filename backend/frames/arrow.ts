// Frame -> Arrow IPC bytes in the shape grafana-plugin-sdk-go's data.UnmarshalArrowFrame reads:
// the IPC *file* format; schema metadata `name`, `refId` and `meta` (JSON); per field the Arrow field name,
// metadata `tstype` (the TypeScript type Grafana's frontend expects), `labels` and `config` (JSON);
// time as Timestamp(nanosecond) without a time zone (the SDK reads the values as Unix nanoseconds).
// Columns are built directly from typed arrays: one pass per field, fast enough for a million rows.
// The file is written here with apache-arrow's generated flatbuffer tables (apache-arrow/fb/*), in the same
// order and layout as apache-arrow's tableToIPC(table, 'file') (arrow.test.ts checks the bytes are identical):
// for the few column types a frame has, building a Table, its Data and the writer's streams cost more than the
// encoding itself (most of a small query's encoding time).
import { Builder } from 'flatbuffers';
import { Block } from 'apache-arrow/fb/block';
import { Bool } from 'apache-arrow/fb/bool';
import { Buffer as BufferRegion } from 'apache-arrow/fb/buffer';
import { Field as FbField } from 'apache-arrow/fb/field';
import { FieldNode } from 'apache-arrow/fb/field-node';
import { FloatingPoint } from 'apache-arrow/fb/floating-point';
import { Footer } from 'apache-arrow/fb/footer';
import { KeyValue } from 'apache-arrow/fb/key-value';
import { Message } from 'apache-arrow/fb/message';
import { MessageHeader } from 'apache-arrow/fb/message-header';
import { MetadataVersion } from 'apache-arrow/fb/metadata-version';
import { Precision } from 'apache-arrow/fb/precision';
import { RecordBatch } from 'apache-arrow/fb/record-batch';
import { Schema } from 'apache-arrow/fb/schema';
import { TimeUnit } from 'apache-arrow/fb/time-unit';
import { Timestamp } from 'apache-arrow/fb/timestamp';
import { Type } from 'apache-arrow/fb/type';
import { Utf8 } from 'apache-arrow/fb/utf8';
import type { EncodedFrame, Field, FieldType, Frame } from './model';
import { SigilError } from '../errors';

/**
 * A frame that cannot be encoded; the message names the field and row. The plugin built the frame, so it is
 * the plugin's fault (kind `internal`, status 500), whatever the answer held.
 */
export class FrameEncodingError extends SigilError {
  constructor(message: string, cause?: unknown) {
    super('internal', message, { cause });
    this.name = 'FrameEncodingError';
  }
}

const TS_TYPE: Record<FieldType, string> = { time: 'time', number: 'number', string: 'string', boolean: 'boolean' };

const NS_PER_MS = 1_000_000n;

/** One column, as the record batch holds it: its Arrow type, null count and buffers (validity first). */
interface Column {
  typeId: Type;
  length: number;
  nullCount: number;
  /** Validity bitmap (written only when there are nulls), then the type's own buffers. */
  bitmap: Uint8Array;
  buffers: Uint8Array[];
}

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Validity bitmap (LSB first, 1 = present) and the number of nulls. */
function validity(values: readonly unknown[]): { bitmap: Uint8Array; nullCount: number } {
  const bitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null || values[i] === undefined) nullCount++;
    else bitmap[i >> 3] |= 1 << (i & 7);
  }
  return { bitmap, nullCount };
}

function wrongType(field: Field, row: number, expected: string): FrameEncodingError {
  const got = field.values[row];
  return new FrameEncodingError(
    `field "${field.name}" row ${row}: expected ${expected} or null, got ${typeof got === 'object' ? JSON.stringify(got) : typeof got}`,
  );
}

function timeData(field: Field): Column {
  const { values } = field;
  const { bitmap, nullCount } = validity(values);
  const data = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw wrongType(field, i, 'a finite epoch-milliseconds number');
    // Whole milliseconds go through BigInt exactly; a fractional part keeps microsecond precision.
    data[i] = Number.isInteger(v) ? BigInt(v) * NS_PER_MS : BigInt(Math.round(v * 1000)) * 1000n;
  }
  return { typeId: Type.Timestamp, length: values.length, nullCount, bitmap, buffers: [bytesOf(data)] };
}

function numberData(field: Field): Column {
  const { values } = field;
  const { bitmap, nullCount } = validity(values);
  const data = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'number') throw wrongType(field, i, 'a number');
    data[i] = v;
  }
  return { typeId: Type.FloatingPoint, length: values.length, nullCount, bitmap, buffers: [bytesOf(data)] };
}

function boolData(field: Field): Column {
  const { values } = field;
  const { bitmap, nullCount } = validity(values);
  const data = new Uint8Array(Math.ceil(values.length / 8));
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'boolean') throw wrongType(field, i, 'a boolean');
    if (v) data[i >> 3] |= 1 << (i & 7);
  }
  return { typeId: Type.Bool, length: values.length, nullCount, bitmap, buffers: [data] };
}

function stringData(field: Field): Column {
  const { values } = field;
  const { bitmap, nullCount } = validity(values);
  // Two native passes (measure, then write in place) instead of one small buffer per value.
  const valueOffsets = new Int32Array(values.length + 1);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) {
      if (typeof v !== 'string') throw wrongType(field, i, 'a string');
      total += Buffer.byteLength(v, 'utf8');
      if (total > 0x7fffffff) throw new FrameEncodingError(`field "${field.name}": more than 2 GiB of text`);
    }
    valueOffsets[i + 1] = total;
  }
  const data = Buffer.allocUnsafeSlow(total);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'string') data.write(v, valueOffsets[i], 'utf8');
  }
  return {
    typeId: Type.Utf8,
    length: values.length,
    nullCount,
    bitmap,
    buffers: [bytesOf(valueOffsets), bytesOf(data)],
  };
}

function columnData(field: Field): Column {
  switch (field.type) {
    case 'time':
      return timeData(field);
    case 'number':
      return numberData(field);
    case 'string':
      return stringData(field);
    case 'boolean':
      return boolData(field);
    default:
      throw new FrameEncodingError(`field "${field.name}": unsupported type "${String((field as Field).type)}"`);
  }
}

function jsonText(what: string, value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (e) {
    throw new FrameEncodingError(`${what} cannot be written as JSON: ${(e as Error).message}`, e);
  }
}

/**
 * UTF-8 bytes for flatbuffers' createString, which otherwise encodes each string with a TextEncoder (a new
 * ArrayBuffer per string, the largest part of a small frame's encoding). The names every frame repeats are
 * encoded once; other text goes through Buffer.from, whose small buffers share one pool.
 */
const ENCODED_NAMES = new Map<string, Uint8Array>(
  ['tstype', 'labels', 'config', 'name', 'refId', 'meta', '', ...Object.values(TS_TYPE)].map((n) => [
    n,
    new Uint8Array(Buffer.from(n, 'utf8')),
  ]),
);
const utf8 = (text: string): Uint8Array => ENCODED_NAMES.get(text) ?? Buffer.from(text, 'utf8');

/** Custom metadata (key/value pairs) as a flatbuffer vector, or -1 for none (as apache-arrow writes it). */
function metadataVector(
  b: Builder,
  metadata: Map<string, string>,
  create: (b: Builder, data: number[]) => number,
): number {
  if (metadata.size === 0) return -1;
  return create(
    b,
    [...metadata].map(([k, v]) => {
      const key = b.createString(utf8(k));
      const value = b.createString(utf8(v));
      KeyValue.startKeyValue(b);
      KeyValue.addKey(b, key);
      KeyValue.addValue(b, value);
      return KeyValue.endKeyValue(b);
    }),
  );
}

function fieldType(b: Builder, typeId: Type): number {
  switch (typeId) {
    case Type.Timestamp:
      Timestamp.startTimestamp(b);
      Timestamp.addUnit(b, TimeUnit.NANOSECOND);
      return Timestamp.endTimestamp(b);
    case Type.FloatingPoint:
      FloatingPoint.startFloatingPoint(b);
      FloatingPoint.addPrecision(b, Precision.DOUBLE);
      return FloatingPoint.endFloatingPoint(b);
    case Type.Utf8:
      Utf8.startUtf8(b);
      return Utf8.endUtf8(b);
    default:
      Bool.startBool(b);
      return Bool.endBool(b);
  }
}

interface SchemaSpec {
  fields: { name: string; typeId: Type; metadata: Map<string, string> }[];
  metadata: Map<string, string>;
}

function writeSchema(b: Builder, schema: SchemaSpec): number {
  const fieldOffsets = schema.fields.map((f) => {
    const type = fieldType(b, f.typeId);
    const children = FbField.createChildrenVector(b, []);
    const metadata = metadataVector(b, f.metadata, FbField.createCustomMetadataVector);
    const name = f.name ? b.createString(utf8(f.name)) : -1;
    FbField.startField(b);
    FbField.addType(b, type);
    FbField.addTypeType(b, f.typeId);
    FbField.addChildren(b, children);
    FbField.addNullable(b, true);
    if (name !== -1) FbField.addName(b, name);
    if (metadata !== -1) FbField.addCustomMetadata(b, metadata);
    return FbField.endField(b);
  });
  Schema.startFieldsVector(b, fieldOffsets.length);
  const fields = Schema.createFieldsVector(b, fieldOffsets);
  const metadata = metadataVector(b, schema.metadata, Schema.createCustomMetadataVector);
  Schema.startSchema(b);
  Schema.addFields(b, fields);
  Schema.addEndianness(b, 0); // little-endian, as every platform Grafana runs on
  if (metadata !== -1) Schema.addCustomMetadata(b, metadata);
  return Schema.endSchema(b);
}

const MAGIC = Buffer.from('ARROW1');

/**
 * Two builders (the record batch message, the footer) kept between frames: a new Builder allocates its buffer
 * and a TextEncoder. Encoding is synchronous and each builder's bytes are copied out before the next frame;
 * one grown past BUILDER_KEEP_BYTES by a very wide frame is let go.
 */
const builders: Builder[] = [];
const BUILDER_KEEP_BYTES = 1 << 20;
function builder(slot: 0 | 1): Builder {
  const kept = builders[slot];
  if (kept !== undefined && kept.dataBuffer().capacity() <= BUILDER_KEEP_BYTES) {
    kept.clear();
    return kept;
  }
  return (builders[slot] = new Builder());
}
const pad8 = (n: number) => (n + 7) & ~7;

/**
 * The IPC file: magic, one record batch message and its body, the end-of-stream marker, the footer (schema and
 * the batch's block), the footer's length and the magic again.
 */
function writeFile(schema: SchemaSpec, columns: Column[], length: number): Uint8Array {
  // The body: per column its validity (empty without nulls) and its buffers, each padded to 8 bytes.
  const body: Uint8Array[] = [];
  const regions: [number, number][] = [];
  let bodyLength = 0;
  for (const c of columns) {
    for (const buf of [c.nullCount > 0 ? c.bitmap : new Uint8Array(0), ...c.buffers]) {
      body.push(buf);
      regions.push([bodyLength, pad8(buf.byteLength)]);
      bodyLength += pad8(buf.byteLength);
    }
  }

  const mb = builder(0);
  RecordBatch.startNodesVector(mb, columns.length);
  for (let i = columns.length - 1; i >= 0; i--)
    FieldNode.createFieldNode(mb, BigInt(columns[i].length), BigInt(columns[i].nullCount));
  const nodes = mb.endVector();
  RecordBatch.startBuffersVector(mb, regions.length);
  for (let i = regions.length - 1; i >= 0; i--)
    BufferRegion.createBuffer(mb, BigInt(regions[i][0]), BigInt(regions[i][1]));
  const buffers = mb.endVector();
  RecordBatch.startRecordBatch(mb);
  RecordBatch.addLength(mb, BigInt(length));
  RecordBatch.addNodes(mb, nodes);
  RecordBatch.addBuffers(mb, buffers);
  const header = RecordBatch.endRecordBatch(mb);
  Message.startMessage(mb);
  Message.addVersion(mb, MetadataVersion.V5);
  Message.addHeader(mb, header);
  Message.addHeaderType(mb, MessageHeader.RecordBatch);
  Message.addBodyLength(mb, BigInt(bodyLength));
  Message.finishMessageBuffer(mb, Message.endMessage(mb));
  const message = mb.asUint8Array();
  const messageLength = pad8(message.byteLength + 8); // with the continuation marker and length prefix

  const batchOffset = 8; // after the magic and its padding
  const fb = builder(1);
  const fbSchema = writeSchema(fb, schema);
  Footer.startRecordBatchesVector(fb, 1);
  Block.createBlock(fb, BigInt(batchOffset), messageLength, BigInt(bodyLength));
  const batches = fb.endVector();
  Footer.startDictionariesVector(fb, 0);
  const dictionaries = fb.endVector();
  Footer.startFooter(fb);
  Footer.addSchema(fb, fbSchema);
  Footer.addVersion(fb, MetadataVersion.V5);
  Footer.addRecordBatches(fb, batches);
  Footer.addDictionaries(fb, dictionaries);
  Footer.finishFooterBuffer(fb, Footer.endFooter(fb));
  const footer = fb.asUint8Array();

  const total = batchOffset + messageLength + bodyLength + 8 + footer.byteLength + 4 + MAGIC.byteLength;
  const out = Buffer.alloc(total);
  MAGIC.copy(out, 0);
  let at = batchOffset;
  out.writeInt32LE(-1, at);
  out.writeInt32LE(messageLength - 8, at + 4);
  out.set(message, at + 8);
  at += messageLength;
  for (let i = 0; i < body.length; i++) out.set(body[i], at + regions[i][0]);
  at += bodyLength;
  out.writeInt32LE(-1, at); // end of stream, for readers that read the file as a stream
  out.writeInt32LE(0, at + 4);
  out.set(footer, at + 8);
  at += 8 + footer.byteLength;
  out.writeInt32LE(footer.byteLength, at);
  MAGIC.copy(out, at + 4);
  return out;
}

function fieldMetadata(field: Field): Map<string, string> {
  const metadata = new Map<string, string>([['tstype', TS_TYPE[field.type]]]);
  if (field.labels !== undefined) metadata.set('labels', jsonText(`labels of field "${field.name}"`, field.labels));
  if (field.config !== undefined) metadata.set('config', jsonText(`config of field "${field.name}"`, field.config));
  return metadata;
}

/** Encodes a result's frames; a frame that cannot be encoded fails the result with a FrameEncodingError. */
export function encodeFrames(frames: Frame[]): EncodedFrame[] {
  return frames.map((f) => {
    try {
      return { arrow: encodeFrame(f) };
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new FrameEncodingError(`the result could not be encoded as a data frame: ${reason}`, e);
    }
  });
}

/** Encodes one frame. Throws FrameEncodingError (naming the field and row) for values of the wrong type. */
export function encodeFrame(frame: Frame): Uint8Array {
  const length = frame.fields.length > 0 ? frame.fields[0].values.length : 0;
  for (const f of frame.fields) {
    if (f.values.length !== length) {
      throw new FrameEncodingError(
        `frame "${frame.name ?? ''}": field "${f.name}" has ${f.values.length} values, field "${frame.fields[0].name}" has ${length}`,
      );
    }
  }
  const columns = frame.fields.map(columnData);
  const fields = frame.fields.map((f, i) => ({ name: f.name, typeId: columns[i].typeId, metadata: fieldMetadata(f) }));
  const metadata = new Map<string, string>([
    ['name', frame.name ?? ''],
    ['refId', frame.refId ?? ''],
  ]);
  if (frame.meta !== undefined) metadata.set('meta', jsonText('frame meta', frame.meta));
  return writeFile({ fields, metadata }, columns, length);
}
