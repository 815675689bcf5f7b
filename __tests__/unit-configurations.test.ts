// Driver units and configurations as one report: every unit's verdict in every configuration, the matrix in the
// first configuration with "≠ NAME" where another differs, "Where configurations differ", compare per unit and
// configuration (counted by fail-on), the comment size, and the layouts that stay as they were.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import MarkdownIt from 'markdown-it';
import { compareSnapshots } from '../src/compare/compare.js';
import type { ConfigurationSpec } from '../src/platform/configuration.js';
import { renderReport } from '../src/report/markdown.js';
import { terminalFor } from '../src/report/terminal.js';
import { renderText } from '../src/report/text.js';
import { runScan } from '../src/scan/run.js';
import { parseSnapshot } from '../src/snapshot/read.js';
import { type Snapshot, serializeSnapshot } from '../src/snapshot/snapshot.js';
import { restrictUnits } from '../src/units/units.js';
import { auditMarkdown } from './helpers/html-audit.js';
import { lines, makeTree, type TempTree } from './helpers/tree.js';

const fn = (name: string, ...body: string[]) => [`int ${name}(void *p)`, '{', ...body.map((b) => `\t${b}`), '}'];

const DRIVERS: Record<string, string> = {
  // nouveau: migration and device atomics only with CONFIG_DEVICE_PRIVATE.
  // Its device memory only when the build files build nouveau_dmem.o (CONFIG_DRM_NOUVEAU_SVM).
  'drivers/gpu/nouveau/Kbuild': lines(
    'nouveau-y := nouveau_svm.o',
    'nouveau-$(CONFIG_DRM_NOUVEAU_SVM) += nouveau_dmem.o',
    'obj-$(CONFIG_DRM_NOUVEAU) := nouveau.o'
  ),
  'drivers/gpu/nouveau/nouveau_dmem.c': lines(
    'static const struct dev_pagemap_ops nouveau_dmem_pagemap_ops = {',
    '\t.page_free = nouveau_dmem_page_free,',
    '\t.migrate_to_ram = nouveau_dmem_migrate_to_ram,',
    '};'
  ),
  'drivers/gpu/nouveau/nouveau_svm.c': lines(
    ...fn('nouveau_range_fault', 'return hmm_range_fault(p);'),
    '#if IS_ENABLED(CONFIG_DEVICE_PRIVATE)',
    ...fn('nouveau_migrate', 'return migrate_vma_setup(p);'),
    ...fn('nouveau_atomic', 'return make_device_exclusive(p);'),
    '#endif'
  ),
  // amdkfd: its device-private pagemap only on x86_64.
  'drivers/gpu/amdkfd/Makefile': lines('amdkfd-y := kfd_migrate.o', 'obj-$(CONFIG_HSA_AMD) += amdkfd.o'),
  'drivers/gpu/amdkfd/kfd_migrate.c': lines(
    '#if defined(CONFIG_X86_64)',
    'static const struct dev_pagemap_ops svm_migrate_pgmap_ops = {',
    '\t.page_free = svm_migrate_page_free,',
    '\t.migrate_to_ram = svm_migrate_to_ram,',
    '};',
    '#endif',
    ...fn('svm_migrate_vma', 'return migrate_vma_setup(p);')
  ),
  // The self-test: migration and device atomics always, no pagemap of its own.
  'lib/Makefile': lines('obj-$(CONFIG_TEST_HMM) += test_hmm.o'),
  'lib/test_hmm.c': lines(
    ...fn('dmirror_fault', 'return hmm_range_fault(p);'),
    ...fn('dmirror_migrate', 'return migrate_vma_setup(p);'),
    ...fn('dmirror_exclusive', 'return make_device_exclusive(p);')
  )
};

/** The modules' own options (obj-$(CONFIG_…) in the build files), set in every configuration. */
const MODULES = ['CONFIG_DRM_NOUVEAU=m', 'CONFIG_HSA_AMD=y', 'CONFIG_TEST_HMM=m'];

