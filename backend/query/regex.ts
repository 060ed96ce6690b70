// Regular expressions that come from queries (JSONata regex literals, UQL `matches` and `extract`) run on
// RE2 (re2js, a pure JavaScript port of Go's regexp): matching takes time linear in the input, so a pattern
// like /^(a+)+$/ cannot backtrack for minutes. RE2 has no backreferences and no lookaround; such patterns
// fail with an error that names the feature instead of falling back to a backtracking engine.
import { RE2JS } from 're2js';
import { sigilError } from '../errors';

/** Features a backtracking engine has and RE2 does not, found outside character classes. */
const UNSUPPORTED: { test: RegExp; feature: string }[] = [
  { test: /^\\[1-9]/, feature: 'backreferences (\\1 ... \\9)' },
  { test: /^\\k</, feature: 'named backreferences (\\k<name>)' },
  { test: /^\(\?<?[=!]/, feature: 'lookahead and lookbehind ((?=...), (?!...), (?<=...), (?<!...))' },
];

function unsupportedFeature(pattern: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (!inClass) {
        const found = UNSUPPORTED.find((u) => u.test.test(pattern.slice(i, i + 3)));
        if (found) return found.feature;
      }
      i++; // the escaped character
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(') {
      const found = UNSUPPORTED.find((u) => u.test.test(pattern.slice(i, i + 4)));
      if (found) return found.feature;
    }
  }
  return undefined;
}

/** RE2 flags for JavaScript flag letters; g and y are the caller's business (lastIndex), u is RE2's default. */
function re2Flags(flags: string): number {
  let out = 0;
  for (const f of flags) {
    if (f === 'i') out |= RE2JS.CASE_INSENSITIVE;
    else if (f === 'm') out |= RE2JS.MULTILINE;
    else if (f === 's') out |= RE2JS.DOTALL;
    else if (!'guy'.includes(f)) throw sigilError('query', `regular expression flag "${f}" is not supported`);
  }
  return out;
}

/** Compiles a query's regular expression on RE2; `what` names where it came from in errors. */
export function compileLinear(pattern: string, flags = '', what = 'regular expression'): RE2JS {
  const feature = unsupportedFeature(pattern);
  if (feature) {
    throw sigilError(
      'query',
      `${what} /${pattern}/ uses ${feature}, which the linear-time regular expression engine (RE2) does not support; rewrite it without them`,
    );
  }
  try {
    return RE2JS.compile(RE2JS.translateRegExp(pattern), re2Flags(flags));
  } catch (e) {
    throw sigilError('query', `${what} /${pattern}/ is not valid: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * The subset of RegExp that JSONata's regex functions use (`lastIndex`, `exec` with `index` and groups),
 * on RE2. JSONata constructs it with the RegExp its parser made from the literal: `new RegexEngine(re)`.
 */
export class LinearRegExp {
  lastIndex = 0;
  private readonly re: RE2JS;

  constructor(source: RegExp | string, flags?: string) {
    const pattern = typeof source === 'string' ? source : source.source;
    this.re = compileLinear(
      pattern,
      flags ?? (typeof source === 'string' ? '' : source.flags),
      'JSONata regular expression',
    );
  }

  exec(input: string): RegExpExecArray | null {
    const from = this.lastIndex;
    if (from > input.length) {
      this.lastIndex = 0;
      return null;
    }
    const m = this.re.matcher(input);
    if (!m.find(from)) {
      this.lastIndex = 0;
      return null;
    }
    const groups: (string | undefined)[] = [];
    for (let g = 0; g <= m.groupCount(); g++) {
      groups.push(m.group(g) ?? undefined);
    }
    const result = Object.assign(groups, { index: m.start(), input }) as unknown as RegExpExecArray;
    this.lastIndex = m.end(); // as RegExp's global matching; JSONata itself refuses repeated empty matches
    return result;
  }

  test(input: string): boolean {
    return this.exec(input) !== null;
  }
}

const cache = new Map<string, RE2JS>();
const CACHE_SIZE = 64;

/** A compiled pattern for UQL's per-row functions: one compilation per distinct pattern, not per row. */
export function cachedLinear(pattern: string, what: string): RE2JS {
  let re = cache.get(pattern);
  if (!re) {
    re = compileLinear(pattern, '', what);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(pattern, re);
  }
  return re;
}
