// Logging in hclog's JSON shape, one object per line on stderr: go-plugin's client parses these lines and
// Grafana re-logs them under the plugin's id at the same level. Secrets never reach a line: the message
// and every field go through the redactor (secret-named keys replaced, live secrets and SigV4 material
// masked).
import { createRedactor, type Redactor } from './redaction';

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
