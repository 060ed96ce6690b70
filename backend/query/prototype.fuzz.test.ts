// Property tests with prototype-shaped keys (issue 8): the dotted-path writer (pagination tokenField into a
// JSON body), the dotted-path reader (column selectors), the settings reader (jsonData bytes -> Settings) and
// the query model (through the whole engine) are fed paths and JSON full of `__proto__`, `constructor` and
// `prototype` segments. Properties: no built-in prototype ever changes; a path with such a segment is refused
// with a SigilError naming the field; settings are read from own properties only and unreadable jsonData
// fails closed; the engine answers or fails with a SigilError, never another exception.
// Deterministic: a seeded generator, so a failure reproduces.
import { SigilError } from '../errors';
import { buildRequest } from './request';
import { getPath } from './select';
import { runQuery } from './engine';
import { FakeProxy, JSON_HEADERS } from './testing';
import { parseJsonData } from '../protocol/decode';
import { parseSettings } from '../settings/parse';
import { GRAFANA_AWS_DEFAULTS } from '../settings/awsServer';
import type { AwsServerOptions } from '../settings/types';
import type { DataSourceInstanceSettings } from '../protocol/types';
import { resolveQuery, type SigilQuery } from '../../src/shared/query';

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

const FORBIDDEN = ['__proto__', 'constructor', 'prototype'];
const SEGMENTS = [
  ...FORBIDDEN,
  '__proto__',
  'endpoint',
  'allowedUrls',
  'testUrl',
  'polluted',
  'a',
  'b',
  'NextToken',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '0',
  'length',
  '',
];
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

function randomPath(r: () => number): string {
  const n = 1 + Math.floor(r() * 4);
  return Array.from({ length: n }, () => pick(r, SEGMENTS)).join('.');
}

const hasForbidden = (path: string) => path.split('.').some((s) => FORBIDDEN.includes(s));

/** JSON text with prototype-shaped keys at random depths (JSON.parse makes them own properties). */
function randomJson(r: () => number, depth = 0): string {
  const roll = r();
  if (depth > 3 || roll < 0.3) return pick(r, ['1', '"x"', 'true', 'null', '"http://127.0.0.2:1/"', '[1,2]']);
  const n = Math.floor(r() * 4);
  const entries = Array.from({ length: n }, () => `${JSON.stringify(pick(r, SEGMENTS))}: ${randomJson(r, depth + 1)}`);
  return roll < 0.85 ? `{${entries.join(', ')}}` : `[${randomJson(r, depth + 1)}]`;
}

/** Every own property name and value of the built-in prototypes, to see a write into any of them. */
const WATCHED: Array<[string, object]> = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
];

function snapshot(): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const [name, proto] of WATCHED) {
    for (const key of Reflect.ownKeys(proto))
      m.set(`${name}.${String(key)}`, Object.getOwnPropertyDescriptor(proto, key)?.value);
  }
  return m;
}

const CLEAN = snapshot();

/** Names what changed in the built-in prototypes since the suite started, and undoes it. */
function pollution(): string[] {
  const changed: string[] = [];
  for (const [name, proto] of WATCHED) {
    for (const key of Reflect.ownKeys(proto)) {
      const id = `${name}.${String(key)}`;
      const value = Object.getOwnPropertyDescriptor(proto, key)?.value;
      if (!CLEAN.has(id)) {
        changed.push(`${id} added`);
        delete (proto as Record<string | symbol, unknown>)[key];
      } else if (CLEAN.get(id) !== value) {
        changed.push(`${id} changed`);
        Object.defineProperty(proto, key, {
          value: CLEAN.get(id),
          writable: true,
          configurable: true,
          enumerable: false,
        });
      }
    }
  }
  return changed;
}

afterEach(() => {
  // Whatever a failing property left behind must not leak into the next test.
  pollution();
});

const macros = { fromMs: 0, toMs: 1000, intervalMs: 1000 };

function pagedQuery(tokenField: string, body: string): ReturnType<typeof resolveQuery> {
  return resolveQuery({
    refId: 'A',
    method: 'POST',
    url: 'https://api.example.com/x',
    bodyType: 'json',
    body,
    format: 'json',
    pagination: { mode: 'next_token', tokenPath: 'NextToken', tokenTarget: 'body', tokenField },
  });
}

