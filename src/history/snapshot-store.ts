// Whole snapshots of releases for history runs, kept across runs beside the per-file result cache
// (scan/result-cache.ts): a release scanned once is not scanned again. Entries are read back through the one
// validated snapshot reader; an unreadable, invalid or foreign entry is ignored and the release scanned again.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RESULT_CACHE_VERSION } from '../scan/result-cache.js';
import { parseSnapshot } from '../snapshot/read.js';
import type { Snapshot } from '../snapshot/snapshot.js';

/**
 * Whole snapshots of commits, by commit id, rule set and tool version: a release scanned once is not scanned
 * again by the next history run. An unreadable or foreign entry is ignored.
 */
export class SnapshotStore {
  hits = 0;
  private readonly dir: string;

  constructor(
    root: string,
    private readonly rules: string,
    tool: string
  ) {
    this.dir = path.join(root, `snapshots-${rules}-${tool}-v${RESULT_CACHE_VERSION}`);
  }

  /** The stored snapshot of a commit; undefined when there is none, or it is invalid or of another commit or rule set. */
  async get(commit: string): Promise<Snapshot | undefined> {
    let text: string;
    try {
      text = readFileSync(path.join(this.dir, `${commit}.json`), 'utf8');
    } catch {
      return undefined; // not stored
    }
    try {
      const s = await parseSnapshot(text, `${commit}.json`);
      if (s.profile.hash !== this.rules || s.tree.git?.commit !== commit) return undefined;
      this.hits++;
      return s;
    } catch {
      return undefined; // invalid: scanned again (and stored again)
    }
  }

  set(commit: string, text: string): void {
    mkdirSync(this.dir, { recursive: true });
    const file = path.join(this.dir, `${commit}.json`);
    writeFileSync(`${file}.${process.pid}.tmp`, text);
    renameSync(`${file}.${process.pid}.tmp`, file);
  }
}
