import { LinearRegExp, compileLinear } from './regex';
import { selectRoot } from './select';
import { evaluateUql, parseUql } from './uql';

const EVIL = `${'a'.repeat(5000)}!`; // /^(a+)+$/ on this takes longer than the universe on a backtracking engine

describe('regular expressions from queries run in linear time', () => {
  it('completes catastrophic patterns in JSONata root selectors', async () => {
    await expect(selectRoot({ s: EVIL }, '$match(s, /^(a+)+$/)')).resolves.toBeUndefined();
    await expect(selectRoot({ s: EVIL }, '$contains(s, /(a|aa)+$/)')).resolves.toBe(false);
    await expect(selectRoot({ s: `${'a'.repeat(5000)}` }, '$contains(s, /^(a+)+$/)')).resolves.toBe(true);
  });

  it('completes catastrophic patterns in UQL matches and extract', async () => {
    const text = JSON.stringify([{ s: EVIL }, { s: 'aaa' }]);
    const rows = await evaluateUql(
      parseUql('parse-json | extend "m"= "s" matches \'^(a+)+$\', "x"=extract(\'^((a+)+)$\', 1, "s")'),
      { text },
    );
    expect(rows.map((r) => [r.m, r.x])).toEqual([
      [false, null],
      [true, 'aaa'],
    ]);
  });

  it("keeps JSONata's regex functions working: groups, flags, replace, split, several matches", async () => {
    await expect(selectRoot({ s: 'Id=i-1; Id=i-22' }, '$match(s, /id=(i-(\\d+))/i).groups')).resolves.toEqual([
      'i-1',
      '1',
      'i-22',
      '22',
    ]);
    await expect(selectRoot({ s: 'a1b22c' }, '$replace(s, /\\d+/, "#")')).resolves.toBe('a#b#c');
    await expect(selectRoot({ s: 'a, b,c' }, '$split(s, /,\\s*/)')).resolves.toEqual(['a', 'b', 'c']);
    await expect(selectRoot({ s: 'x\ny' }, '$match(s, /^y$/m).index')).resolves.toBe(2);
    await expect(selectRoot({ s: 'αβγ😀δ' }, '$match(s, /😀(.)/).groups')).resolves.toEqual(['δ']);
  });

  it('behaves like RegExp where RE2 and JavaScript agree', () => {
    const cases: [string, string, string][] = [
      ['(\\w+)@(\\w+)\\.com', '', 'mail bob@example.com now'],
      ['^\\s*(\\d{2,3})?x', 'i', '  123X'],
      ['(a)|(b)', '', 'zb'],
    ];
    for (const [pattern, flags, input] of cases) {
      const mine = new LinearRegExp(pattern, `${flags}g`).exec(input);
      const js = new RegExp(pattern, `${flags}g`).exec(input);
      expect(mine && { groups: [...mine], index: mine.index }).toEqual(js && { groups: [...js], index: js.index });
    }
  });

  it.each([
    ['(a)\\1', /backreferences/],
    ['(?<n>a)\\k<n>', /named backreferences/],
    ['a(?=b)', /lookahead and lookbehind/],
    ['a(?!b)', /lookahead and lookbehind/],
    ['(?<=a)b', /lookahead and lookbehind/],
    ['(?<!a)b', /lookahead and lookbehind/],
  ])('refuses %s, naming the feature RE2 lacks', (pattern, feature) => {
    expect(() => compileLinear(pattern)).toThrow(feature);
    expect(() => compileLinear(pattern)).toThrow(/linear-time regular expression engine \(RE2\)/);
  });

  it('does not mistake escaped or bracketed text for those features', () => {
    expect(compileLinear('\\\\1').matcher('\\1').find()).toBe(true);
    expect(compileLinear('[(?=]x').matcher('=x').find()).toBe(true);
  });

  it('names the feature in JSONata and in UQL errors', async () => {
    await expect(selectRoot({ s: 'aa' }, '$match(s, /(a)\\1/)')).rejects.toThrow(
      /root selector .* failed: .*backreferences/,
    );
    await expect(
      evaluateUql(parseUql('parse-json | where "s" matches \'a(?=b)\''), { text: '[{"s":"ab"}]' }),
    ).rejects.toThrow(/UQL error at line 1.*lookahead/);
  });
});
