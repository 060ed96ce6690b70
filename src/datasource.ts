// The frontend side of the data source: queries go to the backend (DataSourceWithBackend), with dashboard
// variables expanded here first, since only the browser knows their current values.
import type { ScopedVars } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';
import type { SigilJsonData } from './shared/settings';
import { DEFAULT_QUERY, type KeyValue, type SigilQuery } from './shared/query';

export class SigilDataSource extends DataSourceWithBackend<SigilQuery, SigilJsonData> {
  /** A new query asks STS who the data source is, which works with any credentials and no extra setup. */
  override getDefaultQuery(): Partial<SigilQuery> {
    return DEFAULT_QUERY;
  }

  /** Skip queries that cannot produce anything (hidden, or no URL yet). */
  override filterQuery(query: SigilQuery): boolean {
    if (query.hide) {
      return false;
    }
    return query.queryType === 'echo' || Boolean(query.url && query.url.trim());
  }

  override applyTemplateVariables(query: SigilQuery, scopedVars: ScopedVars): SigilQuery {
    const templateSrv = getTemplateSrv();
    const expand = (value: string | undefined) => (value === undefined ? undefined : templateSrv.replace(value, scopedVars));
    const expandPairs = (pairs: KeyValue[] | undefined) =>
      pairs?.map((p) => ({ key: templateSrv.replace(p.key, scopedVars), value: templateSrv.replace(p.value, scopedVars) }));
    return {
      ...query,
      url: expand(query.url),
      params: expandPairs(query.params),
      headers: expandPairs(query.headers),
      body: expand(query.body),
      form: expandPairs(query.form),
      rootSelector: expand(query.rootSelector),
      uql: expand(query.uql),
    };
  }
}
