import { jsonProblem, prettyBody, prettyJson, prettyXml } from './text';

describe('jsonProblem', () => {
  it('accepts JSON with time macros and variables standing for values', () => {
    expect(jsonProblem('{"StartTime": ${__from:date:seconds}, "EndTime": $__to, "Name": "$queue"}')).toBeUndefined();
    expect(jsonProblem('')).toBeUndefined();
  });

  it('names line and column of the mistake', () => {
    expect(jsonProblem('{\n  "a": 1,\n  "b": }')).toMatch(/^not valid JSON at line 3, column 8/);
  });
});

describe('pretty printing', () => {
  it('indents JSON', () => {
    expect(prettyJson('{"a":[1,2]}')).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
    expect(prettyJson('not json')).toBe('not json');
  });

  it('indents XML, keeping text elements on one line', () => {
    expect(prettyXml('<?xml version="1.0"?><R><A>1</A><B><C>x</C><D/></B></R>')).toBe(
      ['<?xml version="1.0"?>', '<R>', '  <A>1</A>', '  <B>', '    <C>x</C>', '    <D/>', '  </B>', '</R>'].join('\n'),
    );
  });

  it('picks by content type, else by the first character', () => {
    expect(prettyBody('{"a":1}', 'application/x-amz-json-1.0')).toBe('{\n  "a": 1\n}');
    expect(prettyBody('<a><b>1</b></a>', undefined)).toBe('<a>\n  <b>1</b>\n</a>');
    expect(prettyBody('a,b\n1,2', 'text/csv')).toBe('a,b\n1,2');
  });
});
