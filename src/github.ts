// The one place that talks to GitHub: the REST API (sticky comments, pull-request lookup), the cache service, and
// the workflow commands (annotations, job summary) of @actions/core.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as cache from '@actions/cache';
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
/** GitHub's limit for one step's job summary. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

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
      retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 451] }
    },
    retry,
    throttling
  );
}

export function context(): typeof github.context {
  return github.context;
}

export function marker(commentId: string): string {
  return `<!-- hmm-watch:comment:${commentId.replace(/-->/g, '')} -->`;
}

/** The login comments made with this token carry, when the token may ask (a GITHUB_TOKEN may not). */
async function ownLogin(octokit: Octokit): Promise<string> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    return data.login;
  } catch {
    return 'github-actions[bot]';
  }
}

export interface StickyResult {
  action: 'created' | 'updated' | 'unchanged';
  url: string;
  removedDuplicates: number;
}

/**
 * Creates or updates the one comment of this hmm-watch instance on an issue or pull request: found by a hidden
 * marker among the token's own comments, across all pages; updated only when its body changed; where two runs
 * raced and left several, the oldest is kept and the others removed.
 */
export async function upsertStickyComment(octokit: Octokit, repo: Repo, issueNumber: number, commentId: string, body: string): Promise<StickyResult> {
  const tag = marker(commentId);
  const full = `${tag}\n${body}`;
  const login = await ownLogin(octokit);
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: issueNumber, per_page: 100 });
  const mine = comments.filter((c) => c.user?.login === login && (c.body ?? '').startsWith(tag)).sort((a, b) => a.id - b.id);
  if (mine.length === 0) {
    const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body: full });
    return { action: 'created', url: data.html_url, removedDuplicates: 0 };
  }
  const [keep, ...extra] = mine;
  for (const c of extra) await octokit.rest.issues.deleteComment({ ...repo, comment_id: c.id });
  if (keep.body === full) return { action: 'unchanged', url: keep.html_url, removedDuplicates: extra.length };
  const { data } = await octokit.rest.issues.updateComment({ ...repo, comment_id: keep.id, body: full });
  return { action: 'updated', url: data.html_url, removedDuplicates: extra.length };
}

/**
 * Creates or updates the one open tracking issue of this hmm-watch instance in a repository: found by a hidden
 * marker among the token's own open issues, across all pages; its body updated only when it changed.
 */
export async function upsertTrackingIssue(
  octokit: Octokit,
  repo: Repo,
  commentId: string,
  title: string,
  body: string
): Promise<{ action: 'created' | 'updated' | 'unchanged'; number: number; url: string }> {
  const tag = marker(`issue:${commentId}`);
  const full = `${tag}\n${body}`;
  const login = await ownLogin(octokit);
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, state: 'open', per_page: 100 });
  const mine = issues.filter((i) => !i.pull_request && i.user?.login === login && (i.body ?? '').startsWith(tag)).sort((a, b) => a.number - b.number);
  if (mine.length === 0) {
    const { data } = await octokit.rest.issues.create({ ...repo, title, body: full });
    return { action: 'created', number: data.number, url: data.html_url };
  }
  const keep = mine[0];
  if (keep.body === full && keep.title === title) return { action: 'unchanged', number: keep.number, url: keep.html_url };
  const { data } = await octokit.rest.issues.update({ ...repo, issue_number: keep.number, title, body: full });
  return { action: 'updated', number: data.number, url: data.html_url };
}

/**
 * Whether an issue or comment was made by this action. The one author check of the tracking issue: the login of
 * the token's comments (see ownLogin).
 */
async function madeByUs(octokit: Octokit): Promise<(item: { user?: { login?: string } | null }) => boolean> {
  const login = await ownLogin(octokit);
  return (item) => item.user?.login === login;
}

export interface TrackingIssue {
  number: number;
  state: 'open' | 'closed';
  title: string;
  body: string;
  url: string;
}

/**
 * The tracking issues of this hmm-watch instance (hidden marker, made by this action), oldest first: the open
 * ones, or when there is none, the closed ones (a maintainer closed the last one: its state still counts).
 */
export async function findTrackingIssues(octokit: Octokit, repo: Repo, commentId: string): Promise<TrackingIssue[]> {
  const tag = marker(`issue:${commentId}`);
  const ours = await madeByUs(octokit);
  const list = async (state: 'open' | 'closed'): Promise<TrackingIssue[]> =>
    (await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, state, per_page: 100 }))
      .filter((i) => !i.pull_request && ours(i) && (i.body ?? '').startsWith(tag))
      .map((i) => ({ number: i.number, state: i.state === 'closed' ? ('closed' as const) : ('open' as const), title: i.title, body: i.body ?? '', url: i.html_url }))
      .sort((a, b) => a.number - b.number);
  const open = await list('open');
  return open.length ? open : list('closed');
}

/** Opens a tracking issue (the body starts with the hidden marker of this instance). */
export async function openTrackingIssue(octokit: Octokit, repo: Repo, commentId: string, title: string, body: string): Promise<TrackingIssue> {
  const { data } = await octokit.rest.issues.create({ ...repo, title, body: `${marker(`issue:${commentId}`)}\n${body}` });
  return { number: data.number, state: 'open', title, body: data.body ?? '', url: data.html_url };
}

