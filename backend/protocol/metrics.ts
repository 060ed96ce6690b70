// Metrics for Diagnostics.CollectMetrics, in the Prometheus text exposition format (version 0.0.4):
// process metrics as Go plugins report them, plus counters of the gRPC calls this process served.
import { readdirSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';

/** A value sampled when metrics are collected (live instances, registered secrets, open files). */
export interface Gauge {
  name: string;
  help: string;
  value: number;
}

interface CallStats {
  count: number;
  seconds: number;
}

export class ProtocolMetrics {
  private readonly calls = new Map<string, CallStats>();
  private readonly startSeconds = Date.now() / 1000 - process.uptime();

  /** Records one finished call; `code` is the gRPC status name (OK, INTERNAL, ...). */
  record(method: string, code: string, seconds: number): void {
    const key = `${method}\u0000${code}`;
    const stats = this.calls.get(key) ?? { count: 0, seconds: 0 };
    stats.count += 1;
    stats.seconds += seconds;
    this.calls.set(key, stats);
  }

  prometheusText(extra: Gauge[] = []): string {
    const mem = memory();
    const cpu = process.cpuUsage();
    const lines: string[] = [];
    const gauge = (name: string, help: string, type: 'gauge' | 'counter', value: number): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${formatNumber(value)}`);
    };
    gauge(
      'process_cpu_seconds_total',
      'Total user and system CPU time spent in seconds.',
      'counter',
      (cpu.user + cpu.system) / 1e6,
    );
    if (mem.rss !== undefined)
      gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', 'gauge', mem.rss);
    gauge(
      'process_start_time_seconds',
      'Start time of the process since unix epoch in seconds.',
      'gauge',
      this.startSeconds,
    );
    gauge('nodejs_heap_size_used_bytes', 'Process heap size used from Node.js in bytes.', 'gauge', mem.heapUsed);
    gauge('nodejs_heap_size_total_bytes', 'Process heap size from Node.js in bytes.', 'gauge', mem.heapTotal);
    gauge('nodejs_external_memory_bytes', 'Node.js external memory size in bytes.', 'gauge', mem.external);
    const fds = openFileDescriptors();
    if (fds !== undefined) gauge('process_open_fds', 'Number of open file descriptors.', 'gauge', fds);
    for (const g of extra) gauge(g.name, g.help, 'gauge', g.value);

    const sorted = [...this.calls.entries()].sort(([a], [b]) => a.localeCompare(b));
    lines.push('# HELP sigil_grpc_requests_total Plugin protocol calls served, by method and gRPC status code.');
    lines.push('# TYPE sigil_grpc_requests_total counter');
    for (const [key, stats] of sorted) lines.push(`sigil_grpc_requests_total${labels(key)} ${stats.count}`);
    lines.push('# HELP sigil_grpc_request_duration_seconds_sum Total time spent serving plugin protocol calls.');
    lines.push('# TYPE sigil_grpc_request_duration_seconds_sum counter');
    for (const [key, stats] of sorted) {
      lines.push(`sigil_grpc_request_duration_seconds_sum${labels(key)} ${formatNumber(stats.seconds)}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

/**
 * Node reads the RSS from /proc/self/stat, which throws when the process has no descriptor left (EMFILE):
 * then the heap numbers come from V8 alone and the RSS is left out, so metrics still answer.
 */
function memory(): { rss?: number; heapUsed: number; heapTotal: number; external: number } {
  try {
    return process.memoryUsage();
  } catch {
    const heap = getHeapStatistics();
    return { heapUsed: heap.used_heap_size, heapTotal: heap.total_heap_size, external: heap.external_memory };
  }
}

/** Open file descriptors where the system tells (Linux /proc), as Go's process collector reports them. */
function openFileDescriptors(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}

function labels(key: string): string {
  const [method, code] = key.split('\u0000');
  return `{method="${escapeLabel(method)}",code="${escapeLabel(code)}"}`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
}