/** One kernel tree and a .config per configuration (x86_64 with DEVICE_PRIVATE, arm64 with or without it). */
function kernel(): TempTree {
  return makeTree({
    'linux/include/linux/mm.h': lines('struct page;'),
    'x86_64.config': lines('CONFIG_X86_64=y', 'CONFIG_DEVICE_PRIVATE=y', 'CONFIG_DRM_NOUVEAU_SVM=y', ...MODULES),
    'arm64.config': lines('CONFIG_ARM64=y', '# CONFIG_DEVICE_PRIVATE is not set', ...MODULES),
    'arm64-dp.config': lines('CONFIG_ARM64=y', 'CONFIG_DEVICE_PRIVATE=y', ...MODULES),
    'bare.config': lines('CONFIG_ARM64=y', 'CONFIG_HSA_AMD=y')
  });
}

function specs(k: TempTree, armConfig = 'arm64.config', names = ['x86_64', 'arm64']): ConfigurationSpec[] {
  return [
    { name: names[0], arch: 'x86_64', kernel: `${k.root}/linux`, config: `${k.root}/x86_64.config` },
    { name: names[1], arch: 'aarch64', kernel: `${k.root}/linux`, config: `${k.root}/${armConfig}` }
  ];
}

const md = new MarkdownIt({ html: true });

/** The rendered tables of a report, each as rows of cell texts (the header row first). */
function tables(markdown: string): string[][][] {
  const out: string[][][] = [];
  let rows: string[][] | undefined;
  let row: string[] | undefined;
  let inCell = false;
  for (const t of md.parse(markdown, {})) {
    if (t.type === 'table_open') rows = [];
    else if (t.type === 'table_close') {
      out.push(rows!);
      rows = undefined;
    } else if (t.type === 'tr_open') row = [];
    else if (t.type === 'tr_close') rows!.push(row!);
    else if (t.type === 'th_open' || t.type === 'td_open') {
      inCell = true;
      row!.push('');
    } else if (t.type === 'th_close' || t.type === 'td_close') inCell = false;
    else if (t.type === 'inline' && inCell)
      row![row!.length - 1] = (t.children ?? []).map((c) => (c.type === 'text' || c.type === 'code_inline' ? c.content : '')).join('');
  }
  return out;
}

/** The rendered text of a report (entities decoded), for what a reader sees. */
function text(markdown: string): string {
  return md
    .render(markdown)
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/\u200b/g, '');
}

let tree: TempTree;
let k: TempTree;
let snapshot: Snapshot;
let profile: Awaited<ReturnType<typeof runScan>>['loaded']['profile'];
beforeAll(async () => {
  tree = makeTree(DRIVERS);
  k = kernel();
  const r = await runScan(tree.root, { profile: 'linux-hmm-generic', jobs: 1, configurations: specs(k) });
  snapshot = r.snapshot;
  profile = r.loaded.profile;
});
afterAll(() => {
  tree.remove();
  k.remove();
});

const col = (s: Snapshot, id: string): number => s.capabilities.findIndex((c) => c.id === id) + 1;

describe('verdicts per unit and configuration', () => {
  it('are taken from each unit’s own facts, not the whole tree’s', () => {
    const [x86, arm] = snapshot.configurations!;
    // The whole tree has a pagemap with migrate_to_ram (amdkfd's); the self-test has none of its own.
    expect(x86.capabilities['migrate-to-ram'].status).toBe('enabled');
    expect(x86.units!.test_hmm['migrate-to-ram'].status).toBe('absent');
    expect(x86.units!.amdkfd['migrate-to-ram'].status).toBe('enabled');
    expect(arm.units!.amdkfd['migrate-to-ram'].status).toBe('absent');
    // Device atomics: on arm64 (no DEVICE_PRIVATE) nouveau has none, the self-test still has them.
    expect(arm.capabilities['device-exclusive'].status).toBe('enabled');
    expect(arm.units!.nouveau['device-exclusive'].status).toBe('absent');
    expect(arm.units!.test_hmm['device-exclusive'].status).toBe('enabled');
    expect(Object.keys(x86.units!)).toEqual(snapshot.units!.filter((u) => u.kind !== 'provider').map((u) => u.id));
  });
});

