// The bundled action (dist/index.js) run exactly as the runner runs it, against a GitHub API on 127.0.0.1: a
// pull_request event, INPUT_* variables, the job summary and outputs files. The sticky comment is created, then
// updated (not duplicated); duplicates left by racing runs are removed; a fork's read-only token does not fail
// the scan.

import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Fact } from '../src/rules/types.js';
import { serializeSnapshot } from '../src/snapshot/snapshot.js';
import { type FakeGitHub, GITHUB_ACTIONS, startFakeGitHub, TOKENS } from './helpers/fake-github.js';
import { auditMarkdown, HOSTILE } from './helpers/html-audit.js';
import { sarifValidator } from './helpers/sarif.js';
import { capability, snapshotOf } from './helpers/snapshot.js';
import { lines, makeTree, PARAM_PER_ARCH, type TempTree } from './helpers/tree.js';

const OWNER = 'acme';
const REPO = 'driver';
const HEAD = '1'.repeat(40);
const BASE = '2'.repeat(40);

const DRIVER = (withEvict: boolean): string =>
  lines(
    ...PARAM_PER_ARCH,
    'static const struct dev_pagemap_ops devmem_ops = { .page_free = pf, .migrate_to_ram = fault, };',
    withEvict ? 'int evict(void) { return migrate_device_range(pfns, 0, 8); }' : 'int evict(void) { return 0; }',
    '// TODO: Bug 42: HMM <img src=x> @maintainers'
  );

let tree: TempTree;
let gh: FakeGitHub;
let work: string;

function writeDriver(withEvict: boolean): void {
  writeFileSync(path.join(tree.root, 'src', 'kernel-open', 'nvidia-uvm', 'uvm_hmm.c'), DRIVER(withEvict));
}

beforeAll(() => {
  tree = makeTree({ 'src/README.md': lines('Supports HMM.'), 'work/.keep': '' });
  mkdirSync(path.join(tree.root, 'src', 'kernel-open', 'nvidia-uvm'), { recursive: true });
  work = path.join(tree.root, 'work');
});
afterAll(() => tree.remove());
beforeEach(async () => {
  gh = await startFakeGitHub(OWNER, REPO);
  // 130 comments by people and other bots: the sticky comment must be looked for across pages.
  for (let i = 0; i < 130; i++) {
    gh.comments.push({
      id: i + 1,
      body: i % 2 ? `LGTM ${i}` : `<!-- other-bot --> ${i}`,
      user: { login: i % 2 ? 'dev' : 'github-actions[bot]', type: i % 2 ? 'User' : 'Bot' },
      html_url: `https://github.com/${OWNER}/${REPO}/pull/7#issuecomment-${i + 1}`
    });
  }
});
afterEach(async () => gh.close());

interface Run {
  code: number | null;
  stdout: string;
  summary: string;
  outputs: Record<string, string>;
}

function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out[m[1]] = m[3];
  return out;
}

async function runAction(inputs: Record<string, string>, event: object, eventName = 'pull_request', extraEnv: Record<string, string> = {}): Promise<Run> {
  const eventPath = path.join(work, 'event.json');
  const summary = path.join(work, 'summary.md');
  const outputs = path.join(work, 'outputs.txt');
  writeFileSync(eventPath, JSON.stringify(event));
  writeFileSync(summary, '');
  writeFileSync(outputs, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: tree.root,
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_REF: 'refs/pull/7/merge',
    GITHUB_SHA: HEAD,
    GITHUB_API_URL: gh.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: outputs,
    RUNNER_TEMP: work,
    INPUT_TOKEN: 'ghs_fake_token',
    INPUT_PATH: path.join(tree.root, 'src'),
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...extraEnv
  };
  const child = spawn(process.execPath, [path.resolve('dist/index.js')], { env });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, summary: readFileSync(summary, 'utf8'), outputs: parseOutputs(readFileSync(outputs, 'utf8')) };
}

