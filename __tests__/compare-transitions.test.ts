// How a transition reads (src/compare/compare.ts): one status ladder (RANK) for a capability and for its verdict in
// each configuration, and one overall status from the directions.
import { describe, expect, it } from '@jest/globals';
import { capabilityDirection, compareSnapshots, overallStatus } from '../src/compare/compare.js';
import type { ConfigurationResult } from '../src/platform/configuration.js';
import type { CapabilityResult, ConfigVerdict } from '../src/rules/capabilities.js';
import { capability, snapshotOf } from './helpers/snapshot.js';

const cap = (status: CapabilityResult['status'], over: Partial<CapabilityResult> = {}): CapabilityResult => capability('c', status, [], over);
const conditional = (condition: string, conditionalStatus: CapabilityResult['status'] = 'enabled', over: Partial<CapabilityResult> = {}): CapabilityResult =>
  cap('conditional', { condition, conditionalStatus, ...over });

describe('a capability transition', () => {
  it('climbs or falls the ladder enabled > conditional > disabled > absent', () => {
    const ladder: CapabilityResult['status'][] = ['absent', 'disabled', 'conditional', 'enabled'];
    for (const [i, from] of ladder.entries())
      for (const [j, to] of ladder.entries()) {
        const a = from === 'conditional' ? conditional('X') : cap(from);
        const b = to === 'conditional' ? conditional('X') : cap(to);
        expect([from, to, capabilityDirection(a, b)]).toEqual([from, to, i === j ? 'unchanged' : j > i ? 'improved' : 'regressed']);
      }
  });

  it('reads conditional(X) to conditional(Y), or another status under the same condition, as changed', () => {
    expect(capabilityDirection(conditional('X'), conditional('Y'))).toBe('changed');
    expect(capabilityDirection(conditional('X', 'enabled'), conditional('X', 'disabled'))).toBe('changed');
    expect(capabilityDirection(conditional('X'), conditional('X'))).toBe('unchanged');
    const r = compareSnapshots(snapshotOf([], [conditional('defined(CONFIG_A)')]), snapshotOf([], [conditional('defined(CONFIG_B)')]));
    expect(r.capabilities.map((c) => c.direction)).toEqual(['changed']);
    expect(r.status).toBe('changed');
    expect(r.changes).toBe(1);
  });

  it('is changed, never ranked, for a neutral capability, an unranked status, or one side only', () => {
    expect(capabilityDirection(cap('enabled', { direction: 'neutral' }), cap('disabled', { direction: 'neutral' }))).toBe('changed');
    expect(capabilityDirection(cap('enabled'), cap('disabled', { direction: 'neutral' }))).toBe('changed');
    expect(capabilityDirection(cap('enabled', { direction: 'neutral' }), cap('enabled', { direction: 'neutral' }))).toBe('unchanged');
    expect(capabilityDirection(cap('unknown'), cap('enabled'))).toBe('changed');
    expect(capabilityDirection(cap('enabled'), cap('unknown'))).toBe('changed');
    expect(capabilityDirection(undefined, cap('enabled'))).toBe('changed');
    expect(capabilityDirection(cap('enabled'), undefined)).toBe('changed');
    // What a capability says beside its status (its reason, its evidence) is not a transition.
    expect(capabilityDirection(cap('enabled', { because: 'one' }), cap('enabled', { because: 'two' }))).toBe('unchanged');
  });
});

describe('a transition in a configuration', () => {
  const config = (name: string, verdict: ConfigVerdict): ConfigurationResult => ({
    name,
    arch: 'x86_64',
    kernel: { kconfig: 'k' },
    decisions: [],
    macros: {},
    capabilities: { c: verdict }
  });
  const compare = (before: ConfigVerdict, after: ConfigVerdict, direction: CapabilityResult['direction'] = 'enabled-is-better') =>
    compareSnapshots(
      snapshotOf([], [cap('enabled', { direction })], { configurations: [config('x86', before)] }),
      snapshotOf([], [cap('enabled', { direction })], { configurations: [config('x86', after)] })
    );
  const v = (status: ConfigVerdict['status'], over: Partial<ConfigVerdict> = {}): ConfigVerdict => ({ status, because: 'b', ...over });

  it('reads on the same ladder as a capability', () => {
    const r = compare(v('disabled'), v('enabled'));
    expect(r.configurations).toEqual([
      { configuration: 'x86', id: 'c', title: 'Capability c', before: v('disabled'), after: v('enabled'), direction: 'improved' }
    ]);
    expect(r.status).toBe('improved');
    expect(r.changes).toBe(1);
    expect(compare(v('enabled'), v('absent')).configurations.map((c) => c.direction)).toEqual(['regressed']);
    expect(compare(v('enabled'), v('absent'), 'neutral').configurations.map((c) => c.direction)).toEqual(['changed']);
    expect(compare(v('enabled', { because: 'x' }), v('enabled', { because: 'y' })).configurations).toEqual([]);
  });

  it('reads conditional(X) to conditional(Y), and a verdict that stops applying, as changed', () => {
    expect(
      compare(
        v('conditional', { condition: 'X', conditionalStatus: 'enabled' }),
        v('conditional', { condition: 'Y', conditionalStatus: 'enabled' })
      ).configurations.map((c) => c.direction)
    ).toEqual(['changed']);
    expect(
      compare(
        v('conditional', { condition: 'X', conditionalStatus: 'enabled' }),
        v('conditional', { condition: 'X', conditionalStatus: 'disabled' })
      ).configurations.map((c) => c.direction)
    ).toEqual(['changed']);
    expect(compare(v('enabled'), v('unknown', { applies: false })).configurations.map((c) => c.direction)).toEqual(['changed']);
    expect(compare(v('disabled', { applies: false }), v('enabled')).configurations.map((c) => c.direction)).toEqual(['changed']);
    expect(compare(v('unknown', { applies: false }), v('unknown')).configurations.map((c) => c.direction)).toEqual(['changed']);
    expect(compare(v('unknown', { applies: false }), v('unknown', { applies: false })).configurations).toEqual([]);
  });

  it('is compared only in configurations both snapshots name, and one only the baseline has is noted', () => {
    const r = compareSnapshots(
      snapshotOf([], [cap('enabled')], { configurations: [config('arm', v('enabled')), config('x86', v('enabled'))] }),
      snapshotOf([], [cap('enabled')], { configurations: [config('x86', v('disabled')), config('riscv', v('disabled'))] })
    );
    expect(r.configurations.map((c) => [c.configuration, c.direction])).toEqual([['x86', 'regressed']]);
    expect(r.notes).toEqual(['Configurations only the baseline has (not compared): arm.']);
  });
});

describe('the overall status', () => {
  it('is regressed over improved over changed over unchanged', () => {
    expect(overallStatus([])).toBe('unchanged');
    expect(overallStatus(['unchanged', 'unchanged'])).toBe('unchanged');
    expect(overallStatus(['unchanged', 'changed'])).toBe('changed');
    expect(overallStatus(['cause'])).toBe('changed');
    expect(overallStatus(['changed', 'improved', 'unchanged'])).toBe('improved');
    expect(overallStatus(['improved', 'regressed', 'changed'])).toBe('regressed');
  });
});