describe('build files in a configuration', () => {
  it('count a file the build files build only with a Kconfig option only where the configuration sets it, and say so', () => {
    const [x86, arm] = snapshot.configurations!;
    const nouveau = snapshot.units!.find((u) => u.id === 'nouveau')!;
    // Without a kernel the table counts; in arm64, whose .config does not set CONFIG_DRM_NOUVEAU_SVM, it is not built.
    expect(nouveau.capabilities.find((c) => c.id === 'migrate-to-ram')!.status).toBe('enabled');
    expect(x86.units!.nouveau['migrate-to-ram'].status).toBe('enabled');
    expect(arm.units!.nouveau['migrate-to-ram'].status).toBe('absent');
    expect(arm.decisions).toContainEqual(
      expect.objectContaining({ atom: 'IS_ENABLED(CONFIG_DRM_NOUVEAU_SVM)', value: false, by: 'kconfig', how: 'CONFIG_DRM_NOUVEAU_SVM=(not set)' })
    );
    expect(x86.decisions).toContainEqual(expect.objectContaining({ atom: 'IS_ENABLED(CONFIG_DRM_NOUVEAU)', value: true, how: 'CONFIG_DRM_NOUVEAU=m' }));
    expect(x86.notBuilt).toBeUndefined();
    // The facts themselves keep the conditions the code gives them.
    expect(snapshot.facts.filter((f) => f.file.endsWith('nouveau_dmem.c')).map((f) => f.condition)).toEqual(['1', '1', '1']);
  });
});

describe('units a configuration does not build', () => {
  it('are named under the matrix, and their cells read absent there', async () => {
    const confs = [specs(k)[0], { name: 'bare', arch: 'aarch64', kernel: `${k.root}/linux`, config: `${k.root}/bare.config` }];
    const s = (await runScan(tree.root, { profile: 'linux-hmm-generic', jobs: 1, configurations: confs })).snapshot;
    expect(s.configurations![1].notBuilt).toEqual(['nouveau', 'test_hmm']);
    expect(s.configurations![1].units!.test_hmm['hmm-range-fault'].status).toBe('absent');
    // Read back through the snapshot schema, as compare and report-from read it.
    expect((await parseSnapshot(serializeSnapshot(s), 'snapshot.json')).configurations![1].notBuilt).toEqual(['nouveau', 'test_hmm']);
    const markdown = renderReport(s, undefined, { profile }).markdown;
    expect(text(markdown)).toContain('Not built in bare (the Kconfig options their build files name are not set): nouveau, test_hmm.');
    // --unit keeps the names of the units it keeps.
    expect(restrictUnits(s, ['test_hmm']).configurations![1].notBuilt).toEqual(['test_hmm']);
    expect(restrictUnits(s, ['amdkfd']).configurations![1].notBuilt).toBeUndefined();
  });
});

describe('build files’ conditional blocks and folder chain in a configuration', () => {
  it('make a unit below a folder its parent lists under an option, and a file under an ifeq, not built where the option is off', async () => {
    const files = {
      ...DRIVERS,
      // The GPU folders are built only as drivers/Makefile says; amdkfd's migration code only with CONFIG_HSA_AMD_SVM=y.
      'drivers/Makefile': lines('obj-$(CONFIG_DRM) += gpu/nouveau/', 'obj-y += gpu/amdkfd/'),
      'drivers/gpu/amdkfd/Makefile': lines(
        'amdkfd-y := kfd_core.o',
        'ifeq ($(CONFIG_HSA_AMD_SVM),y)',
        'amdkfd-y += kfd_migrate.o',
        'endif',
        'ifeq ($(ARCH),x86)',
        'amdkfd-y += kfd_x86.o',
        'endif',
        'obj-$(CONFIG_HSA_AMD) += amdkfd.o'
      ),
      'drivers/gpu/amdkfd/kfd_core.c': lines(...fn('kfd_fault', 'return hmm_range_fault(p);')),
      'drivers/gpu/amdkfd/kfd_x86.c': lines(...fn('kfd_x86_fault', 'return hmm_range_fault(p);'))
    };
    const t = makeTree(files);
    const kc = makeTree({
      'linux/include/linux/mm.h': lines('struct page;'),
      'on.config': lines('CONFIG_X86_64=y', 'CONFIG_DEVICE_PRIVATE=y', 'CONFIG_DRM=y', 'CONFIG_HSA_AMD_SVM=y', 'CONFIG_DRM_NOUVEAU_SVM=y', ...MODULES),
      'off.config': lines('CONFIG_X86_64=y', 'CONFIG_DEVICE_PRIVATE=y', 'CONFIG_HSA_AMD_SVM=m', 'CONFIG_DRM_NOUVEAU_SVM=y', ...MODULES)
    });
    try {
      const confs = ['on', 'off'].map((name) => ({ name, arch: 'x86_64', kernel: `${kc.root}/linux`, config: `${kc.root}/${name}.config` }));
      const s = (await runScan(t.root, { profile: 'linux-hmm-generic', jobs: 1, configurations: confs })).snapshot;
      const [on, off] = s.configurations!;
      expect(on.notBuilt).toBeUndefined();
      expect(off.notBuilt).toEqual(['nouveau']);
      expect(on.units!.amdkfd['migrate-to-ram'].status).toBe('enabled');
      expect(off.units!.amdkfd['migrate-to-ram'].status).toBe('absent');
      // A block not about options (ARCH) leaves its file built.
      expect(off.units!.amdkfd['hmm-range-fault'].status).toBe('enabled');
      expect(off.decisions).toContainEqual(expect.objectContaining({ atom: 'IS_BUILTIN(CONFIG_HSA_AMD_SVM)', value: false, how: 'CONFIG_HSA_AMD_SVM=m' }));
      expect(off.decisions).toContainEqual(expect.objectContaining({ atom: 'IS_ENABLED(CONFIG_DRM)', value: false }));
      // What the units are made of does not change.
      expect(s.units!.find((u) => u.id === 'amdkfd')!.files).toEqual([
        'drivers/gpu/amdkfd/kfd_core.c',
        'drivers/gpu/amdkfd/kfd_migrate.c',
        'drivers/gpu/amdkfd/kfd_x86.c'
      ]);
    } finally {
      t.remove();
      kc.remove();
    }
  });
});

