// The sticky comment (src/github/sticky.ts) on a fake thread of comments, and its API adapter and the token's
// account (src/github/identity.ts) against the fake GitHub server: found by the marker at the start of a body,
// among this account's comments only; duplicates removed whichever comment is kept; nobody else's comment touched.

import * as github from '@actions/github';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { Octokit } from '../src/github/api.js';
import { type Identity, isAuthor, ownIdentity } from '../src/github/identity.js';
import { type CommentThread, hasMarker, marker, type ThreadComment, upsertSticky, upsertStickyComment } from '../src/github/sticky.js';
import { type FakeGitHub, GITHUB_ACTIONS, startFakeGitHub, TOKENS } from './helpers/fake-github.js';

const BOT = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
const APP = { login: 'hmm-app[bot]', id: 900001, type: 'Bot' };
const PERSON = { login: 'dev', id: 7, type: 'User' };
const TAG = marker('default');

interface FakeThread extends CommentThread {
  comments: ThreadComment[];
  calls: string[];
}

/** A thread of comments in memory; `me` is the account the token writes as, `known` whether it can be asked. */
function thread(me: { login: string; id: number; type: string }, known = true, minimizeFails = false): FakeThread {
  let next = 100;
  const t: FakeThread = {
    comments: [],
    calls: [],
    identity: async () => (known ? { login: me.login, id: me.id } : undefined),
    list: async () => t.comments.map((c) => ({ ...c })),
    async create(body) {
      const c = { id: next++, node_id: `IC_${next}`, body, user: me, html_url: `https://github.com/a/b/pull/1#issuecomment-${next}` };
      t.comments.push(c);
      t.calls.push(`create ${c.id}`);
      return { ...c };
    },
    async update(id, body) {
      const c = t.comments.find((x) => x.id === id)!;
      c.body = body;
      t.calls.push(`update ${id}`);
      return { ...c, html_url: `${c.html_url}-updated` };
    },
    async remove(id) {
      t.comments = t.comments.filter((x) => x.id !== id);
      t.calls.push(`remove ${id}`);
    },
    async minimize(nodeId) {
      if (minimizeFails) throw new Error('not allowed');
      t.calls.push(`minimize ${nodeId}`);
    }
  };
  return t;
}

function comment(id: number, body: string, user: ThreadComment['user']): ThreadComment {
  return { id, node_id: `IC_${id}`, body, user, html_url: `https://github.com/a/b/pull/1#issuecomment-${id}` };
}

describe('the marker', () => {
  it('is a hidden HTML comment that a comment id cannot close early, and marks a body only at its start', () => {
    expect(marker('default')).toBe('<!-- hmm-watch:comment:default -->');
    expect(marker('a-->b')).toBe('<!-- hmm-watch:comment:ab -->');
    expect(marker('a-->-->b')).toBe('<!-- hmm-watch:comment:ab -->');
    expect(hasMarker(`${TAG}\nreport`, TAG)).toBe(true);
    expect(hasMarker(`> ${TAG}\nquoted`, TAG)).toBe(false);
    expect(hasMarker(null, TAG)).toBe(false);
    expect(hasMarker(undefined, '')).toBe(true);
  });
});

