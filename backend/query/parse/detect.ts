// Format `auto`: from the Content-Type, else from the first character of the answer.
import { sigilError } from '../../errors';

export type DataFormat = 'json' | 'xml' | 'csv' | 'tsv';

export function detectFormat(contentType: string | undefined, text: string): DataFormat {
  const ct = (contentType ?? '').toLowerCase().split(';')[0].trim();
  if (/(^|[/+])json$/.test(ct) || ct.startsWith('application/x-amz-json')) {
    return 'json';
  }
  if (/(^|[/+])xml$/.test(ct)) {
    return 'xml';
  }
  if (ct === 'text/csv' || ct === 'application/csv') {
    return 'csv';
  }
  if (ct === 'text/tab-separated-values') {
    return 'tsv';
  }
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') {
    return 'json';
  }
  if (first === '<') {
    return 'xml';
  }
  throw sigilError(
    'query',
    `cannot tell the answer's format from Content-Type "${ct || 'none'}"; choose json, xml, csv or tsv as the query format`,
  );
}
