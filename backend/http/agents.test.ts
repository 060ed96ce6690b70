import http from 'node:http';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import type { AddressInfo } from 'node:net';
import { ConnectionAgents, IDLE_SOCKET_MS, SocketBudget, bypassesProxy, readProxyEnv } from './agents';
import { systemClock } from '../clock';
import { rejection } from './layers.testing';
import { createTransport } from './transport';

describe('NO_PROXY', () => {
  const cases: Array<[string, string, boolean]> = [
    ['https://monitoring.us-east-1.amazonaws.com/', 'amazonaws.com', true],
    ['https://monitoring.us-east-1.amazonaws.com/', '.amazonaws.com', true],
    ['https://monitoring.us-east-1.amazonaws.com/', '*.amazonaws.com', true],
    ['https://notamazonaws.com/', 'amazonaws.com', false],
    ['http://127.0.0.1:5000/', '127.0.0.1', true],
    ['http://127.0.0.1:5000/', '127.0.0.1:5000', true],
    ['http://127.0.0.1:5000/', '127.0.0.1:6000', false],
    ['https://sts.amazonaws.com/', 'sts.amazonaws.com:443', true],
    ['http://[::1]:8080/', '[::1]:8080', true],
    ['https://example.com/', '*', true],
    ['https://example.com/', 'other.com, internal', false],
  ];
  it.each(cases)('%s with NO_PROXY=%s bypasses: %s', (url, noProxy, expected) => {
    expect(bypassesProxy(new URL(url), readProxyEnv({ NO_PROXY: noProxy }).noProxy)).toBe(expected);
  });
});

describe('ConnectionAgents', () => {
  it('goes direct without proxy variables, with keep-alive agents', () => {
    const agents = new ConnectionAgents({});
    const a = agents.for(new URL('https://sts.amazonaws.com/'));
    expect(a).not.toBeInstanceOf(HttpsProxyAgent);
    expect((a as http.Agent & { keepAlive: boolean }).keepAlive).toBe(true);
    agents.destroy();
  });

  it('tunnels https through HTTPS_PROXY and forwards http through HTTP_PROXY, except NO_PROXY hosts', () => {
    const agents = new ConnectionAgents({
      https_proxy: 'http://proxy.internal:3128',
      HTTP_PROXY: 'http://proxy.internal:3128',
      NO_PROXY: '169.254.169.254,.internal.example',
    });
    expect(agents.for(new URL('https://monitoring.eu-west-1.amazonaws.com/'))).toBeInstanceOf(HttpsProxyAgent);
    expect(agents.for(new URL('http://emulator.local:4566/'))).toBeInstanceOf(HttpProxyAgent);
    expect(agents.for(new URL('https://api.internal.example/'))).not.toBeInstanceOf(HttpsProxyAgent);
    agents.destroy();
  });
});

describe('socket bounds', () => {
  const servers: http.Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  async function holdingServer() {
    const held: http.ServerResponse[] = [];
    let wake: (() => void) | undefined;
    const server = http.createServer((_q, s) => {
      held.push(s);
      wake?.();
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    return {
      url,
      held,
      arrived: async (n: number) => {
        while (held.length < n) await new Promise<void>((r) => (wake = r));
      },
    };
  }

  it('closes kept-alive sockets after an idle time below load balancers idle timeouts, only while pooled', async () => {
    expect(IDLE_SOCKET_MS).toBeLessThan(60_000);
    const agents = new ConnectionAgents({});
    const send = createTransport({
      agentFor: (u) => agents.for(u),
      timeoutMs: 5000,
      maxResponseBytes: 1000,
      clock: systemClock,
    });
    const srv = await holdingServer();
    try {
      const agent = agents.for(new URL(srv.url));
      const first = send({ method: 'GET', url: srv.url });
      await srv.arrived(1);
      const [busy] = Object.values(agent.sockets).flat();
      expect(busy?.timeout ?? 0).toBe(0); // no timer on a socket in use
      srv.held[0].end('ok');
      await first;
      const [pooled] = Object.values(agent.freeSockets).flat();
      expect(pooled?.timeout).toBe(IDLE_SOCKET_MS);
      // Its timer firing closes it (Node's agent destroys a pooled socket on timeout).
      const closed = new Promise<void>((r) => pooled!.once('close', () => r()));
      pooled!.emit('timeout');
      await closed;
      expect(Object.values(agent.freeSockets).flat()).toHaveLength(0);
      expect(agents.sockets.size).toBe(0);
      // A reused socket has its idle timer cleared while in use.
      const again = send({ method: 'GET', url: srv.url });
      await srv.arrived(2);
      srv.held[1].end('ok');
      await again;
      const second = send({ method: 'GET', url: srv.url });
      await srv.arrived(3);
      expect(Object.values(agent.sockets).flat()[0]?.timeout ?? 0).toBe(0);
      srv.held[2].end('ok');
      await second;
    } finally {
      agents.destroy();
    }
  });

  it('bounds the open sockets of an instance; at the bound idle ones close first, busy ones make a clear error', async () => {
    const processBudget = new SocketBudget(100);
    const agents = new ConnectionAgents({}, { instanceSockets: 2, process: processBudget });
    const send = createTransport({
      agentFor: (u) => agents.for(u),
      timeoutMs: 5000,
      maxResponseBytes: 1000,
      clock: systemClock,
    });
    const one = await holdingServer();
    const two = await holdingServer();
    try {
      const first = [send({ method: 'GET', url: one.url }), send({ method: 'GET', url: `${one.url}b` })];
      await one.arrived(2);
      expect(agents.sockets.size).toBe(2);
      expect(processBudget.size).toBe(2);
      const err = await rejection(send({ method: 'GET', url: two.url }));
      expect(err.kind).toBe('network');
      expect(err.message).toMatch(/too many open sockets \(2 for this data source, all busy\)/);
      for (const s of one.held) s.end('ok');
      await Promise.all(first);
      // Both sockets are now idle in the pool: a request elsewhere closes one of them and goes through.
      const third = send({ method: 'GET', url: two.url });
      await two.arrived(1);
      two.held[0].end('ok');
      expect((await third).body.toString()).toBe('ok');
      expect(agents.sockets.size).toBeLessThanOrEqual(2);
    } finally {
      agents.destroy();
    }
  });

  it('bounds the open sockets of the process across instances', async () => {
    const processBudget = new SocketBudget(1);
    const a = new ConnectionAgents({}, { process: processBudget });
    const b = new ConnectionAgents({}, { process: processBudget });
    const srv = await holdingServer();
    const sendA = createTransport({
      agentFor: (u) => a.for(u),
      timeoutMs: 5000,
      maxResponseBytes: 1000,
      clock: systemClock,
    });
    const sendB = createTransport({
      agentFor: (u) => b.for(u),
      timeoutMs: 5000,
      maxResponseBytes: 1000,
      clock: systemClock,
    });
    try {
      const busy = sendA({ method: 'GET', url: srv.url });
      await srv.arrived(1);
      const err = await rejection(sendB({ method: 'GET', url: srv.url }));
      expect(err.message).toMatch(/too many open sockets \(1 in the plugin process, all busy\)/);
      srv.held[0].end('ok');
      await busy;
    } finally {
      a.destroy();
      b.destroy();
    }
  });
});
