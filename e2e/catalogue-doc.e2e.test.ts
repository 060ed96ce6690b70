import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderQueriesDoc } from '../src/catalogue/doc';
import { CATALOGUE } from '../src/catalogue';

describe('docs/queries.md', () => {
  const doc = readFileSync(join(__dirname, '..', 'docs', 'queries.md'), 'utf8');

  it('is what scripts/gen-queries-doc.ts renders from the catalogue (run it after changing an entry)', () => {
    expect(doc).toBe(renderQueriesDoc());
  });

  it('documents every entry with its blanks', () => {
    for (const entry of CATALOGUE) {
      expect(doc).toContain(`\`${entry.id}\``);
      for (const blank of entry.blanks) expect(doc).toContain(`{{${blank.name}}}`);
    }
  });
});
