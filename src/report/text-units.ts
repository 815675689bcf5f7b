// The units × capabilities matrix of a tree with several driver units, for a terminal, in place of the capability
// table (as in the markdown report): what report/unit-matrix.ts computes, laid out in the terminal's width. One row
// per driver or test unit (tests marked), one column per capability headed by its number, one status symbol a cell
// (the terminal's symbols, coloured), `≠` where another configuration gives another status and ▼▲↻ where the cell
// changed against the baseline; the unit's folder follows when there is room. When the columns do not fit beside
// the unit names, they are split into groups of columns, each a block with the unit names again. Then the legend
// (symbols, then the column numbers with the capability titles and ids), the cells that differ between
// configurations, the units each configuration does not build, the units that only test HMM options and the core
// code. Every text from the snapshot goes through terminalText().
import type { Comparison } from '../compare/compare.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { terminalText } from './escape.js';
import {
  CHANGE,
  inStatusColor,
  moreLines,
  pad,
  STATUS_ORDER,
  statusLabel,
  statusSymbol,
  type Terminal,
  truncate,
  verdictWords,
  visibleWidth,
  wrap
} from './terminal.js';
import { DIFFERS, differingCells, type MatrixCell, type MatrixRow, unitMatrixModel } from './unit-matrix.js';

const INDENT = '  ';
/** Columns between two capability columns, and between the unit names and the first. */
const GAP = 1;
/** A unit name is cut to no fewer columns than this before the capability columns are split into groups. */
const MIN_LABEL = 16;
/** The folder column is shown when at least this many columns are left for it. */
const MIN_FOLDER = 12;
/** Lines of "Where configurations differ" listed; the rest are counted. */
const MAX_DIFFERENCES = 10;
/** A cell without a verdict. */
const NO_VERDICT = '·';
/** A cell whose row does not apply to the configuration's CPU. */
const NOT_APPLICABLE = 'n/a';

interface Laid {
  plain: string;
  styled: string;
}

function cellText(t: Terminal, c: MatrixCell): Laid {
  if (!c.shown) return { plain: NO_VERDICT, styled: t.style.gray(NO_VERDICT) };
  const symbol = c.shown.applies === false ? NOT_APPLICABLE : statusSymbol(c.shown.status);
  let plain = symbol;
  let styled = c.shown.applies === false ? t.style.gray(symbol) : inStatusColor(t, c.shown.status, symbol);
  if (c.differ.length) {
    plain += DIFFERS;
    styled += t.style.yellow(DIFFERS);
  }
  if (c.change !== 'unchanged') {
    const mark = CHANGE[c.change];
    plain += mark.symbol;
    styled += t.style[mark.color](mark.symbol);
  }
  return { plain, styled };
}

/** The unit's name cut to `width`, with " (test)" or " (new)" kept whole after it. */
function label(row: MatrixRow, width: number): string {
  const tags = `${row.unit.kind === 'test' ? ' (test)' : ''}${row.added ? ' (new)' : ''}`;
  const name = terminalText(row.unit.id);
  if (visibleWidth(name) + tags.length <= width) return `${name}${tags}`;
  return `${truncate(name, Math.max(1, width - tags.length))}${tags}`;
}

function fullLabelWidth(row: MatrixRow): number {
  return visibleWidth(label(row, Number.MAX_SAFE_INTEGER));
}

/** Columns 0…n-1 in consecutive groups of about the same size, each at most `fit` columns (at least one). */
function groups(n: number, fit: number): number[][] {
  const count = Math.ceil(n / Math.max(1, fit));
  const size = Math.ceil(n / count);
  return Array.from({ length: count }, (_, g) => Array.from({ length: Math.min(size, n - g * size) }, (_, i) => g * size + i));
}

