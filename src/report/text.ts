// The report for a person at a terminal: a header, the capability table (status symbol and colour, title,
// reason, one evidence line as file:line) or, for a tree with several driver units, the units × capabilities
// matrix (text-units.ts), a summary, a short "what changed" block against a baseline, diagnostics and a hint.
// Every line fits the terminal's width; everything from the scan goes through terminalText().
import { type CapabilityChange, type Comparison, changePlace, type FactChange } from '../compare/compare.js';
import type { CapabilityResult } from '../rules/capabilities.js';
import { describeFact } from '../rules/describe.js';
import type { Status } from '../rules/types.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { isMultiUnit } from '../units/units.js';
import { whenInWords } from './condition-words.js';
import { terminalText } from './escape.js';
import type { LinkBuilder } from './links.js';
import {
  CHANGE,
  inStatusColor,
  link,
  moreLines,
  pad,
  STATUS_ORDER,
  statusLabel,
  type Terminal,
  truncate,
  verdictWords,
  visibleWidth,
  wrap
} from './terminal.js';
import { unitCounts, unitMatrixLines } from './text-units.js';

export interface TextReportOptions {
  terminal: Terminal;
  /** Where evidence lines link to (OSC 8), when known. */
  links?: LinkBuilder;
  /** What the baseline is (a file name). */
  baselineSource?: string;
  /** Only the summary and what changed. */
  quiet?: boolean;
  /** How many fact changes "what changed" lists. */
  maxFactChanges?: number;
}

const INDENT = '  ';
const GAP = 2;

/** A location `file:line`, cut to `width`, linked when the terminal shows links and a target is known. */
function locationText(t: Terminal, file: string, line: number, width: number, links?: LinkBuilder): string {
  const label = truncate(terminalText(`${file}:${line}`), width);
  return link(t, t.style.cyan(label), links?.(file, line));
}

/** Why a capability has its status, in words (a conditional one says under which condition). */
function reasonText(c: CapabilityResult): string {
  if (c.status !== 'conditional' || c.condition === undefined) return c.because;
  const suffix = ` (only when ${c.condition})`;
  const because = c.because.endsWith(suffix) ? c.because.slice(0, -suffix.length) : c.because;
  return `${c.conditionalStatus} only ${whenInWords(c.condition)}: ${because}`;
}

function statusCell(t: Terminal, change: CapabilityChange | undefined, now: CapabilityResult | undefined): { plain: string; styled: string } {
  const after = now ? statusLabel(now.status) : 'not scanned';
  const styledAfter = now ? inStatusColor(t, now.status, after) : t.style.gray(after);
  if (!change || change.direction === 'unchanged') return { plain: after, styled: styledAfter };
  const before = change.before ? statusLabel(change.before.status).split(' ')[0] : '∅';
  const styledBefore = change.before ? inStatusColor(t, change.before.status, before) : before;
  return { plain: `${before} → ${after}`, styled: `${styledBefore} → ${styledAfter}` };
}

interface Row {
  id: string;
  title: string;
  current?: CapabilityResult;
  change?: CapabilityChange;
}

function rowsOf(current: Snapshot, comparison: Comparison | undefined): Row[] {
  if (!comparison) return current.capabilities.map((c) => ({ id: c.id, title: c.title, current: c }));
  return comparison.capabilities.map((c) => ({ id: c.id, title: c.title, current: c.after, change: c }));
}

function capabilityRows(rows: Row[], opts: TextReportOptions): string[] {
  const t = opts.terminal;
  const cells = rows.map((r) => statusCell(t, r.change, r.current));
  const statusWidth = Math.max(...cells.map((c) => visibleWidth(c.plain)), visibleWidth('Status'));
  const left = INDENT.length + statusWidth + GAP;
  const room = opts.terminal.width - left;
  const blank = ' '.repeat(left);
  const out = [t.style.dim(`${INDENT}${pad('Status', statusWidth + GAP)}Capability`)];
  rows.forEach((r, i) => {
    const title = wrap(terminalText(r.title), room);
    const id = `[${terminalText(r.id)}]`;
    const last = title.length - 1;
    const withId = visibleWidth(title[last]) + 1 + visibleWidth(id) <= room;
    title.forEach((line, j) => {
      const head = j === 0 ? `${INDENT}${cells[i].styled}${' '.repeat(statusWidth + GAP - visibleWidth(cells[i].plain))}` : blank;
      out.push(`${head}${t.style.bold(line)}${j === last && withId ? ` ${t.style.dim(id)}` : ''}`);
    });
    if (!withId) out.push(`${blank}${t.style.dim(truncate(id, room))}`);
    const c = r.current ?? r.change?.before;
    if (!c) return;
    const reason = r.current ? reasonText(c) : `not in this snapshot's profile; was: ${reasonText(c)}`;
    for (const line of wrap(terminalText(reason), room)) out.push(`${blank}${line}`);
    // A verdict that rests on a profile assumption says so (the assumption is not decided from a kernel).
    if (c.assumes?.length) {
      for (const line of wrap(terminalText(`assumes ${c.assumes.join(', ')} (a profile assumption, not decided from a kernel)`), room))
        out.push(`${blank}${t.style.dim(line)}`);
    }
    const e = c.evidence[0];
    if (e) {
      // The location first and whole where it fits, then how many more facts, then the fact (cut to fit).
      const more = c.evidenceCount > 1 ? ` (+${c.evidenceCount - 1} more)` : '';
      const locWidth = Math.min(visibleWidth(terminalText(`${e.file}:${e.line}`)), room - 2);
      const restRoom = room - 2 - locWidth;
      const rest = restRoom > 0 ? t.style.dim(truncate(`${more}  ${terminalText(e.summary)}`, restRoom)) : '';
      out.push(`${blank}${t.style.dim('↳')} ${locationText(t, e.file, e.line, locWidth, opts.links)}${rest}`);
    }
  });
  return out;
}

