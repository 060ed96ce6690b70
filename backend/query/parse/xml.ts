// XML answers (AWS Query APIs: STS, IAM, EC2, CloudWatch's query protocol; S3). Converted to the same
// object shape JSON gives, so root selectors and columns work the same. AWS wraps lists in `<member>`
// (or `<item>` for EC2) elements: such a wrapper becomes an array, even with one or zero items.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { pluginError } from '../../errors';

const LIST_ITEMS = new Set(['member', 'item']);

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false, // XML has no types; ids such as account numbers keep their digits
  trimValues: true,
  isArray: (name) => LIST_ITEMS.has(name),
  processEntities: true,
});

function unwrapLists(node: unknown): unknown {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      node[i] = unwrapLists(node[i]);
    }
    return node;
  }
  if (typeof node !== 'object' || node === null) {
    return node;
  }
  const obj = node as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1 && LIST_ITEMS.has(keys[0]) && Array.isArray(obj[keys[0]])) {
    return unwrapLists(obj[keys[0]]);
  }
  for (const key of keys) {
    obj[key] = unwrapLists(obj[key]);
  }
  return obj;
}

export function parseXml(text: string, what = 'the answer'): unknown {
  let valid: ReturnType<typeof XMLValidator.validate>;
  try {
    valid = XMLValidator.validate(text);
  } catch (e) {
    throw pluginError(`${what} is not valid XML: ${(e as Error).message}`, 422);
  }
  if (valid !== true) {
    throw pluginError(`${what} is not valid XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`, 422);
  }
  try {
    return unwrapLists(parser.parse(text));
  } catch (e) {
    throw pluginError(`${what} is not valid XML: ${(e as Error).message}`, 422);
  }
}
