// Where the baseline comes from, and where a new snapshot is saved. `auto`: on a pull request the base commit, on a
// push the commit before it, on a release tag the previous release (its nearest tagged ancestor), each scanned
// from git objects when the checkout has it; otherwise the last snapshot saved in the cache. `ref:<ref>` scans
// that ref. The report always says where the baseline came from, or why there is none.
import { existsSync } from 'node:fs';
import { type CacheAt, restoreSnapshot, type Saved, saveSnapshot } from './github/cache.js';
import { baselineLookup, type CacheRun, saveKey } from './github/cache-keys.js';
import { describer, listTags } from './history/tags.js';
import type { BaselineInput } from './inputs.js';
import { parseSnapshot, readSnapshotFile } from './snapshot/read.js';
import type { Snapshot } from './snapshot/snapshot.js';

export interface EventInfo {
  eventName: string;
  /** Fully qualified ref of the run, e.g. refs/heads/main, refs/tags/580.95.05, refs/pull/7/merge. */
  ref: string;
  sha: string;
  repository: string;
  defaultBranch?: string;
  pullRequest?: { number: number; baseRef: string; baseSha: string; headSha: string; headRepository?: string };
  /** The commit before a push. */
  before?: string;
}

export interface Baseline {
  snapshot?: Snapshot;
  /** Said in the report: what the baseline is. */
  source?: string;
  /** Said in the report when there is no baseline. */
  reason?: string;
}

export class BaselineError extends Error {}

function short(sha: string | undefined): string {
  return sha ? sha.slice(0, 7) : '?';
}

/** The release a tag was made from: its nearest tagged ancestor among the release tags (`glob`), as history finds it. */
export async function previousTag(treeRoot: string, tag: string, glob = '*'): Promise<{ tag: string; sha: string } | undefined> {
  try {
    const list = await listTags(treeRoot, glob);
    const self = list.all.find((t) => t.tag === tag);
    if (!self) return undefined;
    const prev = await describer(treeRoot, list)(self.commit);
    const sha = prev ? list.all.find((t) => t.tag === prev)?.commit : undefined;
    return prev && sha ? { tag: prev, sha } : undefined;
  } catch {
    return undefined; // not a git repository
  }
}

/** Scans a git ref of the repository that holds the tree (the same folder of it). */
export type RefScanner = (ref: string) => Promise<Snapshot>;

export async function resolveBaseline(
  input: BaselineInput,
  ev: EventInfo,
  prefix: string,
  treeRoot: string,
  cache: CacheAt,
  scanRef?: RefScanner,
  shallow = false,
  releaseTags = '*'
): Promise<Baseline> {
  if (input.kind === 'none') return { reason: 'baseline: none' };
  if (input.kind === 'file') {
    try {
      return { snapshot: await readSnapshotFile(input.path, `baseline file ${input.path}`), source: `the snapshot in ${input.path}` };
    } catch (e) {
      if (!existsSync(input.path)) {
        throw new BaselineError(
          `baseline file ${input.path}: no such file (the input names a snapshot JSON, or one of auto, none, cache, ref:<git ref>; to compare with the git ref ${input.path}, write 'ref:${input.path}')`
        );
      }
      throw new BaselineError((e as Error).message);
    }
  }
  if (input.kind === 'ref') {
    if (!scanRef) throw new BaselineError(`baseline ref:${input.ref}: ${treeRoot} is not in a git repository`);
    try {
      const snapshot = await scanRef(input.ref);
      return { snapshot, source: `${input.ref} (commit ${short(snapshot.tree.git?.commit)}), scanned from git` };
    } catch (e) {
      throw new BaselineError(`baseline ref:${input.ref}: ${(e as Error).message}`);
    }
  }

  // auto: the baseline commit scanned from git when the checkout has it, else the last snapshot in the cache.
  const tag = ev.ref.startsWith('refs/tags/') ? ev.ref.slice('refs/tags/'.length) : undefined;
  const prev = tag && input.kind === 'auto' ? await previousTag(treeRoot, tag, releaseTags) : undefined;
  const depth = shallow ? ' (the checkout is shallow: set fetch-depth: 0 on actions/checkout)' : '';
  let missing: string | undefined;
  if (input.kind === 'auto' && scanRef) {
    const target = ev.pullRequest
      ? { ref: ev.pullRequest.baseSha, what: `the base commit ${short(ev.pullRequest.baseSha)} (${ev.pullRequest.baseRef})` }
      : tag
        ? prev && { ref: prev.sha, what: `the previous release ${prev.tag} (commit ${short(prev.sha)})` }
        : ev.before
          ? { ref: ev.before, what: `the commit before the push, ${short(ev.before)}` }
          : undefined;
    if (target) {
      try {
        return { snapshot: await scanRef(target.ref), source: `${target.what}, scanned from git` };
      } catch (e) {
        missing = `${target.what} is not in the checkout${depth}`;
        if (!/is not a commit/.test((e as Error).message)) throw e;
      }
    } else if (tag) {
      missing = `the release before ${tag} cannot be found: the checkout has no tags or history${depth || ' (set fetch-depth: 0 on actions/checkout)'}`;
    }
  }
  const cached = await fromCache(ev, prefix, cache, prev);
  if (cached.snapshot) return cached;
  return { reason: [missing, cached.reason].filter(Boolean).join('; ') };
}

