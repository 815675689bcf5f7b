// The report: a status line, the capability table (Capability | Baseline | Now | Evidence | Change), the details
// of each rule (collapsible), diagnostics and the scan time. A tree with several driver units has the unit matrix
// (report/units.ts) in place of the capability table; with configurations as well, the matrix is the first
// configuration's, and "Where configurations differ" and one table per unit lead the details. It fits a byte budget, never cutting inside a table
// row or a code fence, and says so; the capability table is the last thing given up. In order: detail sections
// are folded; the diagnostics list only their first entries; then any too long text in the table and head is cut
// (the raw text, before escaping) and says it was cut; only then is the report replaced by a note. Every string
// goes through escape.ts, every number is printed from a number, and rendering is linear in the input.
import { markdownTable } from 'markdown-table';
import type { CapabilityChange, Comparison, FactChange } from '../compare/compare.js';
import type { Claim } from '../expectations.js';
import { atomsOf, parseCondition, render } from '../frontend/condition.js';
import { minimise } from '../frontend/minimise.js';
import type { ConfigurationResult } from '../platform/configuration.js';
import type { CapabilityResult } from '../rules/capabilities.js';
import { describeFact } from '../rules/describe.js';
import type { Fact, Profile } from '../rules/types.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { isMultiUnit, matrixUnits, unitVerdictsIn } from '../units/units.js';
import { type AtomNames, conditionInWords } from './condition-words.js';
import { type Cut, code, escapeText, num, own } from './escape.js';
import type { LinkBuilder } from './links.js';
import { unitConfigurations } from './unit-matrix.js';
import { configurationDifferences, unitMatrix } from './units.js';
import { STATUS_LABEL, statusLabel, verdictText } from './verdict.js';

const CHANGE_LABEL: Record<CapabilityChange['direction'], string> = {
  regressed: '🔻 regressed',
  improved: '🔺 improved',
  changed: '🔄 changed',
  unchanged: ''
};

/** Entries of each diagnostics list kept when the diagnostics are shortened to fit. */
const COMPACT_DIAGNOSTICS = 20;
/** Characters of any one text when the table and head must be shortened to fit, tried in this order. */
const CELL_LIMITS = [4096, 1024, 256, 64];

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

/** Options while rendering: `cut` limits every text of the head and capability table. */
interface Render extends ReportOptions {
  cut?: Cut;
  claimsById?: Map<string, Claim[]>;
}

function table(rows: string[][]): string {
  return markdownTable(rows, { alignDelimiters: false });
}

function location(file: string, line: number, r: Render): string {
  const label = escapeText(`${file}:${num(line)}`, r.cut);
  const url = r.links?.(file, line);
  return url ? `[${label}](${url})` : label;
}

function statusText(c: CapabilityResult | undefined, r: Render): string {
  if (!c) return '—';
  if (c.status !== 'conditional') return statusLabel(c.status, r.cut);
  // Shown minimised over its atoms (the snapshot keeps the canonical text).
  return `${STATUS_LABEL.conditional}: ${escapeText(String(c.conditionalStatus), r.cut)} when ${code(render(minimise(parseCondition(c.condition ?? ''))), r.cut)}`;
}

/** The profile's assumptions a verdict rests on, e.g. "Assumes `UVM_IS_CONFIG_HMM()`." (empty when none). */
export function assumesText(assumes: readonly string[] | undefined, r: Render = {}): string {
  if (!assumes?.length) return '';
  return `Assumes ${assumes.map((a) => code(a, r.cut)).join(', ')} (a profile assumption, not decided from a kernel).`;
}

function evidenceCell(c: CapabilityResult | undefined, r: Render): string {
  if (!c) return '';
  const assumed = assumesText(c.assumes, r);
  const tail = assumed ? `<br>${assumed}` : '';
  if (c.evidence.length === 0) return `${escapeText(c.because, r.cut)}${tail}`;
  // Each fact keeps its own condition: `page_free` and `folio_free` under opposite probes must not both read as always.
  const items = c.evidence
    .slice(0, 3)
    .map((e) => `${location(e.file, e.line, r)} ${code(e.summary, r.cut)}${e.condition === '1' ? '' : ` when ${code(e.condition, r.cut)}`}`);
  const more = c.evidenceCount > 3 ? ` (+${num(c.evidenceCount - 3)} more)` : '';
  return `${escapeText(c.because, r.cut)}<br>${items.join('<br>')}${more}${tail}`;
}

