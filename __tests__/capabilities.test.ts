// Capabilities derived from facts: statuses, conditions, assumptions, constraints and references.
import { describe, expect, it } from '@jest/globals';
import { evaluateCapabilities, matches, traceCapability } from '../src/rules/capabilities.js';
import type { Capability, Fact, Profile } from '../src/rules/types.js';

const call = (callee: string, condition: string, file = 'a.c', line = 1): Fact => ({
  rule: 'calls',
  kind: 'call',
  file,
  line,
  condition,
  callee,
  function: 'f'
});

function profile(capabilities: Capability[], assume?: Record<string, boolean>): Profile {
  return { id: 't', version: 1, title: 'T', rules: [{ id: 'calls', kind: 'call', title: 'C', functions: ['x'] }], capabilities, assume };
}

const calls: Capability = {
  id: 'calls-x',
  title: 'Calls x',
  explain: 'e',
  cases: [{ when: { rule: 'calls', where: { callee: 'x' } }, status: 'enabled', because: '{count} call(s)' }],
  otherwise: { status: 'absent', because: 'none' }
};

describe('evaluateCapabilities', () => {
  it('is enabled when the facts hold in every configuration, absent without facts', () => {
    expect(evaluateCapabilities(profile([calls]), [call('x', '1')], {})[0]).toMatchObject({ status: 'enabled', because: '1 call(s)', evidenceCount: 1 });
    expect(evaluateCapabilities(profile([calls]), [call('y', '1')], {})[0]).toMatchObject({ status: 'absent', evidence: [] });
  });

  it('is conditional when the facts hold only under a condition, and says which', () => {
    const r = evaluateCapabilities(profile([calls]), [call('x', 'defined(NV_X_PRESENT)')], {})[0];
    expect(r).toMatchObject({ status: 'conditional', conditionalStatus: 'enabled', condition: 'defined(NV_X_PRESENT)' });
  });

  it('is enabled when the conditions of several facts cover every configuration', () => {
    const r = evaluateCapabilities(profile([calls]), [call('x', 'defined(A)', 'a.c', 1), call('x', '!defined(A)', 'a.c', 5)], {})[0];
    expect(r.status).toBe('enabled');
  });

  it("uses a file's #error constraints: A || (!A && B) always holds when the build requires A || B", () => {
    const facts = [call('x', 'defined(A)', 'a.c', 1), call('x', '!defined(A) && defined(B)', 'a.c', 3)];
    expect(evaluateCapabilities(profile([calls]), facts, {})[0].status).toBe('conditional');
    expect(evaluateCapabilities(profile([calls]), facts, { 'a.c': ['defined(A) || defined(B)'] })[0].status).toBe('enabled');
  });

  it('applies profile and capability assumptions, which can exclude facts', () => {
    const perArch: Capability = {
      ...calls,
      id: 'arm',
      assume: { 'defined(NVCPU_X86_64)': false },
      cases: [{ when: { rule: 'calls', where: { callee: 'x' } }, status: 'enabled', because: 'b' }]
    };
    const facts = [call('x', 'defined(NVCPU_X86_64) && GATE()')];
    const results = evaluateCapabilities(profile([calls, perArch], { 'GATE()': true }), facts, {});
    expect(results.map((r) => [r.id, r.status, r.condition])).toEqual([
      ['calls-x', 'conditional', 'defined(NVCPU_X86_64)'],
      ['arm', 'absent', undefined]
    ]);
  });

  it('takes the first matching case, and can refer to an earlier capability and negate', () => {
    const docs: Capability = {
      id: 'docs',
      title: 'Docs agree',
      explain: 'e',
      cases: [
        {
          when: { all: [{ capability: 'calls-x', status: 'absent' }, { not: { rule: 'calls', where: { callee: 'z' } } }] },
          status: 'disabled',
          because: 'contradiction'
        }
      ],
      otherwise: { status: 'enabled', because: 'fine' }
    };
    expect(evaluateCapabilities(profile([calls, docs]), [], {})[1]).toMatchObject({ status: 'disabled', because: 'contradiction' });
    expect(evaluateCapabilities(profile([calls, docs]), [call('x', '1')], {})[1]).toMatchObject({ status: 'enabled' });
    expect(evaluateCapabilities(profile([calls, docs]), [call('z', '1')], {})[1]).toMatchObject({ status: 'enabled' });
  });

  it('matches fields by list, glob, regular expression and negation', () => {
    const cap = (where: Record<string, unknown>): Capability => ({
      ...calls,
      cases: [{ when: { rule: 'calls', where: where as never }, status: 'enabled', because: 'b' }]
    });
    const facts = [call('migrate_vma_setup', '1')];
    const status = (where: Record<string, unknown>) => evaluateCapabilities(profile([cap(where)]), facts, {})[0].status;
    expect(status({ callee: ['a', 'migrate_vma_setup'] })).toBe('enabled');
    expect(status({ callee: { glob: 'migrate_*' } })).toBe('enabled');
    expect(status({ callee: { regex: '^migrate_device' } })).toBe('absent');
    expect(status({ callee: { not: { glob: 'migrate_*' } } })).toBe('absent');
  });

  it('matches regexes in linear time, with the leading negative look-ahead the built-in profiles use', () => {
    const fn = (name: string, regex: string): boolean => matches(name, { regex });
    expect(fn('uvm_va_space_init', '^(?!.*_test$).*init')).toBe(true);
    expect(fn('uvm_va_space_init_test', '^(?!.*_test$).*init')).toBe(false);
    expect(fn('teardown', '^(?!.*_test$).*init')).toBe(false);
    // Exponential for a backtracking engine (29 s on 26 characters); RE2 answers at once.
    expect(fn(`${'a'.repeat(40)}!`, '^.*(a+)+$')).toBe(false);
    expect(fn('x.y', 'x.y')).toBe(true);
    expect(matches('a+b', { glob: 'a+*' })).toBe(true);
    expect(matches('aab', { glob: 'a+*' })).toBe(false);
  });

  it('matches a where glob as the project matches every glob (picomatch), on RE2', () => {
    // Braces and classes are glob syntax, as in `exclude` and a rule's `files`.
    expect(matches('migrate_vma_setup', { glob: '{migrate_vma,hmm_range}_*' })).toBe(true);
    expect(matches('hmm_range_fault', { glob: '{migrate_vma,hmm_range}_*' })).toBe(true);
    expect(matches('make_device_exclusive', { glob: '{migrate_vma,hmm_range}_*' })).toBe(false);
    expect(matches('uvm8_hmm.c', { glob: 'uvm[0-9]_*.c' })).toBe(true);
    // A file glob: `*` stays in its folder, `**` crosses folders.
    expect(matches('kernel-open/nvidia-uvm/uvm_hmm.c', { glob: 'kernel-open/*.c' })).toBe(false);
    expect(matches('kernel-open/nvidia-uvm/uvm_hmm.c', { glob: 'kernel-open/**/*.c' })).toBe(true);
    expect(matches('kernel-open/nvidia-uvm/uvm_hmm.c', { glob: '**/uvm_?mm.c' })).toBe(true);
    expect(matches('.hidden.c', { glob: '*.c' })).toBe(true);
    // Polynomial for a backtracking engine (seconds on a hundred characters); RE2 answers at once.
    expect(matches('a'.repeat(5000), { glob: '*a*a*a*a*a*a*a*b' })).toBe(false);
  });
});

