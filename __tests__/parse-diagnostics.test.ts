// Parse errors: tree-sitter's recoveries on kernel macro idioms away from every fact are counted, not reported;
// an error where a fact is read, or where an anchor occurs, is reported.
import { describe, expect, it } from '@jest/globals';
import { RulePlan } from '../src/rules/plan.js';
import { loadProfile } from '../src/rules/profile.js';
import type { FileResult } from '../src/rules/types.js';
import { scanFile } from '../src/scan/scan-file.js';
import { lines } from './helpers/tree.js';

async function scan(text: string): Promise<FileResult> {
  const plan = new RulePlan((await loadProfile('linux-hmm-generic')).profile);
  const result = await scanFile(plan, 'drv/svm.c', Buffer.from(text, 'utf8'));
  if (!result) throw new Error('not scanned');
  return result;
}

describe('parse diagnostics', () => {
  it('does not report recoveries on container_of and iterator macros away from the facts, but counts them', async () => {
    const r = await scan(
      lines(
        'static int walk(struct mmu_interval_notifier *mni)', // 1
        '{', // 2
        '\tstruct my_range *r = container_of(mni, struct my_range, notifier);', // 3
        '\tstruct item *it;', // 4
        '\tlist_for_each_entry(it, &r->items, link)', // 5
        '\t\tit->done = 1;', // 6
        '\treturn hmm_range_fault(&r->range);', // 7
        '}' // 8
      )
    );
    expect(r.facts.map((f) => [f.kind, f.line])).toEqual([['call', 7]]);
    expect(r.diagnostics.filter((d) => d.kind === 'parse-errors')).toEqual([]);
    expect(r.parseErrors).toBe(0);
    expect(r.ignoredParseErrors).toBeGreaterThan(0);
  });

  it('reports an error on a line where an anchor occurs (a fact may be lost there)', async () => {
    const r = await scan(lines('static int f(struct hmm_range *range)', '{', '\tint x = hmm_range_fault(range, struct foo);', '\treturn x;', '}'));
    expect(r.parseErrors).toBeGreaterThan(0);
    expect(r.diagnostics).toEqual([expect.objectContaining({ kind: 'parse-errors', message: expect.stringContaining('lines 3') })]);
  });
});
