// JSON answers. JSON.parse is the fast path; when it fails, jsonc-parser (strict mode) locates the first
// error, since V8's messages do not always carry a position. The error names line and column.
import { parse as parseTolerant, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { UNREADABLE_ANSWER, sigilError } from '../../errors';

export function lineColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(position, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

const READABLE: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  ValueExpected: 'a value is expected',
  PropertyNameExpected: 'a property name in double quotes is expected',
  CommaExpected: 'a comma is expected',
  ColonExpected: 'a colon is expected',
  CloseBraceExpected: 'a closing } is expected',
  CloseBracketExpected: 'a closing ] is expected',
  EndOfFileExpected: 'the end of the text is expected',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfComment: 'a comment is not closed',
  InvalidCommentToken: 'comments are not allowed',
};

export function parseJson(text: string, what = 'the answer'): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    if (e instanceof RangeError) {
      throw sigilError('parse', `${what} is nested too deeply to read as JSON`, { ...UNREADABLE_ANSWER, cause: e });
    }
    const errors: ParseError[] = [];
    try {
      parseTolerant(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    } catch {
      // the locator itself gave up (e.g. nesting too deep); report without a position
    }
    const first = errors[0];
    const pos = first ? first.offset : text.length;
    const reason = first
      ? (READABLE[printParseErrorCode(first.error)] ?? printParseErrorCode(first.error))
      : (e as Error).message;
    const { line, column } = lineColumn(text, pos);
    throw sigilError('parse', `${what} is not valid JSON at line ${line}, column ${column}: ${reason}`, {
      ...UNREADABLE_ANSWER,
      cause: e,
    });
  }
}
