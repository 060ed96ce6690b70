import * as protobuf from 'protobufjs';
import descriptor from './proto/protocol.json';
import backendProto from './proto/backend.proto';
import healthProto from './proto/health.proto';
import goPluginProto from './proto/go_plugin.proto';
import emptyProto from './proto/empty.proto';
import { loadProtocol } from './load';

type Raw = Record<string, unknown>;
type Method = {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  originalName: string;
  requestSerialize: (v: Raw) => Buffer;
  requestDeserialize: (b: Buffer) => Raw;
  responseSerialize: (v: Raw) => Buffer;
  responseDeserialize: (b: Buffer) => Raw;
};

describe('protocol definitions', () => {
  it('protocol.json is the parse of the .proto files (run `node scripts/gen-protocol-json.mjs` if not)', () => {
    const root = new protobuf.Root();
    for (const text of [emptyProto, backendProto, healthProto, goPluginProto])
      protobuf.parse(text, root, { keepCase: true });
    root.resolveAll();
    expect(JSON.parse(JSON.stringify(root.toJSON()))).toEqual(descriptor);
  });

  it('names every method by its gRPC path with its streaming flags', () => {
    const p = loadProtocol();
    const data = p.data as unknown as Record<string, Method>;
    expect(Object.keys(data).sort()).toEqual(['QueryChunkedData', 'QueryData']);
    expect(data.QueryData).toMatchObject({
      path: '/pluginv2.Data/QueryData',
      requestStream: false,
      responseStream: false,
      originalName: 'queryData',
    });
    expect(data.QueryChunkedData).toMatchObject({ requestStream: false, responseStream: true });
    expect((p.resource as unknown as Record<string, Method>).CallResource.path).toBe('/pluginv2.Resource/CallResource');
    expect((p.health as unknown as Record<string, Method>).Watch).toMatchObject({
      path: '/grpc.health.v1.Health/Watch',
      responseStream: true,
    });
    expect((p.stdio as unknown as Record<string, Method>).StreamStdio.path).toBe('/plugin.GRPCStdio/StreamStdio');
    expect((p.broker as unknown as Record<string, Method>).StartStream).toMatchObject({
      requestStream: true,
      responseStream: true,
    });
  });

  it('decodes int64 as numbers (exact up to 2^53), enums as names, bytes as Buffers, absent fields as defaults', () => {
    const qd = (loadProtocol().data as unknown as Record<string, Method>).QueryData;
    const wire = qd.requestSerialize({
      headers: { h: 'v' },
      queries: [
        {
          refId: 'A',
          maxDataPoints: '9007199254740991',
          timeRange: { fromEpochMS: '1764758400000', toEpochMS: 1764762000000 },
          json: Buffer.from('{"a":1}'),
        },
      ],
    });
    const req = qd.requestDeserialize(wire);
    const q = (req.queries as Raw[])[0];
    expect(q.refId).toBe('A');
    expect(q.maxDataPoints).toBe(9007199254740991);
    expect(q.timeRange).toEqual({ fromEpochMS: 1764758400000, toEpochMS: 1764762000000 });
    expect(q.intervalMS).toBe(0);
    expect(Buffer.isBuffer(q.json)).toBe(true);
    expect((q.json as Buffer).toString()).toBe('{"a":1}');
    expect(q.queryType).toBe('');
    expect(req.headers).toEqual({ h: 'v' });
    expect(req.format).toBe('ARROW');
  });

  it('encodes a response the same way back', () => {
    const qd = (loadProtocol().data as unknown as Record<string, Method>).QueryData;
    const wire = qd.responseSerialize({
      responses: {
        A: { frames: [Buffer.from([1, 2, 3])], error: 'e', status: 502, errorSource: 'downstream', format: 'ARROW' },
      },
    });
    expect(Buffer.isBuffer(wire)).toBe(true);
    const back = qd.responseDeserialize(wire);
    expect(back.responses).toEqual({
      A: {
        frames: [Buffer.from([1, 2, 3])],
        error: 'e',
        status: 502,
        errorSource: 'downstream',
        jsonMeta: Buffer.alloc(0),
        format: 'ARROW',
      },
    });
  });

  it('refuses to encode an array as a message', () => {
    const qd = (loadProtocol().data as unknown as Record<string, Method>).QueryData;
    expect(() => qd.responseSerialize([] as unknown as Raw)).toThrow(/array/);
  });
});
