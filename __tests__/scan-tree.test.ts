// Whole-tree scans: skipped files, diagnostics, resilience to broken code, and deterministic snapshots.

import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runScan } from '../src/scan/run.js';
import { serializeSnapshot } from '../src/snapshot/snapshot.js';
import { WorkingTree } from '../src/source/tree.js';
import { lines, makeTree, type TempTree } from './helpers/tree.js';

const MACRO_HEAVY = lines(
  'static const struct mmu_interval_notifier_ops early_ops = {', // 1
  '    .invalidate = early_invalidate,', // 2
  '};', // 3
  'DECLARE_THING(foo, { weird ( syntax ,,, })', // 4
  '#if defined(A)', // 5
  'static int broken(void) {', // 6
  '    if (x) {', // 7
  '#else', // 8
  'static int broken(long y) {', // 9
  '#endif', // 10
  '    return 0;', // 11
  '}', // 12
  'FOR_EACH_THING(t, list) { t->x = 1; }', // 13
  'int late_user(struct migrate_vma *args)', // 14
  '{', // 15
  '    return migrate_vma_setup(args);', // 16
  '}' // 17
);

let tree: TempTree;
beforeAll(() => {
  tree = makeTree({
    'drv/macro-heavy.c': MACRO_HEAVY,
    'drv/bad.c': lines('#endif', 'void f(void) { hmm_range_fault(&r); }'),
    'drv/missing.c': lines('#if X', 'void g(void) { hmm_range_fault(&r); }'),
    'drv/big.c': `void big(void) { hmm_range_fault(&r); }\n${'/* padding */\n'.repeat(200)}`,
    'drv/firmware.c': Buffer.from('hmm_range_fault(\0\0binary'),
    'README.md': lines('# Driver', 'Supports HMM.'),
    'notes.txt': lines('nothing here')
  });
  symlinkSync('/etc/hostname', path.join(tree.root, 'drv', 'outside.c'));
});
afterAll(() => tree.remove());

