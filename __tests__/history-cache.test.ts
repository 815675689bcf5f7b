// What a history run keeps in its cache folder and reads back: stored snapshots that follow macros are valid when
// read back (so a second run scans nothing), and the previous release of each tag is kept and asked of git again
// only where a new tag can change it; a file of previous releases that is not one this code wrote is ignored.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildHistory } from '../src/history/history.js';
import { TagParents, tagParentsFile } from '../src/history/tag-parents.js';
import { releaseTags } from '../src/history/tags.js';
import { lines, makeTree, type TempTree } from './helpers/tree.js';

let repo: TempTree;
let day = 0;
const git = (...args: string[]): string => {
  const date = `2026-03-${String(++day).padStart(2, '0')}T12:00:00Z`;
  return execFileSync('git', args, { cwd: repo.root, encoding: 'utf8', env: { ...process.env, GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date } }).trim();
};

function write(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(repo.root, rel)), { recursive: true });
  writeFileSync(path.join(repo.root, rel), text);
}

function commit(message: string, files: Record<string, string>): string {
  for (const [f, t] of Object.entries(files)) write(f, t);
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-qm', message);
  return git('rev-parse', 'HEAD');
}

// HMM's default gated by a macro the tree defines to a constant: the snapshot follows it (snapshot.macros).
const hmm = (value: string): string =>
  lines(
    '#define UVM_HMM_BUILT() 1',
    '#if UVM_HMM_BUILT()',
    `static bool uvm_disable_hmm = ${value};`,
    '#else',
    'static bool uvm_disable_hmm = true;',
    '#endif',
    'module_param(uvm_disable_hmm, bool, 0444);'
  );

const edges = (tags: Array<{ tag: string; parent?: string }>): string[][] => tags.map((t) => [t.tag, t.parent ?? '-']).sort();

let untagged: string;
beforeAll(() => {
  repo = makeTree({});
  git('init', '-q', '-b', 'main');
  commit('1.0', { 'kernel-open/nvidia-uvm/uvm_hmm.c': hmm('true') });
  git('tag', '1.0');
  // A commit released only later (tagged after its descendants were).
  untagged = commit('1.1', { 'kernel-open/nvidia-uvm/uvm_hmm.c': hmm('false') });
  commit('1.2', { 'drv/other.c': lines('int other(void) { return 0; }') });
  git('tag', '1.2');
  commit('1.3', { 'drv/other.c': lines('int other(void) { return 1; }') });
  git('tag', '1.3');
});
afterAll(() => repo.remove());

describe('the history cache', () => {
  it('reads back the snapshots it stored, followed macros included: a second run scans no release', async () => {
    const cacheDir = path.join(repo.root, '.cache-snapshots');
    const first = await buildHistory(repo.root, { profile: 'nvidia-uvm-hmm', cacheDir });
    expect(first.run).toMatchObject({ tagsScanned: 3 });
    const folder = readdirSync(cacheDir).find((d) => d.startsWith('snapshots-'))!;
    const stored = JSON.parse(readFileSync(path.join(cacheDir, folder, readdirSync(path.join(cacheDir, folder))[0]), 'utf8')) as { macros?: object };
    expect(Object.keys(stored.macros ?? {})).toContain('UVM_HMM_BUILT()');

    const again = await buildHistory(repo.root, { profile: 'nvidia-uvm-hmm', cacheDir });
    expect(again.run).toMatchObject({ tagsScanned: 0, filesRead: 0 });
    expect(again.capabilities).toEqual(first.capabilities);
  });

  it('keeps previous releases, and finds them again where a new tag is an ancestor of tagged commits', async () => {
    const cacheDir = path.join(repo.root, '.cache-tags');
    const before = await releaseTags(repo.root, '*', cacheDir);
    expect(edges(before.tags)).toEqual([
      ['1.0', '-'],
      ['1.2', '1.0'],
      ['1.3', '1.2']
    ]);
    const stored = readdirSync(cacheDir).filter((f) => f.startsWith('tag-parents-'));
    expect(stored).toHaveLength(1);

    // The older commit is released now: 1.2 was made from it, whatever the stored answer said.
    git('tag', '1.1', untagged);
    try {
      const after = await releaseTags(repo.root, '*', cacheDir);
      const fresh = await releaseTags(repo.root, '*');
      expect(edges(after.tags)).toEqual([
        ['1.0', '-'],
        ['1.1', '1.0'],
        ['1.2', '1.1'],
        ['1.3', '1.2']
      ]);
      expect(after.tags).toEqual(fresh.tags);
    } finally {
      git('tag', '-d', '1.1');
    }
    // The tag removed again: the stored answers naming it are not used.
    expect(edges((await releaseTags(repo.root, '*', cacheDir)).tags)).toEqual(edges(before.tags));
  });

  it('ignores a stored file of previous releases that is not one it wrote', async () => {
    const cacheDir = path.join(repo.root, '.cache-bad');
    await releaseTags(repo.root, '*', cacheDir);
    const file = path.join(cacheDir, readdirSync(cacheDir).find((f) => f.startsWith('tag-parents-'))!);
    const data = JSON.parse(readFileSync(file, 'utf8')) as { parents: Record<string, string | null> };
    const expected = edges((await releaseTags(repo.root)).tags);
    // An answer naming a tag outside the release set, then one that is not even a string.
    for (const bad of ['no-such-tag', 42]) {
      const parents = Object.fromEntries(Object.keys(data.parents).map((c) => [c, bad]));
      writeFileSync(file, JSON.stringify({ ...data, parents }));
      expect(edges((await releaseTags(repo.root, '*', cacheDir)).tags)).toEqual(expected);
    }
    writeFileSync(file, '{"schema": "hmm-watch/tag-parents", ');
    expect(edges((await releaseTags(repo.root, '*', cacheDir)).tags)).toEqual(expected);
  });

  it('does not open a file of previous releases that is not a regular file (a FIFO in a restored cache would block)', () => {
    const dir = path.join(repo.root, 'fifo-cache');
    mkdirSync(dir, { recursive: true });
    execFileSync('mkfifo', [tagParentsFile(dir, '*')]);
    const loaded = TagParents.load(dir, '*');
    expect(loaded.ignored).toMatch(/is not a regular file/);
  });
});
