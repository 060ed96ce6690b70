// The gRPC services Grafana calls, on @grpc/grpc-js. Each service decodes its request (./decode), calls the
// handlers, and encodes the answer; frames are encoded here per refId, so a frame that cannot be encoded
// fails only its own query. A handler that throws becomes a gRPC error for that call, never a crash.
import {
  Server,
  ServerCredentials,
  status as grpcStatus,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServerDuplexStream,
  type sendUnaryData,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { chmodSync } from 'node:fs';
import { loadProtocol } from './load';
import {
  decodeCallResourceRequest,
  decodeCheckHealthRequest,
  decodeQueryDataRequest,
  encodeCallResourceResponse,
  encodeCheckHealthResult,
} from './decode';
import type { DataResponse, PluginHandlers } from './types';
import { ProtocolMetrics, type Gauge } from './metrics';
import { encodeFrame, FrameEncodingError } from '../frames/arrow';
import { SigilError } from '../errors';
import type { Logger } from '../log';
import type { Redactor } from '../redaction';
import type { BoundAddress, ListenTarget } from './handshake';

type Raw = Record<string, unknown>;

const STATUS_NAME: Record<number, string> = Object.fromEntries(
  Object.entries(grpcStatus)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => [v as number, k]),
);

/** The health service name go-plugin's client pings. */
export const HEALTH_SERVICE = 'plugin';

/** How long Shutdown waits for in-flight calls before cutting them off. */
const DRAIN_TIMEOUT_MS = 10_000;

/** Largest message sent: a frame of a large answer may be hundreds of MB (go-plugin's own limit is the same). */
const MAX_SEND_BYTES = 2 ** 31 - 1;

/**
 * Largest message taken from the host. A query model or resource request is a few KB, so a QueryData of
 * hundreds of queries stays far below it; each byte taken becomes strings and parsed JSON on the main thread,
 * whose heap limit is the process's (scripts/build-backend.mjs). grpc-js reads the length prefix first, so a
 * larger message is refused (RESOURCE_EXHAUSTED, naming both sizes) before it is buffered.
 */
const MAX_RECEIVE_BYTES = 16 * 2 ** 20;

export interface PluginServerOptions {
  handlers: PluginHandlers;
  log: Logger;
  /** Masks every error text, health answer and resource answer this server sends. */
  redactor: Pick<Redactor, 'mask' | 'maskValue'>;
  /** Extra gauges for CollectMetrics (live instances, registered secrets, ...). */
  gauges?: () => Gauge[];
  /** More metric families in Prometheus text, appended to CollectMetrics' answer (per data source series). */
  metricsText?: () => string;
  /** Called once the server has drained after a Shutdown request (or `shutdown()`). */
  onShutdown: (reason: string) => void;
  /** Largest message taken from the host (default MAX_RECEIVE_BYTES). */
  maxReceiveBytes?: number;
}

/**
 * One protobuf DataResponse per refId: the frames as Arrow bytes, and the error if any (Grafana shows
 * frames that came with an error too). A frame that cannot be encoded becomes this refId's error.
 */
export function encodeDataResponse(
  refId: string,
  resp: DataResponse,
  log: Logger,
  redactor: Pick<Redactor, 'mask'>,
): Raw {
  let frames: Buffer[] = [];
  let encodeFailure: SigilError | undefined;
  try {
    frames = resp.frames.map((f) => {
      const bytes = 'arrow' in f ? f.arrow : encodeFrame({ ...f, refId: f.refId ?? refId });
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    });
  } catch (e) {
    encodeFailure = e instanceof SigilError ? e : new FrameEncodingError(String((e as Error)?.message ?? e), e);
  }
  const encodeError = encodeFailure
    ? redactor.mask(`the result could not be encoded as a data frame: ${encodeFailure.message}`)
    : '';
  if (encodeFailure) log.error('frame encoding failed', { refId, kind: encodeFailure.kind, error: encodeError });
  const handlerError = resp.error ? redactor.mask(resp.error) : '';
  const error = [handlerError, encodeError].filter(Boolean).join('; ');
  return {
    frames,
    error,
    // Every error says whose it is and how bad; the handler's error wins over an encoding failure.
    status: handlerError ? (resp.status ?? 500) : (encodeFailure?.status ?? resp.status ?? 200),
    errorSource: handlerError ? (resp.errorSource ?? 'plugin') : (encodeFailure?.source ?? ''),
    jsonMeta: Buffer.alloc(0),
    format: 'ARROW',
  };
}

/**
 * Aborted when Grafana cancels the call (the user left the dashboard, the request timed out), so the
 * outgoing AWS requests stop too instead of running to their own timeout. grpc-js also fires `cancelled`
 * after a call has completed; `finish()` marks the call done so that event aborts nothing (an abort
 * builds a DOMException and runs every listener, on every successful call otherwise).
 */
function cancellation(call: { cancelled: boolean; once(event: 'cancelled', listener: () => void): unknown }): {
  signal: AbortSignal;
  finish(): void;
} {
  const controller = new AbortController();
  let finished = false;
  if (call.cancelled) controller.abort();
  else
    call.once('cancelled', () => {
      if (!finished) controller.abort();
    });
  return {
    signal: controller.signal,
    finish: () => {
      finished = true;
    },
  };
}

