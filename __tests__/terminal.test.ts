// The text format for a person at a terminal, as dist/cli.js prints it: under FORCE_COLOR with a fixed width,
// and under a real pseudo-terminal (util-linux `script`). Assertions are on what a person reads: no HTML or
// entity escapes, every row within the width, titles and statuses, colour only when asked or on a terminal.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import { type ColorMode, terminalFor } from '../src/report/terminal.js';
import { lines, makeTree, PARAM_PER_ARCH, type TempTree } from './helpers/tree.js';

const CLI = path.resolve('dist/cli.js');
const EXAMPLE = path.resolve('examples/nvidia-like-driver');
const ESC = '\u001b';

/** The environment of a child with nothing set that decides colour, links or width, plus `env`. */
function envWith(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const k of ['NO_COLOR', 'FORCE_COLOR', 'FORCE_HYPERLINK', 'COLUMNS', 'CI', 'GITHUB_ACTIONS', 'TERM_PROGRAM', 'VTE_VERSION']) delete base[k];
  return { ...base, TERM: 'xterm-256color', ...env };
}

function cli(args: string[], env: Record<string, string> = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: envWith(env) });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Runs the CLI with its standard output on a pseudo-terminal. */
function onTerminal(args: string[], env: Record<string, string> = {}): { code: number | null; out: string } {
  const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const r = spawnSync('script', ['-qec', quoted, '/dev/null'], { encoding: 'utf8', env: envWith(env) });
  return { code: r.status, out: r.stdout.replace(/\r\n/g, '\n') };
}

/** What a person reads: the rows without escape codes. */
function rows(out: string): string[] {
  return stripAnsi(out).split('\n');
}

