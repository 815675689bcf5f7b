// The Actions cache service: folders saved under a key and restored by that key or by the newest entry under a key
// prefix (cache-keys.ts names them). The service is passed in (CacheAt), so that tests can use a fake.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as cache from '@actions/cache';

/** What the action needs of a cache service (@actions/cache in a workflow run; a fake in tests). */
export interface CacheService {
  /** Whether this run can reach the service (it can in a workflow run on GitHub). */
  available(): boolean;
  /** Restores `paths` saved under `key` (or the newest entry whose key starts with one of `restoreKeys`); the key found. */
  restore(paths: string[], key: string, restoreKeys: string[]): Promise<string | undefined>;
  /** Saves `paths` under `key`: the entry's id, or -1 when nothing was saved (the service refused or failed). */
  save(paths: string[], key: string): Promise<number>;
}

/** GitHub's cache service, through @actions/cache. */
export const actionsCache: CacheService = {
  available: () => cache.isFeatureAvailable(),
  restore: async (paths, key, restoreKeys) => (await cache.restoreCache(paths, key, restoreKeys)) ?? undefined,
  save: (paths, key) => cache.saveCache(paths, key)
};

/** A cache service and the folder it restores into and saves from. */
export interface CacheAt {
  service: CacheService;
  dir: string;
}

/** Restores a folder saved under `key` (or the newest under one of `restoreKeys`); the key found, if any. */
export async function restoreDir(at: CacheAt, key: string, restoreKeys: string[]): Promise<string | undefined> {
  if (!at.service.available()) return undefined;
  mkdirSync(at.dir, { recursive: true });
  return at.service.restore([at.dir], key, restoreKeys);
}

export type RestoreOutcome = { kind: 'hit'; key: string } | { kind: 'miss' } | { kind: 'error'; message: string } | { kind: 'unavailable' };

/**
 * Like restoreDir, telling a miss from a failed restore: the cache library reports a failure (an HTTP 500, a
 * denied read) only as a logged "Failed to restore" line and answers as for a miss, so that line is watched for
 * while it restores.
 */
export async function restoreDirOutcome(at: CacheAt, key: string, restoreKeys: string[]): Promise<RestoreOutcome> {
  if (!at.service.available()) return { kind: 'unavailable' };
  let failure: string | undefined;
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const m = /^::(?:error|warning)[^:]*::Failed to restore: (.*)$/m.exec(String(chunk));
    if (m) failure ??= m[1];
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  try {
    const hit = await restoreDir(at, key, restoreKeys);
    if (hit) return { kind: 'hit', key: hit };
    return failure ? { kind: 'error', message: failure } : { kind: 'miss' };
  } catch (e) {
    return { kind: 'error', message: (e as Error).message };
  } finally {
    process.stdout.write = write;
  }
}

export interface Saved {
  saved: boolean;
  /** Why nothing was saved. */
  reason?: string;
}

/**
 * Saves a folder under `key`. @actions/cache does not throw when the service refuses the key (an entry with this
 * key exists, or another job is saving it) or the upload fails: it logs why and returns -1, which is not saved.
 */
export async function saveDir(at: CacheAt, key: string): Promise<Saved> {
  if (!at.service.available()) return { saved: false, reason: 'the cache service is not available in this run' };
  try {
    const id = await at.service.save([at.dir], key);
    return id === -1 ? { saved: false, reason: 'the cache service did not take it (the reason is logged above)' } : { saved: true };
  } catch (e) {
    return { saved: false, reason: (e as Error).message };
  }
}

export async function restoreSnapshot(at: CacheAt, key: string, restoreKeys: string[]): Promise<{ key: string; text: string } | undefined> {
  const hit = await restoreDir(at, key, restoreKeys);
  return hit ? { key: hit, text: readFileSync(path.join(at.dir, 'snapshot.json'), 'utf8') } : undefined;
}

export async function saveSnapshot(at: CacheAt, key: string, text: string): Promise<Saved> {
  mkdirSync(at.dir, { recursive: true });
  writeFileSync(path.join(at.dir, 'snapshot.json'), text);
  return saveDir(at, key);
}

/**
 * Where the action's snapshots are restored into and saved from (under the runner's temporary folder). The cache
 * service versions an entry by the paths it holds and finds only entries of the same version, so the restore and
 * the save use this one folder: a snapshot saved from one folder is never found by a restore into another.
 */
export function snapshotCache(service: CacheService, runnerTemp = process.env.RUNNER_TEMP || '.'): CacheAt {
  return { service, dir: path.join(runnerTemp, 'hmm-watch-cache', 'snapshot') };
}
