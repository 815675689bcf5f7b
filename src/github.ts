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

export function marker(commentId: string): string {
  return `<!-- hmm-watch:comment:${commentId.replace(/-->/g, '')} -->`;
}

/** Who writes with this token: a login and, when known, the account id (REST `user.id`, GraphQL `databaseId`). */
export interface Identity {
  login: string;
  id?: number;
}

interface Author {
  login: string;
  id?: number;
  type?: string;
}

/**
 * The account this token writes as. GraphQL `viewer` answers for every kind of token (a personal token: the user;
 * GITHUB_TOKEN: github-actions[bot]; a GitHub App installation token: <slug>[bot]); REST `GET /user` answers only
 * for a user's token (403 for the other two) and is asked when GraphQL is not there. Undefined when neither answers.
 */
export async function ownIdentity(octokit: Octokit): Promise<Identity | undefined> {
  try {
    const r = await octokit.graphql<{ viewer: { login: string; databaseId?: number | null } }>('query { viewer { login databaseId } }');
    if (r.viewer?.login) return { login: r.viewer.login, id: r.viewer.databaseId ?? undefined };
  } catch {
    // no GraphQL here (or not for this token): ask REST
  }
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    return { login: data.login, id: data.id };
  } catch {
    return undefined;
  }
}

/** Whether `author` is the account of `me`: by id when both have one, else by login (a bot's login may lack "[bot]"). */
export function isAuthor(author: Author | null | undefined, me: Identity | undefined): boolean {
  if (!author || !me) return false;
  if (author.id !== undefined && me.id !== undefined) return author.id === me.id;
  return author.login === me.login || (author.type === 'Bot' && author.login === `${me.login}[bot]`);
}

/** Hides comments as outdated (GraphQL minimizeComment); the number hidden. A comment that cannot be is left, said in the log. */
async function minimize(octokit: Octokit, comments: Array<{ node_id: string; html_url: string }>): Promise<number> {
  let done = 0;
  for (const c of comments) {
    try {
      await octokit.graphql('mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized } } }', {
        id: c.node_id
      });
      done++;
    } catch (e) {
      core.info(`hmm-watch: the older comment ${c.html_url} could not be hidden as outdated (${(e as Error).message})`);
    }
  }
  return done;
}

export interface StickyResult {
  action: 'created' | 'updated' | 'unchanged';
  url: string;
  removedDuplicates: number;
  /** Older comments with the same marker by another bot (written with another token), hidden as outdated. */
  minimized: number;
}

/**
 * Creates or updates the one comment of this hmm-watch instance on an issue or pull request: found by a hidden
 * marker among the comments this token's account wrote, across all pages; updated only when its body changed;
 * where two runs raced and left several, the oldest is kept and the others removed. A comment someone else wrote
 * is never edited or removed; when a new comment is made, older ones with the marker by another bot (the token
 * changed, e.g. from GITHUB_TOKEN to an app's token) are hidden as outdated. When the token cannot say whose it is,
 * the new comment tells: earlier ones by the same account are then the duplicates.
 */
export async function upsertStickyComment(octokit: Octokit, repo: Repo, issueNumber: number, commentId: string, body: string): Promise<StickyResult> {
  const tag = marker(commentId);
  const full = `${tag}\n${body}`;
  const me = await ownIdentity(octokit);
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: issueNumber, per_page: 100 });
  const marked = comments.filter((c) => (c.body ?? '').startsWith(tag)).sort((a, b) => a.id - b.id);
  const mine = marked.filter((c) => isAuthor(c.user, me));
  if (mine.length === 0) {
    const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body: full });
    const self = me ?? (data.user ? { login: data.user.login, id: data.user.id } : undefined);
    const duplicates = me ? [] : marked.filter((c) => c.id !== data.id && isAuthor(c.user, self));
    for (const c of duplicates) await octokit.rest.issues.deleteComment({ ...repo, comment_id: c.id });
    const stale = marked.filter((c) => c.user?.type === 'Bot' && !isAuthor(c.user, self));
    return { action: 'created', url: data.html_url, removedDuplicates: duplicates.length, minimized: await minimize(octokit, stale) };
  }
  const [keep, ...extra] = mine;
  for (const c of extra) await octokit.rest.issues.deleteComment({ ...repo, comment_id: c.id });
  if (keep.body === full) return { action: 'unchanged', url: keep.html_url, removedDuplicates: extra.length, minimized: 0 };
  const { data } = await octokit.rest.issues.updateComment({ ...repo, comment_id: keep.id, body: full });
  return { action: 'updated', url: data.html_url, removedDuplicates: extra.length, minimized: 0 };
}

/**
 * Whether an issue or comment was made by this action: the one author check of the tracking issue, by the token's
 * account (see ownIdentity), never by login alone.
 */
async function madeByUs(octokit: Octokit): Promise<(item: { user?: Author | null }) => boolean> {
  const me = await ownIdentity(octokit);
  return (item) => isAuthor(item.user, me);
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
      .map((i) => ({
        number: i.number,
        state: i.state === 'closed' ? ('closed' as const) : ('open' as const),
        title: i.title,
        body: i.body ?? '',
        url: i.html_url
      }))
      .sort((a, b) => a.number - b.number);
  const open = await list('open');
  return open.length ? open : list('closed');
}

