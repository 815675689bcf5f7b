// A cache service that behaves as GitHub's Actions cache does, for unit tests (CacheService of src/github/cache.ts):
// - an entry has a version made of its paths: a restore finds only entries saved from the same paths;
// - a run reads entries saved on its own ref, on the default branch, and (a pull request) on its base branch;
// - restore takes the exact key, else, for each restore key in order, the newest entry whose key starts with it;
// - a key is saved once (a second save answers -1).
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CacheService } from '../../src/github/cache.js';

export interface CacheEntry {
  key: string;
  version: string;
  ref: string;
  dir: string;
}

/** The run a service is used from: its ref, the default branch, and a pull request's base branch (refs/heads/…). */
export interface RunScope {
  ref: string;
  defaultBranch: string;
  baseRef?: string;
}

export interface FakeCache {
  entries: CacheEntry[];
  /** Refuse every save (-1), as the service does when it cannot take an entry. */
  refuse: boolean;
  /** The service as a run on `scope` sees it. */
  run(scope: RunScope): CacheService;
  remove(): void;
}

export function fakeCacheService(): FakeCache {
  const store = mkdtempSync(path.join(os.tmpdir(), 'hmm-watch-fake-cache-'));
  const entries: CacheEntry[] = [];
  const fake: FakeCache = {
    entries,
    refuse: false,
    remove: () => rmSync(store, { recursive: true, force: true }),
    run(scope) {
      const readable = new Set([scope.ref, `refs/heads/${scope.defaultBranch}`, ...(scope.baseRef ? [scope.baseRef] : [])]);
      return {
        available: () => true,
        async restore(paths, key, restoreKeys) {
          const version = paths.join('|');
          const visible = entries.filter((e) => e.version === version && readable.has(e.ref));
          const hit =
            visible.find((e) => e.key === key) ??
            restoreKeys.map((prefix) => visible.filter((e) => e.key.startsWith(prefix)).at(-1)).find((e) => e !== undefined);
          if (!hit) return undefined;
          cpSync(hit.dir, paths[0], { recursive: true });
          return hit.key;
        },
        async save(paths, key) {
          const version = paths.join('|');
          if (fake.refuse || entries.some((e) => e.key === key && e.version === version && e.ref === scope.ref)) return -1;
          const dir = path.join(store, String(entries.length + 1));
          cpSync(paths[0], dir, { recursive: true });
          entries.push({ key, version, ref: scope.ref, dir });
          return entries.length;
        }
      };
    }
  };
  return fake;
}
