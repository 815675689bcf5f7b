// Hostile input through every markdown path, checked in the HTML a real renderer makes (helpers/html-audit.ts):
// snapshots whose every string is hostile (as a fork's artifact may be), a synthetic C tree whose file names,
// comments and docs carry the payloads, the CLI's compare and the release history.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { cli } from '../src/cli.js';
import { compareSnapshots } from '../src/compare/compare.js';
import type { History } from '../src/history/history.js';
import { renderHistory } from '../src/report/history-markdown.js';
import { lineLink, linkBuilder, linkTargetFor } from '../src/report/links.js';
import { renderReport } from '../src/report/markdown.js';
import type { Fact } from '../src/rules/types.js';
import { runScan } from '../src/scan/run.js';
import { parseSnapshot } from '../src/snapshot/read.js';
import { type Snapshot, serializeSnapshot } from '../src/snapshot/snapshot.js';
import { auditMarkdown, HOSTILE, PAYLOADS } from './helpers/html-audit.js';
import { COMMIT, capability, snapshotOf } from './helpers/snapshot.js';
import { lines, makeTree } from './helpers/tree.js';

const REPO = 'acme/driver';
const SERVER = 'https://github.com';
const h = (tag: string): string => `${tag} ${HOSTILE}`;
/** For ids and hashes (ids are at most 1,024 characters in a snapshot, hashes 200). */
const id = (tag: string): string => `${tag} <img src=x onerror=alert(1)> <!-- @org/team #123 GH-42 https://evil.example www.x.y \u202e | \` ) ]`;
/** A file name that can be linked (no empty or dot segment) but carries markup, a `)`, a fragment and a mention. */
const NAME = '<img src=x onerror=alert(1)> file).c](evil.c)#L1 @org #123.c';

/** A snapshot whose every free-text field carries every payload (what the schema lets through). */
function hostileSnapshot(status: 'enabled' | 'conditional' = 'enabled'): Snapshot {
  const file = `kernel-open/${NAME}`;
  const base = { rule: id('rule'), file, line: 7, condition: h('defined(X)') };
  const facts = [
    { ...base, kind: 'call', callee: h('callee'), function: h('fn') },
    { ...base, kind: 'ops-table', line: 8, type: h('type'), table: h('table'), storage: h('static') },
    { ...base, kind: 'ops-member', line: 9, type: h('type'), table: h('table'), member: h('m'), value: h('v') },
    { ...base, kind: 'variable', line: 10, name: h('n'), form: 'description', value: h('desc') },
    { ...base, kind: 'marker', line: 11, tag: h('TODO'), text: h('text') },
    { ...base, kind: 'doc-claim', line: 12, file: 'README.md', text: h('claim') }
  ] as Fact[];
  const cap = capability(id('cap'), status, facts, {
    title: h('title'),
    because: h('because'),
    explain: h('explain'),
    ...(status === 'conditional' ? { conditionalStatus: 'enabled', condition: h('cond') } : {})
  });
  return snapshotOf(facts, [cap], {
    tool: { name: 'hmm-watch', version: PAYLOADS[0] },
    profile: { id: id('p'), version: 3, title: h('title'), hash: id('hash'), source: h('src') },
    tree: {
      root: h('root'),
      git: { commit: COMMIT, ref: h('refs/heads/x'), prefix: '../../../../other/repo/blob/main/', remote: 'https://github.com/evil/repo.git' }
    },
    rules: [id('rule'), id('other')],
    constraints: { [h('file')]: [h('c')] },
    diagnostics: {
      parseErrors: 2,
      filesParsed: 3,
      skipped: [{ file: h('skipped'), reason: 'binary', detail: h('detail') }],
      files: [{ file: h('diag'), kind: 'preprocessor', message: h('message') }]
    },
    run: {
      totalMs: 10,
      profileMs: 1,
      scanMs: 9,
      phases: { [id('phase').slice(0, 100)]: 1 },
      peakRssBytes: 1,
      jobs: 1,
      filesListed: 1,
      filesRead: 1,
      filesParsed: 1,
      bytesRead: 1
    }
  });
}

const audit = (markdown: string): string[] => auditMarkdown(markdown, { repositories: [REPO] });