export class PluginServer {
  private readonly server: Server;
  private readonly metrics = new ProtocolMetrics();
  /** Streams that stay open until shutdown (stdio, broker, health watch); ended before draining. */
  private readonly openStreams = new Set<{ end: () => void }>();
  private shuttingDown = false;

  constructor(private readonly options: PluginServerOptions) {
    this.server = new Server({
      'grpc.max_receive_message_length': options.maxReceiveBytes ?? MAX_RECEIVE_BYTES,
      'grpc.max_send_message_length': MAX_SEND_BYTES,
      // grpc-js tracks every call for channelz (timestamps, per-call closures), which no host asks this plugin
      // for: 1-2% of what a small query allocates (a sampling heap profile under 8 callers).
      'grpc.enable_channelz': 0,
    });
    const services = loadProtocol();
    this.server.addService(services.data, this.dataService());
    this.server.addService(services.diagnostics, this.diagnosticsService());
    this.server.addService(services.resource, this.resourceService());
    this.server.addService(services.health, this.healthService());
    this.server.addService(services.controller, this.controllerService());
    this.server.addService(services.stdio, this.stdioService());
    this.server.addService(services.broker, this.brokerService());
  }

  async listen(target: ListenTarget): Promise<BoundAddress> {
    if (target.kind === 'unix') {
      try {
        await this.bind(`unix:${target.path}`);
        // Only the plugin's user (Grafana's) may connect; a socket is made with the umask's looser mode.
        chmodSync(target.path, 0o600);
        return { kind: 'unix', path: target.path };
      } catch (e) {
        this.options.log.warn('cannot listen on a unix socket; listening on a loopback port instead', {
          path: target.path,
          error: (e as Error)?.message,
        });
        return this.listen(target.fallback);
      }
    }
    let lastError: unknown;
    for (let port = target.minPort; port <= target.maxPort; port++) {
      try {
        const bound = await this.bind(`${target.host}:${port}`);
        return { kind: 'tcp', host: target.host, port: bound };
      } catch (e) {
        lastError = e;
      }
    }
    throw new Error(
      `could not listen on ${target.host} ports ${target.minPort}-${target.maxPort}: ${(lastError as Error)?.message}`,
    );
  }

