// The attack table, in run order. Classes that damage process-wide state when they break (prototype
// pollution) run last and restart the plugin after each case.
import type { AttackCase } from '../lib/runner';
import { cases as urls } from './urls';
import { cases as transport } from './transport';
import { cases as http } from './http';
import { cases as fields } from './fields';
import { cases as settings } from './settings';
import { cases as echo } from './echo';
import { cases as sts } from './sts';
import { cases as credentials } from './credentials';
import { cases as exhaustion } from './exhaustion';
import { cases as prototype } from './prototype';

export const ALL_CASES: AttackCase[] = [
  ...urls,
  ...transport,
  ...http,
  ...fields,
  ...settings,
  ...echo,
  ...sts,
  ...credentials,
  ...exhaustion,
  ...prototype,
];

const ids = new Set<string>();
for (const c of ALL_CASES) {
  if (ids.has(c.id)) throw new Error(`duplicate attack case id ${c.id}`);
  ids.add(c.id);
}

/** Cases whose id contains one of the comma-separated filters (SIGIL_ATTACK_ONLY), else all. */
export function selectCases(filter = process.env.SIGIL_ATTACK_ONLY ?? ''): AttackCase[] {
  const parts = filter
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return parts.length === 0 ? ALL_CASES : ALL_CASES.filter((c) => parts.some((p) => c.id.includes(p)));
}
