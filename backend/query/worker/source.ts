// The query worker's code. The build (scripts/build-backend.mjs) replaces SIGIL_QUERY_WORKER_SOURCE with the
// bundled text of ./entry.ts; unbundled (jest, tsx scripts) the same bundle is built here at first use.
import { join } from 'node:path';

declare const SIGIL_QUERY_WORKER_SOURCE: string | undefined;

let built: string | undefined;

export function queryWorkerSource(): string {
  if (typeof SIGIL_QUERY_WORKER_SOURCE === 'string') return SIGIL_QUERY_WORKER_SOURCE;
  if (built === undefined) {
    const root = join(__dirname, '..', '..', '..');
    const helper = join(root, 'scripts', 'query-worker-bundle.cjs');
    // A computed path: the bundler must not follow it (this branch is gone from the bundle).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildQueryWorker } = require(helper) as { buildQueryWorker: (root: string) => string };
    built = buildQueryWorker(root);
  }
  return built;
}
