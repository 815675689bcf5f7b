// The text format of a tree with several driver units: the units × capabilities matrix first (rows, numbered
// columns, the legend, ≠ where another configuration differs, change marks against a baseline, the units a
// configuration does not build, gated units and core code), laid out within 120, 80 and 40 columns, unit names from
// the scanned build files made harmless, --unit, and a single unit keeping the single-table layout.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import stringWidth from 'string-width';
import { compareSnapshots } from '../src/compare/compare.js';
import type { ConfigurationSpec } from '../src/platform/configuration.js';
import { terminalFor } from '../src/report/terminal.js';
import { renderText } from '../src/report/text.js';
import { runScan } from '../src/scan/run.js';
import type { Snapshot } from '../src/snapshot/snapshot.js';
import { restrictUnits } from '../src/units/units.js';
import { lines, makeTree, type TempTree } from './helpers/tree.js';

const fn = (name: string, ...body: string[]) => [`int ${name}(void *p)`, '{', ...body.map((b) => `\t${b}`), '}'];

/** A module name from a stranger's build file: a colour change, a window title (OSC 0 … BEL), a bidi override. */
const HOSTILE_MODULE = 'ev\u001b[31mil\u001b]0;pwned\u0007\u202eX';
/** A folder name the same (the unit of a file without build files is named after its folder). */
const HOSTILE_FOLDER = 'fo\u001b[2Jld\u202eer';
const LONG = 'a_module_with_a_rather_long_name_for_a_unit';

function files(alphaDeviceAtomics: boolean): Record<string, string> {
  return {
    // alpha: migration only with CONFIG_DEVICE_PRIVATE (so arm64, without it, differs).
    'drivers/gpu/alpha/Makefile': lines('obj-m += alpha.o', 'alpha-y := alpha_svm.o'),
    'drivers/gpu/alpha/alpha_svm.c': lines(
      ...fn('a_fault', 'return hmm_range_fault(p);'),
      ...(alphaDeviceAtomics ? fn('a_atomic', 'return make_device_exclusive(p);') : []),
      '#if IS_ENABLED(CONFIG_DEVICE_PRIVATE)',
      ...fn('a_migrate', 'return migrate_vma_setup(p);'),
      '#endif'
    ),
    // beta: built only with CONFIG_BETA, which arm64 does not set.
    'drivers/gpu/beta/Kbuild': lines('obj-$(CONFIG_BETA) += beta.o', 'beta-y := beta_main.o'),
    'drivers/gpu/beta/beta_main.c': lines(...fn('b_fault', 'return hmm_range_fault(p);'), ...fn('b_mem', 'return memremap_pages(p);')),
    'drivers/misc/evil/Makefile': lines(`obj-m += ${HOSTILE_MODULE}.o`, `${HOSTILE_MODULE}-y := evil_main.o`),
    'drivers/misc/evil/evil_main.c': lines(...fn('e_fault', 'return hmm_range_fault(p);')),
    [`drivers/misc/${HOSTILE_FOLDER}/f.c`]: lines(...fn('f_fault', 'return hmm_range_fault(p);')),
    'drivers/misc/long/Makefile': lines(`obj-m += ${LONG}.o`, `${LONG}-y := long_main.o`),
    'drivers/misc/long/long_main.c': lines(...fn('l_fault', 'return hmm_range_fault(p);')),
    // Only a Kconfig gate: listed, not a row.
    'drivers/gated/gated.c': lines('#if IS_ENABLED(CONFIG_HMM_MIRROR)', 'int g;', '#endif'),
    'lib/Makefile': lines('obj-$(CONFIG_TEST_HMM) += test_hmm.o'),
    'lib/test_hmm.c': lines(...fn('t_fault', 'return hmm_range_fault(p);'), ...fn('t_atomic', 'return make_device_exclusive(p);')),
    'mm/hmm.c': lines(...fn('hmm_range_fault_internal', 'return hmm_range_fault(p);'))
  };
}

let tree: TempTree;
let older: TempTree;
let k: TempTree;
let snapshot: Snapshot;
let plain: Snapshot;
let baseline: Snapshot;
let specs: ConfigurationSpec[];

beforeAll(async () => {
  tree = makeTree(files(false));
  older = makeTree(files(true));
  k = makeTree({
    'linux/include/linux/mm.h': lines('struct page;'),
    'x86_64.config': lines('CONFIG_X86_64=y', 'CONFIG_DEVICE_PRIVATE=y', 'CONFIG_BETA=m', 'CONFIG_TEST_HMM=m'),
    'arm64.config': lines('CONFIG_ARM64=y', '# CONFIG_DEVICE_PRIVATE is not set', 'CONFIG_TEST_HMM=m')
  });
  specs = [
    { name: 'x86_64', arch: 'x86_64', kernel: `${k.root}/linux`, config: `${k.root}/x86_64.config` },
    { name: 'arm64', arch: 'aarch64', kernel: `${k.root}/linux`, config: `${k.root}/arm64.config` }
  ];
  snapshot = (await runScan(tree.root, { profile: 'linux-hmm-generic', jobs: 1, configurations: specs })).snapshot;
  plain = (await runScan(tree.root, { profile: 'linux-hmm-generic', jobs: 1 })).snapshot;
  baseline = (await runScan(older.root, { profile: 'linux-hmm-generic', jobs: 1, configurations: specs })).snapshot;
});
afterAll(() => {
  for (const t of [tree, older, k]) t.remove();
});

