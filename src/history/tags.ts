// Release tags and the edges between them. The previous release of a tag is its nearest tagged ancestor in the
// commit graph (what `git describe --tags --abbrev=0 TAG^` answers): maintenance lines released side by side
// (535.x, 550.x, 580.x) are followed each on its own, instead of sorting by version or date, which makes every
// switch between lines look like a change that flips back and forth. Only where tags share no history (a shallow
// clone, unrelated tags) version order is used, and said.
import { git } from '../source/git.js';
import { pathMatcher } from '../source/glob.js';
import { TagParents } from './tag-parents.js';

export interface ReleaseTag {
  tag: string;
  commit: string;
  /** Committer date of the tagged commit (ISO 8601), for display order only. */
  date: string;
  /** The release it was made from (nearest tagged ancestor), if any. */
  parent?: string;
  /** How the parent was found. */
  via?: 'graph' | 'version-order';
  /** The maintenance line: the tag's first dotted component (535, 580, …). */
  line: string;
}

/** Compares version-like names part by part, numerically where both parts are numbers. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.\-_]/);
  const pb = b.split(/[.\-_]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) {
      if (nx !== ny) return nx - ny;
    } else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** The release line a tag belongs to: its first dot-separated part (`550.54.14` -> `550`). */
export function releaseLineOf(tag: string): string {
  return tag.split('.')[0];
}

async function pool<T, R>(items: T[], width: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    })
  );
  return out;
}

export interface TagGraph {
  tags: ReleaseTag[];
  notes: string[];
}

