// Defence in depth: whatever an SDK or a server puts in an error, the data source's secrets never reach
// a message that leaves the backend.
import type { Settings } from '../settings/types';
import { maskSecretValues } from '../secrets';

export function redact(message: string, settings: Pick<Settings, 'secretKey' | 'sessionToken'>, extra: Array<string | undefined> = []): string {
  return maskSecretValues(message, [settings.secretKey, settings.sessionToken, ...extra], 4);
}