describe('the report of several units in several configurations', () => {
  const report = () => renderReport(snapshot, undefined, { profile, links: (f, l) => `https://github.com/o/r/blob/${'a'.repeat(40)}/${f}#L${l}` }).markdown;

  it('opens with units × capabilities in the first configuration, a cell marked “≠ NAME” where another configuration differs', () => {
    const markdown = report();
    const [matrix] = tables(markdown);
    expect(matrix[0].slice(0, 2)).toEqual(['Unit', 'Folder']);
    const row = (unit: string) => matrix.find((r) => r[0].startsWith(unit))!;
    expect(matrix.slice(1).map((r) => r[0])).toEqual(['amdkfd', 'nouveau', 'test_hmm (test)']);
    const dx = col(snapshot, 'device-exclusive') + 1;
    const m2r = col(snapshot, 'migrate-to-ram') + 1;
    // The first configuration's symbol, then the mark and the configuration that differs.
    expect(row('nouveau')[dx]).toBe('✅ ≠ arm64');
    expect(row('amdkfd')[m2r]).toBe('✅ ≠ arm64');
    expect(row('test_hmm')[dx]).toBe('✅');
    expect(row('test_hmm')[m2r]).toBe('➖');
    const shown = text(markdown);
    expect(shown).toContain('Statuses in configuration x86_64 (CPU x86_64), the first of 2 configurations.');
    expect(row('nouveau')[col(snapshot, 'migrate-vma') + 1]).toBe('✅ ≠ arm64');
    expect(shown).toContain('≠ NAME: configuration NAME gives another status (6 cells, listed under “Where configurations differ”)');
    expect(markdown.indexOf('| Unit |')).toBeLessThan(markdown.indexOf('### Details'));
    expect(auditMarkdown(markdown, { repositories: ['o/r'] })).toEqual([]);
  });

  it('lists each marked cell with every configuration’s verdict in words, and each unit’s section has that unit’s verdicts', () => {
    const markdown = report();
    const shown = text(markdown);
    expect(shown).toContain('Where configurations differ (6 unit × capability cells)');
    const differ = tables(markdown).find((t) => t[0][0] === 'Unit' && t[0][1] === 'Capability')!;
    expect(differ[0]).toEqual(['Unit', 'Capability', 'x86_64', 'arm64']);
    expect(differ.slice(1).map((r) => [r[0], r[1].split(' ')[0], r[2], r[3]])).toEqual([
      ['amdkfd', String(col(snapshot, 'migrate-to-ram')), '✅ enabled', '➖ absent'],
      ['amdkfd', String(col(snapshot, 'page-free')), '✅ enabled', '➖ absent'],
      ['nouveau', String(col(snapshot, 'migrate-to-ram')), '✅ enabled', '➖ absent'],
      ['nouveau', String(col(snapshot, 'page-free')), '✅ enabled', '➖ absent'],
      ['nouveau', String(col(snapshot, 'migrate-vma')), '✅ enabled', '➖ absent'],
      ['nouveau', String(col(snapshot, 'device-exclusive')), '✅ enabled', '➖ absent']
    ]);
    // The self-test's own table: no pagemap in either configuration (the whole tree's verdict is "enabled").
    const unitTables = tables(markdown).filter((t) => t[0][0] === 'Capability' && t[0][1] === 'x86_64');
    expect(unitTables).toHaveLength(3);
    const selfTest = unitTables[2];
    const m2r = selfTest.find((r) => r[0].startsWith('CPU faults on device-private memory'))!;
    expect(m2r.slice(1, 3)).toEqual(['➖ absent', '➖ absent']);
    // The configuration sections no longer list whole-tree verdicts, which no unit has.
    expect(tables(markdown).some((t) => t[0].join('|') === 'Capability|Verdict|Why')).toBe(false);
  });

  it('a single unit (--unit) keeps the single-table layout with that unit’s verdicts in each configuration', () => {
    const one = restrictUnits(snapshot, ['nouveau']);
    const markdown = renderReport(one, undefined, { profile }).markdown;
    const [table] = tables(markdown);
    expect(table[0]).toEqual(['Capability', 'x86_64', 'arm64', 'Without a kernel', 'Evidence']);
    const dx = table.find((r) => r[0].startsWith('Device atomics'))!;
    expect(dx.slice(1, 3)).toEqual(['✅ enabled', '➖ absent']);
    expect(markdown).not.toContain('≠');
  });

  it('several units without configurations keep the matrix of statuses without a kernel', async () => {
    const plain = (await runScan(tree.root, { profile: 'linux-hmm-generic', jobs: 1 })).snapshot;
    const markdown = renderReport(plain, undefined, {}).markdown;
    expect(markdown).not.toContain('Statuses in configuration');
    expect(markdown).not.toContain('≠');
    const [matrix] = tables(markdown);
    expect(matrix.find((r) => r[0] === 'amdkfd')![col(plain, 'migrate-to-ram') + 1]).toBe('⚠️');
  });

  it('says so when no cell differs, and lists no differences', async () => {
    const same: ConfigurationSpec[] = ['a', 'b'].map((name) => ({ name, arch: 'x86_64', kernel: `${k.root}/linux`, config: `${k.root}/x86_64.config` }));
    const s = (await runScan(tree.root, { profile: 'linux-hmm-generic', jobs: 1, configurations: same })).snapshot;
    const markdown = renderReport(s, undefined, { profile }).markdown;
    expect(text(markdown)).toContain('the other configuration gives the same status in every cell');
    expect(markdown).not.toContain('≠');
    expect(markdown).not.toContain('**Where configurations differ**');
  });

  it('escapes configuration names and passes the HTML audit', async () => {
    const hostile = '@octocat #12 <img src=x> www.evil.test';
    const s = (await runScan(tree.root, { profile: 'linux-hmm-generic', jobs: 1, configurations: specs(k, 'arm64.config', ['x86_64', hostile]) })).snapshot;
    const markdown = renderReport(s, undefined, { profile }).markdown;
    expect(markdown).toContain('≠ @\u200boctocat &#35;\u200b12 &lt;img src=x&gt; www\u200b.evil.test');
    expect(auditMarkdown(markdown, { repositories: ['o/r'] })).toEqual([]);
  });
});

