// Locates the files hmm-watch loads at run time. In the bundle they sit beside the entry in dist/
// (dist/wasm, dist/profiles, dist/schemas); from the sources (tests) they sit at the repository root and in
// node_modules.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

function firstExisting(candidates: string[], what: string): string {
  for (const c of candidates) if (existsSync(c)) return c;
  throw new Error(`hmm-watch: cannot find ${what}; looked in ${candidates.join(', ')}`);
}

/** Directory that holds a bundled asset folder (`profiles`, `schemas`). */
export function assetDir(name: 'profiles' | 'schemas'): string {
  return firstExisting([path.join(here, name), path.join(here, '..', name), path.join(here, '..', '..', name)], `${name}/`);
}

export function wasmPath(name: 'web-tree-sitter.wasm' | 'tree-sitter-c.wasm'): string {
  const bundled = [path.join(here, 'wasm', name), path.join(here, '..', 'wasm', name)];
  const fromModules = (): string[] => {
    try {
      return name === 'web-tree-sitter.wasm'
        ? [require.resolve('web-tree-sitter/web-tree-sitter.wasm')]
        : [path.join(path.dirname(require.resolve('tree-sitter-c/package.json')), name)];
    } catch {
      return [];
    }
  };
  return firstExisting([...bundled, ...fromModules()], name);
}
