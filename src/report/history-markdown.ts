// The history report. First one matrix: capabilities down, release lines across, each cell the status of the
// line's newest release (a symbol and its word) and the release it has held since. Then the transitions, each
// with its cause before and after (the profile's reason and the facts that decided it, linked to the exact lines),
// a Mermaid timeline per release line, and the facts' first and last releases. The tracking issue of the watch is
// the same parts cut to a byte budget (renderIssueBody); the comment of a run lists what its new releases changed.
import { markdownTable } from 'markdown-table';
import type { CapabilityHistory, CapabilityTransition, Cause, History } from '../history/history.js';
import { compareVersions } from '../history/tags.js';
import { code, escapeText, num, own } from './escape.js';
import { STATUS_SYMBOL } from './verdict.js';

/** Builds a link to a line of a file at a commit, when the repository is known. */
export type CommitLinks = (commit: string, file: string, line: number) => string | undefined;

const ARROW: Record<CapabilityTransition['direction'], string> = { regressed: '🔻', improved: '🔺', changed: '🔄', cause: '🔁' };

/** The status word of a status text (`conditional (enabled when X)` → conditional). */
function word(status: string): string {
  return status.split(' ')[0];
}

function cell(status: string, since?: string): string {
  const w = word(status);
  return `${own(STATUS_SYMBOL, w) ?? '—'} ${escapeText(w === 'absent' && status !== 'absent' ? status : w)}${since ? `<br>${code(since)}` : ''}`;
}