/** Checks the text a person reads, and returns it with whitespace collapsed. */
function readable(out: string, width: number): string {
  const text = rows(out);
  expect(text.filter((row) => stringWidth(row) > width)).toEqual([]);
  const plain = text.join('\n');
  expect(plain).not.toMatch(/<\/?(code|br|details|summary|b)\b[^>]*>/i);
  expect(plain).not.toMatch(/&(amp|lt|gt|#\d+);/);
  expect(plain).not.toMatch(/^\s*\|.*\|\s*$/m); // no markdown table rows
  return plain.replace(/\s+/g, ' ');
}

/** The rows that start with a status symbol: one per capability, in the profile's order. */
function statusRows(out: string): string[] {
  return rows(out).filter((r) => /^ {2}[✔✘◐–?] /.test(r));
}

const SYMBOL: Record<string, string> = { enabled: '✔', disabled: '✘', conditional: '◐', absent: '–', unknown: '?' };

describe('text format on the example tree', () => {
  const snapshot = JSON.parse(cli(['scan', '--format', 'json', EXAMPLE]).out) as { capabilities: Array<{ id: string; title: string; status: string }> };

  it('with FORCE_COLOR and a fixed width: coloured, every row within 60 columns, every title with its status', () => {
    const r = cli(['scan', '--format', 'text', EXAMPLE], { FORCE_COLOR: '1', COLUMNS: '60' });
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${ESC}[`);
    const plain = readable(r.out, 60);
    for (const c of snapshot.capabilities) expect(plain).toContain(`${c.title} [${c.id}]`);
    const table = statusRows(r.out);
    expect(table).toHaveLength(snapshot.capabilities.length);
    snapshot.capabilities.forEach((c, i) => {
      expect(table[i]).toMatch(new RegExp(`^ {2}${SYMBOL[c.status].replace('?', '\\?')} ${c.status} +${c.title.split(' ').slice(0, 3).join(' ')}`));
    });
    expect(plain).toMatch(/17 capabilities: 14 ✔ enabled, 3 ✘ disabled/);
  });

  it('lays out for --width, which wins over COLUMNS', () => {
    const r = cli(['scan', '--format', 'text', '--width', '72', EXAMPLE], { COLUMNS: '200' });
    readable(r.out, 72);
    expect(Math.max(...rows(r.out).map((x) => stringWidth(x)))).toBeGreaterThan(60);
  });

  it('says in the row when a verdict rests on a profile assumption, and not where none does', () => {
    const out = cli(['scan', '--format', 'text', '--width', '100', EXAMPLE]).out;
    const row = (id: string): string => out.slice(out.indexOf(`[${id}]`), out.indexOf('↳', out.indexOf(`[${id}]`)));
    expect(row('migrate-to-ram')).toContain('assumes UVM_IS_CONFIG_HMM() (a profile assumption, not decided from a kernel)');
    expect(row('mmu-notifier')).not.toContain('assumes');
  });

  it('has colour with --color always whatever NO_COLOR says, none with --color never whatever FORCE_COLOR says', () => {
    expect(cli(['scan', '--format', 'text', '--color', 'never', EXAMPLE], { FORCE_COLOR: '3' }).out).not.toContain(ESC);
    expect(cli(['scan', '--format', 'text', '--color', 'always', EXAMPLE], { NO_COLOR: '1' }).out).toContain(`${ESC}[`);
    expect(cli(['scan', '--format', 'text', EXAMPLE]).out).not.toContain(ESC); // a pipe is not a terminal
    expect(cli(['scan', '--color', 'sometimes', EXAMPLE])).toMatchObject({ code: 2, err: expect.stringMatching(/--color must be auto, always or never/) });
    expect(cli(['scan', '--width', '0', EXAMPLE])).toMatchObject({ code: 2, err: expect.stringMatching(/--width must be a positive whole number/) });
  });

  it('links evidence to the local file (OSC 8) only where the terminal supports it', () => {
    const linked = cli(['scan', '--format', 'text', EXAMPLE], { FORCE_COLOR: '1', FORCE_HYPERLINK: '1', COLUMNS: '100' }).out;
    expect(linked).toContain(`${ESC}]8;;file://${path.join(EXAMPLE, 'kernel-open/nvidia-uvm/uvm_hmm.c')}\u0007`);
    // Scanned text that markdown escapes (# and &&) reads as it is in the code; evidence is file:line.
    const plain = readable(linked, 100);
    expect(plain).toContain('↳ kernel-open/nvidia-uvm/uvm_hmm.c:5 uvm_disable_hmm = false');
    expect(plain).toContain('↳ kernel-open/nvidia-uvm/nvidia-uvm.Kbuild:4 (+1 more) # HMM support needs');
    expect(cli(['scan', '--format', 'text', EXAMPLE], { FORCE_COLOR: '1', COLUMNS: '100' }).out).not.toContain(`${ESC}]8;`);
  });

  it('prints markdown when piped', () => {
    expect(cli(['scan', EXAMPLE]).out).toContain('| Capability | Status | Evidence |');
  });
});

describe('terminalFor: colour, links and width from the options and the environment', () => {
  // The libraries keep a reference to process.env: it is changed in place, and restored after.
  const saved = { ...process.env };
  function setEnv(env: NodeJS.ProcessEnv): void {
    for (const k of Object.keys(process.env)) delete process.env[k];
    Object.assign(process.env, env);
  }
  afterAll(() => setEnv(saved));
  function settle(env: Record<string, string>, stream: { isTTY?: boolean; columns?: number }, opts: { color?: ColorMode; width?: number } = {}) {
    setEnv(envWith(env));
    const t = terminalFor(stream, opts);
    return { color: t.style.level > 0, links: t.links, width: t.width };
  }
  const tty = { isTTY: true, columns: 120 };

  // First: supports-color keeps the last FORCE_COLOR it saw for the calls supports-hyperlinks makes (one value
  // per process in the CLI).
  it('links only with colour where the terminal supports them (FORCE_HYPERLINK decides)', () => {
    expect(settle({ FORCE_HYPERLINK: '1' }, tty).links).toBe(true);
    expect(settle({ FORCE_HYPERLINK: '1' }, tty, { color: 'never' }).links).toBe(false);
    expect(settle({ FORCE_HYPERLINK: '0' }, tty).links).toBe(false);
    expect(settle({ TERM_PROGRAM: 'iTerm.app', TERM_PROGRAM_VERSION: '3.5.0' }, tty).links).toBe(true);
    expect(settle({}, tty).links).toBe(false);
  });

  it('colours a terminal unless NO_COLOR; FORCE_COLOR wins over NO_COLOR and a pipe; flags win over both', () => {
    expect(settle({}, tty).color).toBe(true);
    expect(settle({ TERM: 'dumb' }, tty).color).toBe(false);
    expect(settle({ NO_COLOR: '1' }, tty).color).toBe(false);
    expect(settle({ NO_COLOR: '' }, tty).color).toBe(true);
    expect(settle({}, {}).color).toBe(false);
    expect(settle({ FORCE_COLOR: '1' }, {}).color).toBe(true);
    expect(settle({ FORCE_COLOR: '1', NO_COLOR: '1' }, {}).color).toBe(true);
    expect(settle({ FORCE_COLOR: '0' }, tty).color).toBe(false);
    expect(settle({ NO_COLOR: '1' }, {}, { color: 'always' }).color).toBe(true);
    expect(settle({ FORCE_COLOR: '3' }, tty, { color: 'never' }).color).toBe(false);
  });

  it('takes the width from --width, then COLUMNS, then the terminal, then 80, and never under 40', () => {
    expect(settle({ COLUMNS: '100' }, tty, { width: 72 }).width).toBe(72);
    expect(settle({ COLUMNS: '100' }, tty).width).toBe(100);
    expect(settle({}, tty).width).toBe(120);
    expect(settle({}, { columns: 120 }).width).toBe(80);
    expect(settle({}, { isTTY: true, columns: 0 }).width).toBe(80); // a pseudo-terminal with no size
    expect(settle({ COLUMNS: '20' }, tty).width).toBe(40);
  });
});

describe('under a pseudo-terminal', () => {
  let dir: TempTree;
  beforeAll(() => {
    dir = makeTree({});
  });
  afterAll(() => dir.remove());

  it('defaults to the text format with colour, within the terminal width', () => {
    const r = onTerminal(['scan', EXAMPLE], { COLUMNS: '100' });
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${ESC}[`);
    const plain = readable(r.out, 100);
    expect(plain).toContain('HMM enabled by default on x86_64 [hmm-default-x86_64]');
    expect(plain).not.toContain('| Capability |');
  });

  it('has no colour under NO_COLOR; markdown with --format markdown, and with --out', () => {
    expect(onTerminal(['scan', EXAMPLE], { NO_COLOR: '1', COLUMNS: '80' }).out).not.toContain(ESC);
    expect(onTerminal(['scan', '--format', 'markdown', EXAMPLE], { COLUMNS: '80' }).out).toContain('| Capability | Status | Evidence |');
    const file = path.join(dir.root, 'report.md');
    const r = onTerminal(['scan', '--out', file, EXAMPLE], { COLUMNS: '80' });
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('| Capability | Status | Evidence |');
  });
});

describe('text format: conditions, what changed, quiet, hostile text', () => {
  let tree: TempTree;
  beforeAll(() => {
    tree = makeTree({
      'kernel-open/nvidia-uvm/uvm_hmm.c': lines(
        ...PARAM_PER_ARCH,
        '#if defined(NV_HMM_RANGE_FAULT_PRESENT) && !defined(NV_OLD_KERNEL)',
        'int mirror(void) { return hmm_range_fault(&r); }',
        '#endif',
        `// TODO: Bug 7: HMM \u001b[2J\u001b]0;owned\u0007 & #3`
      )
    });
  });
  afterAll(() => tree.remove());

  it('says a conditional status and its condition in words', () => {
    const plain = readable(cli(['scan', '--format', 'text', tree.root], { COLUMNS: '100' }).out, 100);
    expect(plain).toContain('◐ conditional Mirrors CPU page tables');
    expect(plain).toContain('enabled only when NV_OLD_KERNEL is not defined and NV_HMM_RANGE_FAULT_PRESENT is defined: the driver calls hmm_range_fault()');
  });

  it('shows scanned text as written, with its control characters made harmless', () => {
    const out = cli(['scan', '--format', 'text', '--color', 'never', tree.root], { COLUMNS: '200' }).out;
    expect(out).not.toContain(ESC);
    expect(out).not.toContain('\u0007');
    expect(out).toContain('TODO: Bug 7: HMM \ufffd[2J\ufffd]0;owned\ufffd & #3');
  });

  it('with --baseline: the changed rows and a what-changed block; --quiet keeps only the summary and what changed', () => {
    const base = path.join(tree.root, 'base.json');
    expect(cli(['scan', '--format', 'json', '--out', base, tree.root]).code).toBe(0);
    const file = path.join(tree.root, 'kernel-open/nvidia-uvm/uvm_hmm.c');
    writeFileSync(file, readFileSync(file, 'utf8').replace('uvm_disable_hmm = false', 'uvm_disable_hmm = true'));
    const r = cli(['scan', '--format', 'text', '--baseline', base, '--fail-on', 'regression', tree.root], { COLUMNS: '120' });
    expect(r.code).toBe(5);
    const plain = readable(r.out, 120);
    expect(plain).toContain('✔ → ✘ disabled HMM enabled by default on x86_64');
    expect(plain).toContain(`What changed since ${base}: regressed (1 capability change, 1 fact change)`);
    expect(plain).toContain('▼ regressed ✔ enabled → ✘ disabled HMM enabled by default on x86_64');
    expect(plain).toContain('~ changed kernel-open/nvidia-uvm/uvm_hmm.c:2 uvm_disable_hmm = false → uvm_disable_hmm = true');

    const quiet = cli(['scan', '--format', 'text', '--quiet', '--baseline', base, tree.root], { COLUMNS: '90' });
    expect(rows(quiet.out)[0]).toMatch(/^17 capabilities: /);
    expect(quiet.out).toContain('▼ regressed');
    expect(quiet.out).not.toContain('hmm-watch:');
    expect(quiet.out).not.toContain('Status');

    const current = path.join(tree.root, 'current.json');
    cli(['scan', '--format', 'json', '--out', current, tree.root]);
    const compared = readable(cli(['compare', '--format', 'text', base, current], { COLUMNS: '90' }).out, 90);
    expect(compared).toContain('▼ regressed ✔ enabled → ✘ disabled HMM enabled by default on x86_64');
  });

  it('a conditional capability whose condition changed says both conditions', () => {
    const base = path.join(tree.root, 'cond-base.json');
    expect(cli(['scan', '--format', 'json', '--out', base, tree.root]).code).toBe(0);
    const file = path.join(tree.root, 'kernel-open/nvidia-uvm/uvm_hmm.c');
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, before.replace('!defined(NV_OLD_KERNEL)', '!defined(NV_OTHER_KERNEL)'));
    try {
      const current = path.join(tree.root, 'cond-current.json');
      expect(cli(['scan', '--format', 'json', '--out', current, tree.root]).code).toBe(0);
      // At 80 columns the change does not fit on one line: the capability comes first, the statuses under it.
      const out = rows(cli(['compare', '--format', 'text', '--color', 'never', base, current], { COLUMNS: '80' }).out);
      const at = out.findIndex((l) => /^ {2}↻ changed +Mirrors CPU page tables/.test(l));
      expect(at).toBeGreaterThan(-1);
      const statuses = out
        .slice(at + 1, at + 4)
        .join(' ')
        .replace(/\s+/g, ' ');
      expect(statuses).toMatch(/NV_OLD_KERNEL is not defined.* → .*NV_OTHER_KERNEL is not defined/);
      for (const l of out) expect(stringWidth(l)).toBeLessThanOrEqual(80);
    } finally {
      writeFileSync(file, before);
    }
  });
});

