// Macros a file defines (`#define NAME body`, `#define NAME(a, b) body`), and those of the headers it includes (see
// includes.ts), and their expansion, so that a table, a member or a call a macro builds is read as the compiler reads
// it. Expansion is textual and bounded: parameters are substituted (`#x` becomes a string, `a ## b` is pasted), then
// the known macros in the result are expanded again, never a macro inside its own expansion, at most MAX_DEPTH levels and MAX_LENGTH characters.

export interface MacroDef {
  line: number;
  name: string;
  /** Parameter names of a function-like macro (`...` as `__VA_ARGS__`); undefined for an object-like macro. */
  params?: string[];
  body: string;
  /** The header that defines it (a path of the tree); undefined for the scanned file itself. */
  file?: string;
}

const IDENTIFIER = /^\w+$/;
const bodyWords = new WeakMap<MacroDef, Set<string>>();

/** The whole words of a definition's body (maximal runs of word characters). */
function wordsOf(def: MacroDef): Set<string> {
  let set = bodyWords.get(def);
  if (!set) {
    set = new Set(def.body.match(/\w+/g) ?? []);
    bodyWords.set(def, set);
  }
  return set;
}

/** Whether `w` occurs in `text` with no word character just before or after it. */
export function wholeWord(text: string, w: string): boolean {
  for (let at = text.indexOf(w); at !== -1; at = text.indexOf(w, at + 1)) {
    if (!/\w/.test(text[at - 1] ?? '') && !/\w/.test(text[at + w.length] ?? '')) return true;
  }
  return false;
}

const MAX_DEPTH = 8;
const MAX_LENGTH = 20_000;

/** A `#define` directive's text after `define` (whitespace folded), as a macro; undefined when malformed. */
export function parseDefine(rest: string, line: number): MacroDef | undefined {
  const m = /^([A-Za-z_]\w*)(\(([^)]*)\))?\s*(.*)$/.exec(rest);
  if (!m) return undefined;
  const params =
    m[2] === undefined
      ? undefined
      : m[3]
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean)
          .map((p) => (p === '...' ? '__VA_ARGS__' : p));
  return { line, name: m[1], params, body: m[4].trim() };
}

/** Splits the text inside a call's parentheses into its top-level arguments. */
export function splitArguments(inner: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let from = 0;
  let quote = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      args.push(inner.slice(from, i).trim());
      from = i + 1;
    }
  }
  const last = inner.slice(from).trim();
  if (last || args.length) args.push(last);
  return args;
}

function substitute(def: MacroDef, args: string[]): string {
  const params = def.params ?? [];
  const value = (name: string): string | undefined => {
    if (name === '__VA_ARGS__') return args.slice(params.length - 1).join(', ');
    const i = params.indexOf(name);
    return i === -1 ? undefined : (args[i] ?? '');
  };
  return def.body
    .replace(/#\s*([A-Za-z_]\w*)/g, (all, name: string) => {
      const v = value(name);
      return v === undefined || all.startsWith('##') ? all : JSON.stringify(v);
    })
    .replace(/[A-Za-z_]\w*/g, (name) => value(name) ?? name)
    .replace(/\s*##\s*/g, '');
}

