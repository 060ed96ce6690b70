import { sigilError } from '../errors';
import { answer, fakeNext, rejection } from './layers.testing';
import { redirectLayer } from './redirects';

describe('redirect layer', () => {
  it('follows relative and absolute locations, each as a new request through the next layer', async () => {
    const next = fakeNext((req, n) =>
      n === 1
        ? answer(307, '', { location: '/b' })
        : n === 2
          ? answer(302, '', { location: 'http://h/c' })
          : answer(200, 'done'),
    );
    const res = await redirectLayer(5)(next)({ method: 'GET', url: 'http://h/a' });
    expect(res.body.toString()).toBe('done');
    expect(res.url).toBe('http://h/c');
    expect(next.calls.map((c) => c.url)).toEqual(['http://h/a', 'http://h/b', 'http://h/c']);
  });

  it('turns POST into a bodiless GET after 301/302/303 and keeps it after 307/308', async () => {
    for (const [status, method, body] of [
      [301, 'GET', undefined],
      [302, 'GET', undefined],
      [303, 'GET', undefined],
      [307, 'POST', 'x=1'],
      [308, 'POST', 'x=1'],
    ] as const) {
      const next = fakeNext((_r, n) => (n === 1 ? answer(status, '', { location: '/next' }) : answer(200)));
      await redirectLayer(5)(next)({ method: 'POST', url: 'http://h/a', body: 'x=1' });
      expect([next.calls[1].method, next.calls[1].body]).toEqual([method, body]);
    }
  });

  it('stops after maxRedirects', async () => {
    const next = fakeNext(() => answer(302, '', { location: '/loop' }));
    const err = await rejection(redirectLayer(2)(next)({ method: 'GET', url: 'http://h/a?secret=1' }));
    expect(err.message).toBe('too many redirects (more than 2) starting at http://h/a?secret=');
    expect(next.calls).toHaveLength(3);
  });

  it('says a refusal came from a redirect', async () => {
    const next = fakeNext((_r, n) => {
      if (n === 1) return answer(302, '', { location: 'http://evil/' });
      throw sigilError('url_refused', 'request refused before sending: http://evil/ is not under any allowed URL');
    });
    const err = await rejection(redirectLayer(5)(next)({ method: 'GET', url: 'http://h/a' }));
    expect(err.kind).toBe('url_refused');
    expect(err.message).toMatch(/^redirect refused: request refused before sending: http:\/\/evil\//);
  });

  it('answers a 3xx without a Location as it is', async () => {
    const next = fakeNext(() => answer(304));
    expect((await redirectLayer(5)(next)({ method: 'GET', url: 'http://h/a' })).status).toBe(304);
  });
});
