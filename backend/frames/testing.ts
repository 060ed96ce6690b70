// Tests read frames the way Grafana would: an encoded frame (Arrow IPC) is decoded back to the plain model,
// so a test's expectations do not depend on where the frame was written (worker or main thread).
import { tableFromIPC, type Vector } from 'apache-arrow';
import type { EncodedFrame, Field, FieldType, FieldValue, Frame } from './model';

function jsonMeta<T>(text: string | undefined): T | undefined {
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

/** One field's values as the model holds them: times in epoch milliseconds (from Arrow's nanoseconds). */
function values(type: FieldType, column: Vector): FieldValue[] {
  const out: FieldValue[] = [];
  let row = 0;
  for (const chunk of column.data) {
    for (let i = 0; i < chunk.length; i++, row++) {
      if (!column.isValid(row)) out.push(null);
      else if (type === 'time') out.push(Number((chunk.values as BigInt64Array)[i]) / 1e6);
      else out.push(column.get(row) as FieldValue);
    }
  }
  return out;
}

/** The frames in the plain model, decoding those that are encoded. */
export function readFrames(frames: (Frame | EncodedFrame)[]): Frame[] {
  return frames.map((f) => {
    if (!('arrow' in f)) return f;
    const table = tableFromIPC(f.arrow);
    const meta = jsonMeta<Frame['meta']>(table.schema.metadata.get('meta'));
    const fields = table.schema.fields.map((schemaField, i): Field => {
      const type = schemaField.metadata.get('tstype') as FieldType;
      const field: Field = { name: schemaField.name, type, values: values(type, table.getChildAt(i)!) };
      const labels = jsonMeta<Record<string, string>>(schemaField.metadata.get('labels'));
      const config = jsonMeta<Field['config']>(schemaField.metadata.get('config'));
      if (labels !== undefined) field.labels = labels;
      if (config !== undefined) field.config = config;
      return field;
    });
    // The encoder writes a missing name as "" (Grafana reads both the same); read it back as missing.
    const name = table.schema.metadata.get('name') || undefined;
    const frame: Frame = { name, refId: table.schema.metadata.get('refId'), fields };
    if (meta !== undefined) frame.meta = meta;
    return frame;
  });
}
