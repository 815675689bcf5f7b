// `node bench/run.mjs report`: rendering and comparing large snapshots, and refusing an oversized one, through the
// CLI (`hmm-watch compare`). Snapshots are generated here (synthetic facts, no driver source). Targets: each case
// under 5 s and 500 MB peak memory (the CLI runs in a child process that reports its own peak RSS).
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { timeCommand } from './lib.mjs';

const TARGET_MS = 5000;
const TARGET_RSS_MB = 500;

function snapshot(facts, capabilities, flip) {
  const commit = 'a'.repeat(40);
  return {
    schema: 'hmm-watch/snapshot',
    schemaVersion: 1,
    tool: { name: 'hmm-watch', version: 'bench' },
    profile: { id: 'bench', version: 1, title: 'Bench profile', hash: '0123456789abcdef', source: 'bench' },
    tree: { root: 'tree', git: { commit, prefix: '' } },
    rules: Array.from({ length: 8 }, (_, i) => `rule-${i}`),
    capabilities: Array.from({ length: capabilities }, (_, i) => ({
      id: `cap-${i}`,
      title: `Capability ${i}`,
      explain: 'bench',
      direction: 'enabled-is-better',
      status: (i + flip) % 3 === 0 ? 'enabled' : (i + flip) % 3 === 1 ? 'disabled' : 'absent',
      because: 'bench',
      evidence: [{ rule: 'rule-0', file: `d${i % 50}/f${i}.c`, line: i + 1, condition: '1', summary: `fn_${i}()` }],
      evidenceCount: 1
    })),
    // One rule with most facts (the per-rule grouping) and ops tables with members (the per-table grouping).
    facts: Array.from({ length: facts }, (_, i) => {
      const base = { rule: i % 4 ? 'rule-0' : `rule-${i % 8}`, file: `d${i % 50}/f${i}.c`, line: i + 1, condition: i % 4 ? '1' : `defined(CONFIG_${i % 13})` };
      if (i % 2) return { ...base, kind: 'call', callee: i % 10 < flip * 2 ? 'migrate_vma_setup' : 'hmm_range_fault', function: `fn_${i}` };
      const table = `ops_${i % 2000}`;
      return i < 4000
        ? { ...base, kind: 'ops-table', type: 'dev_pagemap_ops', table: `${table}_${i}`, storage: 'static const' }
        : { ...base, kind: 'ops-member', type: 'dev_pagemap_ops', table, member: 'page_free', value: `pf_${i + flip}` };
    }),
    constraints: {},
    diagnostics: { parseErrors: 0, filesParsed: facts, skipped: [], files: [] }
  };
}

export function reportBench(cli, row) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'hmm-watch-bench-report-'));
  // Runs the CLI in a child that prints its peak memory when it exits.
  const wrapper = path.join(tmp, 'rss.mjs');
  writeFileSync(
    wrapper,
    `process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write('\\nmaxRSS=' + u.maxRSS + ' cpu=' + (u.userCPUTime + u.systemCPUTime) + '\\n'); });\nprocess.argv.splice(1, 1);\nawait import(${JSON.stringify(cli)});\n`
  );
  let failed = false;
  const run = (label, args, okStatus = [0]) => {
    const r = timeCommand(process.execPath, [wrapper, cli, ...args], { okStatus });
    const mb = Number(/maxRSS=(\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
    const cpu = Number(/cpu=(\d+)/.exec(r.stderr)?.[1] ?? 0) / 1e6; // seconds of CPU: wall time on a busy machine is more
    const ok = r.ms < TARGET_MS && mb < TARGET_RSS_MB;
    if (!ok) failed = true;
    row(
      label,
      `${(r.ms / 1000).toFixed(2)} s (${cpu.toFixed(2)} s CPU), ${mb.toFixed(0)} MB (target < ${TARGET_MS / 1000} s, < ${TARGET_RSS_MB} MB): ${ok ? 'PASS' : 'FAIL'}`
    );
    return r;
  };
  try {
    const a = path.join(tmp, 'a.json');
    const b = path.join(tmp, 'b.json');
    const out = path.join(tmp, 'out.md');
    writeFileSync(a, JSON.stringify(snapshot(40_000, 10_000, 0)));
    writeFileSync(b, JSON.stringify(snapshot(40_000, 10_000, 1)));
    run('compare, 40,000 facts, markdown', ['compare', '--out', out, a, b]);
    run('compare, 40,000 facts, json', ['compare', '--format', 'json', '--out', out, a, b]);
    // An artifact of 111 MB: refused for its size before it is parsed (exit 4).
    const big = path.join(tmp, 'big.json');
    const fd = openSync(big, 'w');
    writeSync(fd, `${JSON.stringify(snapshot(10, 1, 0)).slice(0, -1)}, "padding": "`);
    const chunk = 'x'.repeat(1 << 20);
    for (let i = 0; i < 111; i++) writeSync(fd, chunk);
    writeSync(fd, '"}');
    closeSync(fd);
    run('compare, 111 MB artifact (refused)', ['compare', '--out', out, big, b], [4]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return failed;
}
