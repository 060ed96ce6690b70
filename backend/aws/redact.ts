// Defence in depth: whatever an SDK or a server puts in an error, the data source's configured secrets
// never reach a message built here, even before the instance's redactor masks the output.
import type { Settings } from '../settings/types';

const REDACTED = '[redacted]';

export function redact(message: string, settings: Pick<Settings, 'secretKey' | 'sessionToken'>, extra: Array<string | undefined> = []): string {
  let out = message;
  for (const secret of [settings.secretKey, settings.sessionToken, ...extra]) {
    if (!secret || secret.length < 4) continue;
    for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
  }
  return out;
}
