// Where baselines come from and when snapshots are saved.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { BaselineError, type EventInfo, previousTag, resolveBaseline, saveBaseline, shouldSave } from '../src/baseline.js';
import { actionsCache } from '../src/github/cache.js';
import { cachePrefix, saveKey } from '../src/github/cache-keys.js';
import { runScan } from '../src/scan/run.js';
import { fakeCacheService } from './helpers/fake-cache.js';
import { snapshotOf } from './helpers/snapshot.js';
import { lines, makeTree } from './helpers/tree.js';

const push = (ref: string): EventInfo => ({ eventName: 'push', ref, sha: 'c'.repeat(40), repository: 'a/b', defaultBranch: 'main' });

describe('shouldSave', () => {
  it('saves by default on pushes to the default branch and on tags, not on pull requests or other branches', () => {
    expect(shouldSave(undefined, push('refs/heads/main'))).toBe(true);
    expect(shouldSave(undefined, push('refs/tags/580.95.05'))).toBe(true);
    expect(shouldSave(undefined, push('refs/heads/feature'))).toBe(false);
    expect(shouldSave(undefined, { ...push('refs/pull/7/merge'), eventName: 'pull_request' })).toBe(false);
    expect(shouldSave(true, push('refs/heads/feature'))).toBe(true);
    expect(shouldSave(false, push('refs/heads/main'))).toBe(false);
    expect(shouldSave(true, { ...push(''), ref: '' })).toBe(false);
  });
});

describe('cache keys', () => {
  it('name the profile and the tree, and are stable', () => {
    const a = cachePrefix('nvidia-uvm-hmm', '77484ad3b03a7903', 'acme/driver', '.');
    expect(a).toBe(cachePrefix('nvidia-uvm-hmm', '77484ad3b03a7903', 'acme/driver', './'));
    expect(a).toMatch(/^hmm-watch-v1-nvidia-uvm-hmm-77484ad3b03a7903-[0-9a-f]{12}$/);
    expect(cachePrefix('nvidia-uvm-hmm', '77484ad3b03a7903', 'acme/driver', 'src')).not.toBe(a);
    expect(saveKey(a, 'refs/heads/main', 'f'.repeat(40))).toBe(`${a}-refs_heads_main-${'f'.repeat(40)}`);
  });
});

describe('resolveBaseline', () => {
  const tree = makeTree({
    'snap.json': JSON.stringify(snapshotOf()),
    'bad.json': '{ nope',
    'short.json': '{"schema":"hmm-watch/snapshot"}',
    'a.c': lines('int a;')
  });
  afterAll(() => tree.remove());
  const dir = path.join(tree.root, 'cache');

  it('reads a snapshot file and says so; a missing or broken file is a clear error', async () => {
    const r = await resolveBaseline({ kind: 'file', path: path.join(tree.root, 'snap.json') }, push('refs/heads/main'), 'p', tree.root, {
      service: actionsCache,
      dir
    });
    expect(r.source).toBe(`the snapshot in ${path.join(tree.root, 'snap.json')}`);
    await expect(
      resolveBaseline({ kind: 'file', path: path.join(tree.root, 'none.json') }, push('refs/heads/main'), 'p', tree.root, { service: actionsCache, dir })
    ).rejects.toThrow(BaselineError);
    await expect(
      resolveBaseline({ kind: 'file', path: path.join(tree.root, 'bad.json') }, push('refs/heads/main'), 'p', tree.root, { service: actionsCache, dir })
    ).rejects.toThrow(/bad\.json: not valid JSON/);
    await expect(
      resolveBaseline({ kind: 'file', path: path.join(tree.root, 'short.json') }, push('refs/heads/main'), 'p', tree.root, { service: actionsCache, dir })
    ).rejects.toThrow(/short\.json: \/schemaVersion: is missing/);
  });

  it('says why there is no baseline', async () => {
    expect(await resolveBaseline({ kind: 'none' }, push('refs/heads/main'), 'p', tree.root, { service: actionsCache, dir })).toEqual({
      reason: 'baseline: none'
    });
    expect((await resolveBaseline({ kind: 'auto' }, push('refs/heads/main'), 'p', tree.root, { service: actionsCache, dir })).reason).toMatch(
      /cache service is not available/
    );
    expect((await resolveBaseline({ kind: 'auto' }, { ...push(''), ref: '' }, 'p', tree.root, { service: actionsCache, dir })).reason).toMatch(/no git ref/);
  });
});

