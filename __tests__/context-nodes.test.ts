// FileContext.nodes (src/rules/context.ts) collects, at the first walk of a file's tree, the node types its rules
// will ask for (TREE_NODE_TYPES of src/rules/plan.ts). What a rule gets must not depend on that: the same nodes, in
// the same order, whichever types are expected and in whichever order the rules ask.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseC } from '../src/frontend/parser.js';
import { FileContext } from '../src/rules/context.js';
import { TREE_NODE_TYPES } from '../src/rules/plan.js';
import { lines } from './helpers/tree.js';

const CODE = lines(
  'struct dev_pagemap_ops { void (*page_free)(struct page *); };',
  'static const struct dev_pagemap_ops ops = { .page_free = free_page_fn };',
  'static int counter = 3;',
  'int setup(struct dev_pagemap *pgmap)',
  '{',
  '\tstruct hmm_range range = { 0 };',
  '\tpgmap->ops = &ops;',
  '\tcounter = hmm_range_fault(&range);',
  '\tif (counter) { int inner = *(&counter); return inner; }',
  '\treturn migrate_vma_setup(&args) + f(g(1));',
  '}',
  'void other(void) { struct x { int a; } y; y.a = 1; }'
);

const TYPES = [...new Set(Object.values(TREE_NODE_TYPES).flat())];

describe('FileContext.nodes', () => {
  it('gives every rule the same nodes whichever types the first walk collects', async () => {
    const tree = await parseC(CODE);
    try {
      const plain = new FileContext('a.c', CODE, undefined, tree);
      const expected = new Map(TYPES.map((t) => [t, plain.nodes([t]).map((n) => `${n.type}@${n.startIndex}-${n.endIndex}`)]));
      // Every type occurs in the code (the comparison is not vacuous).
      for (const list of expected.values()) expect(list.length).toBeGreaterThan(0);
      fc.assert(
        fc.property(fc.subarray(TYPES), fc.shuffledSubarray(TYPES, { minLength: 1 }), (expectedTypes, asked) => {
          const ctx = new FileContext('a.c', CODE, undefined, tree, undefined, undefined, expectedTypes);
          for (const t of asked) expect(ctx.nodes([t]).map((n) => `${n.type}@${n.startIndex}-${n.endIndex}`)).toEqual(expected.get(t));
          const call = ctx.nodes(['call_expression'])[0];
          expect(ctx.enclosingFunction(call)).toBe('setup');
        }),
        { numRuns: 200, seed: 41 }
      );
      // The callee of each call, asked of the tree once and remembered: the same answer every time.
      const ctx = new FileContext('a.c', CODE, undefined, tree);
      const calls = ctx.nodes(['call_expression']);
      const direct = calls.map((c) => [c.childForFieldName('function')?.type, c.childForFieldName('function')?.text]);
      expect(direct).toContainEqual(['identifier', 'hmm_range_fault']);
      for (let round = 0; round < 2; round++) expect(calls.map((c) => [ctx.callee(c)?.type, ctx.callee(c)?.text])).toEqual(direct);
    } finally {
      tree.delete();
    }
  });
});
