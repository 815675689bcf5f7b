// Release history: every matching tag scanned from git objects (per-file results cached by content, so a file
// that did not change between two releases is not read again), and for each capability and each fact the first
// and last release where it held (by ancestry: parents before children) and each transition along the edges
// tag -> previous release. A capability transition is a change of its status or of its cause (the case that
// decided it), and carries the facts that decided it before and after.

import path from 'node:path';
import { capabilityDirection, compareSnapshots, factIdentity } from '../compare/compare.js';
import type { CapabilityResult } from '../rules/capabilities.js';
import { describeFact } from '../rules/describe.js';
import { loadProfile } from '../rules/profile.js';
import type { Fact } from '../rules/types.js';
import { ResultCache } from '../scan/result-cache.js';
import { runScan } from '../scan/run.js';
import { type Snapshot, serializeSnapshot } from '../snapshot/snapshot.js';
import { isMultiUnit } from '../units/units.js';
import { RESULTS_VERSION, VERSION } from '../version.js';
import { HeapBound } from './heap.js';
import { SnapshotStore } from './snapshot-store.js';
import { ancestryOrder, type ReleaseTag, releaseTags } from './tags.js';

export const HISTORY_SCHEMA = 'hmm-watch/history';

export interface HistoryOptions {
  profile: string;
  glob?: string;
  /** Only tags whose commit is not older than this tag's. */
  from?: string;
  /** Only tags whose commit is not newer than this tag's. */
  to?: string;
  /** Folder of the per-file result cache (kept across runs). */
  cacheDir?: string;
  maxFileBytes?: number;
  exclude?: string[];
  onProgress?: (done: number, total: number, tag: string) => void;
  /** Scan only the tags at positions index, index + count, … (a matrix job's share); others only from the cache. */
  shard?: { index: number; count: number };
  /** What the report calls the repository (owner/name); default the folder's name, never its absolute path. */
  name?: string;
}

export interface Transition {
  tag: string;
  parent: string;
  /** The release line of `tag` (`550`), not a source line (facts' and evidence's `line` are source lines). */
  line: string;
}

/** Why a capability had its status in a release: the profile's reason and the facts that decided it. */
export interface Cause {
  because: string;
  /** The release's commit (links to the exact lines). */
  commit: string;
  evidence: Array<{ file: string; line: number; summary: string }>;
}

export interface CapabilityTransition extends Transition {
  from: string;
  to: string;
  /** `cause`: the status stayed, the reason for it changed. */
  direction: 'regressed' | 'improved' | 'changed' | 'cause';
  /** The release's commit, and the first evidence of the new state in it (for links to the exact lines). */
  commit: string;
  evidence?: { file: string; line: number; summary: string };
  before?: Cause;
  after?: Cause;
}

export interface CapabilityHistory {
  id: string;
  title: string;
  /** Per line, the newest release's status and the release since which it has held along that line. */
  lines: Array<{ line: string; latest: string; status: string; since: string }>;
  /** Per status, the first and last release (by ancestry) that had it. */
  periods: Array<{ status: string; first: string; last: string; releases: number }>;
  transitions: CapabilityTransition[];
}

export interface FactHistory {
  rule: string;
  kind: Fact['kind'];
  file: string;
  summary: string;
  condition: string;
  first: string;
  last: string;
  releases: number;
  transitions: Array<Transition & { change: 'added' | 'removed' | 'changed' | 'condition' }>;
}

/** A driver unit's change between a release and the one it was made from (trees with several units only). */
export interface UnitTransition extends Transition {
  unit: string;
  /** The capability that changed; absent when the unit itself came or went. */
  capability?: string;
  from: string;
  to: string;
  direction: 'regressed' | 'improved' | 'changed';
}

export interface History {
  schema: typeof HISTORY_SCHEMA;
  schemaVersion: 1;
  tool: { name: 'hmm-watch'; version: string };
  profile: { id: string; version: number; title: string; hash: string };
  repository: string;
  glob: string;
  tags: ReleaseTag[];
  capabilities: CapabilityHistory[];
  facts: FactHistory[];
  /** Per-unit changes, in release order, when some release has more than one driver unit. */
  units?: UnitTransition[];
  notes: string[];
  run?: { totalMs: number; tags: number; tagsScanned: number; cacheHits: number; cacheMisses: number; filesRead: number; cacheIgnored?: string };
}

export class HistoryError extends Error {
  override name = 'HistoryError';
}

/** A capability's state as one comparable text: `enabled`, `conditional (enabled when X)`. */
export function statusOf(c: CapabilityResult | undefined): string {
  if (!c) return 'absent from profile';
  return c.status === 'conditional' ? `conditional (${c.conditionalStatus} when ${c.condition})` : c.status;
}

/** The direction of a status change, as a comparison of two snapshots classifies it. */
function direction(a: CapabilityResult | undefined, b: CapabilityResult | undefined): CapabilityTransition['direction'] {
  const d = capabilityDirection(a, b);
  return d === 'unchanged' ? 'changed' : d; // only asked when the status text changed
}

