// One redactor for every output of the backend (log lines, query errors, frames, health messages, resource
// answers). It knows the secrets of the live data source instances (each instance owns a scope and drops
// it when disposed) and of the process (ambient credentials), and masks each of them in the encodings an
// echoing server or an SDK message may use. Masking is one pass over the text: the forms of all secrets
// are indexed by their first four characters, so the cost does not grow with the number of secrets.

export const REDACTED = '[redacted]';

/** Shorter values would mask unrelated text; real secrets (keys, tokens, key ids) are much longer. */
export const MIN_SECRET_LENGTH = 4;

export interface SecretScope {
  /** Registers a secret (min length 4): configured keys, ambient/env creds, assumed/minted creds, access key ids. */
  add(value: string | undefined): void;
  /** Forgets every secret of this scope (instance disposed). */
  drop(): void;
}

export interface Redactor {
  /** Text with every live secret masked in its raw, JSON-escaped, URL-encoded and base64 forms, plus SigV4 patterns. */
  mask(text: string): string;
  /** A JSON-safe deep copy with secret-named keys replaced and every string masked. */
  maskValue(value: unknown): unknown;
  /** Headers safe to show: secret-named headers dropped, values masked. */
  maskHeaders(headers: Record<string, string>): Record<string, string>;
  /** A new scope owned by one data source instance (or 'process' for ambient credentials). */
  scope(owner: string): SecretScope;
  /** Number of live registered secrets (for tests and the soak script). */
  readonly size: number;
}

/** Keys (compared lower-case, without `-` and `_`) whose values are always redacted, at any depth. */
const SECRET_KEYS = new Set([
  'secretkey',
  'secretaccesskey',
  'sessiontoken',
  'accesskey',
  'accesskeyid',
  'password',
  'authorization',
  'proxyauthorization',
  'xamzsecuritytoken',
  'xamzcredential',
  'xamzsignature',
  'securetoken',
  'credentials',
  'decryptedsecurejsondata',
  'securejsondata',
  'token',
  'apikey',
  'cookie',
  'setcookie',
]);

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));
}

/** Header names never shown, whatever their value. */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-amz-security-token|x-amz-credential|x-amz-signature)$|token|secret|credential|password/i;

/**
 * SigV4 material that may slip into text even when its secret is not registered (a signature is derived,
 * never registered): header and presigned-URL credentials, signatures, tokens, and AWS access key ids.
 */
const SIGV4_PATTERN =
  /(Credential=)[^,\s&"'\\]+|(Signature=)[0-9a-f]+|(X-Amz-Security-Token(?:\\?["'])?\s*[=:]\s*(?:\\?["'])?)[^&\s"',\\]+|(Authorization(?:\\?["'])?\s*[=:]\s*(?:\\?["'])?\s*AWS4-HMAC-SHA256)[^\r\n"'\\]*/gi;
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g;

function maskPatterns(text: string): string {
  return text
    .replace(SIGV4_PATTERN, (_m, cred?: string, sig?: string, token?: string, auth?: string) => `${cred ?? sig ?? token ?? auth}${auth ? ' ' : ''}${REDACTED}`)
    .replace(ACCESS_KEY_ID, REDACTED);
}

const hex4 = (unit: number, upper: boolean): string => {
  const h = unit.toString(16).padStart(4, '0');
  return `\\u${upper ? h.toUpperCase() : h}`;
};

/** `\uXXXX` for every UTF-16 unit that is not an ASCII letter or digit (as some JSON encoders write). */
function unicodeEscaped(s: string, upper: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? s[i] : hex4(c, upper);
  }
  return out;
}

/** JSON string content with non-ASCII characters as `\uXXXX` (JSON.stringify keeps them raw). */
function asciiJson(s: string): string {
  return JSON.stringify(s).slice(1, -1).replace(/[\u007f-\uffff]/g, (ch) => hex4(ch.charCodeAt(0), false));
}

function base64Forms(bytes: Buffer): string[] {
  const out: string[] = [];
  for (const alphabet of ['base64', 'base64url'] as const) {
    const whole = bytes.toString(alphabet);
    out.push(whole, whole.replace(/=+$/, ''));
    // Inside a longer base64 text the secret starts at byte offset 0, 1 or 2 of a 3-byte group: the
    // characters that encode only the secret's bits are the same whatever surrounds it.
    for (let k = 0; k < 3; k++) {
      const shifted = Buffer.concat([Buffer.alloc(k), bytes]).toString(alphabet);
      out.push(shifted.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + bytes.length)) / 6)));
    }
  }
  return out;
}

