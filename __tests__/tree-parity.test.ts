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

describe('headers whose macros build tables and calls', () => {
  const SETUP = ['static int setup(struct dev_pagemap *pgmap)', '{', '\tpgmap->ops = &svm_ops;', '\treturn 0;', '}'];
  const gitCommit = (cwd: string) => {
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' }
      });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-qm', 'one');
  };

  it('give the same snapshot bytes for a working tree and a git ref, with headers found, missing, linked and left out', async () => {
    const tree = makeTree({
      'include/linux/svm_helpers.h': lines('#include "svm_fault.h"', '#include <linux/absent.h>'),
      'include/linux/svm_fault.h': lines('#define SVM_FAULT(fn) .migrate_to_ram = fn,'),
      'drv/skip/svm.h': lines('#define SVM_PGMAP_OPS(fault) { .migrate_to_ram = fault }'),
      'drv/real.h': lines('#define DRV_FAULT(r) hmm_range_fault(r)'),
      'drv/svm.c': lines(
        '#include <linux/svm_helpers.h>',
        '#include "skip/svm.h"',
        '#include "linked.h"',
        'static const struct dev_pagemap_ops svm_ops = {',
        '\tSVM_FAULT(svm_fault)',
        '};',
        'static const struct dev_pagemap_ops other_ops = SVM_PGMAP_OPS(f);',
        'int mirror(struct hmm_range *range) { return DRV_FAULT(range); }',
        ...SETUP
      )
    });
    execFileSync('ln', ['-s', 'real.h', 'drv/linked.h'], { cwd: tree.root });
    gitCommit(tree.root);
    for (const exclude of [[], ['drv/skip']]) {
      const working = await runScan(tree.root, { profile: 'linux-hmm-generic', exclude });
      const ref = await runScan(tree.root, { profile: 'linux-hmm-generic', exclude, ref: 'main' });
      expect(serializeSnapshot(ref.snapshot)).toBe(serializeSnapshot(working.snapshot));
    }
    // A linked header is not read (links are never followed): the call through it is not counted.
    const { snapshot } = await runScan(tree.root, { profile: 'linux-hmm-generic', exclude: ['drv/skip'] });
    expect(snapshot.facts.some((f) => f.kind === 'call')).toBe(false);
    expect(snapshot.facts.filter((f) => f.kind === 'ops-member').map((f) => (f as { member: string }).member)).toEqual(['migrate_to_ram', '?']);
    tree.remove();
  });
});
