// One redactor for every output of the backend (log lines, query errors, frames, health messages, resource
// answers). It knows the secrets of the live data source instances (each instance owns a scope and drops
// it when disposed) and of the process (ambient credentials), and masks each of them in the encodings an
// echoing server or an SDK message may use. Masking is one pass over the text: the forms of all secrets
// are indexed by their leading 4-grams, so the cost does not grow with the number of secrets.

export const REDACTED = '[redacted]';

/** Shorter values would mask unrelated text; real secrets (keys, tokens, key ids) are much longer. */
export const MIN_SECRET_LENGTH = 4;

export interface SecretScope {
  /** Registers a secret (min length 4): configured keys, ambient/env creds, assumed/minted creds, access key ids. */
  add(value: string | undefined): void;
  /** Forgets every secret of this scope (instance disposed). */
  drop(): void;
  /** The raw secrets of this scope, for a query worker that masks the answer with its own redactor. */
  values(): string[];
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
const SECRET_HEADER =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-amz-security-token|x-amz-credential|x-amz-signature)$|token|secret|credential|password/i;

/**
 * SigV4 material that may slip into text even when its secret is not registered (a signature is derived,
 * never registered): header and presigned-URL credentials, signatures, tokens, and AWS access key ids.
 * Each alternative starts with a literal (`Credential=` and `x-amz-credential=` both contain
 * `redential=`), which keeps this one regular expression fast on large answers.
 */
const SIGV4_PATTERN =
  /(redential=)(?!\*\*\*\*|\[redacted\])[^/,\s&"'\\]+|(ignature=)[0-9a-fA-F]+|(ecurity-[Tt]oken(?:\\?["'])?\s*[=:]\s*(?:\\?["'])?)[^&\s"',\\]+|(?:AKIA|ASIA)[A-Z0-9]{16}/g;

/**
 * A credential keeps its scope (`/20260101/us-east-1/sts/aws4_request`): date, region and service are what a
 * SigV4 failure is debugged with, and none is secret; the access key id before it and the signature are masked.
 */
function maskPatterns(text: string): string {
  return text.replace(SIGV4_PATTERN, (_m, cred?: string, sig?: string, token?: string) => {
    const kept = cred ?? sig ?? token;
    return kept === undefined ? REDACTED : `${kept}${REDACTED}`;
  });
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
function asciiJson(json: string): string {
  return /[\u007f-\uffff]/.test(json) ? json.replace(/[\u007f-\uffff]/g, (ch) => hex4(ch.charCodeAt(0), false)) : json;
}

function base64Forms(bytes: Buffer): string[] {
  const out: string[] = [];
  const padded = Buffer.alloc(bytes.length + 2);
  for (let k = 0; k < 3; k++) {
    // Inside a longer base64 text the secret starts at byte offset 0, 1 or 2 of a 3-byte group: the
    // characters that encode only the secret's bits are the same whatever surrounds it.
    padded.fill(0, 0, k);
    bytes.copy(padded, k);
    const shifted = padded.subarray(0, k + bytes.length).toString('base64');
    const core = shifted.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + bytes.length)) / 6));
    if (k === 0) out.push(shifted, shifted.replace(/=+$/, ''));
    out.push(core);
  }
  // base64url: the same characters with - and _ for + and /, no padding.
  return [...out, ...out.map((f) => f.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''))];
}