/**
 * Opens a tracking issue (the body starts with the hidden marker of this instance). Open issues with the same marker
 * written by another bot (the token changed, e.g. from GITHUB_TOKEN to an app's token) are closed with a link to
 * the new one, not left to go stale; an issue a person wrote is never touched.
 */
export async function openTrackingIssue(
  octokit: Octokit,
  repo: Repo,
  commentId: string,
  title: string,
  body: string
): Promise<TrackingIssue & { superseded: number }> {
  const tag = marker(`issue:${commentId}`);
  const { data } = await octokit.rest.issues.create({ ...repo, title, body: `${tag}\n${body}` });
  const others = (await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, state: 'open', per_page: 100 })).filter(
    (i) =>
      !i.pull_request &&
      i.number !== data.number &&
      i.user?.type === 'Bot' &&
      (i.user.id !== data.user?.id || i.user.login !== data.user?.login) &&
      (i.body ?? '').startsWith(tag)
  );
  for (const i of others) {
    await octokit.rest.issues.createComment({
      ...repo,
      issue_number: i.number,
      body: `Superseded by #${data.number} (hmm-watch writes its tracking issue with another token now).`
    });
    await octokit.rest.issues.update({ ...repo, issue_number: i.number, state: 'closed', state_reason: 'not_planned' });
  }
  return { number: data.number, state: 'open', title, body: data.body ?? '', url: data.html_url, superseded: others.length };
}

/** Rewrites a tracking issue's title and body, only when one of them changed; whether it wrote. */
export async function updateTrackingIssue(
  octokit: Octokit,
  repo: Repo,
  commentId: string,
  issue: TrackingIssue,
  title: string,
  body: string
): Promise<boolean> {
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

/** What the action needs of a cache service (@actions/cache in a workflow run; a fake in tests). */
export interface CacheService {
  /** Whether this run can reach the service (it can in a workflow run on GitHub). */
  available(): boolean;
  /** Restores `paths` saved under `key` (or the newest entry whose key starts with one of `restoreKeys`); the key found. */
  restore(paths: string[], key: string, restoreKeys: string[]): Promise<string | undefined>;
  /** Saves `paths` under `key`: the entry's id, or -1 when nothing was saved (the service refused or failed). */
  save(paths: string[], key: string): Promise<number>;
}

/** GitHub's cache service, through @actions/cache. */
export const actionsCache: CacheService = {
  available: () => cache.isFeatureAvailable(),
  restore: async (paths, key, restoreKeys) => (await cache.restoreCache(paths, key, restoreKeys)) ?? undefined,
  save: (paths, key) => cache.saveCache(paths, key)
};

/** A cache service and the folder it restores into and saves from. */
export interface CacheAt {
  service: CacheService;
  dir: string;
}

/** Restores a folder saved under `key` (or the newest under one of `restoreKeys`); the key found, if any. */
export async function restoreDir(at: CacheAt, key: string, restoreKeys: string[]): Promise<string | undefined> {
  if (!at.service.available()) return undefined;
  mkdirSync(at.dir, { recursive: true });
  return at.service.restore([at.dir], key, restoreKeys);
}

export type RestoreOutcome = { kind: 'hit'; key: string } | { kind: 'miss' } | { kind: 'error'; message: string } | { kind: 'unavailable' };

/**
 * Like restoreDir, telling a miss from a failed restore: the cache library reports a failure (an HTTP 500, a
 * denied read) only as a logged "Failed to restore" line and answers as for a miss, so that line is watched for
 * while it restores.
 */
export async function restoreDirOutcome(at: CacheAt, key: string, restoreKeys: string[]): Promise<RestoreOutcome> {
  if (!at.service.available()) return { kind: 'unavailable' };
  let failure: string | undefined;
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const m = /^::(?:error|warning)[^:]*::Failed to restore: (.*)$/m.exec(String(chunk));
    if (m) failure ??= m[1];
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  try {
    const hit = await restoreDir(at, key, restoreKeys);
    if (hit) return { kind: 'hit', key: hit };
    return failure ? { kind: 'error', message: failure } : { kind: 'miss' };
  } catch (e) {
    return { kind: 'error', message: (e as Error).message };
  } finally {
    process.stdout.write = write;
  }
}

export interface Saved {
  saved: boolean;
  /** Why nothing was saved. */
  reason?: string;
}

/**
 * Saves a folder under `key`. @actions/cache does not throw when the service refuses the key (an entry with this
 * key exists, or another job is saving it) or the upload fails: it logs why and returns -1, which is not saved.
 */
export async function saveDir(at: CacheAt, key: string): Promise<Saved> {
  if (!at.service.available()) return { saved: false, reason: 'the cache service is not available in this run' };
  try {
    const id = await at.service.save([at.dir], key);
    return id === -1 ? { saved: false, reason: 'the cache service did not take it (the reason is logged above)' } : { saved: true };
  } catch (e) {
    return { saved: false, reason: (e as Error).message };
  }
}

export async function restoreSnapshot(at: CacheAt, key: string, restoreKeys: string[]): Promise<{ key: string; text: string } | undefined> {
  const hit = await restoreDir(at, key, restoreKeys);
  return hit ? { key: hit, text: readFileSync(path.join(at.dir, 'snapshot.json'), 'utf8') } : undefined;
}

export async function saveSnapshot(at: CacheAt, key: string, text: string): Promise<Saved> {
  mkdirSync(at.dir, { recursive: true });
  writeFileSync(path.join(at.dir, 'snapshot.json'), text);
  return saveDir(at, key);
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