/** Every text form in which `secret` is masked. */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const json = JSON.stringify(secret).slice(1, -1);
  forms.add(json);
  forms.add(json.replace(/\//g, '\\/'));
  forms.add(asciiJson(secret));
  forms.add(asciiJson(secret).replace(/\//g, '\\/'));
  forms.add(unicodeEscaped(secret, false));
  forms.add(unicodeEscaped(secret, true));
  const uri = encodeURIComponent(secret);
  forms.add(uri);
  forms.add(uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  forms.add(uri.replace(/%2F/g, '/'));
  forms.add(new URLSearchParams([['', secret]]).toString().slice(1));
  for (const f of base64Forms(Buffer.from(secret, 'utf8'))) forms.add(f);
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/** Key of the four characters at the start of a form: the low byte of each UTF-16 unit. */
function key4(text: string, at: number): number {
  return (((text.charCodeAt(at) & 255) << 24) | ((text.charCodeAt(at + 1) & 255) << 16) | ((text.charCodeAt(at + 2) & 255) << 8) | (text.charCodeAt(at + 3) & 255)) >>> 0;
}

const slot16 = (key: number): number => (key ^ (key >>> 16)) & 0xffff;

/** The forms of all live secrets, indexed by their first four characters; updated per secret, never rebuilt. */
class FormIndex {
  private readonly formRefs = new Map<string, number>();
  private readonly buckets = new Map<number, string[]>();
  /** A cheap first filter before the map lookup: how many indexed keys fall in each 16-bit slot. */
  private readonly slots = new Uint32Array(65536);

  get empty(): boolean {
    return this.formRefs.size === 0;
  }

  add(form: string): void {
    const refs = this.formRefs.get(form) ?? 0;
    this.formRefs.set(form, refs + 1);
    if (refs > 0) return;
    const key = key4(form, 0);
    const bucket = this.buckets.get(key);
    if (bucket) {
      bucket.push(form);
      // Longest first, so a longer form wins over its own prefix.
      bucket.sort((a, b) => b.length - a.length);
    } else {
      this.buckets.set(key, [form]);
    }
    this.slots[slot16(key)]++;
  }

  remove(form: string): void {
    const refs = this.formRefs.get(form);
    if (refs === undefined) return;
    if (refs > 1) {
      this.formRefs.set(form, refs - 1);
      return;
    }
    this.formRefs.delete(form);
    const key = key4(form, 0);
    const bucket = this.buckets.get(key);
    if (!bucket) return;
    const rest = bucket.filter((f) => f !== form);
    if (rest.length > 0) this.buckets.set(key, rest);
    else this.buckets.delete(key);
    this.slots[slot16(key)]--;
  }

  /** One pass: at each position, a rolling 4-character key, a slot check, and only then the candidates. */
  mask(text: string): string {
    if (this.empty || text.length < MIN_SECRET_LENGTH) return text;
    let out = '';
    let copied = 0;
    let key = 0;
    for (let i = 0; i < text.length; i++) {
      key = ((key << 8) | (text.charCodeAt(i) & 255)) >>> 0;
      const start = i - 3;
      if (start < copied) continue;
      if (this.slots[slot16(key)] === 0) continue;
      const bucket = this.buckets.get(key);
      if (!bucket) continue;
      for (const form of bucket) {
        if (text.startsWith(form, start)) {
          out += text.slice(copied, start) + REDACTED;
          copied = start + form.length;
          break;
        }
      }
    }
    return copied === 0 ? text : out + text.slice(copied);
  }
}

const MAX_DEPTH = 8;

export function createRedactor(): Redactor {
  const index = new FormIndex();
  /** Live secret values and how many scopes hold each. */
  const valueRefs = new Map<string, number>();

  const register = (value: string): void => {
    const refs = valueRefs.get(value) ?? 0;
    valueRefs.set(value, refs + 1);
    if (refs === 0) for (const form of secretForms(value)) index.add(form);
  };
  const unregister = (value: string): void => {
    const refs = valueRefs.get(value);
    if (refs === undefined) return;
    if (refs > 1) {
      valueRefs.set(value, refs - 1);
      return;
    }
    valueRefs.delete(value);
    for (const form of secretForms(value)) index.remove(form);
  };

  const mask = (text: string): string => maskPatterns(index.mask(text));

  const maskValue = (value: unknown, depth = 0): unknown => {
    if (typeof value === 'string') return mask(value);
    if (value === null || typeof value !== 'object') {
      if (typeof value === 'bigint') return value.toString();
      if (typeof value === 'function' || typeof value === 'symbol') return mask(String(value));
      return value;
    }
    if (depth >= MAX_DEPTH) return '[too deep]';
    if (value instanceof Error) return mask(value.message);
    if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
    if (Array.isArray(value)) return value.map((v) => maskValue(v, depth + 1));
    // A null-prototype copy: a `__proto__` key from user JSON stays a plain key.
    const out = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) {
      out[mask(k)] = isSecretKey(k) ? REDACTED : maskValue(v, depth + 1);
    }
    return out;
  };

  return {
    mask,
    maskValue: (value) => maskValue(value),
    maskHeaders(headers) {
      const out = Object.create(null) as Record<string, string>;
      for (const [name, value] of Object.entries(headers)) {
        if (SECRET_HEADER.test(name)) continue;
        out[name] = mask(String(value));
      }
      return out;
    },
    scope(owner) {
      void owner; // a label only: every call makes a new scope, so two instances never share one
      const own = new Set<string>();
      return {
        add(value) {
          if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || own.has(value)) return;
          own.add(value);
          register(value);
        },
        drop() {
          for (const value of own) unregister(value);
          own.clear();
        },
      };
    },
    get size() {
      return valueRefs.size;
    },
  };
}
