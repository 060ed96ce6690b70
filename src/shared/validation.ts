// Validation rules for the data source settings, shared by the ConfigEditor (to show problems while
// editing) and the backend (to refuse bad settings with the same words). Pure functions only.
import { AUTH_TYPES, type AuthType, type SigilJsonData } from './settings';
import { isRegion } from './aws';

export interface FieldProblem {
  /** The jsonData / secureJsonData key to fix, e.g. `assumeRoleArn`, `secretKey`, `allowedUrls[2]`. */
  field: string;
  message: string;
}

/** Defaults applied when a key is empty (documented in the README). */
export const SETTINGS_DEFAULTS = {
  authType: 'default' as AuthType,
  region: 'us-east-1',
  timeoutSeconds: 30,
  maxResponseBytes: 50 * 1024 * 1024,
} as const;

export const LIMITS = {
  timeoutSeconds: { min: 1, max: 300 },
  maxResponseBytes: { min: 1024, max: 1024 * 1024 * 1024 },
} as const;

/** Older names Grafana's AWS data sources still accept for authType. */
const AUTH_TYPE_ALIASES: Record<string, AuthType> = { sharedCreds: 'credentials', arn: 'default' };

/** What the config editor calls each key; messages use these words, so the editor and the backend agree. */
export const FIELD_LABELS: Record<string, string> = {
  authType: 'Authentication provider',
  defaultRegion: 'Default region',
  region: 'Default region',
  profile: 'Credentials profile name',
  assumeRoleArn: 'Assume Role ARN',
  externalId: 'External ID',
  endpoint: 'Custom endpoint',
  service: 'Service name',
  allowedUrls: 'Allowed URLs',
  testUrl: 'Health check URL',
  timeoutSeconds: 'Timeout',
  maxResponseBytes: 'Largest answer',
  accessKey: 'Access key ID',
  secretKey: 'Secret access key',
  sessionToken: 'Session token',
};

/** Grafana core Prometheus keys, named after the editor field they fill, plus the key (only provisioning sets them). */
const LEGACY_LABELS: Record<string, string> = {
  sigV4AuthType: 'Authentication provider (sigV4AuthType)',
  sigV4Region: 'Default region (sigV4Region)',
  sigV4Profile: 'Credentials profile name (sigV4Profile)',
  sigV4AssumeRoleArn: 'Assume Role ARN (sigV4AssumeRoleArn)',
  sigV4ExternalId: 'External ID (sigV4ExternalId)',
  sigV4AccessKey: 'Access key ID (sigV4AccessKey)',
  sigV4SecretKey: 'Secret access key (sigV4SecretKey)',
};

/** The label a message uses for a settings key: `Allowed URL 3` for `allowedUrls[2]`. */
export function fieldLabel(field: string): string {
  const entry = /^allowedUrls\[(\d+)\]$/.exec(field);
  if (entry) return `Allowed URL ${Number(entry[1]) + 1}`;
  const label = ownValue(FIELD_LABELS, field) ?? ownValue(LEGACY_LABELS, field);
  return typeof label === 'string' ? label : field;
}

const ROLE_ARN_RE = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const EXTERNAL_ID_RE = /^[\w+=,.@:/-]{2,1224}$/;
const SERVICE_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;
const PROFILE_RE = /^[\w.+@:/-]{1,128}$/;

/** jsonData after folding in Grafana core Prometheus SigV4 keys; `origin` tells which key each value came from. */
export interface ResolvedJsonData {
  authType?: string;
  region?: string;
  profile?: string;
  assumeRoleArn?: string;
  externalId?: string;
  /** Which stored key each resolved value came from, so errors name the key the user actually set. */
  origin: Record<'authType' | 'region' | 'profile' | 'assumeRoleArn' | 'externalId', string>;
  /** Access/secret key names to use in secureJsonData: Sigil's, or sigV4AccessKey/sigV4SecretKey. */
  accessKeyField: 'accessKey' | 'sigV4AccessKey';
  secretKeyField: 'secretKey' | 'sigV4SecretKey';
}

