// What the terminal the text output goes to can show (colour, OSC 8 hyperlinks, width), and the few helpers
// that lay text out for it. Colour follows the usual conventions, strongest first: --color always|never, then
// FORCE_COLOR, then NO_COLOR, then whether the stream is a colour-capable terminal (supports-color). Widths are
// measured with string-width, so symbols and wide characters count as the terminal shows them.
import ansiEscapes from 'ansi-escapes';
import { Chalk, type ChalkInstance } from 'chalk';
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import { createSupportsColor } from 'supports-color';
import { createSupportsHyperlinks } from 'supports-hyperlinks';
import wrapAnsi from 'wrap-ansi';
import type { ConfigVerdict } from '../rules/capabilities.js';
import type { Status } from '../rules/types.js';
import { whenInWords } from './condition-words.js';
import { terminalText } from './escape.js';

export type ColorMode = 'auto' | 'always' | 'never';

/** Narrowest layout; a narrower terminal still gets this width (its lines then wrap). */
const MIN_WIDTH = 40;
const DEFAULT_WIDTH = 80;

export interface Terminal {
  /** Columns a line may take. */
  width: number;
  /** Styling (colour off: every style is the identity). */
  style: ChalkInstance;
  /** Evidence locations as OSC 8 hyperlinks (only with colour, on terminals that support them). */
  links: boolean;
}

export interface TerminalStream {
  isTTY?: boolean;
  columns?: number;
}

function colorLevel(stream: TerminalStream, mode: ColorMode): 0 | 1 | 2 | 3 {
  if (mode === 'never') return 0;
  // supports-color reads FORCE_COLOR (a level; 0 or false is off) and whether the stream is a capable
  // terminal (TERM, CI, …); the command-line flags are ours, so it does not read them. NO_COLOR (when not
  // empty) turns colour off unless FORCE_COLOR is set.
  const detected = createSupportsColor(stream as NodeJS.WriteStream, { sniffFlags: false });
  const level = detected ? detected.level : 0;
  if (mode === 'always') return level || 1;
  if (!('FORCE_COLOR' in process.env) && process.env.NO_COLOR) return 0;
  return level;
}

function widthOf(stream: TerminalStream, width: number | undefined): number {
  const env = process.env;
  const columns = /^\d+$/.test(env.COLUMNS ?? '') ? Number(env.COLUMNS) : undefined;
  // A pseudo-terminal with no size says 0 columns: that is no width either.
  const w = width ?? (columns || (stream.isTTY && stream.columns) || DEFAULT_WIDTH);
  return Math.max(MIN_WIDTH, w);
}

/** The terminal of `stream` as the options and the environment (process.env) describe it. */
export function terminalFor(stream: TerminalStream, opts: { color?: ColorMode; width?: number } = {}): Terminal {
  const level = colorLevel(stream, opts.color ?? 'auto');
  return {
    width: widthOf(stream, opts.width),
    style: new Chalk({ level }),
    links: level > 0 && createSupportsHyperlinks(stream as NodeJS.WriteStream)
  };
}

/** Visible width: escape codes take no columns, wide characters two. */
export function visibleWidth(text: string): number {
  return stringWidth(text);
}

/** Plain text cut to `width` columns with an ellipsis (at its end, or at its start to keep the end of a path). */
export function truncate(text: string, width: number, position: 'end' | 'start' = 'end'): string {
  return cliTruncate(text, Math.max(1, width), { position });
}

/** Text (plain or styled) wrapped to `width` columns (long words are broken). */
export function wrap(text: string, width: number): string[] {
  return wrapAnsi(text, Math.max(1, width), { hard: true, trim: true }).split('\n');
}

/** "… and N more (--format markdown lists them all)", dim, after `indent`, within the width. */
export function moreLines(t: Terminal, indent: string, n: number): string[] {
  return wrap(`… and ${n} more (--format markdown lists them all)`, t.width - indent.length).map((l) => t.style.dim(`${indent}${l}`));
}

/** Pads plain text with spaces to `width` columns. */
export function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleWidth(text)));
}

/** An OSC 8 hyperlink around already laid-out text, when the terminal shows them and a target is known. */
export function link(t: Terminal, text: string, url: string | undefined): string {
  return t.links && url ? ansiEscapes.link(text, url) : text;
}

const STATUS: Record<Status, { symbol: string; color: 'green' | 'red' | 'yellow' | 'gray' | 'magenta' }> = {
  enabled: { symbol: '✔', color: 'green' },
  disabled: { symbol: '✘', color: 'red' },
  conditional: { symbol: '◐', color: 'yellow' },
  absent: { symbol: '–', color: 'gray' },
  unknown: { symbol: '?', color: 'magenta' }
};

/** The statuses in the order a legend or a count names them. */
export const STATUS_ORDER: readonly Status[] = ['enabled', 'conditional', 'disabled', 'absent', 'unknown'];

/** "✔", plain. */
export function statusSymbol(status: Status): string {
  return STATUS[status].symbol;
}

/** "✔ enabled", plain. */
export function statusLabel(status: Status): string {
  return `${statusSymbol(status)} ${status}`;
}

/** A configuration's verdict in words: `✔ enabled`, `enabled when X is defined`, or `n/a` where the row does not apply. */
export function verdictWords(v: Pick<ConfigVerdict, 'status' | 'conditionalStatus' | 'condition' | 'applies'>): string {
  if (v.applies === false) return 'n/a';
  return v.status === 'conditional' ? terminalText(`${v.conditionalStatus} ${whenInWords(v.condition ?? '1')}`) : statusLabel(v.status);
}

/** Coloured text in the colour of a status (the text is laid out before it is coloured). */
export function inStatusColor(t: Terminal, status: Status, text: string): string {
  return t.style[STATUS[status].color](text);
}

export const CHANGE: Record<'regressed' | 'improved' | 'changed', { symbol: string; color: 'red' | 'green' | 'yellow' }> = {
  regressed: { symbol: '▼', color: 'red' },
  improved: { symbol: '▲', color: 'green' },
  changed: { symbol: '↻', color: 'yellow' }
};
