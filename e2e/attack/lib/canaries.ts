// Canaries: servers nobody may reach. Other loopback addresses (127.0.0.2..9, ::1) and other ports of
// 127.0.0.1, plus an outbound-proxy canary set as HTTP(S)_PROXY of the plugin, so that anything aimed
// beyond 127.0.0.1 (a fail-open default to AWS's real STS, an IP spelling of another host) lands here and is
// counted, never on the network.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Canary {
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

export class CanaryField {
  readonly hits: string[] = [];
  private readonly servers: Array<http.Server | net.Server> = [];
  /** Canaries on 127.0.0.2..9 (random ports) and two other ports of 127.0.0.1. */
  readonly canaries: Canary[] = [];
  proxyUrl = '';

  private async listen(host: string, port: number, name: string): Promise<Canary | undefined> {
    const server = http.createServer((req, res) => {
      this.hits.push(`${name}: ${req.method} ${req.url} (Host ${req.headers.host})`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('[{"canary":"reached"}]');
    });
    server.on('connect', (req, socket) => {
      this.hits.push(`${name}: CONNECT ${req.url}`);
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
    } catch {
      return undefined; // e.g. no IPv6 loopback on this machine
    }
    this.servers.push(server);
    const a = server.address() as AddressInfo;
    const h = host.includes(':') ? `[${host}]` : host;
    return {
      url: `http://${h}:${a.port}`,
      host,
      port: a.port,
      close: () => new Promise((r) => server.close(() => r())),
    };
  }

  async start(): Promise<void> {
    for (let i = 2; i <= 9; i++) {
      const c = await this.listen(`127.0.0.${i}`, 0, `canary 127.0.0.${i}`);
      if (c) this.canaries.push(c);
    }
    for (let i = 0; i < 2; i++) {
      const c = await this.listen('127.0.0.1', 0, 'canary 127.0.0.1 other port');
      if (c) this.canaries.push(c);
    }
    const proxy = await this.listen('127.0.0.1', 0, 'outbound proxy canary');
    if (!proxy) throw new Error('could not start the proxy canary');
    this.proxyUrl = proxy.url;
  }

  /** Same-port canaries beside one allowed server: 127.0.0.2/3 and ::1 on its port. */
  async besides(port: number): Promise<Canary[]> {
    const out: Canary[] = [];
    for (const host of ['127.0.0.2', '127.0.0.3', '::1']) {
      const c = await this.listen(host, port, `canary ${host} same port`);
      if (c) out.push(c);
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (s) =>
          new Promise<void>((r) => {
            if (s instanceof http.Server) s.closeAllConnections();
            s.close(() => r());
          }),
      ),
    );
  }
}
