// A dashboard annotation query's answer: the query's table turned into the fields Grafana's standard
// annotation processing maps by name: `time`, optional `timeEnd` (a region), `title`, `text`, `tags`
// (comma-separated, as Grafana splits them). Rows without a start time cannot be placed and are counted in
// a notice.
import type { AnnotationOptions } from '../../src/shared/query';
import type { Field, FieldValue, Frame, Notice } from '../frames/model';
import { sigilError } from '../errors';
import { columnByName } from './columnByName';

function timeField(frame: Frame, name: string | undefined, what: string): Field | undefined {
  const field = columnByName(frame, name, what);
  if (field && field.type !== 'time') {
    throw sigilError(
      'query',
      `${what} "${field.name}" is a ${field.type} column, not a time; give it type time (with its time format) under Columns`,
    );
  }
  return field;
}

function asText(field: Field | undefined, row: number): string {
  const v = field?.values[row];
  if (v === null || v === undefined) return '';
  return field?.type === 'time' && typeof v === 'number' ? new Date(v).toISOString() : String(v);
}

/** A list value (JSON text of an array) gives one tag per item; anything else is one tag. */
function tagsOf(field: Field, row: number): string[] {
  const s = asText(field, row).trim();
  if (s === '') return [];
  if (s.startsWith('[')) {
    try {
      const list: unknown = JSON.parse(s);
      if (Array.isArray(list)) return list.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
    } catch {
      // not a list: one tag
    }
  }
  return [s];
}

export function annotationFrame(frames: Frame[], opts: AnnotationOptions | undefined, refId: string): Frame {
  const table: Frame = frames[0] ?? { fields: [] };
  const start =
    timeField(table, opts?.timeField, 'annotation.timeField') ?? table.fields.find((f) => f.type === 'time');
  if (!start) {
    throw sigilError(
      'query',
      'an annotation needs a time: the result has no time column; set annotation.timeField or give a column type time under Columns',
    );
  }
  const end = timeField(table, opts?.timeEndField, 'annotation.timeEndField');
  const title = columnByName(table, opts?.titleField, 'annotation.titleField');
  const textField =
    columnByName(table, opts?.textField, 'annotation.textField') ??
    table.fields.find((f) => f.type === 'string' && f !== title);
  const tagFields = (opts?.tagsFields ?? [])
    .filter((t) => t.trim() !== '')
    .map((t) => columnByName(table, t, 'annotation.tagsFields') as Field);

  const out = {
    time: [] as FieldValue[],
    timeEnd: [] as FieldValue[],
    title: [] as FieldValue[],
    text: [] as FieldValue[],
    tags: [] as FieldValue[],
  };
  let skipped = 0;
  for (let i = 0; i < start.values.length; i++) {
    const t = start.values[i];
    if (t === null || t === undefined) {
      skipped++;
      continue;
    }
    out.time.push(t);
    out.timeEnd.push(end?.values[i] ?? null);
    out.title.push(asText(title, i));
    out.text.push(asText(textField, i));
    out.tags.push(tagFields.flatMap((f) => tagsOf(f, i)).join(','));
  }
  const fields: Field[] = [
    { name: 'time', type: 'time', values: out.time },
    ...(end ? [{ name: 'timeEnd', type: 'time' as const, values: out.timeEnd }] : []),
    { name: 'title', type: 'string', values: out.title },
    { name: 'text', type: 'string', values: out.text },
    { name: 'tags', type: 'string', values: out.tags },
  ];
  const notices: Notice[] = [...(table.meta?.notices ?? [])];
  if (skipped > 0) {
    notices.push({
      severity: 'warning',
      text: `${skipped} row(s) have no time in "${start.name}" and are not shown as annotations`,
    });
  }
  return {
    refId,
    fields,
    meta: { executedQueryString: table.meta?.executedQueryString, ...(notices.length ? { notices } : {}) },
  };
}
