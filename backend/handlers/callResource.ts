// CallResource: resource routes used by the editors.
import type { CallResourceRequest, CallResourceResponse } from '../protocol/types';
import { PLUGIN_VERSION } from '../version';

function json(code: number, value: unknown): CallResourceResponse {
  return { code, headers: { 'Content-Type': ['application/json'] }, body: Buffer.from(JSON.stringify(value)) };
}

export async function callResource(req: CallResourceRequest, send: (r: CallResourceResponse) => void): Promise<void> {
  const path = req.path.replace(/^\/+/, '');
  if (path === 'version') {
    send(json(200, { version: PLUGIN_VERSION }));
    return;
  }
  send(json(404, { error: `no resource "${path}"` }));
}
