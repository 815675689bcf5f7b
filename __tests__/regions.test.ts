// What of a file is parsed: the top-level items that hold anchors, with line numbers kept.
import { describe, expect, it } from '@jest/globals';
import { itemEnds, selectItems } from '../src/frontend/regions.js';

const src = [
  'static int a(void)', // 1
  '{', // 2
  '    return unrelated();', // 3
  '}', // 4
  'typedef struct', // 5
  '{', // 6
  '    bool disable;', // 7
  '} space_t;', // 8
  'static const struct dev_pagemap_ops my_ops = {', // 9
  '    .migrate_to_ram = f,', // 10
  '};', // 11
  'static void b(struct dev_pagemap *p)', // 12
  '{', // 13
  '    p->ops = &my_ops;', // 14
  '}', // 15
  'static void c(void) { char x = \'}\'; const char *s = "};"; }', // 16
  'int d;' // 17
].join('\n');

/** Where each anchor occurs in a text (what the scan's one-pass matcher hands selectItems). */
function offsets(text: string, anchors: string[]): Map<string, number[]> {
  const found = new Map<string, number[]>();
  for (const a of anchors) {
    const at: number[] = [];
    for (let i = text.indexOf(a); i !== -1; i = text.indexOf(a, i + 1)) at.push(i);
    if (at.length) found.set(a, at);
  }
  return found;
}

describe('itemEnds', () => {
  it('ends items at top-level semicolons and at the end of function bodies, not inside literals', () => {
    const lineOf = (offset: number): number => src.slice(0, offset).split('\n').length;
    expect(itemEnds(src).map(lineOf)).toEqual([4, 8, 11, 15, 16, 17]);
  });

  it('never cuts an item when braces do not balance (both branches of an #if kept)', () => {
    const unbalanced = 'static int f(void)\n{\n    if (x) {\n    if (y) {\n        g();\n    }\n}\nint after;\n';
    expect(itemEnds(unbalanced)).toEqual([]);
  });
});

describe('selectItems', () => {
  it('keeps the items with anchors and the uses of a kept table, keeping every line where it was', () => {
    const r = selectItems(src, offsets(src, ['dev_pagemap_ops', 'space_t']), ['dev_pagemap_ops']);
    const lines = r.text.split('\n');
    expect(lines).toHaveLength(src.split('\n').length);
    expect(r).toMatchObject({ kept: 3, items: 6 });
    expect(lines[8]).toBe('static const struct dev_pagemap_ops my_ops = {');
    expect(lines[13]).toBe('    p->ops = &my_ops;');
    expect(lines[6]).toBe('    bool disable;');
    expect(lines[2]).toBe('');
    expect(r.text).not.toContain('unrelated');
    expect(r.text).not.toContain('int d');
  });

  it('returns the text unchanged when every item is needed', () => {
    const all = selectItems('int a = X;\nint b = X;\n', offsets('int a = X;\nint b = X;\n', ['X']), []);
    expect(all.text).toBe('int a = X;\nint b = X;\n');
  });
});

/** Item ends one character at a time: the plain reading of the rule that itemEnds implements by jumping. */
function itemEndsReference(text: string): number[] {
  const ends: number[] = [];
  let depth = 0;
  let bodyOpened = false;
  let last = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      i = j;
      last = c;
      continue;
    }
    if (c === '{') {
      if (depth === 0) bodyOpened = last === ')';
      depth++;
    } else if (c === '}') {
      depth = Math.max(0, depth - 1);
      if (depth === 0 && bodyOpened) {
        ends.push(i + 1);
        bodyOpened = false;
      }
    } else if (c === ';' && depth === 0) ends.push(i + 1);
    if (!/[ \t\r\n]/.test(c)) last = c;
  }
  return ends;
}

describe('itemEnds against a character-by-character reading', () => {
  it('agrees on seeded random fragments of C (literals, escapes, unbalanced braces, bodies, declarations)', () => {
    const pieces = ['{', '}', ';', '(', ')', ') {', '"', "'", '\\', '\\"', '\n', ' ', '\t', 'int x', '= 1', 'f(void)', 'struct s'];
    let a = 99;
    const next = (): number => {
      a = (Math.imul(a, 1103515245) + 12345) >>> 0;
      return a / 4294967296;
    };
    let items = 0;
    for (let k = 0; k < 2000; k++) {
      let s = '';
      const n = Math.floor(next() * 40);
      for (let i = 0; i < n; i++) s += pieces[Math.floor(next() * pieces.length)];
      const expected = itemEndsReference(s);
      expect(itemEnds(s)).toEqual(expected);
      items += expected.length;
    }
    expect(items).toBeGreaterThan(500); // the texts do have items: the comparison is not vacuous
  });
});

describe('selectItems without anchors', () => {
  it('keeps nothing when no anchor occurs', () => {
    expect(selectItems(src, new Map(), ['dev_pagemap_ops']).kept).toBe(0);
  });
});