const text = (s: Snapshot, width: number, comparison = undefined as ReturnType<typeof compareSnapshots> | undefined) =>
  renderText(s, comparison, { terminal: terminalFor({}, { color: 'never', width }) });

/** The matrix's blocks: each a header row (`Unit  1  2 …`) and the rows under it, up to the first legend line. */
function blocks(out: string): { head: string; rows: string[] }[] {
  const all = out.split('\n');
  const found: { head: string; rows: string[] }[] = [];
  all.forEach((l, i) => {
    if (!/^ {2}Unit +1?\d?/.test(l)) return;
    const rows: string[] = [];
    for (let j = i + 1; j < all.length && all[j].startsWith('  ') && !/^ {2}[✔◐✘–?] [a-z]/.test(all[j]) && all[j] !== ''; j++) rows.push(all[j]);
    found.push({ head: l, rows });
  });
  return found;
}

/** The capability numbers a matrix header names. */
const numbers = (head: string): number[] => [...head.matchAll(/\b(\d+)\b/g)].map((m) => Number(m[1]));

/** The cell of `unit` under capability number `n` in a block (cells are under their header's numbers). */
function cell(b: { head: string; rows: string[] }, unit: string, n: number): string {
  const row = b.rows.find((r) => r.startsWith(`  ${unit} `) || r.startsWith(`  ${unit}\u2026`))!;
  const at = [...b.head.matchAll(/\d+/g)].find((m) => Number(m[0]) === n)!.index!;
  // Columns are as wide as the widest cell; the header's number is left-aligned in its column.
  const chars = [...row];
  const headChars = [...b.head];
  const start = headChars.slice(0, at).length;
  return chars
    .slice(start, start + 3)
    .join('')
    .trim();
}

const col = (s: Snapshot, id: string): number => s.capabilities.findIndex((c) => c.id === id) + 1;

