import { createRedactor, REDACTED, secretForms, isSecretKey } from './redaction';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD=';
const KEY_ID = 'AKIDEXAMPLEKEYID0001';

function redactorWith(...secrets: string[]) {
  const r = createRedactor();
  const scope = r.scope('org1/ds1/1');
  for (const s of secrets) scope.add(s);
  return { r, scope };
}

/** Enough other live secrets that the redactor leaves its single regular expression for the 4-gram index. */
const MANY = Array.from({ length: 40 }, (_, i) => `filler-secret-${i}-${'z'.repeat(16)}`);

/** Every encoding an echoing server, an SDK message or a JSON/URL/base64 encoder may give a secret. */
function encodings(s: string): Record<string, string> {
  const b64 = Buffer.from(s).toString('base64');
  const b64url = Buffer.from(s).toString('base64url');
  return {
    raw: s,
    json: JSON.stringify(s).slice(1, -1),
    jsonSlash: JSON.stringify(s).slice(1, -1).replace(/\//g, '\\/'),
    jsonTwice: JSON.stringify(JSON.stringify(s)).slice(2, -2),
    jsonSlashTwice: JSON.stringify(JSON.stringify(s).slice(1, -1).replace(/\//g, '\\/')).slice(1, -1),
    jsonUnicode: [...s]
      .map((c) => (/[A-Za-z0-9]/.test(c) ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))
      .join(''),
    jsonUnicodeUpper: [...s]
      .map((c) => (/[A-Za-z0-9]/.test(c) ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`))
      .join(''),
    uri: encodeURIComponent(s),
    uriLower: encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    uriSlashKept: encodeURIComponent(s).replace(/%2F/g, '/'),
    form: new URLSearchParams({ k: s }).toString().slice(2),
    base64: b64,
    base64NoPad: b64.replace(/=+$/, ''),
    base64url: b64url,
    // Inside longer base64 texts, at each of the three byte alignments.
    base64Inside0: Buffer.from(`{"k":"${s}"}`).toString('base64'),
    base64Inside1: Buffer.from(`{"kk":"${s}"}`).toString('base64'),
    base64Inside2: Buffer.from(`{"kkk":"${s}"}`).toString('base64'),
    base64urlInside: Buffer.from(`xy${s}z`).toString('base64url'),
  };
}

describe('redactor: mask', () => {
  it.each(
    [SECRET, TOKEN, KEY_ID, 'pässwörd-ünïcode'].flatMap((s) => [
      [s, 'alone'],
      [s, 'among 40 others'],
    ]),
  )('masks every form of %s (%s)', (secret, company) => {
    const { r } = redactorWith(secret, ...(company === 'alone' ? [] : MANY));
    for (const [form, text] of Object.entries(encodings(secret))) {
      const masked = r.mask(`before ${text} after`);
      // The masked text holds none of the decoded secret in any form.
      for (const other of Object.values(encodings(secret))) {
        expect({ form, contains: masked.includes(other) }).toEqual({ form, contains: false });
      }
      expect(masked).toContain(REDACTED);
      expect(masked.startsWith('before ')).toBe(true);
    }
  });

  it('masks every occurrence, next to each other and at the edges', () => {
    const { r } = redactorWith(SECRET, TOKEN);
    expect(r.mask(`${SECRET}${SECRET} ${TOKEN}`)).toBe(`${REDACTED}${REDACTED} ${REDACTED}`);
    expect(r.mask(SECRET)).toBe(REDACTED);
  });

  it.each([[], MANY])('masks overlapping secrets and secrets inside other secrets as one stretch (%#)', (...others) => {
    const { r } = redactorWith('OUTER-SECRET-VALUE-1234', 'SECRET-VALUE', 'VALUE-1234-TAIL', ...others);
    expect(r.mask('a OUTER-SECRET-VALUE-1234-TAIL b SECRET-VALUE c')).toBe(`a ${REDACTED} b ${REDACTED} c`);
  });

  it('finds a secret at every position of texts of every length (sampled scan)', () => {
    let seed = 42;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const secrets = ['abcd', 'SHORT5', KEY_ID, SECRET];
    for (const [secret, others] of secrets.flatMap(
      (x) =>
        [
          [x, []],
          [x, MANY],
        ] as const,
    )) {
      const { r } = redactorWith(secret, ...others);
      for (let trial = 0; trial < 200; trial++) {
        const before = Array.from({ length: next(40) }, () => String.fromCharCode(32 + next(90))).join('');
        const text = `${before}${secret}${before}`;
        expect(r.mask(text).includes(secret)).toBe(false);
      }
    }
  });

  it('leaves text without secrets unchanged and returns the same string', () => {
    const { r } = redactorWith(SECRET);
    const text = 'an ordinary answer with nothing secret in it: {"a":[1,2,3]}';
    expect(r.mask(text)).toBe(text);
  });

  it('masks SigV4 material that was never registered', () => {
    const r = createRedactor();
    const header =
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcdef0123456789';
    const masked = r.mask(header);
    expect(masked).not.toMatch(/AKIDEXAMPLE|abcdef0123456789/);
    // The scope and the signed header names stay: they are what a SigV4 failure is debugged with.
    expect(masked).toBe(
      `Authorization: AWS4-HMAC-SHA256 Credential=${REDACTED}/20260101/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=${REDACTED}`,
    );
    const presigned = r.mask(
      'https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Security-Token=FwoGZXIvYXdzEJr%2F&X-Amz-Signature=0123abcd',
    );
    expect(presigned).not.toMatch(/AKIAIOSFODNN7EXAMPLE|FwoGZXIvYXdzEJr|0123abcd/);
    const echoed = r.mask(
      JSON.stringify({
        headers: {
          authorization: 'AWS4-HMAC-SHA256 Credential=X/1, Signature=ff',
          'x-amz-security-token': 'TOKENVALUE123',
        },
      }),
    );
    expect(echoed).not.toMatch(/TOKENVALUE123|Credential=X\/1|=ff/);
    expect(r.mask('key id ASIAQWERTYUIOPASDFGH in a message')).toBe(`key id ${REDACTED} in a message`);
  });

  it('does not register values shorter than 4 characters', () => {
    const { r } = redactorWith('abc', '', 'abcd');
    expect(r.size).toBe(1);
    expect(r.mask('abc abcd')).toBe(`abc ${REDACTED}`);
  });
});

describe('redactor: scopes', () => {
  it("forgets a scope's secrets when it is dropped, keeping those another scope still holds", () => {
    const r = createRedactor();
    const a = r.scope('a');
    const b = r.scope('b');
    a.add('SECRET-ONLY-IN-A');
    a.add('SECRET-SHARED');
    b.add('SECRET-SHARED');
    expect(r.size).toBe(2);
    a.drop();
    expect(r.size).toBe(1);
    expect(r.mask('SECRET-ONLY-IN-A SECRET-SHARED')).toBe(`SECRET-ONLY-IN-A ${REDACTED}`);
    b.drop();
    expect(r.size).toBe(0);
    expect(r.mask('SECRET-SHARED')).toBe('SECRET-SHARED');
  });

  it('gives two instances with the same owner label scopes of their own', () => {
    const r = createRedactor();
    const old = r.scope('org/uid/1');
    const fresh = r.scope('org/uid/1');
    old.add('SECRET-VALUE-1');
    fresh.add('SECRET-VALUE-2');
    old.drop();
    expect(r.mask('SECRET-VALUE-2')).toBe(REDACTED);
  });

  it('masks the same with 10 and with 10,000 registered-then-dropped secrets', () => {
    const text = `error: ${SECRET} and ${encodeURIComponent(TOKEN)} in ${'x'.repeat(1000)}`;
    const results = [10, 10_000].map((n) => {
      const r = createRedactor();
      for (let i = 0; i < n; i++) {
        const s = r.scope(`ds${i}`);
        s.add(`dropped-secret-${i}-${'q'.repeat(20)}`);
        s.drop();
      }
      const live = r.scope('live');
      live.add(SECRET);
      live.add(TOKEN);
      return { size: r.size, masked: r.mask(text) };
    });
    expect(results[0]).toEqual(results[1]);
    expect(results[0].size).toBe(2);
    expect(results[0].masked).toBe(`error: ${REDACTED} and ${REDACTED} in ${'x'.repeat(1000)}`);
  });

  it('keeps masking a secret added to a scope after it was dropped', () => {
    const r = createRedactor();
    const s = r.scope('late');
    s.drop();
    s.add('LATE-REFRESHED-SECRET');
    expect(r.mask('LATE-REFRESHED-SECRET')).toBe(REDACTED);
  });
});

describe('redactor: maskValue and maskHeaders', () => {
  it('replaces secret-named keys at any depth and masks every string', () => {
    const { r } = redactorWith(SECRET);
    const value = r.maskValue({
      secretKey: 'x1',
      headers: { Authorization: 'AWS4', 'X-Amz-Security-Token': 't' },
      list: [{ secret_key: 'y' }, `msg ${SECRET}`],
      error: new Error(`bad ${SECRET}`),
      n: 1,
      big: 10n,
      bytes: new Uint8Array(3),
    });
    expect(JSON.parse(JSON.stringify(value))).toEqual({
      secretKey: REDACTED,
      headers: { Authorization: REDACTED, 'X-Amz-Security-Token': REDACTED },
      list: [{ secret_key: REDACTED }, `msg ${REDACTED}`],
      error: `bad ${REDACTED}`,
      n: 1,
      big: '10',
      bytes: '[3 bytes]',
    });
  });

  it('keeps a __proto__ key from user JSON as a plain key', () => {
    const r = createRedactor();
    const out = r.maskValue(JSON.parse('{"__proto__":{"polluted":true},"a":1}')) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(out)).toEqual(['__proto__', 'a']);
  });

  it('stops at a depth limit on cyclic values', () => {
    const r = createRedactor();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(JSON.stringify(r.maskValue(cyclic))).toContain('[too deep]');
  });

  it('drops secret-named headers and masks secrets in the values of the others', () => {
    const { r } = redactorWith(SECRET);
    expect({
      ...r.maskHeaders({
        'content-type': 'application/json',
        authorization: 'AWS4-HMAC-SHA256 x',
        'Set-Cookie': 'a=b',
        'x-amz-security-token': 't',
        'x-echo': `echo ${SECRET}`,
        'x-echo-b64': Buffer.from(SECRET).toString('base64'),
      }),
    }).toEqual({ 'content-type': 'application/json', 'x-echo': `echo ${REDACTED}`, 'x-echo-b64': REDACTED });
  });
});

describe('secret names and forms', () => {
  it('knows secret key names in any spelling', () => {
    expect(
      ['secretKey', 'secret_key', 'X-Amz-Security-Token', 'SESSIONTOKEN', 'authorization'].every(isSecretKey),
    ).toBe(true);
    expect(['region', 'url', 'status'].some(isSecretKey)).toBe(false);
  });

  it('lists distinct forms of at least 4 characters', () => {
    const forms = secretForms(SECRET);
    expect(new Set(forms).size).toBe(forms.length);
    expect(forms.length).toBeGreaterThan(8);
    expect(forms.every((f) => f.length >= 4)).toBe(true);
  });
});
