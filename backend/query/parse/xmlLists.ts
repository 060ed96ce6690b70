// Empty XML lists. `<Dimensions/>` and `<Name/>` read the same without the API's schema, so the XML reader
// gives "" for both. An empty element is an empty list when the document says it is a list elsewhere:
// - the same field holds a list in another item of the same list (`Dimensions` of the metric beside it);
// - its name is EC2's list convention (`tagSet`, `groupSet`, `instancesSet`).
// Walked with an explicit stack: answers may nest deeper than the call stack.

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const EC2_LIST = /[a-z]Set$/;

/** Replaces empty-element "" by [] where the document shows the field is a list; changes `doc` in place. */
export function emptyXmlListsAsLists(doc: unknown): unknown {
  const stack: unknown[] = [doc];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      let listFields: Set<string> | undefined;
      for (const item of node) {
        if (!isRecord(item)) continue;
        for (const key of Object.keys(item)) {
          if (Array.isArray(item[key])) (listFields ??= new Set()).add(key);
        }
      }
      for (const item of node) {
        if (!isRecord(item)) {
          if (Array.isArray(item)) stack.push(item);
          continue;
        }
        if (listFields) {
          for (const key of listFields) if (item[key] === '') item[key] = [];
        }
        stack.push(item);
      }
    } else if (isRecord(node)) {
      for (const key of Object.keys(node)) {
        const value = node[key];
        if (value === '' && EC2_LIST.test(key)) node[key] = [];
        else if (typeof value === 'object' && value !== null) stack.push(value);
      }
    }
  }
  return doc;
}
