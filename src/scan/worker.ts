// Worker thread entry: scans the batches of files the main thread sends, with its own parser instance.
import { parentPort, workerData } from 'node:worker_threads';
import { warmParser } from '../frontend/parser.js';
import { RulePlan } from '../rules/plan.js';
import { loadTeddy } from '../rules/teddy.js';
import type { Profile } from '../rules/types.js';
import { GitTree } from '../source/git-tree.js';
import { type SourceTree, type TreeSource, WorkingTree } from '../source/tree.js';
import { type PhaseTimings, type Processed, processFile } from './process-file.js';

export interface WorkerInit {
  profile: Profile;
  exclude: string[];
  source: TreeSource;
  maxFileBytes: number;
  /** The prefilter's compiled WebAssembly (rules/teddy.ts), when the main thread has it. */
  teddy?: object;
}
export interface WorkerRequest {
  id: number;
  files: string[];
}
export interface WorkerReply {
  id: number;
  results: Array<[string, Processed]>;
  timings: PhaseTimings;
}

const init = workerData as WorkerInit;
const plan = new RulePlan(init.profile, init.exclude);
loadTeddy(init.teddy ?? null);
if (plan.readsSyntaxTrees) void warmParser();
let opened: Promise<SourceTree> | undefined;

/** The same tree as the main thread's: a working tree, or the commit's files from git (one cat-file process here). */
function tree(): Promise<SourceTree> {
  opened ??= (async () => {
    const s = init.source;
    if (s.kind === 'working') return new WorkingTree(s.root);
    const t = await GitTree.open(s.repo, s.commit, s.subdir, s.root);
    await t.list(init.exclude);
    return t;
  })();
  return opened;
}

// Batches are handled strictly one after another: the main thread keeps two queued here, and the tree's reads
// share one buffer (a working tree) that an interleaved batch would overwrite.
let queue: Promise<void> = Promise.resolve();

parentPort?.on('message', (req: WorkerRequest) => {
  queue = queue.then(async () => {
    const t = await tree();
    t.prefetch?.(req.files, init.maxFileBytes);
    const results: Array<[string, Processed]> = [];
    const timings: PhaseTimings = { readMs: 0, prefilterMs: 0, preprocessMs: 0, parseMs: 0, extractMs: 0 };
    for (const file of req.files) results.push([file, await processFile(t, plan, file, init.maxFileBytes, timings)]);
    parentPort!.postMessage({ id: req.id, results, timings } satisfies WorkerReply);
  });
});
