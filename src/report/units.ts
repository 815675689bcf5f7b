// The report of a tree with several driver units: a matrix first (units down, capabilities across, one symbol a
// cell linking to its evidence, a mark where the unit changed against the baseline), the units that only test an
// HMM option and the core code that provides the APIs in one line each, then one collapsible table per unit.
import { markdownTable } from 'markdown-table';
import type { CapabilityChange, Comparison } from '../compare/compare.js';
import type { CapabilityResult } from '../rules/capabilities.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { matrixUnits, type Unit } from '../units/units.js';
import { code, escapeText } from './escape.js';
import type { LinkBuilder } from './links.js';

const SYMBOL: Record<CapabilityResult['status'], string> = { enabled: '✅', disabled: '❌', conditional: '⚠️', absent: '➖', unknown: '❔' };
const CHANGE_MARK: Record<CapabilityChange['direction'], string> = { regressed: '🔻', improved: '🔺', changed: '🔄', unchanged: '' };

function cell(c: CapabilityResult, change: CapabilityChange | undefined, links: LinkBuilder | undefined): string {
  const symbol = SYMBOL[c.status];
  const ev = c.evidence[0];
  const url = ev ? links?.(ev.file, ev.line) : undefined;
  const shown = url ? `[${symbol}](${url})` : symbol;
  return change ? `${shown}${CHANGE_MARK[change.direction]}` : shown;
}

function unitLabel(u: Unit): string {
  const tag = u.kind === 'test' ? ' (test)' : '';
  return `${escapeText(u.id)}${tag}`;
}

export function unitMatrix(s: Snapshot, comparison: Comparison | undefined, links: LinkBuilder | undefined): string {
  const units = matrixUnits(s);
  const ids = s.capabilities.map((c) => c.id);
  const changes = new Map((comparison?.units ?? []).map((u) => [u.id, u]));
  const rows = units.map((u) => {
    const ch = changes.get(u.id);
    const label = ch?.change === 'added' ? `${unitLabel(u)} 🆕` : unitLabel(u);
    return [
      label,
      code(u.dir),
      ...ids.map((id) => {
        const c = u.capabilities.find((x) => x.id === id);
        return c
          ? cell(
              c,
              ch?.capabilities.find((x) => x.id === id && x.direction !== 'unchanged'),
              links
            )
          : '—';
      })
    ];
  });
  const legend = s.capabilities.map((c, i) => `${i + 1} ${escapeText(c.title)}`).join('; ');
  const parts = [
    markdownTable([['Unit', 'Folder', ...ids.map((_, i) => String(i + 1))], ...rows], { alignDelimiters: false }),
    `${Object.entries(SYMBOL)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}; 🔺🔻🔄 changed against the baseline. Columns: ${legend}.`
  ];
  const gated = (s.units ?? []).filter((u) => u.kind !== 'provider' && u.gatesOnly);
  if (gated.length) parts.push(`Only test HMM Kconfig options (no HMM table or call): ${gated.map((u) => escapeText(u.id)).join(', ')}.`);
  const providers = (s.units ?? []).filter((u) => u.kind === 'provider');
  if (providers.length) {
    parts.push(
      `Core code, the provider of the APIs (not a driver): ${providers.map((u) => `${code(u.dir)} (${u.files.length} file${u.files.length === 1 ? '' : 's'})`).join(', ')}.`
    );
  }
  const lines = unitChangeLines(comparison);
  if (lines.length) parts.push(`Changes per unit:\n\n${lines.map((l) => `- ${l}`).join('\n')}`);
  return parts.join('\n\n');
}

/** One line per unit that changed: `nouveau: device-exclusive ➖ absent → ✅ enabled (improved)`. */
export function unitChangeLines(comparison: Comparison | undefined): string[] {
  return (comparison?.units ?? []).map((u) => {
    if (u.change !== 'kept') return `${escapeText(u.id)}: unit ${u.change}`;
    const what = u.capabilities.map((c) => {
      const from = c.before ? `${SYMBOL[c.before.status]} ${c.before.status}` : 'none';
      const to = c.after ? `${SYMBOL[c.after.status]} ${c.after.status}` : 'none';
      return `${escapeText(c.id)} ${from} → ${to}${c.direction === 'changed' ? '' : ` (${c.direction})`}`;
    });
    return `${escapeText(u.id)}: ${what.join('; ')}`;
  });
}