/** Where a call's parentheses close in `text` (the index of `)`), from the index of `(`; -1 when unbalanced. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

export class Macros {
  private readonly byName = new Map<string, MacroDef>();
  private readonly elsewhere = new Map<string, MacroDef | undefined>();
  private readonly candidates: MacroDef[];

  /**
   * `defs`: the file's definitions; `more`: the first definition of a name the file does not define, in the headers it
   * includes (asked once per name); `mentioning`: header definitions worth trying in `mentioning()` (those of headers
   * that hold one of the words it is asked about).
   */
  constructor(
    defs: readonly MacroDef[],
    private readonly more?: (name: string) => MacroDef | undefined,
    mentioning: readonly MacroDef[] = []
  ) {
    // The first definition of a name is used (a later one under another #if branch reads the same in most trees).
    for (const d of defs) if (!this.byName.has(d.name)) this.byName.set(d.name, d);
    this.candidates = mentioning.filter((d) => !this.byName.has(d.name));
  }

  get(name: string): MacroDef | undefined {
    const d = this.byName.get(name);
    if (d || !this.more) return d;
    if (!this.elsewhere.has(name)) this.elsewhere.set(name, this.more(name));
    return this.elsewhere.get(name);
  }

  /** Definitions known without asking the headers: the file's, and the header definitions given for mentioning(). */
  get size(): number {
    return this.byName.size + this.candidates.length;
  }

  /** The text with the known macros expanded; undefined when a limit is hit. */
  expand(text: string, active: ReadonlySet<string> = new Set(), depth = 0): string | undefined {
    if (depth > MAX_DEPTH || text.length > MAX_LENGTH) return undefined;
    let out = '';
    let from = 0;
    const word = /[A-Za-z_]\w*|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g;
    for (let m = word.exec(text); m; m = word.exec(text)) {
      const def = this.get(m[0]);
      if (!def || active.has(def.name)) continue;
      let end = m.index + m[0].length;
      let replacement: string;
      if (def.params) {
        const open = /^\s*\(/.exec(text.slice(end));
        if (!open) continue; // a function-like macro's name without arguments is not expanded
        const at = end + open[0].length - 1;
        const close = closing(text, at);
        if (close === -1) return undefined;
        replacement = substitute(def, splitArguments(text.slice(at + 1, close)));
        end = close + 1;
      } else replacement = def.body;
      const inner = this.expand(replacement, new Set([...active, def.name]), depth + 1);
      if (inner === undefined) return undefined;
      out += `${text.slice(from, m.index)}${inner}`;
      from = end;
      word.lastIndex = end;
      if (out.length > MAX_LENGTH) return undefined;
    }
    return out + text.slice(from);
  }

  /** Where a header's macro is defined (`path:line`), for the evidence; undefined for a macro of the file itself. */
  definedAt(name: string): string | undefined {
    const d = this.get(name);
    return d?.file === undefined ? undefined : `${d.file}:${d.line}`;
  }

  /**
   * Names of the macros whose expansion mentions one of `words` (as a whole word), with the words each mentions:
   * a use of such a macro in code stands for those words. A macro counts when its body mentions a word or a macro
   * that does (a few levels deep).
   */
  mentioning(words: readonly string[]): Map<string, string[]> {
    const out = new Map<string, string[]>();
    if (words.length === 0 || this.size === 0) return out;
    // The file's definitions, then the headers' given for this. A header's definition counts only where it is the one
    // a use of its name gets (the first in header order): asked only of a definition that would count for something
    // (finding that out reads the headers before its own; most definitions mention none of the words).
    const fileDefs = this.byName.size;
    const defs = [...this.byName.values(), ...this.candidates];
    const counted = new Map<MacroDef, boolean>();
    const counts = (def: MacroDef, k: number): boolean => {
      if (k < fileDefs) return true;
      let yes = counted.get(def);
      if (yes === undefined) counted.set(def, (yes = this.get(def.name) === def));
      return yes;
    };
    // Whole words of a body, as the set of its maximal runs of word characters (kept per definition: a header's
    // definitions are shared by every file that includes it); other words are searched for in the text.
    const mentions = (def: MacroDef, w: string): boolean => (IDENTIFIER.test(w) ? wordsOf(def).has(w) : wholeWord(def.body, w));
    // Only the words some body holds at all (one search each, not one per definition: a file and its headers
    // define hundreds of macros, and most mention none of the words). A word only a definition that does not count
    // holds is found in no definition that does.
    const bodies = defs.map((d) => d.body).join('\n');
    const held = words.filter((w) => bodies.includes(w));
    if (held.length === 0) return out;
    for (let k = 0; k < defs.length; k++) {
      const found = held.filter((w) => mentions(defs[k], w));
      if (found.length && counts(defs[k], k)) out.set(defs[k].name, found);
    }
    for (let round = 0; round < 3 && out.size; round++) {
      let grew = false;
      for (let k = 0; k < defs.length; k++) {
        const def = defs[k];
        const own = wordsOf(def);
        for (const [name, found] of [...out]) {
          if (name === def.name || !own.has(name) || !counts(def, k)) continue;
          const mine = out.get(def.name) ?? [];
          const more = found.filter((w) => !mine.includes(w));
          if (more.length) {
            out.set(def.name, [...mine, ...more]);
            grew = true;
          }
        }
      }
      if (!grew) break;
    }
    return out;
  }
}
