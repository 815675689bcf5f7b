// Evidence links to the exact lines of the scanned commit: {server}/{repo}/blob/{sha}/{path}#L{line}. The tree
// can be another repository checked out into a subfolder: then its own repository, commit and path prefix count.
// Snapshots can come from untrusted runs (a fork's artifact), so a link is built only from parts that pass the
// checks below, and only to a repository the workflow names; anything else gets no link (the label stays).
import type { TreeMeta } from '../source/tree.js';

export interface LinkTarget {
  server: string;
  repository: string;
  sha: string;
  /** Path of the scanned tree's root inside that repository ('' or ending in '/'). */
  prefix: string;
}

/** The URL of a line, or undefined when the file or line cannot be linked safely. */
export type LinkBuilder = (file: string, line: number) => string | undefined;

/** A full commit id: SHA-1 (40 hex digits) or SHA-256 (64). */
export function isCommitId(s: string): boolean {
  return /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(s);
}

/** owner/name as GitHub allows them: owner alphanumeric and inner hyphens (at most 39), name of [A-Za-z0-9._-]. */
export function isRepository(s: string): boolean {
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})\/([A-Za-z0-9._-]{1,100})$/.exec(s);
  return !!m && m[2] !== '.' && m[2] !== '..';
}

/** The segments of a relative, normalised path (no empty, `.` or `..` segment, no backslash), or undefined. */
function segments(p: string): string[] | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what a path must not have
  if (p === '' || p.length > 4096 || /[\\\0-\x1f\x7f]/.test(p)) return undefined;
  const parts = p.split('/');
  return parts.every((s) => s !== '' && s !== '.' && s !== '..') ? parts : undefined;
}

/** A path prefix: '' or segments (as above) ending in '/'. */
function isPrefix(p: string): boolean {
  return p === '' || (p.endsWith('/') && segments(p.slice(0, -1)) !== undefined);
}

/** A path segment percent-encoded, including the characters encodeURIComponent leaves (`(`, `)`, `!`, `'`, `*`). */
function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** owner/name from a git remote URL of a GitHub server (https, ssh or scp-like); undefined unless it is valid. */
export function repositoryFromRemote(remote: string, server: string): string | undefined {
  const host = new URL(server).host;
  const m =
    new RegExp(`^(?:https?://|ssh://git@)${host.replace(/\./g, '\\.')}[:/](.+?)(?:\\.git)?/?$`).exec(remote) ??
    new RegExp(`^git@${host.replace(/\./g, '\\.')}:(.+?)(?:\\.git)?$`).exec(remote);
  return m && isRepository(m[1]) ? m[1] : undefined;
}

/** A link to a line of a file at a commit, or undefined when any part is not valid. */
export function lineLink(server: string, repository: string, sha: string, file: string, line: number, prefix = ''): string | undefined {
  if (!isRepository(repository) || !isCommitId(sha) || !Number.isSafeInteger(line) || line < 1) return undefined;
  if (!isPrefix(prefix)) return undefined;
  const parts = segments(`${prefix}${file}`);
  if (!parts) return undefined;
  return `${server.replace(/\/$/, '')}/${repository}/blob/${sha}/${parts.map(encodeSegment).join('/')}#L${line}`;
}

export function linkBuilder(t: LinkTarget): LinkBuilder {
  return (file, line) => lineLink(t.server, t.repository, t.sha, file, line, t.prefix);
}

/**
 * Where evidence of a scanned tree lives: given repository/ref win; otherwise the tree's git remote when it is on
 * the same server; otherwise the workflow's repository. An artifact from another run (`trustTree` false) never
 * names the repository: its remote only decides whether the workflow's repository is the right one (a tree
 * checked out from elsewhere gets no links, rather than links that lead nowhere). Undefined when the commit,
 * repository or path prefix is not valid.
 */
export function linkTargetFor(
  tree: TreeMeta,
  opts: { server: string; workflowRepository?: string; sourceRepository?: string; sourceRef?: string; trustTree: boolean }
): LinkTarget | undefined {
  const git = tree.git;
  const sha = opts.sourceRef || git?.commit;
  if (!sha || !isCommitId(sha)) return undefined;
  let repository = opts.sourceRepository;
  if (!repository && git?.remote) {
    const fromRemote = repositoryFromRemote(git.remote, opts.server);
    if (opts.trustTree) repository = fromRemote;
    else if (!fromRemote || fromRemote.toLowerCase() !== opts.workflowRepository?.toLowerCase()) return undefined;
  }
  repository ||= opts.workflowRepository;
  if (!repository || !isRepository(repository)) return undefined;
  const prefix = git?.prefix ?? '';
  if (!isPrefix(prefix)) return undefined;
  return { server: opts.server, repository, sha, prefix };
}
