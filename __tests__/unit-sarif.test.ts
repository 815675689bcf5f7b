// SARIF of a tree with several driver units: a unit's capability that regressed (without a kernel, in a
// configuration, or both) is one result of its own, named for the unit, at the unit's evidence, with the unit as its
// logical location and a fingerprint that names the unit; the tree's result for the same capability is not given as
// well, and is given when no unit's result covers it. Valid against the SARIF 2.1.0 schema.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ValidateFunction } from 'ajv';
import type { Result } from 'sarif';
import { compareSnapshots } from '../src/compare/compare.js';
import type { ConfigurationSpec } from '../src/platform/configuration.js';
import { renderSarif } from '../src/report/sarif.js';
import { runScan } from '../src/scan/run.js';
import type { Snapshot } from '../src/snapshot/snapshot.js';
import { restrictUnits } from '../src/units/units.js';
import { sarifValidator } from './helpers/sarif.js';
import { lines, makeTree, type TempTree } from './helpers/tree.js';

const fn = (name: string, ...body: string[]) => [`int ${name}(void *p)`, '{', ...body.map((b) => `\t${b}`), '}'];

/**
 * The tree before (`after` false) and after: alpha and the self-test stop calling hmm_range_fault (beta still does,
 * so the tree's verdict stays), beta stops calling memremap_pages (nobody else does: the tree's verdict regresses
 * too). `pad` comment lines move every line of code down.
 */
function files(after: boolean, pad = 0): Record<string, string> {
  const moved = Array.from({ length: pad }, () => '// moved');
  return {
    'drivers/gpu/alpha/Makefile': lines('obj-m += alpha.o', 'alpha-y := alpha_svm.o'),
    'drivers/gpu/alpha/alpha_svm.c': lines(
      ...moved,
      ...(after ? [] : fn('a_fault', 'return hmm_range_fault(p);')),
      '#if IS_ENABLED(CONFIG_DEVICE_PRIVATE)',
      ...fn('a_migrate', 'return migrate_vma_setup(p);'),
      '#endif'
    ),
    'drivers/gpu/beta/Kbuild': lines('obj-$(CONFIG_BETA) += beta.o', 'beta-y := beta_main.o'),
    'drivers/gpu/beta/beta_main.c': lines(...moved, ...fn('b_fault', 'return hmm_range_fault(p);'), ...(after ? [] : fn('b_mem', 'return memremap_pages(p);'))),
    'lib/Makefile': lines('obj-$(CONFIG_TEST_HMM) += test_hmm.o'),
    'lib/test_hmm.c': lines(...moved, ...(after ? [] : fn('t_fault', 'return hmm_range_fault(p);')), ...fn('t_atomic', 'return make_device_exclusive(p);')),
    'mm/hmm.c': lines(...fn('hmm_range_fault_internal', 'return hmm_range_fault(p);'))
  };
}

let trees: TempTree[];
let k: TempTree;
let validate: ValidateFunction;
/** With configurations x86_64 and arm64; arm64 has DEVICE_PRIVATE before, not after. */
let before: Snapshot;
let after: Snapshot;
let shifted: Snapshot;
/** Without configurations. */
let plainBefore: Snapshot;
let plainAfter: Snapshot;

beforeAll(async () => {
  const [base, head, moved] = (trees = [makeTree(files(false)), makeTree(files(true)), makeTree(files(true, 5))]);
  k = makeTree({
    'linux/include/linux/mm.h': lines('struct page;'),
    'x86_64.config': lines('CONFIG_X86_64=y', 'CONFIG_DEVICE_PRIVATE=y', 'CONFIG_BETA=m', 'CONFIG_TEST_HMM=m'),
    'arm64-dp.config': lines('CONFIG_ARM64=y', 'CONFIG_DEVICE_PRIVATE=y', 'CONFIG_TEST_HMM=m'),
    'arm64.config': lines('CONFIG_ARM64=y', '# CONFIG_DEVICE_PRIVATE is not set', 'CONFIG_TEST_HMM=m')
  });
  const specs = (arm: string): ConfigurationSpec[] => [
    { name: 'x86_64', arch: 'x86_64', kernel: `${k.root}/linux`, config: `${k.root}/x86_64.config` },
    { name: 'arm64', arch: 'aarch64', kernel: `${k.root}/linux`, config: `${k.root}/${arm}` }
  ];
  const scan = async (t: TempTree, configurations?: ConfigurationSpec[]) =>
    (await runScan(t.root, { profile: 'linux-hmm-generic', jobs: 1, ...(configurations ? { configurations } : {}) })).snapshot;
  before = await scan(base, specs('arm64-dp.config'));
  after = await scan(head, specs('arm64.config'));
  shifted = await scan(moved, specs('arm64.config'));
  plainBefore = await scan(base);
  plainAfter = await scan(head);
  validate = sarifValidator();
});
afterAll(() => {
  for (const t of [...trees, k]) t.remove();
});

const unitOf = (r: Result): unknown => r.properties?.unit;

