import { runInNewContext } from 'node:vm';
import { v8Gc } from './v8Gc';

const MiB = 2 ** 20;

describe('v8Gc', () => {
  it('returns a collection that frees unreachable memory, and leaves no gc global behind', async () => {
    const gc = v8Gc();
    expect(gc).toBeDefined();
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    // A buffer that nothing references once the function returns; a WeakRef keeps its target for the rest
    // of the current job, so the collection runs in a later one.
    const unreachable = (): WeakRef<Uint8Array> => new WeakRef(new Uint8Array(8 * MiB).fill(1));
    const ref = unreachable();
    expect(ref.deref()).toBeDefined();
    await new Promise((resolve) => setImmediate(resolve));
    gc!();
    expect(ref.deref()).toBeUndefined();
  });

  it('makes the last-resort collection too, and no context made afterwards has `gc`', () => {
    const gc = v8Gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    expect(gc).toBeDefined();
    expect(runInNewContext('typeof gc')).toBe('undefined');
    expect(() => gc!()).not.toThrow();
  });
});
