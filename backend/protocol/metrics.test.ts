import { ProtocolMetrics } from './metrics';

afterEach(() => jest.restoreAllMocks());

describe('ProtocolMetrics', () => {
  it('reports the process, its gauges and the calls served', () => {
    const m = new ProtocolMetrics();
    m.record('QueryData', 'OK', 0.25);
    m.record('QueryData', 'OK', 0.5);
    const text = m.prometheusText([{ name: 'sigil_instances_live', help: 'Live instances.', value: 3 }]);
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d+$/m);
    expect(text).toMatch(/^sigil_instances_live 3$/m);
    expect(text).toMatch(/^sigil_grpc_requests_total\{method="QueryData",code="OK"\} 2$/m);
    expect(text).toMatch(/^sigil_grpc_request_duration_seconds_sum\{method="QueryData",code="OK"\} 0\.75$/m);
  });

  it('still answers when the system refuses the RSS reading (no descriptor left), leaving the RSS out', () => {
    // What process.memoryUsage() throws under `ulimit -n` when every descriptor is taken.
    jest.spyOn(process, 'memoryUsage').mockImplementation(() => {
      throw Object.assign(new Error('EMFILE: too many open files, uv_resident_set_memory'), { code: 'EMFILE' });
    });
    const text = new ProtocolMetrics().prometheusText([{ name: 'sigil_redactor_secrets', help: 'Secrets.', value: 4 }]);
    expect(text).not.toMatch(/process_resident_memory_bytes/);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes [1-9]\d*$/m);
    expect(text).toMatch(/^nodejs_heap_size_total_bytes [1-9]\d*$/m);
    expect(text).toMatch(/^process_cpu_seconds_total [\d.]+$/m);
    expect(text).toMatch(/^sigil_redactor_secrets 4$/m);
  });
});
