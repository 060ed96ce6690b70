// UQL tokens. Double quotes name a column ("name.firstName"), single quotes are string literals ('abc'),
// commands may contain a dash (mv-expand, project-away, parse-json), `|` separates commands.
import { UqlError, type Position } from './errors';

export type TokenKind = 'ident' | 'column' | 'string' | 'number' | 'op' | 'pipe' | 'comma' | 'lparen' | 'rparen' | 'eof';

export interface Token extends Position {
  kind: TokenKind;
  value: string;
}

/** Words that contain a dash; `a-b` is otherwise a subtraction. */
const DASHED = new Set(['mv-expand', 'project-away', 'project-rename', 'project-keep', 'parse-json', 'parse-csv', 'parse-tsv', 'parse-xml']);
const TWO_CHAR_OPS = new Set(['==', '!=', '>=', '<=', '=~']);
const ONE_CHAR_OPS = new Set(['=', '>', '<', '+', '-', '*', '/', '%', '!']);

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = (offset: number): Position => ({ line, column: offset - lineStart + 1 });

  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      // A comment runs to the end of the line.
      while (i < text.length && text[i] !== '\n') {
        i++;
      }
      continue;
    }
    const start = at(i);
    if (c === '"' || c === "'") {
      let value = '';
      i++;
      let closed = false;
      while (i < text.length) {
        const d = text[i];
        if (d === '\\' && i + 1 < text.length) {
          const e = text[i + 1];
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          i += 2;
          continue;
        }
        if (d === c) {
          closed = true;
          i++;
          break;
        }
        if (d === '\n') {
          break;
        }
        value += d;
        i++;
      }
      if (!closed) {
        throw new UqlError(`the ${c === '"' ? 'column name' : 'string'} starting here is not closed with ${c}`, start);
      }
      tokens.push({ kind: c === '"' ? 'column' : 'string', value, ...start });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i, i + 64)) as RegExpExecArray;
      tokens.push({ kind: 'number', value: m[0], ...start });
      i += m[0].length;
      if (/[A-Za-z_]/.test(text[i] ?? '')) {
        throw new UqlError(`unexpected "${text[i]}" right after the number ${m[0]}`, at(i));
      }
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j])) {
        j++;
      }
      let word = text.slice(i, j);
      const dashed = /^-[a-z]+/.exec(text.slice(j, j + 16));
      if (dashed && DASHED.has(`${word}${dashed[0]}`.toLowerCase())) {
        word += dashed[0];
        j += dashed[0].length;
      }
      tokens.push({ kind: 'ident', value: word, ...start });
      i = j;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      tokens.push({ kind: 'op', value: two, ...start });
      i += 2;
      continue;
    }
    if (ONE_CHAR_OPS.has(c)) {
      tokens.push({ kind: 'op', value: c, ...start });
      i++;
      continue;
    }
    const single: Record<string, TokenKind> = { '|': 'pipe', ',': 'comma', '(': 'lparen', ')': 'rparen' };
    if (single[c]) {
      tokens.push({ kind: single[c], value: c, ...start });
      i++;
      continue;
    }
    throw new UqlError(`unexpected character ${JSON.stringify(c)}`, start);
  }
  tokens.push({ kind: 'eof', value: '', ...at(i) });
  return tokens;
}
