// Dashboard variables in a query, replaced by Grafana's template service with a format that suits where
// they stand. An explicit format (`${var:csv}`, `${var:json}`, `${var:percentencode}`, ...) always wins; the
// defaults for multi-value and "All" variables are:
// - a param or form field whose whole value is one variable: one pair per value, repeated params
//   (`InstanceId=a&InstanceId=b`), or AWS Query list members when the key ends in a number
//   (`InstanceId.1=a&InstanceId.2=b`);
// - anywhere else in URL, params, headers and form: the values joined by commas;
// - in a JSON body: joined by commas and escaped for a JSON string (so a quote in a value cannot break the
//   body); `${var:json}` gives a JSON array.
// Unknown variables are left as typed (the backend names them in a notice).
import type { ScopedVars } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';
import type { KeyValue, SigilQuery } from './shared/query';

type Value = string | string[] | number | boolean | null | undefined;

const joined = (v: Value): string => (Array.isArray(v) ? v.join(',') : v === null || v === undefined ? '' : String(v));
const jsonEscaped = (v: Value): string => JSON.stringify(joined(v)).slice(1, -1);

/** `$var`, `${var}` or `[[var]]` and nothing else (an explicit format is the author's choice). */
const WHOLE_REFERENCE = /^\s*(\$[A-Za-z_]\w*|\$\{[A-Za-z_]\w*\}|\[\[[A-Za-z_]\w*\]\])\s*$/;

function expandPairs(
  pairs: KeyValue[] | undefined,
  srv: TemplateSrv,
  scoped: ScopedVars,
  numberedKeys: boolean,
): KeyValue[] | undefined {
  return pairs?.flatMap((p) => {
    const key = srv.replace(p.key, scoped, joined);
    if (!WHOLE_REFERENCE.test(p.value)) {
      return [{ key, value: srv.replace(p.value, scoped, joined) }];
    }
    let values: Value;
    const value = srv.replace(p.value, scoped, (v: Value) => {
      values = v;
      return joined(v);
    });
    if (!Array.isArray(values)) {
      return [{ key, value }];
    }
    const numbered = numberedKeys ? /^(.*\.)(\d+)$/.exec(key) : null;
    return (values as string[]).map((v, i) => ({
      key: numbered ? `${numbered[1]}${Number(numbered[2]) + i}` : key,
      value: String(v),
    }));
  });
}

export function interpolateQuery(query: SigilQuery, srv: TemplateSrv, scoped: ScopedVars): SigilQuery {
  const text = (value: string | undefined, format?: (v: Value) => string) =>
    value === undefined ? undefined : srv.replace(value, scoped, format);
  return {
    ...query,
    url: text(query.url, joined),
    params: expandPairs(query.params, srv, scoped, false),
    headers: query.headers?.map((h) => ({
      key: srv.replace(h.key, scoped, joined),
      value: srv.replace(h.value, scoped, joined),
    })),
    body: text(query.body, query.bodyType === 'json' ? jsonEscaped : joined),
    form: expandPairs(query.form, srv, scoped, true),
    rootSelector: text(query.rootSelector),
    uql: text(query.uql),
  };
}
