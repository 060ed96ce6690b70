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

const hubs = new WeakMap<AbortSignal, { callbacks: Set<() => void>; onAbort: () => void }>();

/**
 * Calls `fire` once when `signal` aborts; the returned function forgets it. All the callbacks on one signal
 * share a single listener, so 40 queries of one request (one signal) never trip Node's listener warning.
 */
export function whenAborted(signal: AbortSignal, fire: () => void): () => void {
  let hub = hubs.get(signal);
  if (!hub) {
    const callbacks = new Set<() => void>();
    const onAbort = (): void => {
      hubs.delete(signal);
      for (const f of [...callbacks]) f();
      callbacks.clear();
    };
    hub = { callbacks, onAbort };
    hubs.set(signal, hub);
    signal.addEventListener('abort', onAbort, { once: true });
  }
  const { callbacks, onAbort } = hub;
  callbacks.add(fire);
  return () => {
    if (!callbacks.delete(fire) || callbacks.size > 0) return;
    // The last one out removes the shared listener.
    hubs.delete(signal);
    signal.removeEventListener('abort', onAbort);
  };
}

/**
 * Resolves after `ms`, or as soon as `signal` aborts (then with `false`); the abort callback is forgotten in
 * every path.
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const forget = signal
      ? whenAborted(signal, () => {
          cancel();
          resolve(false);
        })
      : () => undefined;
    const cancel = clock.setTimer(ms, () => {
      forget();
      resolve(true);
    });
  });
}

/**
 * `work`, or a rejection with `onAbort()` as soon as `signal` aborts; the work itself goes on (it may be
 * shared with other callers). The abort callback is forgotten whichever settles first.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, onAbort: () => Error): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(onAbort());
  }
  return new Promise<T>((resolve, reject) => {
    const forget = whenAborted(signal, () => reject(onAbort()));
    work.then(
      (v) => {
        forget();
        resolve(v);
      },
      (e: unknown) => {
        forget();
        reject(e);
      },
    );
  });
}
