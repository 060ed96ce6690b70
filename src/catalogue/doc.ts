// docs/queries.md, rendered from the catalogue: the cookbook cannot drift from what the editor offers and
// the e2e suite runs. Written by scripts/gen-queries-doc.ts; e2e/catalogue-doc.e2e.test.ts fails when it is stale.
import { families, entryQuery } from './index';
import type { CatalogueEntry } from './types';
import type { ColumnDefinition, KeyValue } from '../shared/query';

const FENCE = '```';

function pairs(list: KeyValue[] | undefined): string[] {
  return (list ?? []).map((p) => `${p.key}: ${p.value}`);
}

function column(c: ColumnDefinition): string {
  const name = c.text ? ` as "${c.text}"` : '';
  const format = c.type === 'time' ? ` (${c.timeFormat ?? 'iso'})` : '';
  return `\`${c.selector}\`${name} ${c.type}${format}`;
}

/** File-name form of a family, e.g. `cloudwatch-logs` (docs/img/families/<slug>.png). */
export function familySlug(family: string): string {
  return family
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function anchor(entry: CatalogueEntry): string {
  return entry.id.replace(/[._]/g, '-');
}

function request(entry: CatalogueEntry): string {
  const q = entryQuery(entry, { defaultRegion: 'us-east-1' });
  const lines = [`${q.method} ${q.url}`];
  const params = pairs(q.params).map((p) => `param ${p}`);
  const headers = pairs(q.headers);
  lines.push(...params, ...headers);
  if (q.bodyType === 'form') lines.push('', ...(q.form ?? []).map((p) => `${p.key}=${p.value}`));
  if (q.bodyType === 'json' || q.bodyType === 'raw') lines.push('', q.body ?? '');
  return [FENCE + 'http', ...lines, FENCE].join('\n');
}

function entrySection(entry: CatalogueEntry): string {
  const q = entry.query;
  const out = [`### ${entry.family} ${entry.operation}`, '', `<a id="${anchor(entry)}"></a>${entry.description}`, ''];
  out.push(
    `- **Id**: \`${entry.id}\`; **service** \`${entry.service}\`${entry.region ? `, signed for \`${entry.region}\`` : ''}`,
  );
  out.push(
    `- **Fill in**: ${entry.blanks.length ? entry.blanks.map((b) => `\`{{${b.name}}}\` (${b.description}, e.g. \`${b.example}\`)`).join('; ') : 'nothing'}`,
  );
  out.push(`- **Result**: ${entry.result}`);
  out.push(`- **Format**: ${q.format ?? 'auto'}${q.rootSelector ? `; **root selector**: \`${q.rootSelector}\`` : ''}`);
  if (q.columns?.length) out.push(`- **Columns**: ${q.columns.map(column).join(', ')}`);
  if (q.timeSeries?.enabled) {
    out.push(
      `- **Time series**${q.timeSeries.labelColumns?.length ? `: one series per ${q.timeSeries.labelColumns.map((l) => `\`${l}\``).join(', ')}` : ''}`,
    );
  }
  if (q.preferredVisualisation)
    out.push(`- **Shown as**: ${q.preferredVisualisation} (frame meta preferredVisualisationType)`);
  const p = q.pagination;
  if (p && p.mode !== 'none') {
    const truncated = p.truncatedPath ? `, while \`${p.truncatedPath}\` is true` : '';
    out.push(
      `- **Pages**: ${p.mode} from \`${p.tokenPath}\` to ${p.tokenTarget === 'body' ? 'body field' : 'parameter'} \`${p.tokenField}\`${truncated}`,
    );
  }
  out.push(`- **AWS reference**: ${entry.reference}`, '', request(entry), '');
  return out.join('\n');
}

export function renderQueriesDoc(): string {
  const groups = families();
  const count = groups.reduce((n, g) => n + g.entries.length, 0);
  const head = [
    '# Query cookbook',
    '',
    '<!-- Generated from src/catalogue by `npx tsx scripts/gen-queries-doc.ts`; do not edit by hand. -->',
    '',
    `Sigil's query editor offers ${count} ready AWS calls under **Ready query**: type a service or an operation`,
    '(e.g. `dynamodb scan`), press Enter, and the whole query is filled in: method, URL, headers, body or form,',
    'format, root selector, typed columns, time series shape and pagination. Then fill the blanks it names',
    '(`{{TableName}}` and the like): a blank left empty is refused with its name, by the editor and the backend.',
    '',
    'Where a query goes: with a **custom endpoint** on the data source (an emulator, a VPC endpoint, an AMP',
    "workspace, an API's invoke URL), the path is joined to it and signed for the entry's service; a data",
    'source whose own service is set to another one (say `aps`) keeps the AWS URL. Without a custom endpoint,',
    "the AWS URL in the query's region (else the data source's) is used; the editor says which URL to add to",
    '**Allowed URLs** when the data source does not allow it yet. The requests below show the AWS URL in us-east-1.',
    '',
    '![CloudWatch GetMetricData picked in the query editor, its four blanks to fill](img/catalogue-editor-light.png)',
    '',
    '(Dark theme: [img/catalogue-editor-dark.png](img/catalogue-editor-dark.png). These and the one per family',
    'below are taken by `e2e/catalogue-editor.e2e.test.ts` into `e2e/.work/screenshots/`.)',
    '',
    'Every entry is run in the end-to-end suite (`e2e/catalogue.e2e.test.ts`) through the built plugin against moto',
    'with IAM authentication on (a signed fake for `aps` and `execute-api`), and its frame is checked.',
    '',
    ...groups.map((g) => `- **${g.family}**: ${g.entries.map((e) => `[${e.operation}](#${anchor(e)})`).join(', ')}`),
    '',
  ];
  const body = groups.map((g) =>
    [
      `## ${g.family}`,
      '',
      `![${g.family} ${g.entries[0].operation} in the query editor](img/families/${familySlug(g.family)}.png)`,
      '',
      ...g.entries.map(entrySection),
    ].join('\n'),
  );
  return `${[...head, ...body].join('\n').trimEnd()}\n`;
}
