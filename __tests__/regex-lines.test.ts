// ProfileRegex.mayMatchALine (src/rules/regex.ts) lets the marker rule search a comment once instead of line by
// line: it may say yes where no line matches, never no where one does. Random patterns with leading literals and
// quantifiers, alternatives, word boundaries, classes and line anchors on random multi-line texts.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { profileRegex } from '../src/rules/regex.js';

const PATTERNS = [
  'TODO: *Bug *\\d+',
  'TODO:Bug',
  'ab+',
  'Bug{1,2}',
  'a b?',
  'x|Bug',
  'a_b',
  '\\bBug\\b',
  '\\Bug',
  'g\\B',
  'a.b',
  '[^a]b',
  '\\s+b',
  'b\\s*$',
  '^b',
  '^\\s*a',
  'a$',
  '\\Ab',
  'a\\z',
  '(?m)^a b$',
  '(?s)a.b',
  '(?i)bug \\d'
];
const piece = fc.constantFrom('a', 'b', ' ', '\n', '\r', 'Bug', 'bug 7', 'TODO: Bug 12', 'TODO:', 'x', '_', '*', '/*', '\t');

describe('ProfileRegex.mayMatchALine', () => {
  it('never says no where a line of the text holds a match', () => {
    let lineHits = 0;
    let saidNo = 0;
    fc.assert(
      fc.property(fc.constantFrom(...PATTERNS), fc.array(piece, { maxLength: 16 }), (source, parts) => {
        const re = profileRegex(source);
        const text = parts.join('');
        const inALine = text.split('\n').some((line) => re.find(line) !== undefined);
        // Every match starts with the literal (the marker rule skips a file whose text lacks it).
        const match = re.find(text);
        if (match !== undefined) expect(match.startsWith(re.literal)).toBe(true);
        if (inALine) {
          lineHits++;
          expect(re.mayMatchALine(text)).toBe(true);
        } else if (!re.mayMatchALine(text)) saidNo++;
      }),
      { numRuns: 5000, seed: 17 }
    );
    // Both answers are frequent: the property is not vacuous, and the search does spare line-by-line work.
    expect(lineHits).toBeGreaterThan(500);
    expect(saidNo).toBeGreaterThan(500);
  });

  it('says yes for a pattern anchored at a line`s start that matches a later line only', () => {
    expect(profileRegex('^b').mayMatchALine('a\nb')).toBe(true);
    expect(profileRegex('a$').mayMatchALine('a\nb')).toBe(true);
    expect(profileRegex('\\bBug \\d+').mayMatchALine('no marker here\nnor here')).toBe(false);
  });
});
