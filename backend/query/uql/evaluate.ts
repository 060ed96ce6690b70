// Runs a parsed UQL query over an answer. `parse-*`, `scope` and `jsonata` work on the document; the
// other commands work on rows (objects; nested values reached with dotted column names).
import type { Command, Expr, UqlQuery } from './ast';
import { UqlError } from './errors';
import { AGGREGATIONS, FUNCTIONS, type Value } from './functions';
import { getPath, selectRoot } from '../select';
import { toRows, toText, toNumber, type Row } from '../table';
import { parseJson } from '../parse/json';
import { parseXml } from '../../aws/xml';
import { parseDelimited } from '../parse/csv';
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
  if (op === '+' && (typeof a === 'string' || typeof b === 'string') && (toNumber(a) === undefined || toNumber(b) === undefined)) {
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
      const a = evalExpr(e.left, row);
      const b = evalExpr(e.right, row);
      switch (e.op) {
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
          return e.op === '<' ? c < 0 : e.op === '<=' ? c <= 0 : e.op === '>' ? c > 0 : c >= 0;
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
          return arith(e.op, a, b);
      }
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
  return JSON.stringify(values.map((v) => (v instanceof Date ? v.getTime() : v ?? null)));
}

export interface UqlInput {
  text: string;
  contentType?: string;
}

type State = { doc: unknown; rows?: undefined } | { rows: Row[]; doc?: undefined };

function rowsOf(state: State): Row[] {
  return state.rows ?? toRows(state.doc);
}

async function step(cmd: Command, state: State, input: UqlInput): Promise<State> {
  switch (cmd.kind) {
    case 'parse':
      switch (cmd.format) {
        case 'json':
          return { doc: parseJson(input.text) };
        case 'xml':
          return { doc: parseXml(input.text) };
        default:
          return { rows: parseDelimited(input.text, cmd.format === 'csv' ? ',' : '\t') };
      }
    case 'scope':
      return { doc: getPath(state.doc ?? state.rows, cmd.path) ?? null };
    case 'jsonata':
      return { doc: await selectRoot(state.doc ?? state.rows, cmd.expression, 'jsonata expression') };
    case 'project':
      return {
        rows: rowsOf(state).map((row) => {
          const out: Row = {};
          for (const item of cmd.items) {
            out[item.name] = evalExpr(item.expr, row);
          }
          return out;
        }),
      };
    case 'project-away':
      return { rows: rowsOf(state).map((row) => cmd.names.reduce(removePath, row)) };
    case 'project-rename':
      return {
        rows: rowsOf(state).map((row) => {
          let out = row;
          for (const { to, from } of cmd.items) {
            const v = getPath(out, from);
            out = setKey(removePath(out, from), to, v === undefined ? null : v);
          }
          return out;
        }),
      };
    case 'extend':
      return { rows: rowsOf(state).map((row) => cmd.items.reduce((r, item) => setKey(r, item.name, evalExpr(item.expr, r)), row)) };
    case 'where':
      return { rows: rowsOf(state).filter((row) => truthy(evalExpr(cmd.expr, row))) };
    case 'order': {
      const rows = rowsOf(state);
      const keyed = rows.map((row, i) => ({ row, i, keys: cmd.items.map((it) => evalExpr(it.expr, row)) }));
      keyed.sort((a, b) => {
        for (let k = 0; k < cmd.items.length; k++) {
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
            return cmd.items[k].desc ? -c : c;
          }
        }
        return a.i - b.i;
      });
      return { rows: keyed.map((k) => k.row) };
    }
    case 'limit':
      return { rows: rowsOf(state).slice(0, cmd.count) };
    case 'count':
      return { rows: [{ Count: rowsOf(state).length }] };
    case 'summarize': {
      const groups = new Map<string, { by: Value[]; rows: Row[] }>();
      for (const row of rowsOf(state)) {
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
      return {
        rows: [...groups.values()].map((g) => {
          const out: Row = {};
          cmd.by.forEach((b, k) => {
            out[b.name] = g.by[k] ?? null;
          });
          for (const agg of cmd.aggs) {
            const values = agg.arg ? g.rows.map((r) => evalExpr(agg.arg as Expr, r)) : g.rows;
            out[agg.name] = AGGREGATIONS[agg.fn].fn(values);
          }
          return out;
        }),
      };
    }
    case 'mv-expand': {
      const out: Row[] = [];
      for (const row of rowsOf(state)) {
        const v = getPath(row, cmd.source);
        const base = cmd.name === cmd.source ? row : removePath(row, cmd.source);
        if (Array.isArray(v)) {
          if (v.length === 0) {
            out.push(setKey(base, cmd.name, null)); // keep the row, as a left outer expansion
          }
          for (const item of v) {
            out.push(setKey(base, cmd.name, item));
          }
        } else {
          out.push(setKey(base, cmd.name, v === undefined ? null : v));
        }
      }
      return { rows: out };
    }
    case 'distinct': {
      const seen = new Set<string>();
      const out: Row[] = [];
      for (const row of rowsOf(state)) {
        const values = cmd.names.map((n) => getPath(row, n) ?? null);
        const key = groupKey(values);
        if (!seen.has(key)) {
          seen.add(key);
          out.push(Object.fromEntries(cmd.names.map((n, k) => [n, values[k]])));
        }
      }
      return { rows: out };
    }
  }
}

/** Runs the query; the result rows go to the frame builder. Errors name the command's position. */
export async function evaluateUql(query: UqlQuery, input: UqlInput): Promise<Row[]> {
  let state: State;
  const first = query.commands[0];
  if (first?.kind === 'parse') {
    state = { doc: undefined };
  } else {
    // No parse-* command: read the answer by its Content-Type.
    const format = detectFormat(input.contentType, input.text);
    state = format === 'json' ? { doc: parseJson(input.text) } : format === 'xml' ? { doc: parseXml(input.text) } : { rows: parseDelimited(input.text, format === 'csv' ? ',' : '\t') };
  }
  for (const cmd of query.commands) {
    try {
      state = await step(cmd, state, input);
    } catch (e) {
      if (e instanceof UqlError) {
        throw e;
      }
      if (e instanceof SigilError) {
        throw new UqlError(`${cmd.kind}: ${e.message}`, cmd.at);
      }
      throw new UqlError(`${cmd.kind} failed: ${(e as Error).message}`, cmd.at);
    }
  }
  return rowsOf(state);
}
