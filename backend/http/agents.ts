// Connection agents of one data source instance: keep-alive sockets, and the Grafana server's outbound HTTP
// proxy from the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, as Go's http.ProxyFromEnvironment reads
// them for Grafana's own AWS data sources). https targets are tunnelled with CONNECT, so TLS and the
// SigV4 signature stay end to end; http targets are forwarded in absolute form.
//
// Sockets: a kept-alive socket closes after IDLE_SOCKET_MS unused, below the 60 s idle timeout of AWS
// load balancers (ALB, CLB, NLB 350 s) and nginx's 75 s, so we never write into a socket the far end is
// closing. Open sockets are counted per instance (at most INSTANCE_SOCKETS, whatever the number of hosts
// or agents) and per process (at most PROCESS_SOCKETS, one shared counter): a process-wide bound is what
// protects the file-descriptor limit (often 1,024) when thousands of data sources are live, and a
// per-instance bound keeps one busy data source from taking all of it. At a bound, idle sockets are closed
// first; only when every socket is busy does the new request fail with a clear 'network' error.
import type { Socket } from 'node:net';
import http from 'node:http';
import https from 'node:https';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';

export const IDLE_SOCKET_MS = 30_000;
export const INSTANCE_SOCKETS = 32;
export const PROCESS_SOCKETS = 512;

/** A counter of open sockets with a limit, optionally under a parent counter (instance -> process). */
export class SocketBudget {
  private readonly open = new Set<Socket>();
  private readonly agents = new Set<http.Agent>();

  constructor(
    readonly limit: number,
    private readonly parent?: SocketBudget,
  ) {}

  get size(): number {
    return this.open.size;
  }

  /** Sockets created by `agent` are counted here (and in the parent). */
  watch(agent: http.Agent): void {
    this.agents.add(agent);
    this.parent?.agents.add(agent);
    const create = agent.createConnection.bind(agent) as (
      o: object,
      cb?: (err: Error | null, s?: Socket) => void,
    ) => Socket | undefined;
    (agent as unknown as { createConnection: typeof create }).createConnection = (options, cb) => {
      const refusal = this.reserve();
      if (refusal) {
        if (cb) {
          process.nextTick(cb, refusal);
          return undefined;
        }
        throw refusal;
      }
      const socket = create(options, cb);
      if (socket) this.track(socket);
      return socket;
    };
  }

  unwatch(agent: http.Agent): void {
    this.agents.delete(agent);
    this.parent?.agents.delete(agent);
  }

  /** Undefined when one more socket may open (after closing idle ones if needed), else the error to report. */
  private reserve(): Error | undefined {
    if (this.open.size >= this.limit) this.closeIdle();
    if (this.open.size >= this.limit)
      return new Error(
        `too many open sockets (${this.limit} ${this.parent ? 'for this data source' : 'in the plugin process'}, all busy)`,
      );
    return this.parent?.reserve();
  }

  private track(socket: Socket): void {
    this.open.add(socket);
    this.parent?.open.add(socket);
    socket.once('close', () => this.forget(socket));
  }

  private forget(socket: Socket): void {
    this.open.delete(socket);
    this.parent?.forget(socket);
  }

  /** Closes the sockets no request is using; they stop counting at once. */
  private closeIdle(): void {
    for (const agent of this.agents) {
      for (const list of Object.values(agent.freeSockets)) {
        for (const socket of list ?? []) {
          if (!this.open.has(socket)) continue;
          this.forget(socket);
          socket.destroy();
        }
      }
    }
  }
}

/** One counter for the whole process. */
export const processSockets = new SocketBudget(PROCESS_SOCKETS);

const AGENT_OPTIONS = { keepAlive: true, maxSockets: INSTANCE_SOCKETS, scheduling: 'lifo' as const };

/**
 * Idle sockets close after IDLE_SOCKET_MS. Not Node's `timeout` agent option: that one also arms a timer
 * on every socket in use and listens on every request (about a quarter more CPU per loopback request,
 * measured). Here the timer runs only while a socket waits in the pool; Node's agent destroys a pooled
 * socket whose timer fires.
 */
