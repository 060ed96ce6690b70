import { resolveMacros, formatInterval } from './macros';

const ctx = { fromMs: Date.UTC(2024, 4, 1, 10, 0, 0, 123), toMs: Date.UTC(2024, 4, 1, 11, 30, 0), intervalMs: 30_000 };

describe('time macros', () => {
  it.each([
    ['${__from}', String(ctx.fromMs)],
    ['$__from', String(ctx.fromMs)],
    ['${__to}', String(ctx.toMs)],
    ['$__to&x=1', `${ctx.toMs}&x=1`],
    ['${__from:date:seconds}', '1714557600'],
    ['${__to:date:seconds}', '1714563000'],
    ['${__from:date}', '2024-05-01T10:00:00.123Z'],
    ['${__from:date:iso}', '2024-05-01T10:00:00.123Z'],
    ['${__to:date:YYYY-MM-DD HH:mm}', '2024-05-01 11:30'],
    ['${__interval_ms}', '30000'],
    ['$__interval', '30s'],
    ['${__interval_s}', '30'],
    ['${__range_ms}', '5399877'],
    ['${__range_s}', '5399'],
    ['a=${__from:date:seconds}&b=${__to:date:seconds}', 'a=1714557600&b=1714563000'],
  ])('%s -> %s', (text, expected) => {
    expect(resolveMacros(text, ctx)).toBe(expected);
  });

  it('leaves dashboard variables and plain text alone', () => {
    expect(resolveMacros('${region} $instance ${x:csv} cost $5', ctx)).toBe('${region} $instance ${x:csv} cost $5');
  });

  it('refuses an unknown macro in the reserved __ namespace, naming it', () => {
    expect(() => resolveMacros('${__form}', ctx)).toThrow(/unknown time macro \$\{__form\}/);
    expect(() => resolveMacros('${__from:epoch}', ctx)).toThrow(/unknown format "epoch"/);
  });

  it('formats intervals like Grafana', () => {
    expect([500, 1000, 90_000, 120_000, 3_600_000, 86_400_000].map(formatInterval)).toEqual([
      '500ms',
      '1s',
      '90s',
      '2m',
      '1h',
      '1d',
    ]);
  });
});
