// The worker side of the pool's protocol: one task at a time, `{ seq, payload }` in, `{ seq, ok, value }` or
// `{ seq, ok: false, error }` out, each with `heapBytes`, the worker's V8 heap and external memory after the
// task (the pool retires a worker that grew large). An error crosses as its name, message and own plain properties
// (e.g. a SigilError's status and source), since class instances do not survive the structured clone.
// Asked to release its heap (./messages.ts), the worker collects with V8's last resort and exits. Where the
// Linux addon is (../memoryTrim.ts), a worker ended from outside collects at its teardown too.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { registerTeardownCollection } from '../memoryTrim';
import { v8Gc } from '../v8Gc';
import { isReleaseHeap } from './messages';

/**
 * Optionally (the pool's `nice`), work in workers yields the CPU to the main thread (network, gRPC, health
 * checks) when cores are short: Linux keeps a nice value per thread, and /proc/thread-self names this
 * thread's id. Elsewhere, or when not allowed, the thread keeps the normal priority.
 */
function lowerThreadPriority(nice: number): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, nice);
  } catch {
    // not Linux: the budgets still bound the work
  }
}

function plainError(e: unknown): Record<string, unknown> {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const out: Record<string, unknown> = { name: e.name, message: e.message };
  for (const [k, v] of Object.entries(e)) {
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) out[k] = v;
  }
  return out;
}

/** A task's answer whose ArrayBuffers move to the main thread instead of being copied. */
export class Transferring {
  constructor(
    readonly value: unknown,
    readonly transfer: ArrayBuffer[],
  ) {}
}

export function serveTasks(handle: (payload: unknown) => unknown): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks runs inside a worker thread');
  const nice = (workerData as { nice?: unknown } | null)?.nice;
  if (typeof nice === 'number' && nice > 0) lowerThreadPriority(nice);
  // Elsewhere, or without the addon, a terminated worker's heap is unmapped by the main thread 8 s later.
  registerTeardownCollection();
  // Nothing a task prints may reach the plugin's stdout (the host's handshake channel) or its log.
  const silent = (() => true) as typeof process.stdout.write;
  process.stdout.write = silent;
  process.stderr.write = silent;
  // Every reply carries the heap and the ArrayBuffers it owns (an answer's bytes): what the worker would hold idle.
  const reply = (message: Record<string, unknown>, transfer: ArrayBuffer[] = []) => {
    const h = getHeapStatistics();
    port.postMessage({ ...message, heapBytes: h.total_heap_size + (h.external_memory ?? 0) }, transfer);
  };
  port.on('message', (msg: { seq: number; payload: unknown }) => {
    if (isReleaseHeap(msg)) {
      // The pool ends this idle worker: its memory goes back from this thread, not later from the main one.
      try {
        v8Gc({ type: 'major', execution: 'sync', flavor: 'last-resort' })?.();
      } finally {
        process.exit(0);
      }
    }
    Promise.resolve()
      .then(() => handle(msg.payload))
      .then(
        (value) =>
          value instanceof Transferring
            ? reply({ seq: msg.seq, ok: true, value: value.value }, value.transfer)
            : reply({ seq: msg.seq, ok: true, value }),
        (e: unknown) => reply({ seq: msg.seq, ok: false, error: plainError(e) }),
      )
      .catch((e: unknown) => reply({ seq: msg.seq, ok: false, error: plainError(e) })); // e.g. a value that cannot be cloned
  });
}