describe('the HTML audit', () => {
  it('finds what GitHub would render unsafely (so an empty list means something)', () => {
    const problems = auditMarkdown(
      [
        '<img src=x onerror=alert(1)> @octocat #12 GH-3 acme/x#4 https://evil.example www.evil.example \u202e',
        '',
        '[a](https://evil.example/)',
        '',
        '| a | b |',
        '| - | - |',
        '| 1 | 2 | 3 |',
        '',
        '<!-- hides the rest'
      ].join('\n'),
      { repositories: [REPO] }
    ).join('\n');
    for (const what of [
      'element <img>',
      'attribute src on <img>',
      '@mention',
      '#123 reference',
      'GH-123 reference',
      'owner/repo#123',
      'bare URL',
      'bidi',
      'HTML comment',
      'link outside the allowed repositories: https://evil.example/',
      'table row with 3 cells'
    ]) {
      expect(problems).toContain(what);
    }
  });
});

describe("a hostile snapshot (a fork's artifact)", () => {
  it('passes the schema (every field is a string it allows) and renders to safe HTML on every path', async () => {
    const current = await parseSnapshot(serializeSnapshot(hostileSnapshot('conditional')), 'artifact.json');
    const baseline = await parseSnapshot(serializeSnapshot(hostileSnapshot()), 'baseline.json');
    // As a fork's checkout of this repository records it: remote this repository, its own prefix.
    const target = linkTargetFor(
      { ...current.tree, git: { ...current.tree.git!, prefix: 'drivers/', remote: `https://github.com/${REPO}` } },
      { server: SERVER, workflowRepository: REPO, trustTree: false }
    );
    const links = target ? linkBuilder(target) : undefined;
    const claims = [
      { capability: current.capabilities[0].id, expect: ['enabled' as const], note: h('note'), actual: current.capabilities[0].status, holds: false }
    ];
    const comparison = compareSnapshots(baseline, current);
    const reports = [
      renderReport(current, undefined, { links, noBaselineReason: h('reason') }),
      renderReport(current, comparison, { links, claims, baselineSource: h('source'), fullReportHint: h('hint') }),
      renderReport(current, comparison, { links, claims, maxBytes: 3000, fullReportHint: h('hint') }),
      renderReport(current, comparison, { links, claims, maxBytes: 600 })
    ];
    expect(reports[1].markdown).toContain(`](https://github.com/${REPO}/blob/${COMMIT}/drivers/kernel-open/`);
    for (const r of reports) expect(audit(r.markdown)).toEqual([]);
  });

  it('never links to another repository, and gives no link for a path that leaves the tree', () => {
    const s = hostileSnapshot();
    // The artifact names evil/repo as its remote and a prefix that climbs out: neither is used.
    expect(linkTargetFor(s.tree, { server: SERVER, workflowRepository: REPO, trustTree: false })).toBeUndefined();
    expect(linkTargetFor({ ...s.tree, git: { ...s.tree.git!, prefix: '' } }, { server: SERVER, workflowRepository: REPO, trustTree: false })).toBeUndefined();
    const target = linkTargetFor(
      { ...s.tree, git: { ...s.tree.git!, prefix: '', remote: undefined } },
      { server: SERVER, workflowRepository: REPO, trustTree: false }
    )!;
    expect(target.repository).toBe(REPO);
    const { markdown } = renderReport(s, undefined, { links: linkBuilder(target) });
    expect(markdown).not.toMatch(/evil\/repo|other\/repo/);
    expect(markdown).toContain(
      `](https://github.com/${REPO}/blob/${COMMIT}/kernel-open/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E%20file%29.c%5D%28evil.c%29%23L1%20%40org%20%23123.c#L7)`
    );
    expect(lineLink(SERVER, REPO, COMMIT, '../x.c', 1)).toBeUndefined();
    expect(lineLink(SERVER, REPO, COMMIT, 'a//x.c', 1)).toBeUndefined();
    expect(lineLink(SERVER, REPO, COMMIT, 'a/./x.c', 1)).toBeUndefined();
    expect(lineLink(SERVER, REPO, COMMIT, 'x.c', 0)).toBeUndefined();
    expect(lineLink(SERVER, REPO, COMMIT, 'x.c', 1.5)).toBeUndefined();
    expect(lineLink(SERVER, REPO, 'main', 'x.c', 1)).toBeUndefined();
    expect(lineLink(SERVER, 'evil/repo/blob/main/..', COMMIT, 'x.c', 1)).toBeUndefined();
    expect(lineLink(SERVER, REPO, COMMIT, 'x.c', 1, '../')).toBeUndefined();
    expect(lineLink(SERVER, REPO, COMMIT, 'a (1).c', 3, 'drivers/')).toBe(`${SERVER}/${REPO}/blob/${COMMIT}/drivers/a%20%281%29.c#L3`);
  });

  it("uses the tree's own remote only for a snapshot made by this run; an artifact of another tree gets no links", () => {
    const tree = { root: '.', git: { commit: COMMIT, prefix: '', remote: 'https://github.com/NVIDIA/open-gpu-kernel-modules.git' } };
    expect(linkTargetFor(tree, { server: SERVER, workflowRepository: REPO, trustTree: true })?.repository).toBe('NVIDIA/open-gpu-kernel-modules');
    expect(linkTargetFor(tree, { server: SERVER, workflowRepository: REPO, trustTree: false })).toBeUndefined();
    expect(linkTargetFor(tree, { server: SERVER, sourceRepository: 'x/y', trustTree: false })?.repository).toBe('x/y');
    const own = { ...tree, git: { ...tree.git, remote: `git@github.com:${REPO}.git` } };
    expect(linkTargetFor(own, { server: SERVER, workflowRepository: REPO, trustTree: false })?.repository).toBe(REPO);
    expect(linkTargetFor({ root: '.', git: { commit: COMMIT, prefix: '' } }, { server: SERVER, workflowRepository: REPO, trustTree: false })?.repository).toBe(
      REPO
    );
  });
});