/** Text wrapped within `width` after its prefix: `first` on the first line, `rest` (as wide or wider) on the others. */
function wrapped(text: string, width: number, first = INDENT, rest = first): string[] {
  return wrap(text, width - Math.max(visibleWidth(first), visibleWidth(rest))).map((l, i) => `${i ? rest : first}${l}`);
}

/** The matrix and what goes with it, as lines within the terminal's width. */
export function unitMatrixLines(s: Snapshot, comparison: Comparison | undefined, t: Terminal): string[] {
  const m = unitMatrixModel(s, comparison);
  const [first, ...others] = m.configurations;
  const out: string[] = [];
  const head = first
    ? `Driver units × capabilities, statuses in configuration ${terminalText(first.name)} (CPU ${terminalText(first.arch)}${
        first.kernel.release ? `, kernel ${terminalText(first.kernel.release)}` : ''
      })${others.length ? `, the first of ${m.configurations.length} configurations` : ''}:`
    : 'Driver units × capabilities:';
  out.push(...wrap(head, t.width).map((l) => t.style.bold(l)));

  const headers = m.capabilities.map((_, i) => String(i + 1));
  const cells = m.rows.map((r) => r.cells.map((c) => cellText(t, c)));
  // Every column as wide as the widest, so the grid reads straight.
  const widest = Math.max(1, ...headers.map(visibleWidth), ...cells.flatMap((row) => row.map((c) => visibleWidth(c.plain))));
  const room = t.width - INDENT.length;
  const all = headers.length * (GAP + widest);
  const fullLabel = Math.max(visibleWidth('Unit'), ...m.rows.map(fullLabelWidth));
  // One block when every column fits beside the unit names (cut to MIN_LABEL at the least); else groups of columns.
  const oneBlock = Math.min(fullLabel, MIN_LABEL) + all <= room;
  const labelWidth = oneBlock ? Math.min(fullLabel, room - all) : Math.min(fullLabel, Math.max(MIN_LABEL, Math.floor(room / 2)));
  const blocks = groups(headers.length, oneBlock ? headers.length : Math.floor((room - labelWidth) / (GAP + widest)));
  // The folder closes each row when there is room for it (its end, which names it, kept when cut).
  const folderRoom = oneBlock ? room - labelWidth - all - 2 : 0;
  const folders = folderRoom >= MIN_FOLDER ? m.rows.map((r) => terminalText(r.unit.dir)) : undefined;
  const folderWidth = folders ? Math.min(folderRoom, Math.max(visibleWidth('Folder'), ...folders.map(visibleWidth))) : 0;
  blocks.forEach((columns, b) => {
    if (b > 0) out.push('');
    const headerCells = columns.map((i) => ' '.repeat(GAP) + pad(headers[i], widest));
    const folderHead = folders ? '  Folder' : '';
    out.push(t.style.dim(`${INDENT}${pad('Unit', labelWidth)}${headerCells.join('')}${folderHead}`.trimEnd()));
    m.rows.forEach((r, j) => {
      const row = columns.map((i) => `${' '.repeat(GAP)}${cells[j][i].styled}${' '.repeat(widest - visibleWidth(cells[j][i].plain))}`);
      const folder = folders ? `  ${t.style.dim(truncate(folders[j], folderWidth, 'start'))}` : '';
      out.push(`${INDENT}${pad(label(r, labelWidth), labelWidth)}${row.join('')}${folder}`.trimEnd());
    });
  });

  // The legend: the symbols, then what each column number stands for.
  const symbols = STATUS_ORDER.map((st) => inStatusColor(t, st, statusLabel(st)));
  if (first) symbols.push(`${NOT_APPLICABLE} does not apply to this CPU`);
  if (m.rows.some((r) => r.cells.some((c) => !c.shown))) symbols.push(`${NO_VERDICT} no verdict`);
  out.push(...wrapped(symbols.join(', '), t.width));
  if (others.length) {
    const who = others.length === 1 ? terminalText(others[0].name) : 'another configuration';
    const said = m.marked
      ? `${DIFFERS} ${who} gives another status (${m.marked} cell${m.marked === 1 ? '' : 's'}, listed below)`
      : `the other configuration${others.length === 1 ? ' gives' : 's give'} the same status in every cell`;
    out.push(...wrapped(said, t.width));
  }
  if (comparison) {
    const marks = (['regressed', 'improved', 'changed'] as const).map((d) => t.style[CHANGE[d].color](`${CHANGE[d].symbol} ${d}`)).join(', ');
    out.push(...wrapped(`${marks} against the baseline${first ? ' (in any configuration)' : ''}`, t.width));
  }
  const number = Math.max(...headers.map((h) => h.length));
  for (const [i, c] of m.capabilities.entries()) {
    const lead = `${INDENT}${headers[i].padStart(number)} `;
    out.push(...wrapped(`${terminalText(c.title)} [${terminalText(c.id)}]`, t.width, t.style.dim(lead), ' '.repeat(lead.length)));
  }

  const differ = differingCells(m);
  if (differ.length) {
    out.push('', `Where configurations differ (${differ.length} cell${differ.length === 1 ? '' : 's'}):`);
    for (const d of differ.slice(0, MAX_DIFFERENCES)) {
      const verdicts = d.verdicts.map((v, i) => `${terminalText(m.configurations[i].name)} ${v ? verdictWords(v) : NO_VERDICT}`).join(', ');
      out.push(...wrapped(`${terminalText(d.unit.id)} · ${d.column + 1}: ${verdicts}`, t.width, INDENT, `${INDENT}  `));
    }
    if (differ.length > MAX_DIFFERENCES) out.push(...moreLines(t, INDENT, differ.length - MAX_DIFFERENCES));
  }
  const lists: string[] = [];
  for (const { configuration, units } of m.notBuilt) {
    lists.push(
      `Not built in ${terminalText(configuration.name)} (the Kconfig options their build files name are not set): ${units.map(terminalText).join(', ')}.`
    );
  }
  if (m.gated.length) lists.push(`Only test HMM Kconfig options (no HMM table or call): ${m.gated.map((u) => terminalText(u.id)).join(', ')}.`);
  if (m.providers.length) {
    const files = (n: number): string => `${n} file${n === 1 ? '' : 's'}`;
    lists.push(
      `Core code, the provider of the APIs (not a driver): ${m.providers.map((u) => `${terminalText(u.dir)} (${files(u.files.length)})`).join(', ')}.`
    );
  }
  if (lists.length) out.push('');
  for (const l of lists) out.push(...wrap(l, t.width));
  return out;
}

