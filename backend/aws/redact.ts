// Defence in depth: whatever an SDK or a server puts in an error, the data source's secrets never reach
// a message that leaves the backend.
import type { Settings } from '../settings/types';

export function redact(message: string, settings: Pick<Settings, 'secretKey' | 'sessionToken'>, extra: Array<string | undefined> = []): string {
  let out = message;
  for (const secret of [settings.secretKey, settings.sessionToken, ...extra]) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}
