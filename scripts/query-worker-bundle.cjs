/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports */
// The query worker (backend/query/worker/entry.ts) as one JavaScript text. A single executable cannot load
// a worker from a file, so the build embeds this text in the main bundle (esbuild `define`) and the pool
// starts it with `new Worker(text, { eval: true })`; unbundled runs (jest, tsx) build it at first use.
const { buildSync } = require('esbuild');
const { join } = require('node:path');

/**
 * How both bundles (this one and scripts/build-backend.mjs's) are minified: names kept as written (stack
 * traces, class names) by not shortening them; esbuild's keepNames would wrap every function made at run time
 * in a defineProperty call (1-2% of a small query's CPU in profiles).
 */
const MINIFY_KEEPING_NAMES = { minify: true, minifyIdentifiers: false };

/** @param {string} root the repository root; @param {string} target esbuild target, e.g. node20 */
function buildQueryWorker(root, target = 'node20') {
  const result = buildSync({
    entryPoints: [join(root, 'backend', 'query', 'worker', 'entry.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    target,
    format: 'cjs',
    mainFields: ['module', 'main'],
    supported: { 'dynamic-import': false },
    ...MINIFY_KEEPING_NAMES,
    legalComments: 'none',
    tsconfig: join(root, 'backend', 'tsconfig.json'),
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

/** The esbuild `define` that embeds the worker in the main bundle. */
function queryWorkerDefine(root, target) {
  return { SIGIL_QUERY_WORKER_SOURCE: JSON.stringify(buildQueryWorker(root, target)) };
}

module.exports = { buildQueryWorker, queryWorkerDefine, MINIFY_KEEPING_NAMES };
