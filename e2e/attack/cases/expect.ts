// Expectations shared by the case files: each states one precise outcome and fails the case otherwise.
import type { HostDataResponse } from '../../lib/grafanaHost';
import { must, show } from '../lib/runner';

/** Status 200, no error, and (when given) exactly this many rows in the first frame. */
export function answered(r: HostDataResponse | undefined, rows?: number): void {
  must(
    r && r.status === 200 && !r.error && !r.decodeError,
    `expected an answer (status 200, no error), got ${show(r)}`,
  );
  if (rows !== undefined) must(r.frames[0]?.rows === rows, `expected ${rows} rows, got ${show(r)}`);
}

/** An error with this status, this error source, and a message matching every pattern. */
export function failed(
  r: HostDataResponse | undefined,
  status: number | number[],
  source: 'plugin' | 'downstream' | undefined,
  ...patterns: RegExp[]
): void {
  const statuses = Array.isArray(status) ? status : [status];
  must(
    r && r.error && statuses.includes(r.status),
    `expected an error with status ${statuses.join(' or ')}, got ${show(r)}`,
  );
  if (source) must(r.errorSource === source, `expected errorSource ${source}, got ${show(r)}`);
  must(!/internal error/.test(r.error ?? ''), `expected a clear error, got an internal error: ${show(r)}`);
  for (const p of patterns) must(p.test(r.error ?? ''), `expected the error to match ${p}, got ${show(r)}`);
}

/** Refused by the URL guard before anything was sent: status 403, source plugin, the word "refused". */
export function refused(r: HostDataResponse | undefined, ...patterns: RegExp[]): void {
  failed(r, 403, 'plugin', /refused/, ...patterns);
}

/** Names the field: status 400, source plugin, message containing the field path. */
export function namesField(r: HostDataResponse | undefined, field: string): void {
  failed(r, 400, 'plugin', new RegExp(field.replace(/[.[\]]/g, (c) => `\\${c}`)));
}

export const form = (pairs: Record<string, string>) => Object.entries(pairs).map(([key, value]) => ({ key, value }));

export function field(r: HostDataResponse, name: string): Array<unknown> {
  const f = r.frames[0]?.fields.find((x) => x.name === name);
  must(f, `no field ${name} in ${show(r)}`);
  return f.values;
}
