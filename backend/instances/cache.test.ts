import { InstanceCache } from './cache';

class Fake {
  disposed = 0;
  constructor(readonly name: string) {}
  dispose(): void {
    this.disposed++;
  }
}

function cache(ttlMs = 1000, maxLive = 3) {
  const clock = { now: 0 };
  const built: Fake[] = [];
  const c = new InstanceCache<Fake>({ ttlMs, maxLive, now: () => clock.now });
  const get = (slot: string, key = '1') =>
    c.use(
      slot,
      key,
      () => {
        const f = new Fake(`${slot}@${key}`);
        built.push(f);
        return f;
      },
      async (f) => f,
    );
  return { c, clock, built, get };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('InstanceCache', () => {
  it('builds once per slot and key, and replaces a stale key', async () => {
    const { c, built, get } = cache();
    const a = await get('a');
    expect(await get('a')).toBe(a);
    const a2 = await get('a', '2');
    expect(a2).not.toBe(a);
    await settled();
    expect([a.disposed, a2.disposed]).toEqual([1, 0]);
    expect(built.map((f) => f.name)).toEqual(['a@1', 'a@2']);
    await c.disposeAll();
    expect(a2.disposed).toBe(1);
  });

  it('leaves the cache unchanged when building throws', async () => {
    const { c } = cache();
    await expect(
      c.use(
        'a',
        '1',
        () => {
          throw new Error('bad settings');
        },
        async () => 1,
      ),
    ).rejects.toThrow('bad settings');
    expect(c.stats).toEqual({ live: 0, retiring: 0 });
  });

  it('retires by idle time measured from the end of the last use, never while in use', async () => {
    const { c, clock, get } = cache(1000);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const inUse = c.use(
      'busy',
      '1',
      () => new Fake('busy'),
      async (f) => {
        await held;
        return f;
      },
    );
    const idle = await get('idle');
    clock.now = 5000;
    c.sweep();
    await settled();
    expect(idle.disposed).toBe(1);
    expect(c.stats).toEqual({ live: 1, retiring: 0 });
    release();
    const busy = await inUse;
    clock.now = 5999;
    c.sweep();
    expect(c.stats.live).toBe(1);
    clock.now = 6000;
    c.sweep();
    await settled();
    expect(busy.disposed).toBe(1);
    expect(c.stats).toEqual({ live: 0, retiring: 0 });
  });

  it('evicts the least recently used beyond maxLive, after its calls finish', async () => {
    const { c, get } = cache(60_000, 2);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const a = c.use(
      'a',
      '1',
      () => new Fake('a'),
      async (f) => {
        await held;
        return f;
      },
    );
    await get('b');
    await get('c');
    await settled();
    expect(c.stats).toEqual({ live: 2, retiring: 1 });
    release();
    const fa = await a;
    await settled();
    expect(fa.disposed).toBe(1);
    expect(c.stats).toEqual({ live: 2, retiring: 0 });
    await c.disposeAll();
  });
});
