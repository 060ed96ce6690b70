// The plugin's behaviour behind the gRPC services.
import type { PluginHandlers } from '../protocol/types';
import { queryData } from './queryData';
import { checkHealth } from './checkHealth';
import { callResource } from './callResource';

export function createHandlers(): PluginHandlers {
  return {
    queryData,
    checkHealth,
    callResource,
    dispose: async () => undefined,
  };
}