function conditionText(condition: string, r: Render = {}): string {
  return condition === '1' ? 'always' : code(condition, r.cut);
}

function claimCell(id: string, r: Render): string {
  return (r.claimsById?.get(id) ?? [])
    .map((claim) => {
      const where = claim.configuration ? `${escapeText(claim.configuration, r.cut)}: ` : '';
      const text = where + claim.expect.map((x) => escapeText(x, r.cut)).join(' or ') + (claim.note ? ` (${escapeText(claim.note, r.cut)})` : '');
      return claim.holds ? `${text} ✅` : `${text} ⚠️ **contradicted**`;
    })
    .join('<br>');
}

function withClaims(opts: ReportOptions): Render {
  if (!opts.claims) return opts;
  // Several claims may name one capability (one per configuration).
  const claimsById = new Map<string, Claim[]>();
  for (const c of opts.claims) push(claimsById, c.capability, c);
  return { ...opts, claimsById };
}

function platformNames(r: Render): AtomNames {
  return r.profile?.platform?.names ?? {};
}

export function capabilityTable(current: Snapshot, comparison: Comparison | undefined, opts: ReportOptions): string {
  return capabilityTableOf(current, comparison, withClaims(opts));
}

function capabilityTableOf(current: Snapshot, comparison: Comparison | undefined, r: Render): string {
  const claimed = (id: string): string[] => (r.claims ? [claimCell(id, r)] : []);
  const claimHead = r.claims ? ['Claimed'] : [];
  const names = platformNames(r);
  // With configurations, one status column per configuration comes first: the matrix is what a reader wants.
  const confs = current.configurations ?? [];
  const confHead = confs.map((c) => escapeText(c.name, r.cut));
  const changes = new Map<string, NonNullable<Comparison['configurations']>[number]>();
  for (const x of comparison?.configurations ?? []) changes.set(`${x.configuration}\u0000${x.id}`, x);
  const confCells = (id: string): string[] =>
    confs.map((conf) => {
      const now = verdictText(conf.capabilities[id], names, r);
      const change = changes.get(`${conf.name}\u0000${id}`);
      return change ? `${verdictText(change.before, names, r)} → ${now}` : now;
    });
  if (!comparison) {
    return table([
      ['Capability', ...claimHead, ...confHead, confs.length ? 'Without a kernel' : 'Status', 'Evidence'],
      ...current.capabilities.map((c) => [escapeText(c.title, r.cut), ...claimed(c.id), ...confCells(c.id), statusText(c, r), evidenceCell(c, r)])
    ]);
  }
  const confChange = new Map<string, CapabilityChange['direction']>();
  for (const x of comparison.configurations ?? []) if (!confChange.has(x.id)) confChange.set(x.id, x.direction);
  return table([
    ['Capability', ...claimHead, ...confHead, 'Baseline', 'Now', 'Evidence', 'Change'],
    ...comparison.capabilities.map((c) => [
      escapeText(c.title, r.cut),
      ...claimed(c.id),
      ...confCells(c.id),
      statusText(c.before, r),
      statusText(c.after, r),
      evidenceCell(c.after ?? c.before, r),
      own(CHANGE_LABEL, c.direction) || (own(CHANGE_LABEL, confChange.get(c.id) ?? 'unchanged') ?? '')
    ])
  ]);
}

/**
 * Per configuration: its kernel, the followed gate macros' values and why, every verdict's reason (in a tree with
 * several units, the verdicts are per unit, in the matrix and the unit sections), every decision.
 */
function configurationSections(current: Snapshot, r: Render, perUnit: boolean): string[] {
  const names = platformNames(r);
  return (current.configurations ?? []).map((conf: ConfigurationResult) => {
    const parts: string[] = [];
    parts.push(
      `CPU ${code(conf.arch)}; kernel ${conf.kernel.release ? code(conf.kernel.release) : 'of unknown release'}; Kconfig from ${code(conf.kernel.kconfig)}.`
    );
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
          ...macros.map(([m, v]) => [
            code(m),
            v === '1' ? '1' : v === '0' ? '0' : escapeText(conditionInWords(v, names)),
            code(current.macros?.[m]?.condition ?? ''),
            why(m, v)
          ])
        ])
      );
    }
    if (perUnit) parts.push('Verdicts per unit: the matrix, “Where configurations differ” and each unit’s section.');
    else
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
          [d.file ? code(d.line ? `${d.file}:${num(d.line)}` : d.file) : '', d.source ? `probe ${code(d.source)}` : ''].filter(Boolean).join('<br>')
        ])
      ])
    );
    return details(`Configuration ${escapeText(conf.name)}: decisions and verdicts`, parts.join('\n\n'));
  });
}

