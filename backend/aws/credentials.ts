// Credentials for one data source instance: a base provider per auth type (AWS SDK v3 providers), then
// STS AssumeRole when an Assume Role ARN is set. Resolved credentials are cached and refreshed shortly
// before they expire: requests keep using the still-valid credentials while one shared refresh runs, and
// a failed refresh never fails a request while the cached credentials are still valid. Resolution (base
// provider, STS, IMDS) ends within the data source's timeout with a 'timeout' error naming the step.
import { fromIni, fromInstanceMetadata, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { Agent } from 'node:http';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { SigilError, sigilError, type ErrorSource } from '../errors';
import type { Logger } from '../log';
import type { InstanceMeter } from '../metrics/dataSources';
import { createRedactor, type SecretScope } from '../redaction';
import type { Settings } from '../settings/types';
import { systemClock, type Clock } from '../clock';

export type CredentialsStep = 'credentials' | 'assumeRole';

/**
 * A failure to obtain credentials: kind 'credentials' (base provider) or 'assume_role' (STS AssumeRole).
 * `step` is kept for callers that read it; new code reads `kind`.
 */
export class CredentialsError extends SigilError {
  readonly step: CredentialsStep;
  constructor(step: CredentialsStep, message: string, status: number, source: ErrorSource, cause?: unknown) {
    super(step === 'assumeRole' ? 'assume_role' : 'credentials', message, {
      source,
      status,
      cause,
      details: { step: step === 'assumeRole' ? 'assume_role' : 'credentials' },
    });
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
  /** @deprecated pass `clock`; kept for callers that only move time. */
  now?: () => number;
  /** Time and timers (the resolution timeout); a fake clock in tests. */
  clock?: Clock;
  /** Largest refresh lead time; the actual lead is min(this, a third of the credentials' lifetime). */
  refreshWindowMs?: number;
  /** Below this remaining lifetime (at most a sixth of the lifetime) a caller waits for the refresh. */
  minRemainingMs?: number;
  env?: NodeJS.ProcessEnv;
  /** The connection agent for the STS endpoint (keep-alive, and the server's outbound proxy if any). */
  stsAgent?: Agent;
  /** Every credential resolved (base, assumed, refreshed) is registered here, so no output shows it. */
  secrets?: SecretScope;
  /** Bound on one resolution (base provider + AssumeRole); default the data source's timeoutSeconds. */
  timeoutMs?: number;
  /** Refreshes: success at debug, failure at warn; lines carry the data source's uid and name. */
  logger?: Pick<Logger, 'debug' | 'warn'> & { child?: Logger['child'] };
  /** Counts STS AssumeRole calls and failed resolutions for the data source's metrics. */
  meter?: Pick<InstanceMeter, 'stsCall' | 'refreshFailure'>;
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

/** Defence in depth: an SDK message never carries the data source's keys, even before the instance's redactor masks the output. */
function withoutSecrets(
  message: string,
  settings: Pick<Settings, 'secretKey' | 'sessionToken'>,
  extra: Array<string | undefined> = [],
): string {
  const redactor = createRedactor();
  const scope = redactor.scope('credentials');
  for (const secret of [settings.secretKey, settings.sessionToken, ...extra]) scope.add(secret);
  return redactor.mask(message);
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
  /** Time of the last failed refresh since the last success (-Infinity when none). */
  private lastFailure = -Infinity;
  private readonly clock: Clock;
  private readonly refreshWindowMs: number;
  private readonly minRemainingMs: number;
  private readonly timeoutMs: number;
  private readonly sts?: STSClient;
  private readonly log?: Pick<Logger, 'debug' | 'warn'>;

  constructor(
    private readonly settings: Settings,
    private readonly base: AwsCredentialIdentityProvider,
    private readonly options: CredentialOptions,
  ) {
    this.clock = options.clock ?? (options.now ? { ...systemClock, now: options.now } : systemClock);
    this.refreshWindowMs = options.refreshWindowMs ?? DEFAULT_REFRESH_WINDOW_MS;
    this.minRemainingMs = options.minRemainingMs ?? DEFAULT_MIN_REMAINING_MS;
    this.timeoutMs = options.timeoutMs ?? settings.timeoutMs;
    // Lines name the data source (uid and name) when the logger can carry fields.
    this.log = options.logger?.child
      ? options.logger.child('credentials', { uid: settings.uid, name: settings.name })
      : options.logger;
    if (settings.assumeRoleArn) {
      const agent = options.stsAgent;
      this.sts = new STSClient({
        region: settings.region,
        endpoint: settings.stsEndpoint,
        credentials: base,
        maxAttempts: 3,
        requestHandler: {
          ...(agent ? { httpAgent: agent, httpsAgent: agent } : {}),
          connectionTimeout: this.timeoutMs,
          requestTimeout: this.timeoutMs,
        },
      });
    }
  }

  get stsCalls(): number {
    return this.calls;
  }

  get description(): string {
    return this.settings.assumeRoleArn
      ? `${this.settings.authType} + AssumeRole ${this.settings.assumeRoleArn}`
      : this.settings.authType;
  }

  async get(): Promise<AwsCredentialIdentity> {
    const cur = this.current;
    if (!cur) return this.refresh();
    const expires = cur.expiration?.getTime();
    if (expires === undefined) return cur;
    const now = this.clock.now();
    const lifetime = expires - this.obtainedAt;
    if (now < expires - Math.min(this.refreshWindowMs, lifetime / 3)) return cur;
    if (now >= expires) return this.refresh();
    // Still valid. Early in the window, or after a failed refresh: answer now and refresh in the
    // background (at most every few seconds after a failure). Near the end: wait for the refresh, but
    // fall back to the cached credentials if it fails while they are still valid.
    const urgent = now >= expires - Math.min(this.minRemainingMs, lifetime / 6);
    if (!urgent || this.lastFailure >= this.obtainedAt) {
      if (!this.inflight && now - this.lastFailure >= BACKGROUND_RETRY_MS) this.refresh().catch(() => undefined);
      return cur;
    }
    try {
      return await this.refresh();
    } catch (err) {
      if (this.clock.now() < expires) return cur;
      throw err;
    }
  }

  private refresh(): Promise<AwsCredentialIdentity> {
    if (!this.inflight) {
      this.inflight = this.withinTimeout()
        .then(
          (creds) => {
            this.current = creds;
            this.obtainedAt = this.clock.now();
            this.lastFailure = -Infinity;
            this.log?.debug('credentials refreshed', {
              authType: this.settings.authType,
              assumeRole: this.settings.assumeRoleArn ?? '',
              expires: creds.expiration?.toISOString() ?? 'never',
            });
            return creds;
          },
          (err: unknown) => {
            this.lastFailure = this.clock.now();
            this.options.meter?.refreshFailure();
            const stillValid = this.current?.expiration ? this.clock.now() < this.current.expiration.getTime() : false;
            this.log?.warn('credentials refresh failed', {
              authType: this.settings.authType,
              assumeRole: this.settings.assumeRoleArn ?? '',
              ...(this.settings.assumeRoleArn ? { url: this.settings.stsEndpoint } : {}),
              error: (err as Error).message,
              ...(stillValid ? { servingCachedUntil: this.current!.expiration!.toISOString() } : {}),
            });
            throw err;
          },
        )
        .finally(() => {
          this.inflight = undefined;
        });
    }
    return this.inflight;
  }

  /** One resolution, ended with a 'timeout' error naming the step it was in when the time ran out. */
  private withinTimeout(): Promise<AwsCredentialIdentity> {
    const state: { step: CredentialsStep } = { step: 'credentials' };
    const abort = new AbortController();
    return new Promise((resolve, reject) => {
      const cancel = this.clock.setTimer(this.timeoutMs, () => {
        abort.abort();
        const where =
          state.step === 'assumeRole'
            ? `STS AssumeRole of ${this.settings.assumeRoleArn} at ${this.settings.stsEndpoint}`
            : `the ${this.settings.authType} credentials provider`;
        reject(
          sigilError(
            'timeout',
            `credentials: ${where} did not answer within ${this.timeoutMs / 1000} s (timeoutSeconds)`,
            {
              details: { step: state.step === 'assumeRole' ? 'assume_role' : 'credentials' },
            },
          ),
        );
      });
      this.load(state, abort.signal).then(
        (c) => {
          cancel();
          resolve(c);
        },
        (e: unknown) => {
          cancel();
          reject(e);
        },
      );
    });
  }

  private remember(c: AwsCredentialIdentity): AwsCredentialIdentity {
    this.options.secrets?.add(c.accessKeyId);
    this.options.secrets?.add(c.secretAccessKey);
    this.options.secrets?.add(c.sessionToken);
    return c;
  }

  private async load(state: { step: CredentialsStep }, signal: AbortSignal): Promise<AwsCredentialIdentity> {
    let base: AwsCredentialIdentity;
    try {
      base = this.remember(await this.base());
    } catch (err) {
      throw new CredentialsError(
        'credentials',
        withoutSecrets(`could not load ${this.settings.authType} credentials: ${describeFailure(err)}`, this.settings),
        401,
        'plugin',
        err,
      );
    }
    if (!this.sts || !this.settings.assumeRoleArn || signal.aborted) return base;
    state.step = 'assumeRole';
    this.calls++;
    this.options.meter?.stsCall();
    try {
      const out = await this.sts.send(
        new AssumeRoleCommand({
          RoleArn: this.settings.assumeRoleArn,
          RoleSessionName: roleSessionName(this.settings.uid),
          ExternalId: this.settings.externalId,
          DurationSeconds: this.settings.assumeRoleDurationSeconds,
        }),
        { abortSignal: signal },
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('STS answered without credentials');
      return this.remember({
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration,
      });
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      throw new CredentialsError(
        'assumeRole',
        withoutSecrets(
          `STS AssumeRole of ${this.settings.assumeRoleArn} at ${this.settings.stsEndpoint} failed: ${describeFailure(err)}` +
            (this.settings.externalId ? '' : ' (no External ID was sent; set externalId if the role requires one)'),
          this.settings,
          [base.secretAccessKey, base.sessionToken],
        ),
        status === 403 ? 403 : 502,
        'downstream',
        err,
      );
    }
  }

  dispose(): void {
    this.sts?.destroy();
  }
}

export function createCredentialSource(
  settings: Settings,
  options: CredentialOptions = {},
  base?: AwsCredentialIdentityProvider,
): CredentialSource & { dispose(): void } {
  return new CachedCredentials(settings, base ?? baseProvider(settings), options);
}
