// The markdown report: baseline columns, folding under a size limit without breaking rows, evidence links.
import { describe, expect, it } from '@jest/globals';
import { compareSnapshots } from '../src/compare/compare.js';
import { COMMENT_LIMIT_BYTES } from '../src/github/api.js';
import { linkBuilder, linkTargetFor, repositoryFromRemote } from '../src/report/links.js';
import { renderReport } from '../src/report/markdown.js';
import type { CapabilityResult } from '../src/rules/capabilities.js';
import type { Fact } from '../src/rules/types.js';
import type { Snapshot } from '../src/snapshot/snapshot.js';

const call = (i: number, callee = 'migrate_device_range'): Fact => ({
  rule: `r${i % 5}`,
  kind: 'call',
  file: `dir/f${i}.c`,
  line: i + 1,
  condition: i % 2 ? '1' : `defined(X${i})`,
  callee,
  function: `fn_${i}`
});

function snap(facts: Fact[], status: CapabilityResult['status']): Snapshot {
  return {
    schema: 'hmm-watch/snapshot',
    schemaVersion: 1,
    tool: { name: 'hmm-watch', version: '0.1.0' },
    profile: { id: 'p', version: 1, title: 'Test | profile', hash: 'h', source: 'builtin:p' },
    tree: { root: 'tree', git: { commit: 'a'.repeat(40), prefix: 'drivers/gpu/', remote: 'https://github.com/acme/driver.git' } },
    rules: ['r0', 'r1', 'r2', 'r3', 'r4'],
    capabilities: [
      {
        id: 'c',
        title: 'Evicts device memory',
        explain: '',
        direction: 'enabled-is-better',
        status,
        because: 'because',
        evidence: facts.slice(0, 1).map((f) => ({ rule: f.rule, file: f.file, line: f.line, condition: f.condition, summary: 'x' })),
        evidenceCount: facts.length
      }
    ],
    facts,
    constraints: {},
    diagnostics: { parseErrors: 0, filesParsed: 1, skipped: [], files: [] }
  };
}

describe('renderReport', () => {
  it('shows baseline, now and change per capability, and what the baseline is', () => {
    const before = snap([call(1)], 'enabled');
    const after = snap([], 'absent');
    const { markdown } = renderReport(after, compareSnapshots(before, after), { baselineSource: 'the snapshot of base commit abc' });
    expect(markdown).toMatch(/\*\*Regressed\*\*: 1 capability regressed, 1 fact change, against the snapshot of base commit abc\./);
    expect(markdown).toMatch(/\| Capability \| Baseline \| Now \| Evidence \| Change \|/);
    expect(markdown).toMatch(/\| Evicts device memory \| ✅ enabled \| ➖ absent \| because \| 🔻 regressed \|/);
    expect(markdown).toContain('## hmm-watch: Test &#124; profile');
  });

  it('folds details to stay under the limit, keeps every table row whole, and says so', () => {
    const facts = Array.from({ length: 400 }, (_, i) => call(i));
    const s = snap(facts, 'enabled');
    const full = renderReport(s, undefined).markdown;
    const limit = 6000;
    expect(Buffer.byteLength(full)).toBeGreaterThan(limit);
    const r = renderReport(s, undefined, { maxBytes: limit, fullReportHint: 'the hmm-watch-report artifact' });
    expect(r.folded).toBe(true);
    expect(Buffer.byteLength(r.markdown)).toBeLessThanOrEqual(limit);
    expect(r.markdown).toMatch(/detail sections? folded to stay under 6000 bytes\. The full report is in the hmm-watch-report artifact\./);
    expect(r.markdown).toMatch(/\| Evicts device memory \|/);
    for (const line of r.markdown.split('\n').filter((l) => l.startsWith('|'))) expect(line.endsWith('|')).toBe(true);
    expect((r.markdown.match(/<details>/g) ?? []).length).toBe((r.markdown.match(/<\/details>/g) ?? []).length);
  });

  it('counts the limit in UTF-8 bytes, not characters', () => {
    const facts = Array.from({ length: 60 }, (_, i) => ({ ...call(i), function: `fonction_é_${'ü'.repeat(40)}` }));
    const r = renderReport(snap(facts, 'enabled'), undefined, { maxBytes: 5000 });
    expect(Buffer.byteLength(r.markdown, 'utf8')).toBeLessThanOrEqual(5000);
  });

  it('links evidence to the exact line of the scanned commit, inside the checked-out repository', () => {
    const s = snap([call(3)], 'enabled');
    const target = linkTargetFor(s.tree, { server: 'https://github.com', workflowRepository: 'me/watcher', trustTree: true })!;
    expect(target).toEqual({ server: 'https://github.com', repository: 'acme/driver', sha: 'a'.repeat(40), prefix: 'drivers/gpu/' });
    const { markdown } = renderReport(s, undefined, { links: linkBuilder(target) });
    expect(markdown).toContain(`(https://github.com/acme/driver/blob/${'a'.repeat(40)}/drivers/gpu/dir/f3.c#L4)`);
    expect(linkTargetFor(s.tree, { server: 'https://github.com', sourceRepository: 'other/fork', sourceRef: 'b'.repeat(40), trustTree: true })).toMatchObject({
      repository: 'other/fork',
      sha: 'b'.repeat(40)
    });
  });

  it('reads owner/name from the usual remote URL forms', () => {
    for (const url of [
      'https://github.com/NVIDIA/open-gpu-kernel-modules.git',
      'git@github.com:NVIDIA/open-gpu-kernel-modules.git',
      'https://github.com/NVIDIA/open-gpu-kernel-modules'
    ]) {
      expect(repositoryFromRemote(url, 'https://github.com')).toBe('NVIDIA/open-gpu-kernel-modules');
    }
    expect(repositoryFromRemote('https://gitlab.example/x/y.git', 'https://github.com')).toBeUndefined();
  });
});

