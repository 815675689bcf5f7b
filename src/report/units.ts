// The report of a tree with several driver units: a matrix first (units down, capabilities across, one symbol a
// cell linking to its evidence, a mark where the unit changed against the baseline), the units that only test an
// HMM option and the core code that provides the APIs in one line each, then one collapsible table per unit.
// With configurations (CPU architecture + kernel), the matrix shows the first configuration's verdicts and marks
// with "≠ NAME" each cell another configuration gives another verdict; "Where configurations differ" lists those
// cells with every configuration's verdict in words, and changes are named per unit and configuration
// ("nouveau [arm64]: …").
import { markdownTable } from 'markdown-table';
import { type CapabilityChange, type Comparison, changePlace } from '../compare/compare.js';
import type { CapabilityResult } from '../rules/capabilities.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import type { Unit } from '../units/units.js';
import type { AtomNames } from './condition-words.js';
import { type Cut, code, escapeText, num } from './escape.js';
import type { LinkBuilder } from './links.js';
import { DIFFERS, differingCells, unitMatrixModel } from './unit-matrix.js';
import { STATUS_SYMBOL, verdictSymbol, verdictText } from './verdict.js';

const CHANGE_MARK: Record<CapabilityChange['direction'], string> = { regressed: '🔻', improved: '🔺', changed: '🔄', unchanged: '' };
/** Configurations named in a marked cell; with more, the cell gives their number. */
const NAMED_IN_CELL = 2;
/** Change lines listed when the report is shortened to fit. */
const COMPACT_LINES = 20;

export interface MatrixOptions {
  links?: LinkBuilder;
  /** Readable names of condition atoms (the profile's `platform.names`). */
  names?: AtomNames;
  /** Set when the report is shortened to fit: texts are cut and long lists name their first entries. */
  cut?: Cut;
}

function linked(symbol: string, c: CapabilityResult | undefined, links: LinkBuilder | undefined): string {
  const ev = c?.evidence[0];
  const url = ev ? links?.(ev.file, ev.line) : undefined;
  return url ? `[${symbol}](${url})` : symbol;
}

function unitLabel(u: Unit, cut?: Cut): string {
  const tag = u.kind === 'test' ? ' (test)' : '';
  return `${escapeText(u.id, cut)}${tag}`;
}

export function unitMatrix(s: Snapshot, comparison: Comparison | undefined, opts: MatrixOptions = {}): string {
  const { links, cut } = opts;
  const m = unitMatrixModel(s, comparison);
  const confs = m.configurations;
  const [first, ...others] = confs;
  const rows = m.rows.map(({ unit: u, added, cells }) => {
    const label = added ? `${unitLabel(u, cut)} 🆕` : unitLabel(u, cut);
    const shown = cells.map((c) => {
      if (!c.shown) return '—';
      let text = linked(verdictSymbol(c.shown), c.result, links);
      if (c.differ.length) {
        const named = c.differ.length <= NAMED_IN_CELL ? c.differ.map((o) => escapeText(o.name, cut)).join(', ') : `${num(c.differ.length)} configurations`;
        text += ` ${DIFFERS} ${named}`;
      }
      return text + CHANGE_MARK[c.change];
    });
    return [label, code(u.dir, cut), ...shown];
  });
  const ids = m.capabilities.map((c) => c.id);
  const marked = m.marked;
  const legend = m.capabilities.map((c, i) => `${i + 1} ${escapeText(c.title, cut)}`).join('; ');
  const symbols = Object.entries(STATUS_SYMBOL).map(([k, v]) => `${v} ${k}`);
  if (first) symbols.push('n/a the row does not apply to this CPU');
  const parts: string[] = [];
  if (first) {
    const kernel = first.kernel.release ? `, kernel ${code(first.kernel.release, cut)}` : '';
    parts.push(
      `Statuses in configuration **${escapeText(first.name, cut)}** (CPU ${code(first.arch, cut)}${kernel})${
        others.length ? `, the first of ${num(confs.length)} configurations` : ''
      }.`
    );
  }
  parts.push(markdownTable([['Unit', 'Folder', ...ids.map((_, i) => String(i + 1))], ...rows], { alignDelimiters: false }));
  const differs = !others.length
    ? ''
    : marked
      ? `; ${DIFFERS} NAME: configuration NAME gives another status (${num(marked)} cell${marked === 1 ? '' : 's'}, listed under “Where configurations differ”)`
      : `; the other configuration${others.length === 1 ? ' gives' : 's give'} the same status in every cell`;
  const changed = first ? 'changed against the baseline (in any configuration)' : 'changed against the baseline';
  parts.push(`${symbols.join(', ')}${differs}; 🔺🔻🔄 ${changed}. Columns: ${legend}.`);
  // A unit a configuration does not build reads absent there; say why.
  for (const { configuration, units } of m.notBuilt) {
    parts.push(
      `Not built in **${escapeText(configuration.name, cut)}** (the Kconfig options their build files name are not set): ${units.map((id) => escapeText(id, cut)).join(', ')}.`
    );
  }
  if (m.gated.length) parts.push(`Only test HMM Kconfig options (no HMM table or call): ${m.gated.map((u) => escapeText(u.id, cut)).join(', ')}.`);
  if (m.providers.length) {
    parts.push(
      `Core code, the provider of the APIs (not a driver): ${m.providers.map((u) => `${code(u.dir, cut)} (${u.files.length} file${u.files.length === 1 ? '' : 's'})`).join(', ')}.`
    );
  }
  const all = unitChangeLines(comparison, opts.names);
  // Shortened, the list names its first changes only (the status line counts them all).
  const lines = cut ? all.slice(0, COMPACT_LINES) : all;
  if (all.length > lines.length) lines.push(`…and ${num(all.length - lines.length)} more.`);
  if (lines.length) parts.push(`Changes per unit:\n\n${lines.map((l) => `- ${l}`).join('\n')}`);
  return parts.join('\n\n');
}

