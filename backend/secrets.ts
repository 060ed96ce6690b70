// Masking known secret values (a data source's secret key, session token, ...) in text that leaves the
// backend: log lines, error messages, answers shown in the editor.

export const REDACTED = '[redacted]';

/**
 * `text` with every occurrence of the given secrets replaced. Values shorter than `minLength` are skipped:
 * they would mask unrelated text, and real secrets are long.
 */
export function maskSecretValues(text: string, secrets: Iterable<string | undefined>, minLength = 8): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= minLength && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}