describe('the comment keeps its capability table', () => {
  const LIMIT = COMMENT_LIMIT_BYTES - 200;
  const row = /\| Evicts device memory \| ✅ enabled \| because/;

  it('with thousands of skipped files: the diagnostics list their first files and say how many more', () => {
    const s = snap([call(1)], 'enabled');
    s.diagnostics.skipped = Array.from({ length: 3730 }, (_, i) => ({ file: `firmware/blob_${i}_${'x'.repeat(20)}.bin`, reason: 'binary' as const }));
    const r = renderReport(s, undefined, { maxBytes: LIMIT, fullReportHint: "this run's job summary" });
    expect(Buffer.byteLength(r.markdown)).toBeLessThanOrEqual(LIMIT);
    expect(r.markdown).toMatch(row);
    expect(r.markdown).toContain('files skipped: 3730.');
    expect(r.markdown).toContain('blob_19_');
    expect(r.markdown).not.toContain('blob_20_');
    expect(r.markdown).toContain("_…and 3710 more skipped files. The full report is in this run's job summary._");
  });

  it('with a 70,000-character function name: the cell is cut (before escaping) and says so', () => {
    const long = `f${'_<'.repeat(35_000)}`;
    const s = snap([call(1, 'migrate_device_range')], 'enabled');
    s.capabilities[0].evidence[0].summary = `migrate_device_range() called in ${long}()`;
    s.facts[0] = { ...s.facts[0], function: long } as Fact;
    const r = renderReport(s, undefined, { maxBytes: LIMIT });
    expect(Buffer.byteLength(r.markdown)).toBeLessThanOrEqual(LIMIT);
    expect(r.markdown).toMatch(row);
    expect(r.markdown).toMatch(/ … \(\d+ more characters cut\)<\/code>/);
    // The cut is in the raw text: every entity in the cell is whole.
    const cell = r.markdown.split('\n').find((l) => row.test(l))!;
    expect(cell.replace(/&(?:lt|gt|amp|#\d+);/g, '')).not.toMatch(/&/);
  });
});