describe('dotted-path writer (pagination tokenField into a JSON body)', () => {
  it('never writes into a prototype, refuses prototype segments naming pagination.tokenField, else sets the token', () => {
    const r = rng(8);
    const problems: string[] = [];
    for (let i = 0; i < 3000 && problems.length < 5; i++) {
      const path = randomPath(r);
      const body = r() < 0.5 ? '{}' : randomJson(r);
      let built: ReturnType<typeof buildRequest> | undefined;
      let error: unknown;
      try {
        built = buildRequest(pagedQuery(path, body), { macros, pageToken: { kind: 'text', value: 'TOKEN-1' } });
      } catch (e) {
        error = e;
      }
      const polluted = pollution();
      if (polluted.length > 0) problems.push(`tokenField ${JSON.stringify(path)} body ${body}: ${polluted.join(', ')}`);
      if (error !== undefined && !(error instanceof SigilError))
        problems.push(`tokenField ${JSON.stringify(path)}: not a SigilError: ${String(error)}`);
      if (hasForbidden(path)) {
        if (!(error instanceof SigilError && error.status === 400 && /pagination\.tokenField/.test(error.message))) {
          problems.push(
            `tokenField ${JSON.stringify(path)} was not refused naming pagination.tokenField (${error instanceof Error ? error.message : 'accepted'})`,
          );
        }
      } else if (built && path.split('.').every((s) => s !== '')) {
        // The token is found again by walking own properties.
        let node: unknown = JSON.parse(Buffer.from(built.body ?? '{}').toString('utf8'));
        for (const key of path.split('.'))
          node =
            node !== null && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, key)
              ? (node as Record<string, unknown>)[key]
              : undefined;
        if (node !== 'TOKEN-1')
          problems.push(
            `tokenField ${JSON.stringify(path)} body ${body}: the token is not at the path in ${String(built.body)}`,
          );
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('dotted-path reader (column selectors)', () => {
  it('reads own properties only: an inherited value never comes back, a prototype segment is refused with a SigilError', () => {
    const r = rng(16);
    const problems: string[] = [];
    for (let i = 0; i < 3000 && problems.length < 5; i++) {
      const row: unknown = JSON.parse(randomJson(r));
      const path = randomPath(r);
      let value: unknown;
      let error: unknown;
      try {
        value = getPath(row, path);
      } catch (e) {
        error = e;
      }
      if (error !== undefined) {
        if (!(error instanceof SigilError) || !hasForbidden(path))
          problems.push(`path ${JSON.stringify(path)}: unexpected ${String(error)}`);
        continue;
      }
      // The own-property walk, with the reader's rule that a key of the row as is wins.
      const own = (o: unknown, k: string) =>
        o !== null && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, k)
          ? (o as Record<string, unknown>)[k]
          : undefined;
      let expected: unknown = own(row, path);
      if (expected === undefined && path.includes('.')) {
        expected = row;
        for (const k of path.split('.')) expected = own(expected, k);
      }
      if (value !== expected)
        problems.push(
          `path ${JSON.stringify(path)} on ${JSON.stringify(row)}: read ${typeof value === 'function' ? 'a function (inherited)' : JSON.stringify(value)}, own value ${JSON.stringify(expected)}`,
        );
    }
    expect(problems).toEqual([]);
  });
});

const SERVER: AwsServerOptions = {
  ...GRAFANA_AWS_DEFAULTS,
  allowedAuthProviders: [...GRAFANA_AWS_DEFAULTS.allowedAuthProviders],
  source: 'defaults',
  warnings: [],
};

function settingsFrom(raw: string): DataSourceInstanceSettings {
  return {
    id: 1,
    uid: 'fuzz',
    name: 'fuzz',
    url: '',
    user: '',
    database: '',
    basicAuthEnabled: false,
    basicAuthUser: '',
    ...parseJsonData(Buffer.from(raw)),
    decryptedSecureJsonData: { accessKey: 'AKIAFUZZ', secretKey: 'fuzz-secret' },
    lastUpdatedMS: 1,
    apiVersion: '',
  };
}

function isJsonObject(raw: string): boolean {
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

describe('settings reader (jsonData bytes -> Settings)', () => {
  it('reads own properties only and never writes into a prototype', () => {
    const r = rng(32);
    const problems: string[] = [];
    for (let i = 0; i < 400 && problems.length < 5; i++) {
      // A valid base with prototype-shaped keys holding the values an attacker wants inherited.
      const evil = `{"endpoint": "http://127.0.0.2:1", "allowedUrls": ["http://127.0.0.3:1/"], "authType": "default", "testUrl": "http://127.0.0.4:1/"}`;
      const key = pick(r, ['__proto__', 'constructor', 'prototype']);
      const inner = key === 'constructor' ? `{"prototype": ${evil}}` : evil;
      const raw = `{"authType": "keys", "service": "execute-api", ${JSON.stringify(key)}: ${inner}, "x": ${randomJson(r)}}`;
      let error: unknown;
      try {
        const s = parseSettings(settingsFrom(raw), SERVER, {});
        if (s.endpoint !== undefined || s.testUrl !== undefined || s.allowedUrls.length > 0 || s.authType !== 'keys') {
          problems.push(
            `${raw}: inherited settings endpoint=${s.endpoint} testUrl=${s.testUrl} allowedUrls=${JSON.stringify(s.allowedUrls)} authType=${s.authType}`,
          );
        }
      } catch (e) {
        error = e;
      }
      if (error !== undefined && !(error instanceof SigilError))
        problems.push(`${raw}: not a SigilError: ${String(error)}`);
      const polluted = pollution();
      if (polluted.length > 0) problems.push(`${raw}: ${polluted.join(', ')}`);
    }
    expect(problems).toEqual([]);
  });

  it('fails closed on jsonData that is not a JSON object: a SigilError that names the settings', () => {
    const r = rng(64);
    const samples = [
      '',
      ' ',
      '{',
      '{"authType": "keys",',
      '[]',
      '[{}]',
      'null',
      '42',
      '"keys"',
      'true',
      '{}}',
      '\u0000',
      '{"a":1}x',
    ];
    for (let i = 0; i < 200; i++) samples.push(randomJson(r).slice(0, Math.floor(r() * 20)));
    const problems: string[] = [];
    for (const raw of samples) {
      if (isJsonObject(raw)) continue;
      try {
        const s = parseSettings(settingsFrom(raw), SERVER, {});
        problems.push(`${JSON.stringify(raw)}: read as settings (authType ${s.authType}), not refused`);
      } catch (e) {
        if (!(e instanceof SigilError) || !/settings/i.test(e.message))
          problems.push(`${JSON.stringify(raw)}: ${String(e)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('query model through the engine', () => {
  it('answers or fails with a SigilError, and never writes into a prototype', async () => {
    const r = rng(128);
    const problems: string[] = [];
    const FIELDS = [
      'url',
      'method',
      'params',
      'headers',
      'bodyType',
      'body',
      'form',
      'format',
      'rootSelector',
      'columns',
      'timeSeries',
      'pagination',
      'uql',
      'service',
      'region',
    ];
    for (let i = 0; i < 1500 && problems.length < 5; i++) {
      const base: Record<string, unknown> = { refId: 'A', url: 'https://api.example.com/x', format: 'json' };
      // Prototype-shaped keys at the top, inside pagination, and as values of random fields.
      const text = `{"__proto__": ${randomJson(r)}, "constructor": ${randomJson(r)}, "pagination": {"mode": "next_token", "tokenPath": "NextToken", "tokenTarget": "${pick(r, ['body', 'param'])}", "tokenField": ${JSON.stringify(randomPath(r))}, "__proto__": ${randomJson(r)}}}`;
      const model: Record<string, unknown> = { ...base, ...(JSON.parse(text) as Record<string, unknown>) };
      if (r() < 0.5) model.method = 'POST';
      if (r() < 0.5) {
        model.bodyType = 'json';
        model.body = '{}';
      }
      if (r() < 0.3) model[pick(r, FIELDS)] = JSON.parse(randomJson(r)) as unknown;
      const proxy = new FakeProxy((_req, index) => ({
        headers: JSON_HEADERS,
        body: index === 0 ? `{"NextToken": "http://127.0.0.2:1/", "items": ${randomJson(r)}}` : '{"items": []}',
      }));
      try {
        await runQuery(model as unknown as SigilQuery, {
          proxy,
          settings: {},
          timeRange: { fromMs: 0, toMs: 1000 },
          intervalMs: 1000,
        });
      } catch (e) {
        if (!(e instanceof SigilError)) problems.push(`${JSON.stringify(model)}: not a SigilError: ${String(e)}`);
      }
      const polluted = pollution();
      if (polluted.length > 0) problems.push(`${JSON.stringify(model)}: ${polluted.join(', ')}`);
    }
    expect(problems).toEqual([]);
  });
});
