// What the query editor hands each of its sections: the query, how to change it, and where problems are.
import type { SigilQuery } from '../../shared/query';

export interface QuerySectionProps {
  query: SigilQuery;
  set: (patch: Partial<SigilQuery>) => void;
  /** Changes the query and runs it (for choices that take effect at once, such as a select). */
  setAndRun: (patch: Partial<SigilQuery>) => void;
  onRunQuery: () => void;
  /** The validation problem at a query path (e.g. `url`, `pagination.tokenPath`), if any. */
  problemAt: (path: string) => string | undefined;
  labelWidth: number;
}
