// Logging in hclog's JSON shape, one object per line on stderr: go-plugin's client parses these lines and
// Grafana re-logs them under the plugin's id at the same level. Secrets never reach a line: values under
// secret-looking keys are replaced, and so are values registered with `registerSecret`.

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

const LEVEL_RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

import { REDACTED, maskSecretValues } from './secrets';

export { REDACTED };

/** Keys (compared lower-case, without `-` and `_`) whose values are always redacted, at any depth. */
const SECRET_KEYS = new Set([
  'secretkey',
  'secretaccesskey',
  'sessiontoken',
  'accesskey',
  'accesskeyid',
  'password',
  'authorization',
  'xamzsecuritytoken',
  'xamzcredential',
  'securetoken',
  'credentials',
  'decryptedsecurejsondata',
  'securejsondata',
  'token',
  'apikey',
  'cookie',
]);

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));
}

/** Known secret values (e.g. a data source's secret key), masked wherever they appear in a log line. */
const secretValues = new Set<string>();

/** Registers a secret value so that no log line ever prints it, even inside a message. */
export function registerSecret(value: string | undefined): void {
  // Very short values would mask unrelated text; real secrets are long.
  if (value && value.length >= 8) secretValues.add(value);
}

/** `text` with registered secret values and SigV4 credentials/signatures replaced. */
export function maskText(text: string): string {
  const out = maskSecretValues(text, secretValues);
  // SigV4 Authorization header contents and presigned-URL credentials, should one slip into a message.
  return out
    .replace(/(Credential=)[^,\s&]+/g, `$1${REDACTED}`)
    .replace(/(Signature=)[0-9a-f]+/gi, `$1${REDACTED}`)
    .replace(/(X-Amz-Security-Token=)[^&\s]+/gi, `$1${REDACTED}`);
}

/** A JSON-safe copy of `value` with secrets replaced. Errors become their message. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[too deep]';
  if (typeof value === 'string') return maskText(value);
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'function' || typeof value === 'symbol') return String(value);
    return value;
  }
  if (value instanceof Error) return maskText(value.message);
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSecretKey(k) ? REDACTED : redact(v, depth + 1);
  }
  return out;
}

export type LogFields = Record<string, unknown>;

export interface Logger {
  trace(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose lines carry `@module` `<parent>.<name>` and the given fields. */
  child(name: string, fields?: LogFields): Logger;
}

export interface LoggerOptions {
  module?: string;
  level?: LogLevel;
  write?: (line: string) => void;
  now?: () => Date;
}

function parseLevel(text: string | undefined): LogLevel | undefined {
  const t = (text ?? '').toLowerCase();
  return t in LEVEL_RANK ? (t as LogLevel) : undefined;
}

/** hclog's timestamp layout: 2006-01-02T15:04:05.000000Z07:00 (microseconds). */
function hclogTimestamp(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function createLogger(options: LoggerOptions = {}, baseFields: LogFields = {}): Logger {
  const module = options.module ?? 'sigil';
  const minRank = LEVEL_RANK[options.level ?? parseLevel(process.env.SIGIL_LOG_LEVEL) ?? 'debug'];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? (() => new Date());

  const emit = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (LEVEL_RANK[level] < minRank) return;
    const entry: Record<string, unknown> = {
      '@level': level,
      '@message': maskText(message),
      '@module': module,
      '@timestamp': hclogTimestamp(now()),
    };
    const extra = redact({ ...baseFields, ...fields }) as Record<string, unknown>;
    for (const [k, v] of Object.entries(extra)) {
      if (!k.startsWith('@')) entry[k] = v;
    }
    let line: string;
    try {
      line = JSON.stringify(entry);
    } catch {
      line = JSON.stringify({ ...entry, fields: '[unserialisable]' });
    }
    write(`${line}\n`);
  };

  return {
    trace: (m, f) => emit('trace', m, f),
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (name, fields) => createLogger({ ...options, module: `${module}.${name}` }, { ...baseFields, ...fields }),
  };
}

/** The process-wide logger. */
export const logger: Logger = createLogger();
