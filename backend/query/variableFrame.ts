// A dashboard variable query's answer: the query's table turned into the `text` and `value` string fields
// Grafana's variable system reads (the value is what `$var` becomes, the text what the picker shows).
// Values are deduplicated in first-seen order; rows without a value are left out.
import type { VariableOptions } from '../../src/shared/query';
import type { Field, Frame } from '../frames/model';
import { pluginError } from '../errors';

function pick(frame: Frame, name: string | undefined, what: string): Field | undefined {
  const wanted = name?.trim() ?? '';
  if (wanted === '') return undefined;
  const field = frame.fields.find((f) => f.name === wanted);
  if (!field) {
    const names = frame.fields.map((f) => `"${f.name}"`).join(', ');
    throw pluginError(`${what} "${wanted}" is not a column of the result${names ? ` (columns: ${names})` : ' (the result has no columns)'}`);
  }
  return field;
}

function text(field: Field, row: number): string | null {
  const v = field.values[row];
  if (v === null || v === undefined) return null;
  return field.type === 'time' && typeof v === 'number' ? new Date(v).toISOString() : String(v);
}

export function variableFrame(frames: Frame[], opts: VariableOptions | undefined, refId: string): Frame {
  const table: Frame = frames[0] ?? { fields: [] };
  const valueField = pick(table, opts?.valueField, 'variable.valueField') ?? table.fields.find((f) => f.type === 'string') ?? table.fields[0];
  const textField = pick(table, opts?.textField, 'variable.textField') ?? valueField;
  const texts: string[] = [];
  const values: string[] = [];
  const seen = new Set<string>();
  const rows = valueField?.values.length ?? 0;
  for (let i = 0; i < rows; i++) {
    const value = text(valueField as Field, i);
    if (value === null || seen.has(value)) continue;
    seen.add(value);
    values.push(value);
    texts.push(text(textField as Field, i) ?? value);
  }
  return {
    refId,
    fields: [
      { name: 'text', type: 'string', values: texts },
      { name: 'value', type: 'string', values },
    ],
    meta: table.meta ? { executedQueryString: table.meta.executedQueryString, ...(table.meta.notices ? { notices: table.meta.notices } : {}) } : undefined,
  };
}
