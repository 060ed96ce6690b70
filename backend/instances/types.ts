// What the handlers need from a data source instance and from the instance provider. Handlers import these
// types; the provider (./provider.ts) implements them; neither imports the other's folder above it.
import type { PluginContext } from '../protocol/types';
import type { Settings } from '../settings/types';
import type { SigningProxy } from '../http/types';

/** One configured data source: settings, and the signing proxy every request goes through. */
export interface DataSourceInstance {
  settings: Settings;
  proxy: SigningProxy;
  /** Every secret this instance knows (configured, resolved, and the process's ambient ones), for masking in a query worker. */
  secretValues?(): string[];
  /** A query's result was cut at a row or page limit: one log line and one count. */
  resultTruncated?(cut: ResultCut): void;
}

/** Where and why a result was cut (the URL is logged without query values). */
export interface ResultCut {
  refId: string;
  url: string;
  reason: 'max_rows' | 'max_pages';
  limit: number;
  rows: number;
  pages: number;
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