/** The summary of the matrix: its cells counted by status, `6 units × 10 capabilities in x86_64: 12 ✔ enabled, …`. */
export function unitCounts(s: Snapshot, t: Terminal): string {
  const m = unitMatrixModel(s, undefined);
  const by = new Map<string, number>();
  for (const r of m.rows) {
    for (const c of r.cells) {
      const k = !c.shown ? NO_VERDICT : c.shown.applies === false ? NOT_APPLICABLE : c.shown.status;
      by.set(k, (by.get(k) ?? 0) + 1);
    }
  }
  const parts = STATUS_ORDER.filter((st) => by.has(st)).map((st) => inStatusColor(t, st, `${by.get(st)} ${statusLabel(st)}`));
  if (by.has(NOT_APPLICABLE)) parts.push(`${by.get(NOT_APPLICABLE)} ${NOT_APPLICABLE}`);
  if (by.has(NO_VERDICT)) parts.push(`${by.get(NO_VERDICT)} ${NO_VERDICT} no verdict`);
  const first = m.configurations[0];
  const n = m.capabilities.length;
  return `${m.rows.length} units × ${n} capabilit${n === 1 ? 'y' : 'ies'}${first ? ` in ${terminalText(first.name)}` : ''}: ${parts.join(', ')}`;
}
