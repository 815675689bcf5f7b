// The parser's WebAssembly is loaded ahead of the first parse, beside the scan; a scan that needed no parse still
// leaves no load running behind it (a load still running after the caller is done fails on a torn-down module
// loader, as Jest's is after a suite).
import { afterAll, describe, expect, it } from '@jest/globals';
import { parserLoadTimes } from '../src/frontend/parser.js';
import { runScan } from '../src/scan/run.js';
import { lines, makeTree } from './helpers/tree.js';

const tree = makeTree({ 'kernel-open/nvidia-uvm/uvm_hmm.c': lines('// TODO: Bug 1234567: HMM', 'int x;') });
afterAll(() => tree.remove());

describe('the parser load', () => {
  it('is over when a scan that parsed nothing returns', async () => {
    const { snapshot } = await runScan(tree.root, { profile: 'nvidia-uvm-hmm' });
    expect(snapshot.facts.some((f) => f.kind === 'marker')).toBe(true);
    expect(snapshot.diagnostics.files).toEqual([]);
    expect(parserLoadTimes().loadMs).toBeGreaterThan(0);
  });
});
