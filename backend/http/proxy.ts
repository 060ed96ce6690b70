// Kept for callers that still construct the proxy by class (the instance factory until it calls
// createOutgoingStack): the same layered stack behind the old constructor.
import { ConnectionAgents } from './agents';
import type { CredentialSource } from '../aws/credentials';
import type { Settings } from '../settings/types';
import { defaultRetryPolicy, type RetryOptions } from './retries';
import { createOutgoingStack, type OutgoingStackOptions } from './stack';
import type { IncomingResponse, OutgoingRequest, OutgoingStack } from './types';

export interface ProxyOptions extends RetryOptions {
  maxRedirects?: number;
  userAgent?: string;
  logger?: OutgoingStackOptions['logger'];
  redactor?: OutgoingStackOptions['redactor'];
  secrets?: OutgoingStackOptions['secrets'];
  clock?: OutgoingStackOptions['clock'];
}

export class AwsSigningProxy implements OutgoingStack {
  private readonly stack: OutgoingStack;
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    settings: Settings,
    credentials: Pick<CredentialSource, 'get'>,
    options: ProxyOptions = {},
    agents: ConnectionAgents = new ConnectionAgents(),
  ) {
    this.stack = createOutgoingStack({
      ...options,
      settings,
      credentials,
      agents,
      retryPolicy: defaultRetryPolicy(options),
    });
  }

  async send(request: OutgoingRequest): Promise<IncomingResponse> {
    this.inFlight++;
    try {
      return await this.follow(request);
    } finally {
      if (--this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** The stack's send; a seam the instance cache's tests hold open to simulate a request under way. */
  private follow(request: OutgoingRequest): Promise<IncomingResponse> {
    return this.stack.send(request);
  }

  whenIdle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    this.stack.dispose();
  }
}
