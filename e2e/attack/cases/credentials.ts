// Credential resolution faults, with a fake STS speaking the real XML wire format: resolution (AssumeRole,
// the identity check) runs inside the data source's timeoutSeconds; a refresh failure while the cached
// credentials are still valid serves the query from the cache.
import type { AttackCase } from '../lib/runner';
import { must, show } from '../lib/runner';
import { answered, failed } from './expect';

const K = 'credential resolution faults';
const ROLE = 'arn:aws:iam::123456789012:role/attack-faults';
/** Well under the host's own 30-40 s deadline: a query bounded by timeoutSeconds 5 ends near 5 s. */
const BOUND_MS = 15_000;

export const cases: AttackCase[] = [
  {
    id: 'creds.hanging-assume-role.query',
    klass: K,
    title:
      'STS AssumeRole hangs, timeoutSeconds 5: the query ends near 5 s with an error naming AssumeRole or the timeout',
    async run(ctx) {
      ctx.api.sts.setFault('AssumeRole', { kind: 'hang' });
      const r = await ctx.one(
        ctx.ds({ assumeRoleArn: ROLE, timeoutSeconds: 5 }),
        { url: 'api/rows', format: 'json' },
        { timeoutMs: 40_000 },
      );
      must(!r.grpcError, `the query ran into the host's deadline (${r.elapsedMs} ms): ${r.grpcError}`);
      failed(r, [502, 503, 504], undefined, /AssumeRole|timed out|timeout/i);
      must(r.elapsedMs < BOUND_MS, `took ${r.elapsedMs} ms with timeoutSeconds 5`);
    },
  },
  {
    id: 'creds.hanging-assume-role.health',
    klass: K,
    title: 'STS AssumeRole hangs, timeoutSeconds 5: Save & test says ERROR near 5 s',
    async run(ctx) {
      ctx.api.sts.setFault('AssumeRole', { kind: 'hang' });
      const h = await ctx.health(ctx.ds({ assumeRoleArn: ROLE, timeoutSeconds: 5 }), { timeoutMs: 40_000 });
      must(
        !h.grpcError && h.status === 'ERROR',
        `expected ERROR, got ${h.status} ${h.grpcError ?? ''} after ${h.elapsedMs} ms`,
      );
      must(h.elapsedMs < BOUND_MS, `took ${h.elapsedMs} ms with timeoutSeconds 5`);
    },
  },
  {
    id: 'creds.hanging-assume-role.preview',
    klass: K,
    title: 'STS AssumeRole hangs, timeoutSeconds 5: the editor preview answers an error near 5 s',
    async run(ctx) {
      ctx.api.sts.setFault('AssumeRole', { kind: 'hang' });
      const res = await ctx.resource(
        ctx.ds({ assumeRoleArn: ROLE, timeoutSeconds: 5 }),
        { query: { url: 'api/rows' } },
        { timeoutMs: 40_000 },
      );
      must(
        !res.grpcError && (res.code ?? 0) >= 500,
        `expected a 5xx answer, got ${res.code} ${res.grpcError ?? ''} after ${res.elapsedMs} ms`,
      );
      must(res.elapsedMs < BOUND_MS, `took ${res.elapsedMs} ms with timeoutSeconds 5`);
    },
  },
  {
    id: 'creds.hanging-identity.health',
    klass: K,
    title: 'STS GetCallerIdentity hangs, timeoutSeconds 5: Save & test says ERROR near 5 s',
    async run(ctx) {
      ctx.api.sts.setFault('GetCallerIdentity', { kind: 'hang' });
      const h = await ctx.health(ctx.ds({ timeoutSeconds: 5 }), { timeoutMs: 40_000 });
      must(
        !h.grpcError && h.status === 'ERROR',
        `expected ERROR, got ${h.status} ${h.grpcError ?? ''} after ${h.elapsedMs} ms`,
      );
      must(h.elapsedMs < BOUND_MS, `took ${h.elapsedMs} ms with timeoutSeconds 5`);
    },
  },
  {
    id: 'creds.slow-assume-role',
    klass: K,
    title: 'STS AssumeRole answers after 2 s, timeoutSeconds 10: the query answers 3 rows',
    async run(ctx) {
      ctx.api.sts.setFault('AssumeRole', { kind: 'slow', ms: 2000 });
      answered(
        await ctx.one(
          ctx.ds({ assumeRoleArn: ROLE, timeoutSeconds: 10 }),
          { url: 'api/rows', format: 'json' },
          { timeoutMs: 40_000 },
        ),
        3,
      );
    },
  },
  {
    id: 'creds.assume-role-503',
    klass: K,
    title: 'STS AssumeRole answers 503 every time: an error naming AssumeRole, no hang',
    async run(ctx) {
      ctx.api.sts.setFault('AssumeRole', { kind: 'status', status: 503 });
      const r = await ctx.one(
        ctx.ds({ assumeRoleArn: ROLE, timeoutSeconds: 5 }),
        { url: 'api/rows', format: 'json' },
        { timeoutMs: 40_000 },
      );
      must(!r.grpcError, `gRPC error: ${r.grpcError}`);
      must(
        r.error && /AssumeRole/.test(r.error) && r.status >= 400,
        `expected an error naming AssumeRole, got ${show(r)}`,
      );
    },
  },
  {
    id: 'creds.assume-role-garbage',
    klass: K,
    title: 'STS AssumeRole answers 200 with garbage: an error naming AssumeRole, the process lives',
    async run(ctx) {
      ctx.api.sts.setFault('AssumeRole', { kind: 'garbage' });
      const r = await ctx.one(
        ctx.ds({ assumeRoleArn: ROLE, timeoutSeconds: 5 }),
        { url: 'api/rows', format: 'json' },
        { timeoutMs: 40_000 },
      );
      must(
        r.error && /AssumeRole/.test(r.error) && r.status >= 400,
        `expected an error naming AssumeRole, got ${show(r)}`,
      );
    },
  },
  {
    id: 'creds.refresh-503-served-from-cache',
    klass: K,
    title:
      'credentials of 30 s; at 25.5 s (4.5 s still valid) STS answers 503 to the refresh: the query is served from the cache, 3 rows',
    async run(ctx) {
      const sts = ctx.api.sts;
      const ds = ctx.ds({ assumeRoleArn: ROLE, timeoutSeconds: 5 });
      sts.setLifetime(30_000);
      answered(await ctx.one(ds, { url: 'api/rows', format: 'json' }), 3);
      must(sts.calls('AssumeRole') === 1, `expected 1 AssumeRole, saw ${sts.calls('AssumeRole')}`);
      sts.setFault('AssumeRole', { kind: 'status', status: 503 });
      // Crossing into the last sixth of the lifetime is the point of this case: time must pass.
      await new Promise((r) => setTimeout(r, 25_500));
      const r = await ctx.one(ds, { url: 'api/rows', format: 'json' }, { timeoutMs: 40_000 });
      answered(r, 3);
    },
  },
];
