// The backend's settings rules (src/shared/validation.ts), mapped onto the editor's fields, and shown only
// where the admin can act on them: for fields touched since the editor opened, for values that were already
// stored (a saved value that is wrong is news), and for every field once the settings were saved.
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

/** Every problem, the first one per field (a field shows one message). */
export function fieldErrors(options: SigilSettings, server: AwsServerOptions): FieldErrors {
  const errors: FieldErrors = {};
  for (const problem of validateJsonData(options.jsonData ?? {}, secretsSet(options), server)) {
    errors[problem.field] ??= problem.message;
  }
  return errors;
}

/** The field keys that hold a value in stored settings, `allowedUrls[i]` included. */
export function filledFields(options: SigilSettings): Set<string> {
  const filled = new Set<string>();
  for (const [key, value] of Object.entries(options.jsonData ?? {})) {
    if (Array.isArray(value)) {
      value.forEach((v, i) => v !== '' && filled.add(`${key}[${i}]`));
      filled.add(key);
    } else if (value !== undefined && value !== null && value !== '') {
      filled.add(key);
    }
  }
  for (const [key, stored] of Object.entries(options.secureJsonFields ?? {})) {
    if (stored) filled.add(key);
  }
  return filled;
}

/** The errors the admin should see now. */
export function visibleErrors(errors: FieldErrors, shown: (field: string) => boolean): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([field]) => shown(field)));
}

export function allowedUrlErrors(errors: FieldErrors, count: number): Array<string | undefined> {
  return Array.from({ length: count }, (_, i) => errors[`allowedUrls[${i}]`]);
}
