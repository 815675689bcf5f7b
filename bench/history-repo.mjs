// Builds a deterministic synthetic git repository for the history benchmark: the scan benchmark's tree as the
// first release, then releases on three maintenance lines (100, 200, 300) released side by side, each changing a
// few files and now and then an HMM-relevant fact. Everything generated here; reused when it exists.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateTree, mulberry32 } from './generate-tree.mjs';

const STAMP = '.bench-history';
const VERSION = 1;

function walk(dir, base = dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, base, out);
    else out.push(path.relative(base, p));
  }
  return out.sort();
}

/** Creates (or reuses) the repository in dir with `tags` release tags. Returns the tag names in release order. */
export function historyRepo(dir, tags = 200) {
  const stampFile = path.join(dir, STAMP);
  const want = JSON.stringify({ VERSION, tags });
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8').split('\n')[0] === want) return JSON.parse(readFileSync(stampFile, 'utf8').split('\n')[1]);
  generateTree(dir);
  let day = 0;
  const git = (...args) =>
    execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_DATE: `@${1700000000 + day * 86400} +0000`, GIT_COMMITTER_DATE: `@${1700000000 + day * 86400} +0000` }
    }).trim();
  execFileSync('rm', ['-rf', path.join(dir, '.git')]);
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', 'commit', '-q', '-m', 'release 100.0');
  git('tag', '100.0');
  const files = walk(dir);
  const relevant = files.filter((f) => f.startsWith('kernel-open/nvidia-uvm/'));
  const r = mulberry32(7);
  const names = ['100.0'];
  const counters = { 100: 0, 200: 0, 300: 0 };
  // Lines 200 and 300 branch off early and are then released side by side with 100.
  for (let k = 1; k < tags; k++) {
    day++;
    const line = k < 10 ? '100' : ['100', '200', '300'][k % 3];
    if (k === 10) git('branch', 'line-200');
    if (k === 11) git('branch', 'line-300');
    git('checkout', '-q', line === '100' ? 'main' : `line-${line}`);
    for (let j = 0; j < 3; j++) appendFileSync(path.join(dir, files[Math.floor(r() * files.length)]), `// release ${line} change ${k}.${j}\n`);
    if (k % 7 === 0) {
      const f = relevant[Math.floor(r() * relevant.length)];
      appendFileSync(path.join(dir, f), `\nint bench_evict_${k}(void) { return migrate_device_range(p, ${k}, 1); }\n`);
    }
    if (k % 23 === 0) {
      const f = relevant.find((x) => readFileSync(path.join(dir, x), 'utf8').includes('uvm_disable_hmm = false'));
      if (f) writeFileSync(path.join(dir, f), readFileSync(path.join(dir, f), 'utf8').replace('uvm_disable_hmm = false', 'uvm_disable_hmm = true'));
    } else if (k % 23 === 11) {
      const f = relevant.find((x) => readFileSync(path.join(dir, x), 'utf8').includes('#ifdef NVCPU_X86_64\nstatic bool uvm_disable_hmm = true'));
      if (f)
        writeFileSync(
          path.join(dir, f),
          readFileSync(path.join(dir, f), 'utf8').replace(
            '#ifdef NVCPU_X86_64\nstatic bool uvm_disable_hmm = true',
            '#ifdef NVCPU_X86_64\nstatic bool uvm_disable_hmm = false'
          )
        );
    }
    git('add', '-A');
    const name = `${line}.${++counters[line]}`;
    git('-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', 'commit', '-q', '-m', `release ${name}`);
    git('tag', name);
    names.push(name);
  }
  git('checkout', '-q', 'main');
  writeFileSync(stampFile, `${want}\n${JSON.stringify(names)}\n`);
  return names;
}
