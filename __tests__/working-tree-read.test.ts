// Reading a working tree's files: whole files of every size around the reused buffer, and the size limit, without
// asking a file's size before reading it.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WorkingTree } from '../src/source/tree.js';
import { makeTree, type TempTree } from './helpers/tree.js';

const MB = 1 << 20;
/** Bytes that differ from position to position, so that a misplaced or repeated chunk is seen. */
function content(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed + (i >> 10)) & 0xff;
  return b;
}

const sizes = [0, 1, MB - 1, MB, MB + 1, 2 * MB, 3 * MB + 7];
let tree: TempTree;
beforeAll(() => {
  tree = makeTree(Object.fromEntries(sizes.map((n, i) => [`f${n}.bin`, content(n, i)])));
});
afterAll(() => tree.remove());

describe('WorkingTree.read', () => {
  it('reads every file whole, one after another through the same tree, whatever their sizes', async () => {
    const t = new WorkingTree(tree.root);
    // Large then small then large again: the buffer grows and is reused.
    for (const [i, n] of [...sizes.entries(), ...[...sizes.entries()].reverse()]) {
      const r = await t.read(`f${n}.bin`, 8 * MB);
      expect('bytes' in r && Buffer.compare(r.bytes, content(n, i))).toBe(0);
    }
  });

  it('refuses a file over the limit with its size, and reads one exactly at the limit', async () => {
    const t = new WorkingTree(tree.root);
    expect(await t.read(`f${MB + 1}.bin`, MB)).toEqual({ tooLarge: MB + 1 });
    expect(await t.read(`f${3 * MB + 7}.bin`, 2 * MB)).toEqual({ tooLarge: 3 * MB + 7 });
    expect(await t.read(`f${3 * MB + 7}.bin`, 10)).toEqual({ tooLarge: 3 * MB + 7 });
    const atLimit = await t.read(`f${2 * MB}.bin`, 2 * MB);
    expect('bytes' in atLimit && atLimit.bytes.length).toBe(2 * MB);
    const small = await t.read('f1.bin', 1);
    expect('bytes' in small && small.bytes.length).toBe(1);
    expect(await t.read('f1.bin', 0)).toEqual({ tooLarge: 1 });
  });

  it('says why a file cannot be read', async () => {
    const r = await new WorkingTree(tree.root).read('missing.c', MB);
    expect(r).toMatchObject({ code: 'ENOENT' });
  });
});
