import { createLogger, logLevelFromEnv } from './log';
import { createRedactor, REDACTED } from './redaction';

function capture(level?: 'trace' | 'debug' | 'info' | 'warn' | 'error', redactor = createRedactor()) {
  const lines: string[] = [];
  const log = createLogger({
    redactor,
    module: 'sigil',
    level,
    write: (l) => lines.push(l),
    now: () => new Date('2026-01-02T03:04:05.678Z'),
  });
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logger', () => {
  it('writes one hclog-shaped JSON object per line', () => {
    const { log, lines, parsed } = capture();
    log.info('query done', { refId: 'A', rows: 3 });
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(parsed()[0]).toEqual({
      '@level': 'info',
      '@message': 'query done',
      '@module': 'sigil',
      '@timestamp': '2026-01-02T03:04:05.678000Z',
      refId: 'A',
      rows: 3,
    });
  });

  it('maps levels and drops lines below the configured level', () => {
    const { log, parsed } = capture('warn');
    log.trace('t');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(parsed().map((e) => e['@level'])).toEqual(['warn', 'error']);
  });

  it('names child modules and keeps their fields', () => {
    const { log, parsed } = capture();
    log.child('protocol', { uid: 'ds1' }).debug('hello');
    expect(parsed()[0]).toMatchObject({ '@module': 'sigil.protocol', uid: 'ds1', '@level': 'debug' });
  });

  it('never prints values under secret keys, at any depth and in any spelling', () => {
    const { log, lines } = capture();
    log.error('request failed', {
      secretKey: 'S3CR3T-1',
      sessionToken: 'S3CR3T-2',
      headers: { Authorization: 'AWS4-HMAC-SHA256 S3CR3T-3', 'X-Amz-Security-Token': 'S3CR3T-4' },
      settings: { secureJsonData: { accessKey: 'S3CR3T-5' }, password: 'S3CR3T-6', access_key: 'S3CR3T-7' },
      list: [{ secret_key: 'S3CR3T-8' }],
    });
    expect(lines.join('')).not.toMatch(/S3CR3T/);
    expect(lines.join('')).toContain(REDACTED);
  });

  it('masks the live secrets of the injected redactor inside messages, error texts and child loggers', () => {
    const redactor = createRedactor();
    redactor.scope('ds').add('wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY');
    const { log, lines } = capture(undefined, redactor);
    log.error('signing with wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY failed', {
      error: new Error('key wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY rejected'),
    });
    log.child('protocol').warn(`escaped ${JSON.stringify('wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY')}`);
    expect(lines).toHaveLength(2);
    expect(lines.join('')).not.toContain('wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY');
  });

  it('masks SigV4 credentials and signatures that slip into a message', () => {
    const { log, lines } = capture();
    log.warn(
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=abcdef0123',
    );
    expect(lines.join('')).not.toContain('AKIDEXAMPLE');
    expect(lines.join('')).not.toContain('abcdef0123');
  });

  it('survives values JSON cannot print', () => {
    const { log, parsed } = capture();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    log.info('odd', { big: 10n, cyclic, bytes: new Uint8Array(4) });
    expect(parsed()[0]).toMatchObject({ big: '10', bytes: '[4 bytes]' });
  });
});

describe('logLevelFromEnv', () => {
  it("takes SIGIL_LOG_LEVEL first, then this plugin's GF_LOG_FILTERS entry, then GF_LOG_LEVEL", () => {
    expect(logLevelFromEnv({})).toBe('debug');
    expect(logLevelFromEnv({ GF_LOG_LEVEL: 'warn' })).toBe('warn');
    expect(
      logLevelFromEnv({ GF_LOG_LEVEL: 'warn', GF_LOG_FILTERS: 'sqlstore:error plugin.sigil-awsapi-datasource:debug' }),
    ).toBe('debug');
    expect(
      logLevelFromEnv({
        SIGIL_LOG_LEVEL: 'error',
        GF_LOG_LEVEL: 'debug',
        GF_LOG_FILTERS: 'plugin.sigil-awsapi-datasource:debug',
      }),
    ).toBe('error');
  });

  it("reads Grafana's level spellings and ignores other loggers' filters and unknown names", () => {
    expect(logLevelFromEnv({ GF_LOG_FILTERS: 'plugin.sigil-awsapi-datasource:Warning' })).toBe('warn');
    expect(logLevelFromEnv({ GF_LOG_FILTERS: 'plugin.sigil-awsapi-datasource:critical' })).toBe('error');
    expect(logLevelFromEnv({ GF_LOG_FILTERS: 'plugin.other-datasource:error,plugin.sigil:error' })).toBe('debug');
    expect(logLevelFromEnv({ GF_LOG_FILTERS: 'plugin.sigil-awsapi-datasource:loud', GF_LOG_LEVEL: 'info' })).toBe(
      'info',
    );
    expect(logLevelFromEnv({ GF_LOG_LEVEL: 'constructor' })).toBe('debug');
  });

  it('drops lines below the level it gives', () => {
    const lines: string[] = [];
    const log = createLogger({ level: logLevelFromEnv({ GF_LOG_LEVEL: 'info' }), write: (l) => lines.push(l) });
    log.debug('refreshed');
    log.info('retrying');
    log.warn('refused');
    expect(lines.map((l) => (JSON.parse(l) as { '@message': string })['@message'])).toEqual(['retrying', 'refused']);
  });
});
