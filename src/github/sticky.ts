// The sticky comment: one comment per hmm-watch instance on an issue or pull request, found again by a hidden
// marker at the start of its body among the comments this token's account wrote. The logic (upsertSticky) works
// on a CommentThread, so that tests can pass a fake; commentThread() is the thread of the GitHub API.
import * as core from '@actions/core';
import type { Octokit, Repo } from './api.js';
import { type Author, type Identity, isAuthor, ownIdentity } from './identity.js';

/** The hidden marker that starts the body of this instance's comment (or, with `issue:`, its tracking issue). */
export function marker(commentId: string): string {
  return `<!-- hmm-watch:comment:${commentId.replace(/-->/g, '')} -->`;
}

/** Whether a body is marked with `tag`: it starts with it (a comment that quotes the marker later is not). */
export function hasMarker(body: string | null | undefined, tag: string): boolean {
  return (body ?? '').startsWith(tag);
}

export interface ThreadComment {
  id: number;
  node_id: string;
  body?: string | null;
  user?: Author | null;
  html_url: string;
}

/** What the sticky comment needs of an issue's or a pull request's comments (the API, or a fake in tests). */
export interface CommentThread {
  /** The account this token writes as, when it can be asked. */
  identity(): Promise<Identity | undefined>;
  /** Every comment, across all pages. */
  list(): Promise<ThreadComment[]>;
  create(body: string): Promise<ThreadComment>;
  update(id: number, body: string): Promise<ThreadComment>;
  remove(id: number): Promise<void>;
  /** Hides a comment as outdated. */
  minimize(nodeId: string): Promise<void>;
}

/** The comments of issue or pull request `issueNumber`, through the API. */
export function commentThread(octokit: Octokit, repo: Repo, issueNumber: number): CommentThread {
  return {
    identity: () => ownIdentity(octokit),
    list: () => octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: issueNumber, per_page: 100 }),
    create: async (body) => (await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body })).data,
    update: async (id, body) => (await octokit.rest.issues.updateComment({ ...repo, comment_id: id, body })).data,
    remove: async (id) => {
      await octokit.rest.issues.deleteComment({ ...repo, comment_id: id });
    },
    minimize: async (nodeId) => {
      await octokit.graphql('mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized } } }', {
        id: nodeId
      });
    }
  };
}

export interface StickyResult {
  action: 'created' | 'updated' | 'unchanged';
  url: string;
  removedDuplicates: number;
  /** Older comments with the same marker by another bot (written with another token), hidden as outdated. */
  minimized: number;
}

/** Hides comments as outdated; the number hidden. A comment that cannot be is left, said in the log. */
async function minimize(thread: CommentThread, comments: ThreadComment[]): Promise<number> {
  let done = 0;
  for (const c of comments) {
    try {
      await thread.minimize(c.node_id);
      done++;
    } catch (e) {
      core.info(`hmm-watch: the older comment ${c.html_url} could not be hidden as outdated (${(e as Error).message})`);
    }
  }
  return done;
}

/**
 * Creates or updates the one comment of this hmm-watch instance in a thread: found by a hidden marker among the
 * comments this token's account wrote; updated only when its body changed; where two runs raced and left several,
 * the oldest is kept and the others removed. A comment someone else wrote is never edited or removed; when a new
 * comment is made, older ones with the marker by another bot (the token changed, e.g. from GITHUB_TOKEN to an
 * app's token) are hidden as outdated. When the token cannot say whose it is, the new comment tells: earlier ones
 * by the same account are then the duplicates.
 */
export async function upsertSticky(thread: CommentThread, commentId: string, body: string): Promise<StickyResult> {
  const tag = marker(commentId);
  const full = `${tag}\n${body}`;
  const me = await thread.identity();
  const marked = (await thread.list()).filter((c) => hasMarker(c.body, tag)).sort((a, b) => a.id - b.id);
  const found = marked.find((c) => isAuthor(c.user, me));
  const made = found ? undefined : await thread.create(full);
  const self = me ?? (made?.user ? { login: made.user.login, id: made.user.id } : undefined);
  const keep = (found ?? made) as ThreadComment;
  // One way to remove duplicates, whichever comment is kept: every other marked comment of this account.
  const duplicates = marked.filter((c) => c.id !== keep.id && isAuthor(c.user, self));
  for (const c of duplicates) await thread.remove(c.id);
  const removedDuplicates = duplicates.length;
  if (made) {
    const stale = marked.filter((c) => c.user?.type === 'Bot' && !isAuthor(c.user, self));
    return { action: 'created', url: made.html_url, removedDuplicates, minimized: await minimize(thread, stale) };
  }
  if (keep.body === full) return { action: 'unchanged', url: keep.html_url, removedDuplicates, minimized: 0 };
  const updated = await thread.update(keep.id, full);
  return { action: 'updated', url: updated.html_url, removedDuplicates, minimized: 0 };
}

/** upsertSticky on issue or pull request `issueNumber`, through the API. */
export function upsertStickyComment(octokit: Octokit, repo: Repo, issueNumber: number, commentId: string, body: string): Promise<StickyResult> {
  return upsertSticky(commentThread(octokit, repo, issueNumber), commentId, body);
}