describe('a hostile C tree', () => {
  const payloadName = 'uvm_hmm @org #123 GH-42 ) www.evil.example.c';
  const driver = (evict: boolean): string =>
    lines(
      'static bool uvm_disable_hmm = false;',
      'module_param(uvm_disable_hmm, bool, 0444);',
      `MODULE_PARM_DESC(uvm_disable_hmm, "${PAYLOADS.slice(0, 6).join(' ').replace(/"/g, "'")}");`,
      'static const struct dev_pagemap_ops devmem_ops = { .page_free = pf, .migrate_to_ram = fault, };',
      evict ? 'int evict(void) { return migrate_device_range(pfns, 0, 8); }' : 'int evict(void) { return 0; }',
      ...PAYLOADS.map((p) => `// TODO: Bug 42: HMM ${p.replace(/\n/g, ' ')}`),
      '/* TODO: Bug 7: HMM',
      ' * <!-- @org/team #123 https://evil.example \u202e */'
    );
  const tree = makeTree({
    'kernel-open/nvidia-uvm/uvm_hmm.c': driver(true),
    [`kernel-open/nvidia-uvm/${payloadName}`]: driver(true),
    'README.md': lines(...PAYLOADS.map((p) => `HMM ${p}`))
  });
  afterAll(() => tree.remove());

  it('scans to facts whose report is safe HTML, with links only to the workflow repository', async () => {
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: tree.root, encoding: 'utf8' }).trim();
    git('init', '-q');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'add', '-A');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'x');
    git('remote', 'add', 'origin', 'https://github.com/acme/driver.git');
    const before = (await runScan(tree.root, { profile: 'nvidia-uvm-hmm' })).snapshot;
    writeFileSync(path.join(tree.root, 'kernel-open/nvidia-uvm', payloadName), driver(false));
    const { snapshot: after, loaded } = await runScan(tree.root, { profile: 'nvidia-uvm-hmm' });
    expect(after.facts.some((f) => f.file.endsWith(payloadName))).toBe(true);
    expect(after.facts.some((f) => f.kind === 'marker' && f.text.includes('<img'))).toBe(true);
    const target = linkTargetFor(after.tree, { server: SERVER, workflowRepository: 'me/watcher', trustTree: true })!;
    const comparison = compareSnapshots(before, after);
    expect(comparison.facts.length).toBeGreaterThan(0);
    for (const maxBytes of [undefined, 4000]) {
      const { markdown } = renderReport(after, comparison, { links: linkBuilder(target), profile: loaded.profile, maxBytes });
      expect(auditMarkdown(markdown, { repositories: [REPO] })).toEqual([]);
    }
  });
});

