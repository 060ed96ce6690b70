// A clock for tests: time moves only when the test calls `advance`, which fires the timers that fall due.
import type { Clock } from './clock';

export interface FakeClock extends Clock {
  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void;
  /** Delays of the timers set so far, in order (e.g. the backoff steps of a retry layer). */
  readonly delays: number[];
  /** Timers set and neither fired nor cancelled. */
  readonly pending: number;
}

export function createFakeClock(start = 0): FakeClock {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fire: () => void }>();
  const delays: number[] = [];
  return {
    now: () => now,
    setTimer(ms, fire) {
      const id = ++seq;
      delays.push(ms);
      timers.set(id, { at: now + ms, fire });
      return () => timers.delete(id);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...timers.entries()]
          .filter(([, t]) => t.at <= until)
          .sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].fire();
      }
      now = until;
    },
    get delays() {
      return delays;
    },
    get pending() {
      return timers.size;
    },
  };
}
