// The TypeScript sources below a folder (no declaration files, nothing in node_modules or dot-folders),
// for the scripts that read the code: check-cycles.mjs, longest-functions.mjs.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every .ts/.tsx file below `dir` that `keep` accepts (default: all). */
export function tsSources(dir, keep = () => true) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(path).isDirectory()) out.push(...tsSources(path, keep));
    else if (/\.tsx?$/.test(name) && !/\.d\.ts$/.test(name) && keep(path)) out.push(path);
  }
  return out;
}
