// pluginv2 messages as protobufjs decodes them (./load) -> the shapes in ./types.ts, and handler results -> the
// messages Grafana expects. Decoding is total: a missing or odd field gets its zero value, never a throw;
// jsonData that cannot be read is kept as `{}` with a `jsonDataProblem` the settings parser fails on.
// Maps built from what Grafana sends are null-prototype objects, so no key can reach Object.prototype.
import { parseJsonFindingPrototypeKeys } from '../guardedJson';
import type { Redactor } from '../redaction';
import type {
  CallResourceRequest,
  CallResourceResponse,
  CheckHealthRequest,
  CheckHealthResult,
  DataQuery,
  DataSourceInstanceSettings,
  PluginContext,
  QueryDataRequest,
  User,
} from './types';

type Raw = Record<string, unknown> | null | undefined;

function obj(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array)
    ? (value as Record<string, unknown>)
    : undefined;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** int64 arrives as a decimal string (`longs: String` in ./load); numbers are accepted too. */
function int(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : 0;
  return Number.isFinite(n) ? n : 0;
}

function bytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return new Uint8Array(0);
}

function stringMap(value: unknown): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(obj(value) ?? {})) {
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** map<string, StringList> -> Record<string, string[]>. */
function stringListMap(value: unknown): Record<string, string[]> {
  const out = Object.create(null) as Record<string, string[]>;
  for (const [k, v] of Object.entries(obj(value) ?? {})) {
    const values = obj(v)?.values;
    out[k] = Array.isArray(values) ? values.filter((s): s is string => typeof s === 'string') : [];
  }
  return out;
}

/**
 * jsonData bytes -> object, failing closed. Grafana sends no bytes when the data source has no jsonData
 * (its adapter leaves them empty when the stored jsonData is nil), and `null` for a stored JSON null: both
 * mean "nothing set", i.e. the defaults, as for Grafana's own AWS data sources. Anything else must be a
 * JSON object without prototype-shaped keys; otherwise `jsonDataProblem` says why it could not be read.
 */
export function parseJsonData(raw: Uint8Array): {
  jsonData: Record<string, unknown>;
  jsonDataRaw: string;
  jsonDataProblem?: string;
} {
  const jsonDataRaw = Buffer.from(raw).toString('utf8');
  const empty = Object.create(null) as Record<string, unknown>;
  // Grafana stores `{}` for a data source saved without settings; no bytes or `null` means the settings were
  // lost or damaged on the way, and reading them as the defaults would run with the server's own identity.
  if (raw.byteLength === 0 || jsonDataRaw.trim() === '') {
    return { jsonData: empty, jsonDataRaw, jsonDataProblem: 'jsonData is empty (Grafana sends at least {})' };
  }
  let parsed: unknown;
  let refused: string | undefined;
  try {
    ({ value: parsed, refused } = parseJsonFindingPrototypeKeys(jsonDataRaw));
  } catch (e) {
    return { jsonData: empty, jsonDataRaw, jsonDataProblem: `jsonData is not valid JSON (${(e as Error).message})` };
  }
  if (parsed === null) return { jsonData: empty, jsonDataRaw, jsonDataProblem: 'jsonData is null, not a JSON object' };
  if (refused !== undefined) {
    return { jsonData: empty, jsonDataRaw, jsonDataProblem: `jsonData has a key named "${refused}", which is refused` };
  }
  const object = obj(parsed);
  if (object === undefined) {
    const kind = Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`;
    return { jsonData: empty, jsonDataRaw, jsonDataProblem: `jsonData is ${kind}, not a JSON object` };
  }
  return { jsonData: Object.assign(empty, object), jsonDataRaw };
}

export function decodeUser(raw: Raw): User | undefined {
  if (!raw) return undefined;
  return { login: str(raw.login), name: str(raw.name), email: str(raw.email), role: str(raw.role) };
}

export function decodeDataSourceSettings(raw: Raw): DataSourceInstanceSettings | undefined {
  if (!raw) return undefined;
  return {
    id: int(raw.id),
    uid: str(raw.uid),
    name: str(raw.name),
    url: str(raw.url),
    user: str(raw.user),
    database: str(raw.database),
    basicAuthEnabled: raw.basicAuthEnabled === true,
    basicAuthUser: str(raw.basicAuthUser),
    ...parseJsonData(bytes(raw.jsonData)),
    decryptedSecureJsonData: stringMap(raw.decryptedSecureJsonData),
    lastUpdatedMS: int(raw.lastUpdatedMS),
    apiVersion: str(raw.apiVersion),
  };
}

export function decodePluginContext(raw: Raw): PluginContext {
  const r = raw ?? {};
  return {
    orgId: int(r.orgId),
    pluginId: str(r.pluginId),
    pluginVersion: str(r.pluginVersion),
    user: decodeUser(obj(r.user)),
    dataSourceInstanceSettings: decodeDataSourceSettings(obj(r.dataSourceInstanceSettings)),
    grafanaConfig: stringMap(r.grafanaConfig),
    userAgent: str(r.userAgent),
  };
}

function decodeQuery(raw: Raw): DataQuery {
  const r = raw ?? {};
  const range = obj(r.timeRange) ?? {};
  return {
    refId: str(r.refId),
    queryType: str(r.queryType),
    maxDataPoints: int(r.maxDataPoints),
    intervalMs: int(r.intervalMS),
    timeRange: { fromMs: int(range.fromEpochMS), toMs: int(range.toEpochMS) },
    json: bytes(r.json),
  };
}

export function decodeQueryDataRequest(raw: Raw): QueryDataRequest {
  const r = raw ?? {};
  return {
    pluginContext: decodePluginContext(obj(r.pluginContext)),
    headers: stringMap(r.headers),
    queries: Array.isArray(r.queries) ? r.queries.map((q) => decodeQuery(obj(q))) : [],
  };
}

export function decodeCheckHealthRequest(raw: Raw): CheckHealthRequest {
  const r = raw ?? {};
  return { pluginContext: decodePluginContext(obj(r.pluginContext)), headers: stringMap(r.headers) };
}

export function decodeCallResourceRequest(raw: Raw): CallResourceRequest {
  const r = raw ?? {};
  return {
    pluginContext: decodePluginContext(obj(r.pluginContext)),
    path: str(r.path),
    method: str(r.method),
    url: str(r.url),
    headers: stringListMap(r.headers),
    body: bytes(r.body),
  };
}

/** The health result Grafana shows, masked by the redactor (message and details). */
export function encodeCheckHealthResult(
  result: CheckHealthResult,
  redactor: Pick<Redactor, 'mask' | 'maskValue'>,
): Record<string, unknown> {
  return {
    status: result.status,
    message: redactor.mask(result.message),
    jsonDetails:
      result.jsonDetails === undefined
        ? Buffer.alloc(0)
        : Buffer.from(JSON.stringify(redactor.maskValue(result.jsonDetails))),
  };
}

/** A resource answer, masked by the redactor: header values and the body (JSON or text). */
export function encodeCallResourceResponse(
  resp: CallResourceResponse,
  redactor: Pick<Redactor, 'mask'>,
): Record<string, unknown> {
  const headers = Object.create(null) as Record<string, { values: string[] }>;
  for (const [k, v] of Object.entries(resp.headers ?? {})) headers[k] = { values: v.map((s) => redactor.mask(s)) };
  const body = Buffer.from(resp.body ?? new Uint8Array(0));
  return { code: resp.code, headers, body: Buffer.from(redactor.mask(body.toString('utf8'))) };
}