/**
 * `record[key]` when it is the record's own property, else undefined: settings are read only from own
 * properties, so nothing set on Object.prototype can ever be read as a setting.
 */
export function ownValue(record: object, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key) ? (record as Record<string, unknown>)[key] : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/**
 * Sigil's own keys win; Grafana core's Prometheus SigV4 keys fill in what is unset when `sigV4Auth` is true,
 * so a Prometheus-with-SigV4 provisioning file works unchanged (migration path).
 */
export function resolveJsonData(
  jsonData: Record<string, unknown>,
  secureFieldsSet: Record<string, boolean>,
): ResolvedJsonData {
  const sigV4 = ownValue(jsonData, 'sigV4Auth') === true;
  const pick = (own: string, legacy: string): [string | undefined, string] => {
    const value = str(ownValue(jsonData, own));
    if (value !== undefined || !sigV4) return [value, own];
    const legacyValue = str(ownValue(jsonData, legacy));
    return legacyValue !== undefined ? [legacyValue, legacy] : [undefined, own];
  };
  const [authType, authTypeKey] = pick('authType', 'sigV4AuthType');
  let [region, regionKey] = pick('defaultRegion', 'sigV4Region');
  if (region === undefined && str(ownValue(jsonData, 'region')) !== undefined) {
    // `region` is what grafana-aws-sdk reads first; accept it too.
    [region, regionKey] = [str(ownValue(jsonData, 'region')), 'region'];
  }
  const [profile, profileKey] = pick('profile', 'sigV4Profile');
  const [assumeRoleArn, arnKey] = pick('assumeRoleArn', 'sigV4AssumeRoleArn');
  const [externalId, externalIdKey] = pick('externalId', 'sigV4ExternalId');
  const isSet = (key: string): boolean => ownValue(secureFieldsSet, key) === true;
  const useSigV4Keys =
    sigV4 && !isSet('accessKey') && !isSet('secretKey') && (isSet('sigV4AccessKey') || isSet('sigV4SecretKey'));
  return {
    authType,
    region,
    profile,
    assumeRoleArn,
    externalId,
    origin: {
      authType: authTypeKey,
      region: regionKey,
      profile: profileKey,
      assumeRoleArn: arnKey,
      externalId: externalIdKey,
    },
    accessKeyField: useSigV4Keys ? 'sigV4AccessKey' : 'accessKey',
    secretKeyField: useSigV4Keys ? 'sigV4SecretKey' : 'secretKey',
  };
}

/** The canonical auth type for a stored value, or undefined when unknown. Empty means the default. */
export function normaliseAuthType(value: string | undefined): AuthType | undefined {
  if (value === undefined) return SETTINGS_DEFAULTS.authType;
  if ((AUTH_TYPES as readonly string[]).includes(value)) return value as AuthType;
  return ownValue(AUTH_TYPE_ALIASES, value) as AuthType | undefined;
}

export type UrlProblem = string | undefined;

/** Why `value` is not a usable http(s) base URL (no userinfo, query or fragment), or undefined when it is. */
export function checkHttpUrl(value: string): UrlProblem {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not a valid URL; use an absolute http:// or https:// URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `"${value}" uses ${url.protocol.replace(':', '')}; only http:// and https:// are allowed`;
  }
  if (url.username !== '' || url.password !== '')
    return `"${value}" must not contain a user name or password (user@host)`;
  if (url.search !== '' || url.hash !== '') return `"${value}" must not contain a query (?...) or fragment (#...)`;
  if (url.hostname === '') return `"${value}" has no host`;
  if (/[*]/.test(value)) return `"${value}" contains a wildcard; list each allowed URL prefix explicitly`;
  return undefined;
}

function numberProblem(
  value: unknown,
  field: string,
  range: string,
  min: number,
  max: number,
  integer: boolean,
): FieldProblem | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    return { field, message: `${fieldLabel(field)} must be ${range}` };
  }
  return undefined;
}

