// The frontend side of the data source: queries go to the backend (DataSourceWithBackend), with dashboard
// variables expanded here first, since only the browser knows their current values.
import type { DataSourceInstanceSettings, ScopedVars } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';
import type { SigilJsonData } from './shared/settings';
import { type KeyValue, type SigilQuery } from './shared/query';
import { defaultQueryFor } from './catalogue';

export class SigilDataSource extends DataSourceWithBackend<SigilQuery, SigilJsonData> {
  /** The data source's settings the query editor places catalogue entries with (endpoint, region, service). */
  readonly jsonData: SigilJsonData;

  constructor(instanceSettings: DataSourceInstanceSettings<SigilJsonData>) {
    super(instanceSettings);
    this.jsonData = instanceSettings.jsonData ?? {};
  }

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
