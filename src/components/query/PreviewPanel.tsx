// "Run/preview": sends the query to the backend's `request` resource route and shows the request as signed
// (credentials masked by the backend) and AWS's raw answer, pretty-printed (JSON and XML), so the author can
// write the root selector and columns against real data.
import { useState } from 'react';
import { Alert, Button, Stack, Text } from '@grafana/ui';
import type { PreviewAnswer, PreviewRequest } from '../../shared/preview';
import { prettyBody } from './text';

export type { PreviewAnswer, PreviewRequest } from '../../shared/preview';

export interface PreviewSource {
  postResource<T>(path: string, data?: unknown): Promise<T>;
}

interface Props {
  datasource: PreviewSource;
  /** The query as it will run (template variables already expanded), with the time range. */
  buildRequest: () => PreviewRequest;
  disabled?: boolean;
}

type State =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'done'; answer: PreviewAnswer }
  | { kind: 'failed'; message: string };

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

function headerLines(headers: Record<string, string | string[]>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : value}`)
    .join('\n');
}

function contentType(headers: Record<string, string | string[]>): string | undefined {
  const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type');
  return entry ? String(Array.isArray(entry[1]) ? entry[1][0] : entry[1]) : undefined;
}

const PRE = { maxHeight: 320, overflow: 'auto', whiteSpace: 'pre-wrap', wordBreak: 'break-all' } as const;

export function PreviewPanel({ datasource, buildRequest, disabled }: Props) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const run = async () => {
    setState({ kind: 'loading' });
    try {
      const answer = await datasource.postResource<PreviewAnswer>('request', buildRequest());
      setState({ kind: 'done', answer });
    } catch (err) {
      setState({ kind: 'failed', message: errorMessage(err) });
    }
  };
  const answer = state.kind === 'done' ? state.answer : undefined;
  const sent = answer?.request;
  return (
    <Stack direction="column" gap={1}>
      <div>
        <Button icon="play" variant="secondary" size="sm" onClick={run} disabled={disabled || state.kind === 'loading'}>
          {state.kind === 'loading' ? 'Running…' : 'Run/preview raw answer'}
        </Button>
      </div>
      {state.kind === 'failed' && (
        <Alert severity="error" title="Preview failed">
          {state.message}
        </Alert>
      )}
      {answer && (
        <section aria-label="Raw answer">
          {sent && (
            <Text element="p" color="secondary">
              {sent.method} {sent.url}
            </Text>
          )}
          {sent?.headers && (
            <pre aria-label="Signed request" style={PRE}>
              {headerLines(sent.headers)}
              {sent.body !== undefined
                ? `\n\n${prettyBody(sent.body, sent.headers['content-type'] ?? sent.headers['Content-Type'])}`
                : ''}
            </pre>
          )}
          <Text element="p" color={answer.status < 400 ? 'success' : 'error'}>
            HTTP {answer.status}
            {answer.truncated ? ` (first part of ${answer.bytes ?? 'many'} bytes shown)` : ''}
          </Text>
          <pre aria-label="Response headers" style={{ maxHeight: 120, overflow: 'auto' }}>
            {headerLines(answer.headers)}
          </pre>
          <pre aria-label="Response body" style={PRE}>
            {answer.truncated ? answer.body : prettyBody(answer.body, contentType(answer.headers))}
          </pre>
        </section>
      )}
    </Stack>
  );
}
