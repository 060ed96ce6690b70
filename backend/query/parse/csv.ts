// CSV and TSV answers: the first line names the columns.
import { parse } from 'csv-parse/sync';
import { UNREADABLE_ANSWER, sigilError } from '../../errors';

/** A row of a table: column name -> JSON-like value (what CSV gives, and what toRows makes of a document). */
export type Row = Record<string, unknown>;

export function parseDelimited(text: string, delimiter: ',' | '\t', what = 'the answer'): Row[] {
  try {
    return parse(text, {
      columns: (header: string[]) => header.map((h, i) => (h.trim() === '' ? `column${i + 1}` : h.trim())),
      delimiter,
      bom: true,
      skip_empty_lines: true,
      relax_quotes: delimiter === '\t',
    }) as Row[];
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw sigilError(
      'parse',
      `${what} is not valid ${delimiter === ',' ? 'CSV' : 'TSV'}${err.lines ? ` at line ${err.lines}` : ''}: ${err.message}`,
      {
        ...UNREADABLE_ANSWER,
        cause: e,
      },
    );
  }
}
