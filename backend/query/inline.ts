// A page processed on the main thread, when ./inlineGuard.ts allows it: no worker, no copies across threads.
// The bounds are checked as the processing goes (answer size first, then format, nesting, root selector and
// the frame's size), each before the work it bounds; a page that fails one goes to the query's worker.
import { encodeFrames } from '../frames/arrow';
import { INLINE_LIMITS, mayRunInline, NeedsWorker } from './inlineGuard';
import { jobMasker, QueryProcessor, type PageAnswer, type QueryJob } from './process';
import type { WorkerOutcome } from './worker/messages';

/** Each data source's masker of its secrets, kept while they stay the same (ambient credentials rotate). */
const maskers = new WeakMap<object, { secrets: string; mask: (text: string) => string }>();

function maskerOf(owner: object | undefined, secrets: (string | undefined)[]): (text: string) => string {
  if (owner === undefined) return jobMasker(secrets);
  const key = JSON.stringify(secrets);
  let kept = maskers.get(owner);
  if (kept?.secrets !== key) {
    kept = { secrets: key, mask: jobMasker(secrets) };
    maskers.set(owner, kept);
  }
  return kept.mask;
}

/**
 * The page's outcome, frames encoded when the job asks; undefined when it must go to a worker. `owner` is the
 * data source's object (its signing proxy) under which its masker is kept.
 */
export async function processInline(
  job: QueryJob,
  answer: PageAnswer,
  owner?: object,
): Promise<WorkerOutcome | undefined> {
  // The query's shape and the answer's size first: a page that goes to a worker costs nothing here.
  if (!mayRunInline(job.query) || answer.body.byteLength > INLINE_LIMITS.maxAnswerBytes) return undefined;
  try {
    const mask = maskerOf(owner, job.secrets);
    const outcome = await new QueryProcessor(job, { inline: true, mask }).addPage(answer);
    return job.encode && outcome.frames ? { ...outcome, frames: encodeFrames(outcome.frames) } : outcome;
  } catch (e) {
    if (e instanceof NeedsWorker) return undefined;
    throw e;
  }
}
