// Marks frames as time series the way Grafana's data plane contract expects:
// - wide (`timeseries-wide`): one time field, sorted ascending, and number fields;
// - multi (`timeseries-multi`): a long table split by label columns into one frame per series, each with a
//   time field and number fields carrying the labels, so alert rules evaluate each series on its own.
import type { TimeSeriesOptions } from '../../src/shared/query';
import type { Field, FieldValue, Frame, Notice } from '../frames/model';

const TYPE_VERSION: [number, number] = [0, 1];

function sortedByTime(time: FieldValue[]): number[] | undefined {
  let sorted = true;
  for (let i = 1; i < time.length && sorted; i++) {
    sorted = (time[i - 1] as number) <= (time[i] as number) || time[i] === null;
  }
  if (sorted) {
    return undefined;
  }
  const order = time.map((_, i) => i);
  // Nulls last: a row without a time cannot be placed on the axis.
  order.sort((a, b) => ((time[a] ?? Infinity) as number) - ((time[b] ?? Infinity) as number) || a - b);
  return order;
}

function reorder(fields: Field[], order: number[] | undefined): Field[] {
  if (!order) {
    return fields;
  }
  return fields.map((f) => ({ ...f, values: order.map((i) => f.values[i]) }));
}

function withNotices(frame: Frame, notices: Notice[]): Frame {
  if (notices.length === 0) {
    return frame;
  }
  return { ...frame, meta: { ...frame.meta, notices: [...(frame.meta?.notices ?? []), ...notices] } };
}

/** A wide frame: one time field, then the value fields, rows in time order. */
function wideFrame(frame: Frame, time: Field, valueFields: Field[]): Frame {
  const order = sortedByTime(time.values);
  return {
    ...frame,
    fields: reorder([time, ...valueFields], order),
    meta: { ...frame.meta, type: 'timeseries-wide', typeVersion: TYPE_VERSION },
  };
}

/** The label columns: the ones named (a notice for each missing one), else every other text column. */
function labelColumns(frame: Frame, opts: TimeSeriesOptions, others: Field[], notices: Notice[]): Field[] {
  const wanted = opts.labelColumns?.filter((c) => c.trim() !== '') ?? [];
  if (wanted.length === 0) {
    return others.filter((f) => f.type === 'string');
  }
  return wanted.flatMap((name) => {
    const f = frame.fields.find((x) => x.name === name);
    if (!f) {
      notices.push({ severity: 'warning', text: `label column "${name}" is not in the result` });
    }
    return f ? [f] : [];
  });
}

/** Long -> multi: one frame per distinct set of label values, in first-seen order. */
function multiFrames(frame: Frame, time: Field, valueFields: Field[], labelFields: Field[]): Frame[] {
  const groups = new Map<string, { labels: Record<string, string>; rows: number[] }>();
  const rowCount = time.values.length;
  for (let i = 0; i < rowCount; i++) {
    const labels: Record<string, string> = {};
    for (const f of labelFields) {
      const v = f.values[i];
      labels[f.name] = v === null ? '' : String(v);
    }
    const key = JSON.stringify(labelFields.map((f) => labels[f.name]));
    let group = groups.get(key);
    if (!group) {
      group = { labels, rows: [] };
      groups.set(key, group);
    }
    group.rows.push(i);
  }
  const meta = { ...frame.meta, type: 'timeseries-multi', typeVersion: TYPE_VERSION } as const;
  const frames: Frame[] = [];
  for (const { labels, rows } of groups.values()) {
    const pick = (f: Field): FieldValue[] => rows.map((i) => f.values[i]);
    const fields: Field[] = [
      { ...time, values: pick(time) },
      ...valueFields.map((f) => ({ ...f, values: pick(f), labels: { ...f.labels, ...labels } })),
    ];
    const order = sortedByTime(fields[0].values);
    frames.push({ name: frame.name, refId: frame.refId, fields: reorder(fields, order), meta: { ...meta } });
  }
  if (frames.length === 0) {
    frames.push({ ...frame, fields: [time, ...valueFields], meta: { ...meta } });
  }
  return frames;
}

export function shapeTimeSeries(frame: Frame, opts: TimeSeriesOptions): Frame[] {
  const timeFields = frame.fields.filter((f) => f.type === 'time');
  const numberFields = frame.fields.filter((f) => f.type === 'number');
  const others = frame.fields.filter((f) => f.type !== 'time' && f.type !== 'number');
  const canBeSeries = timeFields.length >= 1 && numberFields.length >= 1;

  if (!opts.enabled) {
    // Automatic: a frame that is already wide-shaped is marked so panels and alerts read it as series.
    return canBeSeries && timeFields.length === 1 && others.length === 0
      ? [wideFrame(frame, timeFields[0], numberFields)]
      : [frame];
  }
  if (!canBeSeries) {
    return [
      withNotices(frame, [
        {
          severity: 'warning',
          text: 'time series needs a time column and at least one number column; shown as a table',
        },
      ]),
    ];
  }
  const notices: Notice[] = [];
  const labelFields = labelColumns(frame, opts, others, notices);
  const time = timeFields[0];
  if (timeFields.length > 1) {
    notices.push({
      severity: 'info',
      text: `time series use the first time column "${time.name}"; other time columns are left out`,
    });
  }
  const valueFields = numberFields.filter((f) => !labelFields.includes(f));
  if (labelFields.length === 0) {
    return [withNotices(wideFrame(frame, time, valueFields), notices)];
  }
  const frames = multiFrames(frame, time, valueFields, labelFields);
  frames[0] = withNotices(frames[0], notices);
  return frames;
}
