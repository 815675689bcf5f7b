// The bundled action entry (dist/index.js) run as the runner runs it: inputs in INPUT_* variables, the job
// summary and outputs in files.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { lines, makeTree, type TempTree } from './helpers/tree.js';

let tree: TempTree;
beforeAll(() => {
  tree = makeTree({ 'drv/a.c': lines('void f(void) { hmm_range_fault(&r); }'), 'runner/.keep': '' });
});
afterAll(() => tree.remove());

function runAction(inputs: Record<string, string>): { code: number | null; out: string; summary: string; outputs: string } {
  const temp = path.join(tree.root, 'runner');
  const summary = path.join(temp, 'summary.md');
  const outputs = path.join(temp, 'outputs.txt');
  writeFileSync(summary, '');
  writeFileSync(outputs, '');
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', RUNNER_TEMP: temp, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: outputs };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const r = spawnSync(process.execPath, [path.resolve('dist/index.js')], { env, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, summary: readFileSync(summary, 'utf8'), outputs: readFileSync(outputs, 'utf8') };
}

describe('action', () => {
  it('scans, writes the job summary, the snapshot and report files, and sets the outputs', () => {
    const r = runAction({ path: path.join(tree.root, 'drv'), profile: 'linux-hmm-generic' });
    expect(r.code).toBe(0);
    expect(r.summary).toMatch(/## hmm-watch: Linux HMM support \(generic\)/);
    expect(r.summary).toMatch(/\| Mirrors CPU page tables \(calls hmm_range_fault\) \| ✅ enabled \|/);
    const snapshotPath = /snapshot-path<<(\S+)\n(.*)\n/.exec(r.outputs)?.[2];
    expect(snapshotPath).toBe(path.join(tree.root, 'runner', 'hmm-watch-snapshot.json'));
    const snapshot = JSON.parse(readFileSync(snapshotPath!, 'utf8'));
    expect(snapshot.run).toBeUndefined();
    expect(snapshot.facts).toEqual([expect.objectContaining({ file: 'a.c', line: 1, callee: 'hmm_range_fault' })]);
  });

  it('fails the step with a clear message on a bad input', () => {
    const r = runAction({ path: tree.root, 'max-file-size': 'lots' });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/::error::input 'max-file-size' must be a whole number, not 'lots'/);
  });
});
