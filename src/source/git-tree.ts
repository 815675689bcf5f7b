// A source tree read from git's object store: a commit's files without a checkout. `git ls-tree` lists them (with
// blob ids and sizes), one long-lived `git cat-file --batch` process reads them. Rules work on it exactly as on a
// working tree; the blob ids let per-file results be cached by content.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { ExcludeFilter } from './exclude.js';
import { GitError, git, gitOrUndefined, spawnGit } from './git.js';
import { type ReadResult, type SourceTree, SUBMODULE_DETAIL, type TreeEntry, type TreeMeta, type TreeSource, withoutCredentials } from './tree.js';

/** Where a folder sits in its git repository: the repository's top folder and the folder's path inside it. */
export async function gitLocation(dir: string): Promise<{ toplevel: string; prefix: string } | undefined> {
  const toplevel = await gitOrUndefined(dir, ['rev-parse', '--show-toplevel']);
  if (!toplevel) return undefined;
  const prefix = (await gitOrUndefined(dir, ['rev-parse', '--show-prefix'])) ?? '';
  return { toplevel, prefix: prefix.replace(/\/+$/, '') };
}

/** Whether the repository is a shallow clone (some history is missing). */
export async function isShallow(dir: string): Promise<boolean> {
  return (await gitOrUndefined(dir, ['rev-parse', '--is-shallow-repository'])) === 'true';
}

interface Blob {
  oid: string;
  size: number;
}

/** Reads blobs through one `git cat-file --batch` process; requests are answered in order. */
class BlobReader {
  private proc?: ChildProcessWithoutNullStreams;
  private buffer: Buffer = Buffer.alloc(0);
  /** Bytes the buffer must hold for the record at its start to be complete (0: not known yet). */
  private need = 0;
  /** Output received while a record is incomplete: joined once it is (not at every chunk, which for a large
   * blob copied it over and over: hundreds of MB of garbage outside the heap over a history). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly waiting: Array<{ resolve: (b: Buffer) => void; reject: (e: Error) => void }> = [];

  constructor(private readonly repo: string) {}

  private start(): ChildProcessWithoutNullStreams {
    if (this.proc) return this.proc;
    const proc = spawnGit(this.repo, ['cat-file', '--batch']);
    proc.stdout.on('data', (chunk: Buffer) => {
      if (this.need && this.buffer.length + this.pendingBytes + chunk.length < this.need) {
        this.pending.push(chunk);
        this.pendingBytes += chunk.length;
        return;
      }
      this.buffer = this.buffer.length || this.pending.length ? Buffer.concat([this.buffer, ...this.pending, chunk]) : chunk;
      this.pending = [];
      this.pendingBytes = 0;
      this.drain();
    });
    const fail = (e: Error): void => {
      for (const w of this.waiting.splice(0)) w.reject(e);
    };
    proc.on('error', fail);
    proc.on('exit', (code) => {
      if (this.waiting.length) fail(new GitError(`git cat-file --batch exited (${code}) with ${this.waiting.length} request(s) unanswered`));
      this.proc = undefined;
    });
    this.proc = proc;
    return proc;
  }

  private drain(): void {
    this.need = 0;
    while (this.waiting.length) {
      const nl = this.buffer.indexOf(10);
      if (nl === -1) return;
      const header = this.buffer.subarray(0, nl).toString('latin1');
      const m = /^(\S+) (\S+) (\d+)$/.exec(header);
      if (!m) {
        this.buffer = this.buffer.subarray(nl + 1);
        this.waiting.shift()!.reject(new GitError(`git cat-file: ${header}`));
        continue;
      }
      const size = Number(m[3]);
      if (this.buffer.length < nl + 1 + size + 1) {
        this.need = nl + 1 + size + 1;
        return;
      }
      const body = Buffer.from(this.buffer.subarray(nl + 1, nl + 1 + size));
      this.buffer = this.buffer.subarray(nl + 1 + size + 1);
      this.waiting.shift()!.resolve(body);
    }
  }

  read(oid: string): Promise<Buffer> {
    const proc = this.start();
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      proc.stdin.write(`${oid}\n`);
    });
  }

  close(): void {
    this.proc?.stdin.end();
  }
}

export class GitTree implements SourceTree {
  private blobs = new Map<string, Blob>();
  private readonly reader: BlobReader;
  /** Reads asked for ahead of time, by file. */
  private readonly ahead = new Map<string, Promise<Buffer>>();

