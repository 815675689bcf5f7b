// The tracking issue of the watch mode: one open issue per hmm-watch instance, found by a hidden marker at the
// start of its body among the issues this token's account opened, and comments on it for news.
import type { Octokit, Repo } from './api.js';
import { type Author, isAuthor, ownIdentity } from './identity.js';
import { hasMarker, marker } from './sticky.js';

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
      .filter((i) => !i.pull_request && ours(i) && hasMarker(i.body, tag))
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
      hasMarker(i.body, tag)
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
