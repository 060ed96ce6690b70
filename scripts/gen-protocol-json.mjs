// Regenerates backend/protocol/proto/protocol.json from the .proto files (`node scripts/gen-protocol-json.mjs`):
// the parsed protobufjs descriptor the plugin loads at start, so the executable parses no .proto text.
// backend/protocol/load.test.ts fails when the JSON and the .proto files disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const dir = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'backend', 'protocol', 'proto');

/** The descriptor of the plugin protocol's .proto files, in the order they import each other. */
export function protocolDescriptor() {
  const root = new protobuf.Root();
  for (const file of ['empty', 'backend', 'health', 'go_plugin']) {
    protobuf.parse(readFileSync(join(dir, `${file}.proto`), 'utf8'), root, { keepCase: true });
  }
  root.resolveAll();
  return root.toJSON();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(join(dir, 'protocol.json'), `${JSON.stringify(protocolDescriptor(), null, 1)}\n`);
}
