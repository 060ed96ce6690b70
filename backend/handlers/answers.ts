// The one place where a failure becomes an answer: a DataResponse for a query, a JSON resource answer, a
// health result. Each takes anything thrown (asSigilError), so kind, source and status are always set;
// masking happens where the answer is encoded (backend/protocol), through the one redactor.
import { asSigilError, type SigilError } from '../errors';
import type { CallResourceResponse, CheckHealthResult, DataResponse } from '../protocol/types';
import type { Logger } from '../log';
import { PLUGIN_VERSION } from '../version';

/** Logs a failure that is a bug (kind internal), with its stack; expected failures are the caller's answer. */
function noteInternal(e: SigilError, log: Logger | undefined, fields: Record<string, unknown>): void {
  if (e.kind !== 'internal' || !log) return;
  log.error('internal error', { ...fields, error: e.message, stack: (e.cause as Error | undefined)?.stack });
}

export function dataErrorResponse(err: unknown, log?: Logger, refId?: string): DataResponse {
  const e = asSigilError(err);
  noteInternal(e, log, { refId });
  return { frames: [], error: e.message, status: e.status, errorSource: e.source };
}

export function jsonAnswer(code: number, value: unknown): CallResourceResponse {
  return { code, headers: { 'Content-Type': ['application/json'] }, body: Buffer.from(JSON.stringify(value)) };
}

export function resourceErrorAnswer(err: unknown, log?: Logger, path?: string): CallResourceResponse {
  const e = asSigilError(err);
  noteInternal(e, log, { path });
  return jsonAnswer(e.status, { error: e.message, errorSource: e.source, kind: e.kind });
}

export type HealthStep = 'settings' | 'credentials' | 'assumeRole' | 'identity' | 'testUrl';

const STEP_LABEL: Record<HealthStep, string> = {
  settings: 'Settings',
  credentials: 'Credentials',
  assumeRole: 'AssumeRole',
  identity: 'STS GetCallerIdentity',
  testUrl: 'Test URL',
};

/** The step a failure belongs to: settings and credential failures name their own step, others the current one. */
export function healthStepOf(err: unknown, current: HealthStep): HealthStep {
  const kind = asSigilError(err).kind;
  return kind === 'settings'
    ? 'settings'
    : kind === 'credentials'
      ? 'credentials'
      : kind === 'assume_role'
        ? 'assumeRole'
        : current;
}

/** A failed health check: `<Step> failed: <reason>`, with the step, kind and source in the details. */
export function healthFailure(
  step: HealthStep,
  reason: unknown,
  details: Record<string, unknown> = {},
  log?: Logger,
): CheckHealthResult {
  const e = typeof reason === 'string' ? undefined : asSigilError(reason);
  if (e) noteInternal(e, log, { step });
  const actual = e ? healthStepOf(e, step) : step;
  const source = e ? { errorSource: e.source, kind: e.kind } : {};
  return {
    status: 'ERROR',
    message: `${STEP_LABEL[actual]} failed: ${e ? e.message : String(reason)}`,
    jsonDetails: { step: actual, version: PLUGIN_VERSION, ...details, ...source },
  };
}