/**
 * Every unit × capability another configuration gives another verdict: a row each, in the matrix's order, with
 * every configuration's verdict in words. Undefined without several configurations or without such a cell. Its
 * size grows with the cells that differ only, and it is a section of its own (folded whole when the report must fit).
 */
export function configurationDifferences(s: Snapshot, names: AtomNames = {}): string | undefined {
  const m = unitMatrixModel(s, undefined);
  const rows = differingCells(m).map(({ unit, column, capability, verdicts }) => [
    unitLabel(unit),
    `${column + 1} ${escapeText(capability.title)}`,
    ...verdicts.map((v) => verdictText(v, names))
  ]);
  if (!rows.length) return undefined;
  const head = ['Unit', 'Capability', ...m.configurations.map((c) => escapeText(c.name))];
  return `**Where configurations differ** (${num(rows.length)} unit × capability cell${rows.length === 1 ? '' : 's'}):\n\n${markdownTable([head, ...rows], { alignDelimiters: false })}`;
}

/**
 * One line per unit that changed: `nouveau: device-exclusive ➖ absent → ✅ enabled (improved)`, then one per unit
 * and configuration: `nouveau [arm64]: device-exclusive ✅ enabled → ➖ absent (regressed)`.
 */
export function unitChangeLines(comparison: Comparison | undefined, names: AtomNames = {}): string[] {
  const lines = (comparison?.units ?? []).map((u) => {
    if (u.change !== 'kept') return `${escapeText(u.id)}: unit ${u.change}`;
    const what = u.capabilities.map((c) => {
      // In words, with the condition of a conditional status: "⚠️ conditional → ⚠️ conditional" would hide
      // that only the configuration it holds for changed.
      const from = c.before ? verdictText(c.before, names) : 'none';
      const to = c.after ? verdictText(c.after, names) : 'none';
      return `${escapeText(c.id)} ${from} → ${to}${c.direction === 'changed' ? '' : ` (${c.direction})`}`;
    });
    return `${escapeText(u.id)}: ${what.join('; ')}`;
  });
  for (const c of comparison?.configurations ?? []) {
    if (c.unit === undefined) continue;
    const how = c.direction === 'changed' ? '' : ` (${c.direction})`;
    lines.push(`${escapeText(changePlace(c))}: ${escapeText(c.id)} ${verdictText(c.before, names)} → ${verdictText(c.after, names)}${how}`);
  }
  return lines;
}
