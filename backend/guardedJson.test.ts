import { parseJsonFindingPrototypeKeys } from './guardedJson';

describe('parseJsonFindingPrototypeKeys', () => {
  it.each([
    ['a plain key', '{"__proto__":{"endpoint":"x"}}', '__proto__'],
    ['a nested key', '{"a":[{"b":{"constructor":1}}]}', 'constructor'],
    ['a key written with escapes', '{"\\u005f_proto__":{"endpoint":"x"}}', '__proto__'],
    ['an escaped key deep in a list', '[1,{"x":{"proto\\u0074ype":2}}]', 'prototype'],
    ['the first of two', '{"prototype":1,"constructor":2}', 'prototype'],
  ])('finds %s', (_what, text, key) => {
    expect(parseJsonFindingPrototypeKeys(text).refused).toBe(key);
  });

  it.each([
    ['no such key', '{"url":"https://monitoring.us-east-1.amazonaws.com/","n":[1,2,{"a":null}]}'],
    ['the names as values only', '{"a":"__proto__","b":["constructor","prototype"]}'],
    ['escapes in values only', '{"a":"line\\nbreak \\u005f_proto__"}'],
    ['a longer key holding a name', '{"__proto__x":1,"myconstructor":2}'],
  ])('parses %s as JSON.parse does, with nothing refused', (_what, text) => {
    const out = parseJsonFindingPrototypeKeys(text);
    expect(out.refused).toBeUndefined();
    expect(out.value).toEqual(JSON.parse(text));
  });

  it('throws JSON.parse’s error for text that is not JSON, on either path', () => {
    expect(() => parseJsonFindingPrototypeKeys('{"a":')).toThrow(SyntaxError);
    expect(() => parseJsonFindingPrototypeKeys('{"constructor":')).toThrow(SyntaxError);
  });
});