describe('upsertSticky', () => {
  it('creates the comment when there is none, then leaves it when the body is the same, and updates it when not', async () => {
    const t = thread(BOT);
    t.comments.push(comment(1, 'LGTM', PERSON));
    expect(await upsertSticky(t, 'default', 'one')).toEqual({
      action: 'created',
      url: 'https://github.com/a/b/pull/1#issuecomment-101',
      removedDuplicates: 0,
      minimized: 0
    });
    expect(t.comments.at(-1)!.body).toBe(`${TAG}\none`);
    expect(await upsertSticky(t, 'default', 'one')).toEqual({
      action: 'unchanged',
      url: 'https://github.com/a/b/pull/1#issuecomment-101',
      removedDuplicates: 0,
      minimized: 0
    });
    expect(await upsertSticky(t, 'default', 'two')).toEqual({
      action: 'updated',
      url: 'https://github.com/a/b/pull/1#issuecomment-101-updated',
      removedDuplicates: 0,
      minimized: 0
    });
    expect(t.calls).toEqual(['create 100', 'update 100']);
    expect(t.comments.map((c) => c.body)).toEqual(['LGTM', `${TAG}\ntwo`]);
  });

  it('never edits nor removes a comment with the marker that someone else wrote, oldest or newest', async () => {
    const t = thread(BOT);
    t.comments.push(comment(1, `${TAG}\nby a person, first`, PERSON), comment(5, `${TAG}\nmine`, BOT), comment(9, `${TAG}\nby a person, last`, PERSON));
    expect(await upsertSticky(t, 'default', 'new')).toMatchObject({ action: 'updated', removedDuplicates: 0 });
    expect(t.calls).toEqual(['update 5']);
    expect(t.comments.map((c) => c.body)).toEqual([`${TAG}\nby a person, first`, `${TAG}\nnew`, `${TAG}\nby a person, last`]);
  });

  it('does not take a comment that quotes the marker in its middle for the sticky comment', async () => {
    const t = thread(BOT);
    t.comments.push(comment(2, `The old report said:\n> ${TAG}\n> …`, BOT), comment(6, `${TAG}\nmine`, BOT));
    expect(await upsertSticky(t, 'default', 'new')).toMatchObject({ action: 'updated', removedDuplicates: 0 });
    expect(t.calls).toEqual(['update 6']);
    // With only a quoting comment, a new comment is made and the quote stays.
    const q = thread(BOT);
    q.comments.push(comment(2, `quoted: ${TAG}`, BOT));
    expect(await upsertSticky(q, 'default', 'new')).toMatchObject({ action: 'created', removedDuplicates: 0 });
    expect(q.comments.map((c) => c.id)).toEqual([2, 100]);
  });

  it('keeps the oldest of its own marked comments and removes the others, whether it updates or not', async () => {
    const t = thread(BOT);
    t.comments.push(comment(8, `${TAG}\nrace b`, BOT), comment(3, `${TAG}\nrace a`, BOT), comment(4, 'LGTM', PERSON), comment(12, `${TAG}\nrace c`, BOT));
    expect(await upsertSticky(t, 'default', 'new')).toMatchObject({ action: 'updated', removedDuplicates: 2 });
    expect(t.calls).toEqual(['remove 8', 'remove 12', 'update 3']);
    t.comments.push(comment(20, `${TAG}\nnew`, BOT));
    expect(await upsertSticky(t, 'default', 'new')).toEqual({ action: 'unchanged', url: comment(3, '', BOT).html_url, removedDuplicates: 1, minimized: 0 });
    expect(t.comments.map((c) => c.id)).toEqual([3, 4]);
  });

  it('keeps one comment when the token cannot say whose it is: the new comment tells, earlier ones of that account go', async () => {
    const t = thread(APP, false);
    t.comments.push(comment(3, `${TAG}\nold`, APP), comment(4, `${TAG}\nold too`, APP), comment(5, `${TAG}\nby a person`, PERSON));
    expect(await upsertSticky(t, 'default', 'new')).toEqual({
      action: 'created',
      url: 'https://github.com/a/b/pull/1#issuecomment-101',
      removedDuplicates: 2,
      minimized: 0
    });
    expect(t.calls).toEqual(['create 100', 'remove 3', 'remove 4']);
    expect(t.comments.map((c) => c.id)).toEqual([5, 100]);
  });

  it("on a token switch hides another bot's marked comment as outdated, never a person's, and removes none", async () => {
    const t = thread(APP);
    t.comments.push(comment(3, `${TAG}\nby GITHUB_TOKEN`, BOT), comment(4, `${TAG}\nby a person`, PERSON), comment(6, 'other', BOT));
    expect(await upsertSticky(t, 'default', 'new')).toEqual({
      action: 'created',
      url: 'https://github.com/a/b/pull/1#issuecomment-101',
      removedDuplicates: 0,
      minimized: 1
    });
    expect(t.calls).toEqual(['create 100', 'minimize IC_3']);
    // A comment that cannot be hidden is left, and not counted.
    const f = thread(APP, true, true);
    f.comments.push(comment(3, `${TAG}\nby GITHUB_TOKEN`, BOT));
    const log = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await upsertSticky(f, 'default', 'new')).toMatchObject({ action: 'created', minimized: 0 });
      // …and the log says which comment and why.
      expect(log.mock.calls.map(([text]) => String(text))).toContain(
        'hmm-watch: the older comment https://github.com/a/b/pull/1#issuecomment-3 could not be hidden as outdated (not allowed)\n'
      );
    } finally {
      log.mockRestore();
    }
  });

  it("does not take another bot for itself, and leaves a marked comment whose author's account is gone", async () => {
    // Another app's comment with the marker is not this app's (a bot is matched by its own login only).
    const t = thread(APP, false);
    t.comments.push(comment(3, `${TAG}\nby another app`, { login: 'other-app[bot]', type: 'Bot' }), comment(4, `${TAG}\nno author`, null));
    expect(await upsertSticky(t, 'default', 'new')).toEqual({
      action: 'created',
      url: 'https://github.com/a/b/pull/1#issuecomment-101',
      removedDuplicates: 0,
      minimized: 1
    });
    expect(t.calls).toEqual(['create 100', 'minimize IC_3']);
    expect(t.comments.map((c) => c.id)).toEqual([3, 4, 100]);
  });
});

