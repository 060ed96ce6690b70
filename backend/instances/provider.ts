// The instance provider the handlers use: the factory's instances, kept in the cache.
import { sigilError } from '../errors';
import type { PluginContext } from '../protocol/types';
import { InstanceCache } from './cache';
import { createInstance, instanceIdentity, type AwsDataSourceInstance, type InstanceFactoryOptions } from './factory';
import type { InstanceProvider, InstanceStats } from './types';

export const MISSING_SETTINGS_MESSAGE =
  'the request carries no data source settings; call this through a configured Sigil data source ' +
  '(Connections > Data sources > Sigil (AWS API)) and set at least the authentication and Allowed URLs';

/** Defaults of the instance lifecycle: idle time before disposal, and the bound on live instances. */
export const INSTANCE_DEFAULTS = { ttlSeconds: 300, maxLive: 256 } as const;

export interface InstanceProviderOptions extends InstanceFactoryOptions {
  ttlMs?: number;
  maxLive?: number;
  now?: () => number;
  onDisposeError?: (err: unknown) => void;
}

/** Lifecycle settings from the environment (SIGIL_INSTANCE_TTL_SECONDS, SIGIL_MAX_INSTANCES); bad values keep the defaults. */
export function lifecycleFromEnv(env: NodeJS.ProcessEnv): { ttlMs: number; maxLive: number } {
  const positive = (text: string | undefined, fallback: number): number => {
    const n = Number(text);
    return text !== undefined && text.trim() !== '' && Number.isFinite(n) && n > 0 ? n : fallback;
  };
  return {
    ttlMs: positive(env.SIGIL_INSTANCE_TTL_SECONDS, INSTANCE_DEFAULTS.ttlSeconds) * 1000,
    maxLive: Math.floor(positive(env.SIGIL_MAX_INSTANCES, INSTANCE_DEFAULTS.maxLive)),
  };
}

export class CachingInstanceProvider implements InstanceProvider {
  private readonly cache: InstanceCache<AwsDataSourceInstance>;

  constructor(private readonly options: InstanceProviderOptions) {
    this.cache = new InstanceCache<AwsDataSourceInstance>({
      ttlMs: options.ttlMs ?? INSTANCE_DEFAULTS.ttlSeconds * 1000,
      maxLive: options.maxLive ?? INSTANCE_DEFAULTS.maxLive,
      now: options.now,
      onDisposeError: options.onDisposeError,
    });
  }

  use<T>(ctx: PluginContext, fn: (instance: AwsDataSourceInstance) => Promise<T>): Promise<T> {
    const ds = ctx.dataSourceInstanceSettings;
    if (!ds) return Promise.reject(sigilError('settings', MISSING_SETTINGS_MESSAGE));
    const withSettings = { ...ctx, dataSourceInstanceSettings: ds };
    const env = this.options.env ?? process.env;
    let id: ReturnType<typeof instanceIdentity>;
    try {
      id = instanceIdentity(withSettings, env);
      return this.cache.use(id.slot, id.key, () => createInstance(withSettings, id.server, this.options), fn);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Retires instances unused for the TTL now (the cache also does it on a timer). */
  sweep(): void {
    this.cache.sweep();
  }

  /** Settles once every retired instance has been disposed (tests, the soak script's short mode). */
  settled(): Promise<void> {
    return this.cache.settled();
  }

  get stats(): InstanceStats {
    return this.cache.stats;
  }

  disposeAll(): Promise<void> {
    return this.cache.disposeAll();
  }
}
