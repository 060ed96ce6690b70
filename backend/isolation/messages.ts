// The pool's one control message besides tasks: the worker is being ended with nothing running, and gives
// its heap back from its own thread before it exits (./releaseHeap.ts).
export const RELEASE_HEAP = { releaseHeap: true } as const;

export function isReleaseHeap(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { releaseHeap?: unknown }).releaseHeap === true;
}
