// The query worker's entry: runs a query's CPU work (backend/query/process.ts) inside a pooled worker thread.
// One query at a time: a `page` task with a `job` starts a query, later pages of a paginated query continue
// it; the state ends with the frames. A job that asks for encoded frames gets them as Arrow IPC, written
// here and moved to the main thread (a clone of a large result's values costs more than writing it).
import { Transferring, serveTasks } from '../../isolation/serve';
import { encodeFrames } from '../../frames/arrow';
import { jobMasker, QueryProcessor, type PageOutcome } from '../process';
import type { QueryTask } from './messages';

let current: { processor: QueryProcessor; encode: boolean } | undefined;

/**
 * Maskers of the latest secret sets, most recent last: a worker serves every data source, and building a
 * masker indexes every encoded form of every secret (a tenth of a small query's time).
 */
const MASKERS_KEPT = 8;
const maskers = new Map<string, (text: string) => string>();

function maskerOf(secrets: (string | undefined)[]): (text: string) => string {
  const key = JSON.stringify(secrets);
  const mask = maskers.get(key) ?? jobMasker(secrets);
  maskers.delete(key);
  maskers.set(key, mask);
  for (const oldest of maskers.keys()) {
    if (maskers.size <= MASKERS_KEPT) break;
    maskers.delete(oldest);
  }
  return mask;
}

function encoded(outcome: PageOutcome): Transferring {
  const frames = encodeFrames(outcome.frames ?? []);
  const buffers = new Set(frames.map((f) => f.arrow.buffer as ArrayBuffer));
  return new Transferring({ ...outcome, frames }, [...buffers]);
}

serveTasks(async (payload) => {
  const task = payload as QueryTask;
  if (task.kind === 'reset') {
    current = undefined;
    return null;
  }
  if (task.job) {
    const processor = new QueryProcessor(task.job, { mask: maskerOf(task.job.secrets) });
    current = { processor, encode: task.job.encode === true };
  }
  if (!current) throw new Error('no query in progress in this worker');
  const { processor, encode } = current;
  try {
    const outcome = await processor.addPage(task.answer);
    if (!outcome.frames) return outcome;
    current = undefined;
    return encode ? encoded(outcome) : outcome;
  } catch (e) {
    current = undefined;
    throw e;
  }
});