const prEvent = {
  action: 'synchronize',
  number: 7,
  pull_request: {
    number: 7,
    state: 'open',
    base: { ref: 'main', sha: BASE, repo: { full_name: `${OWNER}/${REPO}` } },
    head: { ref: 'feature', sha: HEAD, repo: { full_name: `${OWNER}/${REPO}` } }
  },
  repository: { full_name: `${OWNER}/${REPO}`, default_branch: 'main', owner: { login: OWNER } }
};

const marked = (): typeof gh.comments => gh.comments.filter((c) => c.body.startsWith('<!-- hmm-watch:comment:default -->'));

async function makeBaseline(): Promise<string> {
  writeDriver(true);
  const r = await runAction({ comment: 'never', summary: 'false', 'json-output': path.join(work, 'base', 'snap.json') }, prEvent);
  expect(r.code).toBe(0);
  return path.join(work, 'base', 'snap.json');
}

describe('the action on a pull request', () => {
  it('creates the sticky comment, then updates it without duplicating; sets outputs and writes the summary', async () => {
    const baseline = await makeBaseline();
    writeDriver(false); // the pull request removes the call of migrate_device_range
    gh.failNextListings = 1; // a transient 502 is retried
    const first = await runAction({ baseline, 'fail-on': 'none' }, prEvent);
    expect(first.code).toBe(0);
    expect(marked()).toHaveLength(1);
    expect(first.outputs).toMatchObject({ status: 'regressed', changes: expect.stringMatching(/^[1-9]\d*$/), 'comment-url': marked()[0].html_url });
    expect(first.outputs['snapshot-path']).toBe(path.join(work, 'hmm-watch-snapshot.json'));
    const body = marked()[0].body;
    expect(body).toMatch(/\*\*Regressed\*\*: 1 capability regressed/);
    expect(body).toMatch(/\| Evicts device-private memory to RAM \(calls migrate_device_range\) \| ✅ enabled \| ➖ absent \|.*\| 🔻 regressed \|/);
    expect(body).toContain(`against the snapshot in ${baseline}`);
    expect(body).not.toMatch(/<img|@maintainers/);
    expect(auditMarkdown(body, { repositories: [`${OWNER}/${REPO}`], marker: '<!-- hmm-watch:comment:default -->' })).toEqual([]);
    expect(auditMarkdown(first.summary, { repositories: [`${OWNER}/${REPO}`] })).toEqual([]);
    expect(first.summary).toMatch(/## hmm-watch: NVIDIA open kernel modules/);
    expect(gh.requests.filter((r) => r.startsWith('GET /repos/acme/driver/issues/7/comments')).length).toBeGreaterThanOrEqual(3); // 502, page 1, page 2
    // Annotations name files relative to the workspace (the scanned tree is its src/ folder here).
    expect(first.stdout).toMatch(
      /::warning title=hmm-watch%3A removed,file=src\/kernel-open\/nvidia-uvm\/uvm_hmm\.c,line=8::migrate_device_range\(\) called in evict\(\)/
    );

    writeDriver(true); // the next push restores the call
    const second = await runAction({ baseline }, prEvent);
    expect(second.code).toBe(0);
    expect(marked()).toHaveLength(1);
    expect(marked()[0].body).toMatch(/\*\*Unchanged\*\*/);
    expect(gh.requests.filter((r) => r.startsWith('PATCH')).length).toBe(1);
    expect(gh.requests.filter((r) => r.startsWith('POST /repos')).length).toBe(1);

    const third = await runAction({ baseline }, prEvent);
    expect(third.stdout).toMatch(/comment unchanged/);
    expect(gh.requests.filter((r) => r.startsWith('PATCH')).length).toBe(1);
  });

  it('keeps one comment when racing runs left several, and fails on a regression when asked', async () => {
    const baseline = await makeBaseline();
    for (const id of [5000, 5001])
      gh.comments.push({ id, body: '<!-- hmm-watch:comment:default -->\nold', user: { login: 'github-actions[bot]', type: 'Bot' }, html_url: `u${id}` });
    gh.comments.push({ id: 6000, body: '<!-- hmm-watch:comment:default -->\nnot mine', user: { login: 'mallory', type: 'User' }, html_url: 'u6000' });
    writeDriver(false);
    const sarif = path.join(work, 'out', 'hmm-watch.sarif');
    const r = await runAction({ baseline, 'fail-on': 'regression', 'sarif-output': sarif }, prEvent);
    expect(r.code).toBe(1);
    // SARIF for code scanning: valid, the regression at its line with the repository's path of the file.
    const log = JSON.parse(readFileSync(sarif, 'utf8'));
    const validate = sarifValidator();
    expect(validate(log)).toBe(true);
    expect(log.runs[0].results).toMatchObject([
      {
        ruleId: 'migrate-device-range',
        level: 'error',
        locations: [{ physicalLocation: { artifactLocation: { uri: 'src/kernel-open/nvidia-uvm/uvm_hmm.c' } } }]
      }
    ]);
    expect(r.outputs['sarif-path']).toBe(sarif);
    // The error names what regressed, and how.
    expect(r.stdout).toMatch(
      /::error::hmm-watch: 1 capability\(ies\) regressed \(fail-on: regression\): Evicts device-private memory to RAM \(calls migrate_device_range\): enabled → absent/
    );
    const mine = marked().filter((c) => c.user.login === 'github-actions[bot]');
    expect(mine.map((c) => c.id)).toEqual([5000]);
    expect(marked().find((c) => c.id === 6000)?.body).toContain('not mine');
  });

  it('does not fail the scan on a fork pull request whose token cannot comment, and says what to do', async () => {
    writeDriver(true);
    gh.readOnly = true;
    const forkEvent = { ...prEvent, pull_request: { ...prEvent.pull_request, head: { ...prEvent.pull_request.head, repo: { full_name: 'someone/driver' } } } };
    const r = await runAction({ baseline: 'none' }, forkEvent);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/::warning::The token cannot write comments here .* 'report-from'/);
    expect(r.summary).toMatch(/\*\*No baseline\*\* \(baseline: none\)/);
    expect(marked()).toHaveLength(0);
    const required = await runAction({ baseline: 'none', 'comment-required': 'true' }, forkEvent);
    expect(required.code).toBe(1);
  });

  it("posts a fork's report from its artifact, finding the pull request from the head commit", async () => {
    writeDriver(true);
    const scan = await runAction(
      { comment: 'never', summary: 'false', baseline: 'none', 'json-output': path.join(work, 'artifact', 'hmm-watch-snapshot.json') },
      prEvent
    );
    expect(scan.code).toBe(0);
    gh.pulls.push({ number: 7, state: 'open', head: { sha: HEAD } });
    const runEvent = {
      action: 'completed',
      workflow_run: { head_sha: HEAD, head_branch: 'feature', pull_requests: [], head_repository: { owner: { login: 'someone' } } },
      repository: prEvent.repository
    };
    const r = await runAction({ 'report-from': path.join(work, 'artifact') }, runEvent, 'workflow_run');
    expect(r.code).toBe(0);
    expect(marked()).toHaveLength(1);
    expect(gh.requests).toContain(`GET /repos/acme/driver/commits/${HEAD}/pulls`);
  });

  it('waits out a secondary rate limit (retry-after), comments on-change only when something changed, and fails on a contradiction', async () => {
    const baseline = await makeBaseline();
    const quiet = await runAction({ baseline, comment: 'on-change' }, prEvent);
    expect(quiet.code).toBe(0);
    expect(quiet.outputs.status).toBe('unchanged');
    expect(marked()).toHaveLength(0);

    writeDriver(false);
    gh.secondaryLimitNextWrites = 1;
    const changed = await runAction({ baseline, comment: 'on-change' }, prEvent);
    expect(changed.code).toBe(0);
    expect(changed.stdout).toMatch(/secondary rate limit on POST .*retrying after 1 s/);
    expect(marked()).toHaveLength(1);
    expect(gh.requests.filter((r) => r.startsWith('POST /repos')).length).toBe(2);

    const expectations = path.join(work, 'expect.yml');
    writeFileSync(expectations, 'expectations:\n  - capability: migrate-device-range\n    expect: enabled\n');
    const contradicted = await runAction({ baseline, expectations, 'fail-on': 'contradiction' }, prEvent);
    expect(contradicted.code).toBe(1);
    expect(contradicted.stdout).toMatch(
      /::error::hmm-watch: 1 contradiction\(s\) with the expectations \(fail-on: contradiction\): migrate-device-range: expected enabled, is absent/
    );
    expect(marked()[0].body).toMatch(/\| Claimed \|/);
  });
  it('renders a hostile fork artifact safely in the comment and the job summary, and refuses a malformed one', async () => {
    // The artifact a fork's run uploads: every text hostile, its remote and prefix pointing elsewhere.
    const artifact = path.join(work, 'hostile');
    mkdirSync(artifact, { recursive: true });
    const facts = [
      { rule: 'calls', kind: 'call', file: `a/${HOSTILE.replace(/\//g, ' ')}.c`, line: 3, condition: HOSTILE, callee: HOSTILE, function: HOSTILE }
    ] as Fact[];
    const cap = capability('c', 'conditional', facts, { title: HOSTILE, because: HOSTILE, conditionalStatus: 'enabled', condition: HOSTILE });
    const hostile = snapshotOf(facts, [cap], {
      profile: { id: 'p', version: 1, title: HOSTILE, hash: 'h', source: HOSTILE },
      tree: { root: HOSTILE, git: { commit: HEAD, ref: HOSTILE, prefix: '../../../../evil/repo/blob/main/', remote: 'https://github.com/evil/repo.git' } },
      diagnostics: {
        parseErrors: 1,
        filesParsed: 1,
        skipped: [{ file: HOSTILE, reason: 'binary', detail: HOSTILE }],
        files: [{ file: HOSTILE, kind: 'read', message: HOSTILE }]
      }
    });
    writeFileSync(path.join(artifact, 'hmm-watch-snapshot.json'), serializeSnapshot(hostile));
    writeFileSync(path.join(artifact, 'hmm-watch-baseline.json'), serializeSnapshot({ ...hostile, capabilities: [{ ...cap, status: 'enabled' }] }));
    gh.pulls.push({ number: 7, state: 'open', head: { sha: HEAD } });
    const runEvent = { action: 'completed', workflow_run: { head_sha: HEAD, head_branch: 'feature', pull_requests: [] }, repository: prEvent.repository };
    const r = await runAction({ 'report-from': artifact }, runEvent, 'workflow_run');
    expect(r.code).toBe(0);
    expect(marked()).toHaveLength(1);
    const options = { repositories: [`${OWNER}/${REPO}`] };
    expect(auditMarkdown(marked()[0].body, { ...options, marker: '<!-- hmm-watch:comment:default -->' })).toEqual([]);
    expect(auditMarkdown(r.summary, options)).toEqual([]);
    expect(marked()[0].body).toMatch(/🔻 regressed/);

    // Malformed: the run fails with the file and the JSON path, no stack trace; a missing folder says so.
    writeFileSync(path.join(artifact, 'hmm-watch-snapshot.json'), JSON.stringify({ ...hostile, capabilities: [{ ...cap, status: 'constructor' }] }));
    const bad = await runAction({ 'report-from': artifact }, runEvent, 'workflow_run');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(
      `::error::report-from: ${path.join(artifact, 'hmm-watch-snapshot.json')}: /capabilities/0/status: must be one of enabled, disabled, conditional, absent, unknown`
    );
    expect(bad.stdout).not.toMatch(/TypeError|\n\s+at /);
    const missing = await runAction({ 'report-from': path.join(work, 'no-such-artifact') }, runEvent, 'workflow_run');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(
      `::error::report-from: ${path.join(work, 'no-such-artifact')} does not exist (the artifact's folder or snapshot file: download the artifact first)`
    );
  });
});

