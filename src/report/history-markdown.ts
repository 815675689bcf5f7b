// The history report: per capability, its state per maintenance line and since which release, and every
// transition with the release where it happened; a Mermaid timeline GitHub renders; the facts' first and last
// releases.
import { markdownTable } from 'markdown-table';
import type { History } from '../history/history.js';
import { code, escapeText, num, own } from './escape.js';

/** Builds a link to a line of a file at a commit, when the repository is known (undefined: no valid link). */
export type CommitLinks = (commit: string, file: string, line: number) => string | undefined;

/** Text safe inside a Mermaid timeline entry: no colons, semicolons, quotes, backticks or markup (no `<`, `>`). */
function mermaidText(s: string): string {
  return s.replace(/[^A-Za-z0-9 ._/()=!&|+-]/g, ' ').replace(/:/g, ' ').replace(/\s+/g, ' ').trim();
}

function transitionsCell(h: History['capabilities'][number], links: CommitLinks | undefined, only?: Set<string>, max = 12): string {
  const shown = h.transitions.filter((t) => !only || only.has(t.tag));
  if (shown.length === 0) return 'none';
  const arrow = { regressed: '🔻', improved: '🔺', changed: '🔄' };
  const items = shown.slice(0, max).map((t) => {
    const e = t.evidence;
    const label = e ? escapeText(`${e.file}:${num(e.line)}`) : '';
    const url = e && links?.(t.commit, e.file, e.line);
    const where = e ? ` ${url ? `[${label}](${url})` : label}` : '';
    return `${own(arrow, t.direction) ?? escapeText(t.direction)} ${code(t.tag)} (line ${escapeText(t.line)}, from ${code(t.parent)}): ${escapeText(t.from)} → ${escapeText(t.to)}${where}`;
  });
  return items.join('<br>') + (shown.length > max ? `<br>(+${num(shown.length - max)} more)` : '');
}

export function mermaidTimeline(h: History): string {
  const events = h.capabilities.flatMap((c) => c.transitions.map((t) => ({ ...t, title: c.title })));
  if (events.length === 0) return '';
  const date = new Map(h.tags.map((t) => [t.tag, t.date]));
  events.sort((a, b) => ((date.get(a.tag) ?? '') < (date.get(b.tag) ?? '') ? -1 : 1));
  const lines = ['```mermaid', 'timeline', '    title Capability transitions by release'];
  const byLine = new Map<string, typeof events>();
  for (const e of events) {
    const list = byLine.get(e.line);
    if (list) list.push(e);
    else byLine.set(e.line, [e]);
  }
  for (const [line, evs] of [...byLine].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    lines.push(`    section ${mermaidText(line)}`);
    const byTag = new Map<string, string[]>();
    for (const e of evs) {
      const item = `${mermaidText(e.title)} ${mermaidText(e.from)} to ${mermaidText(e.to)}`;
      const list = byTag.get(e.tag);
      if (list) list.push(item);
      else byTag.set(e.tag, [item]);
    }
    for (const [tag, items] of byTag) lines.push(`        ${mermaidText(tag)} : ${items.join(' : ')}`);
  }
  lines.push('```');
  return lines.join('\n');
}

export interface HistoryReportOptions {
  links?: CommitLinks;
  /** Show only the transitions of these releases (the new ones, in watch mode). */
  only?: Set<string>;
}

export function renderHistory(h: History, opts: HistoryReportOptions = {}): string {
  const lines = [...new Set(h.tags.map((t) => t.line))];
  const parts = [
    `## hmm-watch history: ${escapeText(h.profile.title)}`,
    `${h.tags.length} release tags matching ${code(h.glob)} in ${code(h.repository)}, ${lines.length} line(s): ${lines.map((l) => code(l)).join(', ')}. Each release is compared with the release it was made from (its nearest tagged ancestor).`
  ];
  for (const n of h.notes) parts.push(`> ${escapeText(n)}`);
  parts.push(
    markdownTable(
      [
        ['Capability', 'Now, per line', 'Transitions'],
        ...h.capabilities.map((c) => [
          escapeText(c.title),
          c.lines.map((l) => `${escapeText(l.line)}: ${escapeText(l.status)} since ${code(l.since)} (latest ${code(l.latest)})`).join('<br>'),
          transitionsCell(c, opts.links, opts.only)
        ])
      ],
      { alignDelimiters: false }
    )
  );
  const chart = mermaidTimeline(h);
  if (chart) parts.push(chart);
  const unitChanges = (h.units ?? []).filter((u) => !opts.only || opts.only.has(u.tag));
  if (unitChanges.length) {
    const word = (u: NonNullable<History['units']>[number]): string =>
      u.from === 'absent' ? 'gained' : u.to === 'absent' ? 'lost' : u.direction;
    const line = (u: NonNullable<History['units']>[number]): string =>
      u.capability
        ? `${escapeText(u.unit)}: ${escapeText(u.capability)} ${word(u)} in ${code(u.tag)} (${escapeText(u.from)} → ${escapeText(u.to)}, from ${code(u.parent)})`
        : `${escapeText(u.unit)}: unit ${u.to === 'none' ? 'gone' : 'new'} in ${code(u.tag)} (from ${code(u.parent)})`;
    parts.push(`Changes per unit:\n\n${unitChanges.map((u) => `- ${line(u)}`).join('\n')}`);
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
  parts.push(`<details><summary>Facts that changed between releases (${changing.length})</summary>\n\n${changing.length ? factRows(changing) : '_None._'}\n\n</details>`);
  parts.push(`<details><summary>All facts (${h.facts.length})</summary>\n\n${h.facts.length ? factRows(h.facts) : '_None._'}\n\n</details>`);
  if (h.run) parts.push(`History time: ${(h.run.totalMs / 1000).toFixed(1)} s for ${num(h.run.tags)} releases (${num(h.run.filesRead)} files read; result cache: ${num(h.run.cacheHits)} hits, ${num(h.run.cacheMisses)} misses).`);
  return `${parts.join('\n\n')}\n`;
}