  private bind(address: string): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.server.bindAsync(address, ServerCredentials.createInsecure(), (err, port) =>
        err ? reject(err) : resolve(port),
      );
    });
  }

  /** Stops taking calls, lets in-flight calls finish (up to a timeout), then reports via onShutdown. */
  shutdown(reason: string): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.options.log.info('shutting down', { reason });
    for (const s of this.openStreams) s.end();
    this.openStreams.clear();
    const timer = setTimeout(() => {
      this.options.log.warn('in-flight calls did not finish in time; stopping', { timeoutMs: DRAIN_TIMEOUT_MS });
      this.server.forceShutdown();
    }, DRAIN_TIMEOUT_MS);
    timer.unref();
    this.server.tryShutdown(() => {
      clearTimeout(timer);
      this.options.onShutdown(reason);
    });
  }

  /** Wraps a unary method: decode errors and handler throws become gRPC errors; every call is counted. */
  private unary(method: string, run: (req: Raw, signal: AbortSignal) => Promise<Raw>) {
    return (call: ServerUnaryCall<Raw, Raw>, callback: sendUnaryData<Raw>): void => {
      const started = process.hrtime.bigint();
      const cancel = cancellation(call);
      const finish = (code: number) => {
        cancel.finish();
        this.metrics.record(method, STATUS_NAME[code] ?? String(code), seconds(started));
      };
      run(call.request ?? {}, cancel.signal).then(
        (resp) => {
          finish(grpcStatus.OK);
          callback(null, resp);
        },
        (err: unknown) => {
          const message = this.options.redactor.mask((err as Error)?.message ?? String(err));
          this.options.log.error(`${method} failed`, { error: message, stack: (err as Error)?.stack });
          finish(grpcStatus.INTERNAL);
          callback({ code: grpcStatus.INTERNAL, details: `${method}: ${message}` });
        },
      );
    };
  }

  private dataService(): UntypedServiceImplementation {
    const { handlers, log, redactor } = this.options;
    return {
      QueryData: this.unary('QueryData', async (raw, signal) => {
        const req = decodeQueryDataRequest(raw);
        const result = await handlers.queryData(req, signal);
        const responses: Record<string, Raw> = {};
        for (const q of req.queries) {
          const resp = result.responses[q.refId] ?? {
            frames: [],
            error: `no response for query "${q.refId}"`,
            status: 500,
            errorSource: 'plugin' as const,
          };
          responses[q.refId] = encodeDataResponse(q.refId, resp, log, redactor);
        }
        return { responses };
      }),
      // Grafana's SDK answers a plugin that has no chunked handler with one 501 message, and Grafana falls back
      // to QueryData on it; answer the same so Grafana meets what it expects from any plugin.
      QueryChunkedData: (call: ServerWritableStream<Raw, Raw>) => {
        this.metrics.record('QueryChunkedData', 'OK', 0);
        call.write({ status: 501 });
        call.end();
      },
    };
  }

  private diagnosticsService(): UntypedServiceImplementation {
    const { handlers, redactor } = this.options;
    return {
      CheckHealth: this.unary('CheckHealth', async (raw, signal) =>
        encodeCheckHealthResult(await handlers.checkHealth(decodeCheckHealthRequest(raw), signal), redactor),
      ),
      CollectMetrics: this.unary('CollectMetrics', async () => ({
        metrics: {
          prometheus: Buffer.from(
            this.metrics.prometheusText(this.options.gauges?.() ?? []) + (this.options.metricsText?.() ?? ''),
          ),
        },
      })),
    };
  }

  private resourceService(): UntypedServiceImplementation {
    const { handlers, log, redactor } = this.options;
    return {
      CallResource: (call: ServerWritableStream<Raw, Raw>) => {
        const started = process.hrtime.bigint();
        const req = decodeCallResourceRequest(call.request ?? {});
        const cancel = cancellation(call);
        let sent = 0;
        handlers
          .callResource(
            req,
            (resp) => {
              if (call.cancelled || call.writableEnded) return;
              sent++;
              call.write(encodeCallResourceResponse(resp, redactor));
            },
            cancel.signal,
          )
          .then(
            () => {
              cancel.finish();
              this.metrics.record('CallResource', 'OK', seconds(started));
              call.end();
            },
            (err: unknown) => {
              cancel.finish();
              const message = redactor.mask((err as Error)?.message ?? String(err));
              log.error('CallResource failed', { path: req.path, error: message });
              this.metrics.record('CallResource', 'INTERNAL', seconds(started));
              if (sent === 0 && !call.cancelled) {
                // Nothing sent yet: answer as HTTP 500 so the editor sees a message, not a broken stream.
                call.write(
                  encodeCallResourceResponse(
                    {
                      code: 500,
                      headers: { 'Content-Type': ['application/json'] },
                      body: Buffer.from(JSON.stringify({ error: `internal error: ${message}`, errorSource: 'plugin' })),
                    },
                    redactor,
                  ),
                );
                call.end();
              } else {
                // Part of the answer is out: end the stream with an error status (grpc-js's way is 'error').
                call.emit('error', { code: grpcStatus.INTERNAL, details: `CallResource: ${message}` });
              }
            },
          );
      },
    };
  }

  private healthService(): UntypedServiceImplementation {
    const statusFor = (service: unknown) =>
      this.shuttingDown ? 'NOT_SERVING' : service === HEALTH_SERVICE || service === '' ? 'SERVING' : 'SERVICE_UNKNOWN';
    return {
      Check: (call: ServerUnaryCall<Raw, Raw>, callback: sendUnaryData<Raw>) => {
        const s = statusFor(call.request?.service);
        if (s === 'SERVICE_UNKNOWN')
          callback({ code: grpcStatus.NOT_FOUND, details: `unknown service ${String(call.request?.service)}` });
        else callback(null, { status: s });
      },
      Watch: (call: ServerWritableStream<Raw, Raw>) => {
        call.write({ status: statusFor(call.request?.service) });
        this.keepOpen(call);
      },
    };
  }

  private controllerService(): UntypedServiceImplementation {
    return {
      Shutdown: (_call: ServerUnaryCall<Raw, Raw>, callback: sendUnaryData<Raw>) => {
        callback(null, {});
        // Answer first: the host waits for this reply before it closes the connection.
        setImmediate(() => this.shutdown('the host asked the plugin to shut down'));
      },
    };
  }

  /**
   * go-plugin's stdio stream carries a Go plugin's redirected stdout/stderr. Node writes to the real pipes,
   * which go-plugin reads already (stderr lines are parsed as hclog JSON), so this stream stays open and
   * quiet until shutdown, which is what the client expects of a plugin with nothing to forward.
   */
  private stdioService(): UntypedServiceImplementation {
    return { StreamStdio: (call: ServerWritableStream<Raw, Raw>) => this.keepOpen(call) };
  }

  /** The broker stream go-plugin opens on connect; Sigil brokers no extra connections. */
  private brokerService(): UntypedServiceImplementation {
    return {
      StartStream: (call: ServerDuplexStream<Raw, Raw>) => {
        call.on('data', () => undefined);
        call.on('end', () => call.end());
        this.keepOpen(call);
      },
    };
  }

  private keepOpen(call: ServerWritableStream<Raw, Raw> | ServerDuplexStream<Raw, Raw>): void {
    if (this.shuttingDown) {
      call.end();
      return;
    }
    const handle = {
      end: () => {
        if (!call.writableEnded) call.end();
      },
    };
    this.openStreams.add(handle);
    const forget = () => this.openStreams.delete(handle);
    call.on('cancelled', forget);
    call.on('close', forget);
    call.on('error', forget);
  }
}

function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
