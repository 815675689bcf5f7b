// Scans a tree with a profile and builds the snapshot: the one entry the CLI and the action share.
import { statSync } from 'node:fs';
import { baselineParserOnly, parserLoadTimes } from '../frontend/parser.js';
import { type ConfigurationSpec, evaluateConfigurations, type ProbeScript } from '../platform/configuration.js';
import { RulePlan } from '../rules/plan.js';
import { type LoadedProfile, loadProfile } from '../rules/profile.js';
import { loadTeddy } from '../rules/teddy.js';
import { buildSnapshot, type Snapshot } from '../snapshot/snapshot.js';
import { GitError } from '../source/git.js';
import { GitTree } from '../source/git-tree.js';
import { type SourceTree, WorkingTree } from '../source/tree.js';
import type { ResultCache } from './result-cache.js';
import { DEFAULT_MAX_FILE_BYTES, type ScanOptions, scanTree } from './scan.js';

export class TreeError extends Error {}

export interface RunScanOptions {
  profile: string;
  /** A profile loaded already (history scans many trees with one). */
  loaded?: LoadedProfile;
  /** Scan this git ref of the repository at the root, without a checkout. */
  ref?: string;
  /** With `ref`: scan this folder of the repository (the root is then the repository's top folder). */
  subdir?: string;
  /** With `ref`: the root recorded in the snapshot (default: the root). */
  displayRoot?: string;
  /** Per-file results by content (used for git refs). */
  cache?: ResultCache;
  maxFileBytes?: number;
  jobs?: number;
  exclude?: string[];
  /** Record timings and peak memory in the snapshot's `run` section (makes the bytes differ run to run). */
  timings?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Evaluate every capability in each of these configurations too (snapshot.configurations). */
  configurations?: ConfigurationSpec[];
  /**
   * This process scans many trees (history): the parser keeps V8's optimising compiler. Otherwise the parser is
   * compiled by the baseline compiler only (see baselineParserOnly).
   */
  manyTrees?: boolean;
  /** Tests only: when worker threads start (see ScanOptions). */
  workers?: ScanOptions['workers'];
}

/** The first of the profile's probe scripts the tree has (conftest.sh), read whole. */
async function probeScripts(tree: SourceTree, paths: string[]): Promise<ProbeScript[]> {
  for (const file of paths) {
    const r = await tree.read(file, DEFAULT_MAX_FILE_BYTES);
    if ('bytes' in r) return [{ file, text: r.bytes.toString('utf8') }];
  }
  return [];
}

/**
 * What a scan pays whatever the tree's size, in this thread (milliseconds): Node's own start (to its bootstrap's
 * end); then up to the scan (loading and compiling the bundle, reading the arguments); the parser's WebAssembly load
 * (from its start to the parser being ready: it compiles beside the scan, so this includes time this thread spent on
 * files) and the part of it the first parse waited for; the slowest worker thread's start; building the snapshot.
 */
function fixedCosts(started: number, workerStartMs: number, snapshotMs: number): Record<string, number> {
  const parser = parserLoadTimes();
  const nodeStartMs = Math.min(started, Math.max(0, performance.nodeTiming.bootstrapComplete));
  const out: Record<string, number> = { nodeStartMs, loadMs: started - nodeStartMs };
  if (parser.loadMs !== undefined) Object.assign(out, { parserLoadMs: parser.loadMs, parserWaitMs: parser.waitedMs });
  Object.assign(out, { workerStartMs, snapshotMs });
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Math.round(v)]));
}

export async function runScan(root: string, opts: RunScanOptions): Promise<{ snapshot: Snapshot; loaded: LoadedProfile }> {
  const started = performance.now();
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    /* reported below */
  }
  if (!isDir) throw new TreeError(`tree '${root}' does not exist or is not a directory`);
  // The prefilter's WebAssembly first: it is compiled for speed, the parser's (when one tree is scanned) for start-up.
  loadTeddy();
  if (!opts.manyTrees) baselineParserOnly();
  const loaded = opts.loaded ?? (await loadProfile(opts.profile));
  const profileMs = performance.now() - started;
  const plan = new RulePlan(loaded.profile, opts.exclude ?? []);
  let tree: SourceTree;
  try {
    tree = opts.ref ? await GitTree.open(root, opts.ref, opts.subdir, opts.displayRoot ?? root) : new WorkingTree(root);
  } catch (e) {
    throw e instanceof GitError ? new TreeError(e.message) : e;
  }
  const scanStarted = performance.now();
  let scan, meta;
  const scripts: ProbeScript[] = [];
  try {
    [scan, meta] = await Promise.all([
      scanTree(tree, plan, {
        maxFileBytes: opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
        jobs: opts.jobs,
        exclude: opts.exclude,
        onProgress: opts.onProgress,
        cache: opts.cache,
        workers: opts.workers
      }),
      tree.meta()
    ]);
    if (opts.configurations?.length) scripts.push(...(await probeScripts(tree, loaded.profile.platform?.['probe-scripts'] ?? [])));
  } finally {
    tree.close?.();
  }
  const scanMs = performance.now() - scanStarted;
  const snapshotStarted = performance.now();
  const snapshot = buildSnapshot(loaded, meta, scan);
  const snapshotMs = performance.now() - snapshotStarted;
  if (opts.configurations?.length) snapshot.configurations = evaluateConfigurations(snapshot, loaded.profile, opts.configurations, scripts, scan.kbuild);
  if (opts.timings) {
    snapshot.run = {
      totalMs: Math.round(performance.now() - started),
      profileMs: Math.round(profileMs),
      scanMs: Math.round(scanMs),
      phases: Object.fromEntries(Object.entries(scan.stats.phases).map(([k, v]) => [k, Math.round(v)])),
      fixed: fixedCosts(started, scan.stats.workerStartMs, snapshotMs),
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      jobs: scan.stats.jobs,
      filesListed: scan.stats.filesListed,
      filesRead: scan.stats.filesRead,
      filesParsed: scan.stats.filesParsed,
      bytesRead: scan.stats.bytesRead
    };
  }
  return { snapshot, loaded };
}
