// UQL tokens. Double quotes name a column ("name.firstName"), single quotes are string literals ('abc'),
// commands may contain a dash (mv-expand, project-away, parse-json), `|` separates commands.
import { UqlError, type Position } from './errors';

export type TokenKind =
  'ident' | 'column' | 'string' | 'number' | 'op' | 'pipe' | 'comma' | 'lparen' | 'rparen' | 'eof';

export interface Token extends Position {
  kind: TokenKind;
  value: string;
}

/** Words that contain a dash; `a-b` is otherwise a subtraction. */
const DASHED = new Set([
  'mv-expand',
  'project-away',
  'project-rename',
  'project-keep',
  'parse-json',
  'parse-csv',
  'parse-tsv',
  'parse-xml',
]);
const TWO_CHAR_OPS = new Set(['==', '!=', '>=', '<=', '=~']);
const ONE_CHAR_OPS = new Set(['=', '>', '<', '+', '-', '*', '/', '%', '!']);

const SINGLE: Readonly<Record<string, TokenKind>> = { '|': 'pipe', ',': 'comma', '(': 'lparen', ')': 'rparen' };

/** A token read at an offset, and the offset after it. */
type Read = [Token, number];

/** A double-quoted column name or a single-quoted string (backslash escapes; no line breaks inside). */
function readQuoted(text: string, i: number, start: Position): Read {
  const quote = text[i];
  let value = '';
  let j = i + 1;
  while (j < text.length && text[j] !== '\n') {
    const d = text[j];
    if (d === '\\' && j + 1 < text.length) {
      const e = text[j + 1];
      value += e === 'n' ? '\n' : e === 't' ? '\t' : e;
      j += 2;
      continue;
    }
    if (d === quote) {
      return [{ kind: quote === '"' ? 'column' : 'string', value, ...start }, j + 1];
    }
    value += d;
    j++;
  }
  throw new UqlError(
    `the ${quote === '"' ? 'column name' : 'string'} starting here is not closed with ${quote}`,
    start,
  );
}

function readNumber(text: string, i: number, start: Position, at: (offset: number) => Position): Read {
  const m = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i, i + 64)) as RegExpExecArray;
  const end = i + m[0].length;
  if (/[A-Za-z_]/.test(text[end] ?? '')) {
    throw new UqlError(`unexpected "${text[end]}" right after the number ${m[0]}`, at(end));
  }
  return [{ kind: 'number', value: m[0], ...start }, end];
}

/** A name or keyword; a command with a dash (mv-expand) is one word. */
function readWord(text: string, i: number, start: Position): Read {
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
  return [{ kind: 'ident', value: word, ...start }, j];
}

/** An operator or punctuation, two characters before one. */
function readSymbol(text: string, i: number, start: Position): Read {
  const two = text.slice(i, i + 2);
  if (TWO_CHAR_OPS.has(two)) {
    return [{ kind: 'op', value: two, ...start }, i + 2];
  }
  const c = text[i];
  if (ONE_CHAR_OPS.has(c)) {
    return [{ kind: 'op', value: c, ...start }, i + 1];
  }
  if (Object.hasOwn(SINGLE, c)) {
    return [{ kind: SINGLE[c], value: c, ...start }, i + 1];
  }
  throw new UqlError(`unexpected character ${JSON.stringify(c)}`, start);
}

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
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      // A comment runs to the end of the line.
      while (i < text.length && text[i] !== '\n') {
        i++;
      }
    } else {
      const start = at(i);
      const [token, end] =
        c === '"' || c === "'"
          ? readQuoted(text, i, start)
          : /[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))
            ? readNumber(text, i, start, at)
            : /[A-Za-z_]/.test(c)
              ? readWord(text, i, start)
              : readSymbol(text, i, start);
      tokens.push(token);
      i = end;
    }
  }
  tokens.push({ kind: 'eof', value: '', ...at(i) });
  return tokens;
}
