// The previous release of each release commit, kept between history runs (in the history cache folder) so that a
// run after one new tag asks `git describe` about that tag only, not about every release again (one git process
// each: most of such a run's time). An answer stays valid while the release it names still points to the same
// commit and no release added since is an ancestor of the commit asked about (one `git for-each-ref --contains`
// for all new releases says which); a release removed or moved drops every answer. The file is read back from a
// cache anyone's workflow may have written: it is size-bounded and checked field by field, and ignored if wrong.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SCHEMA = 'hmm-watch/tag-parents';
const VERSION = 1;
/** Largest file read (bytes): thousands of releases fit many times over. */
export const MAX_TAG_PARENTS_BYTES = 8 * 1024 * 1024;
const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

interface TagParentsFile {
  schema: typeof SCHEMA;
  version: typeof VERSION;
  glob: string;
  /** The release set the answers were found in: tag → commit. */
  releases: Record<string, string>;
  /** Commit → its previous release's tag, or null for none. */
  parents: Record<string, string | null>;
}

function isStringMap(x: unknown, value: (v: unknown) => boolean): x is Record<string, never> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && Object.values(x).every(value);
}

/** The file's data when it is one this code wrote for `glob`; undefined otherwise. */
function check(data: unknown, glob: string): TagParentsFile | undefined {
  const d = data as Partial<TagParentsFile> | null;
  if (typeof d !== 'object' || d === null || d.schema !== SCHEMA || d.version !== VERSION || d.glob !== glob) return undefined;
  if (!isStringMap(d.releases, (v) => typeof v === 'string' && COMMIT.test(v))) return undefined;
  const releases = d.releases as Record<string, string>;
  if (!isStringMap(d.parents, (v) => v === null || (typeof v === 'string' && Object.hasOwn(releases, v)))) return undefined;
  if (!Object.keys(d.parents as object).every((k) => COMMIT.test(k))) return undefined;
  return d as TagParentsFile;
}

/** Where the previous releases for a tag glob are kept in a history cache folder. */
export function tagParentsFile(dir: string, glob: string): string {
  return path.join(dir, `tag-parents-${createHash('sha256').update(glob).digest('hex').slice(0, 12)}.json`);
}

export class TagParents {
  /** Why the stored answers were not used, when a file was there. */
  ignored?: string;
  private constructor(
    private readonly file: string | undefined,
    private readonly glob: string,
    private stored: TagParentsFile | undefined
  ) {}

  /** The answers stored in `dir` for `glob` (none without a folder, or when the file is missing or wrong). */
  static load(dir: string | undefined, glob: string): TagParents {
    if (!dir) return new TagParents(undefined, glob, undefined);
    const file = tagParentsFile(dir, glob);
    const cache = new TagParents(file, glob, undefined);
    try {
      const st = statSync(file);
      // Not opened unless a regular file: a FIFO or device in a restored cache would block or never end.
      if (!st.isFile()) {
        cache.ignored = `${file} is not a regular file`;
        return cache;
      }
      if (st.size > MAX_TAG_PARENTS_BYTES) {
        cache.ignored = `${file} is over ${MAX_TAG_PARENTS_BYTES} bytes`;
        return cache;
      }
      cache.stored = check(JSON.parse(readFileSync(file, 'utf8')), glob);
      if (!cache.stored) cache.ignored = `${file} is not a list of previous releases for '${glob}'`;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') cache.ignored = `${file} could not be read (${(e as Error).message})`;
    }
    return cache;
  }

  /**
   * The stored answers still valid for the release set `releases` (tag → commit). `containing` lists the commits
   * of the releases that contain (have as ancestor or are) any of the given commits: asked only when releases
   * were added.
   */
  async valid(releases: Map<string, string>, containing: (commits: string[]) => Promise<Set<string>>): Promise<Map<string, string | undefined>> {
    const out = new Map<string, string | undefined>();
    const s = this.stored;
    if (!s) return out;
    const before = new Map(Object.entries(s.releases));
    // A release gone or moved may have been some commit's answer, or changed which one git picks: start over.
    for (const [tag, commit] of before) if (releases.get(tag) !== commit) return out;
    const added = [...releases].filter(([tag]) => !before.has(tag)).map(([, commit]) => commit);
    const touched = added.length ? await containing([...new Set(added)]) : new Set<string>();
    for (const [commit, parent] of Object.entries(s.parents)) if (!touched.has(commit)) out.set(commit, parent ?? undefined);
    return out;
  }

  /** Stores the answers for `releases` (atomically). */
  save(releases: Map<string, string>, parents: Map<string, string | undefined>): void {
    if (!this.file) return;
    const data: TagParentsFile = {
      schema: SCHEMA,
      version: VERSION,
      glob: this.glob,
      releases: Object.fromEntries(releases),
      parents: Object.fromEntries([...parents].map(([c, p]) => [c, p ?? null]))
    };
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(data));
    renameSync(tmp, this.file);
  }
}
