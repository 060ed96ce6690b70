// The one choice of reader for a format: JSON and XML give a document (for root selectors, JSONata and
// pagination tokens), CSV and TSV give rows. XML's empty lists are read as lists here, so every query
// kind (root selector, UQL, pagination) sees the same document.
import { parseDelimited, type Row } from './csv';
import type { DataFormat } from './detect';
import { parseJson } from './json';
import { parseXml } from './xml';
import { emptyXmlListsAsLists } from './xmlLists';

export type ReadAnswer = { doc: unknown; rows?: undefined } | { rows: Row[]; doc?: undefined };

/** Reads an answer in one format. */
export type AnswerReader = (format: DataFormat) => ReadAnswer;

export function readAnswer(format: DataFormat, text: string): ReadAnswer {
  switch (format) {
    case 'json':
      return { doc: parseJson(text) };
    case 'xml':
      return { doc: emptyXmlListsAsLists(parseXml(text)) };
    default:
      return { rows: parseDelimited(text, format === 'csv' ? ',' : '\t') };
  }
}

/**
 * A reader of one answer that parses it at most once per format: UQL and the pagination token of the same
 * page share the parse. Callers must not change what they get.
 */
export function answerReader(text: string): AnswerReader {
  const read = new Map<DataFormat, ReadAnswer>();
  return (format) => {
    let answer = read.get(format);
    if (answer === undefined) {
      answer = readAnswer(format, text);
      read.set(format, answer);
    }
    return answer;
  };
}
