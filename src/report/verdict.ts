// How a status and a configuration's verdict read in markdown: a symbol and a word (the word is there for screen
// readers and for readers who do not know the symbols), or the symbol alone where a legend says what it means.
import type { ConfigVerdict } from '../rules/capabilities.js';
import type { Status } from '../rules/types.js';
import { type AtomNames, conditionInWords } from './condition-words.js';
import { type Cut, code, escapeText, own } from './escape.js';

export const STATUS_SYMBOL: Record<Status, string> = { enabled: '✅', disabled: '❌', conditional: '⚠️', absent: '➖', unknown: '❔' };

export const STATUS_LABEL: Record<Status, string> = {
  enabled: '✅ enabled',
  disabled: '❌ disabled',
  conditional: '⚠️ conditional',
  absent: '➖ absent',
  unknown: '❔ unknown'
};

/** A configuration's verdict where the row's own assumption contradicts it (an x86_64 row on aarch64). */
export const NOT_APPLICABLE = '— n/a';

export function statusLabel(s: string | undefined, cut?: Cut): string {
  return own(STATUS_LABEL, s ?? '') ?? escapeText(String(s), cut);
}

/** A capability's verdict in one configuration, in words (for a table cell or a line). */
export function verdictText(
  v: Pick<ConfigVerdict, 'status' | 'conditionalStatus' | 'condition' | 'undecided' | 'applies'> | undefined,
  names: AtomNames = {},
  r: { cut?: Cut } = {}
): string {
  if (!v) return '—';
  if (v.applies === false) return NOT_APPLICABLE;
  if (v.status === 'unknown' && v.undecided?.length) {
    return `${STATUS_LABEL.unknown}: ${v.undecided.map((a) => code(own(names, a) ?? a, r.cut)).join(', ')} undecided`;
  }
  if (v.status === 'conditional')
    return `⚠️ ${escapeText(String(v.conditionalStatus), r.cut)} when ${escapeText(conditionInWords(v.condition ?? '1', names), r.cut)}`;
  return statusLabel(v.status, r.cut);
}

/** A verdict's symbol alone, for a matrix cell (`n/a` when the row does not apply). */
export function verdictSymbol(v: Pick<ConfigVerdict, 'status' | 'applies'>): string {
  if (v.applies === false) return 'n/a';
  return own(STATUS_SYMBOL, v.status) ?? '❔';
}

/** Whether two configurations give the same verdict (what a reader would see as the same cell). */
export function sameVerdict(a: ConfigVerdict | undefined, b: ConfigVerdict | undefined): boolean {
  if (!a || !b) return a === b;
  return a.status === b.status && a.applies === b.applies && a.conditionalStatus === b.conditionalStatus && a.condition === b.condition;
}
