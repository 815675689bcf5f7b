// Driver units: facts grouped by the module the Kbuild files build them into (else by folder), core code as the
// provider, test modules marked; the report's unit matrix, per-unit compare and --unit.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { compareSnapshots } from '../src/compare/compare.js';
import { parseCondition, render } from '../src/frontend/condition.js';
import { renderReport } from '../src/report/markdown.js';
import { runScan } from '../src/scan/run.js';
import type { Snapshot } from '../src/snapshot/snapshot.js';
import { expand, KbuildIndex, kbuildLines } from '../src/units/kbuild.js';
import { MAX_CONDITION_LITERALS, MAX_FOLDER_DEPTH } from '../src/units/kbuild-conditions.js';
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

/** The index of build files given as texts (as the scan keeps them: kbuildLines of each). */
const indexOf = (files: Record<string, string>) => new KbuildIndex(new Map(Object.entries(files).map(([f, text]) => [f, kbuildLines(text)])));
/** A file's build condition as text, undefined when it is always built. */
const built = (index: KbuildIndex, file: string) => {
  const c = index.buildCondition(file);
  return c && render(c);
};
const on = (x: string) => `IS_ENABLED(CONFIG_${x})`;
/** A condition's canonical text (operands in any order). */
const canon = (text: string) => render(parseCondition(text));

