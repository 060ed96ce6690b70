// Runs a parsed UQL query over an answer. `parse-*`, `scope` and `jsonata` work on the document; the
// other commands work on rows (objects; nested values reached with dotted column names).
import type { Assignment, Command, Expr, UqlQuery } from './ast';
import { UqlError } from './errors';
import { AGGREGATIONS, FUNCTIONS, type Value } from './functions';
import { getPath, selectRoot } from '../select';
import { toRows, toText, toNumber, type Row } from '../table';
import { answerReader, type AnswerReader, type ReadAnswer } from '../parse/read';
import { detectFormat } from '../parse/detect';
import { SigilError } from '../../errors';
import { cachedLinear } from '../regex';

function comparable(v: Value): Value {
  return v instanceof Date ? v.getTime() : v;
}

/** Numbers compare as numbers (numeric text included), everything else as text. */
function compare(a: Value, b: Value): number {
  const x = comparable(a);
  const y = comparable(b);
  if (x === y) {
    return 0;
  }
  if (x === null || x === undefined) {
    return 1; // nulls last
  }
  if (y === null || y === undefined) {
    return -1;
  }
  if (typeof x === 'number' || typeof y === 'number') {
    const nx = toNumber(x);
    const ny = toNumber(y);
    if (typeof nx === 'number' && typeof ny === 'number' && !Number.isNaN(nx) && !Number.isNaN(ny)) {
      return nx < ny ? -1 : nx > ny ? 1 : 0;
    }
  }
  if (typeof x === 'boolean' && typeof y === 'boolean') {
    return x === y ? 0 : x ? 1 : -1;
  }
  const sx = toText(x) ?? '';
  const sy = toText(y) ?? '';
  return sx < sy ? -1 : sx > sy ? 1 : 0;
}

function equal(a: Value, b: Value): boolean {
  const x = comparable(a);
  const y = comparable(b);
  if (x === null || x === undefined || y === null || y === undefined) {
    return (x ?? null) === (y ?? null);
  }
  return compare(x, y) === 0;
}

function arith(op: string, a: Value, b: Value): Value {
  if (
    op === '+' &&
    (typeof a === 'string' || typeof b === 'string') &&
    (toNumber(a) === undefined || toNumber(b) === undefined)
  ) {
    return `${toText(a) ?? ''}${toText(b) ?? ''}`;
  }
  const x = toNumber(comparable(a));
  const y = toNumber(comparable(b));
  if (typeof x !== 'number' || typeof y !== 'number') {
    return null;
  }
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return y === 0 ? null : x / y;
    default:
      return y === 0 ? null : x % y;
  }
}

/** A binary operator other than and/or, on its two evaluated sides. */
function binary(op: string, a: Value, b: Value): Value {
  switch (op) {
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case '=~':
      return (toText(a) ?? '').toLowerCase() === (toText(b) ?? '').toLowerCase();
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (a === null || a === undefined || b === null || b === undefined) {
        return false;
      }
      const c = compare(a, b);
      return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    }
    case 'contains':
    case 'has':
      return (toText(a) ?? '').toLowerCase().includes((toText(b) ?? '').toLowerCase());
    case 'startswith':
      return (toText(a) ?? '').toLowerCase().startsWith((toText(b) ?? '').toLowerCase());
    case 'endswith':
      return (toText(a) ?? '').toLowerCase().endsWith((toText(b) ?? '').toLowerCase());
    case 'matches':
      return cachedLinear(toText(b) ?? '', 'matches pattern').test(toText(a) ?? '');
    default:
      return arith(op, a, b);
  }
}

