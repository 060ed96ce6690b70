// A column of a query's result, named by the author (a variable's value column, an annotation's title
// column, ...): undefined when no name is given, an error listing the columns when the name is not one.
import type { Field, Frame } from '../frames/model';
import { sigilError } from '../errors';

export function columnByName(frame: Frame, name: string | undefined, what: string): Field | undefined {
  const wanted = name?.trim() ?? '';
  if (wanted === '') return undefined;
  const field = frame.fields.find((f) => f.name === wanted);
  if (!field) {
    const names = frame.fields.map((f) => `"${f.name}"`).join(', ');
    throw sigilError(
      'query',
      `${what} "${wanted}" is not a column of the result${names ? ` (columns: ${names})` : ' (the result has no columns)'}`,
    );
  }
  return field;
}
