// The outgoing path of one data source instance, as layers. The order below is the whole design:
//
//   observe       one log line per refused request, too large or error answer; the request metrics
//   redirects     each hop is a new request through every layer below
//   urlGuard      allowed URL prefixes, userinfo, dot segments, header control characters
//   credentials   no STS action (or answer) that mints credentials
//   retries       by RetryPolicy; each attempt re-signed
//   signing       credentials (inside their timeout) + SigV4
//   transport     agents, attempt timeout, size cap, inflation
import type { CredentialSource } from '../aws/credentials';
import type { Logger } from '../log';
import type { InstanceMeter } from '../metrics/dataSources';
import type { Redactor, SecretScope } from '../redaction';
import type { Settings } from '../settings/types';
import { ConnectionAgents } from './agents';
import { parsePrefix } from './allowedUrls';
import { systemClock, type Clock } from '../clock';
import { credentialGuardLayer } from './credentialGuard';
import { observeLayer } from './observe';
import { redirectLayer } from './redirects';
import { defaultRetryPolicy, retryLayer, type RetryPolicy } from './retries';
import { signingLayer } from './signing';
import { createTransport } from './transport';
import { urlGuardLayer } from './urlGuard';
import type { IncomingResponse, Layer, OutgoingRequest, OutgoingStack, Send } from './types';

const GLOBAL_STS_ENDPOINT = 'https://sts.amazonaws.com/';
const SILENT: Pick<Logger, 'info' | 'warn'> = { info: () => undefined, warn: () => undefined };

export interface OutgoingStackOptions {
  settings: Settings;
  credentials: Pick<CredentialSource, 'get'>;
  agents?: ConnectionAgents;
  /** The instance's secrets; the stack adds none of its own today (credentials register theirs). */
  secrets?: SecretScope;
  /** Masks system error text (socket errors) before it becomes an error message. */
  redactor?: Pick<Redactor, 'mask'>;
  /** Lines carry the data source's uid and name (added here when the logger has `child`). */
  logger?: Pick<Logger, 'info' | 'warn'> & { child?: Logger['child'] };
  clock?: Clock;
  /** Counts each request (outcome, duration, bytes read) for the data source's metrics. */
  meter?: Pick<InstanceMeter, 'request'>;
  retryPolicy?: RetryPolicy;
  maxRedirects?: number;
  userAgent?: string;
}

/** The allowed prefixes: the settings' list, the STS endpoint, and STS's global endpoint when no custom endpoint stands in for AWS. */
export function allowedPrefixes(settings: Pick<Settings, 'allowedUrls' | 'stsEndpoint' | 'endpoint'>) {
  const sts = [`${settings.stsEndpoint}/`, ...(settings.endpoint ? [] : [GLOBAL_STS_ENDPOINT])];
  return [...settings.allowedUrls, ...sts].map(parsePrefix);
}

export function compose(layers: Layer[], last: Send): Send {
  return layers.reduceRight<Send>((next, layer) => layer(next), last);
}

export function createOutgoingStack(options: OutgoingStackOptions): OutgoingStack {
  const { settings } = options;
  const agents = options.agents ?? new ConnectionAgents();
  const clock = options.clock ?? systemClock;
  // Lines name the data source (uid and name) when the logger can carry fields.
  const log = options.logger?.child
    ? options.logger.child('outgoing', { uid: settings.uid, name: settings.name })
    : (options.logger ?? SILENT);
  const send = compose(
    [
      observeLayer(log, options.meter, clock),
      redirectLayer(options.maxRedirects ?? 5),
      urlGuardLayer(allowedPrefixes(settings)),
      credentialGuardLayer(),
      retryLayer(options.retryPolicy ?? defaultRetryPolicy(), clock, log),
      signingLayer({
        credentials: options.credentials,
        defaults: { service: settings.service, region: settings.region },
        userAgent: options.userAgent ?? 'sigil-awsapi-datasource',
      }),
    ],
    createTransport({
      agentFor: (url) => agents.for(url),
      timeoutMs: settings.timeoutMs,
      maxResponseBytes: settings.maxResponseBytes,
      clock,
      mask: options.redactor ? (t) => options.redactor!.mask(t) : undefined,
    }),
  );

  let inFlight = 0;
  let idleWaiters: Array<() => void> = [];
  return {
    async send(request: OutgoingRequest): Promise<IncomingResponse> {
      inFlight++;
      try {
        return await send(request);
      } finally {
        if (--inFlight === 0) for (const wake of idleWaiters.splice(0)) wake();
      }
    },
    whenIdle() {
      return inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    dispose() {
      idleWaiters = [];
      agents.destroy();
    },
  };
}