/** application/x-www-form-urlencoded, as URLSearchParams writes it. */
function formEncoded(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Every text form in which `secret` is masked. */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const json = JSON.stringify(secret).slice(1, -1);
  forms.add(json);
  forms.add(json.replace(/\//g, '\\/'));
  forms.add(asciiJson(json));
  forms.add(asciiJson(json).replace(/\//g, '\\/'));
  // JSON inside a JSON string (an API answering a document as a string field): escaped twice.
  forms.add(JSON.stringify(json).slice(1, -1));
  forms.add(JSON.stringify(json.replace(/\//g, '\\/')).slice(1, -1));
  forms.add(unicodeEscaped(secret, false));
  forms.add(unicodeEscaped(secret, true));
  const uri = encodeURIComponent(secret);
  forms.add(uri);
  forms.add(uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  forms.add(uri.replace(/%2F/g, '/'));
  forms.add(formEncoded(secret));
  for (const f of base64Forms(Buffer.from(secret, 'utf8'))) forms.add(f);
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/** Key of the four characters at `at`: the low byte of each UTF-16 unit. */
function key4(text: string, at: number): number {
  return (
    (((text.charCodeAt(at) & 255) << 24) |
      ((text.charCodeAt(at + 1) & 255) << 16) |
      ((text.charCodeAt(at + 2) & 255) << 8) |
      (text.charCodeAt(at + 3) & 255)) >>>
    0
  );
}

const slot16 = (key: number): number => (key ^ (key >>> 16)) & 0xffff;

/** Shared by every index that never held a secret (a redactor costs nothing until it does). */
const EMPTY_SLOTS = new Uint32Array(65536);

/** Largest scan step; each form is indexed by its 4-grams at offsets 0 .. MAX_STEP - 1. */
const MAX_STEP = 16;

interface Entry {
  form: string;
  /** Where in the form this 4-gram starts. */
  offset: number;
}

/**
 * The forms of all live secrets, indexed by the 4-grams at their first offsets (Wu-Manber style); updated
 * per secret, never rebuilt. A scan samples the text every `step` characters, where step is at most the
 * shortest form's length minus 3: every occurrence of a form then contains a sampled 4-gram at one of its
 * indexed offsets, so the scan costs text length / step lookups whatever the number of secrets.
 */
class FormIndex {
  private readonly formRefs = new Map<string, number>();
  private readonly buckets = new Map<number, Entry[]>();
  /** A cheap first filter before the map lookup: how many indexed 4-grams fall in each 16-bit slot. */
  private slots = EMPTY_SLOTS;
  private readonly lengths = new Map<number, number>();
  private step = MAX_STEP;
  /** With few forms, one regular expression (native, Boyer-Moore-like) is faster; rebuilt lazily on change. */
  private pattern: RegExp | undefined;

  get empty(): boolean {
    return this.formRefs.size === 0;
  }

  add(form: string): void {
    const refs = this.formRefs.get(form) ?? 0;
    this.formRefs.set(form, refs + 1);
    if (refs > 0) return;
    if (this.slots === EMPTY_SLOTS) this.slots = new Uint32Array(65536);
    for (let offset = 0; offset < Math.min(MAX_STEP, form.length - 3); offset++) {
      const key = key4(form, offset);
      const bucket = this.buckets.get(key);
      if (bucket) bucket.push({ form, offset });
      else this.buckets.set(key, [{ form, offset }]);
      this.slots[slot16(key)]++;
    }
    this.lengths.set(form.length, (this.lengths.get(form.length) ?? 0) + 1);
    this.updateStep();
    this.pattern = undefined;
  }

  remove(form: string): void {
    const refs = this.formRefs.get(form);
    if (refs === undefined) return;
    if (refs > 1) {
      this.formRefs.set(form, refs - 1);
      return;
    }
    this.formRefs.delete(form);
    for (let offset = 0; offset < Math.min(MAX_STEP, form.length - 3); offset++) {
      const key = key4(form, offset);
      const rest = (this.buckets.get(key) ?? []).filter((e) => !(e.form === form && e.offset === offset));
      if (rest.length > 0) this.buckets.set(key, rest);
      else this.buckets.delete(key);
      this.slots[slot16(key)]--;
    }
    const n = (this.lengths.get(form.length) ?? 1) - 1;
    if (n > 0) this.lengths.set(form.length, n);
    else this.lengths.delete(form.length);
    this.updateStep();
    this.pattern = undefined;
  }

  private updateStep(): void {
    let shortest = Infinity;
    for (const length of this.lengths.keys()) shortest = Math.min(shortest, length);
    this.step = Math.max(1, Math.min(MAX_STEP, shortest - 3));
  }

  mask(text: string): string {
    if (this.empty || text.length < MIN_SECRET_LENGTH) return text;
    const starts: number[] = [];
    const ends: number[] = [];
    if (this.formRefs.size <= REGEX_MAX_FORMS) this.findWithPattern(text, starts, ends);
    else this.findWithIndex(text, starts, ends);
    return merged(text, starts, ends);
  }

  /** Every match, overlapping ones included: the search resumes one character after each match start. */
  private findWithPattern(text: string, starts: number[], ends: number[]): void {
    if (!this.pattern) {
      const alternatives = [...this.formRefs.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
      this.pattern = new RegExp(alternatives.join('|'), 'g');
    }
    const pattern = this.pattern;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      starts.push(m.index);
      ends.push(m.index + m[0].length);
      pattern.lastIndex = m.index + 1;
    }
  }

  private findWithIndex(text: string, starts: number[], ends: number[]): void {
    const { step, slots, buckets } = this;
    for (let p = 0; p + 4 <= text.length; p += step) {
      const key = key4(text, p);
      if (slots[slot16(key)] === 0) continue;
      const bucket = buckets.get(key);
      if (!bucket) continue;
      for (const { form, offset } of bucket) {
        const at = p - offset;
        if (at >= 0 && text.startsWith(form, at)) {
          starts.push(at);
          ends.push(at + form.length);
        }
      }
    }
  }
}

/** Up to this many live forms (about 15 secrets) one regular expression finds them; beyond, the 4-gram index. */
const REGEX_MAX_FORMS = 256;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** `text` with every matched stretch replaced; overlapping matches become one REDACTED. */
function merged(text: string, starts: number[], ends: number[]): string {
  if (starts.length === 0) return text;
  // Matches may come in any order; merge overlapping ones so each masked stretch is one REDACTED.
  const order = starts.map((_, i) => i).sort((a, b) => starts[a] - starts[b] || ends[b] - ends[a]);
  let out = '';
  let copied = 0;
  let openStart = -1;
  let openEnd = -1;
  for (const i of order) {
    if (openStart >= 0 && starts[i] < openEnd) {
      openEnd = Math.max(openEnd, ends[i]);
      continue;
    }
    if (openStart >= 0) {
      out += text.slice(copied, openStart) + REDACTED;
      copied = openEnd;
    }
    openStart = starts[i];
    openEnd = ends[i];
  }
  out += text.slice(copied, openStart) + REDACTED;
  return out + text.slice(openEnd);
}

const MAX_DEPTH = 8;

/** A copy of a value for output: every string masked, secret-named keys redacted, depth and size bounded. */
function maskValue(value: unknown, mask: (text: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return mask(value);
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'function' || typeof value === 'symbol') return mask(String(value));
    return value;
  }
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (value instanceof Error) return mask(value.message);
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (Array.isArray(value)) return value.map((v) => maskValue(v, mask, depth + 1));
  // A null-prototype copy: a `__proto__` key from user JSON stays a plain key.
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) {
    out[mask(k)] = isSecretKey(k) ? REDACTED : maskValue(v, mask, depth + 1);
  }
  return out;
}

export function createRedactor(): Redactor {
  const index = new FormIndex();
  /** Live secret values, how many scopes hold each, and their forms. */
  const live = new Map<string, { refs: number; forms: string[] }>();

  const register = (value: string): void => {
    const known = live.get(value);
    if (known) {
      known.refs++;
      return;
    }
    const forms = secretForms(value);
    live.set(value, { refs: 1, forms });
    for (const form of forms) index.add(form);
  };
  const unregister = (value: string): void => {
    const known = live.get(value);
    if (!known) return;
    if (--known.refs > 0) return;
    live.delete(value);
    for (const form of known.forms) index.remove(form);
  };

  const mask = (text: string): string => maskPatterns(index.mask(text));

  return {
    mask,
    maskValue: (value) => maskValue(value, mask),
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
        values: () => [...own],
      };
    },
    get size() {
      return live.size;
    },
  };
}
