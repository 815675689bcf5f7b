// Chooses what of a file the C parser needs to see. Every fact comes from one top-level item (a function
// definition, a declaration, a table initializer, a typedef, a top-level macro call), so only the items that
// contain an anchor are parsed; every other item is replaced by its line breaks alone, so line numbers and the
// enclosing function of every node stay what they are in the whole file (columns on an item's first line may
// shift; no rule uses them), and the parser does not read the text that was left out.
//
// Items end at a `;` at brace depth 0, or at the `}` that closes a function body (a `{` preceded by `)`). The text
// has comments and directives blanked already; string and character literals are skipped. Unbalanced braces (both
// branches of an `#if` opening one) only make items larger, never cut one.

const OPEN = 123; // {
const CLOSE = 125; // }
const RPAREN = 41; // )
const DQ = 34;
const SQ = 39;
const BS = 92;

/** Whether a char code is white space between tokens. */
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * Offsets where top-level items end (exclusive), in order; the last item ends at the end of the text. A regular
 * expression jumps from one brace, semicolon or quote to the next (`test` with a global expression moves
 * `lastIndex` without building a match): native scanning instead of a loop over every character, which matters
 * because a scan runs this on a few dozen files, mostly before the loop would have been optimised.
 */
export function itemEnds(text: string): number[] {
  const ends: number[] = [];
  const next = /["'{};]/g;
  let depth = 0;
  let bodyOpened = false; // the depth-1 brace opened a function body
  let literalEnd = -1; // where the last string or character literal ended (its closing quote, or the line break)
  while (next.test(text)) {
    const i = next.lastIndex - 1;
    const c = text.charCodeAt(i);
    if (c === DQ || c === SQ) {
      let j = i + 1;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if (d === BS) j += 2;
        else if (d === c || d === 10) break;
        else j++;
      }
      literalEnd = j;
      next.lastIndex = j + 1;
      if (j + 1 >= text.length) break;
    } else if (c === OPEN) {
      if (depth === 0) {
        // The last character before it outside white space; a literal counts as its quote (never a parenthesis).
        let k = i - 1;
        while (k > literalEnd && isSpace(text.charCodeAt(k))) k--;
        bodyOpened = k > literalEnd && text.charCodeAt(k) === RPAREN;
      }
      depth++;
    } else if (c === CLOSE) {
      depth = Math.max(0, depth - 1);
      if (depth === 0 && bodyOpened) {
        ends.push(i + 1);
        bodyOpened = false;
      }
    } else if (depth === 0) {
      ends.push(i + 1); // a semicolon at the top level
    }
  }
  return ends;
}

/** The item ends of a text, the last item running to its end. */
function itemEndsToEnd(text: string): number[] {
  const ends = itemEnds(text);
  if (ends.length === 0 || ends[ends.length - 1] < text.length) ends.push(text.length);
  return ends;
}

/** The index of the item that holds `offset` (binary search over the item ends). */
function itemIndexAt(ends: readonly number[], offset: number): number {
  let lo = 0;
  let hi = ends.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid] > offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The line breaks of text[from, to), standing in for it. */
function lineBreaks(text: string, from: number, to: number): string {
  let n = 0;
  for (let nl = text.indexOf('\n', from); nl !== -1 && nl < to; nl = text.indexOf('\n', nl + 1)) n++;
  return '\n'.repeat(n);
}

export interface Selection {
  text: string;
  /** Items kept for parsing, and items in the file. */
  kept: number;
  items: number;
}

/**
 * Keeps the items where an anchor occurs (`anchors`: the offsets of each anchor in `text`, found by the caller in
 * one pass), and the items that mention the name of a table declared in a kept item (`struct TYPE NAME = {`, TYPE
 * one of `tableTypes`): where its address is taken.
 */
export function selectItems(text: string, anchors: ReadonlyMap<string, readonly number[]>, tableTypes: string[]): Selection {
  const ends = itemEndsToEnd(text);
  const starts = [0, ...ends.slice(0, -1)];
  const keep = new Uint8Array(ends.length);
  const itemAt = (offset: number): number => itemIndexAt(ends, offset);
  for (const offsets of anchors.values()) for (const at of offsets) keep[itemAt(at)] = 1;
  /** Keeps the items where `name` occurs as a whole word. */
  const markWord = (name: string): void => {
    for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + name.length)) {
      if (/\w/.test(text[at - 1] ?? '') || /\w/.test(text[at + name.length] ?? '')) continue;
      keep[itemAt(at)] = 1;
    }
  };
  if (tableTypes.length) {
    const decl = new RegExp(`\\bstruct\\s+(?:${tableTypes.join('|')})\\s+(\\w+)\\s*(?:\\[[^\\]]*\\]\\s*)?=`, 'g');
    const names = new Set<string>();
    for (let i = 0; i < ends.length; i++) {
      if (!keep[i]) continue;
      for (const m of text.slice(starts[i], ends[i]).matchAll(decl)) names.add(m[1]);
    }
    for (const name of names) markWord(name);
  }
  let kept = 0;
  for (const k of keep) kept += k;
  if (kept === ends.length) return { text, kept, items: ends.length };
  const parts: string[] = [];
  for (let i = 0; i < ends.length; i++) {
    parts.push(keep[i] ? text.slice(starts[i], ends[i]) : lineBreaks(text, starts[i], ends[i]));
  }
  return { text: parts.join(''), kept, items: ends.length };
}

/**
 * The name of the function a top-level item defines: the last identifier followed by `(` at parenthesis depth 0
 * before the body's `{`, when that head ends in `)`; '' for any other item (a declaration, a table, a macro call).
 */
export function definedFunction(item: string): string {
  const open = item.indexOf('{');
  if (open === -1) return '';
  const head = item.slice(0, open).trimEnd();
  if (!head.endsWith(')')) return '';
  let depth = 0;
  let name = '';
  const token = /[A-Za-z_]\w*|[()]/g;
  for (let m = token.exec(head); m; m = token.exec(head)) {
    if (m[0] === '(') {
      if (depth === 0) {
        const before = /([A-Za-z_]\w*)\s*$/.exec(head.slice(0, m.index));
        if (before) name = before[1];
      }
      depth++;
    } else if (m[0] === ')') depth = Math.max(0, depth - 1);
  }
  return name;
}

/**
 * For a text with comments and directives blanked: the function whose top-level item holds each 1-based line
 * (a comment between two functions belongs to the item that follows it, the function it introduces).
 */
export function functionsByLine(blanked: string): (line: number) => string {
  const ends = itemEndsToEnd(blanked);
  // Named on first use: a file has a few markers and hundreds of items.
  const names = new Map<number, string>();
  const nameOf = (i: number): string => {
    let n = names.get(i);
    if (n === undefined) {
      n = definedFunction(blanked.slice(i === 0 ? 0 : ends[i - 1], ends[i]));
      names.set(i, n);
    }
    return n;
  };
  const lineStarts = [0];
  for (let nl = blanked.indexOf('\n'); nl !== -1; nl = blanked.indexOf('\n', nl + 1)) lineStarts.push(nl + 1);
  return (line) => {
    const offset = lineStarts[Math.min(Math.max(line - 1, 0), lineStarts.length - 1)];
    return nameOf(itemIndexAt(ends, offset));
  };
}
