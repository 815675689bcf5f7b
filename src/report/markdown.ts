// The readable report of one snapshot: capabilities first, then the facts of each rule, then diagnostics.
import { markdownTable } from 'markdown-table';
import type { CapabilityResult } from '../rules/capabilities.js';
import { describeFact } from '../rules/describe.js';
import type { Fact, Profile, Status } from '../rules/types.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { code, escapeText } from './escape.js';

const STATUS_LABEL: Record<Status, string> = {
  enabled: '✅ enabled',
  disabled: '❌ disabled',
  conditional: '⚠️ conditional',
  absent: '➖ absent',
  unknown: '❔ unknown'
};

export interface ReportOptions {
  /** Link evidence to `{server}/{repo}/blob/{sha}/{path}#L{line}` when known. */
  linkBase?: string;
  /** Rule titles by id (from the profile); the id is shown when missing. */
  profile?: Profile;
}

function table(rows: string[][]): string {
  return markdownTable(rows, { alignDelimiters: false });
}

function location(file: string, line: number, opts: ReportOptions): string {
  const label = escapeText(`${file}:${line}`);
  if (!opts.linkBase) return label;
  const url = `${opts.linkBase}/${file.split('/').map(encodeURIComponent).join('/')}#L${line}`;
  return `[${label}](${url})`;
}

export function statusText(c: CapabilityResult): string {
  if (c.status !== 'conditional') return STATUS_LABEL[c.status];
  return `${STATUS_LABEL.conditional}: ${c.conditionalStatus} when ${code(c.condition ?? '')}`;
}

function evidenceCell(c: CapabilityResult, opts: ReportOptions): string {
  if (c.evidence.length === 0) return escapeText(c.because);
  const items = c.evidence.slice(0, 3).map((e) => `${location(e.file, e.line, opts)} ${code(e.summary)}`);
  const more = c.evidenceCount > 3 ? ` (+${c.evidenceCount - 3} more)` : '';
  return `${escapeText(c.because)}<br>${items.join('<br>')}${more}`;
}

export function capabilityTable(snapshot: Snapshot, opts: ReportOptions = {}): string {
  return table([
    ['Capability', 'Status', 'Evidence'],
    ...snapshot.capabilities.map((c) => [escapeText(c.title), statusText(c), evidenceCell(c, opts)])
  ]);
}

function conditionText(condition: string): string {
  return condition === '1' ? 'always' : code(condition);
}

function factRows(facts: Fact[], opts: ReportOptions): string {
  return table([
    ['Where', 'Fact', 'Condition'],
    ...facts.map((f) => [location(f.file, f.line, opts), code(describeFact(f)), conditionText(f.condition)])
  ]);
}

export function factSections(snapshot: Snapshot, opts: ReportOptions = {}): string {
  const byRule = new Map<string, Fact[]>();
  for (const f of snapshot.facts) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  const ruleIds = opts.profile ? opts.profile.rules.map((r) => r.id) : [...byRule.keys()].sort();
  const sections: string[] = [];
  for (const id of ruleIds) {
    const facts = byRule.get(id) ?? [];
    const title = opts.profile?.rules.find((r) => r.id === id)?.title ?? id;
    const body = facts.length ? factRows(facts, opts) : '_No facts._';
    sections.push(`<details><summary>${escapeText(title)} (${facts.length})</summary>\n\n${body}\n\n</details>`);
  }
  return sections.join('\n\n');
}

export function diagnosticsSection(snapshot: Snapshot): string {
  const d = snapshot.diagnostics;
  const lines = [`Files parsed: ${d.filesParsed}; parse errors: ${d.parseErrors}; files skipped: ${d.skipped.length}.`];
  if (d.skipped.length) {
    lines.push('', table([['Skipped file', 'Reason'], ...d.skipped.map((s) => [code(s.file), escapeText(s.detail ? `${s.reason}: ${s.detail}` : s.reason)])]));
  }
  if (d.files.length) {
    lines.push('', table([['File', 'Diagnostic'], ...d.files.map((f) => [code(f.file), escapeText(`${f.kind}: ${f.message}`)])]));
  }
  return lines.join('\n');
}

export function treeLine(snapshot: Snapshot): string {
  const t = snapshot.tree;
  const git = t.git ? ` at ${code(t.git.commit.slice(0, 12))}${t.git.ref ? ` (${code(t.git.ref.replace(/^refs\/(heads|tags)\//, ''))})` : ''}` : '';
  const p = snapshot.profile;
  return `Tree ${code(t.root)}${git}; profile ${code(p.id)} v${p.version} (${code(p.hash)}).`;
}

/** The whole report of one scan. */
export function renderScanReport(snapshot: Snapshot, opts: ReportOptions = {}): string {
  const parts = [
    `## hmm-watch: ${escapeText(snapshot.profile.title)}`,
    treeLine(snapshot),
    capabilityTable(snapshot, opts),
    '### Facts',
    factSections(snapshot, opts),
    '### Diagnostics',
    diagnosticsSection(snapshot)
  ];
  if (snapshot.run) parts.push(`Scan time: ${(snapshot.run.totalMs / 1000).toFixed(2)} s (${snapshot.run.filesRead} files read, ${snapshot.run.filesParsed} parsed).`);
  return `${parts.join('\n\n')}\n`;
}
