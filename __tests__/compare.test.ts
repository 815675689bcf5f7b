// Comparing snapshots: identity not line numbers, condition changes, tables and members, capability directions.
import { describe, expect, it } from '@jest/globals';
import { compareSnapshots } from '../src/compare/compare.js';
import type { CapabilityResult } from '../src/rules/capabilities.js';
import type { Fact } from '../src/rules/types.js';
import type { Snapshot } from '../src/snapshot/snapshot.js';

function snap(facts: Fact[], capabilities: CapabilityResult[] = [], over: Partial<Snapshot> = {}): Snapshot {
  return {
    schema: 'hmm-watch/snapshot',
    schemaVersion: 1,
    tool: { name: 'hmm-watch', version: '0.1.0' },
    profile: { id: 'p', version: 1, title: 'P', hash: 'h', source: 'builtin:p' },
    tree: { root: '.' },
    rules: ['tables', 'calls'],
    capabilities,
    facts,
    constraints: {},
    diagnostics: { parseErrors: 0, filesParsed: 0, skipped: [], files: [] },
    ...over
  };
}

const member = (m: string, value: string, line: number, condition = '1'): Fact => ({
  rule: 'tables',
  kind: 'ops-member',
  file: 'a.c',
  line,
  condition,
  type: 'dev_pagemap_ops',
  table: 'ops',
  member: m,
  value
});
const table = (line: number): Fact => ({
  rule: 'tables',
  kind: 'ops-table',
  file: 'a.c',
  line,
  condition: '1',
  type: 'dev_pagemap_ops',
  table: 'ops',
  storage: 'static const'
});
const call = (line: number, fn = 'evict', condition = '1'): Fact => ({
  rule: 'calls',
  kind: 'call',
  file: 'b.c',
  line,
  condition,
  callee: 'migrate_device_range',
  function: fn
});
const cap = (
  status: CapabilityResult['status'],
  direction: CapabilityResult['direction'] = 'enabled-is-better',
  extra: Partial<CapabilityResult> = {}
): CapabilityResult => ({
  id: 'c',
  title: 'C',
  explain: '',
  direction,
  status,
  because: '',
  evidence: [],
  evidenceCount: 0,
  ...extra
});

describe('compareSnapshots', () => {
  it('does not count code that moved as a change, but lists it as moved', () => {
    const r = compareSnapshots(snap([table(10), member('migrate_to_ram', 'f', 12), call(40)]), snap([table(20), member('migrate_to_ram', 'f', 22), call(55)]));
    expect(r.status).toBe('unchanged');
    expect(r.facts).toEqual([]);
    expect(r.changes).toBe(0);
    expect(r.moved.map((m) => [m.before!.line, m.after!.line])).toEqual([
      [10, 20],
      [12, 22],
      [40, 55]
    ]);
  });

  it('reports added and removed members and tables, and changed values', () => {
    const before = snap([table(1), member('page_free', 'pf', 2), member('migrate_to_ram', 'old_fault', 3)]);
    const after = snap([table(1), member('folio_free', 'ff', 2), member('migrate_to_ram', 'new_fault', 3)]);
    const r = compareSnapshots(before, after);
    const memberOf = (f: Fact | undefined): string => (f as { member: string }).member;
    expect(r.facts.map((c) => [c.change, memberOf(c.after ?? c.before)])).toEqual([
      ['added', 'folio_free'],
      ['removed', 'page_free'],
      ['changed', 'migrate_to_ram']
    ]);
    expect(r.facts[2].before).toMatchObject({ value: 'old_fault' });
    expect(r.facts[2].after).toMatchObject({ value: 'new_fault' });
    const gone = compareSnapshots(before, snap([]));
    expect(gone.facts.map((c) => [c.change, c.before!.kind])).toEqual([
      ['removed', 'ops-table'],
      ['removed', 'ops-member'],
      ['removed', 'ops-member']
    ]);
  });

  it('reports a fact whose condition changed as one condition change', () => {
    const r = compareSnapshots(snap([call(5, 'evict', '1')]), snap([call(5, 'evict', 'defined(NV_X_PRESENT)')]));
    expect(r.facts).toEqual([expect.objectContaining({ change: 'condition' })]);
    expect(r.facts[0].before!.condition).toBe('1');
    expect(r.facts[0].after!.condition).toBe('defined(NV_X_PRESENT)');
    expect(r.status).toBe('changed');
  });

  it('counts repeated identical facts: a second call in the same function is an addition', () => {
    const r = compareSnapshots(snap([call(5)]), snap([call(5), call(9)]));
    expect(r.facts.map((c) => [c.change, c.after?.line])).toEqual([['added', 9]]);
  });

  it('classifies capability transitions by direction', () => {
    const dir = (a: CapabilityResult, b: CapabilityResult) => compareSnapshots(snap([], [a]), snap([], [b])).capabilities[0].direction;
    expect(dir(cap('enabled'), cap('disabled'))).toBe('regressed');
    expect(dir(cap('absent'), cap('enabled'))).toBe('improved');
    expect(dir(cap('enabled'), cap('conditional', 'enabled-is-better', { condition: 'X', conditionalStatus: 'enabled' }))).toBe('regressed');
    expect(dir(cap('enabled', 'neutral'), cap('disabled', 'neutral'))).toBe('changed');
    expect(dir(cap('unknown'), cap('enabled'))).toBe('changed');
    expect(dir(cap('enabled'), cap('enabled'))).toBe('unchanged');
    const r = compareSnapshots(snap([], [cap('enabled')]), snap([], [cap('disabled')]));
    expect(r.status).toBe('regressed');
    expect(r.changes).toBe(1);
  });

  it('notes a different profile, compares the rules both ran, and lists the others', () => {
    const before = snap([call(5)], [], { rules: ['calls', 'old-rule'], profile: { id: 'p', version: 1, title: 'P', hash: 'h1', source: 'x' } });
    const after = snap([call(5)], [], { rules: ['calls', 'new-rule'], profile: { id: 'p', version: 2, title: 'P', hash: 'h2', source: 'x' } });
    const r = compareSnapshots(before, after);
    expect(r.notes.join(' ')).toMatch(/baseline was made with profile p v1 \(h1\), this run with p v2 \(h2\)/);
    expect(r.notCompared).toEqual(['new-rule', 'old-rule']);
    expect(r.status).toBe('unchanged');
  });

  it('counts a capability only one profile has as changed, and its note says so', () => {
    const meta = (v: number) => ({ profile: { id: 'p', version: v, title: 'P', hash: `h${v}`, source: 'x' } });
    const r = compareSnapshots(snap([], [], meta(1)), snap([], [cap('enabled')], meta(2)));
    expect(r.capabilities.map((c) => [c.before, c.direction])).toEqual([[undefined, 'changed']]);
    expect(r.status).toBe('changed');
    expect(r.changes).toBe(1);
    expect(r.notes.join(' ')).toMatch(/a capability only one profile has counts as changed/);
    expect(r.notes.join(' ')).not.toMatch(/capabilities present in both are compared/);
  });
});
