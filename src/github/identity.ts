// Whose is a comment or an issue: the account this token writes as, and whether an author is that account. The one
// author check of the sticky comment and the tracking issue; nothing someone else wrote is ever edited or removed.
import type { Octokit } from './api.js';

/** Who writes with this token: a login and, when known, the account id (REST `user.id`, GraphQL `databaseId`). */
export interface Identity {
  login: string;
  id?: number;
}

/** The author of a comment or an issue as the REST API gives it. */
export interface Author {
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
