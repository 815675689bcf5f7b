// Source trees: where a scan reads files from. The working-tree walker is one implementation; a tree read from
// git objects (issue: scan a ref without a checkout) plugs in behind the same interface.
import { execFile } from 'node:child_process';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import * as walk from '@nodelib/fs.walk';
import picomatch from 'picomatch';

const run = promisify(execFile);

export interface TreeEntry {
  /** Path relative to the tree root, with forward slashes. */
  path: string;
  kind: 'file' | 'symlink';
}

export interface TreeMeta {
  /** The root as given to the scan (not made absolute, so snapshots do not depend on the machine). */
  root: string;
  git?: { commit: string; ref?: string; prefix: string; remote?: string };
}

/** A remote URL without the credentials it may carry (https://user:token@host/...). */
export function withoutCredentials(remote: string | undefined): string | undefined {
  return remote?.replace(/\/\/[^/@]+@/, '//');
}

/** How a worker thread opens the same tree again. */
export type TreeSource = { kind: 'working'; root: string } | { kind: 'git'; repo: string; commit: string; subdir: string; root: string };

export type ReadResult = { bytes: Buffer } | { tooLarge: number } | { error: string };

export interface SourceTree {
  readonly root: string;
  /** Every entry, sorted by path. */
  list(exclude: string[]): Promise<TreeEntry[]>;
  /** The bytes may live in a buffer the tree reuses: valid until the next read. */
  read(file: string, maxBytes: number): Promise<ReadResult>;
  meta(): Promise<TreeMeta>;
  /** Content id of a listed file, when the tree knows it (git objects): the key of cached results. */
  blobOf?(file: string): string | undefined;
  /** Asks for files' contents ahead of their read (trees that stream them, such as git objects). */
  prefetch?(files: string[], maxBytes: number): void;
  /** Releases what the tree holds open (processes). */
  close?(): void;
  /** What a worker thread needs to open this tree (none: scanned in this thread only). */
  source?(): TreeSource;
}

export class WorkingTree implements SourceTree {
  readonly absRoot: string;

  constructor(readonly root: string) {
    this.absRoot = path.resolve(root);
  }

  source(): TreeSource {
    return { kind: 'working', root: this.absRoot };
  }

  async list(exclude: string[]): Promise<TreeEntry[]> {
    // fast-glob's own walker, synchronous (no thread-pool round trip per folder), without matching a pattern per
    // entry: measured 2-3x faster than fast-glob on a 4,000-file tree. Excluded folders and .git are not entered.
    const excluded = exclude.length ? picomatch(exclude, { dot: true }) : () => false;
    const entries = walk.walkSync(this.absRoot, {
      basePath: '',
      followSymbolicLinks: false,
      errorFilter: () => true,
      deepFilter: (e) => e.name !== '.git' && !excluded(e.path.split(path.sep).join('/')) && !excluded(`${e.path.split(path.sep).join('/')}/`),
      entryFilter: (e) => !e.dirent.isDirectory()
    });
    const out: TreeEntry[] = [];
    for (const e of entries) {
      const rel = e.path.split(path.sep).join('/');
      if (excluded(rel)) continue;
      if (e.dirent.isSymbolicLink()) out.push({ path: rel, kind: 'symlink' });
      else if (e.dirent.isFile()) out.push({ path: rel, kind: 'file' });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private scratch = Buffer.allocUnsafe(1 << 20);

  /**
   * Reads synchronously into a buffer reused from call to call (most files are read only to be rejected by the
   * prefilter; thread-pool round trips and fresh buffers cost more than the reading). The bytes returned are
   * valid until the next call: callers that keep them copy them.
   */
  async read(file: string, maxBytes: number): Promise<ReadResult> {
    let fd: number | undefined;
    try {
      fd = openSync(path.join(this.absRoot, file), 'r');
      const { size } = fstatSync(fd);
      if (size > maxBytes) return { tooLarge: size };
      if (size > this.scratch.length) this.scratch = Buffer.allocUnsafe(Math.max(size, this.scratch.length * 2));
      let offset = 0;
      while (offset < size) {
        const n = readSync(fd, this.scratch, offset, size - offset, offset);
        if (n === 0) break;
        offset += n;
      }
      return { bytes: this.scratch.subarray(0, offset) };
    } catch (e) {
      return { error: (e as Error).message };
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  async meta(): Promise<TreeMeta> {
    const meta: TreeMeta = { root: this.root.split(path.sep).join('/') };
    const git = async (...args: string[]): Promise<string | undefined> => {
      try {
        const { stdout } = await run('git', args, { cwd: this.absRoot, timeout: 10_000 });
        return stdout.trim();
      } catch {
        return undefined;
      }
    };
    // All at once: the processes run while the scan works, instead of one after the other once it is done.
    const [commit, branch, tag, prefixOut, remote] = await Promise.all([
      git('rev-parse', '--verify', '-q', 'HEAD'),
      git('symbolic-ref', '-q', 'HEAD'),
      git('describe', '--tags', '--exact-match', 'HEAD'),
      git('rev-parse', '--show-prefix'),
      git('remote', 'get-url', 'origin')
    ]);
    if (!commit) return meta;
    const ref = branch || tag;
    const prefix = prefixOut ?? '';
    const safeRemote = withoutCredentials(remote);
    meta.git = { commit, ...(ref ? { ref } : {}), prefix, ...(safeRemote ? { remote: safeRemote } : {}) };
    return meta;
  }
}
