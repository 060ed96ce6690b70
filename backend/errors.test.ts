import { SigilError, asSigilError, sigilError, systemRefusal, KIND_DEFAULTS, type ErrorKind } from './errors';

describe('SigilError', () => {
  it('takes source and status from its kind unless the call site says otherwise', () => {
    const expected: Record<ErrorKind, [string, number]> = {
      settings: ['plugin', 400],
      query: ['plugin', 400],
      url_refused: ['plugin', 403],
      credentials: ['downstream', 401],
      assume_role: ['downstream', 403],
      timeout: ['downstream', 504],
      cancelled: ['downstream', 499],
      network: ['downstream', 502],
      aws_answer: ['downstream', 502],
      parse: ['downstream', 502],
      too_large: ['plugin', 413],
      budget: ['plugin', 422],
      internal: ['plugin', 500],
    };
    expect(Object.keys(KIND_DEFAULTS).sort()).toEqual(Object.keys(expected).sort());
    for (const [kind, [source, status]] of Object.entries(expected)) {
      const e = sigilError(kind as ErrorKind, 'm');
      expect([e.kind, e.source, e.status]).toEqual([kind, source, status]);
    }
    const custom = sigilError('credentials', 'the secret key is empty', { source: 'plugin', status: 400 });
    expect([custom.source, custom.status]).toEqual(['plugin', 400]);
  });

  it('keeps the cause and the details', () => {
    const cause = new Error('ECONNRESET');
    const e = sigilError('network', 'GET https://a/ failed', { cause, details: { url: 'https://a/' } });
    expect(e).toBeInstanceOf(SigilError);
    expect(e).toBeInstanceOf(Error);
    expect(e.cause).toBe(cause);
    expect(e.details).toEqual({ url: 'https://a/' });
    expect(Object.isFrozen(e.details)).toBe(true);
  });

  it('wraps anything thrown: a SigilError as is, anything else as internal with the cause kept', () => {
    const own = sigilError('query', 'url: enter a URL');
    expect(asSigilError(own)).toBe(own);
    const bug = new TypeError('t.url.trim is not a function');
    const wrapped = asSigilError(bug);
    expect([wrapped.kind, wrapped.source, wrapped.status, wrapped.cause]).toEqual(['internal', 'plugin', 500, bug]);
    expect(wrapped.message).toBe('internal error: t.url.trim is not a function');
    expect(asSigilError('text').message).toBe('internal error: text');
    expect(asSigilError(undefined).kind).toBe('internal');
  });

  it('names what to change for a refusal by the system, from its errno code or the code in its message', () => {
    expect(systemRefusal({ code: 'EMFILE', message: 'connect EMFILE 127.0.0.1:443' })).toMatch(
      /^the plugin process has no file descriptor left \(EMFILE, too many open files\): raise its open-file limit \(ulimit -n/,
    );
    expect(systemRefusal({ message: 'the worker failed: Worker initialization failure: ENOMEM' })).toMatch(
      /out of memory \(ENOMEM\)/,
    );
    expect(systemRefusal({ code: 'ENFILE' })).toMatch(/fs\.file-max/);
    expect(systemRefusal({ code: 'ECONNRESET', message: 'socket hang up' })).toBeUndefined();
    // Only whole codes: a word that contains one is not a refusal.
    expect(systemRefusal({ message: 'the worker exited (code 1) XEMFILES' })).toBeUndefined();
    expect(systemRefusal({ code: 'toString' })).toBeUndefined();
  });
});
