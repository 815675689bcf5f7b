// The scheduled watch run with no new release, end to end: the bundled action (dist/index.js) run as the runner
// runs it, against the local GitHub API server of the end-to-end tests (__tests__/helpers/fake-github.ts, bundled
// here with esbuild), with a warm history cache. A first run opens the tracking issue (its state block records
// every release); the timed runs find no new release. Target: under 3 s each, the issue check included.
//
//   node bench/watch.mjs REPO [--tags GLOB] [--runs N] [--cache DIR]
// REPO must have a work tree (a clone; `git clone --no-checkout --shared MIRROR DIR` of a bare mirror will do).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { median } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TARGET_WATCH_MS = 3000;
/** Extra node options for the action's runs (to profile one: HMM_WATCH_BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=DIR'). */
const NODE_ARGS = (process.env.HMM_WATCH_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

async function fakeGitHub(tmp) {
  const out = path.join(tmp, 'fake-github.mjs');
  await build({
    entryPoints: [path.join(root, '__tests__', 'helpers', 'fake-github.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'warning'
  });
  return import(pathToFileURL(out).href);
}

/** GNU time, when there is one: the run's CPU time too (steadier than wall time on a shared machine). */
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function runAction(env, tmp) {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    const node = [process.execPath, ...NODE_ARGS, path.join(root, 'dist', 'index.js')];
    const cpuFile = path.join(tmp, 'cpu.txt');
    const child = TIME ? spawn(TIME, ['-f', '%U %S', '-o', cpuFile, ...node], { env }) : spawn(node[0], node.slice(1), { env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      if (code !== 0) reject(new Error(`the action exited ${code}:\n${out.slice(-2000)}`));
      else
        resolve({
          ms,
          out,
          cpuMs: TIME
            ? readFileSync(cpuFile, 'utf8')
                .trim()
                .split(/\s+/)
                .slice(-2)
                .reduce((a, x) => a + Number(x) * 1000, 0)
            : undefined
        });
    });
  });
}

/**
 * Opens the tracking issue with a first run (with `cache`, a history cache to start from, copied), then times
 * `runs` runs with no new release. Returns the times, the requests the quiet runs made and how many of them wrote.
 */
export async function watchBench(repo, { tags = '*', runs = 5, cache } = {}) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'hmm-watch-bench-watch-'));
  const { startFakeGitHub } = await fakeGitHub(tmp);
  const gh = await startFakeGitHub('me', 'watcher');
  try {
    const work = path.join(tmp, 'work');
    const historyCache = path.join(work, 'history-cache');
    mkdirSync(work, { recursive: true });
    if (cache) cpSync(cache, historyCache, { recursive: true });
    for (const f of ['summary.md', 'outputs.txt']) writeFileSync(path.join(work, f), '');
    writeFileSync(path.join(work, 'event.json'), JSON.stringify({ schedule: '17 5 * * *', repository: { full_name: 'me/watcher' } }));
    const env = {
      PATH: process.env.PATH ?? '',
      GITHUB_EVENT_NAME: 'schedule',
      GITHUB_EVENT_PATH: path.join(work, 'event.json'),
      GITHUB_REPOSITORY: 'me/watcher',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: '0'.repeat(40),
      GITHUB_API_URL: gh.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_STEP_SUMMARY: path.join(work, 'summary.md'),
      GITHUB_OUTPUT: path.join(work, 'outputs.txt'),
      GITHUB_WORKSPACE: work,
      RUNNER_TEMP: work,
      INPUT_TOKEN: 'ghs_bench',
      INPUT_PATH: repo,
      INPUT_PROFILE: 'nvidia-uvm-hmm',
      INPUT_HISTORY: 'true',
      'INPUT_RELEASE-TAGS': tags,
      INPUT_WATCH: 'true',
      'INPUT_HISTORY-CACHE': historyCache
    };
    const first = await runAction(env, tmp);
    if (gh.issues.length !== 1) throw new Error(`the first watch run opened ${gh.issues.length} issue(s):\n${first.out.slice(-2000)}`);
    const before = gh.requests.length;
    const times = [];
    const cpu = [];
    let last;
    for (let i = 0; i < runs; i++) {
      last = await runAction(env, tmp);
      times.push(last.ms);
      if (last.cpuMs !== undefined) cpu.push(last.cpuMs);
    }
    if (!/no new release/.test(last.out)) throw new Error(`the quiet run did not say "no new release":\n${last.out.slice(-2000)}`);
    const requests = gh.requests.slice(before);
    const writes = requests.filter((r) => /^(POST|PATCH|DELETE)/.test(r) && r !== 'POST /graphql');
    return {
      first: first.ms,
      times,
      median: median(times),
      best: Math.min(...times),
      cpuBest: cpu.length ? Math.min(...cpu) : undefined,
      requestsPerRun: requests.length / runs,
      writes: writes.length
    };
  } finally {
    await gh.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { parseArgs } = await import('node:util');
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { tags: { type: 'string', default: '*' }, runs: { type: 'string', default: '5' }, cache: { type: 'string' } }
  });
  if (!positionals[0]) {
    console.error('usage: node bench/watch.mjs REPO [--tags GLOB] [--runs N] [--cache DIR]');
    process.exit(2);
  }
  const r = await watchBench(path.resolve(positionals[0]), { tags: values.tags, runs: Number(values.runs), cache: values.cache });
  console.log(
    `watch, first run ${(r.first / 1000).toFixed(1)} s; no new release: median ${(r.median / 1000).toFixed(2)} s, best ${(r.best / 1000).toFixed(2)} s` +
      `${r.cpuBest === undefined ? '' : ` (CPU ${(r.cpuBest / 1000).toFixed(2)} s)`} ` +
      `(${r.times.map((t) => (t / 1000).toFixed(2)).join(', ')}), ${r.requestsPerRun} request(s) per run, ${r.writes} write(s) (target < ${TARGET_WATCH_MS / 1000} s)`
  );
}
