// Git-aware scanning on a synthetic repository built here: a ref scan equals a checkout scan, release history
// follows nearest-tagged-ancestor edges across maintenance lines, and the per-file cache is hit on a second run.

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildHistory } from '../src/history/history.js';
import { releaseTags } from '../src/history/tags.js';
import { renderHistory } from '../src/report/history-markdown.js';
import { runScan } from '../src/scan/run.js';
import { serializeSnapshot } from '../src/snapshot/snapshot.js';
import { lines, makeTree, type TempTree } from './helpers/tree.js';

let repo: TempTree;
const git = (...args: string[]): string =>
  execFileSync('git', args, { cwd: repo.root, encoding: 'utf8', env: { ...process.env, GIT_COMMITTER_DATE: nextDate(), GIT_AUTHOR_DATE: lastDate } }).trim();
let day = 0;
let lastDate = '';
function nextDate(): string {
  lastDate = `2026-01-${String(++day).padStart(2, '0')}T12:00:00Z`;
  return lastDate;
}

function write(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(repo.root, rel)), { recursive: true });
  writeFileSync(path.join(repo.root, rel), text);
}

const param = (x86: string, other: string): string =>
  lines(
    '#ifdef NVCPU_X86_64',
    `static bool uvm_disable_hmm = ${x86};`,
    '#else',
    `static bool uvm_disable_hmm = ${other};`,
    '#endif',
    'module_param(uvm_disable_hmm, bool, 0444);'
  );

function release(tag: string, files: Record<string, string>): void {
  for (const [f, t] of Object.entries(files)) write(f, t);
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-qm', tag);
  git('tag', tag);
}

beforeAll(() => {
  repo = makeTree({});
  git('init', '-q', '-b', 'main');
  // Unchanged across releases: its cached result is reused.
  for (let i = 0; i < 30; i++) write(`drv/other${i}.c`, lines(`int other${i}(int x) { return x + ${i}; }`));
  const pagemap = (extra: string): string =>
    lines('static const struct dev_pagemap_ops ops = {', '    .page_free = pf,', extra, '};', 'void evict(void) { migrate_device_range(p, 0, 1); }');
  // 100.1: HMM off everywhere, no migrate_to_ram.
  release('100.1', { 'kernel-open/nvidia-uvm/uvm_hmm.c': param('true', 'true'), 'kernel-open/nvidia-uvm/uvm_pmm.c': pagemap('') });
  // 100.2: on by default on x86_64; migrate_to_ram added.
  release('100.2', { 'kernel-open/nvidia-uvm/uvm_hmm.c': param('false', 'true'), 'kernel-open/nvidia-uvm/uvm_pmm.c': pagemap('    .migrate_to_ram = fault,') });
  // A maintenance line 200 branches from 100.2 and is released later; 100.3 follows on main.
  git('checkout', '-qb', 'r200');
  release('200.1', { 'kernel-open/nvidia-uvm/uvm_hmm.c': param('false', 'false') });
  git('checkout', '-q', 'main');
  // 100.3: the eviction call moves under a build probe (re-conditioned), HMM forced off per address space.
  release('100.3', {
    'kernel-open/nvidia-uvm/uvm_pmm.c': lines(
      'static const struct dev_pagemap_ops ops = {',
      '    .page_free = pf,',
      '    .migrate_to_ram = fault,',
      '};',
      '#if defined(NV_MIGRATE_DEVICE_RANGE_PRESENT)',
      'void evict(void) { migrate_device_range(p, 0, 1); }',
      '#endif'
    ),
    'kernel-open/nvidia-uvm/uvm_space.c': lines('void space_init(struct va_space *vs) { vs->hmm.disable = true; }')
  });
});
afterAll(() => repo.remove());

