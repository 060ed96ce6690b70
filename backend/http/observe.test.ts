import { sigilError } from '../errors';
import { answer, fakeNext, rejection } from './layers.testing';
import { observeLayer, requestIdOf } from './observe';

function recorder() {
  const lines: Array<[string, Record<string, unknown>]> = [];
  return { lines, log: { warn: (m: string, f?: Record<string, unknown>) => lines.push([m, f ?? {}]) } };
}

describe('observe layer', () => {
  it('logs an AWS error answer once with status, code and request id, the URL without query values', async () => {
    const { lines, log } = recorder();
    const next = fakeNext(() =>
      answer(
        403,
        '<ErrorResponse><Error><Code>AccessDenied</Code><Message>no</Message></Error><RequestId>req-123</RequestId></ErrorResponse>',
      ),
    );
    const res = await observeLayer(log)(next)({ method: 'post', url: 'http://h/x?Action=Secretish&Token=abc' });
    expect(res.status).toBe(403);
    expect(lines).toEqual([
      [
        'error answer',
        {
          url: 'http://h/x?Action=&Token=',
          method: 'POST',
          status: 403,
          awsCode: 'AccessDenied',
          requestId: 'req-123',
        },
      ],
    ]);
  });

  it('takes the request id from the header first', () => {
    expect(requestIdOf(answer(500, '{}', { 'x-amzn-RequestId': 'hdr-1' }))).toBe('hdr-1');
    expect(requestIdOf(answer(500, '{"requestId":"json-2"}'))).toBe('json-2');
  });

  it('logs a refusal once and passes it on; stays quiet on success and on other errors', async () => {
    const { lines, log } = recorder();
    const refused = fakeNext(() => {
      throw sigilError('url_refused', 'request refused before sending: nope', { details: { url: 'http://evil/' } });
    });
    const err = await rejection(observeLayer(log)(refused)({ method: 'GET', url: 'http://evil/?k=v' }));
    expect(err.kind).toBe('url_refused');
    await observeLayer(log)(fakeNext(() => answer(200)))({ method: 'GET', url: 'http://h/' });
    await rejection(
      observeLayer(log)(
        fakeNext(() => {
          throw sigilError('network', 'reset');
        }),
      )({ method: 'GET', url: 'http://h/' }),
    );
    expect(lines).toEqual([
      ['request refused', { url: 'http://evil/', method: 'GET', reason: 'request refused before sending: nope' }],
    ]);
  });
});

describe('observe layer metrics and too-large answers', () => {
  function meterRecorder() {
    const calls: Array<[string, number, number]> = [];
    return { calls, meter: { request: (o: string, s: number, b: number) => void calls.push([o, s, b]) } };
  }

  it('counts each request once by outcome with its duration and bytes read', async () => {
    const { calls, meter } = meterRecorder();
    let t = 1000;
    const clock = { now: () => t };
    const slowOk = fakeNext(() => {
      t += 1500;
      return answer(200, 'twelve bytes');
    });
    await observeLayer({ warn: () => undefined }, meter, clock)(slowOk)({ method: 'GET', url: 'http://h/' });
    await observeLayer({ warn: () => undefined }, meter, clock)(fakeNext(() => answer(403, 'no')))({
      method: 'GET',
      url: 'http://h/',
    });
    await rejection(
      observeLayer(
        { warn: () => undefined },
        meter,
        clock,
      )(
        fakeNext(() => {
          throw sigilError('timeout', 'slow');
        }),
      )({ method: 'GET', url: 'http://h/' }),
    );
    expect(calls).toEqual([
      ['ok', 1.5, 12],
      ['aws_error', 0, 2],
      ['timeout', 0, 0],
    ]);
  });

  it('logs an answer over maxResponseBytes once, URL without query values', async () => {
    const { lines, log } = recorder();
    const big = fakeNext(() => {
      throw sigilError('too_large', 'GET http://h/x?k= answered with more than maxResponseBytes (10)', {
        details: { url: 'http://h/x?k=', maxResponseBytes: 10 },
      });
    });
    const err = await rejection(observeLayer(log)(big)({ method: 'get', url: 'http://h/x?k=secretish' }));
    expect(err.kind).toBe('too_large');
    expect(lines).toEqual([
      [
        'answer too large',
        {
          url: 'http://h/x?k=',
          method: 'GET',
          reason: 'GET http://h/x?k= answered with more than maxResponseBytes (10)',
          maxResponseBytes: 10,
        },
      ],
    ]);
  });
});
