// Property tests: every parser, on random, mutated and truncated input, either answers or fails with a
// SigilError (a clear, per-query error): never another exception, never a hang (bounded loops, and
// jest's timeout). Deterministic: a seeded generator, so a failure reproduces.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SigilError } from '../errors';
import { parseJson } from './parse/json';
import { parseXml } from './parse/xml';
import { parseDelimited } from './parse/csv';
import { parsePrometheus } from './parse/prometheus';
import { parseUql, evaluateUql } from './uql';
import { runQuery } from './engine';
import { FakeProxy } from './testing';

const data = (name: string) => readFileSync(path.join(__dirname, 'testdata', name), 'utf8');

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = '{}[]<>/="\':,.|-_ \n\t\\abcXYZ019eE+-#&;!?()*member$';

function randomText(r: () => number, max: number): string {
  const n = Math.floor(r() * max);
  let s = '';
  for (let i = 0; i < n; i++) {
    s += r() < 0.9 ? ALPHABET[Math.floor(r() * ALPHABET.length)] : String.fromCharCode(Math.floor(r() * 0xffff));
  }
  return s;
}

function mutate(r: () => number, text: string): string {
  const chars = [...text];
  const edits = 1 + Math.floor(r() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(r() * chars.length);
    const op = r();
    if (op < 0.33) chars.splice(at, 1);
    else if (op < 0.66) chars.splice(at, 0, ALPHABET[Math.floor(r() * ALPHABET.length)]);
    else chars[at] = ALPHABET[Math.floor(r() * ALPHABET.length)];
  }
  return chars.join('');
}

function prefixes(text: string, count: number): string[] {
  const step = Math.max(1, Math.floor(text.length / count));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += step) out.push(text.slice(0, i));
  return out;
}

/** Runs f; passes when it returns or throws a SigilError. Returns whether it threw. */
async function settles(f: () => unknown): Promise<boolean> {
  try {
    await f();
    return false;
  } catch (e) {
    if (!(e instanceof SigilError)) {
      throw new Error(`not a SigilError: ${(e as Error)?.stack ?? String(e)}`, { cause: e });
    }
    expect(e.message.length).toBeGreaterThan(0);
    return true;
  }
}

const fixtures = {
  json: data('listMetrics.json'),
  xml: data('listMetrics.xml'),
  prom: data('queryRange.json'),
  csv: 'a,b,c\n1,"two, three",4\n5,"six ""q""",7\n',
  uql: 'parse-json\n| scope "ListMetricsResponse.ListMetricsResult.Metrics"\n| mv-expand "d"="Dimensions"\n| extend "n"=tolower("d.Name"), "x"=round("y" * 2, 1)\n| where "n" in (\'instanceid\', \'queuename\') and not isnull("Namespace")\n| summarize "c"=count() by "Namespace"\n| order by "c" desc\n| limit 5',
};

const parsers: Record<string, (text: string) => unknown> = {
  json: (t) => parseJson(t),
  xml: (t) => parseXml(t),
  csv: (t) => parseDelimited(t, ','),
  tsv: (t) => parseDelimited(t, '\t'),
  prom: (t) => parsePrometheus(t),
  uql: (t) => parseUql(t),
};

describe.each(Object.entries(parsers))('%s parser', (name, parse) => {
  const valid = fixtures[name as keyof typeof fixtures] ?? fixtures.csv.replace(/,/g, '\t');

  it('survives 2000 random inputs', async () => {
    const r = rng(name.length * 7919);
    for (let i = 0; i < 2000; i++) await settles(() => parse(randomText(r, 200)));
  });

  it('survives 1000 mutations of a valid input', async () => {
    const r = rng(name.length * 104729);
    for (let i = 0; i < 1000; i++) await settles(() => parse(mutate(r, valid)));
  });

  it('fails on every truncation of a structured input (and survives the others)', async () => {
    for (const cut of prefixes(valid.trimEnd(), 300)) {
      const threw = await settles(() => parse(cut));
      if (name === 'json' || name === 'xml' || name === 'prom') expect(threw).toBe(true);
    }
  });
});

describe('deep nesting', () => {
  it('is an error or a value, not a stack overflow', async () => {
    for (const n of [1e3, 1e5]) {
      await settles(() => parseJson('['.repeat(n) + ']'.repeat(n)));
      expect(await settles(() => parseJson('['.repeat(n)))).toBe(true);
      await settles(() => parseXml('<a>'.repeat(n) + '</a>'.repeat(n)));
    }
    const deep = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`;
    const proxy = new FakeProxy(() => ({ headers: { 'content-type': 'application/json' }, body: deep }));
    await settles(() =>
      runQuery(
        { refId: 'A', url: 'https://a/' },
        { proxy, settings: {}, timeRange: { fromMs: 0, toMs: 1 }, intervalMs: 1 },
      ),
    );
  });
});

describe('UQL evaluation on random answers', () => {
  it('survives random JSON-ish answers for a fixed query set', async () => {
    const queries = [
      fixtures.uql,
      'parse-json | extend "m"=extract("y", 0, "a") | where "a" matches \'(\'',
      'parse-xml | project "a.b"',
      'parse-csv | summarize sum("a") by "b"',
      'project "x"',
    ].map((q) => parseUql(q));
    const r = rng(42);
    for (let i = 0; i < 400; i++) {
      const text = r() < 0.5 ? mutate(r, fixtures.json) : randomText(r, 120);
      for (const q of queries)
        await settles(() => evaluateUql(q, { text, contentType: r() < 0.5 ? 'application/json' : undefined }));
    }
  });
});

describe('engine on random answers in every format', () => {
  it('turns any answer into frames or a per-query error', async () => {
    const r = rng(7);
    let body = '';
    const proxy = new FakeProxy(() => ({
      headers: { 'content-type': r() < 0.5 ? 'application/json' : 'text/xml' },
      body,
    }));
    const formats = ['auto', 'json', 'xml', 'csv', 'tsv', 'prometheus'] as const;
    for (let i = 0; i < 300; i++) {
      const base = [fixtures.json, fixtures.xml, fixtures.prom, fixtures.csv][i % 4];
      body = r() < 0.7 ? mutate(r, base) : randomText(r, 300);
      const format = formats[i % formats.length];
      await settles(() =>
        runQuery(
          { refId: 'A', url: 'https://a/', format, columns: r() < 0.3 ? [{ selector: 'a', type: 'time' }] : [] },
          { proxy, settings: {}, timeRange: { fromMs: 0, toMs: 1 }, intervalMs: 1 },
        ),
      );
    }
  });
});
