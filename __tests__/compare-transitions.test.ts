// How a transition reads (src/compare/compare.ts): one status ladder (RANK) for a capability and for its verdict in
// each configuration, and one overall status from the directions.
import { describe, expect, it } from '@jest/globals';
import { capabilityDirection, changePlace, compareSnapshots, overallStatus, transitionTexts } from '../src/compare/compare.js';
import type { ConfigurationResult } from '../src/platform/configuration.js';
import type { CapabilityResult, ConfigVerdict } from '../src/rules/capabilities.js';
import type { Unit } from '../src/units/units.js';
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
    expect(compare(v('enabled'), v('disabled', { applies: false })).configurations.map((c) => c.direction)).toEqual(['changed']);
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
    const two = compareSnapshots(
      snapshotOf([], [cap('enabled')], { configurations: [config('arm', v('enabled')), config('ppc', v('enabled')), config('x86', v('enabled'))] }),
      snapshotOf([], [cap('enabled')], { configurations: [config('x86', v('enabled'))] })
    );
    expect(two.notes).toEqual(['Configurations only the baseline has (not compared): arm, ppc.']);
    // A baseline without configurations: nothing to compare them with, and nothing to note.
    const none = compareSnapshots(snapshotOf([], [cap('enabled')]), snapshotOf([], [cap('enabled')], { configurations: [config('x86', v('enabled'))] }));
    expect([none.configurations, none.notes]).toEqual([[], []]);
  });

  it('skips a capability that one side has no verdict for', () => {
    const d = capability('d', 'enabled');
    const r = compareSnapshots(
      snapshotOf([], [cap('enabled')], { configurations: [config('x86', v('enabled'))] }),
      snapshotOf([], [cap('enabled'), d], { configurations: [{ ...config('x86', v('disabled')), capabilities: { c: v('disabled'), d: v('enabled') } }] })
    );
    expect(r.configurations.map((c) => [c.id, c.direction])).toEqual([['c', 'regressed']]);
  });

  describe('in a tree with several driver units', () => {
    const unit = (id: string, status: CapabilityResult['status'] = 'enabled'): Unit =>
      ({ id, name: id, kind: 'module', dir: id, source: 'kbuild', files: [], capabilities: [cap(status)] }) as unknown as Unit;
    const perUnit = (name: string, whole: ConfigVerdict, units?: Record<string, ConfigVerdict>): ConfigurationResult => ({
      ...config(name, whole),
      ...(units ? { units: Object.fromEntries(Object.entries(units).map(([id, verdict]) => [id, { c: verdict }])) } : {})
    });
    const tree = (units: Unit[], configurations: ConfigurationResult[], capabilities = [cap('enabled')]) =>
      snapshotOf([], capabilities, { units, configurations });

    it('is compared unit by unit, each in the configuration order of this run; a unit the baseline lacks is skipped', () => {
      const r = compareSnapshots(
        tree(
          [unit('a'), unit('b')],
          [perUnit('arm', v('enabled'), { a: v('enabled'), b: v('enabled') }), perUnit('x86', v('enabled'), { a: v('enabled'), b: v('disabled') })]
        ),
        tree(
          [unit('a'), unit('b'), unit('n')],
          [
            perUnit('x86', v('disabled'), { a: v('disabled'), b: v('enabled'), n: v('enabled') }),
            perUnit('arm', v('enabled'), { a: v('disabled'), b: v('enabled'), n: v('disabled') })
          ]
        )
      );
      expect(r.configurations.map((c) => [changePlace(c), c.direction])).toEqual([
        ['a [x86]', 'regressed'],
        ['a [arm]', 'regressed'],
        ['b [x86]', 'improved']
      ]);
      expect(r.notes).toEqual([]);
    });

    it('is compared for the whole tree, with a note, when a baseline configuration has no verdicts per unit', () => {
      const r = compareSnapshots(
        tree([unit('a'), unit('b')], [perUnit('arm', v('enabled'), { a: v('enabled'), b: v('enabled') }), perUnit('x86', v('enabled'))]),
        tree(
          [unit('a'), unit('b')],
          [perUnit('arm', v('enabled'), { a: v('disabled'), b: v('enabled') }), perUnit('x86', v('disabled'), { a: v('disabled'), b: v('enabled') })]
        )
      );
      expect(r.configurations.map((c) => [changePlace(c), c.direction])).toEqual([['x86', 'regressed']]);
      expect(r.notes).toEqual([
        'The baseline has no verdicts per unit in its configurations (an older snapshot): configurations are compared for the whole tree.'
      ]);
      // With one unit the tree's verdicts are the unit's: compared for the whole tree, nothing to note.
      const one = compareSnapshots(tree([unit('a')], [perUnit('x86', v('enabled'))]), tree([unit('a')], [perUnit('x86', v('disabled'), { a: v('enabled') })]));
      expect([one.configurations.map((c) => [changePlace(c), c.direction]), one.notes]).toEqual([[['x86', 'regressed']], []]);
      // Without configurations both sides name, there is nothing to note either.
      const apart = compareSnapshots(
        tree([unit('a'), unit('b')], [perUnit('arm', v('enabled'))]),
        tree([unit('a'), unit('b')], [perUnit('x86', v('enabled'), {})])
      );
      expect(apart.notes).toEqual(['Configurations only the baseline has (not compared): arm.']);
    });

    it('reads as text the transitions a direction keeps: the tree, its kept units, each configuration', () => {
      const r = compareSnapshots(
        tree([unit('a'), unit('b')], [perUnit('x86', v('enabled'), { a: v('enabled'), b: v('disabled') })], [cap('enabled'), capability('g', 'enabled')]),
        tree(
          [unit('a', 'disabled'), unit('b'), unit('n')],
          [perUnit('x86', v('disabled'), { a: v('disabled'), b: v('unknown', { applies: false }) })],
          [cap('disabled')]
        )
      );
      expect(transitionTexts(r, (d) => d === 'regressed', true)).toEqual([
        'Capability c: enabled → disabled',
        'a: Capability c: enabled → disabled',
        'a [x86]: Capability c: enabled → disabled'
      ]);
      expect(transitionTexts(r, (d) => d === 'regressed', false)).toEqual(['Capability c: enabled → disabled', 'a [x86]: Capability c: enabled → disabled']);
      // A unit that came is not a transition of a kept unit; a capability on one side only reads `none`, a verdict that does not apply `n/a`.
      expect(transitionTexts(r, (d) => d === 'changed', true)).toEqual(['Capability g: enabled → none', 'b [x86]: Capability c: disabled → n/a']);
    });
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

describe('capabilities of the same id', () => {
  it('are compared by the first of each id, as a search finds it', () => {
    const r = compareSnapshots(snapshotOf([], [cap('enabled'), cap('disabled')]), snapshotOf([], [cap('enabled')]));
    expect(r.capabilities.map((c) => [c.id, c.direction])).toEqual([['c', 'unchanged']]);
  });
});
