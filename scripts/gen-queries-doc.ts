// Writes docs/queries.md from the catalogue (src/catalogue). Run: npx tsx scripts/gen-queries-doc.ts
// e2e/catalogue-doc.e2e.test.ts fails when the file is stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderQueriesDoc } from '../src/catalogue/doc';

const target = join(__dirname, '..', 'docs', 'queries.md');
writeFileSync(target, renderQueriesDoc());
console.log(`wrote ${target}`);
