// Entry point of the plugin executable: check that Grafana started us, serve the plugin protocol, print the
// handshake line, and shut down cleanly when the host asks, sends SIGTERM, or goes away.
// Start-up order: only the protocol server (grpc-js, the codecs, the logger and redactor) is loaded before the
// handshake line; the handlers (query engine, AWS SDK, parsers) are loaded right after it, and a call that
// arrives meanwhile waits for them (./handlers/deferred). V8 optimises sooner from the handshake line on (./tiering).
import { checkHandshakeEnv, handshakeLine } from './protocol/handshake';
import { PluginServer } from './protocol/server';
import type { Plugin } from './plugin';
import { createPluginCore, type PluginCore } from './pluginCore';
import { deferredHandlers } from './handlers/deferred';
import type { Logger } from './log';
import { createRedactor } from './redaction';
import { IDLE_COLLECTOR_DEFAULTS, startIdleCollector } from './idleCollector';
import { v8Gc } from './v8Gc';
import { loadMemoryTrim, MEMORY_TRIM_KINDS } from './memoryTrim';
import { PLUGIN_ID, PLUGIN_VERSION } from './version';
import { tierUpForServing } from './tiering';

/** How long handlers.dispose() may take before the process exits anyway. */
const DISPOSE_TIMEOUT_MS = 5_000;
/** How often to check whether the parent (Grafana) is still there. */
const PARENT_POLL_MS = 1_000;

function installProcessGuards(logger: Logger): void {
  // A stray rejection or exception is a bug to log, not a reason to drop every data source's queries.
  // The logger masks messages and fields through the redactor.
  process.on('unhandledRejection', (reason) => {
    logger.error('unhandled promise rejection', { error: (reason as Error)?.message ?? String(reason) });
  });
  process.on('uncaughtException', (err) => {
    logger.error('uncaught exception', { error: err.message, stack: err.stack ?? '' });
  });
  // Ctrl-C in Grafana's terminal reaches the whole process group; like go-plugin's server, leave the
  // decision to the host, which shuts plugins down through the controller.
  // When the host is gone its pipes are closed; a failed log write must not become an exception loop.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  process.on('SIGINT', () => logger.debug('ignoring SIGINT; the host shuts the plugin down'));
}

/** The rest of the plugin, loaded after the handshake line; calls that come first wait for it. */
function laterPlugin(): {
  ready: Promise<Plugin>;
  current(): Plugin | undefined;
  load(core: PluginCore): Promise<void>;
} {
  let plugin: Plugin | undefined;
  let loaded!: (p: Plugin) => void;
  let loadFailed!: (e: unknown) => void;
  const ready = new Promise<Plugin>((resolve, reject) => {
    loaded = resolve;
    loadFailed = reject;
  });
  return {
    ready,
    current: () => plugin,
    async load(core) {
      try {
        const { createPlugin } = await import('./plugin');
        plugin = createPlugin(process.env, core);
        loaded(plugin);
      } catch (e) {
        loadFailed(e);
        throw e;
      }
    },
  };
}

/** Exits once the handlers are disposed, or after DISPOSE_TIMEOUT_MS if they hang; later calls do nothing. */
function exitAfterDispose(handlers: { dispose(): Promise<void> }, logger: Logger): (reason: string) => void {
  let exiting = false;
  return (reason) => {
    if (exiting) return;
    exiting = true;
    const timer = setTimeout(() => {
      logger.warn('dispose did not finish in time', { timeoutMs: DISPOSE_TIMEOUT_MS });
      process.exit(0);
    }, DISPOSE_TIMEOUT_MS);
    handlers
      .dispose()
      .catch((e: unknown) => logger.error('dispose failed', { error: (e as Error)?.message }))
      .finally(() => {
        clearTimeout(timer);
        logger.info('stopped', { reason });
        process.exit(0);
      });
  };
}

/** Shuts down on SIGTERM, and when re-parented (the host died without shutting us down: nobody will call again). */
function shutDownWithHost(server: PluginServer): void {
  process.on('SIGTERM', () => server.shutdown('SIGTERM'));
  const parentPid = process.ppid;
  setInterval(() => {
    if (process.ppid !== parentPid) server.shutdown(`parent process ${parentPid} went away`);
  }, PARENT_POLL_MS).unref();
}

async function main(): Promise<void> {
  const check = checkHandshakeEnv(process.env);
  if (!check.ok) {
    process.stderr.write(`${check.message}\n`);
    process.exit(1);
  }
  const core = createPluginCore(process.env);
  const { log: logger, redactor } = core;
  installProcessGuards(logger);
  const plugin = laterPlugin();
  const handlers = deferredHandlers(plugin.ready.then((p) => p.handlers));
  const server = new PluginServer({
    handlers,
    log: logger.child('protocol'),
    redactor,
    gauges: () => plugin.current()?.gauges() ?? [],
    metricsText: () => plugin.current()?.metricsText() ?? '',
    onShutdown: exitAfterDispose(handlers, logger),
  });
  const address = await server.listen(check.listen);
  shutDownWithHost(server);

  process.stdout.write(handshakeLine(address));
  tierUpForServing();
  // The rest of the plugin, after the line (written before the load starts: a pipe write is synchronous on Linux).
  await plugin.load(core);
  const memoryTrim = startMemoryRelease(logger);
  // The build's smoke test: every module loaded and the server listened; that is all it checks.
  if (process.env.SIGIL_SMOKE_TEST === '1') server.shutdown('smoke test');
  logger.info('plugin started', {
    pluginId: PLUGIN_ID,
    version: PLUGIN_VERSION,
    address: address.kind === 'tcp' ? `${address.host}:${address.port}` : address.path,
    node: process.version,
    memoryTrim,
  });
}

/** The idle collector, with the memory trim where the executable ships it; says which trim runs ("none" if none). */
function startMemoryRelease(logger: Logger): string {
  const gc = v8Gc();
  if (!gc || process.env.SIGIL_IDLE_GC === '0') return 'none (idle collection off)';
  const memory = loadMemoryTrim();
  if (!memory.trim && process.platform === 'linux') logger.debug('no memory trim', { why: memory.why });
  const trimLog = logger.child('memory');
  startIdleCollector({
    ...IDLE_COLLECTOR_DEFAULTS,
    collect: gc,
    trim: memory.trim,
    // Start-up leaves pages only it used (its code, the bundle it read): give them back at the first idle look.
    trimAtFirstIdle: true,
    onTrim: (released, ms) => trimLog.debug('memory trimmed', { releasedMiB: Math.round(released / 2 ** 20), ms }),
  });
  return memory.trim ? MEMORY_TRIM_KINDS : 'none';
}

main().catch((err: unknown) => {
  // Before the plugin is built there is no secret to know of but the environment's; mask SigV4 patterns anyway.
  process.stderr.write(`sigil: failed to start: ${createRedactor().mask(String((err as Error)?.message ?? err))}\n`);
  process.exit(1);
});
