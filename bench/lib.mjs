// Timing helpers for the benchmarks.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const TIME = '/usr/bin/time';

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Runs a command to completion and returns its wall time in milliseconds (measured here, around the process) and,
 * with `cpu: true` where /usr/bin/time exists, its CPU time (user + system, threads included) in `cpuMs`: the
 * steadier figure on a shared machine, where a single-threaded process gets a smaller share than a multi-threaded one.
 */
export function timeCommand(cmd, args, opts = {}) {
  const timed = opts.cpu && existsSync(TIME);
  const dir = timed ? mkdtempSync(path.join(os.tmpdir(), 'hmm-watch-bench-time-')) : undefined;
  const [c, a] = timed ? [TIME, ['-f', '%U %S', '-o', path.join(dir, 'cpu'), cmd, ...args]] : [cmd, args];
  const t = process.hrtime.bigint();
  const r = spawnSync(c, a, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  let cpuMs;
  if (dir) {
    const [user, system] = readFileSync(path.join(dir, 'cpu'), 'utf8').trim().split('\n').pop().split(' ').map(Number);
    cpuMs = (user + system) * 1000;
    rmSync(dir, { recursive: true, force: true });
  }
  if (r.error) throw r.error;
  if (r.status !== 0 && !(opts.okStatus ?? [0]).includes(r.status)) {
    throw new Error(`${cmd} ${args.slice(0, 3).join(' ')} … exited ${r.status}: ${r.stderr}`);
  }
  return { ms, cpuMs, stdout: r.stdout, stderr: r.stderr };
}

/** One warm-up run (fills the page cache), then `runs` timed runs; returns the medians (wall, CPU when measured) and all times. */
export function measure(runs, fn) {
  fn();
  const times = [];
  const cpu = [];
  let last;
  for (let i = 0; i < runs; i++) {
    last = fn();
    times.push(last.ms);
    if (last.cpuMs !== undefined) cpu.push(last.cpuMs);
  }
  return { median: median(times), cpuMedian: cpu.length ? median(cpu) : undefined, times, last };
}
