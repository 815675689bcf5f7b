// Upstream watch, run as the runner runs the bundled action on a schedule, against a local API server: the first
// run opens the tracking issue, which is the report (matrix, transitions, the hidden state of record); a run with
// no new release writes nothing; a new release updates the issue and comments only what it changed; losing the
// Actions cache re-notifies nothing; a closed issue is followed by a new one that links it; a history report over
// GitHub's limit still leaves the matrix and the transitions in the issue. The cache messages tell a miss, a
// failed restore and a run without cache service apart. A token switch (GITHUB_TOKEN to an app's installation
// token) closes the old token's issue with a link to the new one and never touches an issue a person wrote. Every
// body is audited as GitHub would render it.

import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type FakeGitHub, GITHUB_ACTIONS, startFakeGitHub, TOKENS } from './helpers/fake-github.js';
import { auditMarkdown } from './helpers/html-audit.js';
import { lines, makeTree, PARAM_PER_ARCH, type TempTree } from './helpers/tree.js';

let tree: TempTree;
let gh: FakeGitHub;
let upstream: string;
let work: string;
let day = 0;

function git(...args: string[]): string {
  const date = `2026-02-${String(++day).padStart(2, '0')}T10:00:00Z`;
  return execFileSync('git', args, { cwd: upstream, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } }).trim();
}

function release(tag: string, hmmFile: string, extra: Record<string, string> = {}): void {
  writeFileSync(path.join(upstream, 'kernel-open', 'nvidia-uvm', 'uvm_hmm.c'), hmmFile);
  for (const [f, t] of Object.entries(extra)) writeFileSync(path.join(upstream, f), t);
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-qm', tag);
  git('tag', tag);
}

const OFF = lines('#ifdef NVCPU_X86_64', 'static bool uvm_disable_hmm = true;', '#else', 'static bool uvm_disable_hmm = true;', '#endif');
const ON = lines(...PARAM_PER_ARCH);

beforeAll(async () => {
  tree = makeTree({ 'work/.keep': '', 'upstream/README.md': lines('Driver') });
  upstream = path.join(tree.root, 'upstream');
  work = path.join(tree.root, 'work');
  mkdirSync(path.join(upstream, 'kernel-open', 'nvidia-uvm'), { recursive: true });
  git('init', '-q', '-b', 'main');
  git('remote', 'add', 'origin', 'https://x-access-token:ghs_secret@github.com/NVIDIA/open-gpu-kernel-modules.git');
  release('500.1', OFF);
  release('500.2', ON);
  gh = await startFakeGitHub('me', 'watcher');
});
afterAll(async () => {
  await gh.close();
  tree.remove();
});

const historyCache = (): string => path.join(work, 'history-cache');

async function runWatch(env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; summary: string; outputs: string }> {
  const summary = path.join(work, 'summary.md');
  const outputs = path.join(work, 'outputs.txt');
  writeFileSync(summary, '');
  writeFileSync(outputs, '');
  writeFileSync(path.join(work, 'event.json'), JSON.stringify({ schedule: '17 5 * * *', repository: { full_name: 'me/watcher' } }));
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_EVENT_NAME: 'schedule',
    GITHUB_EVENT_PATH: path.join(work, 'event.json'),
    GITHUB_REPOSITORY: 'me/watcher',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: '0'.repeat(40),
    GITHUB_API_URL: gh.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: outputs,
    GITHUB_WORKSPACE: tree.root,
    RUNNER_TEMP: work,
    INPUT_TOKEN: 'ghs_fake',
    INPUT_PATH: upstream,
    INPUT_PROFILE: 'nvidia-uvm-hmm',
    INPUT_HISTORY: 'true',
    'INPUT_RELEASE-TAGS': '500.*',
    INPUT_WATCH: 'true',
    'INPUT_HISTORY-CACHE': historyCache()
  };
  const child = spawn(process.execPath, [path.resolve('dist/index.js')], { env: { ...base, ...env } });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, summary: readFileSync(summary, 'utf8'), outputs: readFileSync(outputs, 'utf8') };
}

// GraphQL queries (the token's account) are POSTs too, but write nothing.
const writes = (): string[] => gh.requests.filter((r) => /^(POST|PATCH|DELETE)/.test(r) && r !== 'POST /graphql');
const stateOf = (body: string): { reported: string[] } => JSON.parse(/<!-- hmm-watch:state (.*) -->/.exec(body)![1]) as { reported: string[] };

