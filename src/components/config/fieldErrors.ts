// The backend's settings rules (src/shared/validation.ts), mapped onto the editor's fields.
import { validateJsonData } from '../../shared/validation';
import type { SigilSettings } from './optionsUpdate';
import type { AwsServerOptions } from './serverOptions';

/** Message per field key: jsonData/secureJsonData keys, and `allowedUrls[i]` per list entry. */
export type FieldErrors = Record<string, string | undefined>;

/** Which secrets hold a value: stored earlier (secureJsonFields) or typed in now (secureJsonData). */
export function secretsSet(options: SigilSettings): Record<string, boolean> {
  const set: Record<string, boolean> = {};
  for (const [key, stored] of Object.entries(options.secureJsonFields ?? {})) {
    set[key] = Boolean(stored);
  }
  for (const [key, value] of Object.entries(options.secureJsonData ?? {})) {
    if (typeof value === 'string' && value !== '') {
      set[key] = true;
    }
  }
  return set;
}

export function fieldErrors(options: SigilSettings, server: AwsServerOptions): FieldErrors {
  const errors: FieldErrors = {};
  for (const problem of validateJsonData(options.jsonData ?? {}, secretsSet(options), server)) {
    errors[problem.field] ??= problem.message;
  }
  return errors;
}

export function allowedUrlErrors(errors: FieldErrors, count: number): Array<string | undefined> {
  return Array.from({ length: count }, (_, i) => errors[`allowedUrls[${i}]`]);
}
