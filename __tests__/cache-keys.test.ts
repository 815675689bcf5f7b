// The keys snapshots are saved and looked up under (src/github/cache-keys.ts), with a cache service that matches
// keys and scopes entries as GitHub's does (helpers/fake-cache.ts): what one run saves, the run that needs it as a
// baseline finds again; and the look-up of each kind of run cannot drift from the key it looks for.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type EventInfo, resolveBaseline, saveBaseline } from '../src/baseline.js';
import { type CacheAt, snapshotCache } from '../src/github/cache.js';
import { baselineLookup, cachePrefix, saveKey } from '../src/github/cache-keys.js';
import { fakeCacheService, type RunScope } from './helpers/fake-cache.js';
import { snapshotOf } from './helpers/snapshot.js';
import { lines, makeTree } from './helpers/tree.js';

const PREFIX = cachePrefix('nvidia-uvm-hmm', '77484ad3b03a7903', 'acme/driver', '.');
const snapshot = (commit: string): string => JSON.stringify(snapshotOf(undefined, undefined, { tree: { root: 'tree', git: { commit, prefix: '' } } }));
const work = mkdtempSync(path.join(os.tmpdir(), 'hmm-watch-cache-keys-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * A run of the action on a fresh runner: its event and the cache service as that run sees it. RUNNER_TEMP is the
 * same path on every runner; what an earlier run left there is gone.
 */
function run(ev: EventInfo, cache: ReturnType<typeof fakeCacheService>): CacheAt {
  const scope: RunScope = { ref: ev.ref, defaultBranch: ev.defaultBranch ?? 'main', baseRef: ev.pullRequest && `refs/heads/${ev.pullRequest.baseRef}` };
  const runnerTemp = path.join(work, 'runner-temp');
  rmSync(runnerTemp, { recursive: true, force: true });
  return snapshotCache(cache.run(scope), runnerTemp);
}

const push = (ref: string, sha: string, before?: string): EventInfo => ({
  eventName: 'push',
  ref,
  sha,
  before,
  repository: 'acme/driver',
  defaultBranch: 'main'
});
const pullRequest = (baseRef: string, baseSha: string): EventInfo => ({
  eventName: 'pull_request',
  ref: 'refs/pull/7/merge',
  sha: 'e'.repeat(40),
  repository: 'acme/driver',
  defaultBranch: 'main',
  pullRequest: { number: 7, baseRef, baseSha, headSha: 'e'.repeat(40) }
});

describe('a snapshot saved to the cache', () => {
  const A = 'a'.repeat(40);
  const B = 'b'.repeat(40);

  it('by a push to main is found by the next push, and by a pull request on main (its exact base, or the newest)', async () => {
    const cache = fakeCacheService();
    const saved = await saveBaseline(PREFIX, push('refs/heads/main', A), snapshot(A), run(push('refs/heads/main', A), cache));
    expect(saved).toEqual({ saved: true, key: saveKey(PREFIX, 'refs/heads/main', A) });

    const next = push('refs/heads/main', B, A);
    expect((await resolveBaseline({ kind: 'cache' }, next, PREFIX, work, run(next, cache))).source).toBe(
      'the last snapshot saved on main (commit aaaaaaa), from the cache'
    );
    const exact = pullRequest('main', A);
    expect((await resolveBaseline({ kind: 'cache' }, exact, PREFIX, work, run(exact, cache))).source).toBe(
      'the snapshot of base commit aaaaaaa (main), from the cache'
    );
    const later = pullRequest('main', B);
    expect((await resolveBaseline({ kind: 'cache' }, later, PREFIX, work, run(later, cache))).source).toBe(
      'the last snapshot saved on main (commit aaaaaaa; the base commit bbbbbbb has none), from the cache'
    );
    // A pull request on another branch does not take main's snapshot for its base.
    const other = pullRequest('release-580', B);
    expect((await resolveBaseline({ kind: 'cache' }, other, PREFIX, work, run(other, cache))).snapshot).toBeUndefined();
    cache.remove();
  });

  it('by a push to another branch (save-baseline: true) is found by the next push to that branch', async () => {
    const cache = fakeCacheService();
    const branch = push('refs/heads/feature/x-1', A);
    await saveBaseline(PREFIX, branch, snapshot(A), run(branch, cache));
    const next = push('refs/heads/feature/x-1', B, A);
    expect((await resolveBaseline({ kind: 'cache' }, next, PREFIX, work, run(next, cache))).source).toBe(
      'the last snapshot saved on feature/x-1 (commit aaaaaaa), from the cache'
    );
    cache.remove();
  });

  it("by a push of a release's commit to main is found by the next release tag's run (its previous release)", async () => {
    const repo = makeTree({ 'a.c': lines('int a;') });
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo.root, encoding: 'utf8' }).trim();
    const commit = (msg: string): void => void git('-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-q', '--allow-empty', '-m', msg);
    git('init', '-q');
    git('add', '-A');
    commit('first');
    git('tag', '580.1');
    commit('second');
    git('tag', '580.2');
    const first = git('rev-parse', '580.1^{commit}');
    const second = git('rev-parse', '580.2^{commit}');

    const cache = fakeCacheService();
    await saveBaseline(PREFIX, push('refs/heads/main', first), snapshot(first), run(push('refs/heads/main', first), cache));
    // The tag's own run saves too; another tag's run cannot read it (entries are scoped by ref), only a re-run can.
    await saveBaseline(PREFIX, push('refs/tags/580.1', first), snapshot(first), run(push('refs/tags/580.1', first), cache));
    const release = push('refs/tags/580.2', second);
    const found = await resolveBaseline({ kind: 'auto' }, release, PREFIX, repo.root, run(release, cache));
    expect(found.source).toBe(`the snapshot of the previous release 580.1 (commit ${first.slice(0, 7)}), from the cache`);

    // Without the push to main, the tag's run finds nothing it may read, and says so.
    const alone = fakeCacheService();
    await saveBaseline(PREFIX, push('refs/tags/580.1', first), snapshot(first), run(push('refs/tags/580.1', first), alone));
    const none = await resolveBaseline({ kind: 'auto' }, release, PREFIX, repo.root, run(release, alone));
    expect(none.reason).toBe(`no snapshot of the previous release 580.1 (commit ${first.slice(0, 7)}) in the cache`);
    // A re-run of 580.1 itself (no previous release) is not a look-up; the entry is there for its own ref.
    expect(alone.entries.map((e) => e.key)).toEqual([saveKey(PREFIX, 'refs/tags/580.1', first)]);
    cache.remove();
    alone.remove();
    repo.remove();
  });

  it('is not found from another folder: the service versions an entry by its paths', async () => {
    const cache = fakeCacheService();
    const main = push('refs/heads/main', A);
    await saveBaseline(PREFIX, main, snapshot(A), run(main, cache));
    const pr = pullRequest('main', A);
    const elsewhere = { ...run(pr, cache), dir: path.join(work, 'runner-temp', 'elsewhere') };
    expect((await resolveBaseline({ kind: 'cache' }, pr, PREFIX, work, elsewhere)).snapshot).toBeUndefined();
    expect((await resolveBaseline({ kind: 'cache' }, pr, PREFIX, work, run(pr, cache))).snapshot).toBeDefined();
    cache.remove();
  });
});