/** Settings stored as text; any other JSON type is refused rather than read as unset. */
const TEXT_SETTINGS = [
  'authType',
  'defaultRegion',
  'region',
  'profile',
  'assumeRoleArn',
  'externalId',
  'endpoint',
  'service',
  'testUrl',
  'sigV4AuthType',
  'sigV4Region',
  'sigV4Profile',
  'sigV4AssumeRoleArn',
  'sigV4ExternalId',
];

/**
 * Every problem in the stored settings. `secureFieldsSet` says which secureJsonData keys hold a value
 * (the editor's secureJsonFields, or the backend's decrypted keys that are non-empty).
 * `allowedProviders` / `assumeRoleEnabled` are the Grafana server's [aws] options when known.
 */
export function validateJsonData(
  jsonData: SigilJsonData | Record<string, unknown>,
  secureFieldsSet: Record<string, boolean>,
  server?: ServerOptions,
): FieldProblem[] {
  // A null-prototype copy of the own properties: every read below sees only what was stored.
  const data = Object.assign(Object.create(null) as Record<string, unknown>, jsonData as Record<string, unknown>);
  const mistyped = textTypeProblems(data);
  if (mistyped.length > 0) return mistyped;
  const r = resolveJsonData(data, secureFieldsSet);
  return [
    ...authProblems(r, secureFieldsSet, server),
    ...roleProblems(r, server),
    ...connectionProblems(data),
    ...limitProblems(data),
  ];
}

type ServerOptions = { allowedAuthProviders: string[]; assumeRoleEnabled: boolean };
type Resolved = ReturnType<typeof resolveJsonData>;

/** A text setting stored as another JSON type would otherwise read as unset (i.e. the default chain). */
function textTypeProblems(data: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const key of TEXT_SETTINGS) {
    const value = data[key];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      const got = Array.isArray(value)
        ? 'a list'
        : typeof value === 'object'
          ? 'an object'
          : `${typeof value} ${JSON.stringify(value)}`;
      problems.push({ field: key, message: `${fieldLabel(key)} (${key}) must be text (got ${got})` });
    }
  }
  return problems;
}

/** Authentication type, its keys, profile and region. */
function authProblems(r: Resolved, secureFieldsSet: Record<string, boolean>, server?: ServerOptions): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const authType = normaliseAuthType(r.authType);
  if (authType === undefined) {
    problems.push({
      field: r.origin.authType,
      message: `${fieldLabel(r.origin.authType)} "${r.authType}" is not supported; use one of: ${AUTH_TYPES.join(', ')}`,
    });
  } else if (server && !server.allowedAuthProviders.includes(authType)) {
    problems.push({
      field: r.origin.authType,
      message:
        `${fieldLabel(r.origin.authType)} "${authType}" is not allowed by this Grafana server; its [aws] allowed_auth_providers ` +
        `setting allows: ${server.allowedAuthProviders.join(', ') || '(none)'}`,
    });
  }
  if (authType === 'keys') {
    if (ownValue(secureFieldsSet, r.accessKeyField) !== true) {
      problems.push({
        field: r.accessKeyField,
        message: `${fieldLabel(r.accessKeyField)} is required with access & secret key authentication (authType "keys")`,
      });
    }
    if (ownValue(secureFieldsSet, r.secretKeyField) !== true) {
      problems.push({
        field: r.secretKeyField,
        message: `${fieldLabel(r.secretKeyField)} is required with access & secret key authentication (authType "keys")`,
      });
    }
  }
  if (r.profile !== undefined && !PROFILE_RE.test(r.profile)) {
    problems.push({
      field: r.origin.profile,
      message: `${fieldLabel(r.origin.profile)} "${r.profile}" is not a valid profile name (letters, digits, . _ - + @ : /)`,
    });
  }
  if (r.region !== undefined && r.region !== 'default' && !isRegion(r.region)) {
    problems.push({
      field: r.origin.region,
      message: `${fieldLabel(r.origin.region)} "${r.region}" is not an AWS region; use a code such as us-east-1 or eu-west-2`,
    });
  }
  return problems;
}

