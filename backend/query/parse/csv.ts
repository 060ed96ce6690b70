// CSV and TSV answers: the first line names the columns.
import { parse } from 'csv-parse/sync';
import { pluginError } from '../../errors';
import type { Row } from '../table';

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
    throw pluginError(`${what} is not valid ${delimiter === ',' ? 'CSV' : 'TSV'}${err.lines ? ` at line ${err.lines}` : ''}: ${err.message}`, 422);
  }
}
