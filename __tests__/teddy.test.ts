// The prefilter's SIMD pass (src/rules/teddy.ts, teddy.wat) against the JavaScript search it stands in for: the
// same files pass, whatever the anchors, the bytes and the backslash-newlines between them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { AnchorMatcher } from '../src/rules/anchors.js';
import { Found, loadTeddy } from '../src/rules/teddy.js';
import { passes, prefilterBytes, withoutContinuations } from '../src/scan/scan-file.js';

function byteSet(anchors: readonly string[]): Uint8Array {
  const set = new Uint8Array(256);
  for (const a of anchors) for (const b of Buffer.from(a, 'latin1')) set[b] = 1;
  return set;
}

/** The prefilter as it was before the SIMD pass: JavaScript search on the bytes the compiler reads. */
function reference(m: AnchorMatcher, bytes: Buffer, set: Uint8Array): Buffer | undefined {
  const joined = prefilterBytes(bytes, set);
  return m.test(joined) ? joined : undefined;
}

// Small alphabets, so that anchors share prefixes (shared fingerprints and buckets), near misses are frequent and
// backslash-newlines fall between anchor bytes.
const anchorChar = fc.constantFrom('a', 'b', 'c', '_', ' ', '(', 'M', '\u00e9');
const anchor = fc.array(anchorChar, { minLength: 3, maxLength: 9 }).map((cs) => cs.join(''));

