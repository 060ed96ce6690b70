// The query worker's entry: runs a query's CPU work (backend/query/process.ts) inside a pooled worker thread.
// One query at a time: a `page` task with a `job` starts a query, later pages of a paginated query continue
// it; the state ends with the frames.
import { serveTasks } from '../../isolation/serve';
import { QueryProcessor } from '../process';
import type { QueryTask } from './messages';

let current: QueryProcessor | undefined;

serveTasks(async (payload) => {
  const task = payload as QueryTask;
  if (task.kind === 'reset') {
    current = undefined;
    return null;
  }
  if (task.job) current = new QueryProcessor(task.job);
  if (!current) throw new Error('no query in progress in this worker');
  try {
    const outcome = await current.addPage(task.answer);
    if (outcome.frames) current = undefined;
    return outcome;
  } catch (e) {
    current = undefined;
    throw e;
  }
});
