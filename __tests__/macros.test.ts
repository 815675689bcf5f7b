// Tables, members and calls that macros build, and positional initializers: read as the compiler reads them, the
// macro named; where they cannot be read, a diagnostic at the table and the capability reads "unknown", never
// "absent" or "disabled".
import { afterEach, describe, expect, it } from '@jest/globals';
import type { CapabilityResult } from '../src/rules/capabilities.js';
import type { Fact } from '../src/rules/types.js';
import { runScan } from '../src/scan/run.js';
import type { Snapshot } from '../src/snapshot/snapshot.js';
import { lines, makeTree, type TempTree } from './helpers/tree.js';

let tree: TempTree | undefined;
afterEach(() => tree?.remove());

async function scan(files: Record<string, string>): Promise<Snapshot> {
  tree = makeTree(files);
  return (await runScan(tree.root, { profile: 'linux-hmm-generic' })).snapshot;
}

const cap = (s: Snapshot, id: string): CapabilityResult => s.capabilities.find((c) => c.id === id)!;
const members = (s: Snapshot) =>
  s.facts.filter((f): f is Extract<Fact, { kind: 'ops-member' }> => f.kind === 'ops-member').map((f) => [f.line, f.table, f.member, f.value, f.macro]);

const SETUP = ['static int setup(struct dev_pagemap *pgmap)', '{', '\tpgmap->ops = &svm_ops;', '\treturn 0;', '}'];

describe('tables and members built by macros', () => {
  it('expands a table initialised entirely by a function-like macro of the file, naming the macro', async () => {
    const s = await scan({
      'drv/svm.c': lines(
        '#define SVM_PGMAP_OPS(fault) { .page_free = svm_free, .migrate_to_ram = fault }', // 1
        'static const struct dev_pagemap_ops svm_ops = SVM_PGMAP_OPS(svm_fault);', // 2
        ...SETUP
      )
    });
    expect(members(s)).toEqual([
      [2, 'svm_ops', 'migrate_to_ram', 'svm_fault', 'SVM_PGMAP_OPS'],
      [2, 'svm_ops', 'page_free', 'svm_free', 'SVM_PGMAP_OPS']
    ]);
    expect(cap(s, 'migrate-to-ram').status).toBe('enabled');
    expect(cap(s, 'migrate-to-ram').evidence[0].summary).toContain('from macro SVM_PGMAP_OPS');
  });

  it('reads a table built by a macro it cannot see as unknown, with a diagnostic at the table', async () => {
    const s = await scan({ 'drv/svm.c': lines('#include "elsewhere.h"', 'static const struct dev_pagemap_ops svm_ops = SVM_PGMAP_OPS(svm_fault);', ...SETUP) });
    expect(cap(s, 'migrate-to-ram').status).toBe('unknown');
    expect(cap(s, 'page-free').status).toBe('unknown');
    expect(s.diagnostics.files).toEqual([
      expect.objectContaining({ file: 'drv/svm.c', kind: 'macro', message: expect.stringMatching(/^line 2: svm_ops .*SVM_PGMAP_OPS/) })
    ]);
  });

  it('expands a member a macro supplies inside the braces; an unknown one makes the capability unknown', async () => {
    const known = await scan({
      'drv/svm.c': lines(
        '#define SVM_FAULT(fn) .migrate_to_ram = fn,', // 1
        'static const struct dev_pagemap_ops svm_ops = {', // 2
        '\t.page_free = svm_free,', // 3
        '\tSVM_FAULT(svm_fault)', // 4
        '};', // 5
        ...SETUP
      )
    });
    expect(members(known)).toEqual([
      [3, 'svm_ops', 'page_free', 'svm_free', undefined],
      [4, 'svm_ops', 'migrate_to_ram', 'svm_fault', 'SVM_FAULT']
    ]);
    expect(cap(known, 'migrate-to-ram').status).toBe('enabled');
    tree?.remove();
    const unknown = await scan({
      'drv/svm.c': lines('static const struct dev_pagemap_ops svm_ops = {', '\t.page_free = svm_free,', '\tSVM_FAULT(svm_fault)', '};', ...SETUP)
    });
    expect(cap(unknown, 'migrate-to-ram').status).toBe('unknown');
    expect(cap(unknown, 'page-free').status).toBe('enabled');
    expect(unknown.diagnostics.files.map((d) => d.kind)).toEqual(['macro']);
  });
});

describe('positional initializers', () => {
  const DRIVER = lines(
    'static const struct mmu_interval_notifier_ops range_ops = { range_invalidate };', // 1
    'int bind(struct mmu_interval_notifier *n, struct mm_struct *mm)', // 2
    '{', // 3
    '\treturn mmu_interval_notifier_insert(n, mm, 0, 4096, &range_ops);', // 4
    '}' // 5
  );

  it('maps positions to member names from the struct definition in the tree', async () => {
    const s = await scan({
      'include/linux/mmu_notifier.h': lines(
        'struct mmu_interval_notifier_ops {',
        '\tbool (*invalidate)(struct mmu_interval_notifier *, const void *, unsigned long);',
        '};'
      ),
      'drv/range.c': DRIVER
    });
    expect(members(s)).toEqual([[1, 'range_ops', 'invalidate', 'range_invalidate', undefined]]);
    expect(cap(s, 'interval-notifier').status).toBe('enabled');
    expect(s.diagnostics.files).toEqual([]);
  });

  it('reads them as unknown, with a diagnostic, when the tree has no definition', async () => {
    const s = await scan({ 'drv/range.c': DRIVER });
    expect(cap(s, 'interval-notifier').status).toBe('unknown');
    expect(s.diagnostics.files).toEqual([
      expect.objectContaining({
        file: 'drv/range.c',
        kind: 'positional',
        message: expect.stringContaining('no definition of struct mmu_interval_notifier_ops')
      })
    ]);
  });
});

describe('calls', () => {
  it('counts a call made through a function-like macro of the file where the macro is used', async () => {
    const s = await scan({
      'drv/mirror.c': lines(
        '#define MIRROR(r) hmm_range_fault(r)', // 1
        'static int fault_in(struct hmm_range *range)', // 2
        '{', // 3
        '\treturn MIRROR(range);', // 4
        '}' // 5
      )
    });
    expect(s.facts).toEqual([expect.objectContaining({ kind: 'call', line: 4, callee: 'hmm_range_fault', function: 'fault_in', macro: 'MIRROR' })]);
    expect(cap(s, 'hmm-range-fault').status).toBe('enabled');
  });

  it('counts mmu_notifier_get_locked() as a notifier registration', async () => {
    const s = await scan({
      'drv/gru.c': lines('struct mmu_notifier *bind(struct mm_struct *mm)', '{', '\treturn mmu_notifier_get_locked(&gru_ops, mm);', '}')
    });
    expect(s.facts).toEqual([expect.objectContaining({ kind: 'call', callee: 'mmu_notifier_get_locked', function: 'bind' })]);
  });
});
