// Reads one file of a source tree and scans it: shared by the in-process scan and the worker threads.
import type { RulePlan } from '../rules/plan.js';
import type { FileResult } from '../rules/types.js';
import type { SourceTree } from '../source/tree.js';
import { isBuildFile, kbuildLines } from '../units/kbuild.js';
import { headerReader } from './headers.js';
import { type ScanTimings, scanFile } from './scan-file.js';

export interface Processed {
  result: FileResult | null;
  bytes: number;
}

export interface PhaseTimings extends ScanTimings {
  readMs: number;
}

export async function processFile(tree: SourceTree, plan: RulePlan, file: string, maxFileBytes: number, timings: PhaseTimings): Promise<Processed> {
  const uses = plan.usesFor(file);
  const build = isBuildFile(file) && !plan.isExcluded(file);
  if (uses.length === 0 && !build) return { result: null, bytes: 0 };
  const started = performance.now();
  const read = await tree.read(file, maxFileBytes);
  timings.readMs += performance.now() - started;
  const empty = { facts: [], constraints: [], diagnostics: [], parsed: false, parseErrors: 0 };
  if ('tooLarge' in read) {
    return {
      result: { ...empty, skipped: { file, reason: 'too-large', detail: `${read.tooLarge} bytes > limit ${maxFileBytes}` } },
      bytes: 0
    };
  }
  if ('error' in read) {
    const reason = read.code === 'ENAMETOOLONG' ? 'path-too-long' : 'unreadable';
    return { result: { ...empty, skipped: { file, reason, detail: read.error } }, bytes: 0 };
  }
  // Taken before the scan: reading the file's headers may reuse the tree's buffer that holds its bytes.
  const size = read.bytes.length;
  const buildText = build ? read.bytes.toString('latin1') : undefined;
  try {
    const result = uses.length ? await scanFile(plan, file, read.bytes, uses, timings, headerReader(tree, plan, maxFileBytes)) : null;
    if (buildText === undefined || result?.skipped) return { result, bytes: size };
    // Build files also say which module each object belongs to (driver units), whatever the rules find in them.
    const kbuild = kbuildLines(buildText);
    return { result: kbuild.length ? { ...(result ?? empty), kbuild } : result, bytes: size };
  } catch (e) {
    // One file's failure (e.g. the parser running out of memory) must not lose the rest of the scan.
    return {
      result: { ...empty, diagnostics: [{ file, kind: 'read', message: `scan failed: ${(e as Error).message}` }] },
      bytes: size
    };
  }
}
