// The plugin's behaviour behind the gRPC services: one instance provider shared by all handlers.
import type { PluginHandlers } from '../protocol/types';
import { CachingInstanceProvider, type InstanceProviderOptions } from '../instances';
import type { HandlerDeps } from './deps';
import { queryData } from './queryData';
import { checkHealth } from './checkHealth';
import { callResource } from './callResource';

export function createHandlers(options: InstanceProviderOptions = {}): PluginHandlers {
  const deps: HandlerDeps = { instances: new CachingInstanceProvider(options) };
  // queryData/callResource take deps once Developer C's versions land; extra arguments are harmless until then.
  const query = queryData as (req: Parameters<typeof queryData>[0], deps: HandlerDeps) => ReturnType<typeof queryData>;
  const resource = callResource as (req: Parameters<typeof callResource>[0], send: Parameters<typeof callResource>[1], deps: HandlerDeps) => ReturnType<typeof callResource>;
  return {
    queryData: (req) => query(req, deps),
    checkHealth: (req) => checkHealth(req, deps),
    callResource: (req, send) => resource(req, send, deps),
    dispose: () => deps.instances.disposeAll(),
  };
}
