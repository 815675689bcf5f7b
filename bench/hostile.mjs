// The hostile-input section of `npm run bench` (issue 8 §2): inputs made to make the work unbounded, each
// generated here (nothing committed), each run as a separate CLI process under /usr/bin/time. Prints wall time
// and peak RSS per case against the target (every case under 5 s and 500 MB), and the exit code (a case may end
// with a usage or profile error: that is a bounded answer too; a crash or a timeout is not). CPU time (user + system)
// is printed beside the wall time: on a shared machine it is the steadier figure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const TARGET_MS = 5000;
export const TARGET_RSS_MB = 500;

/** A function holding one anchored call: the ordinary fact every C case must still report. */
const ORDINARY = 'int ordinary(void)\n{\n\treturn hmm_range_fault(0);\n}\n';

function write(dir, files) {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

function yaml(lines) {
  return `${lines.join('\n')}\n`;
}

/** A profile with one call rule and one capability, plus what a case adds. */
function callProfile(extra = {}) {
  return yaml([
    'id: hostile',
    'version: 1',
    'title: hostile',
    'rules:',
    '  - id: fault-calls',
    '    kind: call',
    '    title: calls',
    '    functions: [hmm_range_fault]',
    ...(extra.rules ?? []),
    'capabilities:',
    '  - id: fault',
    '    title: fault',
    '    explain: fault',
    '    cases:',
    '      - when:',
    '          rule: fault-calls',
    ...(extra.where ?? []),
    '        status: enabled',
    '        because: called',
    '    otherwise: { status: absent, because: not called }'
  ]);
}

function snapshotOf(facts, capabilities) {
  return {
    schema: 'hmm-watch/snapshot',
    schemaVersion: 1,
    tool: { name: 'hmm-watch', version: '0.1.0' },
    profile: { id: 'hostile', version: 1, title: 'hostile', hash: '0000000000000000', source: 'hostile.yaml' },
    tree: { root: 'generated' },
    rules: ['fault-calls'],
    capabilities,
    facts,
    constraints: {},
    diagnostics: { parseErrors: 0, filesParsed: 0, skipped: [], files: [] }
  };
}

function capability(i, status) {
  return { id: `cap-${i}`, title: `cap ${i}`, explain: 'x', direction: 'enabled-is-better', status, because: 'x', evidence: [], evidenceCount: 0 };
}

function callFact(i, filler = '') {
  return { rule: 'fault-calls', kind: 'call', file: `f${i % 97}.c`, line: i + 1, condition: '1', callee: 'hmm_range_fault', function: `fn_${i}${filler}` };
}

/** Every case: name, what it is, and a function that writes its input into `dir` and returns the CLI arguments. */
export const CASES = [
  {
    name: 'baseline-trivial',
    what: 'one ordinary file: the floor every case pays (process start, parser load)',
    make: (dir) => {
      write(dir, { 'a.c': ORDINARY, 'p.yaml': callProfile() });
      return ['scan', '--profile', path.join(dir, 'p.yaml'), '--format', 'json', dir];
    }
  },
  {
    name: 'if-parens-100k',
    what: '200 KB `#if ((((A))))`, 100,000 deep',
    make: (dir) => {
      const d = 100000;
      write(dir, { 'a.c': `#if ${'('.repeat(d)}A${')'.repeat(d)}\nint x;\n#endif\n${ORDINARY}`, 'p.yaml': callProfile() });
      return ['scan', '--profile', path.join(dir, 'p.yaml'), '--format', 'json', dir];
    }
  },
  {
    name: 'if-parens-3k',
    what: '`#if` parentheses 3,000 deep',
    make: (dir) => {
      const d = 3000;
      write(dir, { 'a.c': `#if ${'('.repeat(d)}A${')'.repeat(d)}\nint x;\n#endif\n${ORDINARY}`, 'p.yaml': callProfile() });
      return ['scan', '--profile', path.join(dir, 'p.yaml'), '--format', 'json', dir];
    }
  },
  {
    name: 'if-and-150k',
    what: '`#if A && A && …`, 150,000 terms',
    make: (dir) => {
      write(dir, { 'a.c': `#if ${Array(150000).fill('A').join(' && ')}\nint x;\n#endif\n${ORDINARY}`, 'p.yaml': callProfile() });
      return ['scan', '--profile', path.join(dir, 'p.yaml'), '--format', 'json', dir];
    }
  },
  {
    name: 'if-and-distinct-20k',
    what: '`#if A0 && A1 && …`, 20,000 distinct atoms, then `#else`',
    make: (dir) => {
      const expr = Array.from({ length: 20000 }, (_, i) => `defined(A${i})`).join(' && ');
      write(dir, { 'a.c': `#if ${expr}\nint x;\n#else\nint y;\n#endif\n${ORDINARY}`, 'p.yaml': callProfile() });
      return ['scan', '--profile', path.join(dir, 'p.yaml'), '--format', 'json', dir];
    }
  },
  {
    name: 'ifdef-nesting-10k',
    what: '10,000 nested `#ifdef X_i` (presence conditions grow per level)',
    make: (dir) => {
      const n = 10000;
      const open = Array.from({ length: n }, (_, i) => `#ifdef X_${i}\n`).join('');
      write(dir, { 'a.c': `${open}${ORDINARY}${'#endif\n'.repeat(n)}${ORDINARY.replace('ordinary', 'other')}`, 'p.yaml': callProfile() });
      return ['scan', '--profile', path.join(dir, 'p.yaml'), '--format', 'json', dir];
    }
  },
  {
    name: 'braces-100k',
    what: '100,000 nested `{}` around one anchored call',
    make: (dir) => {
      const d = 100000;
      write(dir, { 'a.c': `void f(void)\n{\n${'{'.repeat(d)}hmm_range_fault(1);${'}'.repeat(d)}\n}\n${ORDINARY}`, 'p.yaml': callProfile() });
      return ['scan', '--profile', path.join(dir, 'p.yaml'), '--format', 'json', dir];
    }
  },
  {
    name: 'regex-marker',
    what: 'marker `pattern: ^.*(a+)+$` on a 27-character comment',
    make: (dir) => {
      const rules = ['  - id: m', '    kind: marker', '    title: m', "    pattern: '^.*(a+)+$'", '    keywords: [hmm]'];
      write(dir, { 'hmm.c': `// ${'a'.repeat(26)}!\n${ORDINARY}`, 'p.yaml': callProfile({ rules }) });
      return ['scan', '--profile', path.join(dir, 'p.yaml'), '--format', 'json', dir];
    }
  },
  {
    name: 'regex-doc-claim',
    what: 'doc-claim `pattern: (x+x+)+y` on a 40-character line',
    make: (dir) => {
      const rules = ['  - id: d', '    kind: doc-claim', '    title: d', "    pattern: '(x+x+)+y'"];
      write(dir, { 'README.md': `${'x'.repeat(40)}\n`, 'a.c': ORDINARY, 'p.yaml': callProfile({ rules }) });
      return ['scan', '--profile', path.join(dir, 'p.yaml'), '--format', 'json', dir];
    }
  },
  {
    name: 'regex-value-pattern',
    what: 'assignment `value-pattern: ^(a|aa)+$` on a 60-character value',
    make: (dir) => {
      const rules = ['  - id: v', '    kind: assignment', '    title: v', '    targets: ["*.hmm.disable"]', "    value-pattern: '^(a|aa)+$'"];
      write(dir, { 'a.c': `void g(void)\n{\n\tx->hmm.disable = ${'a'.repeat(60)}b;\n}\n${ORDINARY}`, 'p.yaml': callProfile({ rules }) });
      return ['scan', '--profile', path.join(dir, 'p.yaml'), '--format', 'json', dir];
    }
  },
  {
    name: 'regex-where',
    what: 'capability `where.regex: ^(a|aa)+$` on a 41-character function name',
    make: (dir) => {
      write(dir, {
        'a.c': `int ${'a'.repeat(40)}_(void)\n{\n\treturn hmm_range_fault(0);\n}\n`,
        'p.yaml': callProfile({ where: ['          where:', "            function: { regex: '^(a|aa)+$' }"] })
      });
      return ['scan', '--profile', path.join(dir, 'p.yaml'), '--format', 'json', dir];
    }
  },
  {
    name: 'profile-dev-zero',
    what: '`extends: /dev/zero`',
    make: (dir) => {
      write(dir, { 'p.yaml': callProfile().replace('title: hostile\n', 'title: hostile\nextends: /dev/zero\n') });
      return ['anchors', '--profile', path.join(dir, 'p.yaml')];
    }
  },
  {
    name: 'profile-alias-bomb',
    what: 'YAML alias bomb (9 levels of 9 aliases)',
    make: (dir) => {
      const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i <= 9; i++)
        lines.push(
          `a${i}: &a${i} [${Array(9)
            .fill(`*a${i - 1}`)
            .join(', ')}]`
        );
      write(dir, { 'p.yaml': `${lines.join('\n')}\n${callProfile()}` });
      return ['anchors', '--profile', path.join(dir, 'p.yaml')];
    }
  },
  ...[20000, 2000].map((n) => ({
    name: `profile-${n / 1000}k-rules`,
    what: `a profile of ${n} rules and ${n} capabilities (2,000 is the schema's cap)`,
    make: (dir) => {
      const rules = [];
      const caps = [];
      for (let i = 0; i < n; i++) {
        rules.push(`  - { id: r${i}, kind: call, title: r, functions: [fn_${i}] }`);
        caps.push(
          `  - { id: c${i}, title: c, explain: c, cases: [{ when: { rule: r${i} }, status: enabled, because: b }], otherwise: { status: absent, because: b } }`
        );
      }
      write(dir, { 'p.yaml': yaml(['id: big', 'version: 1', 'title: big', 'rules:', ...rules, 'capabilities:', ...caps]), 'a.c': ORDINARY });
      return ['scan', '--profile', path.join(dir, 'p.yaml'), '--format', 'json', dir];
    }
  })),
  ...[64, 16].map((jobs) => ({
    name: `jobs-${jobs}`,
    what: `\`scan --jobs ${jobs}\` on 400 small files (16 is the cap)`,
    make: (dir) => {
      const files = { 'p.yaml': callProfile() };
      for (let i = 0; i < 400; i++) files[`d/f${i}.c`] = ORDINARY.replace('ordinary', `f${i}`);
      write(dir, files);
      return ['scan', '--profile', path.join(dir, 'p.yaml'), '--format', 'json', '--jobs', String(jobs), dir];
    }
  })),
  {
    name: 'render-40k-facts',
    what: '40,000 facts rendered to markdown (`scan`, 40 files of 1,000 calls)',
    make: (dir) => {
      const files = { 'p.yaml': callProfile() };
      const body = Array.from({ length: 1000 }, (_, i) => `\thmm_range_fault(${i});`).join('\n');
      for (let i = 0; i < 40; i++) files[`d/f${i}.c`] = `void f${i}(void)\n{\n${body}\n}\n`;
      write(dir, files);
      return ['scan', '--profile', path.join(dir, 'p.yaml'), '--format', 'markdown', dir];
    }
  },
  {
    name: 'compare-100k-capabilities',
    what: '`compare` of two snapshots with 100,000 capabilities',
    make: (dir) => {
      const n = 100000;
      const base = snapshotOf(
        [],
        Array.from({ length: n }, (_, i) => capability(i, 'enabled'))
      );
      const cur = snapshotOf(
        [],
        Array.from({ length: n }, (_, i) => capability(i, i % 2 ? 'enabled' : 'absent'))
      );
      writeFileSync(path.join(dir, 'base.json'), JSON.stringify(base));
      writeFileSync(path.join(dir, 'cur.json'), JSON.stringify(cur));
      return ['compare', path.join(dir, 'base.json'), path.join(dir, 'cur.json')];
    }
  },
  {
    name: 'compare-111mb-artifact',
    what: '`compare` given a 111 MB snapshot',
    make: (dir) => {
      const filler = 'x'.repeat(400);
      const facts = Array.from({ length: 220000 }, (_, i) => callFact(i, filler));
      const big = JSON.stringify(snapshotOf(facts, [capability(0, 'enabled')]));
      writeFileSync(path.join(dir, 'big.json'), big);
      writeFileSync(path.join(dir, 'small.json'), JSON.stringify(snapshotOf([], [capability(0, 'enabled')])));
      return ['compare', path.join(dir, 'small.json'), path.join(dir, 'big.json')];
    }
  }
];

