// Fact identity that survives cosmetic edits, scanned from synthetic trees: a build gate whose branch grew is the
// same gate (its line count is information, not a change); a `TODO: Bug` marker is its bug number and the function
// it sits in, so re-wrapping the comment is no change and moving it to another function is a move.
import { afterAll, describe, expect, it } from '@jest/globals';
import { compareSnapshots } from '../src/compare/compare.js';
import { definedFunction } from '../src/frontend/regions.js';
import type { Fact } from '../src/rules/types.js';
import { runScan } from '../src/scan/run.js';
import { lines, makeTree, type TempTree } from './helpers/tree.js';

const trees: TempTree[] = [];
afterAll(() => trees.forEach((t) => t.remove()));

async function scan(hmm: string): Promise<Awaited<ReturnType<typeof runScan>>['snapshot']> {
  const t = makeTree({ 'kernel-open/nvidia-uvm/uvm_hmm.c': hmm });
  trees.push(t);
  return (await runScan(t.root, { profile: 'nvidia-uvm-hmm' })).snapshot;
}

const before = lines(
  '#if UVM_IS_CONFIG_HMM()',
  'static int fault(int x)',
  '{',
  '    // TODO: Bug 1234567: handle read duplication in HMM',
  '    // mode as well.',
  '    return x;',
  '}',
  '',
  'static void evict(void)',
  '{',
  '    // Eviction of HMM pages. TODO: Bug 7654321: partial migrations.',
  '}',
  '#endif'
);

// The same code with a longer gated branch, the first comment re-wrapped and the second moved to another function.
const after = lines(
  '#if UVM_IS_CONFIG_HMM()',
  'static int fault(int x)',
  '{',
  '    // Read duplication is not handled in HMM mode. TODO: Bug 1234567: handle',
  '    // read duplication.',
  '    int y = x + 1;',
  '    return y;',
  '}',
  '',
  'static void evict(void)',
  '{',
  '}',
  '',
  'static void evict_range(void)',
  '{',
  '    // Eviction of HMM pages. TODO: Bug 7654321: partial migrations.',
  '}',
  '#endif'
);

const markers = (facts: Fact[]): Array<[string, string | undefined]> =>
  facts.filter((f): f is Extract<Fact, { kind: 'marker' }> => f.kind === 'marker').map((f) => [f.tag, f.function]);

describe('fact identity', () => {
  it('records the function a marker sits in', async () => {
    const s = await scan(after);
    expect(markers(s.facts)).toEqual([
      ['TODO: Bug 1234567', 'fault'],
      ['TODO: Bug 7654321', 'evict_range']
    ]);
  });

  it('does not count a grown gate, a re-wrapped marker or a marker moved to another function as changes', async () => {
    const [a, b] = [await scan(before), await scan(after)];
    const gated = (s: typeof a): unknown[] => s.facts.filter((f) => f.kind === 'gate').map((f) => (f as { gatedLines?: number }).gatedLines);
    expect([gated(a), gated(b)]).toEqual([[7], [11]]);
    const r = compareSnapshots(a, b);
    expect(r.facts).toEqual([]);
    expect(r.status).toBe('unchanged');
    expect(r.moved.map((m) => `${m.before!.kind}:${m.before!.line}->${m.after!.line}`)).toEqual(['marker:11->16']);
  });

  it('still reports a marker whose bug number changed', async () => {
    const r = compareSnapshots(await scan(before), await scan(before.replace('Bug 1234567', 'Bug 1234568')));
    expect(r.facts.map((c) => [c.change, (c.after ?? c.before)!.kind])).toEqual([
      ['added', 'marker'],
      ['removed', 'marker']
    ]);
  });

  it('names the function an item defines, and nothing for other items', () => {
    expect(definedFunction('\nstatic NV_STATUS __attribute__((unused)) uvm_hmm_fault(uvm_va_block_t *b, int (*cb)(void))\n{\n  return 0;\n}')).toBe(
      'uvm_hmm_fault'
    );
    expect(definedFunction('\nstatic const struct dev_pagemap_ops ops = {\n  .page_free = pf,\n};')).toBe('');
    expect(definedFunction('\nMODULE_PARM_DESC(uvm_disable_hmm, "x");')).toBe('');
  });
});
