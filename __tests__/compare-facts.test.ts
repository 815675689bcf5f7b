// What makes a fact the same fact (src/compare/compare.ts factIdentity) and what is a change of it, kind by kind:
// a field of its identity that changes is a fact removed and another added, a field of its payload a changed fact,
// its condition a condition change, its line a move. Also the order of changes, repeated facts, notes and units.
import { describe, expect, it } from '@jest/globals';
import { compareSnapshots, factIdentity } from '../src/compare/compare.js';
import type { Fact } from '../src/rules/types.js';
import type { Snapshot } from '../src/snapshot/snapshot.js';
import type { Unit } from '../src/units/units.js';
import { capability, snapshotOf } from './helpers/snapshot.js';

const RULES = ['r'];
const snap = (facts: Fact[], over: Partial<Snapshot> = {}): Snapshot => snapshotOf(facts, [], { rules: RULES, ...over });
const base = { rule: 'r', file: 'a.c', line: 10, condition: '1' };

/** Per kind: a fact, the fields of its identity, and the fields of its payload. */
const KINDS: Array<{ fact: Fact; identity: string[]; payload: string[] }> = [
  { fact: { ...base, kind: 'ops-table', type: 't', table: 'ops', storage: 'static' }, identity: ['file', 'type', 'table'], payload: ['storage'] },
  { fact: { ...base, kind: 'ops-member', type: 't', table: 'ops', member: 'm', value: 'f' }, identity: ['file', 'table', 'member'], payload: ['value'] },
  {
    fact: { ...base, kind: 'ops-reference', type: 't', table: 'ops', function: 'fn', context: 'call' },
    identity: ['file', 'table', 'function', 'context'],
    payload: []
  },
  { fact: { ...base, kind: 'variable', name: 'v', form: 'definition', value: '1' }, identity: ['file', 'name', 'form'], payload: ['value'] },
  {
    fact: { ...base, kind: 'assignment', target: 'x', operator: '=', value: '1', function: 'fn' },
    identity: ['file', 'target', 'function'],
    payload: ['value']
  },
  { fact: { ...base, kind: 'call', callee: 'c', function: 'fn' }, identity: ['file', 'callee', 'function'], payload: [] },
  { fact: { ...base, kind: 'struct-field', struct: 's', field: 'f', type: 'int' }, identity: ['file', 'struct', 'field'], payload: ['type'] },
  { fact: { ...base, kind: 'gate', macro: 'M', form: 'ifdef', text: 'defined(M)' }, identity: ['file', 'macro', 'form', 'text'], payload: [] },
  { fact: { ...base, kind: 'marker', tag: 'Bug 1', text: 'TODO: Bug 1', function: 'fn' }, identity: ['file', 'tag'], payload: [] },
  { fact: { ...base, kind: 'doc-claim', text: 'supports HMM' }, identity: ['file', 'text'], payload: [] }
] as Array<{ fact: Fact; identity: string[]; payload: string[] }>;

const changes = (before: Fact[], after: Fact[]): string[][] =>
  compareSnapshots(snap(before), snap(after)).facts.map((c) => [c.change, (c.after ?? c.before)!.kind]);
const other = (f: Fact, field: string): Fact =>
  ({
    ...f,
    [field]: field === 'form' ? (f.kind === 'gate' ? 'if' : 'declaration') : `${String((f as unknown as Record<string, unknown>)[field])}-other`
  }) as Fact;

