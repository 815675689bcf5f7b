// Macros defined to constants under #if/#else are followed inside conditions; verdicts that rest on a profile
// assumption say so; evidence keeps each fact's condition.
import { describe, expect, it } from '@jest/globals';
import { parseCondition, render } from '../src/frontend/condition.js';
import { constantDefinitions, followableMacros, followMacros } from '../src/frontend/macro-values.js';
import { preprocess } from '../src/frontend/preprocess.js';
import { renderReport } from '../src/report/markdown.js';
import { runScan } from '../src/scan/run.js';
import { lines, makeTree, PARAM_PER_ARCH } from './helpers/tree.js';

const LINUX_H = lines(
  '#ifndef UVM_LINUX_H', // 1
  '#define UVM_LINUX_H', // 2
  '    #if defined(CONFIG_HMM_MIRROR) && defined(CONFIG_DEVICE_PRIVATE) && defined(NV_MIGRATE_DEVICE_RANGE_PRESENT)', // 3
  '        #define UVM_IS_CONFIG_HMM() 1', // 4
  '    #else', // 5
  '        #define UVM_IS_CONFIG_HMM() 0', // 6
  '    #endif', // 7
  '#endif' // 8
);

const PMM_C = lines(
  '#include "uvm_linux.h"', // 1
  '#if UVM_IS_CONFIG_HMM()', // 2
  'static vm_fault_t fault(struct vm_fault *vmf) { return 0; }', // 3
  'static const struct dev_pagemap_ops devmem_ops =', // 4
  '{', // 5
  '#if defined(NV_PAGEMAP_OPS_HAS_FOLIO_FREE)', // 6
  '    .folio_free = devmem_folio_free,', // 7
  '#else', // 8
  '    .page_free = devmem_page_free,', // 9
  '#endif', // 10
  '    .migrate_to_ram = fault,', // 11
  '};', // 12
  '#endif' // 13
);

describe('constant macro definitions', () => {
  it('records each definition with its presence condition, and follows the macro to the condition under which it is 1', () => {
    const defs = constantDefinitions(LINUX_H, preprocess(LINUX_H));
    expect(defs).toEqual([
      { name: 'UVM_LINUX_H', line: 2, condition: '1' },
      {
        name: 'UVM_IS_CONFIG_HMM()',
        value: 1,
        line: 4,
        condition: 'defined(CONFIG_DEVICE_PRIVATE) && defined(CONFIG_HMM_MIRROR) && defined(NV_MIGRATE_DEVICE_RANGE_PRESENT)'
      },
      {
        name: 'UVM_IS_CONFIG_HMM()',
        value: 0,
        line: 6,
        condition: '!defined(CONFIG_DEVICE_PRIVATE) || !defined(CONFIG_HMM_MIRROR) || !defined(NV_MIGRATE_DEVICE_RANGE_PRESENT)'
      }
    ]);
    const followed = followableMacros({ 'uvm_linux.h': defs }, new Set(['UVM_IS_CONFIG_HMM()']));
    expect(followed['UVM_IS_CONFIG_HMM()'].condition).toBe(
      'defined(CONFIG_DEVICE_PRIVATE) && defined(CONFIG_HMM_MIRROR) && defined(NV_MIGRATE_DEVICE_RANGE_PRESENT)'
    );
    const macros = new Map([['UVM_IS_CONFIG_HMM()', parseCondition(followed['UVM_IS_CONFIG_HMM()'].condition)]]);
    expect(render(followMacros(parseCondition('!UVM_IS_CONFIG_HMM() || defined(X)'), macros))).toBe(
      '!defined(CONFIG_DEVICE_PRIVATE) || !defined(CONFIG_HMM_MIRROR) || !defined(NV_MIGRATE_DEVICE_RANGE_PRESENT) || defined(X)'
    );
    // An assumption about the macro itself wins over following it.
    expect(render(followMacros(parseCondition('UVM_IS_CONFIG_HMM() && defined(X)'), macros, new Map([['UVM_IS_CONFIG_HMM()', true]])))).toBe('defined(X)');
  });

  it('leaves out definitions in branches no build takes, and keeps non-constant bodies only for defined()', () => {
    const text = lines('#if 0', '#define A 1', '#endif', '#define B (1)', '#define C foo()', '#define D() 0x10 /* sixteen */');
    expect(constantDefinitions(text, preprocess(text)).map((d) => `${d.name}=${d.value}`)).toEqual(['B=1', 'C=undefined', 'D()=16']);
  });

  it('follows defined(NAME) to where NAME is defined, whatever its body', () => {
    const text = lines('#if defined(CONFIG_MIGRATE_VMA_HELPER)', '#define VMA_OK 1', '#elif NV_EXPORTED', '#define VMA_OK yes()', '#endif');
    const byFile = { 'a.h': constantDefinitions(text, preprocess(text)) };
    const followed = followableMacros(byFile, new Set(['defined(VMA_OK)', 'VMA_OK']));
    expect(followed['defined(VMA_OK)'].condition).toBe('(!defined(CONFIG_MIGRATE_VMA_HELPER) && NV_EXPORTED) || defined(CONFIG_MIGRATE_VMA_HELPER)');
    // Its value is not followed: one definition is not a constant.
    expect(followed.VMA_OK).toBeUndefined();
  });
});