export function evalExpr(e: Expr, row: Row): Value {
  switch (e.kind) {
    case 'literal':
      return e.value;
    case 'column': {
      const v = getPath(row, e.name);
      return v === undefined ? null : v;
    }
    case 'call':
      return FUNCTIONS[e.name].fn(...e.args.map((a) => evalExpr(a, row)));
    case 'unary': {
      const v = evalExpr(e.operand, row);
      if (e.op === 'not') {
        return !truthy(v);
      }
      const n = toNumber(comparable(v));
      return typeof n === 'number' ? -n : null;
    }
    case 'in': {
      const v = evalExpr(e.left, row);
      const found = e.list.some((item) => equal(v, evalExpr(item, row)));
      return e.negated ? !found : found;
    }
    case 'binary': {
      if (e.op === 'and') {
        return truthy(evalExpr(e.left, row)) && truthy(evalExpr(e.right, row));
      }
      if (e.op === 'or') {
        return truthy(evalExpr(e.left, row)) || truthy(evalExpr(e.right, row));
      }
      return binary(e.op, evalExpr(e.left, row), evalExpr(e.right, row));
    }
  }
}

function truthy(v: Value): boolean {
  return v === true;
}

function setKey(row: Row, name: string, value: Value): Row {
  return { ...row, [name]: value };
}

function removePath(row: Row, path: string): Row {
  if (Object.prototype.hasOwnProperty.call(row, path) || !path.includes('.')) {
    const { [path]: _gone, ...rest } = row;
    return rest;
  }
  const [head, ...tail] = path.split('.');
  const child = row[head];
  if (typeof child !== 'object' || child === null || Array.isArray(child)) {
    return row;
  }
  return { ...row, [head]: removePath(child as Row, tail.join('.')) };
}

function groupKey(values: Value[]): string {
  return JSON.stringify(values.map((v) => (v instanceof Date ? v.getTime() : (v ?? null))));
}

export interface UqlInput {
  text: string;
  contentType?: string;
  /** The answer's reader when the caller shares its parse (pagination reads the same page); else one is made. */
  read?: AnswerReader;
}

type State = ReadAnswer;

function rowsOf(state: State): Row[] {
  return state.rows ?? toRows(state.doc);
}

/** Sorts stably by the items' keys, nulls last whatever the direction. */
function orderRows(rows: Row[], items: OrderItem[]): Row[] {
  const keyed = rows.map((row, i) => ({ row, i, keys: items.map((it) => evalExpr(it.expr, row)) }));
  keyed.sort((a, b) => {
    for (let k = 0; k < items.length; k++) {
      const x = a.keys[k];
      const y = b.keys[k];
      const nullX = x === null || x === undefined;
      const nullY = y === null || y === undefined;
      if (nullX || nullY) {
        if (nullX !== nullY) {
          return nullX ? 1 : -1; // nulls last either way
        }
        continue;
      }
      const c = compare(x, y);
      if (c !== 0) {
        return items[k].desc ? -c : c;
      }
    }
    return a.i - b.i;
  });
  return keyed.map((k) => k.row);
}

function summarize(rows: Row[], cmd: CommandOf<'summarize'>): Row[] {
  const groups = new Map<string, { by: Value[]; rows: Row[] }>();
  for (const row of rows) {
    const by = cmd.by.map((b) => evalExpr(b.expr, row));
    const key = groupKey(by);
    let g = groups.get(key);
    if (!g) {
      g = { by, rows: [] };
      groups.set(key, g);
    }
    g.rows.push(row);
  }
  if (groups.size === 0 && cmd.by.length === 0) {
    groups.set('[]', { by: [], rows: [] });
  }
  return [...groups.values()].map((g) => {
    const out: Row = {};
    cmd.by.forEach((b, k) => {
      out[b.name] = g.by[k] ?? null;
    });
    for (const agg of cmd.aggs) {
      const values = agg.arg ? g.rows.map((r) => evalExpr(agg.arg as Expr, r)) : g.rows;
      out[agg.name] = AGGREGATIONS[agg.fn].fn(values);
    }
    return out;
  });
}

/** One row per item of an array column (a row with an empty array stays, with null: a left outer expansion). */
function mvExpand(rows: Row[], { name, source }: CommandOf<'mv-expand'>): Row[] {
  const out: Row[] = [];
  for (const row of rows) {
    const v = getPath(row, source);
    const base = name === source ? row : removePath(row, source);
    if (!Array.isArray(v)) {
      out.push(setKey(base, name, v === undefined ? null : v));
    } else if (v.length === 0) {
      out.push(setKey(base, name, null));
    } else {
      for (const item of v) out.push(setKey(base, name, item));
    }
  }
  return out;
}

