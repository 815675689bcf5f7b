// The headers a file includes, found in the scanned tree, and the macros they define: so that a table, a member or a
// call built by a macro of an included header is read as the compiler reads it (see macros.ts).
//
// Where an include is looked for (the search rule; a path that leaves the tree is never found):
//   `#include "p"` — first the folder of the file that holds the directive (the unit file or a header), then as <p>;
//   `#include <p>` — the scanned file's own folder, then for each of its folders from the nearest up to the tree's
//                    root, A/include/p and A/include/uapi/p (so `include/`, `arch/X/include/` for a file under
//                    arch/X/, and a driver's own `include/` folder, e.g. drivers/gpu/drm/amd/include/).
// The first candidate that is a file of the tree (listed by the scan, not left out by its excludes) is the header.
// Headers are read breadth first (the file's includes in order, then theirs), each once (an include cycle ends
// there), at most MAX_INCLUDE_DEPTH levels deep, MAX_HEADERS headers and MAX_HEADER_BYTES bytes per scanned file;
// what is past a limit is not read and the limit is said where a macro that was needed is not found. Every `#include`
// line is followed whatever `#if` branch holds it; an include named by a macro (`#include FOO_H`) is not. The scan
// reads headers only for a file a rule reading the syntax tree has an anchor in, and takes a header's definitions
// apart only when a name the file does not define is looked up and the header's text holds it, or when the header
// holds a function a call rule looks for (scan-file.ts).
//
// Which definition counts: the file's own first, then the headers' in the order they were read; the first
// definition of a name wins, as for one file (macros.ts): a macro defined differently under `#ifdef` branches of a
// header is read with its first definition, and a fact it builds takes the presence condition of the line that uses
// it (not of the #define).
import { type MacroDef, wholeWord } from './macros.js';
import { definesOfText } from './preprocess.js';

export const MAX_INCLUDE_DEPTH = 4;
export const MAX_HEADERS = 32;
export const MAX_HEADER_BYTES = 4 * 1024 * 1024;

export interface Include {
  line: number;
  path: string;
  angled: boolean;
}

/** An include directive at the start of a line (`^` of a multiline regular expression: after LF, CR, U+2028 or U+2029). */
const INCLUDE_AT = /[ \t]*#[ \t]*include[ \t]*(?:"([^"\n]+)"|<([^>\n]+)>)/y;

/** Whether a char code ends a line for `^` of a multiline regular expression. */
function endsLine(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/**
 * The `#include "p"` and `#include <p>` directives of a text, in order (an include built by a macro is not read): the
 * matches of INCLUDE_AT at line starts, searched for where the word `include` occurs (not at every line start).
 */
export function includesOf(text: string): Include[] {
  const out: Include[] = [];
  let line = 1;
  let from = 0; // the start of `line` (LF only counts lines)
  let resume = 0; // where the last match ended: no match starts before it
  let previous = -1; // the last occurrence of the word
  let previousStart = 0; // the start of its line
  for (let at = text.indexOf('include'); at !== -1; at = text.indexOf('include', at + 1)) {
    // The start of the line holding `at`, looked for back to the previous occurrence (then it is on the same line).
    const low = previous + 1;
    let start = at;
    while (start > low && !endsLine(text.charCodeAt(start - 1))) start--;
    if (start === low && low > 0) start = previousStart;
    const tried = previous !== -1 && start === previousStart;
    previous = at;
    previousStart = start;
    if (tried || start < resume) continue;
    INCLUDE_AT.lastIndex = start;
    const m = INCLUDE_AT.exec(text);
    if (!m) continue;
    resume = INCLUDE_AT.lastIndex;
    for (let nl = text.indexOf('\n', from); nl !== -1 && nl < start; nl = text.indexOf('\n', nl + 1)) {
      line++;
      from = nl + 1;
    }
    out.push({ line, path: (m[1] ?? m[2]).trim(), angled: m[1] === undefined });
  }
  return out;
}

function folderOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash === -1 ? '' : file.slice(0, slash);
}

/** `folder/rel` with `.` and `..` resolved; undefined when it leaves the tree. */
function join(folder: string, rel: string): string | undefined {
  const parts = folder ? folder.split('/') : [];
  for (const p of rel.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(p);
  }
  return parts.length ? parts.join('/') : undefined;
}

/** The paths an include is looked for at, in order (see the search rule above). */
export function includeCandidates(inc: Include, from: string, unit: string): readonly string[] {
  // Every file of a folder asks the same questions (NVIDIA's uvm: hundreds of files, each with dozens of includes).
  const key = `${inc.angled ? '<' : '"'}${inc.path}\u0000${inc.angled ? '' : folderOf(from)}\u0000${folderOf(unit)}`;
  let out = candidatesMemo.get(key);
  if (!out) {
    if (candidatesMemo.size >= MAX_MEMO) candidatesMemo.clear();
    out = candidatesOf(inc, from, unit);
    candidatesMemo.set(key, out);
  }
  return out;
}

const candidatesMemo = new Map<string, readonly string[]>();
const MAX_MEMO = 20000;

function candidatesOf(inc: Include, from: string, unit: string): string[] {
  const out: string[] = [];
  const add = (folder: string, rel: string): void => {
    const p = join(folder, rel);
    if (p !== undefined && !out.includes(p)) out.push(p);
  };
  if (!inc.angled) add(folderOf(from), inc.path);
  let folder = folderOf(unit);
  add(folder, inc.path);
  for (;;) {
    add(folder, `include/${inc.path}`);
    add(folder, `include/uapi/${inc.path}`);
    if (folder === '') break;
    folder = folderOf(folder);
  }
  return out;
}