describe('evidence links for a git ref', () => {
  let repo: TempTree;
  beforeAll(() => {
    repo = makeTree({ 'uvm_hmm.c': lines(...PARAM_PER_ARCH) });
    const git = (...a: string[]): void => void spawnSync('git', a, { cwd: repo.root });
    git('init', '-q');
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-qm', 'tree');
    git('remote', 'add', 'origin', 'https://github.com/someone/driver.git');
  });
  afterAll(() => repo.remove());

  it('link to the commit on GitHub (the files of a ref are not on disk as scanned)', () => {
    const sha = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: repo.root, encoding: 'utf8' }).stdout.trim();
    const out = cli(['scan', '--format', 'text', '--ref', 'HEAD', repo.root], { FORCE_COLOR: '1', FORCE_HYPERLINK: '1', COLUMNS: '100' }).out;
    expect(out).toContain(`${ESC}]8;;https://github.com/someone/driver/blob/${sha}/uvm_hmm.c#L2\u0007`);
    expect(out).not.toContain('file://');
  });
});

describe('hmm-watch explain', () => {
  it('tells the whole chain for one capability in words', () => {
    const r = cli(['explain', '--format', 'text', 'hmm-default-other-arch', EXAMPLE], { COLUMNS: '100' });
    expect(r.code).toBe(0);
    const plain = readable(r.out, 100);
    expect(plain).toContain('HMM enabled by default on other CPU architectures (aarch64, ppc64le) [hmm-default-other-arch]: ✘ disabled');
    expect(plain).toContain("NVCPU_X86_64 is not defined (this capability's assumption; used by the facts below)");
    expect(plain).toContain('Case 1 → ✘ disabled');
    expect(plain).toMatch(
      /Case 3 → ✔ enabled: uvm_disable_hmm defaults to false - Tests facts of rule hmm-disable-param .* Ruled out by the assumptions \(1\): - kernel-open\/nvidia-uvm\/uvm_hmm\.c:5 uvm_disable_hmm = false, when NVCPU_X86_64 is defined - No fact matched, so it does not hold\./
    );
    expect(plain).toMatch(
      /Case 4 → ✘ disabled: .* Selected 1 fact: - kernel-open\/nvidia-uvm\/uvm_hmm\.c:9 uvm_disable_hmm = true, when NVCPU_X86_64 is not defined .* It holds in every configuration/
    );
    expect(plain).toContain('Build constraints (from #error branches) of these files:');
    expect(plain).toContain('Case 4 decided: the status is ✘ disabled.');
  });

  it('prints markdown when piped and the trace as JSON', () => {
    const md = cli(['explain', 'docs-agree', EXAMPLE]).out;
    expect(md).toMatch(/^## Documentation agrees with the code about HMM/);
    expect(md).toContain('capability <code>hmm-default-x86_64</code> is disabled or unknown (it is **✅ enabled**)');
    const json = JSON.parse(cli(['explain', '--format', 'json', 'docs-agree', EXAMPLE]).out);
    expect(json.cases.map((c: { outcome: string }) => c.outcome)).toEqual(['no-match', 'holds', 'not-reached']);
    expect(json.result.status).toBe('disabled');
  });

  it('rejects an unknown capability with the list of ids', () => {
    const r = cli(['explain', 'no-such-capability', EXAMPLE]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /unknown capability 'no-such-capability' in profile nvidia-uvm-hmm; its capabilities are: interval-notifier, .*hmm-default-x86_64, .*docs-agree/
    );
    expect(cli(['explain']).code).toBe(2);
  });
});
