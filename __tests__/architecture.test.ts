// Rules of the source layout that review enforces: git is started from one module only, and the modules' run-time
// imports (type-only imports leave no trace in the bundle) have no cycles.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';

const SRC = path.resolve('src');
const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.split(path.sep).join('/'))
  .sort();
const text = new Map(files.map((f) => [f, readFileSync(path.join(SRC, f), 'utf8')]));

/** Static run-time imports of a module (`import … from './x.js'`, `export … from`), as paths under src/. */
function importsOf(file: string): string[] {
  const out: string[] = [];
  for (const m of text.get(file)!.matchAll(/^(?:import|export)\s(?!type\s)[^;]*?\sfrom\s+'(\.{1,2}\/[^']+)'/gms)) {
    out.push(path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1].replace(/\.js$/, '.ts'))));
  }
  return out;
}

describe('source layout', () => {
  it('starts git processes from src/source/git.ts only', () => {
    const spawning = files.filter((f) => /^import (?!type\s)[^;]*from '(?:node:)?child_process'/m.test(text.get(f)!));
    expect(spawning).toEqual(['source/git.ts']);
  });

  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, trail: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(f)), f].join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const g of importsOf(f)) if (text.has(g)) visit(g, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
    // The graph is read: modules do import each other.
    expect(importsOf('scan/run.ts')).toContain('source/git.ts');
  });
});
