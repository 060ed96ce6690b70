// Credentials for one data source instance: a base provider per auth type (AWS SDK v3 providers), then
// STS AssumeRole when an Assume Role ARN is set. Resolved credentials are cached and refreshed shortly
// before they expire: requests keep using the still-valid credentials while one shared refresh runs.
import { fromIni, fromInstanceMetadata, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { Agent } from 'node:http';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { SigilError } from '../errors';
import type { Settings } from '../settings/types';
import { createRedactor } from '../redaction';

/** Defence in depth until the instance's secret scope reaches this module: an SDK message never carries the keys. */
function withoutSecrets(message: string, settings: Pick<Settings, 'secretKey' | 'sessionToken'>): string {
  const redactor = createRedactor();
  const scope = redactor.scope('credentials');
  scope.add(settings.secretKey);
  scope.add(settings.sessionToken);
  return redactor.mask(message);
}

export type CredentialsStep = 'credentials' | 'assumeRole';

/** A failure to obtain credentials; `step` tells the health check which step failed. */
export class CredentialsError extends SigilError {
  readonly step: CredentialsStep;
  constructor(step: CredentialsStep, message: string, status: number, source: 'plugin' | 'downstream') {
    super(step === 'assumeRole' ? 'assume_role' : 'credentials', message, { source, status });
    this.step = step;
  }
}

export interface CredentialSource {
  get(): Promise<AwsCredentialIdentity>;
  /** STS AssumeRole calls made so far (0 without an Assume Role ARN). */
  readonly stsCalls: number;
  /** The identity in use, e.g. `keys` or `keys + AssumeRole arn:...`, for messages. */
  readonly description: string;
}

export interface CredentialOptions {
  now?: () => number;
  /** Largest refresh lead time; the actual lead is min(this, a third of the credentials' lifetime). */
  refreshWindowMs?: number;
  /** Below this remaining lifetime (at most a sixth of the lifetime) a caller waits for the refresh. */
  minRemainingMs?: number;
  env?: NodeJS.ProcessEnv;
  /** The connection agent for the STS endpoint (keep-alive, and the server's outbound proxy if any). */
  stsAgent?: Agent;
}

// The SDK's Node-version notice would be a non-JSON line on stderr, which is the plugin's log channel.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const DEFAULT_REFRESH_WINDOW_MS = 5 * 60_000;
const DEFAULT_MIN_REMAINING_MS = 15_000;
const BACKGROUND_RETRY_MS = 5_000;

/** The base credentials provider for the settings' auth type (no AssumeRole). */
export function baseProvider(settings: Settings): AwsCredentialIdentityProvider {
  switch (settings.authType) {
    case 'keys': {
      const identity: AwsCredentialIdentity = {
        accessKeyId: settings.accessKey ?? '',
        secretAccessKey: settings.secretKey ?? '',
        sessionToken: settings.sessionToken,
      };
      return async () => identity;
    }
    case 'credentials':
      // Only the named profile of the shared files: no fallback to other providers.
      return fromIni({ profile: settings.profile ?? 'default', ignoreCache: true });
    case 'ec2_iam_role':
      // Instance metadata only, IMDSv2 (token first), no fallback.
      return fromInstanceMetadata({ timeout: 2000, maxRetries: 1, ec2MetadataV1Disabled: true });
    case 'default':
      // The chain describes Grafana's own environment (IRSA, ECS, EC2...), so its STS calls (web identity)
      // follow the SDK's environment too (AWS_ENDPOINT_URL_STS, regional endpoint), not the data source endpoint.
      return fromNodeProviderChain({ clientConfig: { region: settings.region } });
  }
}

/** Session names may hold [\w+=,.@-] and up to 64 characters; identify Grafana and the data source. */
export function roleSessionName(uid: string): string {
  return `grafana-sigil-${uid}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

function describeFailure(err: unknown): string {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const code = e?.name && e.name !== 'Error' ? `${e.name}: ` : '';
  return `${code}${e?.message ?? String(err)}`;
}

class CachedCredentials implements CredentialSource {
  private current?: AwsCredentialIdentity;
  private obtainedAt = 0;
  private inflight?: Promise<AwsCredentialIdentity>;
  private calls = 0;
  private lastBackgroundFailure = -Infinity;
  private readonly now: () => number;
  private readonly refreshWindowMs: number;
  private readonly minRemainingMs: number;
  private readonly sts?: STSClient;

  constructor(private readonly settings: Settings, private readonly base: AwsCredentialIdentityProvider, options: CredentialOptions) {
    this.now = options.now ?? Date.now;
    this.refreshWindowMs = options.refreshWindowMs ?? DEFAULT_REFRESH_WINDOW_MS;
    this.minRemainingMs = options.minRemainingMs ?? DEFAULT_MIN_REMAINING_MS;
    if (settings.assumeRoleArn) {
      const agent = options.stsAgent;
      this.sts = new STSClient({
        region: settings.region,
        endpoint: settings.stsEndpoint,
        credentials: base,
        maxAttempts: 3,
        requestHandler: agent ? { httpAgent: agent, httpsAgent: agent } : undefined,
      });
    }
  }

  get stsCalls(): number {
    return this.calls;
  }

  get description(): string {
    return this.settings.assumeRoleArn ? `${this.settings.authType} + AssumeRole ${this.settings.assumeRoleArn}` : this.settings.authType;
  }

  async get(): Promise<AwsCredentialIdentity> {
    const cur = this.current;
    if (cur) {
      const expires = cur.expiration?.getTime();
      if (expires === undefined) return cur;
      const now = this.now();
      const lead = Math.min(this.refreshWindowMs, (expires - this.obtainedAt) / 3);
      if (now < expires - lead) return cur;
      if (now < expires - Math.min(this.minRemainingMs, (expires - this.obtainedAt) / 6)) {
        // Still valid: answer now, refresh in the background. A failed background refresh is retried at
        // most every few seconds, and surfaces only if the credentials actually run out.
        if (!this.inflight && now - this.lastBackgroundFailure >= BACKGROUND_RETRY_MS) {
          this.refresh().catch(() => {
            this.lastBackgroundFailure = this.now();
          });
        }
        return cur;
      }
    }
    return this.refresh();
  }

  private refresh(): Promise<AwsCredentialIdentity> {
    if (!this.inflight) {
      this.inflight = this.load()
        .then((creds) => {
          this.current = creds;
          this.obtainedAt = this.now();
          return creds;
        })
        .finally(() => {
          this.inflight = undefined;
        });
    }
    return this.inflight;
  }

  private async load(): Promise<AwsCredentialIdentity> {
    let base: AwsCredentialIdentity;
    try {
      base = await this.base();
    } catch (err) {
      throw new CredentialsError(
        'credentials',
        withoutSecrets(`could not load ${this.settings.authType} credentials: ${describeFailure(err)}`, this.settings),
        401,
        'plugin',
      );
    }
    if (!this.sts || !this.settings.assumeRoleArn) return base;
    this.calls++;
    try {
      const out = await this.sts.send(new AssumeRoleCommand({
        RoleArn: this.settings.assumeRoleArn,
        RoleSessionName: roleSessionName(this.settings.uid),
        ExternalId: this.settings.externalId,
        DurationSeconds: this.settings.assumeRoleDurationSeconds,
      }));
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('STS answered without credentials');
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      throw new CredentialsError(
        'assumeRole',
        withoutSecrets(`STS AssumeRole of ${this.settings.assumeRoleArn} at ${this.settings.stsEndpoint} failed: ${describeFailure(err)}` +
          (this.settings.externalId ? '' : ' (no External ID was sent; set externalId if the role requires one)'), this.settings),
        status === 403 ? 403 : 502,
        'downstream',
      );
    }
  }

  dispose(): void {
    this.sts?.destroy();
  }
}

export function createCredentialSource(settings: Settings, options: CredentialOptions = {}, base?: AwsCredentialIdentityProvider): CredentialSource & { dispose(): void } {
  return new CachedCredentials(settings, base ?? baseProvider(settings), options);
}