function closeWhenIdle<A extends http.Agent>(agent: A): A {
  // @types/node types these hooks loosely (Duplex, void); at run time they get a net.Socket and return a boolean.
  type Hooks = { keepSocketAlive(socket: Socket): boolean; reuseSocket(socket: Socket, req: http.ClientRequest): void };
  const hooks = agent as unknown as Hooks;
  const keep = hooks.keepSocketAlive.bind(agent);
  const reuse = hooks.reuseSocket.bind(agent);
  hooks.keepSocketAlive = (socket) => {
    const kept = keep(socket);
    if (kept) socket.setTimeout(IDLE_SOCKET_MS);
    return kept;
  };
  hooks.reuseSocket = (socket, req) => {
    socket.setTimeout(0);
    reuse(socket, req);
  };
  return agent;
}

interface ProxyEnv {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy: string[];
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name] ?? env[name.toLowerCase()];
  return v && v.trim() !== '' ? v.trim() : undefined;
}

export function readProxyEnv(env: NodeJS.ProcessEnv): ProxyEnv {
  return {
    httpProxy: envValue(env, 'HTTP_PROXY'),
    httpsProxy: envValue(env, 'HTTPS_PROXY'),
    noProxy: (envValue(env, 'NO_PROXY') ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  };
}

/** NO_PROXY entries: `*`, a host or domain (`example.com` and `.example.com` match subdomains), `host:port`. */
export function bypassesProxy(url: URL, noProxy: string[]): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy.some((entry) => {
    if (entry === '*') return true;
    const [entryHost, entryPort] = entry.startsWith('[')
      ? [entry.slice(1, entry.indexOf(']')), entry.split(']:')[1]]
      : entry.split(':');
    if (entryPort && entryPort !== port) return false;
    const domain = entryHost.replace(/^\*?\./, '');
    return host === domain || host.endsWith(`.${domain}`);
  });
}

export interface AgentLimits {
  /** Open sockets of this instance, over all its agents. */
  instanceSockets?: number;
  /** The process-wide counter this instance's sockets also count against. */
  process?: SocketBudget;
}

export class ConnectionAgents {
  private readonly direct = {
    http: closeWhenIdle(new http.Agent(AGENT_OPTIONS)),
    https: closeWhenIdle(new https.Agent(AGENT_OPTIONS)),
  };
  private readonly proxied: { http?: http.Agent; https?: http.Agent };
  private readonly noProxy: string[];
  /** Sockets of this instance. */
  readonly sockets: SocketBudget;

  constructor(env: NodeJS.ProcessEnv = process.env, limits: AgentLimits = {}) {
    const proxy = readProxyEnv(env);
    this.noProxy = proxy.noProxy;
    this.proxied = {
      http: proxy.httpProxy ? closeWhenIdle(new HttpProxyAgent(proxy.httpProxy, AGENT_OPTIONS)) : undefined,
      https: proxy.httpsProxy ? closeWhenIdle(new HttpsProxyAgent(proxy.httpsProxy, AGENT_OPTIONS)) : undefined,
    };
    this.sockets = new SocketBudget(limits.instanceSockets ?? INSTANCE_SOCKETS, limits.process ?? processSockets);
    for (const agent of this.all()) this.sockets.watch(agent);
  }

  private all(): http.Agent[] {
    return [this.direct.http, this.direct.https, this.proxied.http, this.proxied.https].filter(
      (a): a is http.Agent => a !== undefined,
    );
  }

  /** The agent for a request to `url`: through the proxy unless NO_PROXY names the host. */
  for(url: URL): http.Agent {
    const scheme = url.protocol === 'https:' ? 'https' : 'http';
    const viaProxy = this.proxied[scheme];
    return viaProxy && !bypassesProxy(url, this.noProxy) ? viaProxy : this.direct[scheme];
  }

  destroy(): void {
    for (const agent of this.all()) {
      this.sockets.unwatch(agent);
      agent.destroy();
    }
  }
}