/**
 * Runs the cases (all, or those whose name contains `only`), each with a wall-clock limit of `timeoutS` seconds.
 * Returns whether every case met the target.
 */
export function hostileBench(cli, { only, timeoutS = 60, row }) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'hmm-watch-hostile-'));
  let pass = true;
  try {
    for (const c of CASES) {
      if (only && !c.name.includes(only)) continue;
      const dir = path.join(tmp, c.name);
      mkdirSync(dir);
      const args = c.make(dir);
      const out = path.join(dir, 'out');
      const t = process.hrtime.bigint();
      const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', '-o', path.join(dir, 'rss'), process.execPath, cli, ...args], {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
        timeout: timeoutS * 1000,
        killSignal: 'SIGKILL'
      });
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      writeFileSync(out, r.stdout ?? '');
      const usage = existsSync(path.join(dir, 'rss'))
        ? /^(\d+) ([\d.]+) ([\d.]+)$/.exec(readFileSync(path.join(dir, 'rss'), 'utf8').trim().split('\n').pop() ?? '')
        : null;
      const rssMb = usage ? Number(usage[1]) / 1024 : NaN;
      const cpu = usage ? `, cpu ${(Number(usage[2]) + Number(usage[3])).toFixed(2)} s` : '';
      const timedOut = r.signal === 'SIGKILL' || r.error?.code === 'ETIMEDOUT';
      const exit = timedOut ? `killed after ${timeoutS} s` : r.status === null ? `signal ${r.signal}` : `exit ${r.status}`;
      const ok = !timedOut && ms < TARGET_MS && rssMb < TARGET_RSS_MB && r.status !== null && r.status !== 1;
      if (!ok) pass = false;
      const facts = factCount(r.stdout);
      const stderr = (r.stderr ?? '').split('\n').find((l) => l.trim() && !/^Command (exited|terminated)/.test(l)) ?? '';
      row(c.name, `wall ${(ms / 1000).toFixed(2)} s${cpu}, ${Number.isNaN(rssMb) ? '?' : rssMb.toFixed(0)} MB, ${exit}${facts}: ${ok ? 'PASS' : 'FAIL'}`);
      if (stderr && r.status !== 0) row('', `  stderr: ${stderr.slice(0, 160)}`);
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return pass;
}

/** `, N facts (M diagnostics)` for a JSON snapshot on stdout. */
function factCount(stdout) {
  if (!stdout?.startsWith('{')) return '';
  try {
    const s = JSON.parse(stdout);
    if (!Array.isArray(s.facts)) return '';
    const limits = (s.diagnostics?.files ?? []).filter((d) => d.kind !== 'parse-errors').length;
    return `, ${s.facts.length} facts, ${limits} diagnostic(s)`;
  } catch {
    return '';
  }
}
