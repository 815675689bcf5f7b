// The one escaping path for text that lands in markdown, whatever its origin (scanned code, documentation, a
// snapshot from another run, a profile): it must not break a table (pipes, newlines), open code spans or HTML,
// format text, link anywhere, notify anyone or reorder what is shown. GitHub links @mentions, #123 / GH-123
// references and bare URLs in the rendered text, after HTML entities are decoded, so for those an entity is not
// enough: a zero-width space is put inside them.
// On a terminal (terminalText) it must not send control sequences.
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '|': '&#124;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '~': '&#126;',
  '\\': '&#92;',
  '#': '&#35;',
  '!': '&#33;',
  $: '&#36;'
};

const ZWSP = '\u200b';

/**
 * Everything escaped, in one pass: newlines (they become spaces, keeping table rows whole); bidirectional controls
 * (they make text read differently from what it is: shown as their code point); references GitHub links (#123,
 * also owner/repo#123, and GH-123); bare URLs (scheme:// and www.); markdown and HTML syntax; `_` only at a word
 * boundary (`_x_` formats, inside identifiers it is left readable); and @ (mentions).
 */
const UNSAFE =
  /\r\n|[\r\n]|[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\bGH-(?=[0-9])|:\/\/|\bwww\.|[&<>|`*[\]~\\#!$@]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/gi;

/**
 * Text of at most `max` UTF-16 code units (never half a surrogate pair), and how many were left out. Cut before
 * escaping, so no entity is ever cut.
 */
export function cutText(text: string, max: number): { text: string; cut: number } {
  if (text.length <= max) return { text, cut: 0 };
  let end = Math.max(0, max);
  if (end > 0 && /[\ud800-\udbff]/.test(text[end - 1])) end--;
  return { text: text.slice(0, end), cut: text.length - end };
}

/** How long a text may be before it is cut (an object, so `list.map(escapeText)` cannot pass an index as one). */
export interface Cut {
  max: number;
}

/**
 * Escapes text for a markdown table cell or paragraph; newlines become spaces. With `limit`, longer text is cut to
 * that many characters and says so.
 */
export function escapeText(text: string, limit?: Cut): string {
  const { text: kept, cut } = limit === undefined ? { text, cut: 0 } : cutText(text, limit.max);
  const escaped = kept.replace(UNSAFE, (m: string, at: number) => {
    if (m === '#') return /[0-9]/.test(kept[at + 1] ?? '') ? `&#35;${ZWSP}` : '&#35;'; // #123 and owner/repo#123
    if (m.length === 1) {
      const entity = ENTITIES[m];
      if (entity) return entity;
      if (m === '@') return `@${ZWSP}`; // a zero-width space after @ stops GitHub from treating it as a mention
      if (m === '\n' || m === '\r') return ' ';
      return `&lt;U+${m.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}&gt;`; // a bidi control
    }
    if (m === '\r\n') return ' ';
    if (m === '://') return `:${ZWSP}//`;
    if (m.endsWith('-')) return `${m}${ZWSP}`; // GH-123
    return `${m.slice(0, 3)}${ZWSP}.`; // www.
  });
  return cut ? `${escaped} … (${cut} more characters cut)` : escaped;
}

/** Escaped text shown as code. */
export function code(text: string, limit?: Cut): string {
  return `<code>${escapeText(text, limit)}</code>`;
}

/** A number as text, printed from the number itself (anything else, which validation keeps out, shows as `?`). */
export function num(n: unknown): string {
  return typeof n === 'number' && Number.isFinite(n) ? String(n) : '?';
}

/** `table[key]` for an own property only (never `constructor` or another prototype member). */
export function own<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * Text from scanned code or a snapshot for a terminal: control characters (escape sequences could move the
 * cursor, retitle the window or fake a hyperlink) and bidirectional overrides (which could reorder what is read)
 * become U+FFFD; tabs and line breaks become spaces.
 */
export function terminalText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
  return text.replace(/\r\n|[\r\n\t]/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '\ufffd');
}
