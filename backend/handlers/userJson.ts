// JSON from users (query models, resource request bodies): parsed into objects whose keys can never
// reach a prototype. A key named __proto__, constructor or prototype is refused with an error naming it.
import { sigilError } from '../errors';
import { parseJsonFindingPrototypeKeys } from '../guardedJson';

/** Parses `text` as a JSON object; `what` names it in errors (e.g. "the query JSON"), `fix` says what to do. */
export function parseUserJson(text: string, what: string, fix: string): Record<string, unknown> {
  let parsed: unknown;
  let refused: string | undefined;
  try {
    ({ value: parsed, refused } = parseJsonFindingPrototypeKeys(text));
  } catch (e) {
    throw sigilError('query', `${what} is malformed (${(e as Error).message}); ${fix}`, { cause: e });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw sigilError('query', `${what} must be an object`);
  }
  if (refused !== undefined) {
    throw sigilError('query', `${what} has a field named "${refused}", which is refused; remove it`, {
      details: { field: refused },
    });
  }
  return parsed as Record<string, unknown>;
}

/** `record[key]` when it is the record's own property, else undefined. */
export function own(record: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
