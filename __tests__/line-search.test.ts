// includesOf (src/frontend/includes.ts) and constantDefinitions (src/frontend/macro-values.ts) look only at the
// lines where their word (`include`, `define`) occurs. Here they are checked against the plain reading, every line
// of the text, on random texts where those words, directives, line breaks of every kind and look-alikes are frequent.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { render, TRUE } from '../src/frontend/condition.js';
import { includesOf } from '../src/frontend/includes.js';
import { constantDefinitions } from '../src/frontend/macro-values.js';
import { preprocess } from '../src/frontend/preprocess.js';

/** The includes, by a multiline regular expression over the whole text (`^` after LF, CR, U+2028 or U+2029). */
function plainIncludes(text: string) {
  const out: Array<{ line: number; path: string; angled: boolean }> = [];
  for (const m of text.matchAll(/^[ \t]*#[ \t]*include[ \t]*(?:"([^"\n]+)"|<([^>\n]+)>)/gm)) {
    out.push({ line: text.slice(0, m.index).split('\n').length, path: (m[1] ?? m[2]).trim(), angled: m[1] === undefined });
  }
  return out;
}

/** The constant definitions, by reading every line. */
function plainConstants(text: string, lineCond: ReturnType<typeof preprocess>['lineCond']) {
  const define =
    /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(\([ \t]*\))?[ \t]+\(?[ \t]*(0[xX][0-9a-fA-F]+|\d+)[uUlL]*[ \t]*\)?[ \t]*(?:\/\/.*|\/\*.*?\*\/[ \t]*)?$/;
  const any = /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(?:[ \t]|$)/;
  const out: Array<{ name: string; value?: number; line: number; condition: string }> = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const m = define.exec(line);
    const a = any.exec(line);
    const condition = render(lineCond[i + 1] ?? TRUE);
    if ((!m && !a) || condition === '0') return;
    if (!m) out.push({ name: a![1], line: i + 1, condition });
    else out.push({ name: m[2] ? `${m[1]}()` : m[1], value: /^0x/i.test(m[3]) ? parseInt(m[3].slice(2), 16) : parseInt(m[3], 10), line: i + 1, condition });
  });
  return out;
}

const PIECES = [
  '\n',
  '\r\n',
  '\r',
  '\u2028',
  ' ',
  '\t',
  '#',
  'include',
  '#include "a.h"',
  ' # include <b/c.h>',
  '#include <x>',
  '"include/d.h"',
  'define',
  '#define A 1',
  '#define B() (0x1F)',
  '# define C',
  '#define D x',
  '#if 0',
  '#else',
  '#endif',
  '/* c */',
  'x'
];

describe('searching for a word instead of reading every line', () => {
  it('finds the includes that a multiline regular expression finds', () => {
    let found = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        const expected = plainIncludes(text);
        expect(includesOf(text)).toEqual(expected);
        found += expected.length;
      }),
      { numRuns: 10000, seed: 31 }
    );
    expect(found).toBeGreaterThan(1000);
  });

  it('finds the constant definitions that reading every line finds', () => {
    let found = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        const pre = preprocess(text);
        const expected = plainConstants(text, pre.lineCond);
        expect(constantDefinitions(text, pre)).toEqual(expected);
        found += expected.length;
      }),
      { numRuns: 10000, seed: 37 }
    );
    expect(found).toBeGreaterThan(1000);
  });
});