/** Rewrites a tracking issue's title and body, only when one of them changed; whether it wrote. */
export async function updateTrackingIssue(octokit: Octokit, repo: Repo, commentId: string, issue: TrackingIssue, title: string, body: string): Promise<boolean> {
  const full = `${marker(`issue:${commentId}`)}\n${body}`;
  if (issue.body === full && issue.title === title) return false;
  await octokit.rest.issues.update({ ...repo, issue_number: issue.number, title, body: full });
  return true;
}

/** A plain comment (watchers are notified of comments, not of edited issue bodies). */
export async function commentOn(octokit: Octokit, repo: Repo, issueNumber: number, body: string): Promise<string> {
  const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
  return data.html_url;
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

export interface Annotation {
  file: string;
  line: number;
  title: string;
  message: string;
  level: 'notice' | 'warning';
}

export function annotate(a: Annotation): void {
  const props = { file: a.file, startLine: a.line, title: a.title };
  if (a.level === 'warning') core.warning(a.message, props);
  else core.notice(a.message, props);
}

export async function writeSummary(markdown: string): Promise<void> {
  await core.summary.addRaw(markdown).write({ overwrite: false });
}

// ---------------------------------------------------------------------------------------------------------
// The cache service: snapshots saved under a key that names the profile and the tree.

/** Whether this run can reach GitHub's cache service (it can in a workflow run on GitHub). */
export function cacheAvailable(): boolean {
  return cache.isFeatureAvailable();
}

/** Restores a folder saved under `key` (or the newest under one of `restoreKeys`); the key found, if any. */
export async function restoreDir(dir: string, key: string, restoreKeys: string[]): Promise<string | undefined> {
  if (!cache.isFeatureAvailable()) return undefined;
  mkdirSync(dir, { recursive: true });
  return (await cache.restoreCache([dir], key, restoreKeys)) ?? undefined;
}

export type RestoreOutcome = { kind: 'hit'; key: string } | { kind: 'miss' } | { kind: 'error'; message: string } | { kind: 'unavailable' };

/**
 * Like restoreDir, telling a miss from a failed restore: the cache library reports a failure (an HTTP 500, a
 * denied read) only as a logged "Failed to restore" line and answers as for a miss, so that line is watched for
 * while it restores.
 */
export async function restoreDirOutcome(dir: string, key: string, restoreKeys: string[]): Promise<RestoreOutcome> {
  if (!cache.isFeatureAvailable()) return { kind: 'unavailable' };
  let failure: string | undefined;
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const m = /^::(?:error|warning)[^:]*::Failed to restore: (.*)$/m.exec(String(chunk));
    if (m) failure ??= m[1];
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  try {
    const hit = await restoreDir(dir, key, restoreKeys);
    if (hit) return { kind: 'hit', key: hit };
    return failure ? { kind: 'error', message: failure } : { kind: 'miss' };
  } catch (e) {
    return { kind: 'error', message: (e as Error).message };
  } finally {
    process.stdout.write = write;
  }
}

export async function saveDir(dir: string, key: string): Promise<boolean> {
  if (!cache.isFeatureAvailable()) return false;
  try {
    await cache.saveCache([dir], key);
    return true;
  } catch (e) {
    // An entry with this key exists already (the same commit or run saved twice): nothing is lost.
    core.info(`hmm-watch: ${dir} was not saved to the cache (${(e as Error).message})`);
    return false;
  }
}

export async function restoreSnapshot(dir: string, key: string, restoreKeys: string[]): Promise<{ key: string; text: string } | undefined> {
  const hit = await restoreDir(dir, key, restoreKeys);
  return hit ? { key: hit, text: readFileSync(path.join(dir, 'snapshot.json'), 'utf8') } : undefined;
}

export async function saveSnapshot(dir: string, key: string, text: string): Promise<boolean> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'snapshot.json'), text);
  return saveDir(dir, key);
}

// ---------------------------------------------------------------------------------------------------------
// Run artifacts: the whole report of a run, linked from the tracking issue.

export interface UploadedArtifact {
  id: number;
  url: string;
}

/** Uploads files (paths under `root`) as one artifact of this run; throws when it cannot. */
export type ArtifactUploader = (name: string, files: string[], root: string) => Promise<UploadedArtifact>;

/** Whether this run can reach the artifact service (it can in a workflow run on GitHub). */
export function artifactsAvailable(): boolean {
  return Boolean(process.env.ACTIONS_RUNTIME_TOKEN && process.env.ACTIONS_RESULTS_URL);
}

export const uploadArtifact: ArtifactUploader = async (name, files, root) => {
  if (!artifactsAvailable()) throw new Error('no artifact service in this run (ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL)');
  // Loaded only when a run has something to upload: a run with no new release stays fast.
  const { DefaultArtifactClient } = await import('@actions/artifact');
  const { id } = await new DefaultArtifactClient().uploadArtifact(name, files, root);
  if (id === undefined) throw new Error('the artifact service returned no artifact id');
  const server = (process.env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/$/, '');
  return { id, url: `${server}/${process.env.GITHUB_REPOSITORY ?? ''}/actions/runs/${process.env.GITHUB_RUN_ID ?? ''}/artifacts/${id}` };
};
