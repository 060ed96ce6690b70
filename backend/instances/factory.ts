// The instance factory: from one request's PluginContext, the data source's validated settings, its
// credential source, and its outgoing stack (connection agents + signing proxy), plus the redactor scope
// that holds every secret the instance knows (configured keys, and each credential it resolves). The
// factory only builds; ./cache.ts decides when an instance is made and disposed.
import type { PluginContext, DataSourceInstanceSettings } from '../protocol/types';
import type { Redactor, SecretScope } from '../redaction';
import type { AwsServerOptions } from '../settings/types';
import { parseSettings } from '../settings/parse';
import { readAwsServerOptions } from '../settings/awsServer';
import { createCredentialSource, type CredentialOptions, type CredentialSource } from '../aws/credentials';
import { createOutgoingStack } from '../http/stack';
import { defaultRetryPolicy, type RetryOptions } from '../http/retries';
import type { OutgoingStack } from '../http/types';
import type { Logger } from '../log';
import { NO_METER, type DataSourceMetrics } from '../metrics/dataSources';
import { urlForLog } from '../http/allowedUrls';
import { ConnectionAgents } from '../http/agents';
import type { DataSourceInstance } from './types';

export interface AwsDataSourceInstance extends DataSourceInstance {
  credentials: CredentialSource;
  server: AwsServerOptions;
  proxy: OutgoingStack;
  /** Waits for requests under way, then closes sockets, drops the STS client and forgets the secrets. */
  dispose(): Promise<void>;
}

export interface InstanceFactoryOptions {
  redactor: Redactor;
  /** The process scope (ambient credentials), masked in every instance's answers too. */
  ambient?: SecretScope;
  env?: NodeJS.ProcessEnv;
  credentials?: CredentialOptions;
  proxy?: RetryOptions & { maxRedirects?: number };
  /** Lines about this instance's requests and credentials (refused URLs, AWS errors, retries, refreshes). */
  logger?: Logger;
  /** Per data source series; each instance holds its data source's series until it is disposed. */
  metrics?: DataSourceMetrics;
}

/** Where an instance lives in the cache (org + uid: a uid is unique within an organisation only) and what makes it stale. */
export function instanceIdentity(
  ctx: PluginContext & { dataSourceInstanceSettings: DataSourceInstanceSettings },
  env: NodeJS.ProcessEnv,
): { slot: string; key: string; server: AwsServerOptions } {
  const ds = ctx.dataSourceInstanceSettings;
  const server = readAwsServerOptions(ctx.grafanaConfig ?? {}, env);
  const key = `${ds.lastUpdatedMS}|${JSON.stringify([server.allowedAuthProviders, server.assumeRoleEnabled, server.externalId, server.sessionDurationSeconds])}`;
  return { slot: `${ctx.orgId}/${ds.uid}`, key, server };
}

export function createInstance(
  ctx: PluginContext & { dataSourceInstanceSettings: DataSourceInstanceSettings },
  server: AwsServerOptions,
  options: InstanceFactoryOptions,
): AwsDataSourceInstance {
  const ds = ctx.dataSourceInstanceSettings;
  const env = options.env ?? process.env;
  const settings = parseSettings(ds, server, env);
  const secrets = options.redactor.scope(`${ctx.orgId}/${ds.uid}/${ds.lastUpdatedMS}`);
  for (const value of Object.values(ds.decryptedSecureJsonData)) secrets.add(value);
  const agents = new ConnectionAgents(env);
  const meter = options.metrics?.acquire(ctx.orgId, ds.uid) ?? NO_METER;
  let credentials: ReturnType<typeof createCredentialSource>;
  let proxy: OutgoingStack;
  try {
    credentials = createCredentialSource(settings, {
      ...options.credentials,
      stsAgent: agents.for(new URL(settings.stsEndpoint)),
      secrets,
      logger: options.logger,
      meter,
    });
    proxy = createOutgoingStack({
      settings,
      credentials,
      agents,
      secrets,
      redactor: options.redactor,
      logger: options.logger,
      meter,
      retryPolicy: defaultRetryPolicy(options.proxy),
      maxRedirects: options.proxy?.maxRedirects,
    });
  } catch (err) {
    meter.release();
    throw err;
  }
  const truncationLog = options.logger?.child('query', { uid: settings.uid, name: settings.name });
  let disposed: Promise<void> | undefined;
  return {
    settings,
    server,
    credentials,
    proxy,
    secretValues: () => [...secrets.values(), ...(options.ambient?.values() ?? [])],
    resultTruncated(cut) {
      meter.truncated();
      truncationLog?.warn('result truncated', { ...cut, url: urlForLog(cut.url) });
    },
    dispose() {
      disposed ??= proxy.whenIdle().then(() => {
        proxy.dispose();
        credentials.dispose();
        secrets.drop();
        meter.release();
      });
      return disposed;
    },
  };
}
