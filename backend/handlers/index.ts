// The plugin's behaviour behind the gRPC services: one instance provider shared by all handlers.
import type { PluginHandlers } from '../protocol/types';
import { CachingInstanceProvider, type InstanceProviderOptions } from '../instances';
import type { HandlerDeps } from './deps';
import { queryData } from './queryData';
import { checkHealth } from './checkHealth';
import { callResource } from './callResource';

export function createHandlers(options: InstanceProviderOptions = {}): PluginHandlers {
  const deps: HandlerDeps = { instances: new CachingInstanceProvider(options) };
  return {
    queryData: (req) => queryData(req, deps),
    checkHealth: (req) => checkHealth(req, deps),
    callResource: (req, send) => callResource(req, send, deps),
    dispose: () => deps.instances.disposeAll(),
  };
}
