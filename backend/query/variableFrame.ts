// A dashboard variable query's answer: the query's table turned into the `text` and `value` string fields
// Grafana's variable system reads (the value is what `$var` becomes, the text what the picker shows).
// Values are deduplicated in first-seen order; rows without a value are left out.
import type { VariableOptions } from '../../src/shared/query';
import type { Field, Frame } from '../frames/model';
import { columnByName } from './columnByName';

function text(field: Field, row: number): string | null {
  const v = field.values[row];
  if (v === null || v === undefined) return null;
  return field.type === 'time' && typeof v === 'number' ? new Date(v).toISOString() : String(v);
}

export function variableFrame(frames: Frame[], opts: VariableOptions | undefined, refId: string): Frame {
  const table: Frame = frames[0] ?? { fields: [] };
  const valueField =
    columnByName(table, opts?.valueField, 'variable.valueField') ??
    table.fields.find((f) => f.type === 'string') ??
    table.fields[0];
  const textField = columnByName(table, opts?.textField, 'variable.textField') ?? valueField;
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
    meta: table.meta
      ? {
          executedQueryString: table.meta.executedQueryString,
          ...(table.meta.notices ? { notices: table.meta.notices } : {}),
        }
      : undefined,
  };
}
