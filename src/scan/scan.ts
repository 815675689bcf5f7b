// Scans a source tree with a rule plan: lists the files, reads and scans those the rules need (in worker threads
// when the tree is large and the bundled worker is available), and merges the results in path order.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RulePlan } from '../rules/plan.js';
import type { Fact, FileDiagnostic, SkippedFile } from '../rules/types.js';
import { WorkingTree, type SourceTree } from '../source/tree.js';
import { processFile, type PhaseTimings, type Processed } from './process-file.js';
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
}

export interface ScanStats {
  filesListed: number;
  filesRead: number;
  filesParsed: number;
  bytesRead: number;
  parseErrors: number;
  jobs: number;
  /** Time spent in each phase, summed over files (and over threads when several scan). */
  phases: PhaseTimings & { listMs: number; selectMs: number };
}

export interface ScanResult {
  facts: Fact[];
  /** Per file, the conditions every successful build satisfies. */
  constraints: Record<string, string[]>;
  diagnostics: FileDiagnostic[];
  skipped: SkippedFile[];
  stats: ScanStats;
}

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

async function inProcess(tree: SourceTree, plan: RulePlan, files: string[], opts: ScanOptions, timings: PhaseTimings): Promise<Map<string, Processed>> {
  // One file at a time: reads are synchronous into a reused buffer, and parsing is synchronous too.
  const out = new Map<string, Processed>();
  // Files still to read, in order; their contents are asked for READ_AHEAD at a time, ahead of their turn.
  const READ_AHEAD = 64;
  const pending = opts.cache
    ? files.filter((f) => {
        const b = tree.blobOf?.(f);
        return !b || opts.cache!.peek(f, b) === undefined;
      })
    : files;
  let reached = 0;
  let requested = 0;
  for (const file of files) {
    if (pending[reached] === file) {
      if (tree.prefetch && reached + READ_AHEAD / 2 >= requested) {
        tree.prefetch(pending.slice(requested, requested + READ_AHEAD), opts.maxFileBytes);
        requested = Math.min(pending.length, requested + READ_AHEAD);
      }
      reached++;
    }
    const blob = opts.cache ? tree.blobOf?.(file) : undefined;
    const cached = blob ? opts.cache!.get(file, blob) : undefined;
    if (cached !== undefined) {
      out.set(file, { result: cached, bytes: 0 });
    } else {
      const processed = await processFile(tree, plan, file, opts.maxFileBytes, timings);
      // Read failures are not cached: the next run tries again.
      if (blob && !processed.result?.skipped?.reason.startsWith('unreadable')) opts.cache!.set(file, blob, processed.result);
      out.set(file, processed);
    }
    opts.onProgress?.(out.size, files.length);
  }
  return out;
}

async function inWorkers(
  script: string,
  tree: WorkingTree,
  plan: RulePlan,
  files: string[],
  jobs: number,
  opts: ScanOptions,
  timings: PhaseTimings
): Promise<Map<string, Processed>> {
  const out = new Map<string, Processed>();
  const init: WorkerInit = { profile: plan.profile, exclude: opts.exclude ?? [], root: tree.absRoot, maxFileBytes: opts.maxFileBytes };
  // Files that need parsing cluster by folder (a driver's HMM code sits in a few files side by side), so batches are
  // dealt round-robin: neighbouring files go to different batches, and so to different threads.
  const count = Math.max(jobs, Math.ceil(files.length / BATCH));
  const batches: string[][] = Array.from({ length: count }, () => []);
  files.forEach((f, i) => batches[i % count].push(f));
  let nextBatch = 0;
  const workers = Array.from({ length: jobs }, () => new Worker(script, { workerData: init }));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const send = (): void => {
              if (nextBatch >= batches.length) return resolve();
              const id = nextBatch++;
              w.postMessage({ id, files: batches[id] });
            };
            w.on('message', (reply: WorkerReply) => {
              for (const [file, processed] of reply.results) out.set(file, processed);
              addTimings(timings, reply.timings);
              opts.onProgress?.(out.size, files.length);
              send();
            });
            w.on('error', reject);
            w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`scan worker exited with code ${code}`))));
            send();
          })
      )
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}

export async function scanTree(tree: SourceTree, plan: RulePlan, opts: ScanOptions): Promise<ScanResult> {
  const listStarted = performance.now();
  const entries = await tree.list([...plan.excludeGlobs, ...(opts.exclude ?? [])]);
  const phases = { listMs: performance.now() - listStarted, selectMs: 0, readMs: 0, prefilterMs: 0, preprocessMs: 0, parseMs: 0, extractMs: 0 };
  const skipped: SkippedFile[] = [];
  const files: string[] = [];
  const selectStarted = performance.now();
  for (const e of entries) {
    if (plan.usesFor(e.path).length === 0) continue;
    if (e.kind === 'symlink') skipped.push({ file: e.path, reason: 'symlink', detail: 'symbolic links are not followed' });
    else files.push(e.path);
  }
  phases.selectMs = performance.now() - selectStarted;
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const jobs = Math.max(1, opts.jobs ?? (cores > 2 ? Math.min(4, cores) : 1));
  const script = workerScript();
  const useWorkers = jobs > 1 && script !== undefined && tree instanceof WorkingTree && files.length >= MIN_FILES_FOR_WORKERS;
  const processed = useWorkers
    ? await inWorkers(script, tree as WorkingTree, plan, files, jobs, opts, phases)
    : await inProcess(tree, plan, files, opts, phases);

  const result: ScanResult = {
    facts: [],
    constraints: {},
    diagnostics: [],
    skipped,
    stats: { filesListed: entries.length, filesRead: 0, filesParsed: 0, bytesRead: 0, parseErrors: 0, jobs: useWorkers ? jobs : 1, phases }
  };
  for (const file of files) {
    const p = processed.get(file);
    if (!p) continue;
    result.stats.bytesRead += p.bytes;
    if (p.bytes > 0) result.stats.filesRead++;
    const r = p.result;
    if (!r) continue;
    if (r.skipped) result.skipped.push(r.skipped);
    if (r.parsed) result.stats.filesParsed++;
    result.stats.parseErrors += r.parseErrors;
    result.facts.push(...r.facts);
    result.diagnostics.push(...r.diagnostics);
    if (r.constraints.length) result.constraints[file] = r.constraints;
  }
  result.skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return result;
}
