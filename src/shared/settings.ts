// Data source settings as stored by Grafana: jsonData (plain) and secureJsonData (encrypted, write-only).
// The keys match Grafana's own AWS data sources so that their provisioning files carry over.
// Shared by the editors and the backend: types and pure functions only (no React, no Node).

export const AUTH_TYPES = ['default', 'keys', 'credentials', 'ec2_iam_role'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

export interface SigilJsonData {
  /** Default `default` (the AWS SDK chain). Legacy `sharedCreds` = `credentials`, `arn` = `default`. */
  authType?: AuthType;
  /** Default: AWS_REGION / AWS_DEFAULT_REGION of the Grafana server, else us-east-1. `default` means the same. */
  defaultRegion?: string;
  /** Named profile in the shared credentials/config files (authType `credentials`). */
  profile?: string;
  assumeRoleArn?: string;
  externalId?: string;
  /** Custom endpoint of the target service (e.g. a VPC endpoint or a local emulator). */
  endpoint?: string;
  /** SigV4 signing name, e.g. `monitoring`, `aps`, `execute-api`; inferred from the URL host when empty. */
  service?: string;
  /**
   * URL prefixes the backend may send signed requests to (scheme, host, port and path prefix). The custom
   * endpoint and the STS endpoint (for AssumeRole and the health check) are always allowed.
   */
  allowedUrls?: string[];
  /** Per request attempt, 1..300; default 30. */
  timeoutSeconds?: number;
  /** Largest response body read, 1 KiB..1 GiB; default 50 MiB. */
  maxResponseBytes?: number;
  /** Optional URL called by "Save & test" after STS GetCallerIdentity. */
  testUrl?: string;

  // Grafana core Prometheus SigV4 keys, accepted as a migration path.
  sigV4Auth?: boolean;
  sigV4AuthType?: string;
  sigV4Region?: string;
  sigV4AssumeRoleArn?: string;
  sigV4ExternalId?: string;
  sigV4Profile?: string;
}

export interface SigilSecureJsonData {
  accessKey?: string;
  secretKey?: string;
  sessionToken?: string;
  // Grafana core Prometheus SigV4 keys.
  sigV4AccessKey?: string;
  sigV4SecretKey?: string;
}
