// Evidence links to the exact lines of the scanned commit: {server}/{repo}/blob/{sha}/{path}#L{line}. The tree
// can be another repository checked out into a subfolder: then its own repository, commit and path prefix count.
import type { TreeMeta } from '../source/tree.js';

export interface LinkTarget {
  server: string;
  repository: string;
  sha: string;
  /** Path of the scanned tree's root inside that repository ('' or ending in '/'). */
  prefix: string;
}

export type LinkBuilder = (file: string, line: number) => string;

/** owner/name from a git remote URL of a GitHub server (https, ssh or scp-like). */
export function repositoryFromRemote(remote: string, server: string): string | undefined {
  const host = new URL(server).host;
  const m =
    new RegExp(`^(?:https?://|ssh://git@)${host.replace(/\./g, '\\.')}[:/](.+?)(?:\\.git)?/?$`).exec(remote) ??
    new RegExp(`^git@${host.replace(/\./g, '\\.')}:(.+?)(?:\\.git)?$`).exec(remote);
  return m?.[1];
}

export function linkBuilder(t: LinkTarget): LinkBuilder {
  return (file, line) => {
    const parts = `${t.prefix}${file}`.split('/').map(encodeURIComponent).join('/');
    return `${t.server.replace(/\/$/, '')}/${t.repository}/blob/${t.sha}/${parts}#L${line}`;
  };
}

/**
 * Where evidence of a scanned tree lives: given repository/ref win; otherwise the tree's git remote when it is
 * on the same server; otherwise the workflow's repository when the tree is its checkout.
 */
export function linkTargetFor(
  tree: TreeMeta,
  opts: { server: string; workflowRepository?: string; sourceRepository?: string; sourceRef?: string }
): LinkTarget | undefined {
  const git = tree.git;
  const sha = opts.sourceRef || git?.commit;
  if (!sha) return undefined;
  const fromRemote = git?.remote ? repositoryFromRemote(git.remote, opts.server) : undefined;
  const repository = opts.sourceRepository || fromRemote || opts.workflowRepository;
  if (!repository) return undefined;
  return { server: opts.server, repository, sha, prefix: git?.prefix ?? '' };
}