async function fromCache(ev: EventInfo, prefix: string, cache: CacheAt, prev: { tag: string; sha: string } | undefined): Promise<Baseline> {
  if (!ev.ref) return { reason: 'this run has no git ref (GITHUB_REF is not set), so there is no saved snapshot to compare with' };
  if (!cache.service.available()) return { reason: 'the cache service is not available in this run' };
  const restore = async (run: CacheRun, what: (s: Snapshot) => string): Promise<Baseline | undefined> => {
    const { key, restoreKeys } = baselineLookup(prefix, run);
    const hit = await restoreSnapshot(cache, key, restoreKeys);
    if (!hit) return undefined;
    try {
      const snapshot = await parseSnapshot(hit.text, `the cached snapshot ${hit.key}`);
      return { snapshot, source: `${what(snapshot)}, from the cache` };
    } catch (e) {
      // An invalid cache entry is not a baseline; the report says why there is none.
      return { reason: (e as Error).message };
    }
  };
  const commitOf = (s: Snapshot): string => short(s.tree.git?.commit);
  if (ev.pullRequest) {
    const pr = ev.pullRequest;
    const found = await restore({ kind: 'pull-request', baseRef: pr.baseRef, baseSha: pr.baseSha }, (s) =>
      s.tree.git?.commit === pr.baseSha
        ? `the snapshot of base commit ${short(pr.baseSha)} (${pr.baseRef})`
        : `the last snapshot saved on ${pr.baseRef} (commit ${commitOf(s)}; the base commit ${short(pr.baseSha)} has none)`
    );
    return found ?? { reason: `no snapshot of ${pr.baseRef} in the cache yet: a push to ${pr.baseRef} saves one` };
  }
  if (ev.ref.startsWith('refs/tags/')) {
    if (!prev) return { reason: 'no previous release to look up in the cache' };
    const found = await restore(
      { kind: 'release', previous: prev, defaultBranch: ev.defaultBranch },
      () => `the snapshot of the previous release ${prev.tag} (commit ${short(prev.sha)})`
    );
    return found ?? { reason: `no snapshot of the previous release ${prev.tag} (commit ${short(prev.sha)}) in the cache` };
  }
  const branch = ev.ref;
  const found = await restore(
    { kind: 'push', ref: branch, sha: ev.before ?? ev.sha },
    (s) => `the last snapshot saved on ${branch.replace(/^refs\/heads\//, '')} (commit ${commitOf(s)})`
  );
  return found ?? { reason: `no snapshot of ${branch.replace(/^refs\/heads\//, '')} in the cache yet` };
}

/** By default a snapshot is saved on pushes to the default branch and on tags. */
export function shouldSave(explicit: boolean | undefined, ev: EventInfo): boolean {
  if (!ev.ref || !ev.sha) return false;
  if (explicit !== undefined) return explicit;
  if (ev.ref.startsWith('refs/tags/')) return true;
  return ev.eventName === 'push' && !!ev.defaultBranch && ev.ref === `refs/heads/${ev.defaultBranch}`;
}

export async function saveBaseline(prefix: string, ev: EventInfo, text: string, cache: CacheAt): Promise<Saved & { key: string }> {
  const key = saveKey(prefix, ev.ref, ev.sha);
  return { ...(await saveSnapshot(cache, key, text)), key };
}
