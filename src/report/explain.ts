// `hmm-watch explain`: the chain that decided one capability (src/rules/capabilities.ts traceCapability), in
// words. It is written once as a small document of paragraphs and list items, then laid out for a terminal
// (wrapped to its width, coloured, locations as links) or as markdown (through escape.ts).
import type { CapabilityTrace, CaseTrace, Evidence } from '../rules/capabilities.js';
import type { Match, Profile, Status, When } from '../rules/types.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { conditionInWords, whenInWords } from './condition-words.js';
import { code, escapeText, terminalText } from './escape.js';
import type { LinkBuilder } from './links.js';
import { inStatusColor, link, statusLabel, type Terminal, visibleWidth, wrap } from './terminal.js';
import { STATUS_LABEL } from './verdict.js';

type Inline = string | { code: string } | { loc: { file: string; line: number } } | { status: Status } | { strong: string };
interface Block {
  kind: 'title' | 'heading' | 'para' | 'item';
  depth: number;
  parts: Inline[];
}

/** Most facts listed per case (the rest are counted). */
const MAX_FACTS = 20;

function matchWords(field: string, m: Match, negated = false): Inline[] {
  const is = negated ? 'is not' : 'is';
  if (typeof m === 'string') return [`${field} ${is} `, { code: m }];
  if (Array.isArray(m)) return [`${field} ${is} ${m.length === 1 ? '' : 'one of '}`, ...m.flatMap((x, i) => (i ? [', ', { code: x }] : [{ code: x }]))];
  if ('not' in m) return matchWords(field, m.not, !negated);
  const verb = negated ? 'does not match' : 'matches';
  return 'glob' in m ? [`${field} ${verb} the pattern `, { code: m.glob }] : [`${field} ${verb} the regular expression `, { code: m.regex }];
}

function joined(parts: Inline[][], word: string): Inline[] {
  return parts.flatMap((p, i) => (i ? [word, ...p] : p));
}

/** A case's test in words: which facts it selects, or which status of another capability it wants. */
function whenWords(w: When, profile: Profile | undefined, earlier: Record<string, Status>): Inline[] {
  if ('rule' in w) {
    const title = profile?.rules.find((r) => r.id === w.rule)?.title;
    const where = Object.entries(w.where ?? {}).map(([field, m]) => matchWords(field, m));
    return ['facts of rule ', { code: w.rule }, ...(title ? [` (${title})`] : []), ...(where.length ? [' where ', ...joined(where, ' and ')] : [])];
  }
  if ('all' in w || 'any' in w) {
    const [word, parts] = 'all' in w ? ['all', w.all] : ['any', w.any];
    return [
      `${word} of (`,
      ...joined(
        parts.map((x) => whenWords(x, profile, earlier)),
        '; '
      ),
      ')'
    ];
  }
  if ('not' in w) return ['not (', ...whenWords(w.not, profile, earlier), ')'];
  if ('condition' in w) return ['the condition ', { code: w.condition }, ' holds'];
  const wanted = Array.isArray(w.status) ? w.status : [w.status];
  const now = earlier[w.capability];
  return ['capability ', { code: w.capability }, ` is ${wanted.join(' or ')} (it is `, ...(now ? [{ status: now }] : ['not evaluated']), ')'];
}

function factItems(facts: Evidence[], depth: number): Block[] {
  const items = facts
    .slice(0, MAX_FACTS)
    .map((e) => ({ kind: 'item' as const, depth, parts: [{ loc: e }, ' ', { code: e.summary }, `, ${whenInWords(e.condition)}`] }));
  if (facts.length > MAX_FACTS) items.push({ kind: 'item', depth, parts: [`… and ${facts.length - MAX_FACTS} more`] });
  return items;
}

function outcome(c: CaseTrace, decidedBy: number | undefined): Inline[] {
  switch (c.outcome) {
    case 'not-reached':
      return [`Not evaluated: case ${(decidedBy ?? 0) + 1} already decided.`];
    case 'no-match':
      return [c.facts.length ? 'Its test is false, so it does not hold.' : 'No fact matched, so it does not hold.'];
    case 'excluded':
      return [`Its facts hold only ${whenInWords(c.condition ?? '0')}, which the files' build constraints rule out, so it does not hold.`];
    case 'holds':
      return ['It holds in every configuration, so the status is ', { status: c.status }, '.'];
    case 'conditional':
      return [
        `It holds only ${whenInWords(c.condition ?? '0')}, so the status is `,
        { status: 'conditional' },
        ': ',
        { status: c.status },
        ' under that condition.'
      ];
  }
}