function factRows(facts: Fact[], r: Render): string {
  return table([['Where', 'Fact', 'Condition'], ...facts.map((f) => [location(f.file, f.line, r), code(describeFact(f)), conditionText(f.condition)])]);
}

function changeRows(changes: FactChange[], r: Render): string {
  return table([
    ['Change', 'Where', 'Fact', 'Condition'],
    ...changes.map((c) => {
      const f = (c.after ?? c.before)!;
      const what = c.change === 'changed' ? `${code(describeFact(c.before!))} → ${code(describeFact(c.after!))}` : code(describeFact(f));
      const where = c.change === 'moved' ? `${location(c.before!.file, c.before!.line, r)} → ${location(f.file, f.line, r)}` : location(f.file, f.line, r);
      const cond = c.change === 'condition' ? `${conditionText(c.before!.condition)} → ${conditionText(c.after!.condition)}` : conditionText(f.condition);
      return [escapeText(c.change), where, what, cond];
    })
  ]);
}

function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** One collapsible section per rule with facts, and for ops tables one per table. */
function factSections(current: Snapshot, comparison: Comparison | undefined, r: Render): string[] {
  const sections: string[] = [];
  const titles = new Map<string, string>();
  for (const rule of r.profile?.rules ?? []) if (!titles.has(rule.id)) titles.set(rule.id, rule.title);
  const byRule = new Map<string, Fact[]>();
  for (const f of current.facts) push(byRule, f.rule, f);
  const changesByRule = new Map<string, FactChange[]>();
  for (const list of [comparison?.facts ?? [], comparison?.moved ?? []]) for (const c of list) push(changesByRule, (c.after ?? c.before)!.rule, c);
  for (const id of current.rules) {
    const facts = byRule.get(id) ?? [];
    const changes = changesByRule.get(id) ?? [];
    let counted = 0;
    for (const c of changes) if (c.change !== 'moved') counted++;
    const title = `${escapeText(titles.get(id) ?? id)} (${facts.length}${comparison ? `; ${counted} change${counted === 1 ? '' : 's'}` : ''})`;
    const parts: string[] = [];
    if (changes.length) parts.push(changeRows(changes, r));
    // Ops tables in the order they are declared; each with the facts that name it, in fact order.
    const tables = new Set<string>();
    const ofTable = new Map<string, Fact[]>();
    for (const f of facts) {
      if (!('table' in f)) continue;
      if (f.kind === 'ops-table') tables.add(f.table);
      push(ofTable, f.table, f);
    }
    if (tables.size) {
      for (const t of tables) {
        const of = ofTable.get(t)!;
        const decl = of.find((f) => f.kind === 'ops-table')! as Extract<Fact, { kind: 'ops-table' }>;
        parts.push(details(`${code(`struct ${decl.type} ${t}`)} in ${escapeText(decl.file)} (${of.length - 1} members and uses)`, factRows(of, r)));
      }
    } else if (facts.length) parts.push(factRows(facts, r));
    else parts.push('_No facts._');
    sections.push(details(title, parts.join('\n\n')));
  }
  return sections;
}

/** The diagnostics; `compact` lists only the first entries of each list (and cuts long texts) and says how many more. */
function diagnosticsSection(s: Snapshot, compact: boolean, hint: string): string {
  const d = s.diagnostics;
  const cell: Cut | undefined = compact ? { max: 256 } : undefined;
  const keep = <T>(list: T[]): T[] => (compact ? list.slice(0, COMPACT_DIAGNOSTICS) : list);
  const more = (list: unknown[], what: string): string[] =>
    compact && list.length > COMPACT_DIAGNOSTICS ? ['', `_…and ${num(list.length - COMPACT_DIAGNOSTICS)} more ${what}.${hint}_`] : [];
  const lines = [`Files parsed: ${num(d.filesParsed)}; parse errors: ${num(d.parseErrors)}; files skipped: ${num(d.skipped.length)}.`];
  if (d.skipped.length) {
    lines.push(
      '',
      table([
        ['Skipped file', 'Reason'],
        ...keep(d.skipped).map((x) => [code(x.file, cell), escapeText(x.detail ? `${x.reason}: ${x.detail}` : x.reason, cell)])
      ])
    );
    lines.push(...more(d.skipped, 'skipped files'));
  }
  if (d.files.length) {
    lines.push('', table([['File', 'Diagnostic'], ...keep(d.files).map((f) => [code(f.file, cell), escapeText(`${f.kind}: ${f.message}`, cell)])]));
    lines.push(...more(d.files, 'file diagnostics'));
  }
  return details(`Diagnostics (${num(d.skipped.length)} skipped, ${num(d.parseErrors)} parse errors)`, lines.join('\n'));
}

