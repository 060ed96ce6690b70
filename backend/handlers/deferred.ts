// Handlers that are still being built: main.ts prints the handshake before it loads the handlers (the query
// engine, the AWS SDK, the parsers), and a call that arrives meanwhile waits for them here.
import type { PluginHandlers } from '../protocol/types';

export function deferredHandlers(ready: Promise<PluginHandlers>): PluginHandlers {
  // A failed build is reported by every call (and by main.ts), not as an unhandled rejection.
  ready.catch(() => undefined);
  return {
    queryData: async (req, signal) => (await ready).queryData(req, signal),
    checkHealth: async (req, signal) => (await ready).checkHealth(req, signal),
    callResource: async (req, send, signal) => (await ready).callResource(req, send, signal),
    dispose: async () => (await ready).dispose(),
  };
}
