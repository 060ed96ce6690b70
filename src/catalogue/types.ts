// The shape of a catalogue entry: one ready AWS call, with everything a query needs except the blanks the
// author fills. Entries are data (src/catalogue/<family>.ts), read by the query editor, docs/queries.md
// (scripts/gen-queries-doc.ts) and the e2e suite alike.
import type { SigilQuery } from '../shared/query';

/** A named placeholder `{{name}}` the author fills. */
export interface CatalogueBlank {
  name: string;
  description: string;
  /** A typical value, shown as the input's placeholder and used by the docs. */
  example: string;
}

/** The query an entry fills in, without where it goes (see CatalogueEntry.endpoint and path). */
export type CatalogueQuery = Omit<SigilQuery, 'refId' | 'url' | 'service' | 'region' | 'queryType'>;

export interface CatalogueEntry {
  /** Stable id, `<family>.<operation>` in snake case, e.g. `dynamodb.scan`. */
  id: string;
  /** The AWS API family as authors know it, e.g. `DynamoDB`, `CloudWatch Logs`. */
  family: string;
  /** The operation, e.g. `Scan`, `GetMetricData`. */
  operation: string;
  description: string;
  /** SigV4 signing name, e.g. `monitoring`, `dynamodb`, `aps`, `execute-api`. */
  service: string;
  /**
   * The AWS endpoint: `host` with `{region}` filled from the query's or the data source's region, and an
   * optional `basePath` (e.g. an AMP workspace). A data source's custom endpoint stands in for both.
   */
  endpoint: { host: string; basePath?: string };
  /** Signing region for global services (IAM, Cost Explorer); the data source's region otherwise. */
  region?: string;
  /** Path under the endpoint (no leading slash needed), e.g. `/`, `{{Bucket}}`, `api/v1/query_range`. */
  path: string;
  query: CatalogueQuery;
  blanks: CatalogueBlank[];
  /** What the frame holds (docs). */
  result: string;
  /** AWS API reference page. */
  reference: string;
}

/** The data source facts that decide where an entry's request goes (a subset of jsonData). */
export interface CatalogueTarget {
  endpoint?: string;
  /** The data source's region (jsonData.defaultRegion). */
  defaultRegion?: string;
  /** The data source's signing name, when set: a custom endpoint for another service is not used. */
  service?: string;
  /** The query's own region, when the author set one. */
  region?: string;
}
