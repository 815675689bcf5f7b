// pathMatcher answers the common globs (`**/NAME`, `**/*.EXT`, dot-folder excludes) with string tests: it must
// answer every path exactly as picomatch's translation of the globs does (the one semantics, ./glob.ts).
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import picomatch from 'picomatch';
import { pathMatcher, simpleGlob } from '../src/source/glob.js';

const SEGMENTS = [
  'a',
  'b',
  '.git',
  '.',
  '..',
  '',
  'Makefile',
  'x.c',
  '.c',
  'c',
  'Kbuild',
  'x.Kbuild',
  '.Kbuild',
  'y.mk',
  'z.h',
  'Kconfig',
  'aKbuild',
  'x.c.orig'
];
const GLOBS = [
  '**/Makefile',
  '**/Kbuild',
  '**/*.Kbuild',
  '**/*.c',
  '**/*.h',
  '**/*.mk',
  '**/Kconfig',
  '**/.git',
  '**/.git/**',
  '.git',
  'a/**/*.c',
  '*.c',
  '**/*',
  '{a/.git,b}',
  '**/{Makefile,Kbuild}',
  'a/[xb].c',
  '**/?.c',
  './a',
  'a/./b',
  '!**/*.c',
  'x.c'
];

function reference(globs: readonly string[]): (p: string) => boolean {
  const res = globs.map((g) => picomatch.makeRe(g, { dot: true }));
  return (p) => res.some((r) => r.test(p)) || globs.includes(p);
}

describe('pathMatcher', () => {
  it('answers as picomatch (dot files included) for any list of globs and any path', () => {
    let matched = 0;
    fc.assert(
      fc.property(fc.subarray(GLOBS, { minLength: 1 }), fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 5 }), (globs, segments) => {
        const p = segments.join('/');
        const want = reference(globs)(p);
        expect(pathMatcher(globs)(p)).toBe(want);
        if (want) matched++;
      }),
      { numRuns: 2000, seed: 3 }
    );
    expect(matched).toBeGreaterThan(500);
  });

  it('takes the string tests only for the globs whose meaning they keep', () => {
    expect(simpleGlob('**/Makefile')).toEqual({ kind: 'name', text: 'Makefile' });
    expect(simpleGlob('**/*.Kbuild')).toEqual({ kind: 'suffix', text: '.Kbuild' });
    expect(simpleGlob('**/.git/**')).toEqual({ kind: 'never' });
    expect(simpleGlob('{a/.git,b}')).toBeUndefined();
    expect(simpleGlob('a/**/*.c')).toBeUndefined();
  });
});
