// Driver units: facts grouped by the module the Kbuild files build them into (else by folder), core code as the
// provider, test modules marked; the report's unit matrix, per-unit compare and --unit.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { compareSnapshots } from '../src/compare/compare.js';
import { renderReport } from '../src/report/markdown.js';
import { runScan } from '../src/scan/run.js';
import type { Snapshot } from '../src/snapshot/snapshot.js';
import { expand, KbuildIndex, kbuildLines } from '../src/units/kbuild.js';
import { restrictUnits } from '../src/units/units.js';
import { lines, makeTree, type TempTree } from './helpers/tree.js';

const fn = (name: string, ...body: string[]) => [`int ${name}(void *p)`, '{', ...body.map((b) => `\t${b}`), '}'];

const FILES: Record<string, string> = {
  // A GPU driver whose SVM code sits in a subfolder and in a sibling folder, by an included Makefile's variable.
  'drivers/gpu/vgpu/Makefile': lines(
    'VKFD_PATH := ../vkfd',
    'include $(src)/../vkfd/Makefile',
    'vgpu-y := vgpu_drv.o \\',
    '\tsvm/vgpu_svm.o',
    'vgpu-$(CONFIG_VGPU_SVM) += $(VKFD_FILES)',
    'obj-$(CONFIG_VGPU) += vgpu.o'
  ),
  'drivers/gpu/vkfd/Makefile': lines('VKFD_FILES := $(addprefix $(VKFD_PATH)/,vkfd_migrate.o)'),
  'drivers/gpu/vgpu/svm/vgpu_svm.c': lines(...fn('vgpu_fault', 'return hmm_range_fault(p);')),
  'drivers/gpu/vkfd/vkfd_migrate.c': lines(...fn('vkfd_migrate', 'return migrate_vma_setup(p);')),
  'drivers/gpu/vgpu/Kconfig': lines('config VGPU_SVM', '\tdepends on HMM_MIRROR', '\tselect CONFIG_HMM_MIRROR'),
  // A notifier user and the self-test.
  'drivers/misc/notif/Makefile': lines('obj-$(CONFIG_NOTIF) := notif.o', 'notif-y := notif_main.o'),
  'drivers/misc/notif/notif_main.c': lines(...fn('notif_bind', 'return mmu_notifier_get_locked(&ops, p);')),
  'lib/Makefile': lines('obj-y += sort.o', 'obj-$(CONFIG_TEST_HMM) += test_hmm.o'),
  'lib/test_hmm.c': lines(...fn('dmirror_fault', 'return hmm_range_fault(p);'), ...fn('dmirror_exclusive', 'return make_device_exclusive(p);')),
  // Core code and a folder without build files.
  'mm/hmm.c': lines(...fn('hmm_range_fault_internal', 'return hmm_range_fault(p);')),
  'drivers/other/other.c': lines(...fn('other_fault', 'return hmm_range_fault(p);'))
};

let tree: TempTree;
let snapshot: Snapshot;
beforeAll(async () => {
  tree = makeTree(FILES);
  snapshot = (await runScan(tree.root, { profile: 'linux-hmm-generic' })).snapshot;
});
afterAll(() => tree.remove());

const unit = (s: Snapshot, id: string) => s.units!.find((u) => u.id === id)!;
const status = (s: Snapshot, id: string, cap: string) => unit(s, id).capabilities.find((c) => c.id === cap)!.status;

describe('Kbuild', () => {
  it('expands variables and the functions units need', () => {
    const vars = new Map([
      ['A', 'x.o y.o'],
      ['P', 'sub']
    ]);
    const braces = '$' + '{A}'; // Make's other form of a variable reference
    expect(expand(`$(addprefix $(P)/,$(A)) $(patsubst %.c,%.o,a.c b.c) ${braces}`, vars)).toBe('sub/x.o sub/y.o a.o b.o x.o y.o');
  });

  it('maps objects to the module that links them, following includes and NVIDIA-style *.Kbuild files', () => {
    const index = new KbuildIndex(
      new Map([
        [
          'kernel-open/nvidia-uvm/nvidia-uvm.Kbuild',
          kbuildLines(
            'NVIDIA_UVM_SOURCES += nvidia-uvm/uvm.c\nNVIDIA_UVM_OBJECTS = $(patsubst %.c,%.o,$(NVIDIA_UVM_SOURCES))\nobj-m += nvidia-uvm.o\nnvidia-uvm-y := $(NVIDIA_UVM_OBJECTS)\n'
          )
        ]
      ])
    );
    expect(index.moduleOf('kernel-open/nvidia-uvm/uvm.c')).toEqual({ name: 'nvidia-uvm', dir: 'kernel-open' });
    expect(index.moduleOf('kernel-open/nvidia-uvm/uvm_hmm.h')).toEqual({ name: 'nvidia-uvm', dir: 'kernel-open' });
  });
});

