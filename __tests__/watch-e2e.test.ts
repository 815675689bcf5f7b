// Upstream watch, run as the runner runs the bundled action on a schedule: the first run reports the releases and
// opens the tracking issue; a run with no new release writes one line and touches nothing; a new release that
// changes a capability updates the same issue and comments the transition with a link to the exact line.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GITHUB_ACTIONS, startFakeGitHub, TOKENS, type FakeGitHub } from './helpers/fake-github.js';
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

function release(tag: string, hmmFile: string): void {
  writeFileSync(path.join(upstream, 'kernel-open', 'nvidia-uvm', 'uvm_hmm.c'), hmmFile);
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-qm', tag);
  git('tag', tag);
}

beforeAll(async () => {
  tree = makeTree({ 'work/.keep': '', 'upstream/README.md': lines('Driver') });
  upstream = path.join(tree.root, 'upstream');
  work = path.join(tree.root, 'work');
  mkdirSync(path.join(upstream, 'kernel-open', 'nvidia-uvm'), { recursive: true });
  git('init', '-q', '-b', 'main');
  git('remote', 'add', 'origin', 'https://github.com/NVIDIA/open-gpu-kernel-modules.git');
  release('500.1', lines('#ifdef NVCPU_X86_64', 'static bool uvm_disable_hmm = true;', '#else', 'static bool uvm_disable_hmm = true;', '#endif'));
  release('500.2', lines(...PARAM_PER_ARCH));
  gh = await startFakeGitHub('me', 'watcher');
});
afterAll(async () => {
  await gh.close();
  tree.remove();
});

async function runWatch(token = 'ghs_fake'): Promise<{ code: number | null; stdout: string; summary: string; outputs: string }> {
  const summary = path.join(work, 'summary.md');
  const outputs = path.join(work, 'outputs.txt');
  writeFileSync(summary, '');
  writeFileSync(outputs, '');
  writeFileSync(path.join(work, 'event.json'), JSON.stringify({ schedule: '17 5 * * *', repository: { full_name: 'me/watcher' } }));
  const env: Record<string, string> = {
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
    INPUT_TOKEN: token,
    INPUT_PATH: upstream,
    INPUT_PROFILE: 'nvidia-uvm-hmm',
    INPUT_HISTORY: 'true',
    'INPUT_RELEASE-TAGS': '500.*',
    INPUT_WATCH: 'true',
    'INPUT_HISTORY-CACHE': path.join(work, 'history-cache')
  };
  const child = spawn(process.execPath, [path.resolve('dist/index.js')], { env });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, summary: readFileSync(summary, 'utf8'), outputs: readFileSync(outputs, 'utf8') };
}

const writes = (): string[] => gh.requests.filter((r) => /^(POST|PATCH|DELETE)/.test(r));

describe('watching upstream releases', () => {
  it('opens the tracking issue, stays quiet without new releases, and updates it when a capability changes', async () => {
    const first = await runWatch();
    expect(first.code).toBe(0);
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0].body).toMatch(/^<!-- hmm-watch:comment:issue:default -->\n## hmm-watch history/);
    expect(gh.issues[0].body).toMatch(/🔺 <code>500\.2<\/code> \(line 500, from <code>500\.1<\/code>\): disabled → enabled \[kernel-open\/nvidia-uvm\/uvm_hmm\.c:2\]\(https:\/\/github\.com\/NVIDIA\/open-gpu-kernel-modules\/blob\/[0-9a-f]{40}\/kernel-open\/nvidia-uvm\/uvm_hmm\.c#L2\)/);
    expect(first.outputs).toMatch(/changes<<\S+\n[1-9]/);

    const quiet = await runWatch();
    expect(quiet.code).toBe(0);
    expect(quiet.summary).toBe('hmm-watch: no new release since the last run (2 releases known, newest 500.2).\n');
    const before = writes().length;

    // A new release turns HMM off by default on x86_64 again: the same issue is updated and the change commented.
    release('500.3', lines('#ifdef NVCPU_X86_64', 'static bool uvm_disable_hmm = true;', '#else', 'static bool uvm_disable_hmm = true;', '#endif'));
    const changed = await runWatch();
    expect(changed.code).toBe(0);
    expect(changed.outputs).toMatch(/status<<\S+\nregressed\n/);
    expect(gh.issues).toHaveLength(1);
    const newWrites = writes().slice(before);
    expect(newWrites.filter((w) => w.startsWith('PATCH /repos/me/watcher/issues/'))).toHaveLength(1);
    const comments = gh.comments.filter((c) => c.body.startsWith('New releases: <code>500.3</code>'));
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toMatch(/🔻 <code>500\.3<\/code> \(line 500, from <code>500\.2<\/code>\): enabled → disabled/);
    expect(comments[0].body).not.toMatch(/<code>500\.2<\/code> \(line 500, from <code>500\.1<\/code>\)/);
    const repositories = ['NVIDIA/open-gpu-kernel-modules'];
    expect(auditMarkdown(gh.issues[0].body, { repositories, marker: '<!-- hmm-watch:comment:issue:default -->' })).toEqual([]);
    expect(auditMarkdown(comments[0].body, { repositories })).toEqual([]);
    expect(auditMarkdown(changed.summary, { repositories })).toEqual([]);
  });

  it('with a GitHub App installation token opens its own issue, closes the one the old token wrote, then keeps to its own', async () => {
    const old = gh.issues[0];
    expect(old.user).toEqual(GITHUB_ACTIONS);
    const person = { number: 99, title: 'copied', body: old.body, state: 'open' as const, user: { login: 'mallory', type: 'User' as const, id: 666 }, html_url: 'u99' };
    gh.issues.push(person);
    release('500.4', lines(...PARAM_PER_ARCH));
    const switched = await runWatch('ghs_app_installation');
    expect(switched.code).toBe(0);
    const app = gh.issues.filter((i) => i.user.login === TOKENS.ghs_app_installation.login);
    expect(app).toHaveLength(1);
    expect(old).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect(gh.comments.some((c) => c.body.startsWith(`Superseded by #${app[0].number}`))).toBe(true);
    expect(person).toMatchObject({ state: 'open', title: 'copied', body: old.body });

    release('500.5', lines('#ifdef NVCPU_X86_64', 'static bool uvm_disable_hmm = true;', '#else', 'static bool uvm_disable_hmm = true;', '#endif'));
    const next = await runWatch('ghs_app_installation');
    expect(next.code).toBe(0);
    expect(gh.issues.filter((i) => i.user.login === TOKENS.ghs_app_installation.login)).toHaveLength(1);
    expect(app[0].body).toMatch(/<code>500\.5<\/code>/);
    expect(person.body).not.toMatch(/<code>500\.5<\/code>/);
  });
});
