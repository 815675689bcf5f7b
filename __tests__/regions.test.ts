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
    const r = selectItems(src, ['dev_pagemap_ops', 'space_t'], ['dev_pagemap_ops']);
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
    const all = selectItems('int a = X;\nint b = X;\n', ['X'], []);
    expect(all.text).toBe('int a = X;\nint b = X;\n');
  });
});
