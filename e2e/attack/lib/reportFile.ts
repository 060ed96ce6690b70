import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the last run of the attack suite leaves its JSON report (SIGIL_ATTACK_REPORT overrides). */
export const ATTACK_REPORT_JSON = process.env.SIGIL_ATTACK_REPORT ?? join(tmpdir(), 'sigil-attack-report.json');