function distinct(rows: Row[], names: string[]): Row[] {
  const seen = new Set<string>();
  const out: Row[] = [];
  for (const row of rows) {
    const values = names.map((n) => getPath(row, n) ?? null);
    const key = groupKey(values);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(Object.fromEntries(names.map((n, k) => [n, values[k]])));
    }
  }
  return out;
}

function projected(row: Row, items: Assignment[]): Row {
  const out: Row = {};
  for (const item of items) {
    out[item.name] = evalExpr(item.expr, row);
  }
  return out;
}

function renamed(row: Row, items: CommandOf<'project-rename'>['items']): Row {
  let out = row;
  for (const { to, from } of items) {
    const v = getPath(out, from);
    out = setKey(removePath(out, from), to, v === undefined ? null : v);
  }
  return out;
}

type CommandOf<K extends Command['kind']> = Extract<Command, { kind: K }>;
type OrderItem = CommandOf<'order'>['items'][number];
type Handler<K extends Command['kind']> = (cmd: CommandOf<K>, state: State, input: UqlInput) => State | Promise<State>;

/** What each UQL command does to the document or the rows. */
const COMMANDS: { [K in Command['kind']]: Handler<K> } = {
  parse: (cmd, _state, input) => (input.read as AnswerReader)(cmd.format),
  scope: (cmd, state) => ({ doc: getPath(state.doc ?? state.rows, cmd.path) ?? null }),
  jsonata: async (cmd, state) => ({
    doc: await selectRoot(state.doc ?? state.rows, cmd.expression, 'jsonata expression'),
  }),
  project: (cmd, state) => ({ rows: rowsOf(state).map((row) => projected(row, cmd.items)) }),
  'project-away': (cmd, state) => ({ rows: rowsOf(state).map((row) => cmd.names.reduce(removePath, row)) }),
  'project-rename': (cmd, state) => ({ rows: rowsOf(state).map((row) => renamed(row, cmd.items)) }),
  extend: (cmd, state) => ({
    rows: rowsOf(state).map((row) => cmd.items.reduce((r, item) => setKey(r, item.name, evalExpr(item.expr, r)), row)),
  }),
  where: (cmd, state) => ({ rows: rowsOf(state).filter((row) => truthy(evalExpr(cmd.expr, row))) }),
  order: (cmd, state) => ({ rows: orderRows(rowsOf(state), cmd.items) }),
  limit: (cmd, state) => ({ rows: rowsOf(state).slice(0, cmd.count) }),
  count: (_cmd, state) => ({ rows: [{ Count: rowsOf(state).length }] }),
  summarize: (cmd, state) => ({ rows: summarize(rowsOf(state), cmd) }),
  'mv-expand': (cmd, state) => ({ rows: mvExpand(rowsOf(state), cmd) }),
  distinct: (cmd, state) => ({ rows: distinct(rowsOf(state), cmd.names) }),
};

function step(cmd: Command, state: State, input: UqlInput): State | Promise<State> {
  const handler = COMMANDS[cmd.kind] as Handler<Command['kind']>;
  return handler(cmd as never, state, input);
}

/** Runs the query; the result rows go to the frame builder. Errors name the command's position. */
export async function evaluateUql(query: UqlQuery, given: UqlInput): Promise<Row[]> {
  const input = { ...given, read: given.read ?? answerReader(given.text) };
  let state: State;
  const first = query.commands[0];
  if (first?.kind === 'parse') {
    state = { doc: undefined };
  } else {
    // No parse-* command: read the answer by its Content-Type.
    state = input.read(detectFormat(input.contentType, input.text));
  }
  for (const cmd of query.commands) {
    try {
      state = await step(cmd, state, input);
    } catch (e) {
      if (e instanceof UqlError) {
        throw e;
      }
      if (e instanceof SigilError) {
        throw new UqlError(`${cmd.kind}: ${e.message}`, cmd.at, e);
      }
      throw new UqlError(`${cmd.kind} failed: ${(e as Error).message}`, cmd.at, e);
    }
  }
  return rowsOf(state);
}
