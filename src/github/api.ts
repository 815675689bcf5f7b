// The GitHub API client (REST and GraphQL through Octokit, with retry and throttling), the run's context, and the
// small API questions the action asks: which open pull request a commit heads, and the HTTP status of an error.
// The sticky comment (sticky.ts), the tracking issue (tracking-issue.ts), the cache service (cache.ts), the
// workflow commands (workflow.ts) and run artifacts (artifacts.ts) live beside it: src/github/ is the one place
// that talks to GitHub.
import * as core from '@actions/core';
import * as github from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

export type Octokit = ReturnType<typeof github.getOctokit>;

export interface Repo {
  owner: string;
  repo: string;
}

/** GitHub's limit for a comment body (65,536 characters); counted here in UTF-8 bytes, which is never fewer. */
export const COMMENT_LIMIT_BYTES = 65_536;

/**
 * An API client that retries transient failures (5xx, network) with the retry plugin's back-off, and leaves rate
 * limits to the throttling plugin, which waits what GitHub asks: `retry-after` on a secondary limit (403 or 429),
 * until `x-ratelimit-reset` on a primary one. 429 is in the retry plugin's doNotRetry so that its own back-off
 * (1 s, 4 s, …) does not run first and retry before the server's time.
 */
export function client(token: string): Octokit {
  return github.getOctokit(
    token,
    {
      throttle: {
        onRateLimit: (retryAfter: number, options: { method: string; url: string }, _o: unknown, retryCount: number) => {
          core.warning(`GitHub API rate limit on ${options.method} ${options.url}; retrying after ${retryAfter} s`);
          return retryCount < 2;
        },
        onSecondaryRateLimit: (retryAfter: number, options: { method: string; url: string }, _o: unknown, retryCount: number) => {
          core.warning(`GitHub API secondary rate limit on ${options.method} ${options.url}; retrying after ${retryAfter} s`);
          return retryCount < 2;
        }
      },
      retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] }
    },
    retry,
    throttling
  );
}

export function context(): typeof github.context {
  return github.context;
}

/**
 * The open pull request whose head is this commit, asked of the API (a `workflow_run` event of a fork's pull
 * request lists none, and a number written into an artifact is not to be trusted).
 */
export async function pullRequestForCommit(octokit: Octokit, repo: Repo, sha: string, head?: { owner: string; branch: string }): Promise<number | undefined> {
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: sha });
  const byCommit = data.find((pr) => pr.state === 'open' && pr.head.sha === sha);
  if (byCommit) return byCommit.number;
  if (!head) return undefined;
  const pulls = await octokit.paginate(octokit.rest.pulls.list, { ...repo, state: 'open', head: `${head.owner}:${head.branch}`, per_page: 100 });
  return pulls.find((pr) => pr.head.sha === sha)?.number;
}

/** HTTP status of an API error, if it is one. */
export function httpStatus(e: unknown): number | undefined {
  const s = (e as { status?: unknown }).status;
  return typeof s === 'number' ? s : undefined;
}