describe('watching upstream releases', () => {
  it('keeps one tracking issue that is the report, and comments only what new releases changed', async () => {
    // First run: the issue is opened with the matrix, the transitions with their causes and the state; no comment.
    const first = await runWatch();
    expect(first.code).toBe(0);
    expect(gh.issues).toHaveLength(1);
    const issue = gh.issues[0];
    expect(issue.title).toBe('hmm-watch: NVIDIA open kernel modules (UVM) HMM support across releases of NVIDIA/open-gpu-kernel-modules');
    expect(issue.body).toMatch(/^<!-- hmm-watch:comment:issue:default -->\n## hmm-watch: /);
    expect(issue.body).toMatch(/\| Capability \| 500<br><code>500\.2<\/code> \|/);
    expect(issue.body).toMatch(/\| HMM enabled by default on x86_64 \| ✅ enabled<br><code>500\.2<\/code> \|/);
    expect(issue.body).toMatch(
      /\| <code>500\.2<\/code><br>from <code>500\.1<\/code> \| HMM enabled by default on x86_64 \| 🔺 disabled → enabled \| uvm_disable_hmm defaults to true: <code>uvm_disable_hmm = true<\/code> \(\[kernel-open\/nvidia-uvm\/uvm_hmm\.c:2\]\(https:\/\/github\.com\/NVIDIA\/open-gpu-kernel-modules\/blob\/[0-9a-f]{40}\/kernel-open\/nvidia-uvm\/uvm_hmm\.c#L2\)\)/
    );
    expect(issue.body).not.toContain(tree.root);
    expect(issue.body).not.toContain('ghs_secret');
    expect(stateOf(issue.body).reported.sort()).toEqual(['500.1', '500.2']);
    expect(gh.comments).toHaveLength(0);
    expect(first.outputs).toMatch(/changes<<\S+\n[1-9]/);
    // HMM went from disabled (500.1) to enabled (500.2): the run's status says improved.
    expect(first.outputs).toMatch(/status<<\S+\nimproved\n/);

    // No new release: nothing is written.
    const before = writes().length;
    const quiet = await runWatch();
    expect(quiet.code).toBe(0);
    expect(quiet.summary).toBe('hmm-watch: no new release of NVIDIA/open-gpu-kernel-modules since the last run (2 releases known, newest 500.2).\n');
    expect(writes()).toHaveLength(before);

    // One new release turning HMM off by default on x86_64 again: the body is updated once, one comment lists it.
    release('500.3', OFF);
    const changed = await runWatch();
    expect(changed.code).toBe(0);
    expect(changed.outputs).toMatch(/status<<\S+\nregressed\n/);
    expect(gh.issues).toHaveLength(1);
    const newWrites = writes().slice(before);
    expect(newWrites.filter((w) => w.startsWith('PATCH /repos/me/watcher/issues/'))).toHaveLength(1);
    expect(newWrites.filter((w) => w.startsWith('POST /repos/me/watcher/issues/100/comments'))).toHaveLength(1);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0].body).toMatch(/^New release\(s\) of <code>NVIDIA\/open-gpu-kernel-modules<\/code>: <code>500\.3<\/code>\.\n/);
    expect(gh.comments[0].body).toMatch(/\| <code>500\.3<\/code><br>from <code>500\.2<\/code> \| HMM enabled by default on x86_64 \| 🔻 enabled → disabled \|/);
    expect(gh.comments[0].body).not.toContain('from <code>500.1</code>');
    expect(stateOf(gh.issues[0].body).reported.sort()).toEqual(['500.1', '500.2', '500.3']);
    const repositories = ['NVIDIA/open-gpu-kernel-modules'];
    expect(
      auditMarkdown(gh.issues[0].body, { repositories, marker: '<!-- hmm-watch:comment:issue:default -->', trailer: /\n<!-- hmm-watch:state [^<>]* -->\n*$/ })
    ).toEqual([]);
    expect(auditMarkdown(gh.comments[0].body, { repositories, references: [gh.issues[0].number] })).toEqual([]);
    expect(auditMarkdown(changed.summary, { repositories })).toEqual([]);

    // The Actions cache is lost: the issue still says what was reported; nothing is re-notified.
    rmSync(historyCache(), { recursive: true, force: true });
    const lost = await runWatch();
    expect(lost.code).toBe(0);
    expect(lost.summary).toMatch(/^hmm-watch: no new release of NVIDIA\/open-gpu-kernel-modules since the last run \(3 releases known/);
    expect(writes().length).toBe(before + newWrites.length);
    // ... and when a release comes with the cache lost, only that release is commented.
    rmSync(historyCache(), { recursive: true, force: true });
    release('500.4', OFF.replace('NVCPU_X86_64', 'NVCPU_X86_64 /* same */'));
    const relost = await runWatch();
    expect(relost.code).toBe(0);
    expect(gh.comments).toHaveLength(2);
    expect(gh.comments[1].body).toMatch(/: <code>500\.4<\/code>\.\n/);
    expect(gh.comments[1].body).toContain('No capability changed its status or its cause in them.');
  });

  it('opens a new issue linking the old one when a maintainer closed it, and re-notifies nothing old', async () => {
    gh.issues[0].state = 'closed';
    const quiet = await runWatch();
    expect(quiet.code).toBe(0);
    expect(gh.issues).toHaveLength(1); // no new release: nothing to open yet
    release('500.5', ON);
    const next = await runWatch();
    expect(next.code).toBe(0);
    expect(gh.issues).toHaveLength(2);
    const [old, now] = gh.issues;
    expect(now.state).toBe('open');
    expect(now.body).toContain(`Continues #${old.number}, closed.`);
    const comments = gh.comments.filter((c) => c.issue === now.number);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toMatch(/: <code>500\.5<\/code>\.\n/);
    expect(comments[0].body).toMatch(/🔺 disabled → enabled/);
  });

  it('keeps the matrix and the transitions in the issue when the whole report is over the limit', async () => {
    // Thousands of tracking markers in HMM code make the fact tables alone far larger than an issue body.
    const many = Array.from({ length: 3000 }, (_, i) => `/* TODO: Bug ${1000000 + i}: HMM case ${i} */ static int f${i}(void) { return ${i}; }`);
    release('500.6', OFF, { 'kernel-open/nvidia-uvm/uvm_hmm_more.c': lines(...many) });
    const big = await runWatch();
    expect(big.code).toBe(0);
    const report = readFileSync(path.join(work, 'hmm-watch-report.md'), 'utf8');
    expect(Buffer.byteLength(report)).toBeGreaterThan(65536);
    const now = gh.issues.at(-1)!;
    expect(Buffer.byteLength(now.body)).toBeLessThanOrEqual(65536);
    expect(now.body).toMatch(/\| HMM enabled by default on x86_64 \| ❌ disabled<br><code>500\.6<\/code> \|/);
    expect(now.body).toMatch(/\| <code>500\.6<\/code><br>from <code>500\.5<\/code> \| HMM enabled by default on x86_64 \| 🔻 enabled → disabled \|/);
    expect(stateOf(now.body).reported).toContain('500.6');
    expect(big.stdout).toMatch(/the whole report could not be uploaded as an artifact \(no artifact service in this run/);
  });
  it('with a GitHub App installation token opens its own issue, closes the one the old token wrote, then keeps to its own', async () => {
    const old = gh.issues.find((i) => i.state === 'open')!;
    expect(old.user).toEqual(GITHUB_ACTIONS);
    const person = {
      number: 99,
      title: 'copied',
      body: old.body,
      state: 'open' as const,
      user: { login: 'mallory', type: 'User' as const, id: 666 },
      html_url: 'u99'
    };
    gh.issues.push(person);
    release('500.7', ON);
    const switched = await runWatch({ INPUT_TOKEN: 'ghs_app_installation' });
    expect(switched.code).toBe(0);
    const app = gh.issues.filter((i) => i.user.login === TOKENS.ghs_app_installation.login);
    expect(app).toHaveLength(1);
    expect(old).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect(gh.comments.some((c) => c.body.startsWith(`Superseded by #${app[0].number}`))).toBe(true);
    expect(person).toMatchObject({ state: 'open', title: 'copied', body: old.body });

    release('500.8', OFF);
    const next = await runWatch({ INPUT_TOKEN: 'ghs_app_installation' });
    expect(next.code).toBe(0);
    expect(gh.issues.filter((i) => i.user.login === TOKENS.ghs_app_installation.login)).toHaveLength(1);
    expect(stateOf(app[0].body).reported).toContain('500.8');
    expect(person.body).toBe(old.body);
  });
});

describe('history cache messages', () => {
  const cacheRun = (env: Record<string, string>): ReturnType<typeof runWatch> =>
    runWatch({ INPUT_WATCH: 'false', 'INPUT_HISTORY-CACHE': '', INPUT_SUMMARY: 'false', ...env });
  it('tells a cache miss, a failed restore and a run without cache service apart', async () => {
    const none = await cacheRun({});
    expect(none.stdout).toContain('hmm-watch: no cache service in this run; every release is scanned');
    const service = { ACTIONS_CACHE_URL: `${gh.url}/`, ACTIONS_RUNTIME_TOKEN: 'fake-runtime-token' };
    gh.cache = 'miss';
    const miss = await cacheRun(service);
    expect(miss.stdout).toContain('hmm-watch: no history cache yet (a cache miss); every release is scanned');
    gh.cache = 'error';
    const failed = await cacheRun(service);
    expect(failed.stdout).toMatch(/hmm-watch: the history cache could not be restored \(.+\); every release is scanned/);
    expect(failed.stdout).not.toContain('no history cache yet');
  });
});