describe('the author check', () => {
  const me: Identity = { login: 'hmm-app', id: 900001 };
  it('goes by id when both sides have one, else by login (a bot login may carry [bot])', () => {
    expect(isAuthor({ login: 'someone-else', id: 900001 }, me)).toBe(true);
    expect(isAuthor({ login: 'hmm-app', id: 1 }, me)).toBe(false);
    expect(isAuthor({ login: 'hmm-app' }, me)).toBe(true);
    expect(isAuthor({ login: 'hmm-app[bot]', type: 'Bot' }, me)).toBe(true);
    expect(isAuthor({ login: 'hmm-app[bot]', type: 'User' }, me)).toBe(false);
    expect(isAuthor({ login: 'other-app[bot]', type: 'Bot' }, { login: 'hmm-app' })).toBe(false);
    expect(isAuthor({ login: 'hmm-app[bot]', type: 'Bot' }, { login: 'other-app' })).toBe(false);
    expect(isAuthor({ login: 'hmm-app[bot]', type: 'Bot' }, { login: 'hmm-app[bot]' })).toBe(true);
    expect(isAuthor({ login: 'hmm-app', id: 900001 }, { login: 'hmm-app' })).toBe(true);
    expect(isAuthor(null, me)).toBe(false);
    expect(isAuthor({ login: 'hmm-app' }, undefined)).toBe(false);
  });
});

describe('the account of a token', () => {
  it('is not taken from a GraphQL answer without a login: GET /user is asked', async () => {
    const asked: string[] = [];
    const octokit = (viewer: unknown, user?: { login: string; id: number }) =>
      ({
        graphql: async () => {
          asked.push('graphql');
          return { viewer };
        },
        rest: {
          users: {
            getAuthenticated: async () => {
              asked.push('user');
              if (!user) throw new Error('403');
              return { data: user };
            }
          }
        }
      }) as unknown as Octokit;
    expect(await ownIdentity(octokit({ login: '' }, { login: 'alice', id: 1001 }))).toEqual({ login: 'alice', id: 1001 });
    expect(await ownIdentity(octokit(null, { login: 'alice', id: 1001 }))).toEqual({ login: 'alice', id: 1001 });
    expect(await ownIdentity(octokit({ login: 'hmm-app[bot]', databaseId: null }))).toEqual({ login: 'hmm-app[bot]', id: undefined });
    expect(await ownIdentity(octokit({}))).toBeUndefined();
    expect(asked).toEqual(['graphql', 'user', 'graphql', 'user', 'graphql', 'graphql', 'user']);
  });
});

describe('through the API (fake GitHub server)', () => {
  let gh: FakeGitHub;
  beforeEach(async () => {
    gh = await startFakeGitHub('acme', 'driver');
  });
  afterEach(async () => gh.close());
  const octokit = (token: string) => github.getOctokit(token, { baseUrl: gh.url });

  it('asks GraphQL viewer for the account, and GET /user where there is no GraphQL (a person’s token; 403 for a bot)', async () => {
    expect(await ownIdentity(octokit('ghs_app_installation'))).toEqual({ login: 'hmm-app[bot]', id: 900001 });
    expect(gh.requests).toEqual(['POST /graphql']);
    gh.noGraphQL = true;
    expect(await ownIdentity(octokit('ghp_personal'))).toEqual({ login: 'alice', id: 1001 });
    expect(gh.requests.slice(1)).toEqual(['POST /graphql', 'GET /user']);
    expect(await ownIdentity(octokit('ghs_app_installation'))).toBeUndefined();
  });

  it('finds its comment across pages with a personal token found by GET /user, and removes its duplicates', async () => {
    gh.noGraphQL = true;
    for (let i = 1; i <= 150; i++) gh.comments.push({ id: i, node_id: `IC_${i}`, body: `c ${i}`, user: GITHUB_ACTIONS, html_url: `u${i}` });
    gh.comments.push({ id: 151, node_id: 'IC_151', body: `${TAG}\nold`, user: TOKENS.ghp_personal, html_url: 'u151' });
    gh.comments.push({ id: 152, node_id: 'IC_152', body: `${TAG}\nraced`, user: TOKENS.ghp_personal, html_url: 'u152' });
    const r = await upsertStickyComment(octokit('ghp_personal'), { owner: 'acme', repo: 'driver' }, 7, 'default', 'new');
    expect(r).toEqual({ action: 'updated', url: 'u151', removedDuplicates: 1, minimized: 0 });
    expect(gh.requests.filter((q) => !q.startsWith('GET /repos'))).toEqual([
      'POST /graphql',
      'GET /user',
      'DELETE /repos/acme/driver/issues/comments/152',
      'PATCH /repos/acme/driver/issues/comments/151'
    ]);
    expect(gh.comments.filter((c) => hasMarker(c.body, TAG)).map((c) => [c.id, c.body])).toEqual([[151, `${TAG}\nnew`]]);
  });

  it("creates its comment on the pull request, and hides another bot's as outdated through GraphQL", async () => {
    gh.comments.push({ id: 1, node_id: 'IC_1', body: `${TAG}\nold`, user: GITHUB_ACTIONS, html_url: 'u1' });
    const r = await upsertStickyComment(octokit('ghs_app_installation'), { owner: 'acme', repo: 'driver' }, 7, 'default', 'new');
    expect(r).toMatchObject({ action: 'created', removedDuplicates: 0, minimized: 1 });
    expect(gh.comments.map((c) => [c.issue, c.user.login, c.minimized])).toEqual([
      [undefined, 'github-actions[bot]', 'OUTDATED'],
      [7, 'hmm-app[bot]', undefined]
    ]);
    expect(r.url).toBe(gh.comments[1].html_url);
  });
});