describe('a scan follows the gate macro', () => {
  it('keeps the profile assumption without configurations and lists it on every verdict that rests on it', async () => {
    const tree = makeTree({
      'kernel-open/nvidia-uvm/uvm_linux.h': LINUX_H,
      'kernel-open/nvidia-uvm/uvm_pmm_gpu.c': PMM_C,
      'kernel-open/nvidia-uvm/uvm_hmm.c': lines('#include "uvm_linux.h"', ...PARAM_PER_ARCH)
    });
    try {
      const { snapshot, loaded } = await runScan(tree.root, { profile: 'nvidia-uvm-hmm', jobs: 1 });
      expect(snapshot.macros?.['UVM_IS_CONFIG_HMM()']).toMatchObject({
        condition: 'defined(CONFIG_DEVICE_PRIVATE) && defined(CONFIG_HMM_MIRROR) && defined(NV_MIGRATE_DEVICE_RANGE_PRESENT)',
        definitions: [
          expect.objectContaining({ file: 'kernel-open/nvidia-uvm/uvm_linux.h', line: 4, value: 1 }),
          expect.objectContaining({ line: 6, value: 0 })
        ]
      });
      const cap = (id: string) => snapshot.capabilities.find((c) => c.id === id)!;
      expect(cap('migrate-to-ram')).toMatchObject({ status: 'enabled', assumes: ['UVM_IS_CONFIG_HMM()'] });
      expect(cap('page-free')).toMatchObject({ status: 'enabled', assumes: ['UVM_IS_CONFIG_HMM()'] });
      // The x86_64 row's own assumption (x86_64) is its question, not a profile assumption.
      expect(cap('hmm-default-x86_64')).toMatchObject({ status: 'enabled', assumes: ['UVM_IS_CONFIG_HMM()'] });
      expect(cap('hmm-user-switch').assumes).toBeUndefined();
      // The #if that defines the gate says what it defines instead of "gates 0 lines".
      const gate = snapshot.facts.find((f) => f.kind === 'gate' && f.file.endsWith('uvm_linux.h'));
      expect(gate).toMatchObject({ line: 3, defines: ['UVM_IS_CONFIG_HMM() 1'] });

      const md = renderReport(snapshot, undefined, { profile: loaded.profile }).markdown;
      const row = md.split('\n').find((l) => l.includes('page_free / folio_free'))!;
      expect(row).toContain('devmem_folio_free</code> when <code>UVM_IS_CONFIG_HMM() &amp;&amp; defined(NV_PAGEMAP_OPS_HAS_FOLIO_FREE)</code>');
      expect(row).toContain('devmem_page_free</code> when <code>&#33;defined(NV_PAGEMAP_OPS_HAS_FOLIO_FREE) &amp;&amp; UVM_IS_CONFIG_HMM()</code>');
      expect(row).toContain('Assumes <code>UVM_IS_CONFIG_HMM()</code>');
      expect(md).toContain('(defines UVM_IS_CONFIG_HMM() 1)');
    } finally {
      tree.remove();
    }
  });
});
