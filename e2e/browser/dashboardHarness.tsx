// Browser-test harness for the dashboard editors: the variable query editor and the annotation query editor,
// mounted with a fake Grafana runtime whose template service follows Grafana's replacement rules
// (src/__tests__/fakeTemplateSrv.ts). The variables come from the URL (`vars=<JSON list>`); the page exposes
// the current query and `expand(query)`, the data source's applyTemplateVariables, on `window.sigilDashboard`.
// URL parameters: view=variable|annotation  theme=light|dark  vars=[{"name":"instance","current":["i-1"]}]
import { useState } from 'react';
import { of } from 'rxjs';
import { getDefaultTimeRange } from '@grafana/data';
import { setBackendSrv, setTemplateSrv, type BackendSrv } from '@grafana/runtime';
import { VariableQueryEditor } from '../../src/components/VariableQueryEditor';
import { AnnotationsQueryEditor } from '../../src/components/AnnotationsQueryEditor';
import { fakeTemplateSrv, type FakeVariable } from '../../src/__tests__/fakeTemplateSrv';
import type { SigilQuery } from '../../src/shared/query';
import { harnessDataSource, mountHarness, params } from './mount';

interface DashboardHarnessState {
  query: SigilQuery;
  runs: number;
  expand: (query: SigilQuery) => SigilQuery;
}

declare global {
  interface Window {
    sigilDashboard: DashboardHarnessState;
  }
}

const view = params.get('view') === 'annotation' ? 'annotation' : 'variable';
setTemplateSrv(fakeTemplateSrv(JSON.parse(params.get('vars') ?? '[]') as FakeVariable[]));
// The editors' preview is not exercised here; an empty answer keeps the runtime quiet.
setBackendSrv({ fetch: () => of({ data: {}, status: 200, ok: true }) } as unknown as BackendSrv);

const datasource = harnessDataSource('us-east-1');

window.sigilDashboard = { query: { refId: 'A' }, runs: 0, expand: (q) => datasource.applyTemplateVariables(q, {}) };

function Harness() {
  const [query, setQuery] = useState<SigilQuery>({ refId: 'A' });
  const props = {
    datasource,
    range: getDefaultTimeRange(),
    query,
    onChange: (q: SigilQuery) => {
      window.sigilDashboard.query = q;
      setQuery(q);
    },
    onRunQuery: () => {
      window.sigilDashboard.runs += 1;
    },
  };
  return (
    <section id="dashboard-editor" aria-label={view === 'variable' ? 'Variable query' : 'Annotation query'}>
      {view === 'variable' ? <VariableQueryEditor {...props} /> : <AnnotationsQueryEditor {...props} />}
    </section>
  );
}

mountHarness(<Harness />);
