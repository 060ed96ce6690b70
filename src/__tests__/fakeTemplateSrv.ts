// A template service with Grafana's replacement rules, for tests (jest and the browser harness): `$var`,
// `${var}`, `${var:format}`, `[[var]]`; multi-value variables hold lists; "All" gives every option's value,
// or the custom all value as is; formats csv, json, pipe, raw, glob (the default for lists),
// percentencode, singlequote, doublequote, or a format function called with the value (list or text).
// Unknown variables are left as typed, as Grafana does.
import type { ScopedVars } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

export interface FakeVariable {
  name: string;
  /** The current value: one text, a list (multi-value), or `$__all`. */
  current: string | string[];
  /** Every option's value, for "All". */
  options?: string[];
  /** A custom all value (e.g. `*`), sent as is for "All". */
  allValue?: string;
}

type Format = string | ((value: string | string[], variable: unknown, defaultFormat: unknown) => string) | undefined;

const REFERENCE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?::([^}]+))?\}/g;

function formatValue(value: string | string[], format: Format): string {
  if (typeof format === 'function') return format(value, undefined, undefined);
  const list = Array.isArray(value) ? value : [value];
  switch (format) {
    case 'csv':
      return list.join(',');
    case 'json':
      return JSON.stringify(Array.isArray(value) ? value : value);
    case 'pipe':
      return list.join('|');
    case 'raw':
      return Array.isArray(value) ? list.join(',') : value;
    case 'percentencode':
      return Array.isArray(value) ? encodeURIComponent(`{${list.join(',')}}`) : encodeURIComponent(value);
    case 'singlequote':
      return list.map((v) => `'${v.replace(/'/g, "\\'")}'`).join(',');
    case 'doublequote':
      return list.map((v) => `"${v.replace(/"/g, '\\"')}"`).join(',');
    default:
      return Array.isArray(value) ? (value.length > 1 ? `{${value.join(',')}}` : value.join('')) : value;
  }
}

export function fakeTemplateSrv(variables: FakeVariable[]): TemplateSrv {
  const byName = new Map(variables.map((v) => [v.name, v]));
  const replace = (target?: string, scopedVars?: ScopedVars, format?: Format): string => {
    if (!target) return target ?? '';
    return target.replace(REFERENCE, (match, v1: string, v2: string, f2: string, v3: string, f3: string) => {
      const name = v1 ?? v2 ?? v3;
      const explicit = f2 ?? f3;
      const scoped = scopedVars?.[name];
      if (scoped) return formatValue(String(scoped.value), explicit ?? format);
      const variable = byName.get(name);
      if (!variable) return match;
      if (variable.current === '$__all' || (Array.isArray(variable.current) && variable.current[0] === '$__all')) {
        if (variable.allValue !== undefined) return variable.allValue;
        return formatValue(variable.options ?? [], explicit ?? format);
      }
      return formatValue(variable.current, explicit ?? format);
    });
  };
  return {
    replace,
    getVariables: () => [],
    containsTemplate: (target?: string) =>
      Boolean(target && [...target.matchAll(REFERENCE)].some((m) => byName.has(m[1] ?? m[2] ?? m[4]))),
    updateTimeRange: () => undefined,
  } as unknown as TemplateSrv;
}