const forkEvent = { ...prEvent, pull_request: { ...prEvent.pull_request, head: { ...prEvent.pull_request.head, repo: { full_name: 'someone/driver' } } } };
const listings = (): number[] => gh.requests.flatMap((r, i) => (r.startsWith('GET /repos/acme/driver/issues/7/comments') ? [i] : []));

describe('the action on real runners: identity', () => {
  it('updates its own comment with a GitHub App installation token (GET /user answers 403) instead of adding one each run', async () => {
    writeDriver(true);
    const app = TOKENS.ghs_app_installation;
    for (let i = 0; i < 2; i++) {
      writeDriver(i === 0);
      const r = await runAction({ baseline: 'none', token: 'ghs_app_installation' }, prEvent);
      expect(r.code).toBe(0);
    }
    expect(gh.requests).toContain('POST /graphql');
    expect(marked()).toHaveLength(1);
    expect(marked()[0].user).toEqual(app);
    // The other bots' and people's comments are untouched.
    expect(gh.comments).toHaveLength(131);
    expect(gh.requests.filter((r) => /^(PATCH|DELETE)/.test(r))).toEqual([`PATCH /repos/acme/driver/issues/comments/${marked()[0].id}`]);
  });

  it('keeps one comment when the account cannot be asked at all (no GraphQL, GET /user 403): the new comment tells whose the old one was', async () => {
    gh.noGraphQL = true;
    for (let i = 0; i < 2; i++) {
      writeDriver(i === 0);
      expect((await runAction({ baseline: 'none', token: 'ghs_app_installation' }, prEvent)).code).toBe(0);
    }
    expect(marked()).toHaveLength(1);
    expect(marked()[0].user).toEqual(TOKENS.ghs_app_installation);
    expect(gh.comments).toHaveLength(131); // the 130 others untouched
  });

  it("on a token switch hides the older bot comment as outdated, never a person's, and then keeps one comment", async () => {
    writeDriver(true);
    expect((await runAction({ baseline: 'none' }, prEvent)).code).toBe(0); // GITHUB_TOKEN
    const old = marked()[0];
    expect(old.user).toEqual(GITHUB_ACTIONS);
    gh.comments.push({
      id: 7000,
      node_id: 'IC_7000',
      body: '<!-- hmm-watch:comment:default -->\nquoted by a person',
      user: { login: 'mallory', type: 'User', id: 666 },
      html_url: 'u7000'
    });

    const switched = await runAction({ baseline: 'none', token: 'ghp_personal' }, prEvent);
    expect(switched.code).toBe(0);
    expect(switched.stdout).toMatch(/comment created: .* \(1 older comment\(s\) by another token hidden as outdated\)/);
    const alice = marked().filter((c) => c.user.login === 'alice');
    expect(alice).toHaveLength(1);
    expect(gh.comments.find((c) => c.id === old.id)).toMatchObject({ minimized: 'OUTDATED', body: old.body });
    expect(gh.comments.find((c) => c.id === 7000)).toMatchObject({ body: '<!-- hmm-watch:comment:default -->\nquoted by a person' });
    expect(gh.comments.find((c) => c.id === 7000)?.minimized).toBeUndefined();

    const again = await runAction({ baseline: 'none', token: 'ghp_personal' }, prEvent);
    expect(again.stdout).toMatch(/comment unchanged/);
    expect(marked().filter((c) => c.user.login === 'alice')).toHaveLength(1);
    expect(gh.requests.filter((r) => r === 'POST /repos/acme/driver/issues/7/comments')).toHaveLength(2);
  });
});

