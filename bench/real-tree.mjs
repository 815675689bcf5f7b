// `node bench/run.mjs tree DIR [--profile ID] [--target R] [--runs N]`: the scan of a real tree you have on disk (an
// NVIDIA release unpacked with `git archive TAG | tar x`, Debian's linux-source) against `git grep --no-index -l -F`
// for the profile's anchors, in interleaved pairs: on a shared machine whose speed drifts, each pair ran in the same
// conditions, so the median of the pairs' ratios is the steadier figure. Issue 11's targets: 3 for NVIDIA 595.45.04,
// 1.2 for a Linux tree. Nothing of the tree is kept or committed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median, timeCommand } from './lib.mjs';

export function realTreeBench(cli, tree, { profile, target, runs, row }) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'hmm-watch-bench-real-'));
  try {
    const anchors = execFileSync(process.execPath, [cli, 'anchors', '--profile', profile], { encoding: 'utf8' }).trim();
    // A file of patterns: anchors may hold spaces.
    const patterns = path.join(tmp, 'anchors');
    writeFileSync(patterns, `${anchors}\n`);
    const out = path.join(tmp, 'snapshot.json');
    const grep = () => timeCommand('git', ['grep', '--no-index', '-l', '-F', '-f', patterns], { cwd: tree, okStatus: [0, 1] });
    const scan = () => timeCommand(process.execPath, [cli, 'scan', '--profile', profile, '--format', 'json', '--timings', '--out', out, tree]);
    grep();
    scan(); // the page cache, both ways
    const pairs = [];
    let snapshot;
    for (let i = 0; i < runs; i++) {
      const g = grep().ms;
      const s = scan().ms;
      snapshot = JSON.parse(readFileSync(out, 'utf8'));
      pairs.push({ g, s, rss: snapshot.run.peakRssBytes });
    }
    const ratio = median(pairs.map((p) => p.s / p.g));
    console.log(`\nreal tree ${tree} (${profile}), ${runs} interleaved pairs`);
    row('git grep --no-index -l -F (median)', `${median(pairs.map((p) => p.g)).toFixed(0)} ms`);
    row('hmm-watch scan (median)', `${median(pairs.map((p) => p.s)).toFixed(0)} ms, ${snapshot.run.filesRead} files read, ${snapshot.run.filesParsed} parsed`);
    row(
      'phases (ms, last run)',
      JSON.stringify(snapshot.run.phases, (_, v) => (typeof v === 'number' ? Math.round(v) : v))
    );
    row(
      'fixed costs (ms, last run)',
      JSON.stringify(snapshot.run.fixed, (_, v) => (typeof v === 'number' ? Math.round(v) : v))
    );
    row('ratio scan / git grep (median of pairs)', `${ratio.toFixed(2)} (target <= ${target}): ${ratio <= target ? 'PASS' : 'FAIL'}`);
    const rssMb = Math.max(...pairs.map((p) => p.rss)) / 1048576;
    row('peak memory (RSS)', `${rssMb.toFixed(0)} MB (target < 300): ${rssMb < 300 ? 'PASS' : 'FAIL'}`);
    return ratio <= target && rssMb < 300;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
