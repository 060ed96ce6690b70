import http from 'node:http';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { ConnectionAgents, bypassesProxy, readProxyEnv } from './agents';

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
    const agents = new ConnectionAgents({ https_proxy: 'http://proxy.internal:3128', HTTP_PROXY: 'http://proxy.internal:3128', NO_PROXY: '169.254.169.254,.internal.example' });
    expect(agents.for(new URL('https://monitoring.eu-west-1.amazonaws.com/'))).toBeInstanceOf(HttpsProxyAgent);
    expect(agents.for(new URL('http://emulator.local:4566/'))).toBeInstanceOf(HttpProxyAgent);
    expect(agents.for(new URL('https://api.internal.example/'))).not.toBeInstanceOf(HttpsProxyAgent);
    agents.destroy();
  });
});
