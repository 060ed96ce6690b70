// Messages between the engine and its query worker.
import type { EncodedFrame } from '../../frames/model';
import type { PageAnswer, PageOutcome, QueryJob, ResultLimitCut } from '../process';

export type QueryTask =
  /** Processes one page; `job` starts a new query (the first page). */
  | { kind: 'page'; job?: QueryJob; answer: PageAnswer }
  /** Drops a query left between pages (its next request failed). */
  | { kind: 'reset' };

/** What a page task answers: the process's outcome, its frames encoded when the job asked for it. */
export type WorkerOutcome = PageOutcome | { frames: EncodedFrame[]; next?: undefined; cut?: ResultLimitCut };
