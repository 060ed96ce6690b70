// The validated settings of one data source instance (from jsonData + decryptedSecureJsonData).
import type { AuthType } from '../../src/shared/settings';

export interface Settings {
  uid: string;
  name: string;
  authType: AuthType;
  region: string;
  /** SigV4 signing name; undefined = infer from each URL's host. */
  service?: string;
  profile?: string;
  assumeRoleArn?: string;
  /** The data source's External ID, or else the Grafana server's [aws] external_id, for AssumeRole. */
  externalId?: string;
  /** Custom endpoint of the target service, normalised, no trailing slash. */
  endpoint?: string;
  /** STS endpoint for AssumeRole and the health check: the custom endpoint when set, else the regional one. */
  stsEndpoint: string;
  /** URL prefixes (normalised) that signed requests may go to; the STS endpoint is always allowed too. */
  allowedUrls: string[];
  timeoutMs: number;
  maxResponseBytes: number;
  testUrl?: string;
  /** AssumeRole session length, from the Grafana server's [aws] session_duration. */
  assumeRoleDurationSeconds: number;
  /** Only with authType `keys`; never logged or returned. */
  accessKey?: string;
  secretKey?: string;
  sessionToken?: string;
}

/** Grafana server's [aws] options, as shared with this plugin (or Grafana's defaults). */
export interface AwsServerOptions {
  allowedAuthProviders: string[];
  assumeRoleEnabled: boolean;
  /** [aws] external_id: used for AssumeRole when the data source sets none. */
  externalId?: string;
  sessionDurationSeconds: number;
  listMetricsPageLimit: number;
  /** Where the options came from: PluginContext grafanaConfig, the process environment, or defaults. */
  source: 'grafanaConfig' | 'environment' | 'defaults';
  /** Values that could not be parsed (Grafana's default was kept). */
  warnings: string[];
}
