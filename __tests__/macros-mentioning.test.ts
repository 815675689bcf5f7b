// Macros.mentioning (src/frontend/macros.ts) asks whether a header's definition is the one a use of its name gets
// only for a definition that mentions something: the answer must be the one of asking it for every definition
// first, the plain reading of "a header's definition counts where it is the first in header order". Random files
// and headers from a small pool of names, so that a name defined in several headers (the later ones shadowed) and
// macros calling macros are frequent.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type MacroDef, Macros, wholeWord } from '../src/frontend/macros.js';

const NAMES = ['A', 'B', 'C', 'D', 'E'];
const WORDS = ['hmm_range_fault', 'migrate_vma_setup', 'x'];

/** mentioning() as first written: every header definition is checked before anything is looked for. */
function plainMentioning(fileDefs: MacroDef[], candidates: MacroDef[], more: (name: string) => MacroDef | undefined, words: string[]): Map<string, string[]> {
  const byName = new Map<string, MacroDef>();
  for (const d of fileDefs) if (!byName.has(d.name)) byName.set(d.name, d);
  const defs = [...byName.values(), ...candidates.filter((d) => !byName.has(d.name) && more(d.name) === d)];
  const wordsOf = (d: MacroDef): Set<string> => new Set(d.body.match(/\w+/g) ?? []);
  const out = new Map<string, string[]>();
  for (const def of defs) {
    const found = words.filter((w) => (/^\w+$/.test(w) ? wordsOf(def).has(w) : wholeWord(def.body, w)));
    if (found.length) out.set(def.name, found);
  }
  for (let round = 0; round < 3 && out.size; round++) {
    let grew = false;
    for (const def of defs) {
      for (const [name, found] of [...out]) {
        if (name === def.name || !wordsOf(def).has(name)) continue;
        const mine = out.get(def.name) ?? [];
        const more = found.filter((w) => !mine.includes(w));
        if (more.length) {
          out.set(def.name, [...mine, ...more]);
          grew = true;
        }
      }
    }
    if (!grew) break;
  }
  return out;
}

const body = fc.array(fc.constantFrom(...NAMES, ...WORDS, '(r)', ' + ', 'y'), { maxLength: 4 }).map((parts) => parts.join(' '));
const def = () => fc.record({ name: fc.constantFrom(...NAMES), body }).map((d): MacroDef => ({ line: 1, ...d }));

describe('Macros.mentioning', () => {
  it('finds what checking every header definition first finds, also where a later header`s definition is shadowed', () => {
    let shadowedMention = 0;
    fc.assert(
      fc.property(
        fc.array(def(), { maxLength: 3 }),
        fc.array(fc.array(def(), { maxLength: 4 }), { minLength: 1, maxLength: 3 }),
        fc.subarray(WORDS, { minLength: 1 }),
        (fileDefs, headers, words) => {
          // Each header's definitions carry their own header's path; the first definition in header order counts.
          const headerDefs = headers.flatMap((defs, k) => defs.map((d) => ({ ...d, file: `h${k}.h` })));
          const more = (name: string): MacroDef | undefined => headerDefs.find((d) => d.name === name);
          const expected = plainMentioning(fileDefs, headerDefs, more, words);
          expect(new Macros(fileDefs, more, headerDefs).mentioning(words)).toEqual(expected);
          const fileNames = new Set(fileDefs.map((d) => d.name));
          if (headerDefs.some((d) => !fileNames.has(d.name) && more(d.name) !== d && words.some((w) => d.body.includes(w)))) shadowedMention++;
        }
      ),
      { numRuns: 3000, seed: 5 }
    );
    // Shadowed header definitions that mention a word are frequent: the comparison is not vacuous.
    expect(shadowedMention).toBeGreaterThan(300);
  });

  it('leaves out a header definition shadowed by an earlier header`s, and keeps the one that counts', () => {
    const first: MacroDef = { line: 1, name: 'F', body: 'low_path(r)', file: 'a.h' };
    const second: MacroDef = { line: 4, name: 'F', body: 'hmm_range_fault(r)', file: 'b.h' };
    const g: MacroDef = { line: 5, name: 'G', body: 'hmm_range_fault(r)', file: 'b.h' };
    const more = (name: string): MacroDef | undefined => [first, second, g].find((d) => d.name === name);
    expect(new Macros([], more, [second, g]).mentioning(['hmm_range_fault'])).toEqual(new Map([['G', ['hmm_range_fault']]]));
  });
});
