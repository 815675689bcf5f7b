// Scans a source tree with a rule plan: lists the files, reads and scans those the rules need (in worker threads
// when the tree is large and the bundled worker is available), and merges the results in path order.

import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MacroDefinition } from '../frontend/macro-values.js';
import { warmParser } from '../frontend/parser.js';
import type { RulePlan } from '../rules/plan.js';
import { teddyModule } from '../rules/teddy.js';
import type { Fact, FileDiagnostic, SkippedFile } from '../rules/types.js';
import type { SourceTree, TreeSource } from '../source/tree.js';
import { isBuildFile } from '../units/kbuild.js';
import { type PhaseTimings, type Processed, processFile } from './process-file.js';
import type { ResultCache } from './result-cache.js';
import type { WorkerInit, WorkerReply } from './worker.js';

export interface ScanOptions {
  maxFileBytes: number;
  /**
   * Worker threads; 0 or 1 scans in this thread. Default: with more than two cores, their number (at most 4); on
   * two cores (often one physical core) threads were measured slower than one thread.
   */
  jobs?: number;
  exclude?: string[];
  onProgress?: (done: number, total: number) => void;
  /** Per-file results by content, for trees that know their files' blob ids. */
  cache?: ResultCache;
  /**
   * Tests only: start worker threads from this many files to scan (default MIN_FILES_FOR_WORKERS), with this
   * worker script (default: the bundled worker next to this module, when there is one).
   */
  workers?: { minFiles?: number; script?: string };
}

/** Most threads a scan uses (each holds its own parser: about 15 MB; `--jobs 64` peaked at 1 GB). */
export const MAX_JOBS = 16;

export interface ScanStats {
  filesListed: number;
  filesRead: number;
  filesParsed: number;
  bytesRead: number;
  parseErrors: number;
  /** Parse errors away from every fact and anchor (the parser recovering from macro idioms). */
  ignoredParseErrors: number;
  jobs: number;
  /** Time spent in each phase, summed over files (and over threads when several scan). */
  phases: PhaseTimings & { listMs: number; selectMs: number };
  /** The slowest worker thread's start, from its creation to running (0 without workers). */
  workerStartMs: number;
}

export interface ScanResult {
  facts: Fact[];
  /** Per build file, its assignments and includes (for driver units). */
  kbuild: Map<string, string[]>;
  /** Per file, the conditions every successful build satisfies. */
  constraints: Record<string, string[]>;
  /** Per file, the macros it defines to constants (see frontend/macros.ts). */
  macros: Record<string, MacroDefinition[]>;
  diagnostics: FileDiagnostic[];
  skipped: SkippedFile[];
  stats: ScanStats;
}

/** The default of `max-file-size` (action input, `--max-file-size`): larger files are not read (each is listed as skipped). */
export const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;
const BATCH = 48;
/** Below this many candidate files, starting workers costs more than it saves. */
const MIN_FILES_FOR_WORKERS = 400;

function workerScript(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return [path.join(here, 'worker.js'), path.join(here, '..', 'worker.js')].find((p) => existsSync(p));
}

function addTimings(into: PhaseTimings, from: PhaseTimings): void {
  into.readMs += from.readMs;
  into.prefilterMs += from.prefilterMs;
  into.preprocessMs += from.preprocessMs;
  into.parseMs += from.parseMs;
  into.extractMs += from.extractMs;
}

/** Asks the tree for the contents of `files` a window at a time, ahead of their turn (git objects stream in). */
function readAhead(tree: SourceTree, files: string[], maxFileBytes: number): (index: number) => void {
  const WINDOW = 64;
  let requested = 0;
  return (index) => {
    if (!tree.prefetch || index + WINDOW / 2 < requested) return;
    tree.prefetch(files.slice(requested, requested + WINDOW), maxFileBytes);
    requested = Math.min(files.length, requested + WINDOW);
  };
}

async function inProcess(
  tree: SourceTree,
  plan: RulePlan,
  files: string[],
  opts: ScanOptions,
  timings: PhaseTimings,
  done: () => void
): Promise<Map<string, Processed>> {
  // One file at a time: reads are synchronous into a reused buffer (or stream in from git), parsing is synchronous.
  const out = new Map<string, Processed>();
  const ahead = readAhead(tree, files, opts.maxFileBytes);
  for (const [i, file] of files.entries()) {
    ahead(i);
    out.set(file, await processFile(tree, plan, file, opts.maxFileBytes, timings));
    done();
  }
  return out;
}

