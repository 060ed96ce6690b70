// V8's collection as a function, without --expose-gc on the command line: the flag is set for one new context
// only and taken back at once, so no other context (query worker threads start later) ever sees a `gc` global.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * What Node's `gc` accepts. `flavor: 'last-resort'` is V8's memory-reducing collection: unlike an ordinary full
 * one, it also gives the pages V8 pooled back to the system (see isolation/messages.ts).
 */
export interface GcOptions {
  type?: 'major' | 'minor';
  execution?: 'sync' | 'async';
  flavor?: 'regular' | 'last-resort';
}

/** A collection (a synchronous full one by default); undefined when the runtime refuses. */
export function v8Gc(options?: GcOptions): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? () => (gc as (o?: GcOptions) => void)(options) : undefined;
  } catch {
    return undefined;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
