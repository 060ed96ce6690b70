// Test doubles for the instance provider: one fixed instance, or a getter that may throw.
import type { DataSourceInstance, InstanceProvider } from './types';

export function fixedInstances(get: () => DataSourceInstance | Promise<DataSourceInstance>): InstanceProvider {
  return {
    use: async (_ctx, fn) => fn(await get()),
    disposeAll: async () => undefined,
  };
}