describe('ignore-conditions', () => {
  it('counts facts whatever their conditions when the capability asks for it', () => {
    const facts = [call('x', '!defined(NVCPU_X86_64)')];
    expect(evaluateCapabilities(profile([calls]), facts, {})[0].status).toBe('conditional');
    expect(evaluateCapabilities(profile([{ ...calls, 'ignore-conditions': true }]), facts, {})[0].status).toBe('enabled');
  });
});

describe('traceCapability', () => {
  // Three cases: the first selects nothing, the second only facts the file's #error branch rules out, the
  // third facts under a condition the assumptions do not decide; one fact is ruled out by an assumption.
  const chain: Capability = {
    id: 'chain',
    title: 'Chain',
    explain: 'e',
    assume: { 'defined(ARM)': false },
    cases: [
      { when: { rule: 'calls', where: { callee: 'nothing' } }, status: 'disabled', because: 'never' },
      { when: { rule: 'calls', where: { callee: 'old' } }, status: 'disabled', because: 'old api' },
      { when: { rule: 'calls', where: { callee: 'x' } }, status: 'enabled', because: '{count} call(s)' },
      { when: { rule: 'calls' }, status: 'unknown', because: 'last' }
    ],
    otherwise: { status: 'absent', because: 'none' }
  };
  const facts = [call('old', 'defined(OLD)', 'old.c', 3), call('x', 'defined(ARM)', 'a.c', 1), call('x', 'defined(NEW)', 'a.c', 9)];
  const constraints = { 'old.c': ['!defined(OLD)'], 'a.c': ['defined(NEW) || defined(OLD)'] };

  it('records every case in order with what it selected, what the assumptions ruled out and why it did not decide', () => {
    const trace = traceCapability(profile([chain], { 'GATE()': true }), facts, constraints, 'chain')!;
    expect(trace.cases.map((c) => [c.index, c.outcome])).toEqual([
      [0, 'no-match'],
      [1, 'excluded'],
      [2, 'conditional'],
      [3, 'not-reached']
    ]);
    expect(trace.cases[1]).toMatchObject({
      condition: 'defined(OLD)',
      facts: [{ file: 'old.c', line: 3 }],
      constraints: [{ file: 'old.c', condition: '!defined(OLD)' }]
    });
    expect(trace.cases[2]).toMatchObject({
      because: '1 call(s)',
      condition: 'defined(NEW)',
      facts: [{ file: 'a.c', line: 9, condition: 'defined(NEW)', summary: 'x() called in f()' }],
      ruledOut: [{ file: 'a.c', line: 1, condition: 'defined(ARM)' }],
      constraints: [{ file: 'a.c', condition: 'defined(NEW) || defined(OLD)' }],
      decided: true
    });
    expect(trace.otherwise).toEqual({ status: 'absent', because: 'none', reached: false });
    expect(trace.assumptions).toEqual([
      { atom: 'GATE()', value: true, from: 'profile', used: false },
      { atom: 'defined(ARM)', value: false, from: 'capability', used: true }
    ]);
    expect(trace.result).toMatchObject({ status: 'conditional', conditionalStatus: 'enabled', condition: 'defined(NEW)' });
  });

  it('gives the result evaluateCapabilities gives, for every capability, also one that tests an earlier one', () => {
    const after: Capability = {
      id: 'after',
      title: 'After',
      explain: 'e',
      cases: [{ when: { capability: 'chain', status: 'conditional' }, status: 'disabled', because: 'chain is conditional' }],
      otherwise: { status: 'enabled', because: 'fine' }
    };
    const p = profile([calls, chain, after]);
    const all = evaluateCapabilities(p, facts, constraints);
    for (const c of all) expect(traceCapability(p, facts, constraints, c.id)!.result).toEqual(c);
    const trace = traceCapability(p, facts, constraints, 'after')!;
    expect(trace.earlier).toEqual({ 'calls-x': 'conditional', chain: 'conditional' });
    expect(trace.cases[0].outcome).toBe('holds');
    expect(trace.otherwise.reached).toBe(false);
    expect(traceCapability(profile([calls]), [], {}, 'calls-x')).toMatchObject({ cases: [{ outcome: 'no-match' }], otherwise: { reached: true } });
    expect(traceCapability(p, facts, constraints, 'no-such-id')).toBeUndefined();
  });
});