describe('scanning a tree', () => {
  it('keeps the facts outside a broken, macro-heavy region and reports its parse errors', async () => {
    const { snapshot } = await runScan(tree.root, { profile: 'linux-hmm-generic', maxFileBytes: 1000 });
    const here = snapshot.facts.filter((f) => f.file === 'drv/macro-heavy.c');
    expect(here.filter((f) => f.kind === 'ops-member')).toEqual([expect.objectContaining({ line: 2, member: 'invalidate', table: 'early_ops' })]);
    expect(here.filter((f) => f.kind === 'call')).toEqual([expect.objectContaining({ line: 16, callee: 'migrate_vma_setup', function: 'late_user' })]);
    const diag = snapshot.diagnostics.files.find((d) => d.file === 'drv/macro-heavy.c');
    expect(diag).toMatchObject({ kind: 'parse-errors' });
    expect(snapshot.diagnostics.parseErrors).toBeGreaterThan(0);
  });

  it('reports unbalanced directives and still extracts the file', async () => {
    const { snapshot } = await runScan(tree.root, { profile: 'linux-hmm-generic', maxFileBytes: 1000 });
    const msgs = snapshot.diagnostics.files.filter((d) => d.kind === 'preprocessor').map((d) => `${d.file}: ${d.message}`);
    expect(msgs).toEqual(['drv/bad.c: line 1: #endif without #if (ignored)', 'drv/missing.c: line 1: #if without #endif (closed at end of file)']);
    const calls = snapshot.facts.filter((f) => f.kind === 'call' && f.file !== 'drv/macro-heavy.c');
    expect(calls.map((f) => [f.file, f.line, f.condition])).toEqual([
      ['drv/bad.c', 2, '1'],
      ['drv/missing.c', 2, 'X']
    ]);
  });

  it('skips and lists oversized, binary and symlinked files, never following a link out of the tree', async () => {
    const { snapshot } = await runScan(tree.root, { profile: 'linux-hmm-generic', maxFileBytes: 1000 });
    expect(snapshot.diagnostics.skipped.map((s) => [s.file, s.reason])).toEqual([
      ['drv/big.c', 'too-large'],
      ['drv/firmware.c', 'binary'],
      ['drv/outside.c', 'symlink']
    ]);
    expect(snapshot.facts.some((f) => f.file === 'drv/big.c')).toBe(false);
    const bigger = await runScan(tree.root, { profile: 'linux-hmm-generic', maxFileBytes: 1 << 20 });
    expect(bigger.snapshot.facts.some((f) => f.file === 'drv/big.c')).toBe(true);
  });

  it('gives the same bytes for the same tree, and keeps timings out unless asked', async () => {
    const a = serializeSnapshot((await runScan(tree.root, { profile: 'nvidia-uvm-hmm' })).snapshot);
    const b = serializeSnapshot((await runScan(tree.root, { profile: 'nvidia-uvm-hmm' })).snapshot);
    expect(a).toBe(b);
    expect(JSON.parse(a).run).toBeUndefined();
    const timed = (await runScan(tree.root, { profile: 'nvidia-uvm-hmm', timings: true })).snapshot;
    expect(timed.run).toMatchObject({ filesRead: expect.any(Number), peakRssBytes: expect.any(Number) });
    // The fixed costs: this tree has code to parse, so the parser's load is among them.
    expect(Object.keys(timed.run!.fixed ?? {})).toEqual(['nodeStartMs', 'loadMs', 'parserLoadMs', 'parserWaitMs', 'workerStartMs', 'snapshotMs']);
  });

  it('records the schema, the tool and the profile hash', async () => {
    const { snapshot, loaded } = await runScan(tree.root, { profile: 'nvidia-uvm-hmm' });
    expect(snapshot).toMatchObject({
      schema: 'hmm-watch/snapshot',
      schemaVersion: 1,
      tool: { name: 'hmm-watch' },
      profile: { id: 'nvidia-uvm-hmm', hash: loaded.hash, source: 'builtin:nvidia-uvm-hmm' },
      tree: { root: tree.root }
    });
  });

  it('fails clearly on a tree that does not exist', async () => {
    await expect(runScan(path.join(tree.root, 'nope'), { profile: 'nvidia-uvm-hmm' })).rejects.toThrow(/tree '.*nope' does not exist/);
  });
});

describe('the result cache', () => {
  let tree: TempTree;
  beforeAll(() => {
    tree = makeTree({ 'a.c': lines('int f(struct migrate_vma *args)', '{', '    return migrate_vma_setup(args);', '}') });
  });
  afterAll(() => tree.remove());

  it('keeps a scanned result, never a read failure (the next run reads the file again)', async () => {
    const { loadProfile } = await import('../src/rules/profile.js');
    const { RulePlan } = await import('../src/rules/plan.js');
    const { ResultCache } = await import('../src/scan/result-cache.js');
    const { scanTree } = await import('../src/scan/scan.js');
    const plan = new RulePlan((await loadProfile('linux-hmm-generic')).profile, []);
    const scanWith = async (failReads: boolean) => {
      const cache = await ResultCache.load(path.join(tree.root, '.cache'), 'r', 't');
      const working = new WorkingTree(tree.root);
      const withBlobs = Object.assign(Object.create(working) as WorkingTree, {
        blobOf: () => 'blob1',
        source: () => undefined,
        read: failReads ? async () => ({ error: 'EIO: i/o error', code: 'EIO' }) : working.read.bind(working)
      });
      const scanned = await scanTree(withBlobs, plan, { maxFileBytes: 1 << 20, jobs: 1, cache });
      return { scanned, stored: cache.get('a.c', 'blob1') };
    };
    const failed = await scanWith(true);
    expect(failed.scanned.skipped.map((s) => s.reason)).toEqual(['unreadable']);
    expect(failed.stored).toBeUndefined();
    const good = await scanWith(false);
    expect(good.scanned.facts.length).toBeGreaterThan(0);
    expect(good.stored?.facts.length).toBe(good.scanned.facts.length);
  });
});
