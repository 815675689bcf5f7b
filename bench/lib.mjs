// Timing helpers for the benchmarks.
import { spawnSync } from 'node:child_process';

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs a command to completion and returns its wall time in milliseconds (measured here, around the process). */
export function timeCommand(cmd, args, opts = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.error) throw r.error;
  if (r.status !== 0 && !(opts.okStatus ?? [0]).includes(r.status)) {
    throw new Error(`${cmd} ${args.slice(0, 3).join(' ')} … exited ${r.status}: ${r.stderr}`);
  }
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

/** One warm-up run (fills the page cache), then `runs` timed runs; returns the median and all times. */
export function measure(runs, fn) {
  fn();
  const times = [];
  let last;
  for (let i = 0; i < runs; i++) {
    last = fn();
    times.push(last.ms);
  }
  return { median: median(times), times, last };
}
