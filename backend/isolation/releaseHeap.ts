// A worker gives its memory back to the system from its own thread before it exits, so that the main thread
// does not do it later.
// Why: since V8 13 a heap keeps the pages its collections freed in a pool. When an isolate is torn down, its
// pool moves to a pool the whole process shares, and V8 posts a task to the *main* isolate to unmap those
// pages 8 s later (src/heap/page-pool.cc, ReleaseOnTearDown). After a worker that held a few hundred MiB,
// that task kept the plugin's main thread, and so every query, busy for 90-170 ms (perf: munmap and TLB
// shootdowns under PagePool::ReleaseUpTo). A last-resort collection (V8's CollectAllAvailableGarbage, what
// `gc({ flavor: 'last-resort' })` runs) reduces memory, which empties the isolate's own pool on this thread;
// an ordinary full collection does not.
// Node exposes that collection only as the `gc` function of a context made while --expose-gc is on: the flag
// is set for the one context made here and cleared again at once, so no other context gets `gc`.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFunction = (options?: { type?: string; execution?: string; flavor?: string }) => void;

/** Collects with V8's memory-reducing last resort. False when this runtime offers no such collection. */
export function releaseHeapBeforeExit(): boolean {
  let gc: unknown;
  try {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('typeof gc === "function" ? gc : undefined');
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
  if (typeof gc !== 'function') return false;
  (gc as GcFunction)({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  return true;
}
