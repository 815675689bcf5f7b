// Property: whatever is done to a driver file (characters and lines inserted, deleted or duplicated, directives
// thrown in, line endings changed, continuations, unbalanced braces, quotes and comment openers), the scan ends,
// no file's scan throws, and the snapshot is the same bytes from run to run and with worker threads or without.
// Reproduce a failure with the seed and path fast-check prints: FC_SEED=<seed> FC_PATH=<path>; FC_RUNS=<n> runs
// more cases than the 10 of the test suite.

import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type LoadedProfile, loadProfile } from '../src/rules/profile.js';
import { runScan } from '../src/scan/run.js';
import { serializeSnapshot } from '../src/snapshot/snapshot.js';
import { makeTree, type TempTree } from './helpers/tree.js';

const EXAMPLE = path.resolve('examples/nvidia-like-driver');
const DRIVER = 'kernel-open/nvidia-uvm';
const BASES = ['uvm_hmm.c', 'uvm_pmm_gpu.c', 'uvm_va_space_mm.c'].map((f) => readFileSync(path.join(EXAMPLE, DRIVER, f), 'utf8'));
/** The bundled worker (npm test builds dist/ first): worker threads cannot load the TypeScript sources. */
const WORKER = path.resolve('dist/worker.js');
const FILES_PER_RUN = 6;

const PIECES = [
  '#if X\n',
  '#ifdef CONFIG_HMM\n',
  '#ifndef G\n',
  '#elif defined(A) && !B\n',
  '#else\n',
  '#endif\n',
  '#if (((\n',
  '#define M(x) \\\n',
  '#error no\n',
  '\\\n',
  '\\\r\n',
  '\\',
  '\r',
  '\r\n',
  '\n',
  '{',
  '}',
  '(',
  ')',
  ';',
  '"',
  "'",
  '/*',
  '*/',
  '//',
  '#',
  'migrate_vma_setup(',
  'hmm_range_fault(&r);',
  'uvm_disable_hmm',
  '.migrate_to_ram = f,',
  'struct dev_pagemap_ops',
  '// TODO: Bug 7: HMM\n'
];

type Op =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicate-line' | 'delete-line'; line: number }
  | { op: 'line-endings'; eol: '\n' | '\r\n' | '\r' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...PIECES) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 6, unit: 'binary' }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('duplicate-line' as const, 'delete-line' as const), line: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('line-endings' as const), eol: fc.constantFrom('\n' as const, '\r\n' as const, '\r' as const) }) }
);

function mutate(text: string, ops: Op[]): string {
  let t = text;
  for (const o of ops) {
    if (o.op === 'insert') {
      const at = o.at % (t.length + 1);
      t = t.slice(0, at) + o.text + t.slice(at);
    } else if (o.op === 'delete') {
      const at = o.at % (t.length + 1);
      t = t.slice(0, at) + t.slice(at + o.length);
    } else if (o.op === 'line-endings') {
      t = t.replace(/\r\n|\r|\n/g, o.eol);
    } else {
      const ls = t.split('\n');
      const i = o.line % ls.length;
      ls.splice(i, o.op === 'delete-line' ? 1 : 0, ...(o.op === 'duplicate-line' ? [ls[i]] : []));
      t = ls.join('\n');
    }
  }
  return t;
}

/** One mutated copy of a base file per slot. */
const mutants = fc.array(fc.record({ base: fc.nat({ max: BASES.length - 1 }), ops: fc.array(op, { minLength: 1, maxLength: 12 }) }), {
  minLength: FILES_PER_RUN,
  maxLength: FILES_PER_RUN
});

let tree: TempTree;
let loaded: LoadedProfile;
beforeAll(async () => {
  tree = makeTree({});
  cpSync(EXAMPLE, tree.root, { recursive: true });
  loaded = await loadProfile('nvidia-uvm-hmm');
});
afterAll(() => tree.remove());

describe('scanning mutated driver files', () => {
  it('ends, never throws, and gives the same bytes twice and with worker threads', async () => {
    expect(existsSync(WORKER)).toBe(true);
    const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
    await fc.assert(
      fc.asyncProperty(mutants, async (ms) => {
        const names = ms.map((_, i) => path.join(tree.root, DRIVER, `mutant_${i}.c`));
        for (const [i, m] of ms.entries()) writeFileSync(names[i], mutate(BASES[m.base], m.ops));
        try {
          const scan = async (jobs: number) => {
            const { snapshot } = await runScan(tree.root, { profile: 'nvidia-uvm-hmm', loaded, jobs, timings: true, workers: { minFiles: 1, script: WORKER } });
            const threads = snapshot.run!.jobs;
            delete snapshot.run;
            return { bytes: serializeSnapshot(snapshot), threads, failed: snapshot.diagnostics.files.filter((d) => /scan failed/.test(d.message)) };
          };
          const one = await scan(1);
          const again = await scan(1);
          const threaded = await scan(3);
          expect(one.failed).toEqual([]);
          expect(threaded.threads).toBe(3);
          expect(again.bytes).toBe(one.bytes);
          expect(threaded.bytes).toBe(one.bytes);
        } finally {
          for (const n of names) rmSync(n, { force: true });
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 10), seed, path: process.env.FC_PATH, endOnFailure: true }
    );
  }, 120_000);
});