describe('the units × capabilities matrix in the text format', () => {
  it('has a row per driver and test unit (tests marked), a numbered column per capability and a legend naming each', () => {
    const out = text(snapshot, 120);
    const [b] = blocks(out);
    expect(blocks(out)).toHaveLength(1);
    expect(numbers(b.head)).toEqual(snapshot.capabilities.map((_, i) => i + 1));
    expect(b.head).toMatch(/ Folder$/);
    expect(
      b.rows.map((r) =>
        r
          .slice(2)
          .split(/ {2,}| [✔◐✘–?·]/)[0]
          .trim()
      )
    ).toEqual([LONG, 'alpha', 'beta', expect.stringMatching(/^ev\ufffd\[31mil\ufffd\]0;pwned\ufffd/), 'fo\ufffd[2Jld\ufffder', 'test_hmm (test)']);
    // Core code and the gated unit are not rows; they are listed under the matrix.
    expect(out).toContain('Core code, the provider of the APIs (not a driver): mm (1 file).');
    expect(out).toContain('Only test HMM Kconfig options (no HMM table or call): gated.');
    // The legend: the symbols, then each column's number and title.
    expect(out).toContain('✔ enabled, ◐ conditional, ✘ disabled, – absent, ? unknown, n/a does not apply to this CPU');
    for (const [i, c] of snapshot.capabilities.entries()) expect(out).toContain(`${String(i + 1).padStart(2)} ${c.title} [${c.id}]`);
    // Cells: the first configuration's verdicts, the folder last.
    expect(cell(b, 'alpha', col(snapshot, 'hmm-range-fault'))).toBe('✔');
    expect(cell(b, 'alpha', col(snapshot, 'device-exclusive'))).toBe('–');
    expect(cell(b, 'test_hmm', col(snapshot, 'device-exclusive'))).toBe('✔');
    expect(b.rows.find((r) => r.startsWith('  beta '))).toMatch(/ drivers\/gpu\/beta$/);
    // The matrix stands where the capability table stands; the summary counts its cells.
    expect(out).toMatch(/^hmm-watch: .*\nTree .*\n\nDriver units × capabilities/);
    expect(out).not.toContain('  Status ');
    expect(out).toContain('6 units × 10 capabilities in x86_64: 10 ✔ enabled, 50 – absent');
  });

  it('marks with ≠ the cells another configuration gives another status, lists them, and names the units a configuration does not build', () => {
    const out = text(snapshot, 120);
    const [b] = blocks(out);
    expect(out).toContain('Driver units × capabilities, statuses in configuration x86_64 (CPU x86_64), the first of 2 configurations:');
    expect(cell(b, 'alpha', col(snapshot, 'migrate-vma'))).toBe('✔≠');
    expect(cell(b, 'beta', col(snapshot, 'hmm-range-fault'))).toBe('✔≠');
    expect(cell(b, 'test_hmm', col(snapshot, 'hmm-range-fault'))).toBe('✔');
    expect(out).toContain('≠ arm64 gives another status (3 cells, listed below)');
    expect(out).toContain('Where configurations differ (3 cells):');
    expect(out).toContain(`  alpha · ${col(snapshot, 'migrate-vma')}: x86_64 ✔ enabled, arm64 – absent`);
    expect(out).toContain(`  beta · ${col(snapshot, 'hmm-range-fault')}: x86_64 ✔ enabled, arm64 – absent`);
    expect(out).toContain('Not built in arm64 (the Kconfig options their build files name are not set): beta.');
    // Without configurations: the statuses without a kernel, no ≠.
    const none = text(plain, 120);
    expect(none).toContain('Driver units × capabilities:');
    expect(none).not.toContain('≠');
    expect(cell(blocks(none)[0], 'alpha', col(plain, 'migrate-vma'))).toBe('◐');
  });

  it('marks the cells that changed against the baseline', () => {
    const out = text(snapshot, 120, compareSnapshots(baseline, snapshot));
    const [b] = blocks(out);
    expect(cell(b, 'alpha', col(snapshot, 'device-exclusive'))).toBe('–↻');
    expect(cell(b, 'test_hmm', col(snapshot, 'device-exclusive'))).toBe('✔');
    expect(out).toContain('▼ regressed, ▲ improved, ↻ changed against the baseline (in any configuration)');
    // A unit the baseline does not have is marked new, its cells changed.
    const withoutLong = restrictUnits(baseline, ['alpha', 'beta', 'ev*', 'fo*', 'test_hmm', 'mm']);
    const added = blocks(text(snapshot, 120, compareSnapshots(withoutLong, snapshot)))[0];
    expect(added.rows[0]).toMatch(new RegExp(`^ {2}${LONG} \\(new\\) +–↻ +–↻`));
  });

  it.each([80, 40])('fits %i columns: every line within the width, every unit and capability in the matrix', (width) => {
    const out = text(snapshot, width);
    expect(out.split('\n').filter((l) => stringWidth(l) > width)).toEqual([]);
    const found = blocks(out);
    // Every column once, in order, over the blocks; every block has every unit.
    expect(found.flatMap((b) => numbers(b.head))).toEqual(snapshot.capabilities.map((_, i) => i + 1));
    for (const b of found) expect(b.rows).toHaveLength(6);
    if (width === 80) expect(found).toHaveLength(1);
    else {
      expect(found.length).toBeGreaterThan(1);
      // Cut names keep their mark; the cell is still under its number.
      expect(found[0].rows.some((r) => /^ {2}a_module_with_\S*…/.test(r))).toBe(true);
      expect(found[0].rows.some((r) => r.startsWith('  test_hmm (test) '))).toBe(true);
      const migrate = col(snapshot, 'migrate-vma');
      const b = found.find((x) => numbers(x.head).includes(migrate))!;
      expect(cell(b, 'alpha', migrate)).toBe('✔≠');
    }
  });

  it('makes the control characters of unit names from the scanned build files harmless, with colour too', () => {
    const out = renderText(snapshot, undefined, { terminal: terminalFor({}, { color: 'always', width: 100 }) });
    // Colour is SGR only (ESC [ … m); nothing else from the names reaches the terminal.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: SGR sequences are what is taken out
    const uncoloured = out.replace(/\u001b\[[0-9;]*m/g, '');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must not be there
    expect(uncoloured).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(out).toContain('\ufffd]0;pwned\ufffd');
  });
});

describe('--unit and a single unit', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [path.resolve('dist/cli.js'), 'scan', '--profile', 'linux-hmm-generic', '--format', 'text', '--color', 'never', ...args], {
      encoding: 'utf8',
      env: { ...process.env, COLUMNS: '100' }
    });

  it('--unit restricts the matrix to the matching units', () => {
    const r = cli('--unit', 'alpha', '--unit', 'beta', tree.root);
    expect(r.status).toBe(0);
    const [b] = blocks(r.stdout);
    expect(b.rows.map((x) => x.trim().split(' ')[0])).toEqual(['alpha', 'beta']);
    expect(r.stdout).not.toContain('test_hmm');
    // --quiet: the summary counts the cells of those units.
    const quiet = cli('--quiet', '--unit', 'alpha', '--unit', 'beta', tree.root);
    expect(quiet.stdout).toBe('2 units × 10 capabilities: 4 ✔ enabled, 1 ◐ conditional, 15 – absent\n');
  });

  it('a single unit keeps the single-table layout: the header, then the capability table', () => {
    const r = cli('--unit', 'alpha', tree.root);
    expect(r.stdout).not.toContain('Driver units');
    expect(r.stdout.split('\n').slice(2, 4)).toEqual(['', '  Status         Capability']);
    const one = text(restrictUnits(snapshot, ['beta']), 100);
    expect(blocks(one)).toEqual([]);
    expect(one).toMatch(/^hmm-watch: .*\nTree .*\n\n {2}Status/);
  });
});
