// When V8 optimises the functions that serve queries. V8 compiles a function with Maglev after about 400 calls,
// and not before 500 calls have passed since its type feedback last changed. A plugin sees few queries (a
// dashboard refresh every few seconds), so it would serve its first hundreds of queries, for hours, in
// bytecode and baseline code: about twice the CPU and latency of optimised code (README, Platforms, "Start-up
// and per-query overhead"). Lowered thresholds reach optimised code after tens of queries. They are set once the
// handshake line is out: from the start, they also optimise start-up's own run-once code, and the line came
// 33-42 ms later.
// V8's flags are the process's, so the query workers' code tiers up as soon too.
import { setFlagsFromString } from 'node:v8';

/** Chosen with scripts/bench-overhead.ts against V8's defaults (400 and 500); 25 and 10 measured the same. */
export const SERVING_TIER_UP_FLAGS = ['--invocation-count-for-maglev=50', '--minimum-invocations-after-ic-update=20'];

/** Lowers V8's tier-up thresholds for the rest of the process's life. */
export function tierUpForServing(): void {
  setFlagsFromString(SERVING_TIER_UP_FLAGS.join(' '));
}