/** A wildmatch pattern (git's `--match`/`--exclude`) that matches exactly this name. */
function literalPattern(name: string): string {
  return name.replace(/[\\*?[]/g, '\\$&');
}

export interface TagList {
  /** Every tag that points to a commit (itself or through one annotated tag), with that commit and its committer date; in ref order. */
  all: Array<{ tag: string; commit: string; date: string }>;
  /** Names of the tags that are releases (selected by the glob, with picomatch) and point to a commit. */
  releases: Set<string>;
  /** Names of every other tag. */
  others: string[];
  /** Release tags left out because they point to no commit directly. */
  notes: string[];
}

/** The repository's tags and which of them are releases (`glob`, picomatch syntax). */
export async function listTags(repo: string, glob = '*'): Promise<TagList> {
  const match = pathMatcher([glob]);
  const raw = await git(repo, [
    'for-each-ref',
    '--format=%(refname)%00%(objectname)%00%(objecttype)%00%(*objectname)%00%(*objecttype)%00%(committerdate:iso-strict)%00%(*committerdate:iso-strict)',
    'refs/tags'
  ]);
  const all: TagList['all'] = [];
  const releases = new Set<string>();
  const others: string[] = [];
  const notCommits: string[] = [];
  for (const line of raw.split('\n')) {
    if (!line) continue;
    const [ref, object, type, peeled, peeledType, date, peeledDate] = line.split('\0');
    const tag = ref.slice('refs/tags/'.length);
    // An annotated tag is peeled once by for-each-ref; a tag of a tag of a commit peels to that tag, not kept.
    const commit = (peeled ? peeledType : type) === 'commit';
    if (commit) all.push({ tag, commit: peeled || object, date: (peeled ? peeledDate : date) ?? '' });
    if (commit && match(tag)) releases.add(tag);
    else others.push(tag);
    if (!commit && match(tag)) notCommits.push(tag);
  }
  const notes = notCommits.length
    ? [
        `${notCommits.length} tag(s) matching '${glob}' left out: they point to a tree, a blob or another tag, not a commit (${notCommits.slice(0, 5).join(', ')}${notCommits.length > 5 ? ', …' : ''})`
      ]
    : [];
  return { all, releases, others, notes };
}

/**
 * The release tags matching `glob` that name commits, with their commit dates, from one `git for-each-ref` (no
 * graph walk): enough to tell whether a release is new, in a fraction of releaseTags' time.
 */
export async function listReleaseTags(repo: string, glob = '*'): Promise<Array<Pick<ReleaseTag, 'tag' | 'date'>>> {
  const match = pathMatcher([glob]);
  const raw = await git(repo, [
    'for-each-ref',
    '--format=%(refname:short)%00%(objecttype)%00%(*objecttype)%00%(committerdate:iso-strict)%00%(*committerdate:iso-strict)',
    'refs/tags'
  ]);
  const out: Array<Pick<ReleaseTag, 'tag' | 'date'>> = [];
  for (const line of raw.split('\n')) {
    const [tag, type, peeledType, date, peeledDate] = line.split('\0');
    if (!tag || !match(tag) || (peeledType || type) !== 'commit') continue;
    out.push({ tag, date: peeledDate || date });
  }
  return out;
}

/**
 * The release a commit was made from: the nearest release tag among the commit's parents' ancestors, as
 * `git describe --tags --abbrev=0 COMMIT^` answers it (what it answered with `--match GLOB` when the glob was a
 * wildmatch pattern). The release set is given to git tag by tag, as literal patterns (the releases to match, or
 * the other tags to exclude), so a picomatch glob such as `{1.0,1.1}` selects the same tags here as everywhere;
 * only a commit id reaches git as a revision, never a tag name (which could read as an option or a pattern).
 */
export function describer(repo: string, list: TagList): (commit: string) => Promise<string | undefined> {
  // The shorter of the two lists goes on the command line: the releases to match or the other tags to exclude.
  const select =
    list.releases.size < list.others.length
      ? [...list.releases].map((t) => `--match=${literalPattern(t)}`)
      : list.others.map((t) => `--exclude=${literalPattern(t)}`);
  return async (commit) => {
    if (!/^[0-9a-f]{40,64}$/.test(commit)) throw new Error(`not a commit id: '${commit}'`);
    if (list.releases.size === 0) return undefined;
    try {
      const name = (await git(repo, ['describe', '--tags', '--abbrev=0', ...select, `${commit}^`])).trim();
      return list.releases.has(name) ? name : undefined;
    } catch {
      return undefined; // no tagged ancestor (the first release) or no parent commit here (a shallow clone)
    }
  };
}

/**
 * The tags matching `glob`, each with its previous release. With `cacheDir`, the previous releases found are kept
 * there and only those of new releases (or of releases a new one precedes) are asked of git again.
 */
export async function releaseTags(repo: string, glob = '*', cacheDir?: string): Promise<TagGraph> {
  const list = await listTags(repo, glob);
  const tags: ReleaseTag[] = list.all.filter((t) => list.releases.has(t.tag)).map((t) => ({ ...t, line: releaseLineOf(t.tag) }));
  if (tags.length === 0) return { tags, notes: [...list.notes, `no tags match '${glob}'`] };

  const releases = new Map(tags.map((t) => [t.tag, t.commit]));
  const stored = TagParents.load(cacheDir, glob);
  const known = await stored.valid(releases, async (commits) => {
    const out = await git(repo, ['for-each-ref', '--format=%(objectname) %(*objectname)', ...commits.map((c) => `--contains=${c}`), 'refs/tags']);
    return new Set(out.split(/\s+/).filter(Boolean));
  });
  const previous = describer(repo, list);
  const commits = [...new Set(tags.map((t) => t.commit))];
  await pool(
    commits.filter((c) => !known.has(c)),
    4,
    async (c) => void known.set(c, await previous(c))
  );
  stored.save(releases, new Map(commits.map((c) => [c, known.get(c)])));
  for (const t of tags) {
    const prev = known.get(t.commit);
    if (prev) {
      t.parent = prev;
      t.via = 'graph';
    }
  }

  const notes: string[] = [...list.notes];
  const roots = tags.filter((t) => !t.parent);
  // Only a history with more than one first release asks whether the clone is shallow.
  const shallow = roots.length > 1 && (await git(repo, ['rev-parse', '--is-shallow-repository'])).trim() === 'true';
  const byVersion = [...tags].sort((a, b) => compareVersions(a.tag, b.tag));
  if (shallow && roots.length > 1) {
    // Without history the graph cannot say; the version order of each line stands in, and the report says so.
    for (const t of roots) {
      const earlier = byVersion.filter((x) => x.line === t.line && compareVersions(x.tag, t.tag) < 0).at(-1);
      if (earlier) {
        t.parent = earlier.tag;
        t.via = 'version-order';
      }
    }
    notes.push(
      `the repository is a shallow clone: ${roots.length} tag(s) have no history here, so their previous release is taken by version order within their line (fetch with full history for the real order)`
    );
  }
  const unrelated = tags.filter((t) => !t.parent).length;
  if (unrelated > 1 && !shallow) notes.push(`${unrelated} tags have no tagged ancestor (first releases of unrelated histories)`);
  return { tags: order(tags), notes };
}

/** Parents before children; otherwise by commit date, then version. */
function order(tags: ReleaseTag[]): ReleaseTag[] {
  return parentsFirst(tags, (a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : compareVersions(a.tag, b.tag)));
}

/**
 * Parents before children; otherwise by version (first and last releases along the lines: a release made from
 * another comes after it whatever their dates, and releases side by side follow their version numbers).
 */
export function ancestryOrder(tags: ReleaseTag[]): ReleaseTag[] {
  return parentsFirst(tags, (a, b) => compareVersions(a.tag, b.tag));
}

function parentsFirst(tags: ReleaseTag[], compare: (a: ReleaseTag, b: ReleaseTag) => number): ReleaseTag[] {
  const byName = new Map(tags.map((t) => [t.tag, t]));
  const sorted = [...tags].sort(compare);
  const out: ReleaseTag[] = [];
  const done = new Set<string>();
  const visit = (t: ReleaseTag, stack: Set<string>): void => {
    if (done.has(t.tag) || stack.has(t.tag)) return;
    stack.add(t.tag);
    const p = t.parent ? byName.get(t.parent) : undefined;
    if (p) visit(p, stack);
    done.add(t.tag);
    out.push(t);
  };
  for (const t of sorted) visit(t, new Set());
  return out;
}
