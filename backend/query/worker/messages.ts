// Messages between the engine and its query worker.
import type { PageAnswer, QueryJob } from '../process';

export type QueryTask =
  /** Processes one page; `job` starts a new query (the first page). */
  | { kind: 'page'; job?: QueryJob; answer: PageAnswer }
  /** Drops a query left between pages (its next request failed). */
  | { kind: 'reset' };
