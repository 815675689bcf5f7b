// A working tree and a git ref of the same commit are one tree: the same excludes leave out the same files, so
// their snapshots agree byte for byte (a folder glob such as `build` once left build/ out of a working-tree scan
// only, and a git-ref scan of the same commit reported its files as changes).

import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runScan } from '../src/scan/run.js';
import { serializeSnapshot } from '../src/snapshot/snapshot.js';
import { lines, makeTree, PARAM_PER_ARCH, type TempTree } from './helpers/tree.js';

const DRIVER = lines(...PARAM_PER_ARCH, 'int f(struct migrate_vma *args)', '{', '    return migrate_vma_setup(args);', '}');
const OTHER = lines('int g(struct migrate_vma *args)', '{', '    return migrate_vma_pages(args);', '}');

let repo: TempTree;
beforeAll(() => {
  repo = makeTree({
    'kernel-open/nvidia-uvm/uvm_hmm.c': DRIVER,
    'build/kernel-open/nvidia-uvm/uvm_hmm.c': DRIVER,
    'kernel-open/build/gen.c': OTHER,
    'kernel-open/nvidia-uvm/generated/g.c': OTHER,
    '.hidden/h.c': OTHER
  });
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: repo.root,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' }
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-qm', 'one');
});
afterAll(() => repo.remove());

describe('working tree and git ref of the same commit', () => {
  it.each([[[]], [['build']], [['build/']], [['**/build']], [['kernel-open/*/generated']], [['.hidden', '**/gen*.c']], [['kernel-open/nvidia-uvm']]])(
    'agree byte for byte with exclude %j',
    async (exclude) => {
      const working = await runScan(repo.root, { profile: 'nvidia-uvm-hmm', exclude });
      const ref = await runScan(repo.root, { profile: 'nvidia-uvm-hmm', exclude, ref: 'main' });
      expect(serializeSnapshot(ref.snapshot)).toBe(serializeSnapshot(working.snapshot));
    }
  );

  it('leaves a folder out with everything in it when a glob names the folder', async () => {
    const files = async (exclude: string[], ref?: string) =>
      [...new Set((await runScan(repo.root, { profile: 'nvidia-uvm-hmm', exclude, ref })).snapshot.facts.map((f) => f.file))].sort();
    // `build` names the top folder build/ only (no basename matching): kernel-open/build/ stays.
    const kept = ['.hidden/h.c', 'kernel-open/build/gen.c', 'kernel-open/nvidia-uvm/generated/g.c', 'kernel-open/nvidia-uvm/uvm_hmm.c'];
    expect(await files(['build'], 'main')).toEqual(kept);
    expect(await files(['build'])).toEqual(kept);
  });
});
