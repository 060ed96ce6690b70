// One instance per data source: validated settings, cached credentials and a signing proxy with its own
// keep-alive agent. Cached by uid + lastUpdatedMS (and the server's [aws] options); a changed data source
// gets a fresh instance and the old one is disposed (sockets closed, STS client destroyed).
import { pluginError } from './errors';
import type { PluginContext } from './protocol/types';
import type { DataSourceInstance, InstanceProvider } from './handlers/deps';
import { parseSettings } from './settings/parse';
import { readAwsServerOptions } from './settings/awsServer';
import { createCredentialSource, type CredentialOptions, type CredentialSource } from './aws/credentials';
import { AwsSigningProxy, type ProxyOptions } from './http/proxy';
import { ConnectionAgents } from './http/agents';
import type { AwsServerOptions } from './settings/types';

export interface AwsDataSourceInstance extends DataSourceInstance {
  credentials: CredentialSource;
  server: AwsServerOptions;
  proxy: AwsSigningProxy;
}

interface Entry {
  key: string;
  instance: AwsDataSourceInstance;
  dispose(): void;
}

export interface InstanceProviderOptions {
  env?: NodeJS.ProcessEnv;
  credentials?: CredentialOptions;
  proxy?: ProxyOptions;
}

export const MISSING_SETTINGS_MESSAGE =
  'the request carries no data source settings; call this through a configured Sigil data source ' +
  '(Connections > Data sources > Sigil (AWS API)) and set at least the authentication and Allowed URLs';

export class CachingInstanceProvider implements InstanceProvider {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: InstanceProviderOptions = {}) {}

  async get(ctx: PluginContext): Promise<AwsDataSourceInstance> {
    const ds = ctx.dataSourceInstanceSettings;
    if (!ds) throw pluginError(MISSING_SETTINGS_MESSAGE);
    const env = this.options.env ?? process.env;
    const server = readAwsServerOptions(ctx.grafanaConfig ?? {}, env);
    const key = `${ds.lastUpdatedMS}|${JSON.stringify([server.allowedAuthProviders, server.assumeRoleEnabled, server.externalId, server.sessionDurationSeconds])}`;
    // A uid is unique within an organisation only.
    const slot = `${ctx.orgId}/${ds.uid}`;
    const existing = this.entries.get(slot);
    if (existing?.key === key) return existing.instance;
    const settings = parseSettings(ds, server, env);
    const agents = new ConnectionAgents(env);
    const credentials = createCredentialSource(settings, { ...this.options.credentials, stsAgent: agents.for(new URL(settings.stsEndpoint)) });
    const proxy = new AwsSigningProxy(settings, credentials, this.options.proxy, agents);
    const entry: Entry = {
      key,
      instance: { settings, proxy, credentials, server },
      dispose: () => {
        proxy.dispose();
        credentials.dispose();
      },
    };
    this.entries.set(slot, entry);
    // Requests already under way on the old instance finish first (each is bounded by its timeout).
    if (existing) void existing.instance.proxy.whenIdle().then(existing.dispose);
    return entry.instance;
  }

  async disposeAll(): Promise<void> {
    for (const entry of this.entries.values()) entry.dispose();
    this.entries.clear();
  }
}
