// Gives memory back after a burst. An idle Node process allocates nothing, so V8 never collects: the bodies,
// Arrow bytes and gRPC buffers of the last large answers (external memory, freed only with the JavaScript
// objects that own them) and a young generation grown under load stay resident for as long as the plugin
// idles, which for a Grafana plugin is most of its life. This watcher runs one full collection when the
// process has been idle for a while and holds notably more than after the previous collection; an idle
// collection also lets V8 shrink the young generation again. Then, where the runtime allows it (Linux:
// memoryTrim.ts), it hands the C heap's free pages and the executable's unused pages back to the system:
// after a burst, glibc keeps tens of MiB of freed blocks (gRPC and socket buffers, exited query workers)
// resident otherwise, and every page of the executable a query touched stays mapped. A trim also runs on its
// own when the resident size grew that much with no collection due (e.g. once idle query workers have
// exited, or after queries that left code pages mapped). It never runs while the process is busy.

export interface IdleCollectorOptions {
  /** How often to look (ms); a look is two cheap counters. */
  everyMs: number;
  /** Idle: the process used less CPU than this share of the last period (all threads together). */
  idleCpuShare: number;
  /** Collect when heap in use + external memory grew by more than this since the last collection (bytes). */
  growthBytes: number;
  /**
   * Trim alone when the resident size grew by more than this since it last settled (bytes; default
   * growthBytes). A trim costs far less than a full collection: a few ms idle, and minor faults for the pages
   * used again.
   */
  trimGrowthBytes?: number;
  /** The collection (a full GC); injectable for tests. */
  collect: () => void;
  /** Gives the C heap's free memory and unused executable pages back (memoryTrim.ts); none where the runtime has none. */
  trim?: () => void;
  /** Trim at the first idle look even without growth (start-up's own pages). */
  trimAtFirstIdle?: boolean;
  memory?: () => { heapUsed: number; external: number };
  /** Resident set size, bytes. */
  rss?: () => number;
  cpuMicros?: () => number;
  now?: () => number;
  onCollect?: (freedBytes: number, ms: number) => void;
  /** After each trim: the resident bytes it gave back (negative when the process grew meanwhile). */
  onTrim?: (releasedBytes: number, ms: number) => void;
}

/**
 * trimGrowthBytes: the first calls after start-up's trim map 13-16 MiB of the executable back (a metrics scrape
 * alone ~9 MiB), which a 16 MiB threshold left mapped for good (an idle plugin at 50.6 instead of ~35 MiB); 12
 * MiB trims after a query, not after every scrape.
 */
export const IDLE_COLLECTOR_DEFAULTS = {
  everyMs: 5_000,
  idleCpuShare: 0.02,
  growthBytes: 16 * 2 ** 20,
  trimGrowthBytes: 12 * 2 ** 20,
};

function held(memory: () => { heapUsed: number; external: number }): number {
  const m = memory();
  return m.heapUsed + m.external;
}

/** Starts watching; returns a function that stops it. The timer never keeps the process alive. */
export function startIdleCollector(options: IdleCollectorOptions): () => void {
  const memory = options.memory ?? (() => process.memoryUsage());
  const rss = options.rss ?? (() => process.memoryUsage.rss());
  const cpuMicros =
    options.cpuMicros ??
    (() => {
      const u = process.cpuUsage();
      return u.user + u.system;
    });
  const now = options.now ?? (() => performance.now());
  let baseline = held(memory);
  // -Infinity: any resident size counts as growth, so the first idle look trims.
  let rssBaseline = options.trimAtFirstIdle ? -Infinity : rss();
  let lastCpu = cpuMicros();
  let lastAt = now();
  // After a trim, the idle process maps some executable pages back (the code its timers and V8's idle tasks
  // run): the next idle look takes the resident size as it settled as the baseline, so that is not growth.
  let settling = false;
  const trim = () => {
    if (!options.trim) return;
    const t0 = now();
    const before = rss();
    options.trim();
    rssBaseline = rss();
    settling = true;
    options.onTrim?.(before - rssBaseline, now() - t0);
  };
  const timer = setInterval(() => {
    const cpu = cpuMicros();
    const at = now();
    const share = (cpu - lastCpu) / 1000 / Math.max(1, at - lastAt);
    lastCpu = cpu;
    lastAt = at;
    const before = held(memory);
    if (share >= options.idleCpuShare) {
      // Busy: the memory in use now is the burst's own; measure growth from the lowest point seen. Pages mapped
      // back after a trim are settled only by an idle look right after it: a burst's would never be trimmed.
      baseline = Math.min(baseline, before);
      rssBaseline = Math.min(rssBaseline, rss());
      settling = false;
      return;
    }
    if (settling) {
      settling = false;
      rssBaseline = rss();
    }
    const t0 = now();
    if (before - baseline > options.growthBytes) {
      options.collect();
      baseline = held(memory);
      options.onCollect?.(before - baseline, now() - t0);
      trim();
    } else if (options.trim && rss() - rssBaseline > (options.trimGrowthBytes ?? options.growthBytes)) {
      trim();
    } else {
      return;
    }
    // The collection's own CPU is not the next period's activity.
    lastCpu = cpuMicros();
    lastAt = now();
  }, options.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
