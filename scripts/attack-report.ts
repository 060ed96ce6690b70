// Prints the attack suite's numbers for the issue-8 report: cases run, held, broken; secrets found; canary
// hits; process deaths; longest bystander wait; plugin RSS after the runaway cases.
//   npx tsx scripts/attack-report.ts            runs the whole table now (needs `npm run build:backend`)
//   npx tsx scripts/attack-report.ts --last     prints the report of the last run (jest or this script)
//   SIGIL_ATTACK_ONLY=sts.,proto. npx tsx scripts/attack-report.ts    runs the cases whose id contains a filter
import { readFileSync, writeFileSync } from 'node:fs';
import { Suite, formatReport, type CaseResult, type SuiteReport } from '../e2e/attack/lib/runner';
import { selectCases } from '../e2e/attack/cases';
import { ATTACK_REPORT_JSON } from '../e2e/attack/lib/reportFile';

async function main(): Promise<void> {
  if (process.argv.includes('--last')) {
    const report = JSON.parse(readFileSync(ATTACK_REPORT_JSON, 'utf8')) as SuiteReport;
    process.stdout.write(`${formatReport(report)}\n`);
    return;
  }
  const suite = new Suite();
  await suite.start();
  const results: CaseResult[] = [];
  try {
    for (const c of selectCases()) {
      const r = await suite.runCase(c);
      results.push(r);
      process.stderr.write(
        `${r.held ? 'held  ' : 'BROKEN'} ${c.id} (${r.elapsedMs} ms${r.bystanderMaxMs !== undefined ? `, bystander max ${r.bystanderMaxMs} ms` : ''})\n`,
      );
    }
  } finally {
    await suite.stop();
  }
  const report = suite.report(results);
  writeFileSync(ATTACK_REPORT_JSON, JSON.stringify(report, null, 2));
  process.stdout.write(`${formatReport(report)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
