#!/usr/bin/env node
// Fails when the TypeScript sources import each other in a cycle: between files (type-only imports
// included, as they still tie the modules' designs together) and between backend folders (a folder
// may not import one that imports it back). Relative imports only; packages cannot form cycles here.
// Usage: node scripts/check-cycles.mjs [root ...]   (default: backend src)
import { readFileSync, statSync, existsSync } from 'node:fs';
import { tsSources } from './tsSources.mjs';
import { dirname, join, relative, resolve } from 'node:path';

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['backend', 'src'];
const base = process.cwd();
const IMPORT = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/g;

function resolveImport(from, spec) {
  const target = resolve(dirname(from), spec);
  for (const candidate of [
    target,
    `${target}.ts`,
    `${target}.tsx`,
    join(target, 'index.ts'),
    join(target, 'index.tsx'),
  ]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

const files = roots.flatMap((r) => tsSources(resolve(base, r)));
const graph = new Map(files.map((f) => [f, new Set()]));
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(IMPORT)) {
    const target = resolveImport(file, m[1]);
    if (target && graph.has(target)) graph.get(file).add(target);
  }
}

/** Strongly connected components with more than one node (or a self-loop): the cycles. */
function cycles(g) {
  let index = 0;
  const idx = new Map(),
    low = new Map(),
    onStack = new Set(),
    stack = [],
    found = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (g.get(v) ?? new Set()).has(v)) found.push(scc);
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return found;
}

/** Sub-folders that are layers of their own: query/parse, the answer readers, lies below aws and http. */
const SUBLAYERS = ['backend/query/parse'];

/** backend/<folder>, or backend/<module> for a top-level backend file; other roots by their first folder. */
function folderOf(file) {
  const rel = relative(base, file).split(/[\\/]/);
  const sublayer = SUBLAYERS.find((s) => rel.slice(0, 3).join('/') === s);
  if (sublayer) return sublayer;
  if (rel[0] === 'backend') return `backend/${rel[1].replace(/(\.test)?\.tsx?$/, '')}`;
  return rel
    .slice(0, 2)
    .join('/')
    .replace(/(\.test)?\.tsx?$/, '');
}
const folders = new Map();
for (const [file, targets] of graph) {
  const from = folderOf(file);
  if (!folders.has(from)) folders.set(from, new Set());
  for (const t of targets) {
    const to = folderOf(t);
    if (to !== from) folders.get(from).add(to);
  }
}

const fileCycles = cycles(graph);
const folderCycles = cycles(folders);
for (const c of fileCycles)
  console.log(
    `file cycle: ${c
      .map((f) => relative(base, f))
      .reverse()
      .join(' -> ')}`,
  );
for (const c of folderCycles) console.log(`folder cycle: ${c.reverse().join(' -> ')}`);
console.log(`${files.length} files: ${fileCycles.length} file cycles, ${folderCycles.length} folder cycles`);
process.exit(fileCycles.length + folderCycles.length > 0 ? 1 : 0);