describe('Kbuild build conditions', () => {
  it('keep the conditional directives of a build file, not those inside a define, and nothing of a file that assigns nothing', () => {
    const text = lines(
      'ifeq ($(CONFIG_A),y)',
      'obj-m += a.o',
      'else ifdef CONFIG_B',
      'obj-m += b.o',
      'endif',
      'define RULE',
      'ifeq ($(V),1)',
      'endef',
      'all:',
      '\techo'
    );
    expect(kbuildLines(text)).toEqual(['ifeq ($(CONFIG_A),y)', 'obj-m += a.o', 'else ifdef CONFIG_B', 'obj-m += b.o', 'endif']);
    expect(kbuildLines(lines('ifdef CONFIG_A', 'endif'))).toEqual([]);
  });

  it('follow ifeq/ifneq/ifdef/ifndef blocks, else and else-if branches and nesting, on top of a line’s own options', () => {
    const index = indexOf({
      'd/Makefile': lines(
        'ifeq ($(CONFIG_A),y)',
        'obj-m += a.o',
        'else ifeq ($(CONFIG_B), m)',
        'obj-m += b.o',
        'else',
        'obj-m += c.o',
        'endif',
        'ifneq ($(CONFIG_C),)',
        '  ifdef CONFIG_D',
        '    obj-m += d.o',
        '  endif',
        '  ifndef CONFIG_E',
        '    obj-$(CONFIG_F) += e.o',
        '  endif',
        'endif',
        'ifeq ($(CONFIG_G)$(CONFIG_H),)',
        'obj-m += g.o',
        'endif',
        'ifneq (y,$(CONFIG_I))',
        'obj-m += i.o',
        'endif',
        'obj-m += plain.o'
      )
    });
    expect(built(index, 'd/a.c')).toBe('IS_BUILTIN(CONFIG_A)');
    expect(built(index, 'd/b.c')).toBe('!IS_BUILTIN(CONFIG_A) && IS_MODULE(CONFIG_B)');
    expect(built(index, 'd/c.c')).toBe('!IS_BUILTIN(CONFIG_A) && !IS_MODULE(CONFIG_B)');
    expect(built(index, 'd/d.c')).toBe(`${on('C')} && ${on('D')}`);
    expect(built(index, 'd/e.c')).toBe(canon(`${on('C')} && !${on('E')} && ${on('F')}`));
    expect(built(index, 'd/g.c')).toBe(`!${on('G')} && !${on('H')}`);
    expect(built(index, 'd/i.c')).toBe('!IS_BUILTIN(CONFIG_I)');
    expect(built(index, 'd/plain.c')).toBeUndefined();
    // Every branch is still read for what a unit can be made of.
    for (const x of ['a', 'b', 'c', 'd', 'e', 'g', 'i']) expect(index.moduleOf(`d/${x}.c`)).toEqual({ name: x, dir: 'd' });
  });

  it('give the words of variables assigned inside a block their condition, and follow includes inside a block', () => {
    const index = indexOf({
      'gpu/drv/Makefile': lines(
        'drv-y := core.o',
        'ifneq ($(CONFIG_DRV_KFD),)',
        'include $(src)/../kfd/Makefile',
        'drv-y += $(KFD_FILES) kfd_glue.o',
        'endif',
        'obj-$(CONFIG_DRV) += drv.o'
      ),
      // Its blocks are its own: a stray endif does not end the includer's, an unterminated one ends with the file.
      'gpu/kfd/Makefile': lines(
        'endif',
        'KFD_FILES := ../kfd/kfd_chardev.o',
        'ifeq ($(CONFIG_DRV_SVM),y)',
        'KFD_FILES += ../kfd/kfd_svm.o',
        'endif',
        'ifdef CONFIG_OPEN'
      )
    });
    expect(built(index, 'gpu/drv/core.c')).toBe(on('DRV'));
    expect(built(index, 'gpu/drv/kfd_glue.c')).toBe(`${on('DRV')} && ${on('DRV_KFD')}`);
    expect(built(index, 'gpu/kfd/kfd_chardev.c')).toBe(`${on('DRV')} && ${on('DRV_KFD')}`);
    expect(built(index, 'gpu/kfd/kfd_svm.c')).toBe(canon(`${on('DRV')} && ${on('DRV_KFD')} && IS_BUILTIN(CONFIG_DRV_SVM)`));
    expect(index.moduleOf('gpu/kfd/kfd_svm.c')).toEqual({ name: 'drv', dir: 'gpu/drv' });
  });

  it('add nothing for conditions that are not about Kconfig options', () => {
    const index = indexOf({
      'd/Makefile': lines(
        'CONFIG_LOCAL := m',
        'ifeq ($(ARCH),x86)',
        'obj-m += x86.o',
        'else',
        'obj-m += other.o',
        'endif',
        'ifneq ($(KERNELRELEASE),)',
        'ifeq ($(cc-name),clang)',
        'obj-m += clang.o',
        'endif',
        'endif',
        'ifdef CONFIG_LOCAL',
        'obj-m += local.o',
        'endif',
        'ifneq ($(CONFIG_FRAME_WARN),0)',
        'obj-m += warn.o',
        'endif',
        'ifeq ($(CONFIG_A),$(CONFIG_B))',
        'obj-m += same.o',
        'endif',
        'ifeq ($(CONFIG_A)$(CONFIG_B),y)',
        'obj-m += one.o',
        'endif',
        // An unknown branch in a chain: the known ones still count, the unknown adds nothing.
        'ifdef CONFIG_K',
        'obj-m += k.o',
        'else ifeq ($(ARCH),arm64)',
        'obj-m += arm.o',
        'else',
        'obj-m += rest.o',
        'endif',
        'endif',
        'endif'
      )
    });
    for (const x of ['x86', 'other', 'clang', 'local', 'warn', 'same', 'one']) expect([x, built(index, `d/${x}.c`)]).toEqual([x, undefined]);
    expect(built(index, 'd/k.c')).toBe(on('K'));
    expect(built(index, 'd/arm.c')).toBe(`!${on('K')}`);
    expect(built(index, 'd/rest.c')).toBe(`!${on('K')}`);
  });

  it('follow the folder chain: a folder is built where a build file above lists it, a folder none lists adds nothing', () => {
    const index = indexOf({
      Kbuild: lines('obj-y += drivers/', 'obj-$(CONFIG_NET) += net/'),
      'drivers/Makefile': lines('obj-$(CONFIG_DRM) += gpu/drm/', 'subdir-$(CONFIG_SAMPLES) += samples'),
      'drivers/gpu/drm/Makefile': lines('ifeq ($(CONFIG_VGPU_HOST),y)', 'obj-y += vgpu/', 'endif', 'obj-$(CONFIG_DRM_TTM) += ttm/'),
      'drivers/gpu/drm/vgpu/Makefile': lines('vgpu-y := vgpu_main.o svm/vgpu_svm.o', 'obj-$(CONFIG_VGPU) += vgpu.o'),
      'drivers/samples/Makefile': lines('obj-m += sample.o'),
      'other/Makefile': lines('obj-m += other.o')
    });
    const chain = `${on('DRM')} && IS_BUILTIN(CONFIG_VGPU_HOST)`;
    expect(built(index, 'drivers/gpu/drm/vgpu/vgpu_main.c')).toBe(canon(`${chain} && ${on('VGPU')}`));
    expect(built(index, 'drivers/gpu/drm/vgpu/svm/vgpu_svm.c')).toBe(canon(`${chain} && ${on('VGPU')}`));
    // No line lists it: built when its folder is (drivers/gpu is not listed: its parent decides).
    expect(built(index, 'drivers/gpu/drm/ttm/ttm_bo.c')).toBe(`${on('DRM')} && ${on('DRM_TTM')}`);
    expect(built(index, 'drivers/gpu/drm/drm_helper.c')).toBe(on('DRM'));
    expect(built(index, 'drivers/samples/sample.c')).toBe(on('SAMPLES'));
    expect(built(index, 'net/core/sock.c')).toBe(on('NET'));
    expect(built(index, 'other/other.c')).toBeUndefined();
    expect(built(index, 'drivers/base/core.c')).toBeUndefined();
    // The chain does not change what a unit is made of.
    expect(index.moduleOf('drivers/gpu/drm/vgpu/svm/vgpu_svm.c')).toEqual({ name: 'vgpu', dir: 'drivers/gpu/drm/vgpu' });
  });

  it('bound the folder chain: a build file listing its own folder or one above adds nothing, deep trees and long chains end', () => {
    const cyclic = indexOf({
      'a/Makefile': lines('obj-$(CONFIG_A) += ./ ../ ../b/ b/../../a/', 'obj-m += x.o'),
      'b/Makefile': lines('obj-$(CONFIG_B) += ../a/ ../b/', 'obj-m += y.o')
    });
    expect(built(cyclic, 'a/x.c')).toBeUndefined();
    expect(built(cyclic, 'b/y.c')).toBeUndefined();

    // A chain of folders each listing the next under its own option: followed up to MAX_FOLDER_DEPTH levels.
    const files: Record<string, string> = {};
    const deep = MAX_FOLDER_DEPTH + 6;
    for (let i = 0, dir = ''; i < deep; i++) {
      files[`${dir}Makefile`] = lines(`obj-$(CONFIG_L${i}) += d/`, 'obj-m += f.o');
      dir += 'd/';
    }
    const chain = indexOf(files);
    const at = (depth: number) => `${'d/'.repeat(depth)}f.c`;
    expect(built(chain, at(3))).toBe([0, 1, 2].map((i) => on(`L${i}`)).join(' && '));
    expect(render(chain.buildCondition(at(MAX_FOLDER_DEPTH - 2))!).split(' && ')).toHaveLength(MAX_FOLDER_DEPTH - 2);
    expect(built(chain, at(deep - 1))).toBeUndefined();

    // Blocks nested past the bound and a long else-if chain keep at most MAX_CONDITION_LITERALS literals, outermost first.
    const nested = [...Array.from({ length: 200 }, (_, i) => `ifdef CONFIG_N${i}`), 'obj-m += n.o', ...Array(200).fill('endif')];
    const elses = ['ifdef CONFIG_E0', ...Array.from({ length: 3000 }, (_, i) => `else ifdef CONFIG_E${i + 1}`), 'obj-m += e.o', 'endif'];
    const blocks = indexOf({ 'n/Makefile': lines(...nested), 'e/Makefile': lines(...elses) });
    const n = render(blocks.buildCondition('n/n.c')!).split(' && ');
    expect(n.length).toBeLessThanOrEqual(MAX_CONDITION_LITERALS);
    expect(n).toContain(on('N0'));
    expect(n).not.toContain(on('N199'));
    const e = render(blocks.buildCondition('e/e.c')!).split(' && ');
    expect(e.length).toBeLessThanOrEqual(MAX_CONDITION_LITERALS);
    expect(e).toContain(`!${on('E0')}`);
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
