// Root selectors and column paths.
//
// Root selectors are JSONata expressions. JSONata (already a dependency, maintained by IBM, the language
// Infinity's backend parser also accepts) is a full expression language: paths, filters
// (`Metrics[Namespace='AWS/EC2']`), mapping and functions, with one well-defined semantics for the JSON we
// parse and the XML we convert to the same shape. JSONPath has no single specification (RFC 9535 is young and
// libraries differ). A plain dotted path over objects is walked directly, which gives the same answer as
// JSONata without its evaluation cost on large answers.
import jsonata from 'jsonata';
import { sigilError } from '../errors';
import { FORBIDDEN_FIELD_SEGMENTS } from '../../src/shared/query';
import { LinearRegExp } from './regex';

const SIMPLE_PATH = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/;
const NOT_SIMPLE = Symbol('not simple');

function walkSimple(doc: unknown, path: string): unknown {
  let node = doc;
  for (const key of path.split('.')) {
    if (node === undefined || node === null) {
      return undefined;
    }
    if (typeof node !== 'object' || Array.isArray(node)) {
      return NOT_SIMPLE; // JSONata maps over arrays; let it decide
    }
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** What selectPlain answers when the selector is an expression that only JSONata can evaluate. */
export const NEEDS_JSONATA = Symbol('needs JSONata');

/**
 * A root selector's value found without evaluating an expression: the whole answer (empty, `$`) or a dotted
 * path over objects, in time linear in the path. Else NEEDS_JSONATA.
 */
export function selectPlain(doc: unknown, selector: string): unknown {
  const expr = selector.trim();
  if (expr === '' || expr === '$') {
    return doc;
  }
  if (SIMPLE_PATH.test(expr)) {
    const found = walkSimple(doc, expr);
    if (found !== NOT_SIMPLE) {
      return found;
    }
  }
  return NEEDS_JSONATA;
}

/**
 * JSONata's own guardrails give a clear message for the common runaway expressions (a recursive function
 * without an end, a huge loop): an evaluation time limit and a stack depth. The query's processing budget
 * (backend/isolation: a worker that is terminated) is what bounds everything else, regexes run on RE2.
 */
export const JSONATA_LIMITS = { timeoutMs: 5_000, stack: 500 };

interface JsonataError {
  message?: string;
  position?: number;
  token?: string;
}

/** Evaluates a root selector; `what` names it in errors (`root selector`, `pagination token path`). */
export async function selectRoot(doc: unknown, selector: string, what = 'root selector'): Promise<unknown> {
  const plain = selectPlain(doc, selector);
  if (plain !== NEEDS_JSONATA) {
    return plain;
  }
  const expr = selector.trim();
  let compiled: ReturnType<typeof jsonata>;
  try {
    compiled = jsonata(expr, {
      timeout: JSONATA_LIMITS.timeoutMs,
      stack: JSONATA_LIMITS.stack,
      RegexEngine: LinearRegExp as unknown as RegExpConstructor,
    });
  } catch (e) {
    const err = e as JsonataError;
    throw sigilError(
      'query',
      `${what} "${expr}" is not a valid JSONata expression: ${err.message ?? String(e)}${err.position !== undefined ? ` (at character ${err.position})` : ''}`,
      { cause: e },
    );
  }
  try {
    // JSONata sequences carry a `sequence` flag; a plain array is what the rest of the engine expects.
    const result: unknown = await compiled.evaluate(doc);
    return Array.isArray(result) ? Array.from(result) : result;
  } catch (e) {
    const err = e as JsonataError;
    if (e instanceof RangeError) {
      // "Invalid array length" / "Invalid string length": the expression grew past JavaScript's size limit.
      throw sigilError('budget', `${what} "${expr}" exceeded a size limit (${e.message}); narrow the expression`, {
        cause: e,
      });
    }
    throw sigilError('query', `${what} "${expr}" failed: ${err.message ?? String(e)}`, { cause: e });
  }
}

/** A value in a row: the key as is (`Dimension Name`, `a.b` after flattening), else a dotted walk (`a.b`, `list.0.x`). */
export function getPath(row: unknown, path: string): unknown {
  if (typeof row !== 'object' || row === null) {
    return undefined;
  }
  if (Object.prototype.hasOwnProperty.call(row, path)) {
    return (row as Record<string, unknown>)[path];
  }
  const keys = path.split('.');
  const bad = keys.find((k) => FORBIDDEN_FIELD_SEGMENTS.includes(k));
  if (bad !== undefined) {
    throw sigilError(
      'query',
      `the field path "${path}" has the part "${bad}", which names no field of an answer; use the answer's own field names`,
    );
  }
  if (keys.length === 1) {
    return undefined;
  }
  // Own properties only: an inherited value (toString, constructor, a polluted prototype) never comes back.
  let node: unknown = row;
  for (const key of keys) {
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, key)) {
      return undefined;
    }
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
