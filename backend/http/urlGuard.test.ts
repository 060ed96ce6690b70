import { parsePrefix } from './allowedUrls';
import { answer, fakeNext, rejection } from './layers.testing';
import { urlGuardLayer } from './urlGuard';

const prefixes = [parsePrefix('http://127.0.0.1:9000/api/')];

describe('urlGuard layer', () => {
  it('passes an allowed request on with its URL normalised', async () => {
    const next = fakeNext(() => answer(200, 'ok'));
    const res = await urlGuardLayer(prefixes)(next)({ method: 'GET', url: 'http://127.0.0.1:9000/api/x/./y?a=1' });
    expect(res.status).toBe(200);
    expect(next.calls.map((c) => c.url)).toEqual(['http://127.0.0.1:9000/api/x/y?a=1']);
  });

  it.each([
    ['another host', 'http://localhost:9000/api/x', /not under any allowed URL/],
    ['userinfo', 'http://user:pw@127.0.0.1:9000/api/x', /userinfo \(a user name or password/],
    ['a user name only', 'http://user@127.0.0.1:9000/api/x', /userinfo \(a user name or password/],
    ['an empty userinfo the URL parser drops', 'http://:@127.0.0.1:9000/api/x', /userinfo \(a user name or password/],
    ['an encoded dot segment', 'http://127.0.0.1:9000/api/..%2fadmin', /segments/],
  ])('refuses %s without calling the next layer', async (_name, url, reason) => {
    const next = fakeNext(() => answer(200));
    const err = await rejection(urlGuardLayer(prefixes)(next)({ method: 'GET', url }));
    expect(err.kind).toBe('url_refused');
    expect(err.status).toBe(403);
    expect(err.message).toMatch(reason);
    expect(next.calls).toHaveLength(0);
  });

  it.each([
    ['CR LF', 'a\r\nInjected: yes'],
    ['LF', 'a\nb'],
    ['CR', 'a\rb'],
    ['NUL', 'a\u0000b'],
    ['DEL', 'a\u007fb'],
    ['vertical tab', 'a\u000bb'],
  ])('refuses a header value with %s, naming the header, status 400', async (_name, value) => {
    const next = fakeNext(() => answer(200));
    const err = await rejection(
      urlGuardLayer(prefixes)(next)({
        method: 'GET',
        url: 'http://127.0.0.1:9000/api/x',
        headers: { 'X-Trace': value },
      }),
    );
    expect(err.kind).toBe('query');
    expect(err.status).toBe(400);
    expect(err.source).toBe('plugin');
    expect(err.message).toMatch(/header "X-Trace" has a control character/);
    expect(next.calls).toHaveLength(0);
  });

  it('refuses a header name that is not a token, and keeps a tab in a value', async () => {
    const next = fakeNext(() => answer(200));
    const send = urlGuardLayer(prefixes)(next);
    const err = await rejection(
      send({ method: 'GET', url: 'http://127.0.0.1:9000/api/x', headers: { 'Bad Name': 'v' } }),
    );
    expect(err.message).toMatch(/header name "Bad Name" is not a valid HTTP header name/);
    await send({ method: 'GET', url: 'http://127.0.0.1:9000/api/x', headers: { 'X-Tab': 'a\tb' } });
    expect(next.calls).toHaveLength(1);
  });
});

describe('allowed prefixes', () => {
  it('refuses userinfo in a configured prefix instead of dropping it', () => {
    expect(() => parsePrefix('https://user:secret@example.com/')).toThrow(/user name or password/);
  });
});
