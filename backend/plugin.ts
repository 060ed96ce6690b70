// The composition root: builds the process's one logger, one redactor (with the process scope for ambient
// credentials), the instance provider (cache + factory) and the handlers, and hands them to the protocol
// server. Nothing else constructs these; every other module receives what it needs. main.ts builds the logger
// and redactor (./pluginCore) before the handshake and this module's handlers after it.
import type { Logger } from './log';
import type { Redactor } from './redaction';
import { createPluginCore, type PluginCore } from './pluginCore';
import { CachingInstanceProvider, lifecycleFromEnv } from './instances/provider';
import { createHandlers } from './handlers';
import type { PluginHandlers } from './protocol/types';
import type { Gauge } from './protocol/metrics';
import { DataSourceMetrics } from './metrics/dataSources';

export interface Plugin {
  log: Logger;
  redactor: Redactor;
  handlers: PluginHandlers;
  /** Gauges for CollectMetrics: live and retiring instances, registered secrets. */
  gauges(): Gauge[];
  /** Per data source series for CollectMetrics (Prometheus text). */
  metricsText(): string;
}

export function createPlugin(env: NodeJS.ProcessEnv = process.env, core: PluginCore = createPluginCore(env)): Plugin {
  const { redactor, ambient, log } = core;
  const metrics = new DataSourceMetrics();
  const instances = new CachingInstanceProvider({
    env,
    redactor,
    ambient,
    logger: log,
    metrics,
    ...lifecycleFromEnv(env),
    onDisposeError: (err) => log.warn('disposing a data source instance failed', { error: err }),
  });
  const handlers = createHandlers({ instances, redactor, log: log.child('handlers') });
  return {
    log,
    redactor,
    handlers,
    metricsText: () => metrics.prometheusText(),
    gauges: () => [
      { name: 'sigil_instances_live', help: 'Data source instances in the cache.', value: instances.stats.live },
      {
        name: 'sigil_instances_retiring',
        help: 'Data source instances waiting for their calls to finish before disposal.',
        value: instances.stats.retiring,
      },
      {
        name: 'sigil_redactor_secrets',
        help: 'Secrets the redactor masks (live instances and the process).',
        value: redactor.size,
      },
    ],
  };
}
