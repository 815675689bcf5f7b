// Configurations: build probes read from a conftest.sh-like script and decided against small synthetic kernel
// trees (headers with and without migrate_device_range, folio_free, arch_invalidate_secondary_tlbs; a .config
// with and without CONFIG_DEVICE_PRIVATE), per-configuration verdicts, the matrix, and per-configuration compare.

import { writeFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { compareSnapshots } from '../src/compare/compare.js';
import { parseCondition, render } from '../src/frontend/condition.js';
import { minimise } from '../src/frontend/minimise.js';
import { readConfigurations } from '../src/inputs.js';
import { ConfigurationError, parseConfigurationSpec } from '../src/platform/configuration.js';
import { parseConftest } from '../src/platform/conftest.js';
import { KernelTree } from '../src/platform/kernel-tree.js';
import { ProbeDecider } from '../src/platform/probes.js';
import { conditionInWords } from '../src/report/condition-words.js';
import { renderReport } from '../src/report/markdown.js';
import { runScan } from '../src/scan/run.js';
import { lines, makeTree, PARAM_PER_ARCH, type TempTree } from './helpers/tree.js';

const CONFTEST = lines(
  '#!/bin/sh', // 1
  'compile_test() {', // 2
  '    case "$1" in', // 3
  '        migrate_device_range)', // 4
  '            #', // 5
  '            # migrate_device_range() was added in v6.1 (2022-09-28).', // 6
  '            CODE="', // 7
  '            #include <linux/migrate.h>', // 8
  '            int conftest_migrate_device_range(void) {', // 9
  '                migrate_device_range();', // 10
  '            }"', // 11
  '', // 12
  '            compile_check_conftest "$CODE" "NV_MIGRATE_DEVICE_RANGE_PRESENT" "" "functions"', // 13
  '        ;;', // 14
  '        dev_pagemap_ops_has_folio_free)', // 15
  '            CODE="', // 16
  '            #include <linux/memremap.h>', // 17
  '            void f(struct folio *folio) {}', // 18
  '            void g(void) {', // 19
  '                struct dev_pagemap_ops ops;', // 20
  '                ops.folio_free = f;', // 21
  '            }"', // 22
  '            compile_check_conftest "$CODE" "NV_PAGEMAP_OPS_HAS_FOLIO_FREE" "" "types"', // 23
  '        ;;', // 24
  '        mmu_notifier_ops_arch_invalidate_secondary_tlbs)', // 25
  '            CODE="', // 26
  '            #include <linux/mmu_notifier.h>', // 27
  '            int c(void) { return offsetof(struct mmu_notifier_ops, arch_invalidate_secondary_tlbs); }"', // 28
  '            compile_check_conftest "$CODE" "NV_MMU_NOTIFIER_OPS_HAS_ARCH_INVALIDATE_SECONDARY_TLBS" "" "types"', // 29
  '        ;;', // 30
  '        odd_one)', // 31
  '            CODE="', // 32
  '            #include <linux/mm.h>', // 33
  '            #if !defined(SOMETHING)', // 34
  '            #error nope', // 35
  '            #endif"', // 36
  '            compile_check_conftest "$CODE" "NV_ODD_ONE_PRESENT" "" "generic"', // 37
  '        ;;', // 38
  '    esac', // 39
  '}' // 40
);

const LINUX_H = lines(
  '#ifndef UVM_LINUX_H',
  '#define UVM_LINUX_H',
  '#if defined(CONFIG_HMM_MIRROR) && defined(CONFIG_DEVICE_PRIVATE) && defined(NV_MIGRATE_DEVICE_RANGE_PRESENT)',
  '    #define UVM_IS_CONFIG_HMM() 1',
  '#else',
  '    #define UVM_IS_CONFIG_HMM() 0',
  '#endif',
  '#endif'
);

const PMM_C = lines(
  '#include "uvm_linux.h"',
  '#if UVM_IS_CONFIG_HMM()',
  'static const struct dev_pagemap_ops devmem_ops = {',
  '#if defined(NV_PAGEMAP_OPS_HAS_FOLIO_FREE)',
  '    .folio_free = devmem_folio_free,',
  '#else',
  '    .page_free = devmem_page_free,',
  '#endif',
  '    .migrate_to_ram = fault,',
  '};',
  '#if defined(NV_ODD_ONE_PRESENT)',
  'static void evict(void) { migrate_device_range(0, 0, 0); }',
  '#endif',
  '#endif'
);

function driver(): TempTree {
  return makeTree({
    'kernel-open/conftest.sh': CONFTEST,
    'kernel-open/nvidia-uvm/uvm_linux.h': LINUX_H,
    'kernel-open/nvidia-uvm/uvm_pmm_gpu.c': PMM_C,
    'kernel-open/nvidia-uvm/uvm_hmm.c': lines('#include "uvm_linux.h"', ...PARAM_PER_ARCH)
  });
}

/** A headers package: an arch part whose Makefile includes a common part beside it (as Debian ships them). */
function kernel(opts: { migrateDeviceRange: boolean; folioFree: boolean; devicePrivate: boolean }): TempTree {
  const migrate = lines(
    '#ifndef _LINUX_MIGRATE_H', // 1
    '#define _LINUX_MIGRATE_H', // 2
    '#include <linux/mm.h>', // 3
    '#ifdef CONFIG_MIGRATION', // 4
    'int migrate_vma_setup(struct migrate_vma *args);', // 5
    ...(opts.migrateDeviceRange ? ['int migrate_device_range(unsigned long *src_pfns, unsigned long start,', '\t\t\tunsigned long npages);'] : []),
    '#endif',
    '#endif'
  );
  const memremap = lines(
    'struct dev_pagemap_ops {', // 1
    opts.folioFree ? '\tvoid (*folio_free)(struct folio *folio);' : '\tvoid (*page_free)(struct page *page);', // 2
    '\tvm_fault_t (*migrate_to_ram)(struct vm_fault *vmf);', // 3
    '};'
  );
  return makeTree({
    'linux-headers-9.9.0-amd64/Makefile': 'include /nonexistent/linux-headers-9.9.0-common/Makefile\n',
    'linux-headers-9.9.0-amd64/.config': lines(
      'CONFIG_MIGRATION=y',
      'CONFIG_HMM_MIRROR=y',
      'CONFIG_ZONE_DEVICE=y',
      opts.devicePrivate ? 'CONFIG_DEVICE_PRIVATE=y' : '# CONFIG_DEVICE_PRIVATE is not set'
    ),
    'linux-headers-9.9.0-amd64/include/config/kernel.release': '9.9.0-amd64\n',
    'linux-headers-9.9.0-common/include/linux/migrate.h': migrate,
    'linux-headers-9.9.0-common/include/linux/mm.h': lines('#include <linux/memremap.h>'),
    'linux-headers-9.9.0-common/include/linux/memremap.h': memremap,
    'linux-headers-9.9.0-common/include/linux/mmu_notifier.h': lines(
      'struct mmu_notifier_ops {',
      '\tvoid (*arch_invalidate_secondary_tlbs)(struct mmu_notifier *subscription,',
      '\t\t\tunsigned long start, unsigned long end);',
      '};'
    )
  });
}

const arch = (k: TempTree): string => `${k.root}/linux-headers-9.9.0-amd64`;

describe('conftest.sh cases', () => {
  it('gives each regular case its test, headers, line and version, and marks irregular ones', () => {
    const probes = parseConftest(CONFTEST);
    expect(probes.get('NV_MIGRATE_DEVICE_RANGE_PRESENT')).toEqual({
      macro: 'NV_MIGRATE_DEVICE_RANGE_PRESENT',
      case: 'migrate_device_range',
      line: 4,
      category: 'functions',
      headers: ['linux/migrate.h'],
      tests: [{ kind: 'function', name: 'migrate_device_range' }],
      since: 'v6.1'
    });
    expect(probes.get('NV_PAGEMAP_OPS_HAS_FOLIO_FREE')?.tests).toEqual([{ kind: 'member', struct: 'dev_pagemap_ops', member: 'folio_free' }]);
    expect(probes.get('NV_MMU_NOTIFIER_OPS_HAS_ARCH_INVALIDATE_SECONDARY_TLBS')?.tests).toEqual([
      { kind: 'member', struct: 'mmu_notifier_ops', member: 'arch_invalidate_secondary_tlbs' }
    ]);
    expect(probes.get('NV_ODD_ONE_PRESENT')?.tests).toEqual([]);
  });
});

describe('probes decided against a kernel tree', () => {
  it('finds a multi-line prototype, a function-pointer member and a member through includes, with file and line', () => {
    const k = kernel({ migrateDeviceRange: true, folioFree: true, devicePrivate: true });
    try {
      const probes = parseConftest(CONFTEST);
      const d = new ProbeDecider(KernelTree.open(arch(k), 'x86_64'), new Map());
      expect(d.decide(probes.get('NV_MIGRATE_DEVICE_RANGE_PRESENT')!, 's')).toMatchObject({
        value: true,
        file: 'linux-headers-9.9.0-common/include/linux/migrate.h',
        line: 6
      });
      expect(d.decide(probes.get('NV_PAGEMAP_OPS_HAS_FOLIO_FREE')!, 's')).toMatchObject({
        value: true,
        file: 'linux-headers-9.9.0-common/include/linux/memremap.h',
        line: 2
      });
      expect(d.decide(probes.get('NV_MMU_NOTIFIER_OPS_HAS_ARCH_INVALIDATE_SECONDARY_TLBS')!, 's')).toMatchObject({ value: true, line: 2 });
      expect(d.decide(probes.get('NV_ODD_ONE_PRESENT')!, 's').value).toBeUndefined();
    } finally {
      k.remove();
    }
  });

  it('says no when the kernel lacks it, and when its declaration sits under a Kconfig option that is off', () => {
    const k = kernel({ migrateDeviceRange: false, folioFree: false, devicePrivate: true });
    const off = kernel({ migrateDeviceRange: true, folioFree: false, devicePrivate: true });
    try {
      const probes = parseConftest(CONFTEST);
      const d = new ProbeDecider(KernelTree.open(arch(k), 'x86_64'), new Map());
      expect(d.decide(probes.get('NV_MIGRATE_DEVICE_RANGE_PRESENT')!, 's')).toMatchObject({
        value: false,
        how: expect.stringContaining('migrate_device_range() is not declared')
      });
      expect(d.decide(probes.get('NV_PAGEMAP_OPS_HAS_FOLIO_FREE')!, 's')).toMatchObject({ value: false });
      const config = `${off.root}/no-migration.config`;
      writeFileSync(config, 'CONFIG_HMM_MIRROR=y\n');
      const d2 = new ProbeDecider(KernelTree.open(arch(off), 'x86_64', config), new Map());
      expect(d2.decide(probes.get('NV_MIGRATE_DEVICE_RANGE_PRESENT')!, 's').value).toBe(false);
    } finally {
      k.remove();
      off.remove();
    }
  });
});

describe('a scan with configurations', () => {
  it('evaluates every capability per configuration, with the chain from probe to gate macro to verdict', async () => {
    const d = driver();
    const full = kernel({ migrateDeviceRange: true, folioFree: true, devicePrivate: true });
    const old = kernel({ migrateDeviceRange: false, folioFree: false, devicePrivate: true });
    const nodp = kernel({ migrateDeviceRange: true, folioFree: false, devicePrivate: false });
    try {
      const { snapshot, loaded } = await runScan(d.root, {
        profile: 'nvidia-uvm-hmm',
        jobs: 1,
        configurations: [
          { name: 'x86_64 · new', arch: 'x86_64', kernel: arch(full) },
          { name: 'x86_64 · no migrate_device_range', arch: 'x86_64', kernel: arch(old) },
          { name: 'aarch64 · new', arch: 'aarch64', kernel: arch(full) },
          { name: 'x86_64 · no DEVICE_PRIVATE', arch: 'x86_64', kernel: arch(nodp) }
        ]
      });
      const [x86, noRange, arm, noDp] = snapshot.configurations!;
      expect(x86.macros['UVM_IS_CONFIG_HMM()']).toBe('1');
      expect(x86.capabilities['hmm-default-x86_64']).toEqual({ status: 'enabled', because: 'uvm_disable_hmm defaults to false' });
      expect(x86.capabilities['page-free']).toMatchObject({ status: 'enabled' });
      expect(x86.decisions.find((x) => x.atom === 'defined(NV_MIGRATE_DEVICE_RANGE_PRESENT)')).toEqual({
        atom: 'defined(NV_MIGRATE_DEVICE_RANGE_PRESENT)',
        value: true,
        by: 'probe',
        how: 'migrate_device_range() is declared',
        file: 'linux-headers-9.9.0-common/include/linux/migrate.h',
        line: 6,
        source: 'kernel-open/conftest.sh:4 (migrate_device_range)'
      });
      // The kernel without migrate_device_range(): HMM is not built, and the report says why.
      expect(noRange.macros['UVM_IS_CONFIG_HMM()']).toBe('0');
      expect(noRange.capabilities['hmm-default-x86_64']).toEqual({ status: 'disabled', because: 'the HMM code is not built (UVM_IS_CONFIG_HMM() is 0)' });
      expect(noRange.capabilities['migrate-to-ram'].status).toBe('absent');
      expect(noRange.decisions.find((x) => x.atom === 'defined(NV_MIGRATE_DEVICE_RANGE_PRESENT)')).toMatchObject({ value: false });
      // aarch64: the x86_64 row does not apply; the other-arch row reads the default for other CPUs.
      expect(arm.capabilities['hmm-default-x86_64'].applies).toBe(false);
      expect(arm.capabilities['hmm-default-other-arch']).toEqual({ status: 'disabled', because: 'uvm_disable_hmm defaults to true' });
      expect(noDp.decisions.find((x) => x.atom === 'defined(CONFIG_DEVICE_PRIVATE)')).toMatchObject({
        value: false,
        by: 'kconfig',
        file: 'linux-headers-9.9.0-amd64/.config'
      });
      expect(noDp.capabilities['hmm-default-x86_64'].status).toBe('disabled');
      // A probe whose snippet is irregular stays undecided and is named.
      expect(x86.capabilities['migrate-device-range']).toMatchObject({ status: 'unknown', undecided: ['defined(NV_ODD_ONE_PRESENT)'] });
      // No assumption is left in a configuration: the gate is decided.
      expect(x86.capabilities['migrate-to-ram'].assumes).toBeUndefined();

      const md = renderReport(snapshot, undefined, { profile: loaded.profile }).markdown;
      const table = md.slice(md.indexOf('| Capability'));
      expect(table.split('\n')[0]).toBe(
        '| Capability | x86_64 · new | x86_64 · no migrate_device_range | aarch64 · new | x86_64 · no DEVICE_PRIVATE | Without a kernel | Evidence |'
      );
      const row = table.split('\n').find((l) => l.startsWith('| HMM enabled by default on x86_64'))!;
      expect(row).toContain('| ✅ enabled | ❌ disabled | — n/a | ❌ disabled | ✅ enabled |');
      expect(md).toContain('<code>UVM_IS_CONFIG_HMM()</code> | 0 |');
      expect(md).toContain('migrate_device_range() is not declared');
    } finally {
      d.remove();
      full.remove();
      old.remove();
      nodp.remove();
    }
  });

  it('compares per configuration: a kernel update that builds HMM reads as improved', async () => {
    const d = driver();
    const old = kernel({ migrateDeviceRange: false, folioFree: false, devicePrivate: true });
    const full = kernel({ migrateDeviceRange: true, folioFree: false, devicePrivate: true });
    try {
      const before = (
        await runScan(d.root, { profile: 'nvidia-uvm-hmm', jobs: 1, configurations: [{ name: 'x86_64 · LTS', arch: 'x86_64', kernel: arch(old) }] })
      ).snapshot;
      const { snapshot: after, loaded } = await runScan(d.root, {
        profile: 'nvidia-uvm-hmm',
        jobs: 1,
        configurations: [{ name: 'x86_64 · LTS', arch: 'x86_64', kernel: arch(full) }]
      });
      const cmp = compareSnapshots(before, after);
      const change = cmp.configurations.find((c) => c.id === 'hmm-default-x86_64');
      expect(change).toMatchObject({ configuration: 'x86_64 · LTS', before: { status: 'disabled' }, after: { status: 'enabled' }, direction: 'improved' });
      expect(cmp.status).toBe('improved');
      const md = renderReport(after, cmp, { profile: loaded.profile }).markdown;
      expect(md).toContain('- x86_64 · LTS · HMM enabled by default on x86_64: ❌ disabled → ✅ enabled 🔺 improved');
    } finally {
      d.remove();
      old.remove();
      full.remove();
    }
  });
});

describe('configuration syntax', () => {
  it('reads the CLI form and the action input, naming what is wrong', async () => {
    expect(parseConfigurationSpec('ubuntu=arch:x86_64,kernel:/usr/src/k,config:/boot/config')).toEqual({
      name: 'ubuntu',
      arch: 'x86_64',
      kernel: '/usr/src/k',
      config: '/boot/config'
    });
    expect(() => parseConfigurationSpec('ubuntu=arch:x86_64')).toThrow(ConfigurationError);
    expect(() => parseConfigurationSpec('ubuntu=arch:x86_64,kernel:/k,cpu:x')).toThrow("unknown field 'cpu:x'");
    expect(() => parseConfigurationSpec('arch:x86_64,kernel:/k')).toThrow('NAME=arch:ARCH');
    await expect(readConfigurations('- { name: a, arch: x86_64, kernel: /k }\n- { name: a, arch: aarch64, kernel: /j }')).rejects.toThrow(
      "the name 'a' is used twice"
    );
    await expect(readConfigurations('- { name: a, arch: x86_64 }')).rejects.toThrow("item 1: 'kernel'");
    await expect(readConfigurations('name: a')).rejects.toThrow('must be a YAML list');
    expect(await readConfigurations('')).toEqual([]);
  });

  it('fails with the configuration and path named when the kernel tree is not one', async () => {
    const d = driver();
    try {
      await expect(runScan(d.root, { profile: 'nvidia-uvm-hmm', jobs: 1, configurations: [{ name: 'bad', arch: 'x86_64', kernel: d.root }] })).rejects.toThrow(
        `configuration 'bad': kernel tree '${d.root}' has no include/linux`
      );
    } finally {
      d.remove();
    }
  });
});

describe('readable conditions', () => {
  it('minimises over the atoms involved and names well-known atoms', () => {
    expect(render(minimise(parseCondition('(!defined(A) && B && defined(C)) || (B && defined(A))')))).toBe('(B && defined(A)) || (B && defined(C))');
    expect(render(minimise(parseCondition('(!defined(A) && B) || (B && defined(A))')))).toBe('B');
    expect(
      conditionInWords('defined(NVCPU_X86_64) && !defined(NV_MIGRATE_DEVICE_RANGE_PRESENT)', {
        'defined(NVCPU_X86_64)': 'x86_64',
        'defined(NV_MIGRATE_DEVICE_RANGE_PRESENT)': 'the kernel has migrate_device_range()'
      })
    ).toBe('not the kernel has migrate_device_range() and x86_64');
  });
});

describe('the generic profile with configurations', () => {
  it('decides an in-tree driver by the Kconfig options of the configuration', async () => {
    const d = makeTree({
      'drivers/gpu/drm/xe/xe_svm.c': lines(
        '#if IS_ENABLED(CONFIG_DRM_XE_PAGEMAP)',
        'static vm_fault_t xe_fault(struct vm_fault *vmf) { return 0; }',
        'static const struct dev_pagemap_ops xe_pagemap_ops = {',
        '    .page_free = xe_page_free,',
        '    .migrate_to_ram = xe_fault,',
        '};',
        '#endif'
      )
    });
    const on = kernel({ migrateDeviceRange: true, folioFree: false, devicePrivate: true });
    try {
      const withM = `${on.root}/xe-m.config`;
      const without = `${on.root}/xe-off.config`;
      writeFileSync(withM, 'CONFIG_DRM_XE_PAGEMAP=m\n');
      writeFileSync(without, '# CONFIG_DRM_XE_PAGEMAP is not set\n');
      const { snapshot } = await runScan(d.root, {
        profile: 'linux-hmm-generic',
        jobs: 1,
        configurations: [
          { name: 'xe as module', arch: 'x86_64', kernel: arch(on), config: withM },
          { name: 'xe off', arch: 'x86_64', kernel: arch(on), config: without }
        ]
      });
      expect(snapshot.capabilities.find((c) => c.id === 'migrate-to-ram')).toMatchObject({
        status: 'conditional',
        condition: 'IS_ENABLED(CONFIG_DRM_XE_PAGEMAP)'
      });
      const [m, off] = snapshot.configurations!;
      expect(m.capabilities['migrate-to-ram'].status).toBe('enabled');
      expect(off.capabilities['migrate-to-ram'].status).toBe('absent');
      expect(m.decisions).toContainEqual(
        expect.objectContaining({ atom: 'IS_ENABLED(CONFIG_DRM_XE_PAGEMAP)', value: true, by: 'kconfig', how: 'CONFIG_DRM_XE_PAGEMAP=m' })
      );
    } finally {
      d.remove();
      on.remove();
    }
  });
});

describe('expectations naming a configuration', () => {
  it('hold or are contradicted by that configuration verdict, and an unknown name is an error', async () => {
    const { checkExpectations } = await import('../src/expectations.js');
    const d = driver();
    const old = kernel({ migrateDeviceRange: false, folioFree: false, devicePrivate: true });
    try {
      const { snapshot } = await runScan(d.root, { profile: 'nvidia-uvm-hmm', jobs: 1, configurations: [{ name: 'LTS', arch: 'x86_64', kernel: arch(old) }] });
      const claims = checkExpectations(
        [
          { capability: 'hmm-default-x86_64', expect: ['enabled'] },
          { capability: 'hmm-default-x86_64', expect: ['enabled'], configuration: 'LTS' }
        ],
        snapshot,
        'e.yml'
      );
      expect(claims.map((c) => [c.actual, c.holds])).toEqual([
        ['enabled', true],
        ['disabled', false]
      ]);
      expect(() => checkExpectations([{ capability: 'hmm-default-x86_64', expect: ['enabled'], configuration: 'other' }], snapshot, 'e.yml')).toThrow(
        "e.yml: expectations.0: configuration 'other' was not evaluated (configurations: LTS)"
      );
    } finally {
      d.remove();
      old.remove();
    }
  });
});

describe('rows about another architecture', () => {
  it('read n/a even when no fact of the tree mentions the architecture', async () => {
    const d = makeTree({
      'kernel-open/conftest.sh': CONFTEST,
      'kernel-open/nvidia-uvm/uvm_hmm.c': lines('static bool uvm_disable_hmm = false;', 'module_param(uvm_disable_hmm, bool, 0444);')
    });
    const k = kernel({ migrateDeviceRange: true, folioFree: false, devicePrivate: true });
    try {
      const { snapshot } = await runScan(d.root, { profile: 'nvidia-uvm-hmm', jobs: 1, configurations: [{ name: 'arm', arch: 'aarch64', kernel: arch(k) }] });
      expect(snapshot.configurations![0].capabilities['hmm-default-x86_64'].applies).toBe(false);
      expect(snapshot.configurations![0].capabilities['hmm-default-other-arch'].status).toBe('enabled');
    } finally {
      d.remove();
      k.remove();
    }
  });
});

describe('conditions in the report', () => {
  it('are shown minimised, while the snapshot keeps the canonical text', async () => {
    const d = makeTree({
      'drv/m.c': lines('#if !defined(A) && ((!defined(A) && defined(B)) || defined(A))', 'static void f(void) { migrate_vma_setup(0); }', '#endif')
    });
    try {
      const { snapshot, loaded } = await runScan(d.root, { profile: 'linux-hmm-generic', jobs: 1 });
      const cap = snapshot.capabilities.find((c) => c.id === 'migrate-vma')!;
      expect(cap.condition).toBe('!defined(A) && ((!defined(A) && defined(B)) || defined(A))');
      const row = renderReport(snapshot, undefined, { profile: loaded.profile })
        .markdown.split('\n')
        .find((l) => l.startsWith('| Migrates process memory'))!;
      expect(row).toContain('⚠️ conditional: enabled when <code>&#33;defined(A) &amp;&amp; defined(B)</code>');
    } finally {
      d.remove();
    }
  });
});
