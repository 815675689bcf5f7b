// The whole history report goes into a run artifact that the tracking issue links (the uploader is a fake here;
// in a workflow it is @actions/artifact), not into the job summary of one run.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Inputs } from '../src/inputs.js';
import { type FakeGitHub, startFakeGitHub } from './helpers/fake-github.js';
import { lines, makeTree, PARAM_PER_ARCH, type TempTree } from './helpers/tree.js';

let tree: TempTree;
let gh: FakeGitHub;
const saved = { ...process.env };

beforeAll(async () => {
  tree = makeTree({ 'upstream/README.md': lines('Driver'), 'work/.keep': '' });
  const upstream = path.join(tree.root, 'upstream');
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: upstream, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  git('remote', 'add', 'origin', 'git@github.com:NVIDIA/open-gpu-kernel-modules.git');
  mkdirSync(path.join(upstream, 'kernel-open', 'nvidia-uvm'), { recursive: true });
  for (const [t, on] of [
    ['500.1', false],
    ['500.2', true]
  ] as const) {
    writeFileSync(path.join(upstream, 'kernel-open', 'nvidia-uvm', 'uvm_hmm.c'), lines(...PARAM_PER_ARCH.map((l) => (on ? l : l.replace('false', 'true')))));
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-qm', t);
    git('tag', t);
  }
  gh = await startFakeGitHub('me', 'watcher');
  const work = path.join(tree.root, 'work');
  Object.assign(process.env, {
    GITHUB_API_URL: gh.url,
    GITHUB_REPOSITORY: 'me/watcher',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '42',
    GITHUB_OUTPUT: path.join(work, 'outputs.txt'),
    GITHUB_STEP_SUMMARY: path.join(work, 'summary.md'),
    RUNNER_TEMP: work
  });
  writeFileSync(path.join(work, 'outputs.txt'), '');
  writeFileSync(path.join(work, 'summary.md'), '');
});
afterAll(async () => {
  process.env = saved;
  await gh.close();
  tree.remove();
});

describe('the run artifact', () => {
  it('holds the whole report and the history JSON, and the tracking issue links it', async () => {
    const { runHistory } = await import('../src/watch.js');
    const work = path.join(tree.root, 'work');
    const inputs = {
      path: path.join(tree.root, 'upstream'),
      profile: 'nvidia-uvm-hmm',
      exclude: [],
      releaseTags: '500.*',
      history: true,
      watch: true,
      historyCache: path.join(work, 'cache'),
      commentId: 'default',
      commentRequired: true,
      summary: true,
      token: 'ghs_fake',
      jsonOutput: path.join(work, 'hmm-watch-snapshot.json'),
      reportOutput: path.join(work, 'report.md'),
      sourceRepository: ''
    } as unknown as Inputs;
    const uploads: Array<{ name: string; files: string[]; root: string }> = [];
    await runHistory(inputs, {
      upload: async (name, files, root) => {
        uploads.push({ name, files: files.map((f) => path.relative(root, f)), root });
        return { id: 7, url: 'https://github.com/me/watcher/actions/runs/42/artifacts/7' };
      }
    });
    expect(uploads).toEqual([{ name: 'hmm-watch-history-default', files: ['report.md', 'hmm-watch-history.json'], root: work }]);
    expect(readFileSync(path.join(work, 'report.md'), 'utf8')).toContain('All facts');
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0].body).toContain(
      'The whole report (every fact, first and last releases, timelines): [the run artifact](https://github.com/me/watcher/actions/runs/42/artifacts/7).'
    );
    expect(gh.issues[0].body).toContain('](https://github.com/NVIDIA/open-gpu-kernel-modules/blob/');
  });
});