describe('scanning a git ref', () => {
  it('gives the same snapshot as scanning a checkout of the same commit', async () => {
    git('checkout', '-q', '100.2');
    const checkout = await runScan(repo.root, { profile: 'nvidia-uvm-hmm' });
    const ref = await runScan(repo.root, { profile: 'nvidia-uvm-hmm', ref: '100.2' });
    git('checkout', '-q', 'main');
    expect(serializeSnapshot(ref.snapshot)).toBe(serializeSnapshot(checkout.snapshot));
    expect(ref.snapshot.tree.git).toMatchObject({ commit: git('rev-parse', '100.2^{commit}'), ref: '100.2' });
  });

  it('never records credentials a remote URL carries', async () => {
    git('remote', 'add', 'origin', 'https://someone:ghp_secret@github.com/acme/driver.git');
    try {
      for (const ref of [undefined, '100.1']) {
        const { snapshot } = await runScan(repo.root, { profile: 'linux-hmm-generic', ref });
        expect(snapshot.tree.git?.remote).toBe('https://github.com/acme/driver.git');
      }
    } finally {
      git('remote', 'remove', 'origin');
    }
  });

  it('says clearly when a ref is not there', async () => {
    await expect(runScan(repo.root, { profile: 'nvidia-uvm-hmm', ref: 'no-such-tag' })).rejects.toThrow(/'no-such-tag' is not a commit/);
  });
});