describe('the look-up of a run', () => {
  // Branch names as git allows them, with the characters a key slugs (/, spaces are not allowed, unicode is).
  const branch = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._/\-+@é]{0,30}$/).filter((b) => !b.endsWith('/') && !b.includes('//'));
  const sha = fc.stringMatching(/^[0-9a-f]{40}$/);

  it("of a pull request looks for exactly the key a push to its base branch saves, and under that key's prefix", () => {
    fc.assert(
      fc.property(branch, sha, sha, (base, saved, wanted) => {
        const key = saveKey(PREFIX, `refs/heads/${base}`, saved);
        const lookup = baselineLookup(PREFIX, { kind: 'pull-request', baseRef: base, baseSha: saved });
        expect(lookup.key).toBe(key);
        // A later base commit finds it through a restore key.
        const later = baselineLookup(PREFIX, { kind: 'pull-request', baseRef: base, baseSha: wanted });
        expect(later.restoreKeys.some((k) => key.startsWith(k))).toBe(true);
      })
    );
  });

  it('of a push looks for the key the push before it saved; of a release, the key of its previous release pushed to main', () => {
    fc.assert(
      fc.property(branch, sha, sha, (name, before, other) => {
        const ref = `refs/heads/${name}`;
        expect(baselineLookup(PREFIX, { kind: 'push', ref, sha: before }).key).toBe(saveKey(PREFIX, ref, before));
        expect(baselineLookup(PREFIX, { kind: 'push', ref, sha: other }).restoreKeys.some((k) => saveKey(PREFIX, ref, before).startsWith(k))).toBe(true);
        const release = baselineLookup(PREFIX, { kind: 'release', previous: { tag: name, sha: before }, defaultBranch: 'main' });
        expect(release.key).toBe(saveKey(PREFIX, 'refs/heads/main', before));
        expect(release.restoreKeys.some((k) => saveKey(PREFIX, `refs/tags/${name}`, other).startsWith(k))).toBe(true);
        expect(baselineLookup(PREFIX, { kind: 'release', previous: { tag: name, sha: before } }).key).toBe(saveKey(PREFIX, `refs/tags/${name}`, before));
      })
    );
  });
});