  private constructor(
    readonly root: string,
    readonly repo: string,
    readonly commit: string,
    private readonly refName: string | undefined,
    /** Folder of the repository the tree is (no slashes at the ends), or '' for the whole repository. */
    private readonly subdir: string
  ) {
    this.reader = new BlobReader(repo);
  }

  /** The tree of `ref` (a branch, tag or commit) in the repository at `repo`, or of one folder of it. */
  static async open(repo: string, ref: string, subdir = '', root = repo): Promise<GitTree> {
    // A ref that git would read as an option is no ref (a tag named `--dirty=zz` is scanned as refs/tags/--dirty=zz).
    if (!ref || ref.startsWith('-')) throw new GitError(`'${ref}' is not a commit in ${repo} (a ref that starts with '-' is named by its full name, refs/...)`);
    const commit = await gitOrUndefined(repo, ['rev-parse', '--verify', '-q', `${ref}^{commit}`]);
    if (!commit) throw new GitError(`'${ref}' is not a commit in ${repo} (is it fetched? a shallow clone may not have it)`);
    // Name the ref as a checkout of it would be named: a branch by its full name, a tag by its name.
    const isTag = !!(await gitOrUndefined(repo, ['rev-parse', '--verify', '-q', `refs/tags/${ref}`]));
    const isBranch = !isTag && !!(await gitOrUndefined(repo, ['rev-parse', '--verify', '-q', `refs/heads/${ref}`]));
    const refName = isTag ? ref : isBranch ? `refs/heads/${ref}` : ref.startsWith('refs/') ? ref : undefined;
    return new GitTree(root, repo, commit, refName, subdir.replace(/^\/+|\/+$/g, ''));
  }

  source(): TreeSource {
    return { kind: 'git', repo: this.repo, commit: this.commit, subdir: this.subdir, root: this.root };
  }

  has(file: string): boolean {
    return this.blobs.has(file);
  }

  /** Blob id of a listed file (after list()). */
  blobOf(file: string): string | undefined {
    return this.blobs.get(file)?.oid;
  }

  async list(exclude: string[]): Promise<TreeEntry[]> {
    const out = this.subdir
      ? await git(this.repo, ['ls-tree', '-r', '-l', '-z', `${this.commit}:${this.subdir}`])
      : await git(this.repo, ['ls-tree', '-r', '-l', '-z', '--full-tree', this.commit]);
    const excluded = new ExcludeFilter(exclude);
    const entries: TreeEntry[] = [];
    this.blobs = new Map();
    for (const rec of out.split('\0')) {
      if (!rec) continue;
      const tab = rec.indexOf('\t');
      const [mode, type, oid, size] = rec.slice(0, tab).split(/\s+/);
      const file = rec.slice(tab + 1);
      if (file.split('/').includes('.git') || excluded.file(file)) continue;
      // A submodule is a commit of another repository: listed as left out, as a working tree lists it.
      if (type === 'commit' && !excluded.folder(file))
        entries.push({ path: file, kind: 'skipped', reason: 'submodule', detail: SUBMODULE_DETAIL, folder: true });
      if (type !== 'blob') continue;
      if (mode === '120000') entries.push({ path: file, kind: 'symlink' });
      else {
        entries.push({ path: file, kind: 'file' });
        this.blobs.set(file, { oid, size: Number(size) });
      }
    }
    return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Asks for these files' contents now, so that they stream in while earlier files are scanned. */
  prefetch(files: string[], maxBytes: number): void {
    for (const f of files) {
      const blob = this.blobs.get(f);
      if (!blob || blob.size > maxBytes || this.ahead.has(f)) continue;
      const p = this.reader.read(blob.oid);
      p.catch(() => undefined); // a failure is reported by read()
      this.ahead.set(f, p);
    }
  }

  async read(file: string, maxBytes: number): Promise<ReadResult> {
    const blob = this.blobs.get(file);
    if (!blob) return { error: `${file} is not a file of ${this.commit}` };
    if (blob.size > maxBytes) return { tooLarge: blob.size };
    try {
      const pending = this.ahead.get(file);
      this.ahead.delete(file);
      return { bytes: await (pending ?? this.reader.read(blob.oid)) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }

  async meta(): Promise<TreeMeta> {
    const remote = await gitOrUndefined(this.repo, ['remote', 'get-url', 'origin']);
    const safeRemote = withoutCredentials(remote);
    return {
      root: this.root,
      git: {
        commit: this.commit,
        ...(this.refName ? { ref: this.refName } : {}),
        prefix: this.subdir ? `${this.subdir}/` : '',
        ...(safeRemote ? { remote: safeRemote } : {})
      }
    };
  }

  close(): void {
    this.reader.close();
  }
}
