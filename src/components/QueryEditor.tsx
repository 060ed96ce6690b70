// Query editor: a ready query from the catalogue and its blanks; the request (method, URL, service, region,
// params, headers, body); how to read the answer (format, root selector or UQL, columns, time series, max
// rows); pagination; and a raw preview through the backend. One section per file in ./query/.
import { useEffect } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Alert, Stack } from '@grafana/ui';
import type { EditorDataSource } from './editorDataSource';
import type { SigilJsonData } from '../shared/settings';
import { validateQuery, type QueryProblem, type SigilQuery } from '../shared/query';
import { defaultQueryFor } from '../catalogue';
import { CatalogueSection } from './query/CatalogueSection';
import { RequestSection } from './query/RequestSection';
import { BodySection } from './query/BodySection';
import { AnswerSection } from './query/AnswerSection';
import { PaginationEditor } from './query/PaginationEditor';
import { PreviewPanel } from './query/PreviewPanel';
import type { QuerySectionProps } from './query/sectionProps';

export type SigilQueryEditorProps = QueryEditorProps<EditorDataSource, SigilQuery, SigilJsonData>;

const LABEL_WIDTH = 16;
/** Problems shown next to their field rather than in the list. */
const INLINE_PATHS = ['url', 'uql', 'bodyType', 'service', 'region', 'pagination.maxRows'];

/** A query Grafana created without asking getDefaultQuery (older versions, some code paths). */
function isBlank(query: SigilQuery): boolean {
  return query.queryType === undefined && query.url === undefined;
}

export function QueryEditor({ query, onChange, onRunQuery, datasource, range }: SigilQueryEditorProps) {
  const jsonData: SigilJsonData = datasource.jsonData ?? {};
  const fresh = isBlank(query);
  useEffect(() => {
    if (fresh) {
      onChange({ ...defaultQueryFor(jsonData), ...query });
    }
    // Only a blank query is filled, once; jsonData is the data source's and does not change under the editor.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fresh, query, onChange]);

  const q: SigilQuery = fresh ? { ...defaultQueryFor(jsonData), ...query } : query;
  const problems = validateQuery(q);
  const problemAt = (path: string) => problems.find((p) => p.path === path)?.message;
  const set = (patch: Partial<SigilQuery>) => onChange({ ...q, ...patch });
  const setAndRun = (patch: Partial<SigilQuery>) => {
    set(patch);
    onRunQuery();
  };
  const sectionProps: QuerySectionProps = { query: q, set, setAndRun, onRunQuery, problemAt, labelWidth: LABEL_WIDTH };
  // Blanks are filled in the catalogue section, so they are not listed again.
  const otherProblems = problems.filter(
    (p) => !INLINE_PATHS.includes(p.path) && !p.message.startsWith('fill in the blank'),
  );

  return (
    <Stack direction="column" gap={1}>
      <CatalogueSection
        query={q}
        jsonData={jsonData}
        onChange={onChange}
        onRunQuery={onRunQuery}
        labelWidth={LABEL_WIDTH}
      />
      <RequestSection {...sectionProps} defaults={{ region: jsonData.defaultRegion, service: jsonData.service }} />
      <BodySection {...sectionProps} />
      <AnswerSection {...sectionProps} />
      <PaginationEditor value={q.pagination} onChange={(pagination) => set({ pagination })} labelWidth={LABEL_WIDTH} />

      {otherProblems.length > 0 && <ProblemList problems={otherProblems} />}

      <PreviewPanel
        datasource={datasource}
        disabled={problems.length > 0}
        buildRequest={() => ({
          query: datasource.applyTemplateVariables(q, {}),
          timeRange: range ? { from: range.from.valueOf(), to: range.to.valueOf() } : undefined,
        })}
      />
    </Stack>
  );
}

/** The problems no field shows next to itself. */
function ProblemList({ problems }: { problems: QueryProblem[] }) {
  return (
    <Alert severity="warning" title="Fix before running">
      <ul>
        {problems.map((p) => (
          <li key={p.path + p.message}>
            {p.path}: {p.message}
          </li>
        ))}
      </ul>
    </Alert>
  );
}
