/* global require, module, process, __filename, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports */
// The SEA entry point of the linux-amd64 executable (scripts/build-backend.mjs), and the build's maker of
// the V8 code cache it uses.
//
// Node's own SEA code cache (useCodeCache) is made before anything runs: it holds the top-level code only, and
// every module body of the bundle (esbuild wraps each one in a function run on first require) was compiled
// again at each start. This cache is made by running the bundle up to the handshake line, so it holds every
// function the start runs; later ones (the handlers, loaded after the line) still compile on first use.
//
// In the executable: the bundle and the cache are SEA assets (backend.cjs, backend.cache). At build time
// (not a SEA): `node [the executable's execArgv] code-cache-loader.cjs <bundle> <cache-out>` starts the bundle
// as Grafana would (the caller sets the handshake environment), writes the cache once the handshake line is
// written, and exits. V8 checks the cache (its version, code-generation flags, source length) and ignores one
// that does not match; the build's smoke test fails on that (the line below), so a stale cache never ships.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const sea = require('node:sea');
const vm = require('node:vm');

/** The bundle as a CommonJS module function; the same text in the executable and in the maker. */
function compile(source, cachedData) {
  return new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: 'sigil-backend.cjs',
    cachedData,
  });
}

function run(script) {
  script.runInThisContext()(module.exports, require, module, __filename, __dirname);
}

if (sea.isSea()) {
  const script = compile(sea.getAsset('backend.cjs', 'utf8'), new Uint8Array(sea.getRawAsset('backend.cache')));
  if (script.cachedDataRejected && process.env.SIGIL_SMOKE_TEST === '1')
    process.stderr.write('sigil: code cache rejected\n');
  run(script);
} else {
  const [bundleFile, cacheFile] = process.argv.slice(2);
  const script = compile(readFileSync(bundleFile, 'utf8'));
  const write = process.stdout.write;
  process.stdout.write = function (chunk, ...rest) {
    const written = write.call(this, chunk, ...rest);
    if (/^1\|2\|/.test(String(chunk))) {
      writeFileSync(cacheFile, script.createCachedData());
      process.exit(0);
    }
    return written;
  };
  run(script);
}