describe('the CLI', () => {
  const tree = makeTree({});
  afterAll(() => tree.remove());
  const file = (name: string, text: string): string => {
    writeFileSync(path.join(tree.root, name), text);
    return path.join(tree.root, name);
  };

  it('compare renders hostile snapshots safely', async () => {
    const a = file('a.json', serializeSnapshot(hostileSnapshot()));
    const b = file('b.json', serializeSnapshot(hostileSnapshot('conditional')));
    const out = path.join(tree.root, 'out.md');
    expect(await cli(['compare', '--out', out, a, b])).toBe(0);
    expect(audit(readFileSync(out, 'utf8'))).toEqual([]);
  });

  it('compare and scan --baseline refuse a malformed snapshot with exit code 4 and the JSON path, no stack trace', async () => {
    const good = file('good.json', serializeSnapshot(snapshotOf()));
    const bad = file('bad.json', JSON.stringify({ ...snapshotOf(), capabilities: [{ ...capability('x', 'enabled'), status: 'constructor' }] }));
    const nulls = file('null.json', JSON.stringify({ ...snapshotOf(), diagnostics: null }));
    const writes: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => {
      writes.push(String(s));
      return true;
    }) as typeof process.stderr.write;
    try {
      expect(await cli(['compare', good, bad])).toBe(4);
      expect(await cli(['compare', nulls, good])).toBe(4);
      expect(await cli(['scan', '--baseline', bad, tree.root])).toBe(4);
    } finally {
      process.stderr.write = orig;
    }
    expect(writes.join('')).toContain(`hmm-watch: ${bad}: /capabilities/0/status: must be one of enabled, disabled, conditional, absent, unknown\n`);
    expect(writes.join('')).toContain(`hmm-watch: ${nulls}: /diagnostics: must be object\n`);
    expect(writes.join('')).not.toMatch(/\n\s+at /);
  });
});

describe('the release history', () => {
  it('renders hostile tags, statuses and evidence safely, with links only through validated parts', () => {
    const history: History = {
      schema: 'hmm-watch/history',
      schemaVersion: 1,
      tool: { name: 'hmm-watch', version: '0.1.0' },
      profile: { id: 'p', version: 1, title: h('title'), hash: 'x' },
      repository: h('repo'),
      glob: h('*'),
      tags: [
        { tag: h('1.0'), commit: COMMIT, date: '2024-01-01', line: h('1') },
        { tag: h('1.1'), commit: 'b'.repeat(40), date: '2024-02-01', parent: h('1.0'), line: h('1') }
      ],
      capabilities: [
        {
          id: 'c',
          title: id('cap'),
          lines: [{ line: h('1'), latest: h('1.1'), status: h('enabled'), since: h('1.1') }],
          periods: [],
          transitions: [
            {
              tag: h('1.1'),
              parent: h('1.0'),
              line: h('1'),
              from: h('absent'),
              to: h('enabled'),
              direction: 'improved',
              commit: 'b'.repeat(40),
              evidence: { file: `../../${PAYLOADS[9]}`, line: 3, summary: h('s') },
              after: { because: h('because'), commit: 'b'.repeat(40), evidence: [{ file: `../../${PAYLOADS[9]}`, line: 3, summary: h('s') }] }
            },
            {
              tag: h('1.1'),
              parent: h('1.0'),
              line: h('1'),
              from: h('a'),
              to: h('b'),
              direction: 'changed',
              commit: 'b'.repeat(40),
              evidence: { file: `ok/${NAME}`, line: 4, summary: h('s') },
              before: { because: h('before'), commit: COMMIT, evidence: [{ file: h('f'), line: 2, summary: h('s') }] },
              after: { because: h('after'), commit: 'b'.repeat(40), evidence: [{ file: `ok/${NAME}`, line: 4, summary: h('s') }] }
            }
          ]
        }
      ],
      facts: [
        {
          rule: 'r',
          kind: 'call',
          file: h('f'),
          summary: h('s'),
          condition: h('c'),
          first: h('1.0'),
          last: h('1.1'),
          releases: 2,
          transitions: [{ tag: h('1.1'), parent: h('1.0'), line: h('1'), change: 'added' }]
        }
      ],
      notes: [h('note')]
    } as History;
    const markdown = renderHistory(history, { links: (commit, file, line) => lineLink(SERVER, REPO, commit, file, line) });
    expect(markdown).toContain(
      `](https://github.com/${REPO}/blob/${'b'.repeat(40)}/ok/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E%20file%29.c%5D%28evil.c%29%23L1%20%40org%20%23123.c#L4)`
    );
    expect(auditMarkdown(markdown.replace(/```mermaid[\s\S]*?```/, ''), { repositories: [REPO] })).toEqual([]);
    const mermaid = /```mermaid([\s\S]*?)```/.exec(markdown)![1];
    expect(mermaid.split('\n').slice(1).join('\n')).not.toMatch(/[<>`;"#@]/);
  });
});