/** At most this many facts of a cause are kept (the capability's evidence is capped already). */
const CAUSE_FACTS = 3;

/** A reason without its counts: "14 open markers" and "21 open markers" are the same cause. */
function reason(because: string): string {
  return because.replace(/\b\d+\b/g, 'N');
}

function causeOf(c: CapabilityResult | undefined, commit: string | undefined): Cause | undefined {
  if (!c || !commit) return undefined;
  return { because: c.because, commit, evidence: c.evidence.slice(0, CAUSE_FACTS).map((e) => ({ file: e.file, line: e.line, summary: e.summary })) };
}

function selectRange(tags: ReleaseTag[], from?: string, to?: string): ReleaseTag[] {
  const dateOf = (name: string): string => {
    const t = tags.find((x) => x.tag === name);
    if (!t) throw new HistoryError(`tag '${name}' is not among the matching tags`);
    return t.date;
  };
  const lo = from ? dateOf(from) : '';
  const hi = to ? dateOf(to) : '\uffff';
  return tags.filter((t) => t.date >= lo && t.date <= hi);
}

export async function buildHistory(repo: string, opts: HistoryOptions): Promise<History> {
  const started = performance.now();
  const glob = opts.glob ?? '*';
  const loaded = await loadProfile(opts.profile);
  const graph = await releaseTags(repo, glob, opts.cacheDir);
  const tags = selectRange(graph.tags, opts.from, opts.to);
  if (tags.length === 0) throw new HistoryError(`no tag of ${repo} matches '${glob}'${opts.from || opts.to ? ' in the range' : ''}`);
  // Per-file results are loaded when a release has to be scanned (a run that finds every release stored needs none).
  let cache: ResultCache | undefined;
  const results = async (): Promise<ResultCache | undefined> => {
    if (opts.cacheDir) cache ??= await ResultCache.load(opts.cacheDir, loaded.hash, RESULTS_VERSION);
    return cache;
  };
  // Snapshots are stored by commit only when the scan is not narrowed (exclude or size options change the result).
  const store =
    opts.cacheDir && !opts.exclude?.length && opts.maxFileBytes === undefined ? new SnapshotStore(opts.cacheDir, loaded.hash, RESULTS_VERSION) : undefined;

  const snapshots = new Map<string, Snapshot>();
  const heap = new HeapBound();
  let filesRead = 0;
  const shardNotes: string[] = [];
  for (const [i, t] of tags.entries()) {
    let snapshot = await store?.get(t.commit);
    if (!snapshot && opts.shard && i % opts.shard.count !== opts.shard.index) continue;
    if (!snapshot) {
      snapshot = (
        await runScan(repo, {
          profile: opts.profile,
          loaded,
          ref: `refs/tags/${t.tag}`,
          cache: await results(),
          maxFileBytes: opts.maxFileBytes,
          exclude: opts.exclude,
          timings: true,
          manyTrees: true,
          onProgress: () => heap.check()
        })
      ).snapshot;
      filesRead += snapshot.run?.filesRead ?? 0;
      delete snapshot.run;
      const text = serializeSnapshot(snapshot);
      store?.set(t.commit, text);
      // Kept as read back: the scan's strings are slices of whole source files and of the tree listing, which
      // would otherwise stay in memory for the rest of the run (a megabyte per release).
      snapshot = JSON.parse(text) as Snapshot;
    }
    snapshots.set(t.tag, snapshot);
    opts.onProgress?.(i + 1, tags.length, t.tag);
  }
  cache?.save();
  if (opts.shard) {
    const missing = tags.filter((t) => !snapshots.has(t.tag)).length;
    shardNotes.push(
      `shard ${opts.shard.index + 1} of ${opts.shard.count}: ${snapshots.size} of ${tags.length} releases here${missing ? `; ${missing} are scanned by the other shards (merge their caches for the whole history)` : ''}`
    );
    tags.splice(0, tags.length, ...tags.filter((t) => snapshots.has(t.tag)));
  }

  const inRange = new Set(tags.map((t) => t.tag));
  const edges = tags.filter((t) => t.parent && inRange.has(t.parent));
  const byAncestry = ancestryOrder(tags);
  const commitOf = new Map(tags.map((t) => [t.tag, t.commit]));

  // The newest release of each line (by date: the one people install now).
  const byDate = [...tags].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const latestOfLine = (line: string): ReleaseTag => byDate.filter((t) => t.line === line).at(-1)!;

  // Capabilities
  const capIds = [...new Set(tags.flatMap((t) => snapshots.get(t.tag)!.capabilities.map((c) => c.id)))];
  const capabilities: CapabilityHistory[] = capIds.map((id) => {
    const at = (tag: string): CapabilityResult | undefined => snapshots.get(tag)!.capabilities.find((c) => c.id === id);
    const title =
      tags
        .map((t) => at(t.tag)?.title)
        .filter(Boolean)
        .at(-1) ?? id;
    const transitions: CapabilityTransition[] = [];
    for (const t of edges) {
      const a = at(t.parent!);
      const b = at(t.tag);
      const statusChanged = statusOf(a) !== statusOf(b);
      if (statusChanged || (a && b && reason(a.because) !== reason(b.because))) {
        const e = b?.evidence[0] ?? a?.evidence[0];
        const before = causeOf(a, commitOf.get(t.parent!));
        const after = causeOf(b, t.commit);
        transitions.push({
          tag: t.tag,
          parent: t.parent!,
          line: t.line,
          from: statusOf(a),
          to: statusOf(b),
          direction: statusChanged ? direction(a, b) : 'cause',
          commit: b?.evidence[0] ? t.commit : (commitOf.get(t.parent!) ?? t.commit),
          ...(e ? { evidence: { file: e.file, line: e.line, summary: e.summary } } : {}),
          ...(before ? { before } : {}),
          ...(after ? { after } : {})
        });
      }
    }
    const periods = new Map<string, { status: string; first: string; last: string; releases: number }>();
    for (const t of byAncestry) {
      const s = statusOf(at(t.tag));
      const p = periods.get(s);
      if (p) {
        p.last = t.tag;
        p.releases++;
      } else periods.set(s, { status: s, first: t.tag, last: t.tag, releases: 1 });
    }
    const lines = [...new Set(tags.map((t) => t.line))].map((line) => {
      const latest = latestOfLine(line);
      const status = statusOf(at(latest.tag));
      // Walk back along previous releases while the status was the same.
      let since = latest;
      for (let p = latest.parent; p && inRange.has(p) && statusOf(at(p)) === status; ) {
        since = tags.find((x) => x.tag === p)!;
        p = since.parent;
      }
      return { line, latest: latest.tag, status, since: since.tag };
    });
    return { id, title, lines, periods: [...periods.values()], transitions };
  });

  // Facts
  const factMap = new Map<string, FactHistory>();
  for (const t of byAncestry) {
    for (const f of snapshots.get(t.tag)!.facts) {
      const key = factIdentity(f);
      const h = factMap.get(key);
      if (h) {
        h.last = t.tag;
        h.releases++;
        h.summary = describeFact(f);
      } else {
        factMap.set(key, {
          rule: f.rule,
          kind: f.kind,
          file: f.file,
          summary: describeFact(f),
          condition: f.condition,
          first: t.tag,
          last: t.tag,
          releases: 1,
          transitions: []
        });
      }
    }
  }
  const multiUnit = tags.some((t) => isMultiUnit(snapshots.get(t.tag)!));
  const units: UnitTransition[] = [];
  for (const t of edges) {
    const diff = compareSnapshots(snapshots.get(t.parent!)!, snapshots.get(t.tag)!);
    const at = { tag: t.tag, parent: t.parent!, line: t.line };
    for (const u of multiUnit ? diff.units : []) {
      if (u.change !== 'kept')
        units.push({ ...at, unit: u.id, from: u.change === 'added' ? 'none' : 'present', to: u.change === 'added' ? 'present' : 'none', direction: 'changed' });
      else
        for (const c of u.capabilities)
          units.push({
            ...at,
            unit: u.id,
            capability: c.id,
            from: statusOf(c.before),
            to: statusOf(c.after),
            direction: c.direction === 'unchanged' ? 'changed' : c.direction
          });
    }
    for (const c of diff.facts) {
      if (c.change === 'moved') continue;
      // A re-conditioned fact is two records (the condition is part of its identity): both get the transition.
      const keys = new Set([c.before, c.after].filter((f): f is Fact => f !== undefined).map((f) => factIdentity(f)));
      for (const k of keys) factMap.get(k)?.transitions.push({ tag: t.tag, parent: t.parent!, line: t.line, change: c.change });
    }
  }
  const facts = [...factMap.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.summary < b.summary ? -1 : a.summary > b.summary ? 1 : 0));

  return {
    schema: HISTORY_SCHEMA,
    schemaVersion: 1,
    tool: { name: 'hmm-watch', version: VERSION },
    profile: { id: loaded.profile.id, version: loaded.profile.version, title: loaded.profile.title, hash: loaded.hash },
    repository: opts.name ?? path.basename(path.resolve(repo)),
    glob,
    tags,
    capabilities,
    facts,
    ...(multiUnit ? { units } : {}),
    notes: [...graph.notes, ...shardNotes],
    run: {
      totalMs: Math.round(performance.now() - started),
      tags: tags.length,
      tagsScanned: tags.length - (store?.hits ?? 0),
      cacheHits: cache?.hits ?? 0,
      cacheMisses: cache?.misses ?? 0,
      filesRead,
      ...(cache?.ignored ? { cacheIgnored: cache.ignored } : {})
    }
  };
}