function treeLine(s: Snapshot, r: Render): string {
  const t = s.tree;
  const git = t.git ? ` at ${code(t.git.commit.slice(0, 12))}${t.git.ref ? ` (${code(t.git.ref.replace(/^refs\/(heads|tags)\//, ''), r.cut)})` : ''}` : '';
  return `Tree ${code(t.root, r.cut)}${git}; profile ${code(s.profile.id, r.cut)} v${num(s.profile.version)} (${code(s.profile.hash, r.cut)}).`;
}

function contradictionLine(r: Render): string | undefined {
  if (!r.claims) return undefined;
  const bad = r.claims.filter((c) => !c.holds);
  if (bad.length === 0) return `Expectations: all ${r.claims.length} hold.`;
  return `⚠️ **${bad.length} contradiction${bad.length === 1 ? '' : 's'}** with the expectations: ${bad
    .map(
      (c) =>
        `${code(c.capability, r.cut)}${c.configuration ? ` in ${escapeText(c.configuration, r.cut)}` : ''} is ${escapeText(String(c.actual), r.cut)}, expected ${c.expect.map((x) => escapeText(x, r.cut)).join(' or ')}`
    )
    .join('; ')}.`;
}

function statusLine(comparison: Comparison | undefined, r: Render, multiUnit: boolean): string | undefined {
  if (!comparison) return r.noBaselineReason ? `**No baseline** (${escapeText(r.noBaselineReason, r.cut)}): the current state is shown.` : undefined;
  const count = { regressed: 0, improved: 0, changed: 0, unchanged: 0 };
  for (const c of comparison.capabilities) count[c.direction]++;
  for (const c of comparison.configurations ?? []) count[c.direction]++;
  const { regressed: reg, improved: imp, changed: chg } = count;
  const parts: string[] = [];
  if (reg) parts.push(`${reg} capabilit${reg === 1 ? 'y' : 'ies'} regressed`);
  if (imp) parts.push(`${imp} improved`);
  if (chg) parts.push(`${chg} changed`);
  const unitChanges = multiUnit ? (comparison.units ?? []).length : 0;
  if (unitChanges) parts.push(`${unitChanges} unit change${unitChanges === 1 ? '' : 's'}`);
  parts.push(`${comparison.facts.length} fact change${comparison.facts.length === 1 ? '' : 's'}`);
  const word = { unchanged: 'Unchanged', changed: 'Changed', regressed: 'Regressed', improved: 'Improved' }[comparison.status];
  return `**${word}**: ${parts.join(', ')}, against ${escapeText(r.baselineSource ?? 'the baseline', r.cut)}.`;
}

function headOf(current: Snapshot, comparison: Comparison | undefined, r: Render): string[] {
  const head = [
    `## hmm-watch: ${escapeText(current.profile.title, r.cut)}`,
    statusLine(comparison, r, isMultiUnit(current)),
    contradictionLine(r),
    treeLine(current, r)
  ].filter((x): x is string => x !== undefined);
  for (const n of comparison?.notes ?? []) head.push(`> ${escapeText(n, r.cut)}`);
  // Changes per unit and configuration are listed under the unit matrix.
  const treeWide = (comparison?.configurations ?? []).filter((x) => x.unit === undefined);
  if (treeWide.length) {
    const names = platformNames(r);
    head.push(
      treeWide
        .map(
          (x) =>
            `- ${escapeText(x.configuration, r.cut)} · ${escapeText(x.title, r.cut)}: ${verdictText(x.before, names, r)} → ${verdictText(x.after, names, r)} ${own(CHANGE_LABEL, x.direction) ?? ''}`
        )
        .join('\n')
    );
  }
  const notCompared = comparison?.notCompared ?? [];
  if (notCompared.length) {
    // Shortened, the list names its first entries only.
    const shown = r.cut === undefined ? notCompared : notCompared.slice(0, COMPACT_DIAGNOSTICS);
    const rest = notCompared.length - shown.length;
    head.push(`> Not compared (only one profile has them): ${shown.map((x) => code(x, r.cut)).join(', ')}${rest ? ` and ${rest} more` : ''}.`);
  }
  return head;
}

function bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Parts joined by blank lines, with a final newline. */
function join(parts: string[]): string {
  return `${parts.join('\n\n')}\n`;
}

export function renderReport(current: Snapshot, comparison: Comparison | undefined, opts: ReportOptions = {}): RenderedReport {
  const r = withClaims(opts);
  // Several driver units: the unit matrix stands where the capability table stands, each unit's table is a section.
  const multi = isMultiUnit(current);
  const names = platformNames(r);
  const capsOf = (x: Render): string =>
    multi ? unitMatrix(current, comparison, { links: x.links, names, cut: x.cut }) : capabilityTableOf(current, comparison, x);
  // Each unit's table has a column per configuration with that unit's verdicts (none for an older snapshot).
  const confs = unitConfigurations(current);
  const unitSections = multi
    ? matrixUnits(current).map((u) =>
        details(
          `${escapeText(u.id)}: capabilities (${u.files.length} file${u.files.length === 1 ? '' : 's'})`,
          capabilityTableOf(
            { ...current, capabilities: u.capabilities, configurations: confs.map((c) => ({ ...c, capabilities: unitVerdictsIn(c, u.id) ?? {} })) },
            undefined,
            r
          )
        )
      )
    : [];
  const differences = multi ? configurationDifferences(current, names) : undefined;
  const sections = [
    ...(differences ? [differences] : []),
    ...unitSections,
    ...configurationSections(current, r, multi && confs.length > 0),
    ...factSections(current, comparison, r)
  ];
  const limit = opts.maxBytes;
  const hint = opts.fullReportHint ? ` The full report is in ${escapeText(opts.fullReportHint)}.` : '';
  const runLine = current.run
    ? [`Scan time: ${(current.run.totalMs / 1000).toFixed(2)} s (${num(current.run.filesRead)} files read, ${num(current.run.filesParsed)} parsed).`]
    : [];

  let head = headOf(current, comparison, r);
  let caps = capsOf(r);
  const fullTail = [diagnosticsSection(current, false, hint), ...runLine];
  const full = join([...head, caps, '### Details', ...sections, ...fullTail]);
  if (!limit || bytes(full) <= limit) return { markdown: full, folded: false };

  // Keep whole sections while they fit (running byte totals), then say how many were left out. Sections are whole
  // tables inside <details>, so no cut falls inside a row or a fence.
  const note = (n: number): string => `_${n} detail section${n === 1 ? '' : 's'} folded to stay under ${limit} bytes.${hint}_`;
  const sizes = sections.map(bytes);
  const fold = (tail: string[]): string | undefined => {
    const base = bytes(join([...head, caps, '### Details', ...tail])); // every further part adds its bytes and '\n\n'
    let used = base;
    let kept = 0;
    while (kept < sections.length && used + sizes[kept] + 2 + bytes(note(sections.length - kept - 1)) + 2 <= limit) used += sizes[kept++] + 2;
    const text = join([...head, caps, '### Details', ...sections.slice(0, kept), note(sections.length - kept), ...tail]);
    return bytes(text) <= limit ? text : undefined;
  };
  const compactTail = [diagnosticsSection(current, true, hint), ...runLine];
  const fitted = fold(fullTail) ?? fold(compactTail);
  if (fitted) return { markdown: fitted, folded: true };
  // Then any one too long text of the head and table is cut, shorter each time (the shortest first: when even that
  // does not fit, the table has too many rows and no other cut is tried).
  const shortest = CELL_LIMITS.at(-1)!;
  const tryCut = (cell: number): string | undefined => {
    const cut: Render = { ...r, cut: { max: cell } };
    head = headOf(current, comparison, cut);
    caps = capsOf(cut);
    return fold(compactTail);
  };
  const atShortest = tryCut(shortest);
  if (atShortest) {
    for (const cell of CELL_LIMITS.slice(0, -1)) {
      const text = tryCut(cell);
      if (text) return { markdown: text, folded: true };
    }
    return { markdown: atShortest, folded: true };
  }
  // Even the capability table is too large: keep the status line and say where the report is.
  const over = `_The report is ${bytes(full)} bytes, over the ${limit}-byte limit.${hint}_`;
  const minimal = join([...head, over]);
  return { markdown: bytes(minimal) <= limit ? minimal : join([head[0], over]), folded: true };
}
