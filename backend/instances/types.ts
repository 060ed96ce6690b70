// What the handlers need from a data source instance and from the instance provider. Handlers import these
// types; the provider (./provider.ts) implements them; neither imports the other's folder above it.
import type { PluginContext } from '../protocol/types';
import type { Settings } from '../settings/types';
import type { SigningProxy } from '../http/types';

/** One configured data source: settings, and the signing proxy every request goes through. */
export interface DataSourceInstance {
  settings: Settings;
  proxy: SigningProxy;
}

export interface InstanceProvider {
  /**
   * Runs `fn` with this request's data source instance (built, or cached by org + uid + lastUpdatedMS); the
   * instance is not disposed while `fn` runs. Rejects with a SigilError of kind `settings` naming the bad
   * setting when the settings are missing, unreadable or invalid.
   */
  use<T>(ctx: PluginContext, fn: (instance: DataSourceInstance) => Promise<T>): Promise<T>;
  disposeAll(): Promise<void>;
}

/** Counts for metrics, tests and the soak script. */
export interface InstanceStats {
  /** Instances in the cache. */
  live: number;
  /** Instances replaced or evicted, waiting for their requests under way before they are disposed. */
  retiring: number;
}
