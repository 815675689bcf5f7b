// Macros of the headers a file includes (found in the tree by the search rule of src/frontend/includes.ts) build
// tables, members and calls as the file's own macros do, the macro and its header named; what cannot be found or
// read (an include the tree does not have, a limit) is said at the table and the capability reads "unknown". A
// cached result holds only while the headers it read are unchanged.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { MAX_INCLUDE_DEPTH } from '../src/frontend/includes.js';
import type { CapabilityResult } from '../src/rules/capabilities.js';
import type { Fact } from '../src/rules/types.js';
import { ResultCache } from '../src/scan/result-cache.js';
import { runScan } from '../src/scan/run.js';
import type { Snapshot } from '../src/snapshot/snapshot.js';
import { lines, makeTree, type TempTree } from './helpers/tree.js';

let tree: TempTree | undefined;
afterEach(() => tree?.remove());

async function scan(files: Record<string, string>, exclude?: string[]): Promise<Snapshot> {
  tree = makeTree(files);
  return (await runScan(tree.root, { profile: 'linux-hmm-generic', exclude })).snapshot;
}

const cap = (s: Snapshot, id: string): CapabilityResult => s.capabilities.find((c) => c.id === id)!;
const members = (s: Snapshot) =>
  s.facts
    .filter((f): f is Extract<Fact, { kind: 'ops-member' }> => f.kind === 'ops-member')
    .map((f) => [f.line, f.member, f.value, f.macro, f.macroDefinedAt, f.condition]);

const SETUP = ['static int setup(struct dev_pagemap *pgmap)', '{', '\tpgmap->ops = &svm_ops;', '\treturn 0;', '}'];
const TABLE_BY_MACRO = ['#include "svm.h"', 'static const struct dev_pagemap_ops svm_ops = SVM_PGMAP_OPS(svm_fault);', ...SETUP];

describe('macros of an included header', () => {
  it('expands a table a header macro builds, naming the macro and where the header defines it', async () => {
    const s = await scan({
      'drv/svm.h': lines('/* helpers */', '#define SVM_PGMAP_OPS(fault) { .page_free = svm_free, .migrate_to_ram = fault }'),
      'drv/svm.c': lines(...TABLE_BY_MACRO)
    });
    expect(members(s)).toEqual([
      [2, 'migrate_to_ram', 'svm_fault', 'SVM_PGMAP_OPS', 'drv/svm.h:2', '1'],
      [2, 'page_free', 'svm_free', 'SVM_PGMAP_OPS', 'drv/svm.h:2', '1']
    ]);
    expect(cap(s, 'migrate-to-ram').status).toBe('enabled');
    expect(cap(s, 'migrate-to-ram').evidence[0].summary).toContain('from macro SVM_PGMAP_OPS of drv/svm.h:2');
    expect(s.diagnostics.files).toEqual([]);
  });

  it('expands a member a macro supplies from a header found by <...> in an include folder, through a header it includes', async () => {
    const s = await scan({
      'include/linux/svm_helpers.h': lines('#include "svm_fault.h"'),
      'include/linux/svm_fault.h': lines('#define SVM_FAULT(fn) .migrate_to_ram = fn,'),
      'drivers/gpu/svm.c': lines(
        '#include <linux/svm_helpers.h>', // 1
        'static const struct dev_pagemap_ops svm_ops = {', // 2
        '\t.page_free = svm_free,', // 3
        '#ifdef CONFIG_SVM_FAULT', // 4
        '\tSVM_FAULT(svm_fault)', // 5
        '#endif', // 6
        '};', // 7
        ...SETUP
      )
    });
    expect(members(s)).toEqual([
      [3, 'page_free', 'svm_free', undefined, undefined, '1'],
      [5, 'migrate_to_ram', 'svm_fault', 'SVM_FAULT', 'include/linux/svm_fault.h:1', 'defined(CONFIG_SVM_FAULT)']
    ]);
    expect(cap(s, 'migrate-to-ram').status).not.toMatch(/absent|disabled|unknown/);
  });

  it('takes the first definition of a macro defined under #ifdef branches of a header; the fact keeps the use line`s condition', async () => {
    const s = await scan({
      'drv/svm.h': lines(
        '#ifdef CONFIG_SVM_FAULT', // 1
        '#define SVM_PGMAP_OPS(fault) { .page_free = svm_free, .migrate_to_ram = fault }', // 2
        '#else', // 3
        '#define SVM_PGMAP_OPS(fault) { .page_free = svm_free }', // 4
        '#endif' // 5
      ),
      'drv/svm.c': lines('#include "svm.h"', '#ifdef CONFIG_DRV', 'static const struct dev_pagemap_ops svm_ops = SVM_PGMAP_OPS(svm_fault);', '#endif', ...SETUP)
    });
    expect(members(s)).toEqual([
      [3, 'migrate_to_ram', 'svm_fault', 'SVM_PGMAP_OPS', 'drv/svm.h:2', 'defined(CONFIG_DRV)'],
      [3, 'page_free', 'svm_free', 'SVM_PGMAP_OPS', 'drv/svm.h:2', 'defined(CONFIG_DRV)']
    ]);
  });

  it('counts a call made through a function-like macro of a header, in a file that names the function nowhere', async () => {
    const s = await scan({
      'drv/drv.h': lines('#define DRV_FAULT(r) hmm_range_fault(r)'),
      'drv/mirror.c': lines(
        '#include "drv.h"', // 1
        'static const struct dev_pagemap_ops svm_ops = { .page_free = svm_free };', // 2
        'int mirror(struct hmm_range *range)', // 3
        '{', // 4
        '\treturn DRV_FAULT(range);', // 5
        '}' // 6
      )
    });
    const calls = s.facts.filter((f): f is Extract<Fact, { kind: 'call' }> => f.kind === 'call');
    expect(calls.map((c) => [c.line, c.callee, c.function, c.macro, c.macroDefinedAt])).toEqual([[5, 'hmm_range_fault', 'mirror', 'DRV_FAULT', 'drv/drv.h:1']]);
    expect(cap(s, 'hmm-range-fault').status).not.toBe('absent');
  });

  it('follows a header macro that calls through another header`s macro', async () => {
    const s = await scan({
      'drv/drv.h': lines('#include "low.h"', '#define DRV_FAULT(r) LOW_FAULT(r, 0)'),
      'drv/low.h': lines('#define LOW_FAULT(r, f) hmm_range_fault(r)'),
      'drv/mirror.c': lines(
        '#include "drv.h"',
        'static const struct dev_pagemap_ops svm_ops = { .page_free = svm_free };',
        'int mirror(struct hmm_range *range) { return DRV_FAULT(range); }'
      )
    });
    const calls = s.facts.filter((f): f is Extract<Fact, { kind: 'call' }> => f.kind === 'call');
    expect(calls.map((c) => [c.line, c.callee, c.macro, c.macroDefinedAt])).toEqual([[3, 'hmm_range_fault', 'DRV_FAULT', 'drv/drv.h:2']]);
  });
});