describe('the action on real runners: rate limits, cache, tokens and messages', () => {
  it('waits the retry-after of a 429 before retrying, and until the reset of a primary limit', async () => {
    writeDriver(true);
    gh.tooManyNextListings = { count: 1, retryAfter: 2 };
    const r = await runAction({ baseline: 'none' }, prEvent);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/secondary rate limit on GET .*retrying after 2 s/);
    let [limited, retried] = listings();
    expect(listings()).toHaveLength(3); // the 429, then pages 1 and 2
    const waited = gh.times[retried] - gh.times[limited];
    expect(waited).toBeGreaterThanOrEqual(2000);
    process.stdout.write(`429 retry-after 2: ${listings().length} listing requests, waited ${waited} ms\n`);

    const before = gh.requests.length;
    gh.primaryLimitNextListings = { count: 1, resetIn: 1 };
    const primary = await runAction({ baseline: 'none' }, prEvent);
    expect(primary.code).toBe(0);
    expect(primary.stdout).toMatch(/GitHub API rate limit on GET /);
    [limited, retried] = listings().filter((i) => i >= before);
    const reset = Number(primary.stdout.match(/retrying after (\d+) s/)?.[1]);
    expect(reset).toBeGreaterThanOrEqual(1);
    expect(gh.times[retried] - gh.times[limited]).toBeGreaterThanOrEqual(1000);
    process.stdout.write(`429 x-ratelimit-remaining 0: retried after ${gh.times[retried] - gh.times[limited]} ms\n`);
  });

  it('says a snapshot was not saved when the cache service refuses it (saveCache returns -1)', async () => {
    writeDriver(true);
    const push = { ref: 'refs/heads/main', before: BASE, after: HEAD, repository: prEvent.repository };
    const cacheEnv = {
      ACTIONS_CACHE_SERVICE_V2: 'true',
      ACTIONS_RESULTS_URL: `${gh.url}/`,
      ACTIONS_RUNTIME_TOKEN: 'fake-runtime-token',
      GITHUB_REF: 'refs/heads/main'
    };
    const r = await runAction({ baseline: 'cache', comment: 'never' }, push, 'push', cacheEnv);
    expect(r.code).toBe(0);
    const key = gh.cacheCalls.find(([m]) => m === 'CreateCacheEntry')?.[1];
    // The restore asks for the version the save makes: the cache service versions an entry by its paths, so a
    // snapshot saved from one folder and looked for in another would never be found.
    const version = (method: string): string | undefined => gh.cacheCalls.find(([m]) => m === method)?.[2];
    expect(version('GetCacheEntryDownloadURL')).toMatch(/^[0-9a-f]{64}$/);
    expect(version('GetCacheEntryDownloadURL')).toBe(version('CreateCacheEntry'));
    expect(key).toMatch(/^hmm-watch-v1-nvidia-uvm-hmm-[0-9a-f]+-[0-9a-f]{12}-refs_heads_main-1{40}$/);
    expect(r.stdout).not.toMatch(/snapshot saved to the cache/);
    expect(r.stdout).toContain(`::warning::hmm-watch: the snapshot was NOT saved to the cache as ${key}`);
  });

  it('writes the summary and warns when the token is empty (a fork gets no secrets), unless the comment is required', async () => {
    writeDriver(true);
    const r = await runAction({ baseline: 'none', token: '' }, forkEvent);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/::warning::input 'token' is empty, so there is no comment \(a pull request from a fork gets no secrets\)/);
    expect(r.summary).toMatch(/## hmm-watch: NVIDIA open kernel modules/);
    expect(gh.requests).toHaveLength(0);
    const required = await runAction({ baseline: 'none', token: '', 'comment-required': 'true' }, forkEvent);
    expect(required.code).toBe(1);
  });

  it('names the missing permission on a same-repository pull request whose token cannot comment', async () => {
    writeDriver(true);
    gh.readOnly = true;
    const r = await runAction({ baseline: 'none' }, prEvent);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/::warning::The token cannot write comments here \(HTTP 403\): give the job 'permissions: pull-requests: write'/);
    expect(r.stdout).not.toMatch(/fork/);
  });

  it('rejects bad inputs with a message that says what to write, before scanning', async () => {
    writeDriver(true);
    const scanned = /hmm-watch: \d+ facts/;
    const missing = await runAction({ 'report-from': path.join(work, 'no-artifact') }, prEvent);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/::error::report-from: .*no-artifact does not exist/);
    expect(missing.stdout).not.toMatch(/ENOENT/);

    const ref = await runAction({ baseline: 'main' }, prEvent);
    expect(ref.code).toBe(1);
    expect(ref.stdout).toMatch(/::error::baseline file main: no such file .*write 'ref:main'/);
    expect(ref.stdout).not.toMatch(scanned);

    const zero = await runAction({ 'max-file-size': '0' }, prEvent);
    expect(zero.code).toBe(1);
    expect(zero.stdout).toMatch(/::error::input 'max-file-size' must be at least 1, not '0'/);
    expect(zero.stdout).not.toMatch(scanned);

    const expectations = path.join(work, 'bad-expect.yml');
    writeFileSync(expectations, 'expectations:\n  - capability: migrate-device-range\n    expect: enabeld\n');
    const bad = await runAction({ expectations, baseline: 'none' }, prEvent);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/expectations\.0\.expect: must be one of enabled, disabled, conditional, absent, unknown, not "enabeld"/);
    expect(bad.stdout).not.toMatch(scanned);

    writeFileSync(expectations, 'expectations:\n  - capability: no-such-capability\n    expect: enabled\n');
    const unknown = await runAction({ expectations, baseline: 'none' }, prEvent);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toMatch(/capability 'no-such-capability' is not in profile nvidia-uvm-hmm/);
    expect(unknown.stdout).not.toMatch(scanned);
  });

  it('keeps the capability table in the comment with 3,730 skipped files and a 70,000-character function name', async () => {
    // A tree of its own: thousands of binary files where the rules read, and one huge identifier around a call.
    const big = path.join(tree.root, 'big');
    const dir = path.join(big, 'kernel-open', 'nvidia-uvm');
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 3730; i++) writeFileSync(path.join(dir, `blob_${i}.c`), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, i % 256]));
    const name = `evict_${'x'.repeat(70_000)}`;
    writeFileSync(path.join(dir, 'uvm_hmm.c'), lines(...PARAM_PER_ARCH, `int ${name}(void) { return migrate_device_range(pfns, 0, 8); }`));
    const r = await runAction({ path: big, baseline: 'none', comment: 'always' }, prEvent);
    expect(r.code).toBe(0);
    expect(marked()).toHaveLength(1);
    const body = marked()[0].body;
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(/\| Capability \| Status \| Evidence \|/);
    expect(body).toMatch(/\| Evicts device-private memory to RAM \(calls migrate_device_range\) \| ✅ enabled \|/);
    expect(body).toMatch(/\| HMM enabled by default on x86_64 \| ✅ enabled \|/);
    expect(body).toContain('files skipped: 3730');
    expect(body).toMatch(/more characters cut/);
    expect(body).not.toContain('x'.repeat(5000));
    expect(auditMarkdown(body, { repositories: [`${OWNER}/${REPO}`], marker: '<!-- hmm-watch:comment:default -->' })).toEqual([]);
  });

  it('annotates a removed TODO Bug marker as a notice (an improvement), an added one as a warning', async () => {
    const baseline = await makeBaseline(); // with the marker
    const file = path.join(tree.root, 'src', 'kernel-open', 'nvidia-uvm', 'uvm_hmm.c');
    writeFileSync(file, DRIVER(true).replace(/^\/\/ TODO: Bug 42.*$/m, '// fixed'));
    const removed = await runAction({ baseline, comment: 'never' }, prEvent);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/::notice title=hmm-watch%3A removed,file=src\/kernel-open\/nvidia-uvm\/uvm_hmm\.c,line=\d+::.*TODO/);
    expect(removed.stdout).not.toMatch(/::warning title=hmm-watch%3A removed/);

    const clean = path.join(work, 'clean.json');
    await runAction({ comment: 'never', summary: 'false', baseline: 'none', 'json-output': clean }, prEvent);
    writeDriver(true);
    const added = await runAction({ baseline: clean, comment: 'never' }, prEvent);
    expect(added.stdout).toMatch(/::warning title=hmm-watch%3A added,file=src\/kernel-open\/nvidia-uvm\/uvm_hmm\.c,line=\d+::.*TODO/);
  });
});
