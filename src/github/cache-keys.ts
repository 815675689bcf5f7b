// The keys snapshots are saved and looked up under in the Actions cache: one module for both, so that the key a
// run saves is the key (or under the key prefix) a later run restores. A key names the profile (id and hash), the
// tree (repository and path within it), the git ref of the run that saved it, and its commit.
import { createHash } from 'node:crypto';
import path from 'node:path';

function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** What every key of this profile and tree starts with. */
export function cachePrefix(profileId: string, profileHash: string, repository: string, treePath: string): string {
  const normal = path.posix.normalize(treePath.split(path.sep).join('/')).replace(/\/+$/, '') || '.';
  const tree = createHash('sha256').update(`${repository}\u0000${normal}`).digest('hex').slice(0, 12);
  return `hmm-watch-v1-${slug(profileId)}-${profileHash}-${tree}`;
}

/** What every key saved by a run on `ref` starts with: the restore key that finds the newest of them. */
export function refPrefix(prefix: string, ref: string): string {
  return `${prefix}-${slug(ref)}-`;
}

/** The key a run on `ref` at commit `sha` saves its snapshot under. */
export function saveKey(prefix: string, ref: string, sha: string): string {
  return `${refPrefix(prefix, ref)}${sha}`;
}

/** The run that looks for a baseline in the cache, and what it looks for. */
export type CacheRun =
  /** A pull request: the base commit, saved by a push to the base branch. */
  | { kind: 'pull-request'; baseRef: string; baseSha: string }
  /** A release tag: the previous release, saved by a push of its commit to the default branch or by its tag's run. */
  | { kind: 'release'; previous: { tag: string; sha: string }; defaultBranch?: string }
  /** A push (or any other run on a branch): the commit before it, saved by an earlier run on the same ref. */
  | { kind: 'push'; ref: string; sha: string };

/** Where a run looks: the exact key, then the newest entry under each restore key (a prefix), in order. */
export interface CacheLookup {
  key: string;
  restoreKeys: string[];
}

export function baselineLookup(prefix: string, run: CacheRun): CacheLookup {
  switch (run.kind) {
    case 'pull-request': {
      const base = `refs/heads/${run.baseRef}`;
      return { key: saveKey(prefix, base, run.baseSha), restoreKeys: [refPrefix(prefix, base)] };
    }
    case 'release': {
      const tag = `refs/tags/${run.previous.tag}`;
      // A tag's run can read caches saved on the default branch, where the previous release's commit was pushed.
      const key = saveKey(prefix, run.defaultBranch ? `refs/heads/${run.defaultBranch}` : tag, run.previous.sha);
      return { key, restoreKeys: [refPrefix(prefix, tag)] };
    }
    case 'push':
      return { key: saveKey(prefix, run.ref, run.sha), restoreKeys: [refPrefix(prefix, run.ref)] };
  }
}