describe('SARIF per driver unit', () => {
  it('gives each unit × capability that regressed its own result, and not the tree’s as well', () => {
    const comparison = compareSnapshots(before, after);
    // The tree regressed in device memory only (beta's); hmm_range_fault is still called by beta.
    expect(comparison.capabilities.filter((c) => c.direction === 'regressed').map((c) => c.id)).toEqual(['device-memory-registered']);
    const log = renderSarif(after, comparison, undefined, { pathPrefix: 'linux' });
    expect(validate(log)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    const results = log.runs[0].results!;
    expect(results.map((r) => [unitOf(r), r.ruleId, r.level])).toEqual([
      ['alpha', 'migrate-vma', 'error'],
      ['alpha', 'hmm-range-fault', 'error'],
      ['beta', 'device-memory-registered', 'error'],
      ['test_hmm', 'hmm-range-fault', 'error']
    ]);
    const [migrate, fault, memory] = results;
    // A regression in one configuration only: the message says where.
    expect(migrate.message.text).toBe(
      'alpha: Migrates process memory to and from the device (calls migrate_vma_setup) regressed against the baseline: in arm64: enabled → absent. ' +
        after.units!.find((u) => u.id === 'alpha')!.capabilities.find((c) => c.id === 'migrate-vma')!.because
    );
    expect(migrate.properties).toEqual({
      change: 'regression',
      unit: 'alpha',
      unitFolder: 'drivers/gpu/alpha',
      unitKind: 'driver',
      before: null,
      after: null,
      configurations: [{ configuration: 'arm64', before: 'enabled', after: 'absent' }]
    });
    // At the unit's evidence (the call is still there), with the unit as the logical location.
    expect(migrate.locations).toEqual([
      {
        physicalLocation: { artifactLocation: { uri: 'linux/drivers/gpu/alpha/alpha_svm.c' }, region: { startLine: 4 } },
        logicalLocations: [{ name: 'alpha', fullyQualifiedName: 'drivers/gpu/alpha', kind: 'module' }]
      }
    ]);
    // Without a kernel and in every configuration: one result that names them all.
    expect(fault.message.text).toMatch(
      /^alpha: Mirrors CPU page tables \(calls hmm_range_fault\) regressed against the baseline: enabled → absent; in x86_64: enabled → absent; in arm64: enabled → absent\./
    );
    // beta's call is gone: the result sits where it was, in beta's file.
    expect(memory.message.text).toMatch(
      /^beta: Device memory registered with the kernel \(memremap_pages\) regressed against the baseline: enabled → absent; in x86_64: enabled → absent\./
    );
    expect(memory.locations![0].physicalLocation).toEqual({ artifactLocation: { uri: 'linux/drivers/gpu/beta/beta_main.c' }, region: { startLine: 7 } });
    expect(memory.properties).toMatchObject({ unit: 'beta', before: 'enabled', after: 'absent', configurations: [{ configuration: 'x86_64' }] });
  });

  it('fingerprints name the unit: distinct per unit, the same when the code moves', () => {
    const log = renderSarif(after, compareSnapshots(before, after), undefined);
    const moved = renderSarif(shifted, compareSnapshots(before, shifted), undefined);
    const prints = log.runs[0].results!.map((r) => r.partialFingerprints!['hmmWatchUnitCapability/v1']);
    expect(new Set(prints).size).toBe(4);
    // alpha and the self-test: the same capability, the same transitions, another unit.
    const [, alpha, , selfTest] = log.runs[0].results!;
    expect(alpha.properties).toMatchObject({ before: 'enabled', after: 'absent' });
    expect(selfTest.properties).toMatchObject({ before: 'enabled', after: 'absent' });
    expect(alpha.partialFingerprints).not.toEqual(selfTest.partialFingerprints);
    // Five lines down: other lines, the same alerts.
    const movedResults = moved.runs[0].results!;
    expect(movedResults[0].locations![0].physicalLocation!.region!.startLine).toBe(
      log.runs[0].results![0].locations![0].physicalLocation!.region!.startLine! + 5
    );
    expect(movedResults.map((r) => r.partialFingerprints)).toEqual(log.runs[0].results!.map((r) => r.partialFingerprints));
  });

  it('keeps the tree’s result when no unit’s result covers it, and for a single unit (--unit)', () => {
    // A baseline from before units: nothing per unit to compare, the tree's regression is the result.
    const { units: _units, ...older } = plainBefore;
    const log = renderSarif(plainAfter, compareSnapshots(older, plainAfter), undefined);
    expect(validate(log)).toBe(true);
    expect(log.runs[0].results!.map((r) => [unitOf(r), r.ruleId])).toEqual([[undefined, 'device-memory-registered']]);
    expect(Object.keys(log.runs[0].results![0].partialFingerprints!)).toEqual(['hmmWatchCapability/v1']);
    // Without configurations, per unit: the regressions without a kernel.
    const plain = renderSarif(plainAfter, compareSnapshots(plainBefore, plainAfter), undefined);
    expect(plain.runs[0].results!.map((r) => [unitOf(r), r.ruleId, (r.properties as { configurations: unknown[] }).configurations])).toEqual([
      ['alpha', 'hmm-range-fault', []],
      ['beta', 'device-memory-registered', []],
      ['test_hmm', 'hmm-range-fault', []]
    ]);
    // One unit: its capabilities are the tree's, one result as for a single driver.
    const one = renderSarif(
      restrictUnits(plainAfter, ['beta']),
      compareSnapshots(restrictUnits(plainBefore, ['beta']), restrictUnits(plainAfter, ['beta'])),
      undefined
    );
    expect(one.runs[0].results!.map((r) => [unitOf(r), r.ruleId, r.message.text?.split(':')[0]])).toEqual([
      [undefined, 'device-memory-registered', 'Device memory registered with the kernel (memremap_pages) regressed against the baseline']
    ]);
  });
});
