// JSON from Grafana and from users (data source settings, query models, resource bodies), parsed so that a key
// named __proto__, constructor or prototype is found and can be refused: such a key could reach a prototype
// once the object is merged or copied. A reviver sees every key, escaped or not, but it calls back into
// JavaScript for every value of every query. A key can only be one of those names if the text holds the
// name itself or a backslash (an escape such as "\u005f_proto__"): text with neither is parsed without it.

import { PROTOTYPE_KEYS } from '../src/shared/prototypeKeys';

const PROTOTYPE_KEY_SET: ReadonlySet<string> = new Set(PROTOTYPE_KEYS);

/** A backslash or one of the names (plain words: nothing to escape). */
const MAY_HOLD_PROTOTYPE_KEY = new RegExp(['\\\\', ...PROTOTYPE_KEYS].join('|'));

/**
 * The parsed value, and the first prototype-shaped key found at any depth (undefined when none).
 * Throws JSON.parse's SyntaxError for text that is not JSON.
 */
export function parseJsonFindingPrototypeKeys(text: string): { value: unknown; refused?: string } {
  if (!MAY_HOLD_PROTOTYPE_KEY.test(text)) return { value: JSON.parse(text) };
  let refused: string | undefined;
  const value: unknown = JSON.parse(text, (key: string, v: unknown) => {
    if (refused === undefined && PROTOTYPE_KEY_SET.has(key)) refused = key;
    return v;
  });
  return { value, refused };
}
