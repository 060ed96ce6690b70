// Connection agents of one data source instance: keep-alive sockets, and the Grafana server's outbound HTTP
// proxy from the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, as Go's http.ProxyFromEnvironment reads
// them for Grafana's own AWS data sources). https targets are tunnelled with CONNECT, so TLS and the
// SigV4 signature stay end to end; http targets are forwarded in absolute form.
import http from 'node:http';
import https from 'node:https';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';

const MAX_SOCKETS = 32;

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
    noProxy: (envValue(env, 'NO_PROXY') ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean),
  };
}

/** NO_PROXY entries: `*`, a host or domain (`example.com` and `.example.com` match subdomains), `host:port`. */
export function bypassesProxy(url: URL, noProxy: string[]): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy.some((entry) => {
    if (entry === '*') return true;
    const [entryHost, entryPort] = entry.startsWith('[') ? [entry.slice(1, entry.indexOf(']')), entry.split(']:')[1]] : entry.split(':');
    if (entryPort && entryPort !== port) return false;
    const domain = entryHost.replace(/^\*?\./, '');
    return host === domain || host.endsWith(`.${domain}`);
  });
}

export class ConnectionAgents {
  private readonly direct = {
    http: new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
    https: new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
  };
  private readonly proxied: { http?: http.Agent; https?: http.Agent };
  private readonly noProxy: string[];

  constructor(env: NodeJS.ProcessEnv = process.env) {
    const proxy = readProxyEnv(env);
    this.noProxy = proxy.noProxy;
    this.proxied = {
      http: proxy.httpProxy ? new HttpProxyAgent(proxy.httpProxy, { keepAlive: true, maxSockets: MAX_SOCKETS }) : undefined,
      https: proxy.httpsProxy ? new HttpsProxyAgent(proxy.httpsProxy, { keepAlive: true, maxSockets: MAX_SOCKETS }) : undefined,
    };
  }

  /** The agent for a request to `url`: through the proxy unless NO_PROXY names the host. */
  for(url: URL): http.Agent {
    const scheme = url.protocol === 'https:' ? 'https' : 'http';
    const viaProxy = this.proxied[scheme];
    return viaProxy && !bypassesProxy(url, this.noProxy) ? viaProxy : this.direct[scheme];
  }

  destroy(): void {
    for (const agent of [this.direct.http, this.direct.https, this.proxied.http, this.proxied.https]) agent?.destroy();
  }
}
