// Bounded work on hostile input (issue 8 §2): each limit ends the scan with a `limit` diagnostic naming the file and
// line, and the ordinary facts of the same file and of the rest of the tree are still reported. The large inputs
// are generated here.
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Fact, FileDiagnostic } from '../src/rules/types.js';
import { runScan } from '../src/scan/run.js';
import { lines, makeTree, type TempTree } from './helpers/tree.js';

/** A function holding one anchored call: the ordinary fact every case must keep. */
const ORDINARY = lines('int ordinary(void)', '{', '\treturn hmm_range_fault(0);', '}');
const OTHER = lines('int elsewhere(void)', '{', '\treturn hmm_range_fault(1);', '}');

let tree: TempTree | undefined;
afterEach(() => tree?.remove());

async function scan(hostile: string): Promise<{ facts: Fact[]; diagnostics: FileDiagnostic[] }> {
  tree = makeTree({ 'drv/hostile.c': hostile, 'drv/other.c': OTHER });
  const { snapshot } = await runScan(tree.root, { profile: 'linux-hmm-generic', jobs: 1 });
  return { facts: snapshot.facts, diagnostics: snapshot.diagnostics.files };
}

const calls = (facts: Fact[]): string[] =>
  facts.filter((f) => f.kind === 'call').map((f) => `${f.file}:${f.line} ${(f as { function: string }).function} [${f.condition}]`);

