// The report: a status line, the capability table (Capability | Baseline | Now | Evidence | Change), the details
// of each rule (collapsible), diagnostics and the scan time. It fits a byte budget by folding details, never
// cutting inside a table row or a code fence, and says so.
import { markdownTable } from 'markdown-table';
import type { CapabilityChange, Comparison, FactChange } from '../compare/compare.js';
import type { ConfigurationResult } from '../platform/configuration.js';
import type { Claim } from '../expectations.js';
import type { CapabilityResult, ConfigVerdict } from '../rules/capabilities.js';
import { atomsOf, parseCondition } from '../frontend/condition.js';
import { type AtomNames, conditionInWords } from './condition-words.js';
import { describeFact } from '../rules/describe.js';
import type { Fact, Profile, Status } from '../rules/types.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { code, escapeText } from './escape.js';
import type { LinkBuilder } from './links.js';

export const STATUS_LABEL: Record<Status, string> = {
  enabled: '✅ enabled',
  disabled: '❌ disabled',
  conditional: '⚠️ conditional',
  absent: '➖ absent',
  unknown: '❔ unknown'
};

const CHANGE_LABEL: Record<CapabilityChange['direction'], string> = {
  regressed: '🔻 regressed',
  improved: '🔺 improved',
  changed: '🔄 changed',
  unchanged: ''
};

export interface ReportOptions {
  profile?: Profile;
  links?: LinkBuilder;
  /** What the baseline is, said in the status line (e.g. "the snapshot of base commit abc1234"). */
  baselineSource?: string;
  /** Why there is no baseline, when there is none. */
  noBaselineReason?: string;
  /** Largest report in UTF-8 bytes; details are folded to fit. */
  maxBytes?: number;
  /** Where the full report is, said when details are folded. */
  fullReportHint?: string;
  /** What the team expects of capabilities (adds the Claimed column). */
  claims?: Claim[];
}

export interface RenderedReport {
  markdown: string;
  folded: boolean;
}

function table(rows: string[][]): string {
  return markdownTable(rows, { alignDelimiters: false });
}

function location(file: string, line: number, opts: ReportOptions): string {
  const label = escapeText(`${file}:${line}`);
  return opts.links ? `[${label}](${opts.links(file, line)})` : label;
}

export function statusText(c: CapabilityResult | undefined): string {
  if (!c) return '—';
  if (c.status !== 'conditional') return STATUS_LABEL[c.status];
  return `${STATUS_LABEL.conditional}: ${c.conditionalStatus} when ${code(c.condition ?? '')}`;
}

/** The profile's assumptions a verdict rests on, e.g. "Assumes `UVM_IS_CONFIG_HMM()`." (empty when none). */
export function assumesText(assumes: readonly string[] | undefined): string {
  if (!assumes?.length) return '';
  return `Assumes ${assumes.map(code).join(', ')} (a profile assumption, not decided from a kernel).`;
}

function evidenceCell(c: CapabilityResult | undefined, opts: ReportOptions): string {
  if (!c) return '';
  const assumed = assumesText(c.assumes);
  const tail = assumed ? `<br>${assumed}` : '';
  if (c.evidence.length === 0) return `${escapeText(c.because)}${tail}`;
  // Each fact keeps its own condition: `page_free` and `folio_free` under opposite probes must not both read as always.
  const items = c.evidence.slice(0, 3).map((e) => `${location(e.file, e.line, opts)} ${code(e.summary)}${e.condition === '1' ? '' : ` when ${code(e.condition)}`}`);
  const more = c.evidenceCount > 3 ? ` (+${c.evidenceCount - 3} more)` : '';
  return `${escapeText(c.because)}<br>${items.join('<br>')}${more}${tail}`;
}

function conditionText(condition: string): string {
  return condition === '1' ? 'always' : code(condition);
}

function claimCell(id: string, claims: Claim[]): string {
  return claims
    .filter((c) => c.capability === id)
    .map((claim) => {
      const where = claim.configuration ? `${escapeText(claim.configuration)}: ` : '';
      const text = where + claim.expect.join(' or ') + (claim.note ? ` (${escapeText(claim.note)})` : '');
      return claim.holds ? `${text} ✅` : `${text} ⚠️ **contradicted**`;
    })
    .join('<br>');
}

