import { deferredHandlers } from './deferred';
import type { PluginHandlers, QueryDataRequest } from '../protocol/types';

function fakeHandlers(calls: string[]): PluginHandlers {
  return {
    queryData: async (req) => {
      calls.push(`queryData ${req.queries.map((q) => q.refId).join(',')}`);
      return { responses: {} };
    },
    checkHealth: async () => {
      calls.push('checkHealth');
      return { status: 'OK', message: 'fine' };
    },
    callResource: async (req, send) => {
      calls.push(`callResource ${req.path}`);
      send({ code: 200, headers: {}, body: Buffer.from('x') });
    },
    dispose: async () => {
      calls.push('dispose');
    },
  };
}

const request = { pluginContext: {}, headers: {}, queries: [{ refId: 'A' }] } as unknown as QueryDataRequest;

describe('deferredHandlers', () => {
  it('holds calls until the handlers are built, then passes them on with their arguments', async () => {
    const calls: string[] = [];
    let build!: (h: PluginHandlers) => void;
    const handlers = deferredHandlers(new Promise((resolve) => (build = resolve)));
    const signal = new AbortController().signal;
    const answer = handlers.queryData(request, signal);
    const sent: number[] = [];
    const resource = handlers.callResource({ path: 'p' } as never, (r) => sent.push(r.code), signal);
    await Promise.resolve();
    expect(calls).toEqual([]);
    build(fakeHandlers(calls));
    await expect(answer).resolves.toEqual({ responses: {} });
    await resource;
    expect(sent).toEqual([200]);
    await expect(handlers.checkHealth({} as never)).resolves.toMatchObject({ status: 'OK' });
    await handlers.dispose();
    expect(calls).toEqual(['queryData A', 'callResource p', 'checkHealth', 'dispose']);
  });

  it('fails each call with the error that stopped the handlers from being built', async () => {
    const failed = Promise.reject(new Error('module failed to load'));
    const handlers = deferredHandlers(failed);
    await expect(handlers.queryData(request)).rejects.toThrow('module failed to load');
    await expect(handlers.checkHealth({} as never)).rejects.toThrow('module failed to load');
  });
});
