// `npm run bench`: the scan of a synthetic driver-like tree (about 4,000 files, 130 MB, a few dozen HMM-relevant
// files) against `git grep` for the same anchor tokens on the same tree: wall time, ratio and peak memory.
// Targets: the scan takes at most 3 × git grep's wall time and under 300 MB of peak memory.
//
//   node bench/run.mjs [scan] [--runs N] [--keep DIR] [--strict]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { generateTree } from './generate-tree.mjs';
import { measure, timeCommand } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(root, 'dist', 'cli.js');
const TARGET_RATIO = 3;
const TARGET_RSS_MB = 300;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '5' }, keep: { type: 'string' }, strict: { type: 'boolean', default: false } }
});
const mode = positionals[0] ?? 'scan';
if (mode !== 'scan') {
  console.error(`unknown benchmark '${mode}' (available: scan)`);
  process.exit(2);
}
if (!existsSync(CLI)) {
  console.error('dist/cli.js is missing: run `npm run build` first');
  process.exit(1);
}
const runs = Number(values.runs);
const dir = values.keep ?? process.env.HMM_WATCH_BENCH_DIR ?? path.join(os.tmpdir(), 'hmm-watch-bench-tree');

const gen = generateTree(dir);
console.log(`tree: ${gen.files} files, ${(gen.bytes / 1048576).toFixed(1)} MB, ${gen.relevant} HMM-relevant (${gen.reused ? 'reused' : 'generated'}) in ${dir}`);
if (!existsSync(path.join(dir, '.git'))) {
  const git = (...a) => execFileSync('git', a, { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', 'commit', '-q', '-m', 'tree');
}

const anchors = execFileSync(process.execPath, [CLI, 'anchors', '--profile', 'nvidia-uvm-hmm'], { encoding: 'utf8' }).trim().split('\n');
const grepArgs = ['grep', '-l', '-F', ...anchors.flatMap((a) => ['-e', a])];
const grep = measure(runs, () => timeCommand('git', grepArgs, { cwd: dir, okStatus: [0, 1] }));
const grepFiles = grep.last.stdout.trim().split('\n').filter(Boolean).length;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hmm-watch-bench-'));
const out = path.join(tmp, 'snapshot.json');
const scanWith = (extra) => {
  let peak = 0;
  let snapshot;
  const m = measure(runs, () => {
    const r = timeCommand(process.execPath, [CLI, 'scan', '--profile', 'nvidia-uvm-hmm', '--format', 'json', '--timings', '--out', out, ...extra, dir]);
    snapshot = JSON.parse(readFileSync(out, 'utf8'));
    peak = Math.max(peak, snapshot.run.peakRssBytes);
    return r;
  });
  return { ...m, peak, snapshot };
};
const scan = scanWith([]);
const single = scanWith(['--jobs', '1']);
rmSync(tmp, { recursive: true, force: true });

const ratio = scan.median / grep.median;
const rssMb = scan.peak / 1048576;
const row = (label, value) => console.log(`${label.padEnd(34)} ${value}`);
console.log('');
row('anchor tokens', String(anchors.length));
row('git grep -l -F (median)', `${grep.median.toFixed(0)} ms (${grepFiles} files match)`);
row('hmm-watch scan (median)', `${scan.median.toFixed(0)} ms, ${scan.snapshot.run.jobs} thread(s), ${scan.snapshot.run.filesParsed} files parsed, ${scan.snapshot.facts.length} facts`);
row('hmm-watch scan --jobs 1 (median)', `${single.median.toFixed(0)} ms`);
row('phases (ms, summed over threads)', JSON.stringify(scan.snapshot.run.phases));
row('ratio scan / git grep', `${ratio.toFixed(2)} (target <= ${TARGET_RATIO}): ${ratio <= TARGET_RATIO ? 'PASS' : 'FAIL'}`);
row('peak memory (RSS)', `${rssMb.toFixed(0)} MB (target < ${TARGET_RSS_MB}): ${rssMb < TARGET_RSS_MB ? 'PASS' : 'FAIL'}`);
if (values.strict && (ratio > TARGET_RATIO || rssMb >= TARGET_RSS_MB)) process.exit(1);
