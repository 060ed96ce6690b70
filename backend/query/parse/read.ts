// The one choice of reader for a format: JSON and XML give a document (for root selectors, JSONata and
// pagination tokens), CSV and TSV give rows.
import { parseDelimited, type Row } from './csv';
import type { DataFormat } from './detect';
import { parseJson } from './json';
import { parseXml } from './xml';

export type ReadAnswer = { doc: unknown; rows?: undefined } | { rows: Row[]; doc?: undefined };

export function readAnswer(format: DataFormat, text: string): ReadAnswer {
  switch (format) {
    case 'json':
      return { doc: parseJson(text) };
    case 'xml':
      return { doc: parseXml(text) };
    default:
      return { rows: parseDelimited(text, format === 'csv' ? ',' : '\t') };
  }
}
