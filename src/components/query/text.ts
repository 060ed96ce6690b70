// Pure text helpers of the query editor: the JSON check as typed, and pretty-printing of the preview.
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

/** Time macros and dashboard variables stand for numbers or text the backend fills in; `0` keeps JSON valid. */
const PLACEHOLDERS = /\$\{[^}]*\}|\$__\w+|\$[A-Za-z_]\w*/g;

/** Why a JSON body is not JSON (with line and column), or undefined when it is, macros counted as values. */
export function jsonProblem(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  const checked = text.replace(PLACEHOLDERS, '0');
  const errors: ParseError[] = [];
  parse(checked, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length === 0) return undefined;
  const { error, offset } = errors[0];
  const before = checked.slice(0, offset);
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `not valid JSON at line ${line}, column ${column}: ${printParseErrorCode(error)}`;
}

/** JSON re-indented; anything else as it came. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** XML indented one element per line (text kept inline); a body that is not XML as it came. */
export function prettyXml(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('<')) return text;
  const tokens = trimmed.replace(/>\s+</g, '><').split(/(?=<)|(?<=>)/);
  const lines: string[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === '') continue;
    if (token.startsWith('</')) {
      depth = Math.max(0, depth - 1);
      lines.push(`${'  '.repeat(depth)}${token}`);
    } else if (token.startsWith('<?') || token.startsWith('<!') || token.endsWith('/>')) {
      lines.push(`${'  '.repeat(depth)}${token}`);
    } else if (token.startsWith('<')) {
      // <a>text</a> stays on one line.
      const text = tokens[i + 1];
      const close = tokens[i + 2];
      if (text !== undefined && !text.startsWith('<') && close?.startsWith('</')) {
        lines.push(`${'  '.repeat(depth)}${token}${text}${close}`);
        i += 2;
      } else {
        lines.push(`${'  '.repeat(depth)}${token}`);
        depth++;
      }
    } else {
      lines.push(`${'  '.repeat(depth)}${token}`);
    }
  }
  return lines.join('\n');
}

/** The answer body, pretty-printed by its content type (or its first character when the type says nothing). */
export function prettyBody(body: string, contentType: string | undefined): string {
  const type = (contentType ?? '').toLowerCase();
  const start = body.trimStart()[0];
  if (type.includes('json') || (!type.includes('xml') && (start === '{' || start === '['))) return prettyJson(body);
  if (type.includes('xml') || start === '<') return prettyXml(body);
  return body;
}
