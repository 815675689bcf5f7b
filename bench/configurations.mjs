// The cost of configurations: a scan of a release tree alone, and with three configurations (CPU architecture +
// kernel tree), each run as the CLI runs it (a fresh process, nothing cached). Reports the median wall time of
// each and the difference. Kernel trees are real ones installed on the machine; nothing here is committed.
//
//   node bench/configurations.mjs REPO TAG KERNEL1 KERNEL2 KERNEL3 [--runs N] [--arch x86_64,aarch64,…]
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const at = args.indexOf(name);
  if (at === -1) return fallback;
  const [, value] = args.splice(at, 2);
  return value;
};
const runs = Number(flag('--runs', '5'));
const arches = flag('--arch', 'x86_64,x86_64,aarch64').split(',');
const [repo, tag, ...kernels] = args;
if (!repo || !tag || kernels.length !== 3) {
  console.error('usage: node bench/configurations.mjs REPO TAG KERNEL1 KERNEL2 KERNEL3 [--runs N] [--arch A,B,C]');
  process.exit(2);
}
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const configs = kernels.flatMap((k, i) => ['--config', `c${i + 1}=arch:${arches[i] ?? 'x86_64'},kernel:${k}`]);

function time(extra) {
  const t = performance.now();
  execFileSync(process.execPath, [cli, 'scan', '--quiet', '--format', 'json', '--out', '/dev/null', '--ref', tag, ...extra, repo], {
    stdio: ['ignore', 'ignore', 'inherit']
  });
  return performance.now() - t;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const plain = [];
const three = [];
// Interleaved, so that machine load affects both alike.
for (let i = 0; i < runs; i++) {
  plain.push(time([]));
  three.push(time(configs));
}
const a = median(plain);
const b = median(three);
console.log(`scan ${tag}: median of ${runs} runs`);
console.log(`  plain scan:             ${(a / 1000).toFixed(2)} s  (${plain.map((x) => (x / 1000).toFixed(2)).join(', ')})`);
console.log(`  with 3 configurations:  ${(b / 1000).toFixed(2)} s  (${three.map((x) => (x / 1000).toFixed(2)).join(', ')})`);
console.log(`  added: ${(((b - a) / a) * 100).toFixed(1)}%`);
