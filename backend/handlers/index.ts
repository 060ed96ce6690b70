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
    queryData: (req, signal) => queryData(req, deps, signal),
    checkHealth: (req, signal) => checkHealth(req, deps, signal),
    callResource: (req, send, signal) => callResource(req, send, deps, signal),
    dispose: () => deps.instances.disposeAll(),
  };
}