describe('units', () => {
  it('groups facts by module, marks the self-test and core code, and falls back to the folder', () => {
    expect(snapshot.units!.map((u) => [u.id, u.kind, u.source, u.dir, u.files])).toEqual([
      ['notif', 'driver', 'kbuild', 'drivers/misc/notif', ['drivers/misc/notif/notif_main.c']],
      ['other', 'driver', 'folder', 'drivers/other', ['drivers/other/other.c']],
      ['vgpu', 'driver', 'kbuild', 'drivers/gpu/vgpu', ['drivers/gpu/vgpu/Kconfig', 'drivers/gpu/vgpu/svm/vgpu_svm.c', 'drivers/gpu/vkfd/vkfd_migrate.c']],
      ['test_hmm', 'test', 'kbuild', 'lib', ['lib/test_hmm.c']],
      ['mm', 'provider', 'core', 'mm', ['mm/hmm.c']]
    ]);
  });

  it('evaluates capabilities per unit', () => {
    expect(status(snapshot, 'vgpu', 'hmm-range-fault')).toBe('enabled');
    expect(status(snapshot, 'vgpu', 'migrate-vma')).toBe('enabled');
    expect(status(snapshot, 'vgpu', 'kconfig-gated')).toBe('enabled');
    expect(status(snapshot, 'notif', 'hmm-range-fault')).toBe('absent');
    expect(status(snapshot, 'test_hmm', 'device-exclusive')).toBe('enabled');
    expect(status(snapshot, 'vgpu', 'device-exclusive')).toBe('absent');
  });
});

describe('report', () => {
  it('opens with the unit matrix, one row per driver or test unit, core code as providers', () => {
    const md = renderReport(snapshot, undefined, { links: (f, l) => `https://example.test/${f}#L${l}` }).markdown;
    const matrix = md.indexOf('| Unit | Folder |');
    expect(matrix).toBeGreaterThan(-1);
    expect(matrix).toBeLessThan(md.indexOf('### Details'));
    const rows = md.split('\n').filter((l) => (l.startsWith('| ') && l.includes('<code>drivers/')) || l.startsWith('| test_hmm'));
    expect(rows.map((r) => r.split('|')[1].trim())).toEqual(['notif', 'other', 'vgpu', 'test_hmm (test)']);
    expect(md).toContain('[✅](https://example.test/lib/test_hmm.c#L');
    expect(md).toMatch(/Core code, the provider of the APIs \(not a driver\): <code>mm<\/code> \(1 file\)/);
  });

  it('keeps the single-table layout for one unit (--unit), with that unit’s capabilities and facts', () => {
    const one = restrictUnits(snapshot, ['notif']);
    expect(one.facts.map((f) => f.file)).toEqual(['drivers/misc/notif/notif_main.c']);
    const md = renderReport(one, undefined, {}).markdown;
    expect(md).not.toContain('| Unit |');
    expect(md).toContain('| Capability | Status | Evidence |');
    expect(one.capabilities.find((c) => c.id === 'hmm-range-fault')!.status).toBe('absent');
  });
});

describe('compare per unit', () => {
  it('names the unit whose capability changed, and the status counts it when the tree-wide verdict does not change', async () => {
    const t = makeTree({
      ...FILES,
      'lib/test_hmm.c': lines(...fn('dmirror_fault', 'return hmm_range_fault(p);')),
      'drivers/misc/notif/notif_main.c': lines(...fn('notif_bind', 'return make_device_exclusive(p);'))
    });
    try {
      const after = (await runScan(t.root, { profile: 'linux-hmm-generic' })).snapshot;
      const c = compareSnapshots(snapshot, after);
      expect(c.capabilities.find((x) => x.id === 'device-exclusive')!.direction).toBe('unchanged');
      expect(c.units.map((u) => [u.id, u.change, u.capabilities.map((x) => [x.id, x.direction])])).toEqual([
        ['notif', 'kept', [['device-exclusive', 'changed']]],
        ['test_hmm', 'kept', [['device-exclusive', 'changed']]]
      ]);
      const md = renderReport(after, c, {}).markdown;
      expect(md).toContain('- test_hmm: device-exclusive ✅ enabled → ➖ absent');
      expect(md).toMatch(/^\*\*Changed\*\*: 2 unit changes, 3 fact changes/m);
      expect(c.status).toBe('changed');
    } finally {
      t.remove();
    }
  });
  it('says which condition a conditional unit capability moved between, not "conditional → conditional"', async () => {
    const gated = (cfg: string) =>
      makeTree({ ...FILES, 'drivers/misc/notif/notif_main.c': lines(`#ifdef ${cfg}`, ...fn('notif_bind', 'return make_device_exclusive(p);'), '#endif') });
    const [a, b] = [gated('CONFIG_NOTIF_OLD'), gated('CONFIG_NOTIF_NEW')];
    try {
      const before = (await runScan(a.root, { profile: 'linux-hmm-generic' })).snapshot;
      const after = (await runScan(b.root, { profile: 'linux-hmm-generic' })).snapshot;
      const md = renderReport(after, compareSnapshots(before, after), {}).markdown;
      const line = md.split('\n').find((l) => l.startsWith('- notif: device-exclusive'));
      expect(line).toMatch(/NOTIF_OLD.* → .*NOTIF_NEW/);
    } finally {
      a.remove();
      b.remove();
    }
  });
});

describe('CLI', () => {
  it('--unit restricts the report', () => {
    const cliPath = path.resolve('dist/cli.js');
    const r = spawnSync(process.execPath, [cliPath, 'scan', '--profile', 'linux-hmm-generic', '--unit', 'vgpu', tree.root], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('| Unit |');
    expect(r.stdout).toContain('vgpu_svm.c');
    expect(r.stdout).not.toContain('test_hmm.c');
  });
});