/** A capability's verdict in one configuration, for a matrix cell. */
export function verdictText(v: ConfigVerdict | undefined, names: AtomNames = {}): string {
  if (!v) return '—';
  if (v.applies === false) return '— n/a';
  if (v.status === 'unknown' && v.undecided?.length) return `${STATUS_LABEL.unknown}: ${v.undecided.map((a) => code(names[a] ?? a)).join(', ')} undecided`;
  if (v.status === 'conditional') return `⚠️ ${v.conditionalStatus} when ${escapeText(conditionInWords(v.condition ?? '1', names))}`;
  return STATUS_LABEL[v.status];
}

function configurationHead(c: ConfigurationResult): string {
  return escapeText(c.name);
}

export function capabilityTable(current: Snapshot, comparison: Comparison | undefined, opts: ReportOptions): string {
  const claims = opts.claims;
  const claimed = (id: string): string[] => (claims ? [claimCell(id, claims)] : []);
  const claimHead = claims ? ['Claimed'] : [];
  const names = opts.profile?.platform?.names ?? {};
  // With configurations, one status column per configuration comes first: the matrix is what a reader wants.
  const confs = current.configurations ?? [];
  const confHead = confs.map(configurationHead);
  const confCells = (id: string): string[] =>
    confs.map((conf) => {
      const now = verdictText(conf.capabilities[id], names);
      const change = comparison?.configurations.find((x) => x.configuration === conf.name && x.id === id);
      return change ? `${verdictText(change.before, names)} → ${now}` : now;
    });
  const plain = confs.length ? 'Without a kernel' : 'Status';
  if (!comparison) {
    return table([
      ['Capability', ...claimHead, ...confHead, plain, 'Evidence'],
      ...current.capabilities.map((c) => [escapeText(c.title), ...claimed(c.id), ...confCells(c.id), statusText(c), evidenceCell(c, opts)])
    ]);
  }
  return table([
    ['Capability', ...claimHead, ...confHead, 'Baseline', 'Now', 'Evidence', 'Change'],
    ...comparison.capabilities.map((c) => [
      escapeText(c.title),
      ...claimed(c.id),
      ...confCells(c.id),
      statusText(c.before),
      statusText(c.after),
      evidenceCell(c.after ?? c.before, opts),
      CHANGE_LABEL[c.direction] || CHANGE_LABEL[comparison.configurations.find((x) => x.id === c.id)?.direction ?? 'unchanged']
    ])
  ]);
}

/** Per configuration: its kernel, the followed gate macros' values, why each verdict is what it is, and every decision. */
function configurationSections(current: Snapshot, opts: ReportOptions): string[] {
  const names = opts.profile?.platform?.names ?? {};
  return (current.configurations ?? []).map((conf) => {
    const parts: string[] = [];
    parts.push(`CPU ${code(conf.arch)}; kernel ${conf.kernel.release ? code(conf.kernel.release) : 'of unknown release'}; Kconfig from ${code(conf.kernel.kconfig)}.`);
    const macros = Object.entries(conf.macros);
    if (macros.length) {
      // The chain from decisions to the gate: which decided atoms of its definition made it 1 or 0.
      const decided = new Map(conf.decisions.map((d) => [d.atom, d]));
      const why = (m: string, v: string): string => {
        const atoms = [...atomsOf(parseCondition(current.macros?.[m]?.condition ?? '1'))].map((a) => decided.get(a)).filter((d) => d !== undefined);
        // A 0 is explained by what is false, a 1 by everything it needs.
        const shown = v === '0' ? atoms.filter((d) => d.value === false) : atoms;
        return shown.map((d) => `${code(d.atom)} ${d.value === undefined ? 'undecided' : d.value ? 'true' : 'false'}: ${escapeText(d.how)}`).join('<br>');
      };
      parts.push(
        table([
          ['Gate macro', 'Value here', 'Defined as', 'Because'],
          ...macros.map(([m, v]) => [code(m), v === '1' ? '1' : v === '0' ? '0' : escapeText(conditionInWords(v, names)), code(current.macros?.[m]?.condition ?? ''), why(m, v)])
        ])
      );
    }
    parts.push(
      table([
        ['Capability', 'Verdict', 'Why'],
        ...current.capabilities.map((c) => {
          const v = conf.capabilities[c.id];
          const because = v ? `${escapeText(v.because)}${v.assumes?.length ? `<br>${assumesText(v.assumes)}` : ''}` : '';
          return [escapeText(c.title), verdictText(v, names), because];
        })
      ])
    );
    parts.push(
      table([
        ['Atom', 'Value', 'Decided by', 'Where'],
        ...conf.decisions.map((d) => [
          code(d.atom),
          d.value === undefined ? 'undecided' : d.value ? 'true' : 'false',
          escapeText(`${d.by}: ${d.how}`),
          [d.file ? code(d.line ? `${d.file}:${d.line}` : d.file) : '', d.source ? `probe ${code(d.source)}` : ''].filter(Boolean).join('<br>')
        ])
      ])
    );
    return details(`Configuration ${escapeText(conf.name)}: decisions and verdicts`, parts.join('\n\n'));
  });
}

