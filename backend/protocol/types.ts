// Decoded plugin-protocol messages, as the handlers see them. backend/protocol turns the pluginv2 gRPC
// messages into these (bytes decoded, JSON parsed where Grafana sends JSON) and back.
import type { EncodedFrame, Frame } from '../frames/model';
import type { ErrorSource } from '../errors';

export interface User {
  login: string;
  name: string;
  email: string;
  role: string;
}

export interface DataSourceInstanceSettings {
  id: number;
  uid: string;
  name: string;
  url: string;
  user: string;
  database: string;
  basicAuthEnabled: boolean;
  basicAuthUser: string;
  /** jsonData parsed; `{}` when Grafana sent none. Raw text kept for precise error messages. */
  jsonData: Record<string, unknown>;
  jsonDataRaw: string;
  /** Why jsonData could not be read (not JSON, not an object, a prototype-shaped key); the settings fail closed. */
  jsonDataProblem?: string;
  decryptedSecureJsonData: Record<string, string>;
  lastUpdatedMS: number;
  apiVersion: string;
}

export interface PluginContext {
  orgId: number;
  pluginId: string;
  pluginVersion: string;
  user?: User;
  dataSourceInstanceSettings?: DataSourceInstanceSettings;
  /** Grafana server configuration shared with the plugin (e.g. AWS_AUTH_* keys). */
  grafanaConfig: Record<string, string>;
  userAgent: string;
}

export interface TimeRange {
  fromMs: number;
  toMs: number;
}

export interface DataQuery {
  refId: string;
  queryType: string;
  maxDataPoints: number;
  intervalMs: number;
  timeRange: TimeRange;
  /** The query's JSON as Grafana sent it; parsed by the handler so a malformed one fails only its refId. */
  json: Uint8Array;
}

export interface QueryDataRequest {
  pluginContext: PluginContext;
  headers: Record<string, string>;
  queries: DataQuery[];
}

export interface DataResponse {
  /** Frames to encode here, or already encoded (a query's frames, written in its worker). */
  frames: (Frame | EncodedFrame)[];
  error?: string;
  /** HTTP-like status; 200 when there is no error. */
  status?: number;
  errorSource?: ErrorSource;
}

export interface QueryDataResponse {
  responses: Record<string, DataResponse>;
}

export interface CheckHealthRequest {
  pluginContext: PluginContext;
  headers: Record<string, string>;
}

export type HealthStatus = 'UNKNOWN' | 'OK' | 'ERROR';

export interface CheckHealthResult {
  status: HealthStatus;
  message: string;
  jsonDetails?: Record<string, unknown>;
}

export interface CallResourceRequest {
  pluginContext: PluginContext;
  path: string;
  method: string;
  url: string;
  headers: Record<string, string[]>;
  body: Uint8Array;
}

export interface CallResourceResponse {
  code: number;
  headers: Record<string, string[]>;
  body: Uint8Array;
}

/** What the gRPC services call. One implementation lives in backend/handlers. */
export interface PluginHandlers {
  /** `signal` is aborted when Grafana cancels the call. */
  queryData(req: QueryDataRequest, signal?: AbortSignal): Promise<QueryDataResponse>;
  checkHealth(req: CheckHealthRequest, signal?: AbortSignal): Promise<CheckHealthResult>;
  /** May call `send` more than once (server streaming); resolves when the stream is complete. */
  callResource(
    req: CallResourceRequest,
    send: (resp: CallResourceResponse) => void,
    signal?: AbortSignal,
  ): Promise<void>;
  /** Releases instances, sockets and timers on shutdown. */
  dispose(): Promise<void>;
}