/** Text safe inside a Mermaid timeline entry: no colons, semicolons, quotes or markup. */
function mermaidText(s: string): string {
  return s
    .replace(/[^A-Za-z0-9 ._/()=!&|+-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function releaseLines(h: History): string[] {
  return [...new Set(h.tags.map((t) => t.line))].sort(compareVersions);
}

/** The capability × release-line matrix, and the conditions of conditional cells below it. */
export function renderMatrix(h: History): string {
  const lines = releaseLines(h);
  const latest = (c: CapabilityHistory, line: string): CapabilityHistory['lines'][number] | undefined => c.lines.find((l) => l.line === line);
  const head = ['Capability', ...lines.map((l) => `${escapeText(l)}<br>${code(h.capabilities[0]?.lines.find((x) => x.line === l)?.latest ?? '')}`)];
  const rows = h.capabilities.map((c) => [
    escapeText(c.title),
    ...lines.map((l) => {
      const x = latest(c, l);
      return x ? cell(x.status, x.since) : '—';
    })
  ]);
  const parts = [markdownTable([head, ...rows], { alignDelimiters: false })];
  parts.push(
    `Each cell: the status of the line's newest release (under the line's name), and the release it has held since along the line. ${Object.entries(
      STATUS_SYMBOL
    )
      .map(([w, s]) => `${s} ${w}`)
      .join(', ')}.`
  );
  const conditions: string[] = [];
  for (const c of h.capabilities) {
    const byStatus = new Map<string, string[]>();
    for (const l of c.lines) if (word(l.status) === 'conditional') byStatus.set(l.status, [...(byStatus.get(l.status) ?? []), l.line]);
    for (const [status, ls] of byStatus)
      conditions.push(`- ${escapeText(c.title)} (${ls.map((l) => escapeText(l)).join(', ')}): ${code(status.replace(/^conditional \((.*)\)$/, '$1'))}`);
  }
  if (conditions.length) parts.push(`Conditional cells:\n\n${conditions.join('\n')}`);
  return parts.join('\n\n');
}

function where(e: { file: string; line: number }, commit: string, links: CommitLinks | undefined): string {
  const text = escapeText(`${e.file}:${num(e.line)}`);
  const url = links?.(commit, e.file, e.line);
  return url ? `[${text}](${url})` : text;
}

function causeText(c: Cause | undefined, links: CommitLinks | undefined): string {
  if (!c) return '—';
  const facts = c.evidence.map((e) => `${code(e.summary)} (${where(e, c.commit, links)})`);
  return `${escapeText(c.because)}${facts.length ? `: ${facts.join('; ')}` : ''}`;
}

function transitionRow(t: CapabilityTransition & { title: string }, links: CommitLinks | undefined): string[] {
  // Words only; a condition is long and is in the causes.
  const to = word(t.to) === word(t.from) ? `${word(t.to)} (other condition)` : word(t.to);
  const change =
    t.direction === 'cause'
      ? `${ARROW.cause} ${escapeText(word(t.to))}, other cause`
      : `${own(ARROW, t.direction) ?? escapeText(t.direction)} ${escapeText(word(t.from))} → ${escapeText(to)}`;
  return [`${code(t.tag)}<br>from ${code(t.parent)}`, escapeText(t.title), change, causeText(t.before, links), causeText(t.after, links)];
}

/** Capability transitions, newest release first (by ancestry: a release after the one it was made from). */
export function transitionsOf(h: History, only?: Set<string>): Array<CapabilityTransition & { id: string; title: string }> {
  const rank = new Map(h.tags.map((t, i) => [t.tag, i]));
  return h.capabilities
    .flatMap((c) => c.transitions.filter((t) => !only || only.has(t.tag)).map((t) => ({ ...t, id: c.id, title: c.title })))
    .sort((a, b) => (rank.get(b.tag) ?? 0) - (rank.get(a.tag) ?? 0));
}

const TRANSITION_HEAD = ['Release', 'Capability', 'Change', 'Cause before', 'Cause after'];

/** The transitions table; with `budget`, only the rows that fit in it (bytes), and how many were left out. */
export function renderTransitions(
  ts: Array<CapabilityTransition & { title: string }>,
  links: CommitLinks | undefined,
  budget = Infinity
): { markdown: string; shown: number } {
  if (ts.length === 0) return { markdown: '_No capability changed its status or its cause._', shown: 0 };
  const rows: string[][] = [];
  let size = Buffer.byteLength(markdownTable([TRANSITION_HEAD], { alignDelimiters: false })) + 200;
  for (const t of ts) {
    const row = transitionRow(t, links);
    const bytes = Buffer.byteLength(row.join(' | ')) + 6;
    if (size + bytes > budget) break;
    size += bytes;
    rows.push(row);
  }
  const table = rows.length ? markdownTable([TRANSITION_HEAD, ...rows], { alignDelimiters: false }) : '';
  const rest = ts.length - rows.length;
  return { markdown: `${table}${rest ? `${table ? '\n\n' : ''}_${rest} older transition(s) did not fit here._` : ''}`, shown: rows.length };
}

/** One Mermaid timeline per release line that had transitions, with short labels. */
export function mermaidTimelines(h: History): string[] {
  const ts = transitionsOf(h).reverse();
  const byLine = new Map<string, typeof ts>();
  for (const t of ts) byLine.set(t.line, [...(byLine.get(t.line) ?? []), t]);
  return [...byLine]
    .sort((a, b) => compareVersions(a[0], b[0]))
    .map(([line, evs]) => {
      const out = ['```mermaid', 'timeline', `    title Line ${mermaidText(line)}`];
      const byTag = new Map<string, string[]>();
      const short = (t: (typeof evs)[number]): string =>
        `${mermaidText(t.id)} ${t.direction === 'cause' ? `${word(t.to)} other cause` : `${word(t.from)} to ${word(t.to)}`}`;
      for (const e of evs) byTag.set(e.tag, [...(byTag.get(e.tag) ?? []), short(e)]);
      for (const [tag, items] of byTag) out.push(`    ${mermaidText(tag)} : ${items.join(' : ')}`);
      out.push('```');
      return out.join('\n');
    });
}

function intro(h: History): string {
  const lines = releaseLines(h);
  return `${h.tags.length} release tags matching ${code(h.glob)} in ${code(h.repository)}, ${lines.length} line(s). Each release is compared with the release it was made from (its nearest tagged ancestor).`;
}

export interface HistoryReportOptions {
  links?: CommitLinks;
}

/** The whole report (a file, a run artifact). */
export function renderHistory(h: History, opts: HistoryReportOptions = {}): string {
  const parts = [`## hmm-watch history: ${escapeText(h.profile.title)}`, intro(h)];
  for (const n of h.notes) parts.push(`> ${escapeText(n)}`);
  parts.push('### Now, per release line', renderMatrix(h));
  parts.push('### Transitions', renderTransitions(transitionsOf(h), opts.links).markdown);
  parts.push(...mermaidTimelines(h));
  const unitChanges = h.units ?? [];
  if (unitChanges.length) {
    const word = (u: NonNullable<History['units']>[number]): string => (u.from === 'absent' ? 'gained' : u.to === 'absent' ? 'lost' : u.direction);
    const line = (u: NonNullable<History['units']>[number]): string =>
      u.capability
        ? `${escapeText(u.unit)}: ${escapeText(u.capability)} ${word(u)} in ${code(u.tag)} (${escapeText(u.from)} → ${escapeText(u.to)}, from ${code(u.parent)})`
        : `${escapeText(u.unit)}: unit ${u.to === 'none' ? 'gone' : 'new'} in ${code(u.tag)} (from ${code(u.parent)})`;
    parts.push('### Changes per unit', unitChanges.map((u) => `- ${line(u)}`).join('\n'));
  }
  const changing = h.facts.filter((f) => f.transitions.length > 0);
  const factRows = (fs: History['facts']): string =>
    markdownTable(
      [
        ['Fact', 'Where', 'Condition', 'First', 'Last', 'Changes'],
        ...fs.map((f) => [
          code(f.summary),
          escapeText(f.file),
          f.condition === '1' ? 'always' : code(f.condition),
          code(f.first),
          code(f.last),
          f.transitions.map((t) => `${escapeText(t.change)} in ${code(t.tag)}`).join(', ') || '—'
        ])
      ],
      { alignDelimiters: false }
    );
  parts.push(
    `<details><summary>Facts that changed between releases (${changing.length})</summary>\n\n${changing.length ? factRows(changing) : '_None._'}\n\n</details>`
  );
  parts.push(`<details><summary>All facts (${h.facts.length})</summary>\n\n${h.facts.length ? factRows(h.facts) : '_None._'}\n\n</details>`);
  if (h.run)
    parts.push(
      `History time: ${(h.run.totalMs / 1000).toFixed(1)} s for ${num(h.run.tags)} releases (${num(h.run.filesRead)} files read; result cache: ${num(h.run.cacheHits)} hits, ${num(h.run.cacheMisses)} misses).`
    );
  return `${parts.join('\n\n')}\n`;
}

export interface IssueBodyOptions {
  links?: CommitLinks;
  /** Bytes the body may take (GitHub's limit less what is added around it). */
  limit: number;
  /** Where the whole report is (a markdown link or text), said at the end. */
  detail?: string;
  /** An earlier tracking issue this one continues. */
  previous?: string;
}

/**
 * The tracking issue's body: the matrix, then as many transitions (newest first) as fit in `limit` bytes, then
 * where the rest is. Within the limit by construction.
 */
export function renderIssueBody(h: History, opts: IssueBodyOptions): string {
  const head = [`## hmm-watch: ${escapeText(h.profile.title)} across releases of ${code(h.repository)}`, intro(h)];
  if (opts.previous) head.push(`Continues ${opts.previous}.`);
  for (const n of h.notes) head.push(`> ${escapeText(n)}`);
  head.push('### Now, per release line', renderMatrix(h), '### Transitions');
  const tail = `${opts.detail ? `The whole report (every fact, first and last releases, timelines): ${opts.detail}.` : ''}`;
  let text = head.join('\n\n');
  const room = opts.limit - Buffer.byteLength(text) - Buffer.byteLength(tail) - 16;
  if (room < 0) {
    // Not even the matrix fits (a profile with very many capabilities): say so, keep the body valid.
    text = [
      head[0],
      intro(h),
      `The matrix is ${Buffer.byteLength(text)} bytes, over the ${opts.limit} bytes an issue body may take here; see the whole report.`
    ].join('\n\n');
  } else text += `\n\n${renderTransitions(transitionsOf(h), opts.links, room).markdown}`;
  return `${text}${tail ? `\n\n${tail}` : ''}\n`;
}

/** The comment of a run that found new releases: which, and what they changed (capabilities, then fact counts). */
export function renderNews(h: History, fresh: string[], opts: { links?: CommitLinks; limit: number; issue?: string }): string {
  const freshSet = new Set(fresh);
  const shownTags =
    fresh
      .slice(0, 50)
      .map((t) => code(t))
      .join(', ') + (fresh.length > 50 ? ` and ${num(fresh.length - 50)} more` : '');
  const head = `New release(s) of ${code(h.repository)}: ${shownTags}.`;
  const facts = h.facts.flatMap((f) => f.transitions.filter((t) => freshSet.has(t.tag)));
  const factLine = facts.length ? `${facts.length} fact change(s) in them; the whole report lists each.` : 'No fact changed in them.';
  const ts = transitionsOf(h, freshSet);
  const room = opts.limit - Buffer.byteLength(head) - Buffer.byteLength(factLine) - 64;
  const body = ts.length ? renderTransitions(ts, opts.links, room).markdown : 'No capability changed its status or its cause in them.';
  return `${head}\n\n${body}\n\n${factLine}${opts.issue ? ` The current state of every line: ${opts.issue}.` : ''}\n`;
}
