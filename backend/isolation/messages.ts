// The pool's one control message besides tasks: the worker is being ended with nothing running, and gives
// its heap back from its own thread before it exits.
// Why: since V8 13 a heap keeps the pages its collections freed in a pool. When an isolate is torn down, its
// pool moves to a pool the whole process shares, and V8 posts a task to the *main* isolate to unmap those
// pages 8 s later (src/heap/page-pool.cc, ReleaseOnTearDown). After a worker that held a few hundred MiB,
// that task kept the plugin's main thread, and so every query, busy for 90-170 ms (perf: munmap and TLB
// shootdowns under PagePool::ReleaseUpTo). V8's memory-reducing collection (`gc` with `flavor:
// 'last-resort'`, ../v8Gc.ts) empties the isolate's own pool on the thread that runs it; an ordinary full
// collection does not.
export const RELEASE_HEAP = { releaseHeap: true } as const;

export function isReleaseHeap(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { releaseHeap?: unknown }).releaseHeap === true;
}
