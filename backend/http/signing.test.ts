import { answer, fakeNext, rejection } from './layers.testing';
import { ACCEPT_ENCODING, describeSignedRequest, signingLayer } from './signing';

const CREDS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token-value',
};
const fixedDate = () => new Date('2026-01-02T03:04:05Z');

function layer(credentials = { get: async () => CREDS }) {
  return signingLayer({
    credentials,
    defaults: { service: 'execute-api', region: 'eu-west-1' },
    userAgent: 'sigil-test',
    signingDate: fixedDate,
  });
}

describe('signing layer', () => {
  it('signs with the fixed date, drops owned caller headers, adds user agent and accept-encoding unsigned', async () => {
    const next = fakeNext(() => answer(200));
    const res = await layer()(next)({
      method: 'post',
      url: 'http://127.0.0.1:9/a b/c?z=1&a=%7E',
      body: 'x=1',
      headers: { Authorization: 'Bearer stolen', Host: 'evil', 'X-Amz-Date': '19700101T000000Z', 'X-Custom': 'kept' },
    });
    const sent = next.calls[0];
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('http://127.0.0.1:9/a%20b/c?z=1&a=~');
    expect(sent.headers?.host).toBe('127.0.0.1:9');
    expect(sent.headers?.['x-amz-date']).toBe('20260102T030405Z');
    expect(sent.headers?.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260102\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-custom, Signature=[0-9a-f]{64}$/,
    );
    expect(sent.headers?.['x-amz-security-token']).toBe('session-token-value');
    expect(sent.headers?.['x-custom']).toBe('kept');
    expect(sent.headers?.['user-agent']).toBe('sigil-test');
    expect(sent.headers?.['accept-encoding']).toBe(ACCEPT_ENCODING);
    expect(res.url).toBe('http://127.0.0.1:9/a b/c?z=1&a=%7E');
  });

  it("keeps the caller's Accept-Encoding (and signs it)", async () => {
    const next = fakeNext(() => answer(200));
    await layer()(next)({ method: 'GET', url: 'http://127.0.0.1:9/', headers: { 'Accept-Encoding': 'identity' } });
    expect(next.calls[0].headers?.['accept-encoding']).toBe('identity');
    expect(next.calls[0].headers?.authorization).toMatch(/SignedHeaders=accept-encoding;host;/);
  });

  it('signs each call afresh (a retry or redirect gets its own signature)', async () => {
    let t = 0;
    const next = fakeNext(() => answer(200));
    const send = signingLayer({
      credentials: { get: async () => CREDS },
      defaults: { service: 'execute-api', region: 'eu-west-1' },
      userAgent: 'u',
      signingDate: () => new Date(Date.UTC(2026, 0, 1, 0, 0, t++)),
    })(next);
    await send({ method: 'GET', url: 'http://127.0.0.1:9/' });
    await send({ method: 'GET', url: 'http://127.0.0.1:9/' });
    expect(next.calls[0].headers?.authorization).not.toBe(next.calls[1].headers?.authorization);
  });

  it('stops waiting for credentials when the caller cancels, without the next layer', async () => {
    const controller = new AbortController();
    const next = fakeNext(() => answer(200));
    const pending = layer({ get: () => new Promise<typeof CREDS>(() => undefined) })(next)({
      method: 'GET',
      url: 'http://127.0.0.1:9/',
      signal: controller.signal,
    });
    controller.abort();
    const err = await rejection(pending);
    expect(err.kind).toBe('cancelled');
    expect(next.calls).toHaveLength(0);
  });

  it('passes credential errors on as they are', async () => {
    const next = fakeNext(() => answer(200));
    const err = await rejection(
      layer({
        get: async () => {
          throw Object.assign(new Error('no creds'), { kind: 'credentials' });
        },
      })(next)({ method: 'GET', url: 'http://127.0.0.1:9/' }),
    );
    expect(err.message).toBe('no creds');
  });
});

describe('describeSignedRequest', () => {
  it('masks the signature, key id and session token, and drops query values', async () => {
    const next = fakeNext(() => answer(200));
    await layer()(next)({ method: 'GET', url: 'http://127.0.0.1:9/p?X-Amz-Credential=AKIDEXAMPLE&b=2' });
    const shown = describeSignedRequest(next.calls[0]);
    const text = JSON.stringify(shown);
    expect(shown.headers.authorization).toBe('AWS4-HMAC-SHA256 [redacted]');
    expect(shown.headers['x-amz-security-token']).toBe('[redacted]');
    expect(shown.url).toBe('http://127.0.0.1:9/p?X-Amz-Credential=&b=');
    expect(text).not.toContain('AKIDEXAMPLE');
    expect(text).not.toContain('session-token-value');
    expect(text).not.toMatch(/Signature=/);
  });

  it('is what onSigned sees: the request as sent, shown masked', async () => {
    const seen: string[] = [];
    const next = fakeNext(() => answer(200));
    await layer()(next)({
      method: 'GET',
      url: 'http://127.0.0.1:9/p',
      onSigned: (wire) => seen.push(JSON.stringify(describeSignedRequest(wire))),
    });
    expect(seen).toHaveLength(1);
    expect(JSON.parse(seen[0])).toMatchObject({
      method: 'GET',
      url: 'http://127.0.0.1:9/p',
      headers: { authorization: 'AWS4-HMAC-SHA256 [redacted]', 'x-amz-date': '20260102T030405Z' },
    });
  });

  it('applies the redactor to the other values', () => {
    const shown = describeSignedRequest(
      { method: 'get', url: 'http://h/', headers: { 'X-Echo': 'has wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' } },
      (t) => t.split(CREDS.secretAccessKey).join('[redacted]'),
    );
    expect(shown).toEqual({ method: 'GET', url: 'http://h/', headers: { 'X-Echo': 'has [redacted]' } });
  });
});
