// The gRPC service definitions of the plugin protocol, from protobufjs's descriptor of the .proto files
// (./proto/protocol.json, made by scripts/gen-protocol-json.mjs and checked against the .proto files by
// load.test.ts). The descriptor is loaded as JSON, so the executable parses no .proto text at start, and the
// definitions are built here: grpc-js needs only each method's path, streaming flags and codecs, so
// @grpc/proto-loader's reflection descriptors (most of its start-up cost) are never built.
import { configure, Root, util, type IConversionOptions, type Service, type Type } from 'protobufjs/light';
import type { ServiceDefinition } from '@grpc/grpc-js';
import descriptor from './proto/protocol.json';

// int64 fields are read as JavaScript numbers. With the `long` package at hand (it is bundled), protobufjs
// would build a Long object for every int64 field and print it as a decimal string, which decode.ts turned
// back into a number: a tenth of each call's protocol time. Grafana's int64s (ids, epoch milliseconds) are
// far below 2^53, where a number is exact. Set before any type is resolved (a field's int64 handling is
// fixed then).
util.Long = null as unknown as typeof util.Long;
configure();

/** How messages look in JavaScript: int64 as numbers (see above), enums as names. */
export const PROTO_OPTIONS: IConversionOptions = {
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
};

export interface ProtocolServices {
  data: ServiceDefinition;
  diagnostics: ServiceDefinition;
  resource: ServiceDefinition;
  health: ServiceDefinition;
  controller: ServiceDefinition;
  stdio: ServiceDefinition;
  broker: ServiceDefinition;
}

type Raw = Record<string, unknown>;

/** Plain object -> protobuf bytes: fromObject accepts what toObject gives (strings for int64 and enums). */
function serializer(type: Type): (value: Raw) => Buffer {
  return (value) => {
    if (Array.isArray(value)) throw new Error(`cannot serialize an array as ${type.name}`);
    const bytes = type.encode(type.fromObject(value)).finish();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}

/** Protobuf bytes -> plain object in PROTO_OPTIONS's shape. */
function deserializer(type: Type): (bytes: Buffer) => Raw {
  return (bytes) => type.toObject(type.decode(bytes), PROTO_OPTIONS);
}

/** `Foo_bar` -> `fooBar`: grpc-js also finds a handler under this name (as proto-loader's definitions say). */
function lowerCamel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1).replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function service(root: Root, path: string): ServiceDefinition {
  const svc = root.lookup(path) as Service | null;
  if (!svc || !('methods' in svc)) throw new Error(`protocol definition is missing service ${path}`);
  const definition: Record<string, unknown> = {};
  for (const method of svc.methodsArray) {
    const request = method.resolvedRequestType;
    const response = method.resolvedResponseType;
    if (!request || !response) throw new Error(`protocol method ${path}.${method.name} has unresolved types`);
    definition[method.name] = {
      path: `/${path}/${method.name}`,
      requestStream: !!method.requestStream,
      responseStream: !!method.responseStream,
      requestSerialize: serializer(request),
      requestDeserialize: deserializer(request),
      responseSerialize: serializer(response),
      responseDeserialize: deserializer(response),
      originalName: lowerCamel(method.name),
    };
  }
  return definition as ServiceDefinition;
}

let cached: ProtocolServices | undefined;

export function loadProtocol(): ProtocolServices {
  if (cached) return cached;
  const root = Root.fromJSON(descriptor);
  root.resolveAll();
  cached = {
    data: service(root, 'pluginv2.Data'),
    diagnostics: service(root, 'pluginv2.Diagnostics'),
    resource: service(root, 'pluginv2.Resource'),
    health: service(root, 'grpc.health.v1.Health'),
    controller: service(root, 'plugin.GRPCController'),
    stdio: service(root, 'plugin.GRPCStdio'),
    broker: service(root, 'plugin.GRPCBroker'),
  };
  return cached;
}