describe('compare per unit and configuration', () => {
  /** The same tree against a kernel whose arm64 .config dropped DEVICE_PRIVATE: facts and whole-tree verdicts stay. */
  async function pair(): Promise<{ before: Snapshot; after: Snapshot }> {
    const before = (await runScan(tree.root, { profile: 'linux-hmm-generic', jobs: 1, configurations: specs(k, 'arm64-dp.config') })).snapshot;
    return { before, after: snapshot };
  }

  it('names the unit and the configuration (“nouveau [arm64]”), and the status counts it', async () => {
    const { before, after } = await pair();
    const c = compareSnapshots(before, after);
    expect(c.facts).toEqual([]);
    expect(c.capabilities.every((x) => x.direction === 'unchanged')).toBe(true);
    expect(c.configurations.map((x) => [x.unit, x.configuration, x.id, x.direction])).toEqual([
      ['nouveau', 'arm64', 'migrate-vma', 'regressed'],
      ['nouveau', 'arm64', 'device-exclusive', 'changed']
    ]);
    expect(c.status).toBe('regressed');
    const markdown = renderReport(after, c, { profile }).markdown;
    const shown = text(markdown);
    expect(shown).toContain('nouveau [arm64]: migrate-vma ✅ enabled → ➖ absent (regressed)');
    expect(shown).toContain('nouveau [arm64]: device-exclusive ✅ enabled → ➖ absent\n');
    expect(shown).toMatch(/^Regressed: 1 capability regressed, 1 changed, 0 fact changes/m);
    const [matrix] = tables(markdown);
    expect(matrix.find((r) => r[0] === 'nouveau')![col(after, 'migrate-vma') + 1]).toBe('✅ ≠ arm64🔻');
    expect(matrix.find((r) => r[0] === 'nouveau')![col(after, 'device-exclusive') + 1]).toBe('✅ ≠ arm64🔄');
    expect(matrix.find((r) => r[0] === 'test_hmm (test)')![col(after, 'migrate-vma') + 1]).toBe('✅');
    expect(auditMarkdown(markdown, { repositories: ['o/r'] })).toEqual([]);
    const terminal = renderText(after, c, { terminal: terminalFor({}, { color: 'never', width: 120 }) });
    expect(terminal).toMatch(/▼ regressed +✔ enabled → – absent +nouveau \[arm64\]: Migrates process memory/);
  });

  it('fails the CLI compare with --fail-on regression (exit 5) on a regression in one unit and configuration', async () => {
    const { before, after } = await pair();
    const dir = makeTree({ 'before.json': serializeSnapshot(before), 'after.json': serializeSnapshot(after) });
    try {
      const r = spawnSync(
        process.execPath,
        [path.resolve('dist/cli.js'), 'compare', '--format', 'markdown', '--fail-on', 'regression', `${dir.root}/before.json`, `${dir.root}/after.json`],
        { encoding: 'utf8' }
      );
      expect(r.stderr).toBe('');
      expect(r.status).toBe(5);
      expect(text(r.stdout)).toContain('nouveau [arm64]: migrate-vma ✅ enabled → ➖ absent (regressed)');
    } finally {
      dir.remove();
    }
  });
});