/** A header as the scan reads it: its content id (the key of cached results) and text. */
export interface HeaderFile {
  id: string;
  text: string;
}

/** A header's includes, and its definitions once asked for (read once per tree and thread). */
export interface HeaderInfo extends HeaderFile {
  path: string;
  includes: Include[];
  defines?: MacroDef[];
  /** Answers about the header worked out once (by the scan: whether it holds a rule set's anchors). */
  memo?: Map<object, boolean>;
  /** Whether the text holds a name as a whole word, per name asked about. */
  words?: Map<string, boolean>;
}

export function headerInfo(path: string, file: HeaderFile): HeaderInfo {
  return { ...file, path, includes: includesOf(file.text) };
}

/** The header's definitions (carrying its path), taken apart on first use. */
function definesOf(h: HeaderInfo): MacroDef[] {
  h.defines ??= h.text.includes('define') ? definesOfText(h.text).map((d) => ({ ...d, file: h.path })) : [];
  return h.defines;
}

function hasWord(h: HeaderInfo, w: string): boolean {
  // Answered once per header and name: files of a tree share headers and ask about the same names (every one their
  // macros use and do not define), and searching the text again for each cost more than the rest of the header work.
  h.words ??= new Map();
  let yes = h.words.get(w);
  if (yes === undefined) {
    yes = wholeWord(h.text, w);
    h.words.set(w, yes);
  }
  return yes;
}

export interface IncludedMacros {
  /** The headers read, in the order their definitions count (after the file's own). */
  headers: HeaderInfo[];
  /** Every path looked at, with the content id of the file found there ('' where there was none), in order. */
  probed: Array<[string, string]>;
  /** Includes found in no candidate path (`"p"` or `<p>`, as written), in order. */
  missing: string[];
  /** The limit that stopped the reading, when one did. */
  limit?: string;
}

/**
 * The first definition of `name` in the headers, in their order. Only headers whose text holds the name as a word
 * are taken apart (most headers never are).
 */
export function headerDefinition(inc: IncludedMacros, name: string): MacroDef | undefined {
  for (const h of inc.headers) {
    if (!hasWord(h, name)) continue;
    const d = definesOf(h).find((x) => x.name === name);
    if (d) return d;
  }
  return undefined;
}

/**
 * Definitions of the headers that hold one of the words asked about (`holds` tells, once per header), then, a few
 * rounds, of those that name a macro `follow` picks among the definitions so far (a macro calling one that mentions
 * the word: `#define A(x) B(x)` in one header, `#define B(x) hmm_range_fault(x)` in another).
 */
export function headerDefinitionsMentioning(inc: IncludedMacros, holds: (h: HeaderInfo) => boolean, follow: (defs: MacroDef[]) => string[]): MacroDef[] {
  const chosen = inc.headers.filter(holds);
  let defs = chosen.flatMap(definesOf);
  for (let round = 0; round < 2 && defs.length; round++) {
    const names = follow(defs);
    const more = inc.headers.filter((h) => !chosen.includes(h) && names.some((n) => hasWord(h, n)));
    if (!more.length) break;
    chosen.push(...more);
    defs = [...defs, ...more.flatMap(definesOf)];
  }
  return defs;
}

/**
 * Reads the header at a path of the tree (undefined where there is none): the answer itself once it is known, so that
 * the files of a tree, which walk the same headers again and again, do not wait a turn for each.
 */
export type HeaderLookup = (path: string) => HeaderInfo | undefined | Promise<HeaderInfo | undefined>;

/** The headers `unit` includes (see the rules above); `info` reads one header (cached by the caller). */
export async function includedMacros(unit: string, includes: Include[], info: HeaderLookup): Promise<IncludedMacros> {
  const out: IncludedMacros = { headers: [], probed: [], missing: [] };
  const seen = new Set<string>([unit]);
  const probed = new Set<string>();
  let bytes = 0;
  let level: Array<{ from: string; inc: Include }> = includes.map((inc) => ({ from: unit, inc }));
  for (let depth = 1; level.length; depth++) {
    const next: typeof level = [];
    for (const { from, inc } of level) {
      let header: HeaderInfo | undefined;
      for (const candidate of includeCandidates(inc, from, unit)) {
        const found = info(candidate);
        header = found instanceof Promise ? await found : found;
        if (!probed.has(candidate)) {
          probed.add(candidate);
          out.probed.push([candidate, header?.id ?? '']);
        }
        if (header) break;
      }
      if (!header) {
        const written = inc.angled ? `<${inc.path}>` : `"${inc.path}"`;
        if (!out.missing.includes(written)) out.missing.push(written);
        continue;
      }
      if (seen.has(header.path)) continue; // read already (an include cycle ends here)
      if (depth > MAX_INCLUDE_DEPTH) {
        out.limit = `${header.path} is included more than ${MAX_INCLUDE_DEPTH} levels deep (limit): it and the headers after it were not read`;
        return out;
      }
      if (out.headers.length >= MAX_HEADERS || bytes + header.text.length > MAX_HEADER_BYTES) {
        out.limit = `more than ${MAX_HEADERS} headers or ${MAX_HEADER_BYTES} bytes of headers (limit): ${header.path} and the headers after it were not read`;
        return out;
      }
      seen.add(header.path);
      bytes += header.text.length;
      out.headers.push(header);
      for (const i of header.includes) next.push({ from: header.path, inc: i });
    }
    level = next;
  }
  return out;
}
