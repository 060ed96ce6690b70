// The plugin's behaviour behind the gRPC services, over the dependencies the composition root built.
import type { PluginHandlers } from '../protocol/types';
import type { HandlerDeps } from './deps';
import { queryData } from './queryData';
import { checkHealth } from './checkHealth';
import { callResource } from './callResource';

export function createHandlers(deps: HandlerDeps): PluginHandlers {
  return {
    queryData: (req, signal) => queryData(req, deps, signal),
    checkHealth: (req, signal) => checkHealth(req, deps, signal),
    callResource: (req, send, signal) => callResource(req, send, deps, signal),
    dispose: () => deps.instances.disposeAll(),
  };
}