function explanation(trace: CapabilityTrace, snapshot: Snapshot, profile: Profile | undefined): Block[] {
  const r = trace.result;
  const decidedBy = trace.cases.find((c) => c.outcome === 'holds' || c.outcome === 'conditional')?.index;
  const blocks: Block[] = [
    { kind: 'title', depth: 0, parts: [`${r.title} `, { code: `[${r.id}]` }, ': ', { status: r.status }] },
    { kind: 'para', depth: 0, parts: [r.explain] },
    {
      kind: 'para',
      depth: 0,
      parts: [
        'Tree ',
        { code: snapshot.tree.root },
        ...(snapshot.tree.git ? [' at ', { code: snapshot.tree.git.commit.slice(0, 12) }] : []),
        `, profile `,
        { code: snapshot.profile.id },
        ` v${snapshot.profile.version}.`
      ]
    },
    { kind: 'heading', depth: 0, parts: ['Assumptions'] }
  ];
  if (trace.ignoreConditions)
    blocks.push({
      kind: 'para',
      depth: 0,
      parts: ['This capability counts facts whatever their presence conditions (ignore-conditions), so assumptions do not apply to them.']
    });
  if (trace.assumptions.length === 0) blocks.push({ kind: 'para', depth: 0, parts: ['None: every configuration counts.'] });
  for (const a of trace.assumptions) {
    const said = conditionInWords(a.value ? a.atom : `!(${a.atom})`);
    const from = a.from === 'profile' ? "the profile's assumption" : "this capability's assumption";
    blocks.push({ kind: 'item', depth: 0, parts: [`${said} (${from}; ${a.used ? 'used by the facts below' : 'no fact below depends on it'})`] });
  }
  blocks.push({ kind: 'heading', depth: 0, parts: ["Cases, in the profile's order (the first that can hold decides)"] });
  for (const c of trace.cases) {
    blocks.push({ kind: 'item', depth: 0, parts: [{ strong: `Case ${c.index + 1}` }, ' → ', { status: c.status }, `: ${c.because}`] });
    blocks.push({ kind: 'item', depth: 1, parts: ['Tests ', ...whenWords(c.when, profile, trace.earlier), '.'] });
    if (c.outcome !== 'not-reached' && c.facts.length) {
      blocks.push({ kind: 'item', depth: 1, parts: [`Selected ${c.facts.length} fact${c.facts.length === 1 ? '' : 's'}:`] }, ...factItems(c.facts, 2));
    }
    if (c.ruledOut.length) {
      blocks.push({ kind: 'item', depth: 1, parts: [`Ruled out by the assumptions (${c.ruledOut.length}):`] }, ...factItems(c.ruledOut, 2));
    }
    if (c.constraints.length) {
      blocks.push({ kind: 'item', depth: 1, parts: ['Build constraints (from #error branches) of these files:'] });
      for (const k of c.constraints) blocks.push({ kind: 'item', depth: 2, parts: [{ code: k.file }, `: in every build, ${conditionInWords(k.condition)}`] });
    }
    if (!c.decided)
      blocks.push({
        kind: 'item',
        depth: 1,
        parts: ['Its condition has too many atoms to decide exactly; it is taken as holding only in some configurations.']
      });
    blocks.push({ kind: 'item', depth: 1, parts: outcome(c, decidedBy) });
  }
  const o = trace.otherwise;
  blocks.push({
    kind: 'item',
    depth: 0,
    parts: [{ strong: 'Otherwise' }, ' → ', { status: o.status }, `: ${o.because}${o.reached ? '' : ` (not reached: case ${(decidedBy ?? 0) + 1} decided)`}`]
  });
  const verdict: Inline[] =
    decidedBy === undefined
      ? ['No case holds, so the status is the fallback: ', { status: r.status }, '.']
      : r.status === 'conditional'
        ? [`Case ${decidedBy + 1} decided: the status is `, { status: 'conditional' }, ` (${r.conditionalStatus} only ${whenInWords(r.condition ?? '0')}).`]
        : [`Case ${decidedBy + 1} decided: the status is `, { status: r.status }, '.'];
  blocks.push({ kind: 'heading', depth: 0, parts: ['Verdict'] }, { kind: 'para', depth: 0, parts: verdict });
  return blocks;
}

export interface ExplainOptions {
  profile?: Profile;
  links?: LinkBuilder;
}

/** The explanation as markdown (the same words; everything from the scan escaped). */
export function explainMarkdown(trace: CapabilityTrace, snapshot: Snapshot, opts: ExplainOptions = {}): string {
  const inline = (p: Inline): string => {
    if (typeof p === 'string') return escapeText(p);
    if ('code' in p) return code(p.code);
    if ('status' in p) return `**${STATUS_LABEL[p.status]}**`;
    if ('strong' in p) return `**${escapeText(p.strong)}**`;
    const label = escapeText(`${p.loc.file}:${p.loc.line}`);
    return opts.links ? `[${label}](${opts.links(p.loc.file, p.loc.line)})` : label;
  };
  const out: string[] = [];
  for (const b of explanation(trace, snapshot, opts.profile)) {
    const text = b.parts.map(inline).join('');
    if (b.kind === 'title') out.push(`## ${text}`, '');
    else if (b.kind === 'heading') out.push('', `### ${text}`, '');
    else if (b.kind === 'para') out.push(text, '');
    else out.push(`${'  '.repeat(b.depth)}- ${text}`);
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

/** The explanation for a terminal: wrapped to its width, statuses coloured, locations linked. */
export function explainText(trace: CapabilityTrace, snapshot: Snapshot, terminal: Terminal, opts: ExplainOptions = {}): string {
  const t = terminal;
  const inline = (p: Inline): string => {
    if (typeof p === 'string') return terminalText(p);
    if ('code' in p) return terminalText(p.code);
    if ('status' in p) return inStatusColor(t, p.status, statusLabel(p.status));
    if ('strong' in p) return t.style.bold(terminalText(p.strong));
    return link(t, t.style.cyan(terminalText(`${p.loc.file}:${p.loc.line}`)), opts.links?.(p.loc.file, p.loc.line));
  };
  const out: string[] = [];
  for (const b of explanation(trace, snapshot, opts.profile)) {
    const text = b.parts.map(inline).join('');
    if (b.kind === 'title') out.push(...wrap(text, t.width).map((l) => t.style.bold(l)), '');
    else if (b.kind === 'heading') out.push('', ...wrap(text, t.width).map((l) => t.style.bold.underline(l)));
    else if (b.kind === 'para') out.push(...wrap(text, t.width), '');
    else {
      const bullet = `${'  '.repeat(b.depth)}${b.depth === 0 ? '•' : '-'} `;
      const hang = ' '.repeat(visibleWidth(bullet));
      wrap(text, t.width - hang.length).forEach((l, i) => out.push(`${i ? hang : bullet}${l}`));
    }
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
