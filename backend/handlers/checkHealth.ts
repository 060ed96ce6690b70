// CheckHealth ("Save & test").
import type { CheckHealthRequest, CheckHealthResult } from '../protocol/types';
import { PLUGIN_VERSION } from '../version';

export async function checkHealth(_req: CheckHealthRequest): Promise<CheckHealthResult> {
  return { status: 'OK', message: `Sigil ${PLUGIN_VERSION} is running`, jsonDetails: { version: PLUGIN_VERSION } };
}