/**
 * Scans in this thread and `jobs - 1` worker threads at once. Batches are dealt round-robin (the files that need
 * parsing cluster by folder, so neighbours go to different batches); each worker keeps two batches queued so it
 * never waits while this thread, whose reads and parses are synchronous, works through a batch of its own.
 */
async function inThreads(
  script: string,
  tree: SourceTree,
  source: TreeSource,
  plan: RulePlan,
  files: string[],
  jobs: number,
  opts: ScanOptions,
  timings: PhaseTimings,
  done: () => void,
  started: { workerStartMs: number }
): Promise<Map<string, Processed>> {
  const out = new Map<string, Processed>();
  const init: WorkerInit = { profile: plan.profile, exclude: opts.exclude ?? [], source, maxFileBytes: opts.maxFileBytes, teddy: teddyModule() };
  const count = Math.max(jobs, Math.ceil(files.length / BATCH));
  const batches: string[][] = Array.from({ length: count }, () => []);
  files.forEach((f, i) => batches[i % count].push(f));
  let next = 0;
  const created = performance.now();
  const workers = Array.from({ length: jobs - 1 }, () => {
    const w = new Worker(script, { workerData: init });
    w.once('online', () => {
      started.workerStartMs = Math.max(started.workerStartMs, performance.now() - created);
    });
    return w;
  });
  try {
    const workersDone = workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          let inFlight = 0;
          const send = (): void => {
            while (inFlight < 2 && next < batches.length) {
              const id = next++;
              inFlight++;
              w.postMessage({ id, files: batches[id] });
            }
            if (inFlight === 0) resolve();
          };
          w.on('message', (reply: WorkerReply) => {
            inFlight--;
            for (const [file, processed] of reply.results) {
              out.set(file, processed);
              done();
            }
            addTimings(timings, reply.timings);
            send();
          });
          w.on('error', reject);
          w.on('exit', (code) => (inFlight === 0 ? resolve() : reject(new Error(`scan worker exited with code ${code}`))));
          send();
        })
    );
    // This thread takes batches from the same queue, yielding between them so that replies are handled.
    while (next < batches.length) {
      const batch = batches[next++];
      const ahead = readAhead(tree, batch, opts.maxFileBytes);
      for (const [i, file] of batch.entries()) {
        ahead(i);
        out.set(file, await processFile(tree, plan, file, opts.maxFileBytes, timings));
        done();
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(workersDone);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}

export async function scanTree(tree: SourceTree, plan: RulePlan, opts: ScanOptions): Promise<ScanResult> {
  const warming = plan.readsSyntaxTrees ? warmParser() : undefined;
  const listStarted = performance.now();
  const entries = await tree.list([...plan.excludeGlobs, ...(opts.exclude ?? [])]);
  const phases = { listMs: performance.now() - listStarted, selectMs: 0, readMs: 0, prefilterMs: 0, preprocessMs: 0, parseMs: 0, extractMs: 0 };
  const skipped: SkippedFile[] = [];
  const files: string[] = [];
  const selectStarted = performance.now();
  for (const e of entries) {
    // A folder left out may hold files any rule reads: always said. A file is said only when a rule reads it.
    if (e.kind === 'skipped' && e.folder) skipped.push({ file: e.path, reason: e.reason, detail: e.detail });
    else if (plan.usesFor(e.path).length === 0) {
      // Build files are read for driver units even when no rule reads them (nothing to report when they cannot be).
      if (e.kind === 'file' && isBuildFile(e.path) && !plan.isExcluded(e.path)) files.push(e.path);
    } else if (e.kind === 'skipped') skipped.push({ file: e.path, reason: e.reason, detail: e.detail });
    else if (e.kind === 'symlink') skipped.push({ file: e.path, reason: 'symlink', detail: 'symbolic links are not followed' });
    else files.push(e.path);
  }
  phases.selectMs = performance.now() - selectStarted;
  // Results known by content are taken from the cache; only the other files are read and scanned.
  const processed = new Map<string, Processed>();
  const toScan: string[] = [];
  for (const file of files) {
    const blob = opts.cache ? tree.blobOf?.(file) : undefined;
    const hit = blob ? opts.cache!.get(file, blob, (h) => (plan.isExcluded(h) ? '' : (tree.blobOf?.(h) ?? ''))) : undefined;
    if (hit !== undefined) processed.set(file, { result: hit, bytes: 0 });
    else toScan.push(file);
  }
  let scanned = 0;
  const cachedCount = processed.size;
  const done = (): void => opts.onProgress?.(cachedCount + ++scanned, files.length);

  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const jobs = Math.min(MAX_JOBS, Math.max(1, opts.jobs ?? (cores > 2 ? Math.min(4, cores) : 1)));
  const script = opts.workers?.script ?? workerScript();
  const source = tree.source?.();
  const useWorkers = jobs > 1 && script !== undefined && source !== undefined && toScan.length >= (opts.workers?.minFiles ?? MIN_FILES_FOR_WORKERS);
  const started = { workerStartMs: 0 };
  const fresh = useWorkers
    ? await inThreads(script, tree, source, plan, toScan, jobs, opts, phases, done, started)
    : await inProcess(tree, plan, toScan, opts, phases, done);
  for (const [file, p] of fresh) {
    processed.set(file, p);
    const blob = opts.cache ? tree.blobOf?.(file) : undefined;
    // Read failures are not cached: the next run tries again.
    if (blob && p.result?.skipped?.reason !== 'unreadable') opts.cache!.set(file, blob, p.result);
  }

  const result: ScanResult = {
    facts: [],
    kbuild: new Map(),
    constraints: {},
    macros: {},
    diagnostics: [],
    skipped,
    stats: {
      filesListed: entries.length,
      filesRead: 0,
      filesParsed: 0,
      bytesRead: 0,
      parseErrors: 0,
      ignoredParseErrors: 0,
      jobs: useWorkers ? jobs : 1,
      phases,
      workerStartMs: started.workerStartMs
    }
  };
  for (const file of files) {
    const p = processed.get(file);
    if (!p) continue;
    result.stats.bytesRead += p.bytes;
    if (p.bytes > 0) result.stats.filesRead++;
    const r = p.result;
    if (!r) continue;
    if (r.skipped) result.skipped.push(r.skipped);
    if (r.kbuild) result.kbuild.set(file, r.kbuild);
    if (r.parsed) result.stats.filesParsed++;
    result.stats.parseErrors += r.parseErrors;
    result.stats.ignoredParseErrors += r.ignoredParseErrors ?? 0;
    result.facts.push(...r.facts);
    result.diagnostics.push(...r.diagnostics);
    if (r.constraints.length) result.constraints[file] = r.constraints;
    if (r.macros?.length) result.macros[file] = r.macros;
  }
  mapPositions(
    result,
    files.map((f) => processed.get(f)?.result?.layouts)
  );
  result.skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  await warming;
  return result;
}

/**
 * Gives positional initializers their member names from the struct definitions the tree holds (the first in path
 * order for each type); where the tree has none, the member stays `?` and a diagnostic says so at the table.
 */
function mapPositions(result: ScanResult, layoutsOfFiles: Array<Record<string, string[]> | undefined>): void {
  const layouts = new Map<string, string[]>();
  for (const l of layoutsOfFiles) for (const [type, names] of Object.entries(l ?? {})) if (!layouts.has(type)) layouts.set(type, names);
  const unmapped = new Set<string>();
  result.facts = result.facts.map((f) => {
    if (f.kind !== 'ops-member' || f.member !== '?' || f.position === undefined) return f;
    const name = layouts.get(f.type)?.[f.position - 1];
    if (name) return { ...f, member: name };
    const key = `${f.file}\u0000${f.table}`;
    if (!unmapped.has(key)) {
      unmapped.add(key);
      const why = layouts.has(f.type) ? `struct ${f.type} has fewer members than position ${f.position}` : `the tree has no definition of struct ${f.type}`;
      result.diagnostics.push({
        file: f.file,
        kind: 'positional',
        message: `line ${f.line}: ${f.table} is initialised by position and ${why}; its members are unknown`
      });
    }
    return f;
  });
}
