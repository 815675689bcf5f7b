// A small GitHub REST API on 127.0.0.1 for end-to-end tests: the issue-comment endpoints with pagination (Link
// headers), the pull-request lookup by commit, and realistic error responses. Each token is an account, as on
// GitHub: `GET /user` answers for a person's token and 403s for GITHUB_TOKEN and a GitHub App installation token;
// GraphQL `viewer` answers for all three; `minimizeComment` hides a comment. It also answers the cache service's
// Twirp calls (ACTIONS_RESULTS_URL) the way a refused reservation does. Issues are
// open or closed; the cache service's v1 lookup answers a miss or a server error.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeUser {
  login: string;
  type: 'User' | 'Bot';
  id?: number;
}

/** The accounts behind the tokens the tests use; any other token is GITHUB_TOKEN (github-actions[bot]). */
export const GITHUB_ACTIONS: FakeUser = { login: 'github-actions[bot]', type: 'Bot', id: 41898282 };
export const TOKENS: Record<string, FakeUser> = {
  ghs_app_installation: { login: 'hmm-app[bot]', type: 'Bot', id: 900001 },
  ghp_personal: { login: 'alice', type: 'User', id: 1001 }
};

export interface FakeComment {
  id: number;
  node_id?: string;
  body: string;
  user: FakeUser;
  html_url: string;
  /** Set by minimizeComment: the classifier. */
  minimized?: string;
  /** The issue or pull request it was posted on. */
  issue?: number;
}

export interface FakeGitHub {
  url: string;
  comments: FakeComment[];
  requests: string[];
  /** When each request arrived (ms since the epoch), by index into requests. */
  times: number[];
  /** The next N comment listings answer 429 with this retry-after (a secondary rate limit). */
  tooManyNextListings: { count: number; retryAfter: number };
  /** The next N comment listings answer 429 with x-ratelimit-remaining: 0 and a reset this many seconds ahead (the primary limit). */
  primaryLimitNextListings: { count: number; resetIn: number };
  /** POST /graphql answers 404 (a server without GraphQL): the token's account cannot be asked. */
  noGraphQL: boolean;
  /** The cache service refuses every reservation (CreateCacheEntry answers ok: false). */
  cacheRefuses: boolean;
  /** Keys asked of the cache service: [method, key, version] (the version names the paths of the entry). */
  cacheCalls: Array<[string, string, string]>;
  /** Comment writes answer 403 "Resource not accessible by integration" (a fork's read-only token). */
  readOnly: boolean;
  /** The next N comment listings answer 502 (a transient failure). */
  failNextListings: number;
  /** The next N comment creations answer 403 "secondary rate limit" with retry-after: 1. */
  secondaryLimitNextWrites: number;
  pulls: Array<{ number: number; state: string; head: { sha: string } }>;
  issues: FakeIssue[];
  /** What the cache service's lookup answers: 204 (no entry) or 500. */
  cache: 'miss' | 'error';
  close(): Promise<void>;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  user: FakeUser;
  html_url: string;
  state_reason?: string;
}

const PER_PAGE_MAX = 100;

