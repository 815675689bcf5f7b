// Which repository a release history is of: its `origin` remote, credentials stripped, as owner/name when it is
// on the GitHub server (for titles and links), else the remote itself; without a remote, the folder's name. Never
// the runner's absolute path.
import path from 'node:path';
import type { CommitLinks } from '../report/history-markdown.js';
import { linkBuilder, repositoryFromRemote } from '../report/links.js';
import { gitOrUndefined } from '../source/git.js';
import { withoutCredentials } from '../source/tree.js';

export interface Upstream {
  /** What reports call it: owner/name, a remote URL without credentials, or the folder's name. */
  name: string;
  /** owner/name on `server`, when known (links to the exact lines need it). */
  repository?: string;
  /** The remote URL without credentials. */
  remote?: string;
}

export async function upstreamOf(dir: string, server: string, repository?: string): Promise<Upstream> {
  const remote = withoutCredentials(await gitOrUndefined(dir, ['remote', 'get-url', 'origin'])); // undefined: no remote
  const found = repository || (remote ? repositoryFromRemote(remote, server) : undefined);
  return { name: found ?? remote ?? path.basename(path.resolve(dir)), ...(found ? { repository: found } : {}), ...(remote ? { remote } : {}) };
}

/** Links to a line of a file at a release's commit, when the repository on the server is known. */
export function commitLinks(server: string, up: Upstream): CommitLinks | undefined {
  const repository = up.repository;
  if (!repository) return undefined;
  return (commit, file, line) => linkBuilder({ server, repository, sha: commit, prefix: '' })(file, line);
}