describe('a fact of each kind', () => {
  for (const { fact, identity, payload } of KINDS) {
    it(`${fact.kind}: identity ${identity.join(', ')}; payload ${payload.join(', ') || 'none'}; condition; line`, () => {
      for (const field of identity)
        expect([field, changes([fact], [other(fact, field)]).sort()]).toEqual([
          field,
          [
            ['added', fact.kind],
            ['removed', fact.kind]
          ].sort()
        ]);
      for (const field of payload) {
        const r = compareSnapshots(snap([fact]), snap([other(fact, field)]));
        expect([field, r.facts.map((c) => c.change), r.status, r.changes]).toEqual([field, ['changed'], 'changed', 1]);
      }
      expect(changes([fact], [{ ...fact, condition: 'defined(X)' }])).toEqual([['condition', fact.kind]]);
      const moved = compareSnapshots(snap([fact]), snap([{ ...fact, line: 99 }]));
      expect([moved.facts, moved.moved.map((m) => [m.before!.line, m.after!.line]), moved.status, moved.changes]).toEqual([[], [[10, 99]], 'unchanged', 0]);
      expect(changes([fact], [fact])).toEqual([]);
      expect(compareSnapshots(snap([fact]), snap([fact])).moved).toEqual([]);
      expect(moved.moved.map((m) => m.change)).toEqual(['moved']);
      // The fields of an identity are kept apart: a character that passes from one field to the next makes another fact.
      const [first, second] = identity;
      const shifted = { ...fact, [first]: `${String(fact[first as keyof Fact])}x`, [second]: `x${String(fact[second as keyof Fact])}` } as Fact;
      const joined = { ...fact, [first]: `${String(fact[first as keyof Fact])}xx`, [second]: String(fact[second as keyof Fact]) } as Fact;
      expect(changes([shifted], [joined]).sort()).toEqual(
        [
          ['added', fact.kind],
          ['removed', fact.kind]
        ].sort()
      );
      expect(factIdentity(fact, false)).toBe(factIdentity({ ...fact, condition: 'other' }, false));
      expect(factIdentity(fact)).not.toBe(factIdentity({ ...fact, condition: 'other' }));
    });
  }

  it('marker: moved to another function of the same file, its tag kept, only moved; a marker without function goes by its text', () => {
    const m = KINDS.find((k) => k.fact.kind === 'marker')!.fact;
    const r = compareSnapshots(snap([m]), snap([{ ...m, function: 'other', line: 30 } as Fact]));
    expect([r.facts, r.moved.map((x) => [x.change, x.before!.line, x.after!.line])]).toEqual([[], [['moved', 10, 30]]]);
    // Other changes in the same comparison are still reported.
    const also = compareSnapshots(
      snap([m, { ...m, kind: 'doc-claim', text: 'old claim' } as Fact]),
      snap([{ ...m, function: 'other', line: 30 } as Fact, { ...m, kind: 'doc-claim', text: 'new claim' } as Fact])
    );
    expect(also.facts.map((c) => [c.change, ((c.after ?? c.before) as { text: string }).text]).sort()).toEqual([
      ['added', 'new claim'],
      ['removed', 'old claim']
    ]);
    expect(also.moved.map((x) => x.after!.line)).toEqual([30]);
    // Moved to another file, or another condition: not a move.
    expect(changes([m], [{ ...m, function: 'other', file: 'b.c' } as Fact])).toEqual([
      ['removed', 'marker'],
      ['added', 'marker']
    ]);
    const old = { ...m, function: undefined } as Fact;
    expect(factIdentity(old)).not.toBe(factIdentity({ ...old, text: 'TODO: Bug 1 (re-worded)' } as Fact));
  });
});

describe('changes', () => {
  const call = (file: string, line: number, fn = 'fn', condition = '1'): Fact =>
    ({ ...base, kind: 'call', file, line, callee: 'c', function: fn, condition }) as Fact;

  it('are ordered by file, then line, then rule, then kind of change; moves too', () => {
    const r = compareSnapshots(
      snap([call('b.c', 5, 'gone'), call('a.c', 120, 'x'), call('a.c', 9, 'y')]),
      snap([call('a.c', 20, 'new'), call('a.c', 121, 'x'), call('a.c', 8, 'y')])
    );
    expect(r.facts.map((c) => [c.change, (c.after ?? c.before)!.file, (c.after ?? c.before)!.line])).toEqual([
      ['added', 'a.c', 20],
      ['removed', 'b.c', 5]
    ]);
    expect(r.moved.map((c) => c.after!.line)).toEqual([8, 121]);
  });

  it('count repeated facts one by one, and pair condition changes in order', () => {
    expect(changes([call('a.c', 1), call('a.c', 2), call('a.c', 3)], [call('a.c', 1)])).toEqual([
      ['removed', 'call'],
      ['removed', 'call']
    ]);
    const r = compareSnapshots(
      snap([call('a.c', 1, 'fn', 'A'), call('a.c', 2, 'fn', 'A')]),
      snap([call('a.c', 1, 'fn', 'B'), call('a.c', 5, 'fn', 'C'), call('a.c', 6, 'fn', 'C')])
    );
    expect(r.facts.map((c) => [c.change, c.before?.condition, c.after?.condition])).toEqual([
      ['condition', 'A', 'B'],
      ['condition', 'A', 'C'],
      ['added', undefined, 'C']
    ]);
    expect(r.changes).toBe(3);
  });

  it("compare only the rules both sides ran: another rule's facts are no change, and the rules are listed", () => {
    const r = compareSnapshots(
      snap([call('a.c', 1)], { rules: ['r', 'z-old'] }),
      snap([call('a.c', 1), { ...call('b.c', 1), rule: 'new' } as Fact], { rules: ['new', 'r'] })
    );
    expect([r.facts, r.notCompared, r.status]).toEqual([[], ['new', 'z-old'], 'unchanged']);
    // …also when the baseline has facts of the rule it alone ran.
    const gone = compareSnapshots(snap([call('a.c', 1), { ...call('b.c', 1), rule: 'z-old' } as Fact], { rules: ['r', 'z-old'] }), snap([call('a.c', 1)]));
    expect([gone.facts, gone.notCompared, gone.status]).toEqual([[], ['z-old'], 'unchanged']);
  });

  it('keep, for changes at the same place, the order of the snapshot', () => {
    const r = compareSnapshots(snap([]), snap([call('a.c', 4, 'f1'), call('a.c', 4, 'f2'), call('a.c', 4, 'f3')]));
    expect(r.facts.map((c) => (c.after as { function: string }).function)).toEqual(['f1', 'f2', 'f3']);
  });
});

