// What the process needs before the handshake: the one redactor (with the process scope for ambient
// credentials) and the logger that masks through it. Kept apart from ./plugin so that main.ts can serve the
// protocol without loading the handlers, the query engine and the AWS SDK first.
import { createLogger, logLevelFromEnv, type Logger } from './log';
import { createRedactor, type Redactor, type SecretScope } from './redaction';

export interface PluginCore {
  redactor: Redactor;
  /** The process's own secrets (ambient AWS credentials). */
  ambient: SecretScope;
  log: Logger;
}

/** Environment credentials the default chain may use: masked in every output from the start. */
const AMBIENT_SECRET_VARS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
];

export function createPluginCore(env: NodeJS.ProcessEnv = process.env): PluginCore {
  const redactor = createRedactor();
  const ambient = redactor.scope('process');
  for (const name of AMBIENT_SECRET_VARS) ambient.add(env[name]);
  return { redactor, ambient, log: createLogger({ redactor, level: logLevelFromEnv(env) }) };
}
