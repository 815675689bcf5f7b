import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import {
  RulePlan,
  WorkingTree,
  processFile
} from "./chunks/chunk-B3ODJWAI.js";
import "./chunks/chunk-BEKCVRG5.js";

// src/scan/worker.ts
import { parentPort, workerData } from "node:worker_threads";
var init = workerData;
var plan = new RulePlan(init.profile, init.exclude);
var tree = new WorkingTree(init.root);
parentPort?.on("message", (req) => {
  void (async () => {
    const results = [];
    const timings = { readMs: 0, prefilterMs: 0, preprocessMs: 0, parseMs: 0, extractMs: 0 };
    for (const file of req.files) results.push([file, await processFile(tree, plan, file, init.maxFileBytes, timings)]);
    parentPort.postMessage({ id: req.id, results, timings });
  })();
});
