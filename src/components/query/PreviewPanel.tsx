// "Run/preview": sends the query to the backend's `request` resource route and shows AWS's raw answer
// (status, headers, body), so the author can write the root selector and columns against real data.
import { useState } from 'react';
import { Alert, Button, Stack, Text } from '@grafana/ui';
import type { SigilQuery } from '../../shared/query';

/** The answer of the `request` resource route (backend/handlers/callResource.ts). */
export interface RawAnswer {
  /** The request as sent (after macros and the data source endpoint were applied). */
  request?: { method: string; url: string };
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
  truncated?: boolean;
  /** Size of the whole answer; the body shown may be capped. */
  bytes?: number;
}

/** Body of the `request` route: the query to preview and the dashboard time range for its macros. */
export interface PreviewRequest {
  query: SigilQuery;
  timeRange?: { from: number; to: number };
}

export interface PreviewSource {
  postResource<T>(path: string, data?: unknown): Promise<T>;
}

interface Props {
  datasource: PreviewSource;
  /** The query as it will run (template variables already expanded), with the time range. */
  buildRequest: () => PreviewRequest;
  disabled?: boolean;
}

type State = { kind: 'idle' } | { kind: 'loading' } | { kind: 'done'; answer: RawAnswer } | { kind: 'failed'; message: string };

/** Grafana's fetch errors carry the backend's JSON answer in `data`; prefer its message. */
function errorMessage(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { data?: { message?: unknown; error?: unknown }; message?: unknown; statusText?: unknown };
    for (const candidate of [e.data?.message, e.data?.error, e.message, e.statusText]) {
      if (typeof candidate === 'string' && candidate !== '') {
        return candidate;
      }
    }
  }
  return String(err);
}

function headerLines(headers: RawAnswer['headers']): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : value}`)
    .join('\n');
}

export function PreviewPanel({ datasource, buildRequest, disabled }: Props) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const run = async () => {
    setState({ kind: 'loading' });
    try {
      const answer = await datasource.postResource<RawAnswer>('request', buildRequest());
      setState({ kind: 'done', answer });
    } catch (err) {
      setState({ kind: 'failed', message: errorMessage(err) });
    }
  };
  return (
    <Stack direction="column" gap={1}>
      <div>
        <Button icon="play" variant="secondary" size="sm" onClick={run} disabled={disabled || state.kind === 'loading'}>
          {state.kind === 'loading' ? 'Running…' : 'Run/preview raw answer'}
        </Button>
      </div>
      {state.kind === 'failed' && <Alert severity="error" title="Preview failed">{state.message}</Alert>}
      {state.kind === 'done' && (
        <section aria-label="Raw answer">
          {state.answer.request && (
            <Text element="p" color="secondary">
              {state.answer.request.method} {state.answer.request.url}
            </Text>
          )}
          <Text element="p" color={state.answer.status < 400 ? 'success' : 'error'}>
            HTTP {state.answer.status}
            {state.answer.truncated ? ` (first part of ${state.answer.bytes ?? 'many'} bytes shown)` : ''}
          </Text>
          <pre aria-label="Response headers" style={{ maxHeight: 120, overflow: 'auto' }}>
            {headerLines(state.answer.headers)}
          </pre>
          <pre aria-label="Response body" style={{ maxHeight: 320, overflow: 'auto', whiteSpace: 'pre-wrap' }}>
            {state.answer.body}
          </pre>
        </section>
      )}
    </Stack>
  );
}
