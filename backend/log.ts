// Logging in hclog's JSON shape, one object per line on stderr: go-plugin's client parses these lines and
// Grafana re-logs them under the plugin's id at the same level. Secrets never reach a line: the message
// and every field go through the redactor (secret-named keys replaced, live secrets and SigV4 material
// masked).
import { createRedactor, type Redactor } from './redaction';
import { PLUGIN_ID } from './version';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

const LEVEL_RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

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
  /** The process's one redactor (a fresh one, knowing no secrets, when absent: tests). */
  redactor?: Redactor;
  module?: string;
  level?: LogLevel;
  write?: (line: string) => void;
  now?: () => Date;
}

/** Level names as Grafana's `[log]` settings spell them, plus hclog's. */
const LEVEL_ALIASES: Record<string, LogLevel> = {
  trace: 'trace',
  debug: 'debug',
  dbug: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  eror: 'error',
  crit: 'error',
  critical: 'error',
};

function parseLevel(text: string | undefined): LogLevel | undefined {
  const t = (text ?? '').trim().toLowerCase();
  return Object.hasOwn(LEVEL_ALIASES, t) ? LEVEL_ALIASES[t] : undefined;
}

/**
 * The level this process writes at, from the environment Grafana starts it with (go-plugin passes Grafana's
 * own environment on unless the plugin's `skip_host_env_var` is set). Grafana re-logs each line under the
 * logger `plugin.<id>` and filters it with that logger's level, so the plugin decides as Grafana would:
 * SIGIL_LOG_LEVEL (an explicit override) first, then this plugin's entry in GF_LOG_FILTERS
 * (`plugin.sigil-awsapi-datasource:debug`), then GF_LOG_LEVEL; with none of them (the settings may live in
 * grafana.ini, which the plugin cannot see) every line is written, as Grafana's Go SDK does, and Grafana filters.
 */
export function logLevelFromEnv(env: NodeJS.ProcessEnv, pluginId = PLUGIN_ID): LogLevel {
  const own = parseLevel(env.SIGIL_LOG_LEVEL);
  if (own) return own;
  const logger = `plugin.${pluginId}`;
  for (const entry of (env.GF_LOG_FILTERS ?? '').split(/[\s,]+/)) {
    const at = entry.lastIndexOf(':');
    if (at > 0 && entry.slice(0, at) === logger) {
      const level = parseLevel(entry.slice(at + 1));
      if (level) return level;
    }
  }
  return parseLevel(env.GF_LOG_LEVEL) ?? 'debug';
}

/** hclog's timestamp layout: 2006-01-02T15:04:05.000000Z07:00 (microseconds). */
function hclogTimestamp(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function createLogger(options: LoggerOptions = {}, baseFields: LogFields = {}): Logger {
  const module = options.module ?? 'sigil';
  const minRank = LEVEL_RANK[options.level ?? logLevelFromEnv(process.env)];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? (() => new Date());
  const redactor = options.redactor ?? createRedactor();

  const emit = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (LEVEL_RANK[level] < minRank) return;
    const entry: Record<string, unknown> = {
      '@level': level,
      '@message': redactor.mask(message),
      '@module': module,
      '@timestamp': hclogTimestamp(now()),
    };
    const extra = redactor.maskValue({ ...baseFields, ...fields }) as Record<string, unknown>;
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
    child: (name, fields) =>
      createLogger({ ...options, redactor, module: `${module}.${name}` }, { ...baseFields, ...fields }),
  };
}
