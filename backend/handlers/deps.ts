// What the handlers need from the rest of the backend, injected by createHandlers (and by tests).
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
   * The instance for this request's data source (cached by uid + lastUpdatedMS).
   * Rejects with a SigilError (source `plugin`) naming the bad setting when the settings are invalid.
   */
  get(ctx: PluginContext): Promise<DataSourceInstance>;
  disposeAll(): Promise<void>;
}

export interface HandlerDeps {
  instances: InstanceProvider;
}
