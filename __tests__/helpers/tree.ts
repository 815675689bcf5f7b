// Builds small synthetic trees in a temporary folder for tests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TempTree {
  root: string;
  remove(): void;
}

/** Writes files (path -> text or bytes) under a new temporary folder. */
export function makeTree(files: Record<string, string | Buffer>): TempTree {
  const root = mkdtempSync(path.join(os.tmpdir(), 'hmm-watch-tree-'));
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Joins lines with '\n' (so tests can name line numbers). */
export function lines(...ls: string[]): string {
  return `${ls.join('\n')}\n`;
}

/** The module parameter with a default per CPU architecture, as NVIDIA's UVM module declares it (lines 1-6). */
export const PARAM_PER_ARCH = [
  '#ifdef NVCPU_X86_64',
  'static bool uvm_disable_hmm = false;',
  '#else',
  'static bool uvm_disable_hmm = true;',
  '#endif',
  'module_param(uvm_disable_hmm, bool, 0444);'
];
