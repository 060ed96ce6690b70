// Loads the .proto files into a gRPC package definition. The files are imported as text (esbuild's text
// loader bundles them into the single executable), parsed with protobufjs and handed to proto-loader as
// JSON, so nothing is read from disk at run time.
import * as protobuf from 'protobufjs';
import { fromJSON, type Options } from '@grpc/proto-loader';
import { loadPackageDefinition, type GrpcObject, type ServiceDefinition } from '@grpc/grpc-js';
import backendProto from './proto/backend.proto';
import healthProto from './proto/health.proto';
import goPluginProto from './proto/go_plugin.proto';
import emptyProto from './proto/empty.proto';

/** How messages look in JavaScript: int64 as decimal strings (no precision loss), enums as names. */
export const PROTO_OPTIONS: Options = {
  keepCase: true,
  longs: String,
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

function service(pkg: GrpcObject, path: string): ServiceDefinition {
  let node: unknown = pkg;
  for (const part of path.split('.')) node = (node as Record<string, unknown>)[part];
  const definition = (node as { service?: ServiceDefinition } | undefined)?.service;
  if (!definition) throw new Error(`protocol definition is missing service ${path}`);
  return definition;
}

let cached: ProtocolServices | undefined;

export function loadProtocol(): ProtocolServices {
  if (cached) return cached;
  const root = new protobuf.Root();
  for (const text of [emptyProto, backendProto, healthProto, goPluginProto]) {
    protobuf.parse(text, root, { keepCase: true });
  }
  root.resolveAll();
  const pkg = loadPackageDefinition(fromJSON(root.toJSON(), PROTO_OPTIONS));
  cached = {
    data: service(pkg, 'pluginv2.Data'),
    diagnostics: service(pkg, 'pluginv2.Diagnostics'),
    resource: service(pkg, 'pluginv2.Resource'),
    health: service(pkg, 'grpc.health.v1.Health'),
    controller: service(pkg, 'plugin.GRPCController'),
    stdio: service(pkg, 'plugin.GRPCStdio'),
    broker: service(pkg, 'plugin.GRPCBroker'),
  };
  return cached;
}
