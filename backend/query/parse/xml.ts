// XML answers (AWS Query APIs: STS, IAM, EC2, CloudWatch's query protocol; S3). Converted to the same
// object shape JSON gives, so root selectors and columns work the same. AWS wraps lists in `<member>`
// (or `<item>` for EC2) elements: such a wrapper becomes an array, even with one item.
//
// The tree is built from saxes' events in one pass, without recursion: saxes checks well-formedness as it
// goes (so a truncated answer is an error with its line and column), and is about ten times faster on large
// answers than parsing and validating with a DOM-style parser.
import { SaxesParser } from 'saxes';
import { UNREADABLE_ANSWER, sigilError } from '../../errors';

const LIST_ITEMS = new Set(['member', 'item']);

type XmlValue = string | XmlObject | XmlValue[];
interface XmlObject {
  [name: string]: XmlValue;
}

/** An element being read: its children so far (null while it has none) and its text. */
interface OpenElement {
  name: string;
  children: XmlObject | null;
  /** Child names seen more than once: their values are arrays of the repeats. */
  repeated: Set<string> | null;
  text: string;
}

function addChild(parent: OpenElement, name: string, value: XmlValue): void {
  const children = (parent.children ??= {});
  if (LIST_ITEMS.has(name)) {
    const list = children[name];
    if (Array.isArray(list)) list.push(value);
    else children[name] = [value];
    return;
  }
  if (!Object.prototype.hasOwnProperty.call(children, name)) {
    children[name] = value;
    return;
  }
  // A repeated element: its values become an array, in document order.
  const repeated = (parent.repeated ??= new Set());
  if (repeated.has(name)) {
    (children[name] as XmlValue[]).push(value);
  } else {
    repeated.add(name);
    children[name] = [children[name], value];
  }
}

/** The value of a closed element: its text, its children, or the list its only `member` child holds. */
function valueOf(element: OpenElement): XmlValue {
  const text = element.text.trim();
  const children = element.children;
  if (children === null) return text;
  const names = Object.keys(children);
  if (names.length === 1 && LIST_ITEMS.has(names[0]) && text === '') return children[names[0]];
  if (text !== '') children['#text'] = text;
  return children;
}

export function parseXml(text: string, what = 'the answer'): unknown {
  const parser = new SaxesParser({ position: true });
  const document: OpenElement = { name: '', children: null, repeated: null, text: '' };
  const stack: OpenElement[] = [document];
  parser.on('opentag', (tag) => {
    stack.push({ name: tag.name, children: null, repeated: null, text: '' });
  });
  parser.on('text', (t) => {
    stack[stack.length - 1].text += t;
  });
  parser.on('cdata', (t) => {
    stack[stack.length - 1].text += t;
  });
  parser.on('closetag', () => {
    const element = stack.pop() as OpenElement;
    addChild(stack[stack.length - 1], element.name, valueOf(element));
  });
  try {
    parser.write(text).close();
  } catch (e) {
    // saxes prefixes its messages with "line:column: "; say it in words.
    const reason = (e as Error).message.replace(/^(undefined:)?\d+:\d+: /, '');
    throw sigilError('parse', `${what} is not valid XML at line ${parser.line}, column ${parser.column}: ${reason}`, {
      ...UNREADABLE_ANSWER,
      cause: e,
    });
  }
  if (document.children === null) {
    throw sigilError('parse', `${what} is not valid XML: it has no root element`, UNREADABLE_ANSWER);
  }
  return document.children;
}