describe('release history', () => {
  it("takes each release's previous release from the commit graph, not from version or date order", async () => {
    const { tags, notes } = await releaseTags(repo.root);
    expect(tags.map((t) => [t.tag, t.parent ?? null, t.line])).toEqual([
      ['100.1', null, '100'],
      ['100.2', '100.1', '100'],
      ['200.1', '100.2', '200'],
      ['100.3', '100.2', '100']
    ]);
    expect(notes).toEqual([]);
  });

  it('reports every transition once, at the release where it happened, with its line', async () => {
    const cache = path.join(repo.root, '.cache');
    const h = await buildHistory(repo.root, { profile: 'nvidia-uvm-hmm', cacheDir: cache });
    const t = (id: string): Array<[string, string, string, string, string]> =>
      h.capabilities.find((c) => c.id === id)!.transitions.map((x) => [x.tag, x.parent, x.line, x.from, x.to]);
    expect(t('hmm-default-x86_64')).toEqual([
      ['100.2', '100.1', '100', 'disabled', 'enabled'],
      ['100.3', '100.2', '100', 'enabled', 'disabled']
    ]);
    // 100.3 keeps HMM off on other architectures, now because it is forced off: the cause changed, not the status.
    const other = h.capabilities.find((c) => c.id === 'hmm-default-other-arch')!.transitions;
    expect(other.map((x) => [x.tag, x.parent, x.line, x.from, x.to, x.direction])).toEqual([
      ['200.1', '100.2', '200', 'disabled', 'enabled', 'improved'],
      ['100.3', '100.2', '100', 'disabled', 'disabled', 'cause']
    ]);
    expect([other[1].before?.because, other[1].after?.because]).toEqual([
      'uvm_disable_hmm defaults to true',
      'code sets hmm.disable = true for every address space it initialises'
    ]);
    expect(other[1].after?.evidence[0]).toMatchObject({ file: 'kernel-open/nvidia-uvm/uvm_space.c', line: 1 });
    expect(t('migrate-to-ram')).toEqual([['100.2', '100.1', '100', 'disabled', 'enabled']]);
    expect(t('migrate-device-range')).toEqual([['100.3', '100.2', '100', 'enabled', 'conditional (enabled when defined(NV_MIGRATE_DEVICE_RANGE_PRESENT))']]);
    expect(h.capabilities.find((c) => c.id === 'hmm-default-x86_64')!.lines).toEqual([
      { line: '100', latest: '100.3', status: 'disabled', since: '100.3' },
      { line: '200', latest: '200.1', status: 'enabled', since: '100.2' }
    ]);
    const evict = h.facts.find((f) => f.kind === 'call' && f.condition === '1')!;
    expect(evict).toMatchObject({ first: '100.1', last: '200.1', releases: 3 });
    expect(evict.transitions).toEqual([{ tag: '100.3', parent: '100.2', line: '100', change: 'condition' }]);
    const member = h.facts.find((f) => f.summary === 'ops.migrate_to_ram = fault')!;
    // First and last by ancestry (a release after the one it was made from), side-by-side lines by version.
    expect(member).toMatchObject({ first: '100.2', last: '200.1', releases: 3 });
    expect(member.transitions).toEqual([{ tag: '100.2', parent: '100.1', line: '100', change: 'added' }]);

    // Second run: every release's snapshot comes from the cache; no tag is scanned, no file is read.
    const again = await buildHistory(repo.root, { profile: 'nvidia-uvm-hmm', cacheDir: cache });
    expect(again.run).toMatchObject({ tagsScanned: 0, cacheMisses: 0, filesRead: 0 });
    expect(again.capabilities).toEqual(h.capabilities);
    expect(again.facts).toEqual(h.facts);
    // A new release is scanned alone, and its unchanged files come from the per-file cache.
    release('100.4', { 'kernel-open/nvidia-uvm/uvm_space.c': lines('void space_init(struct va_space *vs) { }') });
    const next = await buildHistory(repo.root, { profile: 'nvidia-uvm-hmm', cacheDir: cache });
    expect(next.run).toMatchObject({ tagsScanned: 1, filesRead: 1 });
    expect(next.run!.cacheHits).toBeGreaterThanOrEqual(30);
    expect(next.capabilities.find((c) => c.id === 'hmm-default-x86_64')!.transitions.at(-1)).toMatchObject({
      tag: '100.4',
      parent: '100.3',
      from: 'disabled',
      to: 'enabled'
    });
    git('tag', '-d', '100.4');
    git('reset', '-q', '--hard', 'HEAD^');
    // The first run read each distinct (file, blob) once: unchanged files were not read again.
    expect(h.run!.filesRead).toBe(h.run!.cacheMisses);
    expect(h.run!.cacheHits).toBeGreaterThanOrEqual(3 * 30);

    const md = renderHistory(h);
    // One matrix: capabilities down, lines across (newest release under each), the release each state holds since.
    expect(md).toMatch(/\| Capability \| 100<br><code>100\.3<\/code> \| 200<br><code>200\.1<\/code> \|/);
    expect(md).toMatch(/\| HMM enabled by default on x86_64 \| ❌ disabled<br><code>100\.3<\/code> \| ✅ enabled<br><code>100\.2<\/code> \|/);
    // A Mermaid timeline per line, with short labels; no absolute path of the runner.
    expect(md).toMatch(/```mermaid\ntimeline\n {4}title Line 200\n {4}200\.1 : hmm-default-other-arch disabled to enabled\n```/);
    expect(md).not.toContain(repo.root);
  });

  it('ignores a corrupted cache instead of trusting it', async () => {
    const cache = path.join(repo.root, '.bad-cache');
    const first = await buildHistory(repo.root, { profile: 'nvidia-uvm-hmm', cacheDir: cache, to: '100.2' });
    const file = execFileSync('sh', ['-c', `ls ${cache}/results-*.json`], { encoding: 'utf8' }).trim();
    // The per-file results are read when a release is scanned: without the stored snapshots, every one is.
    const dropSnapshots = (): void => void execFileSync('sh', ['-c', `rm -rf ${cache}/snapshots-*`]);
    writeFileSync(file, '{"schema":"hmm-watch/result-cache","version":1,"rules":"x","tool":"y","entries":{}}');
    dropSnapshots();
    const again = await buildHistory(repo.root, { profile: 'nvidia-uvm-hmm', cacheDir: cache, to: '100.2' });
    expect(again.run!.cacheIgnored).toMatch(/is not a result cache of this rule set/);
    expect(again.capabilities).toEqual(first.capabilities);
    writeFileSync(file, '{ truncated');
    dropSnapshots();
    const third = await buildHistory(repo.root, { profile: 'nvidia-uvm-hmm', cacheDir: cache, to: '100.2' });
    expect(third.run!.cacheIgnored).toMatch(/not valid JSON/);
    expect(third.capabilities).toEqual(first.capabilities);
  });
});
