// Where the baseline comes from, and where a new snapshot is saved. `auto`: on a pull request the snapshot of the
// base commit (or the last one saved on the base branch), on a push the last saved snapshot of the branch, on a
// release tag the previous release's snapshot. Until a git ref can be scanned without a checkout, snapshots come
// from the cache. The report always says where the baseline came from, or why there is none.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { cacheAvailable, restoreSnapshot, saveSnapshot } from './github.js';
import type { BaselineInput } from './inputs.js';
import type { Snapshot } from './snapshot/snapshot.js';

const run = promisify(execFile);

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

function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** Cache keys name the profile (id and hash) and the tree (repository and path within it). */
export function cachePrefix(profileId: string, profileHash: string, repository: string, treePath: string): string {
  const normal = path.posix.normalize(treePath.split(path.sep).join('/')).replace(/\/+$/, '') || '.';
  const tree = createHash('sha256').update(`${repository}\u0000${normal}`).digest('hex').slice(0, 12);
  return `hmm-watch-v1-${slug(profileId)}-${profileHash}-${tree}`;
}

export function saveKey(prefix: string, ref: string, sha: string): string {
  return `${prefix}-${slug(ref)}-${sha}`;
}

function short(sha: string | undefined): string {
  return sha ? sha.slice(0, 7) : '?';
}

function parseSnapshot(text: string, where: string): Snapshot {
  try {
    return JSON.parse(text) as Snapshot;
  } catch (e) {
    throw new BaselineError(`${where} is not valid JSON: ${(e as Error).message}`);
  }
}

/** The release a tag was made from: its nearest tagged ancestor in the commit graph. */
export async function previousTag(treeRoot: string, tag: string): Promise<{ tag: string; sha: string } | undefined> {
  try {
    const { stdout } = await run('git', ['describe', '--tags', '--abbrev=0', `${tag}^`], { cwd: treeRoot });
    const prev = stdout.trim();
    const { stdout: sha } = await run('git', ['rev-parse', `${prev}^{commit}`], { cwd: treeRoot });
    return { tag: prev, sha: sha.trim() };
  } catch {
    return undefined;
  }
}

export async function resolveBaseline(input: BaselineInput, ev: EventInfo, prefix: string, treeRoot: string, cacheDir: string): Promise<Baseline> {
  if (input.kind === 'none') return { reason: 'baseline: none' };
  if (input.kind === 'file') {
    let text: string;
    try {
      text = readFileSync(input.path, 'utf8');
    } catch (e) {
      throw new BaselineError(`baseline file ${input.path}: ${(e as Error).message}`);
    }
    return { snapshot: parseSnapshot(text, `baseline file ${input.path}`), source: `the snapshot in ${input.path}` };
  }

  if (!ev.ref) return { reason: 'this run has no git ref (GITHUB_REF is not set), so there is no saved snapshot to compare with' };
  const noCache = 'the cache service is not available in this run';
  const restore = async (key: string, restoreKeys: string[], what: (s: Snapshot) => string): Promise<Baseline | undefined> => {
    const hit = await restoreSnapshot(cacheDir, key, restoreKeys);
    if (!hit) return undefined;
    const snapshot = parseSnapshot(hit.text, `the cached snapshot ${hit.key}`);
    return { snapshot, source: `${what(snapshot)}, from the cache` };
  };
  const commitOf = (s: Snapshot): string => short(s.tree.git?.commit);

  if (ev.pullRequest) {
    if (!cacheAvailable()) return { reason: noCache };
    const base = `refs/heads/${ev.pullRequest.baseRef}`;
    const found = await restore(saveKey(prefix, base, ev.pullRequest.baseSha), [`${prefix}-${slug(base)}-`], (s) =>
      s.tree.git?.commit === ev.pullRequest!.baseSha
        ? `the snapshot of base commit ${short(ev.pullRequest!.baseSha)} (${ev.pullRequest!.baseRef})`
        : `the last snapshot saved on ${ev.pullRequest!.baseRef} (commit ${commitOf(s)}; the base commit ${short(ev.pullRequest!.baseSha)} has none)`
    );
    return found ?? { reason: `no snapshot of ${ev.pullRequest.baseRef} in the cache yet: a push to ${ev.pullRequest.baseRef} saves one` };
  }
  if (ev.ref.startsWith('refs/tags/') && input.kind === 'auto') {
    const tag = ev.ref.slice('refs/tags/'.length);
    const prev = await previousTag(treeRoot, tag);
    if (!prev) {
      return { reason: `the release before ${tag} cannot be found: the checkout has no tags or history (set fetch-depth: 0 on actions/checkout)` };
    }
    if (!cacheAvailable()) return { reason: `the previous release is ${prev.tag} (commit ${short(prev.sha)}), but ${noCache}` };
    // A tag's run can read caches saved on the default branch, where the previous release's commit was pushed.
    const keys = ev.defaultBranch ? [saveKey(prefix, `refs/heads/${ev.defaultBranch}`, prev.sha)] : [];
    const found = keys.length
      ? await restore(keys[0], [`${prefix}-${slug(`refs/tags/${prev.tag}`)}-`], () => `the snapshot of the previous release ${prev.tag} (commit ${short(prev.sha)})`)
      : undefined;
    return found ?? { reason: `no snapshot of the previous release ${prev.tag} (commit ${short(prev.sha)}) in the cache` };
  }
  if (!cacheAvailable()) return { reason: noCache };
  const branch = ev.ref;
  const found = await restore(saveKey(prefix, branch, ev.before ?? ev.sha), [`${prefix}-${slug(branch)}-`], (s) => `the last snapshot saved on ${branch.replace(/^refs\/heads\//, '')} (commit ${commitOf(s)})`);
  return found ?? { reason: `no snapshot of ${branch.replace(/^refs\/heads\//, '')} in the cache yet` };
}

/** By default a snapshot is saved on pushes to the default branch and on tags. */
export function shouldSave(explicit: boolean | undefined, ev: EventInfo): boolean {
  if (!ev.ref || !ev.sha) return false;
  if (explicit !== undefined) return explicit;
  if (ev.ref.startsWith('refs/tags/')) return true;
  return ev.eventName === 'push' && !!ev.defaultBranch && ev.ref === `refs/heads/${ev.defaultBranch}`;
}

export async function saveBaseline(prefix: string, ev: EventInfo, text: string, cacheDir: string): Promise<{ saved: boolean; key: string }> {
  const key = saveKey(prefix, ev.ref, ev.sha);
  return { saved: await saveSnapshot(cacheDir, key, text), key };
}
