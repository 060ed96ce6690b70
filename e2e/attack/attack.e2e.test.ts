// The attack and fault suite (issue 8) through the BUILT plugin under Grafana's plugin client, loopback only:
// one plugin process for the whole table (a death is seen, reported and replaced), each case's allowed server
// with its own faulty STS, canaries on other loopback addresses and ports and as the outbound proxy. After
// every case every output is searched for every credential in every encoding. One test per case; the summary
// (also `npx tsx scripts/attack-report.ts`) is printed at the end and written as JSON for the report script.
import { writeFileSync } from 'node:fs';
import { Suite, formatReport, type CaseResult } from './lib/runner';
import { selectCases } from './cases';
import { ATTACK_REPORT_JSON } from './lib/reportFile';

const suite = new Suite();
const results: CaseResult[] = [];

beforeAll(async () => {
  await suite.start();
});

afterAll(async () => {
  const report = suite.report(results);
  writeFileSync(ATTACK_REPORT_JSON, JSON.stringify(report, null, 2));
  process.stdout.write(`\n${formatReport(report)}\n(JSON: ${ATTACK_REPORT_JSON})\n`);
  await suite.stop();
});

describe('attack and fault table through the built plugin', () => {
  for (const c of selectCases()) {
    it(`[${c.klass}] ${c.id}: ${c.title}`, async () => {
      const result = await suite.runCase(c);
      results.push(result);
      expect(result.problems).toEqual([]);
    });
  }
});