describe('the previous release of a tag', () => {
  it('is its nearest tagged ancestor, not the tag with the next lower version', async () => {
    // 535.1 -> 535.2 on one line; 550.1 branched from 535.1 and tagged later. The release before 535.2 is 535.1.
    const repo = makeTree({ 'a.c': lines('int a;') });
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo.root, encoding: 'utf8' }).trim();
    const commit = (msg: string): void => {
      writeFileSync(path.join(repo.root, 'a.c'), lines(`int ${msg.replace(/\W/g, '_')};`));
      git('-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-qam', msg);
    };
    git('init', '-q');
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-qm', 'first');
    git('tag', '535.1');
    git('checkout', '-qb', 'r550');
    commit('550 work');
    git('tag', '550.1');
    git('checkout', '-q', '-');
    commit('535 fix');
    git('tag', '535.2');
    expect(await previousTag(repo.root, '535.2')).toEqual({ tag: '535.1', sha: git('rev-parse', '535.1^{commit}') });
    expect(await previousTag(repo.root, '550.1')).toMatchObject({ tag: '535.1' });
    expect(await previousTag(repo.root, '535.1')).toBeUndefined();
    // Only tags matching the release pattern count as releases.
    expect(await previousTag(repo.root, '535.2', '550*')).toBeUndefined();
    expect(await previousTag(repo.root, '550.1', '535.*')).toMatchObject({ tag: '535.1' });
    // auto on a tag: the previous release is scanned from git objects.
    const scanRef = async (ref: string) => (await runScan(repo.root, { profile: 'linux-hmm-generic', ref })).snapshot;
    const r = await resolveBaseline(
      { kind: 'auto' },
      push('refs/tags/535.2'),
      'p',
      repo.root,
      { service: actionsCache, dir: path.join(repo.root, '.c') },
      scanRef
    );
    expect(r.source).toMatch(/^the previous release 535\.1 \(commit [0-9a-f]{7}\), scanned from git$/);
    expect(r.snapshot!.tree.git!.commit).toBe(git('rev-parse', '535.1^{commit}'));

    // auto on a pull request: the base commit; when the checkout does not have it, the reason says what to set.
    const pr = (baseSha: string): EventInfo => ({
      ...push('refs/pull/3/merge'),
      eventName: 'pull_request',
      pullRequest: { number: 3, baseRef: 'main', baseSha, headSha: 'e'.repeat(40) }
    });
    const base = await resolveBaseline(
      { kind: 'auto' },
      pr(git('rev-parse', '535.1^{commit}')),
      'p',
      repo.root,
      { service: actionsCache, dir: path.join(repo.root, '.c') },
      scanRef
    );
    expect(base.source).toMatch(/^the base commit [0-9a-f]{7} \(main\), scanned from git$/);
    const gone = await resolveBaseline(
      { kind: 'auto' },
      pr('d'.repeat(40)),
      'p',
      repo.root,
      { service: actionsCache, dir: path.join(repo.root, '.c') },
      scanRef,
      true
    );
    expect(gone.reason).toBe(
      'the base commit ddddddd (main) is not in the checkout (the checkout is shallow: set fetch-depth: 0 on actions/checkout); the cache service is not available in this run'
    );

    // ref:<ref> scans that ref, and a missing ref is a clear error.
    expect(
      (await resolveBaseline({ kind: 'ref', ref: '550.1' }, push('refs/heads/main'), 'p', repo.root, { service: actionsCache, dir: '.c' }, scanRef)).source
    ).toMatch(/^550\.1 \(commit [0-9a-f]{7}\), scanned from git$/);
    await expect(
      resolveBaseline({ kind: 'ref', ref: 'nope' }, push('refs/heads/main'), 'p', repo.root, { service: actionsCache, dir: '.c' }, scanRef)
    ).rejects.toThrow(/baseline ref:nope: 'nope' is not a commit/);
    repo.remove();
  });
});

describe('the cache of snapshots', () => {
  const snapshot = (commit: string): string => JSON.stringify(snapshotOf(undefined, undefined, { tree: { root: 'tree', git: { commit, prefix: '' } } }));
  const work = mkdtempSync(path.join(os.tmpdir(), 'hmm-watch-cache-test-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('finds on a pull request the snapshot a push to its base branch saved, and says when a save was refused', async () => {
    const fake = fakeCacheService();
    const cache = fake.run({ ref: 'refs/heads/main', defaultBranch: 'main' });
    const mainSha = 'a'.repeat(40);
    const pushed: EventInfo = { eventName: 'push', ref: 'refs/heads/main', sha: mainSha, repository: 'a/b', defaultBranch: 'main' };
    mkdirSync(path.join(work, 'save'), { recursive: true });
    const saved = await saveBaseline('pfx', pushed, snapshot(mainSha), { service: cache, dir: path.join(work, 'save') });
    expect(saved).toEqual({ saved: true, key: `pfx-refs_heads_main-${mainSha}` });

    // The pull request's base is that commit: its exact key is found; a later base finds it through the restore key.
    const pr = (baseSha: string): EventInfo => ({
      eventName: 'pull_request',
      ref: 'refs/pull/7/merge',
      sha: 'e'.repeat(40),
      repository: 'a/b',
      defaultBranch: 'main',
      pullRequest: { number: 7, baseRef: 'main', baseSha, headSha: 'e'.repeat(40) }
    });
    const exact = await resolveBaseline({ kind: 'cache' }, pr(mainSha), 'pfx', work, { service: cache, dir: path.join(work, 'save') });
    expect(exact.source).toBe('the snapshot of base commit aaaaaaa (main), from the cache');
    const later = await resolveBaseline({ kind: 'cache' }, pr('f'.repeat(40)), 'pfx', work, { service: cache, dir: path.join(work, 'save') });
    expect(later.source).toBe('the last snapshot saved on main (commit aaaaaaa; the base commit fffffff has none), from the cache');

    // The same key again (a re-run), or a service that refuses: -1, not saved, and why.
    const again = await saveBaseline('pfx', pushed, snapshot(mainSha), { service: cache, dir: path.join(work, 'save') });
    expect(again).toMatchObject({ saved: false, reason: expect.stringMatching(/did not take it/) });
    fake.refuse = true;
    const refused = await saveBaseline('pfx', { ...pushed, sha: 'b'.repeat(40) }, snapshot('b'.repeat(40)), { service: cache, dir: path.join(work, 'save') });
    expect(refused.saved).toBe(false);
    expect(fake.entries).toHaveLength(1);
    fake.remove();
  });
});
