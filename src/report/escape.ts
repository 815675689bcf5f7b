// Escaping for text that comes from scanned code or documentation. In markdown it must not break a
// table (pipes, newlines), open code spans or HTML, format text, or notify anyone (@mentions); on a terminal it
// must not send control sequences.
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
  '!': '&#33;'
};

/** Escapes text for a markdown table cell or paragraph; newlines become spaces. */
export function escapeText(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[&<>|`*[\]~\\#!]/g, (c) => ENTITIES[c])
    // `_` only formats at a word boundary (`_x_`); inside identifiers it is left readable.
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, ENTITIES._)
    .replace(/@/g, '@\u200b'); // a zero-width space after @ stops GitHub from treating it as a mention
}

/** Escaped text shown as code. */
export function code(text: string): string {
  return `<code>${escapeText(text)}</code>`;
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
