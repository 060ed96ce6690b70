// The instance cache: one instance per slot (org + uid), replaced when its key (lastUpdatedMS and the
// server's [aws] options) changes, retired when unused for `ttlMs` or when more than `maxLive` instances
// are live (least recently used first). A retired instance is disposed once the calls using it have
// finished; a later request for its data source builds a new one. The cache only caches: building is
// the caller's `build`, disposing the instance's own `dispose`.

export interface Disposable {
  dispose(): void | Promise<void>;
}

export interface InstanceCacheOptions {
  /** An instance unused this long is retired. */
  ttlMs: number;
  /** At most this many live instances; beyond, the least recently used is retired. */
  maxLive: number;
  now?: () => number;
  /** Called when an instance's dispose fails (it is forgotten anyway). */
  onDisposeError?: (err: unknown) => void;
}

interface Entry<T> {
  slot: string;
  key: string;
  instance: T;
  leases: number;
  lastUsed: number;
  retired: boolean;
  /** Settles once the instance is disposed (set when retired). */
  disposed?: Promise<void>;
  startDispose?: () => void;
}

/** The sweep runs at most this often, at least every minute, and never more than twice per TTL. */
const MIN_SWEEP_MS = 250;
const MAX_SWEEP_MS = 60_000;

export class InstanceCache<T extends Disposable> {
  /** Live entries, least recently used first (an entry is re-inserted on each use). */
  private readonly live = new Map<string, Entry<T>>();
  private readonly retiring = new Set<Entry<T>>();
  private readonly now: () => number;
  private sweepTimer?: ReturnType<typeof setInterval>;

  constructor(private readonly options: InstanceCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Runs `fn` with the slot's instance (built by `build` when missing or stale); no dispose while it runs. */
  async use<R>(slot: string, key: string, build: () => T, fn: (instance: T) => Promise<R>): Promise<R> {
    const entry = this.acquire(slot, key, build);
    try {
      return await fn(entry.instance);
    } finally {
      entry.leases--;
      entry.lastUsed = this.now();
      if (entry.retired && entry.leases === 0) entry.startDispose?.();
    }
  }

  get stats(): { live: number; retiring: number } {
    return { live: this.live.size, retiring: this.retiring.size };
  }

  /** Retires every instance unused for ttlMs. Runs on a timer; tests call it after moving their clock. */
  sweep(): void {
    const now = this.now();
    for (const entry of [...this.live.values()]) {
      if (entry.leases === 0 && now - entry.lastUsed >= this.options.ttlMs) this.retire(entry);
    }
    if (this.live.size === 0) this.stopSweeping();
  }

  /** Settles once every retired instance has been disposed. */
  async settled(): Promise<void> {
    await Promise.all([...this.retiring].map((e) => e.disposed));
  }

  /** Retires every instance and waits until all are disposed (calls under way finish first). */
  async disposeAll(): Promise<void> {
    this.stopSweeping();
    for (const entry of [...this.live.values()]) this.retire(entry);
    await Promise.all([...this.retiring].map((e) => e.disposed));
  }

  private acquire(slot: string, key: string, build: () => T): Entry<T> {
    let entry = this.live.get(slot);
    if (entry && entry.key !== key) {
      this.retire(entry);
      entry = undefined;
    }
    if (entry) {
      this.live.delete(slot);
    } else {
      // Build first: a build that throws (bad settings) leaves the cache as it was.
      entry = { slot, key, instance: build(), leases: 0, lastUsed: 0, retired: false };
    }
    this.live.set(slot, entry);
    entry.leases++;
    entry.lastUsed = this.now();
    while (this.live.size > this.options.maxLive) {
      const oldest = this.live.values().next().value as Entry<T>;
      this.retire(oldest);
    }
    this.startSweeping();
    return entry;
  }

  private retire(entry: Entry<T>): void {
    if (entry.retired) return;
    entry.retired = true;
    if (this.live.get(entry.slot) === entry) this.live.delete(entry.slot);
    this.retiring.add(entry);
    entry.disposed = new Promise<void>((resolve) => {
      entry.startDispose = () => {
        entry.startDispose = undefined;
        Promise.resolve()
          .then(() => entry.instance.dispose())
          .catch((err: unknown) => this.options.onDisposeError?.(err))
          .finally(() => {
            this.retiring.delete(entry);
            resolve();
          });
      };
    });
    if (entry.leases === 0) entry.startDispose?.();
  }

  private startSweeping(): void {
    if (this.sweepTimer || !Number.isFinite(this.options.ttlMs)) return;
    const every = Math.max(MIN_SWEEP_MS, Math.min(this.options.ttlMs / 2, MAX_SWEEP_MS));
    this.sweepTimer = setInterval(() => this.sweep(), every);
    // The sweep never keeps the process alive on its own.
    this.sweepTimer.unref();
  }

  private stopSweeping(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }
}
