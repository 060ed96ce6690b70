// Dashboard variables the browser did not replace. Grafana's template service leaves an unknown `$name`,
// `${name}`, `${name:format}` or `[[name]]` as typed; the request then goes out with it, and the author
// should be told which name was not found. Only the request's parts are searched (URL, params, headers, body,
// form), never the root selector or UQL, where `$` starts JSONata variables and functions. Names in Grafana's
// reserved `__` namespace are time macros, resolved (or refused) by macros.ts.
import type { ResolvedQuery } from '../../src/shared/query';
import type { Notice } from '../frames/model';

const REFERENCE = /\$\{([A-Za-z_]\w*)(?::[^}]*)?\}|\[\[([A-Za-z_]\w*)(?::[^\]]*)?\]\]|\$([A-Za-z_]\w*)/g;

/** The variable names left in the request's text, in first-seen order. */
export function unresolvedVariables(q: ResolvedQuery): string[] {
  const texts: string[] = [q.url];
  for (const p of q.params) texts.push(p.key, p.value);
  for (const h of q.headers) texts.push(h.value);
  if (q.bodyType === 'raw' || q.bodyType === 'json') texts.push(q.body);
  if (q.bodyType === 'form') for (const f of q.form) texts.push(f.key, f.value);
  const names = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(REFERENCE)) {
      const name = m[1] ?? m[2] ?? m[3];
      if (!name.startsWith('__')) names.add(name);
    }
  }
  return [...names];
}

export function unresolvedVariablesNotice(q: ResolvedQuery): Notice | undefined {
  const names = unresolvedVariables(q);
  if (names.length === 0) return undefined;
  const list = names.map((n) => `$${n}`).join(', ');
  return {
    severity: 'warning',
    text: `${names.length === 1 ? 'variable' : 'variables'} ${list} ${names.length === 1 ? 'is' : 'are'} not defined in this dashboard and ${names.length === 1 ? 'was' : 'were'} sent as typed; define ${names.length === 1 ? 'it' : 'them'} or remove the reference`,
  };
}