describe('headers that cannot be read', () => {
  it('names an include the tree does not have at the table; the capability reads unknown', async () => {
    const s = await scan({ 'drv/svm.c': lines(...TABLE_BY_MACRO) });
    expect(cap(s, 'migrate-to-ram').status).toBe('unknown');
    expect(s.diagnostics.files).toEqual([
      {
        file: 'drv/svm.c',
        kind: 'macro',
        message: expect.stringMatching(
          /^line 2: svm_ops is initialised by macro SVM_PGMAP_OPS, not defined in this file or the headers it includes \(not in the tree: "svm\.h"\)/
        )
      }
    ]);
  });

  it('reads a header left out by the excludes as not in the tree', async () => {
    const s = await scan(
      {
        'drv/inc/svm.h': lines('#define SVM_PGMAP_OPS(fault) { .migrate_to_ram = fault }'),
        'drv/svm.c': lines('#include "inc/svm.h"', ...TABLE_BY_MACRO.slice(1))
      },
      ['drv/inc']
    );
    expect(cap(s, 'migrate-to-ram').status).toBe('unknown');
    expect(s.diagnostics.files[0].message).toContain('(not in the tree: "inc/svm.h")');
  });

  it('ends an include cycle where it closes, and finds the macro past it', async () => {
    const s = await scan({
      'drv/a.h': lines('#include "b.h"'),
      'drv/b.h': lines('#include "a.h"', '#include "svm.h"'),
      'drv/svm.h': lines('#define SVM_PGMAP_OPS(fault) { .migrate_to_ram = fault }'),
      'drv/svm.c': lines('#include "a.h"', ...TABLE_BY_MACRO.slice(1))
    });
    expect(cap(s, 'migrate-to-ram').status).toBe('enabled');
    expect(s.diagnostics.files).toEqual([]);
  });

  it('stops past the include depth limit with a limit diagnostic at the table; the capability reads unknown', async () => {
    const depth = MAX_INCLUDE_DEPTH + 1;
    const chain: Record<string, string> = {};
    for (let i = 1; i < depth; i++) chain[`drv/h${i}.h`] = lines(`#include "h${i + 1}.h"`);
    chain[`drv/h${depth}.h`] = lines('#define SVM_PGMAP_OPS(fault) { .migrate_to_ram = fault }');
    const s = await scan({ ...chain, 'drv/svm.c': lines('#include "h1.h"', ...TABLE_BY_MACRO.slice(1)) });
    expect(cap(s, 'migrate-to-ram').status).toBe('unknown');
    expect(s.diagnostics.files).toEqual([
      {
        file: 'drv/svm.c',
        kind: 'limit',
        message: expect.stringContaining(`drv/h${depth}.h is included more than ${MAX_INCLUDE_DEPTH} levels deep (limit)`)
      }
    ]);
  });
});

describe('the result cache and git refs', () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' }
    });
  const commit = (cwd: string, message: string) => {
    git(cwd, 'add', '-A');
    git(cwd, '-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-qm', message);
  };

  it('scans again a file whose header changed, though the file did not', async () => {
    tree = makeTree({
      'drv/svm.h': lines('#define SVM_PGMAP_OPS(fault) { .page_free = svm_free }'),
      'drv/svm.c': lines(...TABLE_BY_MACRO)
    });
    git(tree.root, 'init', '-q', '-b', 'main');
    commit(tree.root, 'one');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hmm-watch-cache-'));
    try {
      const scanRef = async () => {
        const cache = await ResultCache.load(dir, 'r', 't');
        const { snapshot } = await runScan(tree!.root, { profile: 'linux-hmm-generic', ref: 'main', cache });
        cache.save();
        return { snapshot, hits: cache.hits };
      };
      const before = await scanRef();
      expect(cap(before.snapshot, 'migrate-to-ram').status).toBe('disabled');
      execFileSync('sh', ['-c', `printf '#define SVM_PGMAP_OPS(fault) { .page_free = svm_free, .migrate_to_ram = fault }\\n' > drv/svm.h`], { cwd: tree.root });
      commit(tree.root, 'two');
      const after = await scanRef();
      expect(cap(after.snapshot, 'migrate-to-ram').status).toBe('enabled');
      // The header itself is scanned again (its blob changed), and so is the file that includes it.
      expect(after.hits).toBe(0);
      expect((await scanRef()).hits).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
