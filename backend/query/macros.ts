// Time macros, resolved in the backend so that alert rules (which never pass through the browser's
// template service) get them too. The syntax is Grafana's global variables: `$__from`, `${__from}`,
// `${__from:date}`, `${__from:date:iso}`, `${__from:date:seconds}`, `${__from:date:<moment format>}`, the same
// for `__to`, and `__interval`, `__interval_ms`, `__interval_s`, `__range_ms`, `__range_s`.
// Other `${...}` (dashboard variables) are interpolated by the frontend and left alone here; an unknown name
// in Grafana's reserved `__` namespace is an error, since it is surely a typo of a time macro.
import moment from 'moment';
import { sigilError } from '../errors';

export interface MacroContext {
  fromMs: number;
  toMs: number;
  intervalMs: number;
}

// ${__name} or ${__name:fmt...} (fmt may contain ':' as in HH:mm), or bare $__name.
const MACRO = /\$\{(__[A-Za-z_]+)(?::([^}]*))?\}|\$(__[A-Za-z_]+)/g;

/** A Grafana-style duration for an interval: 500ms, 30s, 5m, 2h, 1d. */
export function formatInterval(ms: number): string {
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  for (const [unit, size] of units) {
    if (ms >= size && ms % size === 0) {
      return `${ms / size}${unit}`;
    }
  }
  return ms >= 1000 ? `${Math.round(ms / 1000)}s` : `${Math.max(1, Math.round(ms))}ms`;
}

function formatTime(ms: number, format: string | undefined, macro: string): string {
  if (format === undefined) {
    return String(ms);
  }
  const parts = format.split(':');
  if (parts[0] !== 'date') {
    throw sigilError(
      'query',
      `time macro ${macro}: unknown format "${format}"; use :date, :date:iso, :date:seconds or :date:<moment format>`,
    );
  }
  const rest = parts.slice(1).join(':');
  if (rest === '' || rest === 'iso') {
    return new Date(ms).toISOString();
  }
  if (rest === 'seconds') {
    return String(Math.floor(ms / 1000));
  }
  return moment.utc(ms).format(rest);
}

/** Replaces the time macros in `text`. Throws a plugin error naming an unknown `__` macro. */
export function resolveMacros(text: string, ctx: MacroContext): string {
  if (!text.includes('$__') && !text.includes('${__')) {
    return text;
  }
  return text.replace(
    MACRO,
    (whole, braced: string | undefined, format: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare) as string;
      const fmt = braced ? format : undefined;
      switch (name) {
        case '__from':
          return formatTime(ctx.fromMs, fmt, whole);
        case '__to':
          return formatTime(ctx.toMs, fmt, whole);
        case '__interval_ms':
          return String(ctx.intervalMs);
        case '__interval_s':
          return String(Math.max(1, Math.round(ctx.intervalMs / 1000)));
        case '__interval':
          return formatInterval(ctx.intervalMs);
        case '__range_ms':
          return String(ctx.toMs - ctx.fromMs);
        case '__range_s':
          return String(Math.floor((ctx.toMs - ctx.fromMs) / 1000));
        default:
          throw sigilError(
            'query',
            `unknown time macro ${whole}; use $__from, $__to, \${__from:date:seconds}, \${__from:date:iso}, $__interval, $__interval_ms, $__range_s (dashboard variables are replaced by the browser)`,
          );
      }
    },
  );
}