describe('the SIMD prefilter', () => {
  it('runs here (Node has WebAssembly SIMD), so the properties below test it and not the fallback', () => {
    expect(loadTeddy()).toBe(true);
    expect(new AnchorMatcher(['abc']).quick(Buffer.from('xxabcxx'))).toBe(Found.Anchor);
  });

  it('passes the same files as the JavaScript search, with continuations anywhere', () => {
    let quickDecided = 0;
    let joinedOnly = 0;
    const piece = (anchors: string[]) =>
      fc.oneof(
        fc.constantFrom(...anchors),
        fc.constantFrom(...anchors).chain((a) => fc.integer({ min: 1, max: a.length - 1 }).map((k) => a.slice(0, k))),
        fc.constantFrom(...anchors).chain((a) => fc.integer({ min: 1, max: a.length - 1 }).map((k) => a.slice(k))),
        // an anchor split by a backslash-newline (or a run of them), as a macro's line may be
        fc
          .tuple(fc.constantFrom(...anchors), fc.nat(), fc.constantFrom('\\\n', '\\\r\n', '\\\r', '\\\n\\\n', '\\\n '))
          .map(([a, k, c]) => a.slice(0, 1 + (k % (a.length - 1))) + c + a.slice(1 + (k % (a.length - 1)))),
        fc.constantFrom('\\\n', '\\\r\n', '\\\r', '\\', '\n', '\r', '\t', ' ', 'x', '\u00e9'),
        anchorChar
      );
    fc.assert(
      fc.property(
        fc.array(anchor, { minLength: 1, maxLength: 12 }).chain((anchors) => fc.tuple(fc.constant(anchors), fc.array(piece(anchors), { maxLength: 60 }))),
        ([anchors, parts]) => {
          const bytes = Buffer.from(parts.join(''), 'latin1');
          const set = byteSet(anchors);
          const m = new AnchorMatcher(anchors);
          const want = reference(m, bytes, set);
          const got = passes(m, bytes, set);
          expect(got === undefined).toBe(want === undefined);
          if (got) expect(got.equals(want!)).toBe(true);
          const quick = m.quick(bytes);
          expect(quick).toBeDefined();
          // The pass is exact about the bytes as they are, and never misses an anchor that joining makes.
          expect(quick === Found.Anchor).toBe(m.test(bytes));
          if (quick === Found.None) expect(m.test(withoutContinuations(bytes))).toBe(false);
          if (quick === Found.None || quick === Found.Anchor) quickDecided++;
          if (want && !m.test(bytes)) joinedOnly++;
        }
      ),
      { numRuns: 4000, seed: 29 }
    );
    // Not vacuous: files that only a joined continuation makes pass, and files the one pass decides.
    expect(joinedOnly).toBeGreaterThan(100);
    expect(quickDecided).toBeGreaterThan(2000);
  });

  it('finds every anchor of a large set (buckets shared by several fingerprints) at any position', () => {
    const names = Array.from({ length: 60 }, (_, i) => `${['mmu_', 'migrate_', 'drm_', 'dev', 'hmm', 'CONFIG_'][i % 6]}${'abcdefghij'[i % 10]}${i}`);
    const m = new AnchorMatcher(names);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...names, 'mmu', 'migrate', 'drm_x', 'de', 'CONFIG', ' ', '_', 'q'), { maxLength: 40 }),
        fc.integer({ min: 0, max: 40 }),
        (parts, pad) => {
          const bytes = Buffer.from('z'.repeat(pad) + parts.join(''), 'latin1');
          expect(m.quick(bytes) === Found.Anchor).toBe(m.test(bytes));
        }
      ),
      { numRuns: 3000, seed: 5 }
    );
  });

  it('reads every byte of a buffer larger than its first memory, to the last one', () => {
    const m = new AnchorMatcher(['hmm_range_fault', 'mmu_notifier_ops']);
    const big = Buffer.alloc(3 << 20, 'x');
    expect(m.quick(big)).toBe(Found.None);
    big.write('mmu_notifier_ops', big.length - 16, 'latin1');
    expect(m.quick(big)).toBe(Found.Anchor);
    big.fill('x');
    big.write('mmu_notifier_op', big.length - 15, 'latin1'); // the anchor would need one byte past the end
    expect(m.quick(big)).toBe(Found.None);
    // A small buffer after it: the tail of the large one left in memory does not count.
    expect(m.quick(Buffer.from('mmu_notifier_o', 'latin1'))).toBe(Found.None);
  });

  it('keeps the configurations of several matchers apart', () => {
    const a = new AnchorMatcher(['alpha_one', 'alpha_two']);
    const b = new AnchorMatcher(['beta_one']);
    const text = Buffer.from('call beta_one(); then alpha_two();', 'latin1');
    expect(a.quick(text)).toBe(Found.Anchor);
    expect(b.quick(text)).toBe(Found.Anchor);
    expect(a.quick(Buffer.from('beta_one', 'latin1'))).toBe(Found.None);
    expect(b.quick(Buffer.from('alpha_two', 'latin1'))).toBe(Found.None);
  });

  it('says where it cannot decide, and the prefilter then decides as before', () => {
    // An anchor under three bytes, one holding a backslash or a line break, a configuration too large for its memory.
    const cases: string[][] = [
      ['ab', 'hmm_range_fault'],
      ['a\\b'],
      ['line\nbreak'],
      Array.from({ length: 3000 }, (_, i) => `${String(i).padStart(4, '0')}${'anchor_'.repeat(60)}${String(i).padStart(4, '0')}`)
    ];
    for (const anchors of cases) {
      const m = new AnchorMatcher(anchors);
      const set = byteSet(anchors);
      const bytes = Buffer.from(`x ${anchors[anchors.length - 1]} y`, 'latin1');
      expect(m.quick(bytes)).toBeUndefined();
      expect(passes(m, bytes, set)?.equals(reference(m, bytes, set)!)).toBe(true);
      expect(passes(m, Buffer.from('nothing here', 'latin1'), set)).toBeUndefined();
    }
  });

  it('is the assembled teddy.wat (the committed bytes are not edited by hand)', async () => {
    // @ts-expect-error: a build script without type declarations
    const { assemble, OUT } = (await import('../script/wat.mjs')) as { assemble: () => Promise<string>; OUT: string };
    expect(readFileSync(OUT, 'utf8')).toBe(await assemble());
  });
});