function roleProblems(r: Resolved, server?: ServerOptions): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (r.assumeRoleArn !== undefined) {
    if (!ROLE_ARN_RE.test(r.assumeRoleArn)) {
      problems.push({
        field: r.origin.assumeRoleArn,
        message: `${fieldLabel(r.origin.assumeRoleArn)} "${r.assumeRoleArn}" is not an IAM role ARN; expected arn:aws:iam::<12-digit account>:role/<name>`,
      });
    }
    if (server && !server.assumeRoleEnabled) {
      problems.push({
        field: r.origin.assumeRoleArn,
        message: `${fieldLabel(r.origin.assumeRoleArn)} is set but this Grafana server disables AssumeRole ([aws] assume_role_enabled = false)`,
      });
    }
  }
  if (r.externalId !== undefined) {
    if (r.assumeRoleArn === undefined) {
      problems.push({
        field: r.origin.externalId,
        message: `${fieldLabel(r.origin.externalId)} is only used with an Assume Role ARN; set the role or clear the External ID`,
      });
    } else if (!EXTERNAL_ID_RE.test(r.externalId)) {
      problems.push({
        field: r.origin.externalId,
        message: `${fieldLabel(r.origin.externalId)} must be 2 to 1224 characters of letters, digits and + = , . @ : / - _`,
      });
    }
  }
  return problems;
}

/** Endpoint, service, allowed URLs and test URL. */
function connectionProblems(data: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const endpoint = str(data.endpoint);
  if (endpoint !== undefined) {
    const p = checkHttpUrl(endpoint);
    if (p) problems.push({ field: 'endpoint', message: `${fieldLabel('endpoint')} ${p}` });
  }
  const service = str(data.service);
  if (service !== undefined && !SERVICE_RE.test(service)) {
    problems.push({
      field: 'service',
      message: `${fieldLabel('service')} "${service}" is not a SigV4 signing name; use lower-case letters, digits and -, e.g. monitoring, aps, execute-api`,
    });
  }
  if (data.allowedUrls !== undefined && data.allowedUrls !== null) {
    if (!Array.isArray(data.allowedUrls)) {
      problems.push({ field: 'allowedUrls', message: `${fieldLabel('allowedUrls')} must be a list of URL prefixes` });
    } else {
      data.allowedUrls.forEach((u, i) => {
        const field = `allowedUrls[${i}]`;
        if (typeof u !== 'string' || u.trim() === '') {
          problems.push({
            field,
            message: `${fieldLabel(field)} must be a non-empty URL such as https://monitoring.us-east-1.amazonaws.com/`,
          });
          return;
        }
        const p = checkHttpUrl(u.trim());
        if (p) problems.push({ field, message: `${fieldLabel(field)} ${p}` });
      });
    }
  }
  const testUrl = str(data.testUrl);
  if (testUrl !== undefined) {
    const p = checkHttpUrl(testUrl.replace(/\?.*$/, ''));
    if (p) problems.push({ field: 'testUrl', message: `${fieldLabel('testUrl')} ${p}` });
  }
  return problems;
}

function limitProblems(data: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { timeoutSeconds: t, maxResponseBytes: m } = LIMITS;
  const timeout = numberProblem(
    data.timeoutSeconds,
    'timeoutSeconds',
    `a number of seconds from ${t.min} to ${t.max} (timeoutSeconds)`,
    t.min,
    t.max,
    false,
  );
  if (timeout) problems.push(timeout);
  // Stored in bytes (maxResponseBytes), shown in MiB by the editor: say both.
  const maxBytes = numberProblem(
    data.maxResponseBytes,
    'maxResponseBytes',
    `from 1 KiB to 1024 MiB (maxResponseBytes: a whole number of bytes from ${m.min} to ${m.max})`,
    m.min,
    m.max,
    true,
  );
  if (maxBytes) problems.push(maxBytes);
  return problems;
}
