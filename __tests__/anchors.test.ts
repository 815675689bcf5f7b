// The prefilter and the anchor locator against the obvious (slow) answers, on seeded random texts built from
// anchor fragments so that near misses, overlaps and anchors inside anchors are frequent.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { AnchorMatcher } from '../src/rules/anchors.js';
import { prefilterBytes, withoutContinuations } from '../src/scan/scan-file.js';

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ANCHORS = ['hmm', 'HMM', 'hmm_range_fault', 'migrate_vma_setup', 'migrate_vma_pages', 'mmu_notifier_ops', 'mmu_interval_notifier_ops', 'aaaaaa'];
const PIECES = [
  'hmm',
  'hm',
  'HM',
  'M',
  '_range',
  '_fault',
  'migrate_',
  'vma_',
  'setup',
  'pages',
  'mmu_',
  'interval_',
  'notifier_',
  'ops',
  'a',
  'aaa',
  ' ',
  '\n',
  '(',
  ';',
  'x'
];

function text(next: () => number): string {
  let s = '';
  const n = Math.floor(next() * 60);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(next() * PIECES.length)];
  return s;
}

/** Every start offset of every anchor, by indexOf one character at a time. */
function naive(anchors: string[], s: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const a of new Set(anchors)) {
    const at: number[] = [];
    for (let i = s.indexOf(a); i !== -1; i = s.indexOf(a, i + 1)) at.push(i);
    if (at.length) out.set(a, at);
  }
  return out;
}

describe('AnchorMatcher', () => {
  const next = random(7);
  const cases = Array.from({ length: 400 }, () => text(next));
  const sets = [ANCHORS, ANCHORS.filter((a) => a.length >= 6), ['mmu_notifier_ops'], ['hmm', 'hmm_range_fault']];

  it('finds every occurrence of every anchor, overlapping ones included, and which anchors occur', () => {
    let occurrences = 0;
    for (const anchors of sets) {
      const locator = new AnchorMatcher(anchors, { prune: false });
      for (const s of cases) {
        const expected = naive(anchors, s);
        expect(locator.findAll(Buffer.from(s, 'latin1'))).toEqual(expected);
        expect(locator.present(Buffer.from(s, 'latin1'))).toEqual(new Set(expected.keys()));
        for (const list of expected.values()) occurrences += list.length;
      }
    }
    expect(occurrences).toBeGreaterThan(1000); // the texts do hold anchors: the comparison is not vacuous
  });

  it('tells whether any anchor occurs, also when anchors containing others are not looked for', () => {
    let hits = 0;
    for (const anchors of sets) {
      const pruned = new AnchorMatcher(anchors);
      const full = new AnchorMatcher(anchors, { prune: false });
      for (const s of cases) {
        const expected = anchors.some((a) => s.includes(a));
        expect(pruned.test(Buffer.from(s, 'latin1'))).toBe(expected);
        expect(full.test(Buffer.from(s, 'latin1'))).toBe(expected);
        if (expected) hits++;
      }
    }
    expect(hits).toBeGreaterThan(100);
    expect(hits).toBeLessThan(sets.length * cases.length - 100);
  });

  it('finds anchors at the very start and end of the bytes, and nothing in an empty buffer', () => {
    const m = new AnchorMatcher(['mmu_notifier_ops', 'hmm'], { prune: false });
    expect(m.findAll(Buffer.from('mmu_notifier_ops x hmm'))).toEqual(
      new Map([
        ['mmu_notifier_ops', [0]],
        ['hmm', [19]]
      ])
    );
    expect(m.test(Buffer.alloc(0))).toBe(false);
    expect(m.findAll(Buffer.alloc(0)).size).toBe(0);
  });
});

describe('prefilterBytes (the prefilter reads continuations away only where they could join an anchor)', () => {
  // Anchors with a space and a `(` too: bytes that often stand before a continuation.
  const anchorSets = [['ab', 'ba'], ['a b', 'bb'], ['x(a', 'b'], ['abc']];
  const piece = fc.constantFrom('a', 'b', 'c', ' ', '(', '\t', '\\', '\n', '\r', '\\\n', '\\\r\n', '\\\r', 'ab', 'a\\\nb', 'a \\\n b');

  it('finds the same anchors as the bytes with every continuation removed', () => {
    let joinedOnly = 0;
    fc.assert(
      fc.property(fc.constantFrom(...anchorSets), fc.array(piece, { maxLength: 24 }), (anchors, parts) => {
        const bytes = Buffer.from(parts.join(''), 'latin1');
        const set = new Uint8Array(256);
        for (const a of anchors) for (const b of Buffer.from(a, 'latin1')) set[b] = 1;
        const m = new AnchorMatcher(anchors, { prune: false });
        const expected = m.present(withoutContinuations(bytes));
        const got = prefilterBytes(bytes, set);
        expect(m.present(got)).toEqual(expected);
        if (expected.size > m.present(bytes).size) joinedOnly++;
      }),
      { numRuns: 3000, seed: 11 }
    );
    // Some cases do need the continuation removed (the comparison is not vacuous).
    expect(joinedOnly).toBeGreaterThan(50);
  });

  it('reads a file as it is, without a copy, when no continuation stands between anchor bytes', () => {
    const set = new Uint8Array(256);
    for (const b of Buffer.from('hmm_range_fault', 'latin1')) set[b] = 1;
    const macro = Buffer.from('#define X(y) \\\n\tdo { } while (0)\nhmm_range_fault(r);\n', 'latin1');
    expect(prefilterBytes(macro, set)).toBe(macro);
    const split = Buffer.from('hmm_range_\\\nfault(r);\n', 'latin1');
    expect(prefilterBytes(split, set)).not.toBe(split);
    expect(prefilterBytes(split, set).toString('latin1')).toBe('hmm_range_fault(r);\n');
  });
});
