// Reading a commit's files through one `git cat-file --batch` process: blobs much larger than a pipe's chunk,
// asked for ahead of time among small ones, come back whole and in order.

import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { GitTree } from '../src/source/git-tree.js';
import { makeTree, type TempTree } from './helpers/tree.js';

let repo: TempTree;
const files: Record<string, string> = {};

beforeAll(() => {
  // Sizes around and far over the 64 KiB chunks a pipe delivers, between files of a few bytes.
  const sizes = [5, 3 * 1024 * 1024 + 7, 0, 65536, 65535, 65537, 12, 1024 * 1024];
  sizes.forEach((n, i) => {
    let text = '';
    for (let k = 0; text.length < n; k++) text += `/* file ${i} line ${k} */\n`;
    files[`drv/f${i}.c`] = text.slice(0, n);
  });
  repo = makeTree(files);
  const git = (...args: string[]): void => void execFileSync('git', args, { cwd: repo.root });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-qm', 'files');
});
afterAll(() => repo.remove());

it('reads large and small blobs whole, whether asked for ahead of time or not', async () => {
  const tree = await GitTree.open(repo.root, 'HEAD');
  try {
    const names = (await tree.list([])).map((e) => e.path);
    expect(names.sort()).toEqual(Object.keys(files).sort());
    tree.prefetch(names.slice(0, 5), 16 * 1024 * 1024);
    const read = await Promise.all(names.map((f) => tree.read(f, 16 * 1024 * 1024)));
    read.forEach((r, i) => {
      expect('bytes' in r && r.bytes.toString('utf8')).toBe(files[names[i]]);
    });
  } finally {
    tree.close();
  }
});
