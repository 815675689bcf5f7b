// Expectations: loading with clear errors, checking against a snapshot, and the Claimed column.

import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { checkExpectations, loadExpectations } from '../src/expectations.js';
import { renderReport } from '../src/report/markdown.js';
import { runScan } from '../src/scan/run.js';
import { lines, makeTree } from './helpers/tree.js';

const tree = makeTree({
  'drv/uvm_hmm.c': lines('#ifdef NVCPU_X86_64', 'static bool uvm_disable_hmm = false;', '#else', 'static bool uvm_disable_hmm = true;', '#endif'),
  'ok.yml': lines(
    'expectations:',
    '  - capability: hmm-default-x86_64',
    '    expect: enabled',
    '  - capability: hmm-default-other-arch',
    '    expect: [enabled, conditional]',
    '    note: ARM rollout | Q3'
  ),
  'bad-status.yml': lines('expectations:', '  - capability: hmm-default-x86_64', '    expect: on'),
  'unknown.yml': lines('expectations:', '  - capability: hmm-default-x86_64', '    expect: enabled', '  - capability: warp-drive', '    expect: enabled')
});
afterAll(() => tree.remove());
const file = (n: string): string => path.join(tree.root, n);

describe('expectations', () => {
  it('flags a contradiction and shows what was claimed beside what the code does', async () => {
    const { snapshot } = await runScan(path.join(tree.root, 'drv'), { profile: 'nvidia-uvm-hmm' });
    const claims = checkExpectations(await loadExpectations(file('ok.yml')), snapshot, 'ok.yml');
    expect(claims.map((c) => [c.capability, c.actual, c.holds])).toEqual([
      ['hmm-default-x86_64', 'enabled', true],
      ['hmm-default-other-arch', 'disabled', false]
    ]);
    const { markdown } = renderReport(snapshot, undefined, { claims });
    expect(markdown).toMatch(/\| Capability \| Claimed \| Status \| Evidence \|/);
    expect(markdown).toMatch(/\| HMM enabled by default on x86_64 \| enabled ✅ \| ✅ enabled \|/);
    expect(markdown).toMatch(/enabled or conditional \(ARM rollout &#124; Q3\) ⚠️ \*\*contradicted\*\*/);
    expect(markdown).toMatch(
      /⚠️ \*\*1 contradiction\*\* with the expectations: <code>hmm-default-other-arch<\/code> is disabled, expected enabled or conditional\./
    );
  });

  it('names the file and the entry of an invalid status or an unknown capability', async () => {
    await expect(loadExpectations(file('bad-status.yml'))).rejects.toThrow(
      /bad-status\.yml: invalid expectations:\n {2}- expectations\.0\.expect: must be one of enabled, disabled, conditional, absent, unknown, not "on"$/
    );
    const { snapshot } = await runScan(path.join(tree.root, 'drv'), { profile: 'nvidia-uvm-hmm' });
    const x = await loadExpectations(file('unknown.yml'));
    expect(() => checkExpectations(x, snapshot, 'unknown.yml')).toThrow(
      /unknown\.yml: expectations\.1: capability 'warp-drive' is not in profile nvidia-uvm-hmm/
    );
    await expect(loadExpectations(file('missing.yml'))).rejects.toThrow(/missing\.yml: cannot read expectations/);
  });
});
