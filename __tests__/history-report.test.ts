// The tracking issue's body is within its byte budget by construction: the matrix always, then as many transitions
// (newest first) as fit, then a line saying how many did not; escaped text and links from the history only.
import { describe, expect, it } from '@jest/globals';
import type { CapabilityHistory, History } from '../src/history/history.js';
import { renderIssueBody, renderNews } from '../src/report/history-markdown.js';

function history(transitions: number): History {
  const tags = Array.from({ length: transitions + 1 }, (_, i) => ({
    tag: `600.${i}`,
    commit: `${i}`.padStart(40, '0'),
    date: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`,
    line: '600',
    ...(i ? { parent: `600.${i - 1}` } : {})
  }));
  const cap: CapabilityHistory = {
    id: 'hmm-default-x86_64',
    title: 'HMM enabled by default on x86_64',
    lines: [{ line: '600', latest: tags.at(-1)!.tag, status: 'enabled', since: tags.at(-1)!.tag }],
    periods: [],
    transitions: tags.slice(1).map((t, i) => ({
      tag: t.tag,
      parent: t.parent!,
      line: '600',
      from: i % 2 ? 'enabled' : 'disabled',
      to: i % 2 ? 'disabled' : 'enabled',
      direction: i % 2 ? ('regressed' as const) : ('improved' as const),
      commit: t.commit,
      before: {
        because: 'uvm_disable_hmm defaults to true',
        commit: t.commit,
        evidence: [{ file: 'kernel-open/nvidia-uvm/uvm_hmm.c', line: 42, summary: `uvm_disable_hmm = true <!-- ${'x'.repeat(200)} -->` }]
      },
      after: {
        because: 'uvm_disable_hmm defaults to false',
        commit: t.commit,
        evidence: [{ file: 'kernel-open/nvidia-uvm/uvm_hmm.c', line: 42, summary: 'uvm_disable_hmm = false' }]
      }
    }))
  };
  return {
    schema: 'hmm-watch/history',
    schemaVersion: 1,
    tool: { name: 'hmm-watch', version: '0' },
    profile: { id: 'p', version: 1, title: 'P', hash: 'h' },
    repository: 'NVIDIA/open-gpu-kernel-modules',
    glob: '*',
    tags,
    capabilities: [cap],
    facts: [],
    notes: []
  };
}

describe('the tracking issue body', () => {
  it('keeps the matrix and the newest transitions within the limit, and says how many did not fit', () => {
    const h = history(400);
    const links = (commit: string, file: string, line: number): string => `https://github.com/NVIDIA/open-gpu-kernel-modules/blob/${commit}/${file}#L${line}`;
    for (const limit of [8_000, 20_000, 60_000]) {
      const body = renderIssueBody(h, { links, limit, detail: '[the run artifact](https://example.invalid/a/1)' });
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(limit);
      expect(body).toContain('| HMM enabled by default on x86_64 | ✅ enabled<br><code>600.400</code> |');
      expect(body).toMatch(/\| <code>600\.400<\/code><br>from <code>600\.399<\/code> \|/);
      const shown = (body.match(/^\| <code>600\.\d+<\/code><br>from/gm) ?? []).length;
      expect(shown).toBeGreaterThan(0);
      expect(body).toContain(`_${400 - shown} older transition(s) did not fit here._`);
      expect(body).not.toContain('<!--');
      expect(body).toMatch(/The whole report .*\[the run artifact\]\(https:\/\/example\.invalid\/a\/1\)\.\n$/);
    }
  });

  it('comments only the transitions of the new releases', () => {
    const news = renderNews(history(5), ['600.5'], { limit: 60_000 });
    expect(news).toMatch(/^New release\(s\) of <code>NVIDIA\/open-gpu-kernel-modules<\/code>: <code>600\.5<\/code>\./);
    expect((news.match(/from <code>/g) ?? []).length).toBe(1);
  });
});