describe('the comment size', () => {
  it('stays under the limit: the matrix is kept, the table of differences folds whole, the change list is shortened', async () => {
    // 120 units, each with two cells that differ between the configurations.
    const files: Record<string, string> = {};
    for (let i = 0; i < 120; i++) {
      files[`drivers/d${i}/Makefile`] = lines(`obj-m += drv${i}.o`, `drv${i}-y := main.o`);
      files[`drivers/d${i}/main.c`] = lines(
        '#if IS_ENABLED(CONFIG_DEVICE_PRIVATE)',
        ...fn(`f${i}`, 'return make_device_exclusive(p);'),
        ...fn(`g${i}`, 'return migrate_vma_setup(p);'),
        '#endif',
        ...fn(`h${i}`, 'return hmm_range_fault(p);')
      );
    }
    const big = makeTree(files);
    try {
      const before = (await runScan(big.root, { profile: 'linux-hmm-generic', jobs: 1, configurations: specs(k, 'arm64-dp.config') })).snapshot;
      const after = (await runScan(big.root, { profile: 'linux-hmm-generic', jobs: 1, configurations: specs(k) })).snapshot;
      const c = compareSnapshots(before, after);
      expect(c.configurations).toHaveLength(240);
      const limit = 30_000;
      const full = renderReport(after, c, { profile }).markdown;
      expect(Buffer.byteLength(full)).toBeGreaterThan(limit);
      const r = renderReport(after, c, { profile, maxBytes: limit });
      expect(r.folded).toBe(true);
      expect(Buffer.byteLength(r.markdown)).toBeLessThanOrEqual(limit);
      const [matrix] = tables(r.markdown);
      expect(matrix).toHaveLength(121);
      expect(r.markdown).not.toContain('**Where configurations differ**');
      expect(text(r.markdown)).toContain('…and 220 more.');
      expect(auditMarkdown(r.markdown, { repositories: ['o/r'] })).toEqual([]);
    } finally {
      big.remove();
    }
  });
});
