// Worker thread entry: scans the batches of files the main thread sends, with its own parser instance.
import { parentPort, workerData } from 'node:worker_threads';
import { RulePlan } from '../rules/plan.js';
import type { Profile } from '../rules/types.js';
import { WorkingTree } from '../source/tree.js';
import { processFile, type PhaseTimings, type Processed } from './process-file.js';

export interface WorkerInit {
  profile: Profile;
  exclude: string[];
  root: string;
  maxFileBytes: number;
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
const tree = new WorkingTree(init.root);

parentPort?.on('message', (req: WorkerRequest) => {
  void (async () => {
    const results: Array<[string, Processed]> = [];
    const timings: PhaseTimings = { readMs: 0, prefilterMs: 0, preprocessMs: 0, parseMs: 0, extractMs: 0 };
    for (const file of req.files) results.push([file, await processFile(tree, plan, file, init.maxFileBytes, timings)]);
    parentPort!.postMessage({ id: req.id, results, timings } satisfies WorkerReply);
  })();
});
