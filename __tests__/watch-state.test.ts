// The watch's state of record, read back from an issue body anyone with write access can edit: a valid block is
// used; a malformed, foreign-shaped or oversized one is ignored with the reason; the block written stays within
// its bound however many releases there are, without making old releases look new.
import { describe, expect, it } from '@jest/globals';
import type { ReleaseTag } from '../src/history/tags.js';
import { readStateBlock, STATE_LIMIT_BYTES, stateBlock, unreported } from '../src/history/watch-state.js';

const tag = (name: string, day: number): ReleaseTag => ({
  tag: name,
  commit: 'c'.repeat(40),
  date: new Date(Date.UTC(2020, 0, 1) + day * 86_400_000).toISOString(),
  line: name.split('.')[0]
});

describe('watch state block', () => {
  it('reads back what it wrote, and only the last block of a body counts', async () => {
    const tags = [tag('500.1', 1), tag('500.2', 2)];
    const body = `<!-- hmm-watch:state {"v":1,"reported":["9.9"]} -->\nquoted by someone\n\n${stateBlock(tags)}\n`;
    const read = await readStateBlock(body);
    expect(read.state).toEqual({ v: 1, reported: ['500.1', '500.2'] });
    expect(unreported([...tags, tag('500.3', 3)], read.state).map((t) => t.tag)).toEqual(['500.3']);
  });

  it('ignores a block that is not JSON, has the wrong shape, carries markup, or is too large, and says why', async () => {
    const cases: Array<[string, RegExp]> = [
      ['<!-- hmm-watch:state {"v":1,"reported":["500.1"] -->', /not JSON/],
      ['<!-- hmm-watch:state {"v":2,"reported":[]} -->', /invalid: \/v must be equal to constant/],
      ['<!-- hmm-watch:state {"v":1,"reported":["<img src=x>"]} -->', /invalid: \/reported\/0 must match pattern/],
      ['<!-- hmm-watch:state {"v":1,"reported":[],"extra":1} -->', /invalid: .*must NOT have additional properties/],
      [`<!-- hmm-watch:state {"v":1,"reported":[${'"1.1",'.repeat(8000)}"1.2"]} -->`, new RegExp(`over ${STATE_LIMIT_BYTES} bytes`)],
      ['<!-- hmm-watch:state {"v":1,"reported":[]}', /not closed/]
    ];
    for (const [body, why] of cases) {
      const read = await readStateBlock(`intro\n${body}\n`);
      expect(read.state).toBeUndefined();
      expect('problem' in read ? read.problem : '').toMatch(why);
    }
    expect(await readStateBlock('an issue without state')).toEqual({ state: undefined });
  });

  it('stays within its bound with many releases; the oldest fold into a date, and none of them reads as new', async () => {
    const tags = Array.from({ length: 6000 }, (_, i) => tag(`${600 + Math.floor(i / 100)}.${i % 100}.${'1'.repeat(5)}`, i));
    const block = stateBlock(tags);
    expect(Buffer.byteLength(block)).toBeLessThanOrEqual(STATE_LIMIT_BYTES + 64);
    const read = await readStateBlock(block);
    expect(read.state?.floor).toBeDefined();
    expect(read.state!.reported.length).toBeLessThan(tags.length);
    expect(unreported(tags, read.state)).toEqual([]);
    expect(unreported([...tags, tag('700.0', 7000)], read.state).map((t) => t.tag)).toEqual(['700.0']);
  });
});