function factRows(facts: Fact[], opts: ReportOptions): string {
  return table([['Where', 'Fact', 'Condition'], ...facts.map((f) => [location(f.file, f.line, opts), code(describeFact(f)), conditionText(f.condition)])]);
}

function changeRows(changes: FactChange[], opts: ReportOptions): string {
  return table([
    ['Change', 'Where', 'Fact', 'Condition'],
    ...changes.map((c) => {
      const f = (c.after ?? c.before)!;
      const what =
        c.change === 'changed'
          ? `${code(describeFact(c.before!))} → ${code(describeFact(c.after!))}`
          : code(describeFact(f));
      const where = c.change === 'moved' ? `${location(c.before!.file, c.before!.line, opts)} → ${location(f.file, f.line, opts)}` : location(f.file, f.line, opts);
      const cond = c.change === 'condition' ? `${conditionText(c.before!.condition)} → ${conditionText(c.after!.condition)}` : conditionText(f.condition);
      return [c.change, where, what, cond];
    })
  ]);
}

function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

function ruleTitle(id: string, opts: ReportOptions): string {
  return escapeText(opts.profile?.rules.find((r) => r.id === id)?.title ?? id);
}

/** One collapsible section per rule with facts, and for ops tables one per table. */
function factSections(current: Snapshot, comparison: Comparison | undefined, opts: ReportOptions): string[] {
  const sections: string[] = [];
  const byRule = new Map<string, Fact[]>();
  for (const f of current.facts) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  const changesByRule = new Map<string, FactChange[]>();
  for (const c of [...(comparison?.facts ?? []), ...(comparison?.moved ?? [])]) {
    const rule = (c.after ?? c.before)!.rule;
    changesByRule.set(rule, [...(changesByRule.get(rule) ?? []), c]);
  }
  for (const id of current.rules) {
    const facts = byRule.get(id) ?? [];
    const changes = changesByRule.get(id) ?? [];
    const counted = changes.filter((c) => c.change !== 'moved').length;
    const title = `${ruleTitle(id, opts)} (${facts.length}${comparison ? `; ${counted} change${counted === 1 ? '' : 's'}` : ''})`;
    const parts: string[] = [];
    if (changes.length) parts.push(changeRows(changes, opts));
    const tables = [...new Set(facts.filter((f) => f.kind === 'ops-table').map((f) => f.table))];
    if (tables.length) {
      for (const t of tables) {
        const of = facts.filter((f) => 'table' in f && f.table === t);
        const decl = of.find((f) => f.kind === 'ops-table')!;
        parts.push(details(`${code(`struct ${decl.type} ${t}`)} in ${escapeText(decl.file)} (${of.length - 1} members and uses)`, factRows(of, opts)));
      }
    } else if (facts.length) parts.push(factRows(facts, opts));
    else parts.push('_No facts._');
    sections.push(details(title, parts.join('\n\n')));
  }
  return sections;
}

function diagnosticsSection(s: Snapshot): string {
  const d = s.diagnostics;
  const lines = [`Files parsed: ${d.filesParsed}; parse errors: ${d.parseErrors}; files skipped: ${d.skipped.length}.`];
  if (d.skipped.length) {
    lines.push('', table([['Skipped file', 'Reason'], ...d.skipped.map((x) => [code(x.file), escapeText(x.detail ? `${x.reason}: ${x.detail}` : x.reason)])]));
  }
  if (d.files.length) lines.push('', table([['File', 'Diagnostic'], ...d.files.map((f) => [code(f.file), escapeText(`${f.kind}: ${f.message}`)])]));
  return details(`Diagnostics (${d.skipped.length} skipped, ${d.parseErrors} parse errors)`, lines.join('\n'));
}

