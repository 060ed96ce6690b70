// The go-plugin handshake, as Grafana's plugin client (hashicorp/go-plugin with grafana-plugin-sdk-go's
// handshake config) expects it: the parent sets a magic cookie and the protocol versions it speaks; the
// plugin answers with one stdout line `CORE|APP|NETWORK|ADDRESS|PROTOCOL`, then serves gRPC there.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** grafana-plugin-sdk-go backend/grpcplugin/handshake.go. */
export const MAGIC_COOKIE_KEY = 'grafana_plugin_type';
export const MAGIC_COOKIE_VALUE = 'datasource';
/** Grafana's plugin protocol version (pluginv2). */
export const APP_PROTOCOL_VERSION = 2;
/** go-plugin's core protocol version. */
export const CORE_PROTOCOL_VERSION = 1;

export type TcpTarget = { kind: 'tcp'; host: '127.0.0.1'; minPort: number; maxPort: number };

/** A unix socket, and the TCP port to use instead if the socket cannot be made (a read-only or too long TMPDIR). */
export type ListenTarget = TcpTarget | { kind: 'unix'; path: string; fallback: TcpTarget };

export type HandshakeCheck = { ok: true; listen: ListenTarget } | { ok: false; message: string };

type Env = Record<string, string | undefined>;

/** Decides from the environment whether and where to serve; a refusal carries the message to print. */
export function checkHandshakeEnv(
  env: Env,
  platform: NodeJS.Platform = process.platform,
  tempDir: string = tmpdir(),
): HandshakeCheck {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    return {
      ok: false,
      message:
        'This executable is a Grafana backend plugin (sigil-awsapi-datasource) and is not meant to be run directly.\n' +
        "Grafana starts it from the plugin folder. To run Grafana with it, put dist/ in Grafana's plugins directory\n" +
        'and allow the unsigned plugin (GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS=sigil-awsapi-datasource).\n' +
        `(missing environment ${MAGIC_COOKIE_KEY}=${MAGIC_COOKIE_VALUE})`,
    };
  }
  const offered = (env.PLUGIN_PROTOCOL_VERSIONS ?? '').trim();
  if (offered !== '') {
    const versions = offered.split(',').map((v) => Number(v.trim()));
    if (!versions.includes(APP_PROTOCOL_VERSION)) {
      return {
        ok: false,
        message:
          `Grafana offers plugin protocol version(s) ${offered}, but this plugin speaks only version ${APP_PROTOCOL_VERSION}. ` +
          'Use a Grafana version that supports protocol version 2 (Grafana 7 or newer).',
      };
    }
  }
  if (env.PLUGIN_CLIENT_CERT) {
    return {
      ok: false,
      message:
        'The plugin host asked for go-plugin AutoMTLS (PLUGIN_CLIENT_CERT), which this plugin does not support; Grafana does not use it.',
    };
  }
  const min = Number(env.PLUGIN_MIN_PORT ?? 0);
  const max = Number(env.PLUGIN_MAX_PORT ?? 0);
  const tcp: TcpTarget =
    Number.isInteger(min) && Number.isInteger(max) && min > 0 && max >= min && max <= 65535
      ? { kind: 'tcp', host: '127.0.0.1', minPort: min, maxPort: max }
      : { kind: 'tcp', host: '127.0.0.1', minPort: 0, maxPort: 0 };
  // As go-plugin's own servers: a unix socket everywhere but Windows, in PLUGIN_UNIX_SOCKET_DIR or the temp
  // folder. Only the plugin's user can connect to it, while any local process can reach a loopback port.
  if (platform === 'win32') return { ok: true, listen: tcp };
  const socketDir = env.PLUGIN_UNIX_SOCKET_DIR || tempDir;
  return {
    ok: true,
    listen: { kind: 'unix', path: join(socketDir, `plugin${randomBytes(6).toString('hex')}`), fallback: tcp },
  };
}

export type BoundAddress = { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string };

/** The one line go-plugin's client reads from stdout, newline included. */
export function handshakeLine(address: BoundAddress): string {
  const network = address.kind === 'tcp' ? `tcp|${address.host}:${address.port}` : `unix|${address.path}`;
  return `${CORE_PROTOCOL_VERSION}|${APP_PROTOCOL_VERSION}|${network}|grpc\n`;
}