describe('notes', () => {
  it('say when the schema versions differ, and nothing when the snapshots agree', () => {
    expect(compareSnapshots(snap([]), snap([])).notes).toEqual([]);
    expect(compareSnapshots(snap([], { schemaVersion: 0 } as Partial<Snapshot>), snap([])).notes).toEqual([
      'The baseline uses snapshot schema version 0, this run 1; what both record is compared.'
    ]);
    const hash = compareSnapshots(snap([]), snap([], { profile: { ...snap([]).profile, hash: 'ffff' } })).notes;
    expect(hash).toHaveLength(1);
    expect(hash[0]).toMatch(/^The baseline was made with profile test v1 \(0123456789abcdef\), this run with test v1 \(ffff\)/);
    const id = compareSnapshots(snap([]), snap([], { profile: { ...snap([]).profile, id: 'other' } })).notes;
    expect(id).toHaveLength(1);
    expect(id[0]).toMatch(/^The baseline was made with profile test v1 \(0123456789abcdef\), this run with other v1 /);
  });
});

describe('units', () => {
  const unit = (id: string, status: 'enabled' | 'disabled'): Unit =>
    ({ id, name: id, kind: 'module', dir: id, source: 'kbuild', files: [], capabilities: [capability('c', status)] }) as unknown as Unit;
  const withUnits = (units: Unit[] | undefined): Snapshot => snapshotOf([], [capability('c', 'enabled')], { units });

  it('are matched by id: a unit that came or went is a change, a kept unit lists only the capabilities that moved', () => {
    const r = compareSnapshots(
      withUnits([unit('a', 'enabled'), unit('b', 'enabled'), unit('gone', 'enabled')]),
      withUnits([unit('new', 'enabled'), unit('b', 'disabled'), unit('a', 'enabled')])
    );
    expect(r.units.map((u) => [u.id, u.change, u.capabilities.map((c) => c.direction)])).toEqual([
      ['b', 'kept', ['regressed']],
      ['gone', 'removed', ['changed']],
      ['new', 'added', ['changed']]
    ]);
    expect(r.status).toBe('regressed');
    // Units only coming or going: changed.
    const came = compareSnapshots(withUnits([unit('a', 'enabled')]), withUnits([unit('a', 'enabled'), unit('z', 'disabled')]));
    expect([came.status, came.units.map((u) => u.id)]).toEqual(['changed', ['z']]);
    expect(compareSnapshots(withUnits([unit('a', 'enabled')]), withUnits([unit('a', 'enabled')])).status).toBe('unchanged');
    // Listed by id, whatever the order of the snapshots.
    const sorted = compareSnapshots(withUnits([unit('z', 'enabled')]), withUnits([unit('z', 'disabled'), unit('a', 'enabled')]));
    expect(sorted.units.map((u) => [u.id, u.change])).toEqual([
      ['a', 'added'],
      ['z', 'kept']
    ]);
  });

  it('are not compared against a baseline without units, which a note says when this run has several', () => {
    const r = compareSnapshots(withUnits(undefined), withUnits([unit('a', 'enabled'), unit('b', 'enabled')]));
    expect([r.units, r.notes]).toEqual([[], ['The baseline has no driver units (an older snapshot): units are not compared.']]);
    expect(compareSnapshots(withUnits(undefined), withUnits([unit('a', 'enabled')])).notes).toEqual([]);
  });
});