describe('#if expressions over a limit', () => {
  it('reads 100,000 nested parentheses as one opaque atom; #else gets its negation; facts of the file are kept', async () => {
    const d = 100000;
    const { facts, diagnostics } = await scan(
      lines(
        `#if ${'('.repeat(d)}A${')'.repeat(d)}`,
        'int a(void) { return hmm_range_fault(2); }',
        '#else',
        'int b(void) { return hmm_range_fault(3); }',
        '#endif'
      ) + ORDINARY
    );
    const found = calls(facts);
    const opaque = /^drv\/hostile\.c:2 a \[(HMM_WATCH_OPAQUE\([0-9a-f]{16}\))\]$/.exec(found[0]);
    expect(opaque).not.toBeNull();
    expect(found).toEqual([found[0], `drv/hostile.c:4 b [!${opaque![1]}]`, 'drv/hostile.c:8 ordinary [1]', 'drv/other.c:3 elsewhere [1]']);
    expect(diagnostics).toContainEqual({
      file: 'drv/hostile.c',
      kind: 'limit',
      message: expect.stringMatching(/^line 1: #if expression too large \(200001 tokens > limit 4000\): read as the opaque condition HMM_WATCH_OPAQUE\(/)
    });
  });

  it('reads parentheses nested past the limit as one opaque atom, naming the line', async () => {
    const d = 1900;
    const { facts, diagnostics } = await scan(
      lines('int before;', `#if ${'('.repeat(d)}A${')'.repeat(d)}`, 'int a(void) { return hmm_range_fault(2); }', '#endif') + ORDINARY
    );
    expect(calls(facts).map((c) => c.replace(/HMM_WATCH_OPAQUE\([0-9a-f]{16}\)/, 'OPAQUE'))).toEqual([
      'drv/hostile.c:3 a [OPAQUE]',
      'drv/hostile.c:7 ordinary [1]',
      'drv/other.c:3 elsewhere [1]'
    ]);
    expect(diagnostics).toContainEqual({
      file: 'drv/hostile.c',
      kind: 'limit',
      message: expect.stringMatching(/^line 2: #if expression too large \(parentheses nested 1900 deep > limit 64\)/)
    });
  });

  it('gives distinct expressions distinct opaque atoms, and the same expression the same one', async () => {
    const big = (name: string): string => Array.from({ length: 3000 }, (_, i) => `defined(${name}${i})`).join(' && ');
    const { facts } = await scan(
      lines(
        `#if ${big('A')}`,
        'int a(void) { return hmm_range_fault(2); }',
        '#endif',
        `#if ${big('B')}`,
        'int b(void) { return hmm_range_fault(3); }',
        '#endif',
        `#if ${big('A')}`,
        'int c(void) { return hmm_range_fault(4); }',
        '#endif'
      )
    );
    const [a, b, c] = facts.filter((f) => f.file === 'drv/hostile.c').map((f) => f.condition);
    expect(a).toMatch(/^HMM_WATCH_OPAQUE\(/);
    expect(b).not.toBe(a);
    expect(c).toBe(a);
  });

  it('survives a 150,000-term `A && A && …` and a 3,999-long run of `!`', async () => {
    const { facts, diagnostics } = await scan(
      lines(
        `#if ${Array(150000).fill('A').join(' && ')}`,
        'int x;',
        '#endif',
        `#if ${'!'.repeat(3999)}B`,
        'int y(void) { return hmm_range_fault(5); }',
        '#endif'
      ) + ORDINARY
    );
    expect(calls(facts)).toEqual(['drv/hostile.c:5 y [!B]', 'drv/hostile.c:9 ordinary [1]', 'drv/other.c:3 elsewhere [1]']);
    expect(diagnostics).toContainEqual({
      file: 'drv/hostile.c',
      kind: 'limit',
      message: expect.stringMatching(/^line 1: #if expression too large \(\d+ tokens > limit 4000\)/)
    });
  });
});

describe('#if nesting', () => {
  it('keeps presence conditions bounded 3,000 levels deep, names the line, and the code after it is unconditional', async () => {
    const n = 3000;
    const open = Array.from({ length: n }, (_, i) => `#ifdef X_${i}`);
    const { facts, diagnostics } = await scan(lines(...open, 'int deep(void) { return hmm_range_fault(2); }', ...Array(n).fill('#endif')) + ORDINARY);
    const deep = facts.find((f) => f.file === 'drv/hostile.c' && f.line === n + 1)!;
    expect(deep.condition.length).toBeLessThan(20000);
    expect(deep.condition).toMatch(/HMM_WATCH_OPAQUE\(/);
    expect(deep.condition).toContain(`defined(X_${n - 1})`);
    expect(calls(facts).slice(1)).toEqual([`drv/hostile.c:${2 * n + 4} ordinary [1]`, 'drv/other.c:3 elsewhere [1]']);
    expect(diagnostics).toContainEqual({
      file: 'drv/hostile.c',
      kind: 'limit',
      message: 'line 65: #if nested 65 deep > limit 64: conditions are kept to 256 literals'
    });
  });

  it('keeps a long #elif chain linear and its branches exclusive', async () => {
    const n = 5000;
    const chain = Array.from({ length: n }, (_, i) => (i === 0 ? '#if defined(C_0)' : `#elif defined(C_${i})`));
    const { facts } = await scan(lines(...chain, '#else', 'int last(void) { return hmm_range_fault(2); }', '#endif') + ORDINARY);
    const last = facts.find((f) => f.file === 'drv/hostile.c' && f.line === n + 2)!;
    expect(last.condition).toMatch(/HMM_WATCH_OPAQUE\(/);
    expect(calls(facts).slice(1)).toEqual([`drv/hostile.c:${n + 6} ordinary [1]`, 'drv/other.c:3 elsewhere [1]']);
  });
});

describe('syntax trees', () => {
  it('names the enclosing function of a call inside 100,000 nested blocks', async () => {
    const d = 100000;
    const { facts } = await scan(lines('void outer(void)', '{', `${'{'.repeat(d)}hmm_range_fault(1);${'}'.repeat(d)}`, '}') + ORDINARY);
    expect(calls(facts)).toEqual(['drv/hostile.c:3 outer [1]', 'drv/hostile.c:7 ordinary [1]', 'drv/other.c:3 elsewhere [1]']);
  });
});

describe('facts per file', () => {
  it('keeps 10,000 facts of a file, names the line where it stopped, and reports the rest of the tree', async () => {
    const body = Array.from({ length: 10005 }, (_, i) => `\thmm_range_fault(${i});`);
    const { facts, diagnostics } = await scan(lines('void many(void)', '{', ...body, '}'));
    expect(facts.filter((f) => f.file === 'drv/hostile.c')).toHaveLength(10000);
    expect(calls(facts)).toContain('drv/other.c:3 elsewhere [1]');
    expect(diagnostics).toContainEqual({
      file: 'drv/hostile.c',
      kind: 'limit',
      message: "line 10003: more than 10000 facts (limit): facts of rule 'hmm-range-fault-calls' from this one on, and of the rules after it, are left out"
    });
  });
});
