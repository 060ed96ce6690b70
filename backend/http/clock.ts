// Time as the outgoing path and the credential cache see it. Injected so tests run on a fake clock whose
// timers fire when the test advances it, never on sleeps.

export interface Clock {
  now(): number;
  /** Calls `fire` after `ms`; the returned function cancels it. Timers never keep the process alive. */
  setTimer(ms: number, fire: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fire) {
    const t = setTimeout(fire, ms);
    t.unref?.();
    return () => clearTimeout(t);
  },
};

/**
 * Resolves after `ms`, or as soon as `signal` aborts (then with `false`). The abort listener is removed
 * in every path, so many requests sharing one signal never pile up listeners.
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      cancel();
      resolve(false);
    };
    const cancel = clock.setTimer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * `work`, or a rejection with `onAbort()` as soon as `signal` aborts; the work itself goes on (it may be
 * shared with other callers). The listener is removed whichever settles first.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, onAbort: () => Error): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(onAbort());
  }
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', abort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(e);
      },
    );
  });
}
