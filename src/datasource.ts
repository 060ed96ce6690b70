// The frontend side of the data source: queries go to the backend (DataSourceWithBackend), with dashboard
// variables expanded here first, since only the browser knows their current values. Dashboard variables
// and annotations use the same request model, answered by the backend's `variable` and `annotation` query
// types in the shapes Grafana reads (text/value fields; time, timeEnd, title, text, tags fields).
import type {
  AnnotationQuery,
  AnnotationSupport,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceInstanceSettings,
  ScopedVars,
} from '@grafana/data';
import { CustomVariableSupport } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';
import type { Observable } from 'rxjs';
import type { SigilJsonData } from './shared/settings';
import type { SigilQuery } from './shared/query';
import { defaultQueryFor } from './catalogue';
import { interpolateQuery } from './interpolate';
import { asVariableQuery } from './variableQuery';

import { VariableQueryEditor } from './components/VariableQueryEditor';
import { AnnotationsQueryEditor } from './components/AnnotationsQueryEditor';

export { asVariableQuery };

export class SigilVariableSupport extends CustomVariableSupport<SigilDataSource, SigilQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: SigilDataSource) {
    super();
  }

  override getDefaultQuery(): Partial<SigilQuery> {
    return { ...defaultQueryFor(this.datasource.jsonData), queryType: 'variable' };
  }

  query(request: DataQueryRequest<SigilQuery>): Observable<DataQueryResponse> {
    const targets = request.targets.map((t) => asVariableQuery(t, t.refId || 'variable'));
    return this.datasource.query({ ...request, targets });
  }
}

export class SigilDataSource extends DataSourceWithBackend<SigilQuery, SigilJsonData> {
  /** The data source's settings the query editor places catalogue entries with (endpoint, region, service). */
  readonly jsonData: SigilJsonData;

  constructor(instanceSettings: DataSourceInstanceSettings<SigilJsonData>) {
    super(instanceSettings);
    this.jsonData = instanceSettings.jsonData ?? {};
    this.variables = new SigilVariableSupport(this);
  }

  override annotations: AnnotationSupport<SigilQuery> = {
    QueryEditor: AnnotationsQueryEditor,
    getDefaultQuery: () => ({ ...defaultQueryFor(this.jsonData), queryType: 'annotation' }),
    // Grafana's standard processing then maps the backend's time/timeEnd/title/text/tags fields by name.
    prepareQuery: (anno: AnnotationQuery<SigilQuery>) =>
      anno.target ? { ...anno.target, queryType: 'annotation' } : undefined,
  };

  /**
   * A new query asks STS who the data source is, which works with any credentials and no extra setup: at STS's
   * global endpoint, or at the custom endpoint (signed for sts) when the data source has one.
   */
  override getDefaultQuery(): Partial<SigilQuery> {
    return defaultQueryFor(this.jsonData);
  }

  /** Skip queries that cannot produce anything (hidden, or no URL yet). */
  override filterQuery(query: SigilQuery): boolean {
    if (query.hide) {
      return false;
    }
    return query.queryType === 'echo' || Boolean(query.url && query.url.trim());
  }

  override applyTemplateVariables(query: SigilQuery, scopedVars: ScopedVars): SigilQuery {
    return interpolateQuery(query, getTemplateSrv(), scopedVars);
  }
}
