import { checkHandshakeEnv, handshakeLine, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from './handshake';

const cookie = { [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE };

describe('checkHandshakeEnv', () => {
  it('uses the magic cookie grafana-plugin-sdk-go sets', () => {
    expect(MAGIC_COOKIE_KEY).toBe('grafana_plugin_type');
    expect(MAGIC_COOKIE_VALUE).toBe('datasource');
  });

  it('refuses to run without the magic cookie, saying what the executable is', () => {
    const check = checkHandshakeEnv({});
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.message).toMatch(/not meant to be run directly/);
      expect(check.message).toContain('grafana_plugin_type=datasource');
    }
  });

  it('refuses a wrong cookie value', () => {
    expect(checkHandshakeEnv({ [MAGIC_COOKIE_KEY]: 'app' }).ok).toBe(false);
  });

  it('listens on a unix socket in the temp folder by default, as go-plugin does, with a loopback port to fall back on', () => {
    const check = checkHandshakeEnv(cookie, 'linux', '/tmp');
    expect(check).toEqual({
      ok: true,
      listen: {
        kind: 'unix',
        path: expect.stringMatching(/^\/tmp\/plugin[0-9a-f]{12}$/),
        fallback: { kind: 'tcp', host: '127.0.0.1', minPort: 0, maxPort: 0 },
      },
    });
    expect(checkHandshakeEnv(cookie, 'darwin', '/var/folders/x/T').ok).toBe(true);
  });

  it('listens on an ephemeral 127.0.0.1 port on Windows', () => {
    expect(checkHandshakeEnv(cookie, 'win32')).toEqual({
      ok: true,
      listen: { kind: 'tcp', host: '127.0.0.1', minPort: 0, maxPort: 0 },
    });
  });

  it('accepts protocol version 2 among the offered versions and refuses when it is not offered', () => {
    expect(checkHandshakeEnv({ ...cookie, PLUGIN_PROTOCOL_VERSIONS: '1,2' }).ok).toBe(true);
    expect(checkHandshakeEnv({ ...cookie, PLUGIN_PROTOCOL_VERSIONS: '2' }).ok).toBe(true);
    const refused = checkHandshakeEnv({ ...cookie, PLUGIN_PROTOCOL_VERSIONS: '1,3' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.message).toMatch(/protocol version\(s\) 1,3.*only version 2/);
  });

  it('honours the port range go-plugin passes', () => {
    const check = checkHandshakeEnv({ ...cookie, PLUGIN_MIN_PORT: '10000', PLUGIN_MAX_PORT: '25000' }, 'win32');
    expect(check).toEqual({ ok: true, listen: { kind: 'tcp', host: '127.0.0.1', minPort: 10000, maxPort: 25000 } });
    const unix = checkHandshakeEnv({ ...cookie, PLUGIN_MIN_PORT: '10000', PLUGIN_MAX_PORT: '25000' }, 'linux');
    expect(unix.ok && unix.listen.kind === 'unix' && unix.listen.fallback).toEqual(check.ok && check.listen);
    // A nonsensical range falls back to an ephemeral port rather than failing.
    const bad = checkHandshakeEnv({ ...cookie, PLUGIN_MIN_PORT: '9', PLUGIN_MAX_PORT: '3' }, 'win32');
    expect(bad.ok && bad.listen).toEqual({ kind: 'tcp', host: '127.0.0.1', minPort: 0, maxPort: 0 });
  });

  it('uses a unix socket in PLUGIN_UNIX_SOCKET_DIR', () => {
    const check = checkHandshakeEnv({ ...cookie, PLUGIN_UNIX_SOCKET_DIR: '/tmp/sock' }, 'linux', '/elsewhere');
    expect(check.ok && check.listen.kind === 'unix' && check.listen.path).toMatch(/^\/tmp\/sock\/plugin[0-9a-f]{12}$/);
  });

  it('refuses AutoMTLS, which it cannot do', () => {
    expect(checkHandshakeEnv({ ...cookie, PLUGIN_CLIENT_CERT: 'PEM' }).ok).toBe(false);
  });
});

describe('handshakeLine', () => {
  it('prints core version 1, app version 2, the address and grpc', () => {
    expect(handshakeLine({ kind: 'tcp', host: '127.0.0.1', port: 43210 })).toBe('1|2|tcp|127.0.0.1:43210|grpc\n');
    expect(handshakeLine({ kind: 'unix', path: '/tmp/s/plugin1' })).toBe('1|2|unix|/tmp/s/plugin1|grpc\n');
  });
});