function send(res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

const notFound = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' };
const forbidden = {
  message: 'Resource not accessible by integration',
  documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
  status: '403'
};

export async function startFakeGitHub(owner: string, repo: string): Promise<FakeGitHub> {
  let nextId = 1000;
  const state: Omit<FakeGitHub, 'url' | 'close'> = {
    comments: [],
    requests: [],
    times: [],
    readOnly: false,
    failNextListings: 0,
    secondaryLimitNextWrites: 0,
    tooManyNextListings: { count: 0, retryAfter: 0 },
    primaryLimitNextListings: { count: 0, resetIn: 0 },
    noGraphQL: false,
    cacheRefuses: true,
    cacheCalls: [],
    pulls: [],
    issues: [],
    cache: 'miss'
  };
  const base = `/repos/${owner}/${repo}`;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      state.requests.push(`${req.method} ${url.pathname}${url.search}`);
      state.times.push(Date.now());
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { body?: string }) : {};
      if (!req.headers.authorization) return send(res, 401, { message: 'Requires authentication', status: '401' });
      const token = req.headers.authorization.replace(/^(token|bearer)\s+/i, '');
      const me = TOKENS[token] ?? GITHUB_ACTIONS;

      if (url.pathname.startsWith('/_apis/artifactcache/'))
        return state.cache === 'miss' ? send(res, 204) : send(res, 500, { message: 'Internal Server Error' });
      const twirp = /^\/twirp\/github\.actions\.results\.api\.v1\.CacheService\/(\w+)$/.exec(url.pathname);
      if (twirp && req.method === 'POST') {
        const call = body as { key?: string; version?: string };
        state.cacheCalls.push([twirp[1], call.key ?? '', call.version ?? '']);
        if (twirp[1] === 'CreateCacheEntry') return send(res, 200, state.cacheRefuses ? { ok: false, message: '' } : { ok: true, signed_upload_url: '' });
        if (twirp[1] === 'GetCacheEntryDownloadURL') return send(res, 200, { ok: false, signed_download_url: '', matched_key: '' });
        return send(res, 404, { code: 'not_found', msg: 'no such method' });
      }
      if (req.method === 'GET' && url.pathname === '/user')
        return me.type === 'User'
          ? send(res, 200, me)
          : send(res, 403, { ...forbidden, documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user' });
      if (req.method === 'POST' && url.pathname === '/graphql') {
        if (state.noGraphQL) return send(res, 404, notFound);
        const q = body as { query?: string; variables?: { id?: string } };
        if (/\bviewer\b/.test(q.query ?? '')) return send(res, 200, { data: { viewer: { login: me.login, databaseId: me.id ?? null } } });
        if (/\bminimizeComment\b/.test(q.query ?? '')) {
          const c = state.comments.find((x) => x.node_id === q.variables?.id);
          if (!c)
            return send(res, 200, {
              data: null,
              errors: [{ type: 'NOT_FOUND', message: `Could not resolve to a node with the global id of '${q.variables?.id}'` }]
            });
          c.minimized = 'OUTDATED';
          return send(res, 200, { data: { minimizeComment: { minimizedComment: { isMinimized: true } } } });
        }
        return send(res, 200, { errors: [{ message: 'unsupported query' }] });
      }

      let m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(url.pathname);
      if (m && url.pathname.startsWith(base)) {
        if (req.method === 'GET') {
          if (state.failNextListings > 0) {
            state.failNextListings--;
            return send(res, 502, { message: 'Server Error' });
          }
          if (state.tooManyNextListings.count > 0) {
            state.tooManyNextListings.count--;
            return send(
              res,
              429,
              { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', status: '429' },
              { 'retry-after': String(state.tooManyNextListings.retryAfter) }
            );
          }
          if (state.primaryLimitNextListings.count > 0) {
            state.primaryLimitNextListings.count--;
            const reset = Math.ceil(Date.now() / 1000) + state.primaryLimitNextListings.resetIn;
            return send(
              res,
              429,
              { message: 'API rate limit exceeded for installation.', status: '429' },
              { 'x-ratelimit-remaining': '0', 'x-ratelimit-limit': '5000', 'x-ratelimit-reset': String(reset) }
            );
          }
          const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), PER_PAGE_MAX);
          const page = Number(url.searchParams.get('page') ?? 1);
          const slice = state.comments.slice((page - 1) * perPage, page * perPage);
          const last = Math.max(1, Math.ceil(state.comments.length / perPage));
          const link: Record<string, string> =
            page < last
              ? {
                  link: `<http://${req.headers.host}${url.pathname}?per_page=${perPage}&page=${page + 1}>; rel="next", <http://${req.headers.host}${url.pathname}?per_page=${perPage}&page=${last}>; rel="last"`
                }
              : {};
          return send(res, 200, slice, link);
        }
        if (req.method === 'POST') {
          if (state.readOnly) return send(res, 403, forbidden);
          if (state.secondaryLimitNextWrites > 0) {
            state.secondaryLimitNextWrites--;
            return send(
              res,
              403,
              {
                message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
                documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
                status: '403'
              },
              { 'retry-after': '1' }
            );
          }
          if (typeof body.body !== 'string') return send(res, 422, { message: 'Validation Failed', errors: [{ field: 'body', code: 'missing_field' }] });
          if (Buffer.byteLength(body.body) > 65536)
            return send(res, 422, {
              message: 'Validation Failed',
              errors: [{ field: 'body', code: 'custom', message: 'body is too long (maximum is 65536 characters)' }]
            });
          const id = nextId++;
          const c: FakeComment = {
            id,
            node_id: `IC_${id}`,
            body: body.body,
            user: me,
            html_url: `https://github.com/${owner}/${repo}/pull/${m[1]}#issuecomment-${id}`,
            issue: Number(m[1])
          };
          state.comments.push(c);
          return send(res, 201, c);
        }
      }
      m = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(url.pathname);
      if (m && url.pathname.startsWith(base)) {
        const c = state.comments.find((x) => x.id === Number(m![1]));
        if (!c) return send(res, 404, notFound);
        if (state.readOnly) return send(res, 403, forbidden);
        if (req.method === 'PATCH') {
          c.body = body.body ?? c.body;
          return send(res, 200, c);
        }
        if (req.method === 'DELETE') {
          state.comments = state.comments.filter((x) => x !== c);
          return send(res, 204);
        }
      }
      if (url.pathname === `${base}/issues`) {
        if (req.method === 'GET') {
          const wanted = url.searchParams.get('state') ?? 'open';
          const open = state.issues.filter((i) => wanted === 'all' || i.state === wanted);
          const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), PER_PAGE_MAX);
          const page = Number(url.searchParams.get('page') ?? 1);
          const last = Math.max(1, Math.ceil(open.length / perPage));
          const link: Record<string, string> =
            page < last ? { link: `<http://${req.headers.host}${url.pathname}?state=${wanted}&per_page=${perPage}&page=${page + 1}>; rel="next"` } : {};
          return send(res, 200, open.slice((page - 1) * perPage, page * perPage), link);
        }
        if (req.method === 'POST') {
          if (state.readOnly) return send(res, 403, forbidden);
          const b = body as { title?: string; body?: string };
          if (!b.title) return send(res, 422, { message: 'Validation Failed', errors: [{ field: 'title', code: 'missing_field' }] });
          if (Buffer.byteLength(b.body ?? '') > 65536)
            return send(res, 422, {
              message: 'Validation Failed',
              errors: [{ field: 'body', code: 'custom', message: 'body is too long (maximum is 65536 characters)' }]
            });
          const n = state.issues.length + state.pulls.length + 100;
          const issue: FakeIssue = {
            number: n,
            title: b.title,
            body: b.body ?? '',
            state: 'open',
            user: me,
            html_url: `https://github.com/${owner}/${repo}/issues/${n}`
          };
          state.issues.push(issue);
          return send(res, 201, issue);
        }
      }
      m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)$/.exec(url.pathname);
      if (m && req.method === 'PATCH') {
        const issue = state.issues.find((i) => i.number === Number(m![1]));
        if (!issue) return send(res, 404, notFound);
        const b = body as { title?: string; body?: string; state?: 'open' | 'closed'; state_reason?: string };
        if (Buffer.byteLength(b.body ?? '') > 65536)
          return send(res, 422, {
            message: 'Validation Failed',
            errors: [{ field: 'body', code: 'custom', message: 'body is too long (maximum is 65536 characters)' }]
          });
        issue.title = b.title ?? issue.title;
        issue.body = b.body ?? issue.body;
        issue.state = b.state ?? issue.state;
        issue.state_reason = b.state_reason ?? issue.state_reason;
        return send(res, 200, issue);
      }
      m = /^\/repos\/[^/]+\/[^/]+\/commits\/([0-9a-f]+)\/pulls$/.exec(url.pathname);
      if (m && req.method === 'GET')
        return send(
          res,
          200,
          state.pulls.filter((p) => p.head.sha === m![1])
        );
      if (url.pathname === `${base}/pulls` && req.method === 'GET') return send(res, 200, []);
      return send(res, 404, notFound);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake = state as FakeGitHub;
  fake.url = `http://127.0.0.1:${port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}