function counts(t: Terminal, caps: CapabilityResult[]): string {
  const by = new Map<Status, number>();
  for (const c of caps) by.set(c.status, (by.get(c.status) ?? 0) + 1);
  const parts = STATUS_ORDER.filter((s) => by.has(s)).map((s) => inStatusColor(t, s, `${by.get(s)} ${statusLabel(s)}`));
  return `${caps.length} capabilit${caps.length === 1 ? 'y' : 'ies'}: ${parts.join(', ')}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const FACT_MARK: Record<FactChange['change'], string> = { added: '+', removed: '-', changed: '~', condition: '?', moved: '>' };

function factChangeLine(c: FactChange, opts: TextReportOptions): string {
  const t = opts.terminal;
  const f = (c.after ?? c.before)!;
  const what =
    c.change === 'changed'
      ? `${describeFact(c.before!)} → ${describeFact(c.after!)}`
      : c.change === 'condition'
        ? `${describeFact(f)}: ${whenInWords(c.before!.condition)} → ${whenInWords(c.after!.condition)}`
        : `${describeFact(f)} (${whenInWords(f.condition)})`;
  const head = `${INDENT}${FACT_MARK[c.change]} ${pad(c.change, 9)} `;
  const color = c.change === 'added' ? 'green' : c.change === 'removed' ? 'red' : 'yellow';
  const room = t.width - visibleWidth(head);
  const loc = terminalText(`${f.file}:${f.line}`);
  const locWidth = Math.min(visibleWidth(loc), room);
  const rest = room - locWidth - 2 > 0 ? t.style.dim(truncate(`  ${terminalText(what)}`, room - locWidth)) : '';
  // The location links only to the current tree: a removed fact is not there any more.
  return `${t.style[color](head)}${locationText(t, f.file, f.line, locWidth, c.after ? opts.links : undefined)}${rest}`;
}

/** A transition line: the mark and direction, then `from → to  what` (the transition first; `what` is cut to fit). */
function transitionLine(t: Terminal, direction: keyof typeof CHANGE, from: string, to: string, what: string): string {
  const mark = CHANGE[direction];
  const lead = `${INDENT}${mark.symbol} ${pad(direction, 9)} `;
  const width = t.width - visibleWidth(lead);
  const statuses = `${from} → ${to}  `;
  if (visibleWidth(statuses) <= width / 2) return `${t.style[mark.color](lead)}${truncate(`${statuses}${what}`, width)}`;
  // Statuses that take most of the line (a condition in words): what changed first, then the statuses wrapped under
  // it, so that the cut never falls on the unit and capability.
  const under = ' '.repeat(visibleWidth(lead));
  return [`${t.style[mark.color](lead)}${truncate(what, width)}`, ...wrap(`${from} → ${to}`, width).map((l) => `${under}${l}`)].join('\n');
}

function whatChanged(comparison: Comparison, opts: TextReportOptions, multiUnit: boolean): string[] {
  const t = opts.terminal;
  const word = { unchanged: 'nothing', changed: 'changed', regressed: 'regressed', improved: 'improved' }[comparison.status];
  const moved = comparison.capabilities.filter((c) => c.direction !== 'unchanged');
  // Per unit (without a kernel) and per configuration (per unit in a tree with several): what the status counts. A
  // single unit's changes are the tree's.
  const units = multiUnit ? comparison.units : [];
  const unitMoves = units.flatMap((u) =>
    u.change === 'kept' ? u.capabilities.filter((c) => c.direction !== 'unchanged').map((c) => ({ unit: u.id, c })) : []
  );
  const count = moved.length + unitMoves.length + comparison.configurations.length;
  const against = terminalText(opts.baselineSource ?? 'the baseline');
  const head = `What changed since ${against}: ${word} (${plural(count, 'capability change')}, ${plural(comparison.facts.length, 'fact change')})`;
  const color = comparison.status === 'regressed' ? 'red' : comparison.status === 'improved' ? 'green' : comparison.status === 'changed' ? 'yellow' : 'dim';
  const out = wrap(head, t.width).map((l) => t.style.bold[color](l));
  for (const note of comparison.notes) out.push(...wrap(`Note: ${terminalText(note)}`, t.width - INDENT.length).map((l) => `${INDENT}${l}`));
  if (comparison.notCompared.length) {
    out.push(
      ...wrap(`Not compared (only one profile has them): ${comparison.notCompared.map(terminalText).join(', ')}`, t.width - INDENT.length).map(
        (l) => `${INDENT}${l}`
      )
    );
  }
  // A conditional status says its condition: "conditional → conditional" alone would not say what changed.
  const was = (c: CapabilityChange, side: 'before' | 'after'): string => {
    const v = c[side];
    if (!v) return 'not scanned';
    return v.status === 'conditional' && v.condition !== undefined ? `${statusLabel(v.status)} (${verdictWords(v)})` : statusLabel(v.status);
  };
  for (const c of moved) out.push(transitionLine(t, c.direction as keyof typeof CHANGE, was(c, 'before'), was(c, 'after'), terminalText(c.title)));
  for (const u of comparison.units)
    if (u.change !== 'kept') out.push(`${INDENT}${truncate(terminalText(`unit ${u.id} ${u.change}`), t.width - INDENT.length)}`);
  for (const { unit, c } of unitMoves) {
    out.push(transitionLine(t, c.direction as keyof typeof CHANGE, was(c, 'before'), was(c, 'after'), terminalText(`${unit}: ${c.title}`)));
  }
  for (const c of comparison.configurations) {
    out.push(transitionLine(t, c.direction, verdictWords(c.before), verdictWords(c.after), terminalText(`${changePlace(c)}: ${c.title}`)));
  }
  const max = opts.maxFactChanges ?? 10;
  for (const c of comparison.facts.slice(0, max)) out.push(factChangeLine(c, opts));
  if (comparison.facts.length > max) out.push(...moreLines(t, INDENT, comparison.facts.length - max));
  return out;
}

function diagnostics(s: Snapshot, t: Terminal): string[] {
  const d = s.diagnostics;
  const out = wrap(`${plural(d.filesParsed, 'file')} parsed, ${plural(d.parseErrors, 'parse error')}, ${plural(d.skipped.length, 'file')} skipped.`, t.width);
  const items = [
    ...d.skipped.map((x) => `skipped ${x.file}: ${x.detail ? `${x.reason}: ${x.detail}` : x.reason}`),
    ...d.files.map((f) => `${f.file}: ${f.kind}: ${f.message}`)
  ];
  for (const item of items.slice(0, 5)) out.push(t.style.yellow(`${INDENT}${truncate(terminalText(item), t.width - INDENT.length)}`));
  if (items.length > 5) out.push(...moreLines(t, INDENT, items.length - 5));
  if (s.run) out.push(`Scan time: ${(s.run.totalMs / 1000).toFixed(2)} s (${s.run.filesRead} files read, ${s.run.filesParsed} parsed).`);
  return out;
}

function header(s: Snapshot, t: Terminal): string[] {
  const g = s.tree.git;
  const at = g ? ` at ${g.commit.slice(0, 12)}${g.ref ? ` (${g.ref.replace(/^refs\/(heads|tags)\//, '')})` : ''}` : '';
  const title = wrap(`hmm-watch: ${terminalText(s.profile.title)}`, t.width).map((l) => t.style.bold(l));
  const tree = wrap(terminalText(`Tree ${s.tree.root}${at}, profile ${s.profile.id} v${s.profile.version}`), t.width);
  return [...title, ...tree];
}

/** The text report of a scan, or of a comparison (then with what changed). Ends with a newline. */
export function renderText(current: Snapshot, comparison: Comparison | undefined, opts: TextReportOptions): string {
  const t = opts.terminal;
  // Several driver units: their matrix stands where the capability table stands (as in the markdown report: the
  // whole tree's verdicts mix the units, and --unit keeps them whole), and the summary counts its cells.
  const multi = isMultiUnit(current);
  const summary = wrap(multi ? unitCounts(current, t) : counts(t, current.capabilities), t.width);
  const changed = comparison ? whatChanged(comparison, opts, multi) : [];
  if (opts.quiet) return `${[...summary, ...changed].join('\n')}\n`;
  const table = multi ? unitMatrixLines(current, comparison, t) : capabilityRows(rowsOf(current, comparison), opts);
  const blocks = [header(current, t), table, summary];
  if (comparison) blocks.push(changed);
  blocks.push(diagnostics(current, t));
  const every = multi ? "Every unit's verdicts and facts" : 'Every fact';
  blocks.push(wrap(`Why a row has its status: hmm-watch explain ID [TREE]. ${every}: --format markdown.`, t.width).map((l) => t.style.dim(l)));
  return `${blocks.map((b) => b.join('\n')).join('\n\n')}\n`;
}