function treeLine(s: Snapshot): string {
  const t = s.tree;
  const git = t.git ? ` at ${code(t.git.commit.slice(0, 12))}${t.git.ref ? ` (${code(t.git.ref.replace(/^refs\/(heads|tags)\//, ''))})` : ''}` : '';
  return `Tree ${code(t.root)}${git}; profile ${code(s.profile.id)} v${s.profile.version} (${code(s.profile.hash)}).`;
}

function contradictionLine(opts: ReportOptions): string | undefined {
  const bad = (opts.claims ?? []).filter((c) => !c.holds);
  if (!opts.claims) return undefined;
  if (bad.length === 0) return `Expectations: all ${opts.claims.length} hold.`;
  return `⚠️ **${bad.length} contradiction${bad.length === 1 ? '' : 's'}** with the expectations: ${bad
    .map((c) => `${code(c.capability)}${c.configuration ? ` in ${escapeText(c.configuration)}` : ''} is ${c.actual}, expected ${c.expect.join(' or ')}`)
    .join('; ')}.`;
}

function statusLine(comparison: Comparison | undefined, opts: ReportOptions): string | undefined {
  if (!comparison) return opts.noBaselineReason ? `**No baseline** (${escapeText(opts.noBaselineReason)}): the current state is shown.` : undefined;
  const all = [...comparison.capabilities, ...comparison.configurations];
  const reg = all.filter((c) => c.direction === 'regressed').length;
  const imp = all.filter((c) => c.direction === 'improved').length;
  const chg = all.filter((c) => c.direction === 'changed').length;
  const parts: string[] = [];
  if (reg) parts.push(`${reg} capabilit${reg === 1 ? 'y' : 'ies'} regressed`);
  if (imp) parts.push(`${imp} improved`);
  if (chg) parts.push(`${chg} changed`);
  parts.push(`${comparison.facts.length} fact change${comparison.facts.length === 1 ? '' : 's'}`);
  const word = { unchanged: 'Unchanged', changed: 'Changed', regressed: 'Regressed', improved: 'Improved' }[comparison.status];
  return `**${word}**: ${parts.join(', ')}, against ${escapeText(opts.baselineSource ?? 'the baseline')}.`;
}

function bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

export function renderReport(current: Snapshot, comparison: Comparison | undefined, opts: ReportOptions = {}): RenderedReport {
  const head = [`## hmm-watch: ${escapeText(current.profile.title)}`, statusLine(comparison, opts), contradictionLine(opts), treeLine(current)].filter(
    (x): x is string => x !== undefined
  );
  for (const n of comparison?.notes ?? []) head.push(`> ${escapeText(n)}`);
  if (comparison?.configurations.length) {
    const names = opts.profile?.platform?.names ?? {};
    head.push(
      comparison.configurations
        .map((x) => `- ${escapeText(x.configuration)} · ${escapeText(x.title)}: ${verdictText(x.before, names)} → ${verdictText(x.after, names)} ${CHANGE_LABEL[x.direction]}`)
        .join('\n')
    );
  }
  if (comparison?.notCompared.length) head.push(`> Not compared (only one profile has them): ${comparison.notCompared.map(code).join(', ')}.`);
  const caps = capabilityTable(current, comparison, opts);
  const sections = [...configurationSections(current, opts), ...factSections(current, comparison, opts)];
  const tail = [diagnosticsSection(current)];
  if (current.run) tail.push(`Scan time: ${(current.run.totalMs / 1000).toFixed(2)} s (${current.run.filesRead} files read, ${current.run.filesParsed} parsed).`);

  const assemble = (middle: string[]): string => `${[...head, caps, '### Details', ...middle, ...tail].join('\n\n')}\n`;
  const full = assemble(sections);
  const limit = opts.maxBytes;
  if (!limit || bytes(full) <= limit) return { markdown: full, folded: false };

  // Fold: keep whole sections while they fit, then say how many were left out. Sections are whole tables inside
  // <details>, so no cut falls inside a row or a fence.
  const hint = opts.fullReportHint ? ` The full report is in ${escapeText(opts.fullReportHint)}.` : '';
  const note = (n: number): string => `_${n} detail section${n === 1 ? '' : 's'} folded to stay under ${limit} bytes.${hint}_`;
  const kept: string[] = [];
  while (kept.length < sections.length && bytes(assemble([...kept, sections[kept.length], note(sections.length - kept.length - 1)])) <= limit) {
    kept.push(sections[kept.length]);
  }
  const folded = assemble([...kept, note(sections.length - kept.length)]);
  if (bytes(folded) <= limit) return { markdown: folded, folded: true };
  // Even the capability table is too large: keep the status line and say where the report is.
  const minimal = `${[...head, `_The report is ${bytes(full)} bytes, over the ${limit}-byte limit.${hint}_`].join('\n\n')}\n`;
  return { markdown: minimal, folded: true };
}
