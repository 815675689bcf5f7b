// The build conditions Kbuild files give beyond a line's own `$(CONFIG_…)` options: the conditional blocks around
// the line (`ifeq ($(CONFIG_X),y)`, `ifneq ($(CONFIG_X),)`, `ifeq ($(CONFIG_X),m)`, `ifdef CONFIG_X`, `ifndef`,
// `else`, `else ifeq …`, `endif`, nested) and the folder chain (a folder is built only when a build file above it
// lists it: `obj-$(CONFIG_DRM) += drm/`, `subdir-y += sub`).
//
// Every condition here is an over-approximation of make's: what cannot be read as Kconfig options (`ifeq
// ($(ARCH),x86)`, `ifneq ($(KERNELRELEASE),)`, an option the build file assigns itself, a folder no build file
// lists) adds no condition, so a file counts as built unless the options the build files name say otherwise.
// `ifdef CONFIG_X` and a comparison with the empty string are read as `IS_ENABLED(CONFIG_X)` (right for bool and
// tristate options, which are what build files test). Work is bounded: a block's or a folder's condition larger
// than MAX_CONDITION_LITERALS drops what it would add (still an over-approximation), and folders are followed
// only downwards (a build file listing its own folder or one above it adds nothing), at most MAX_FOLDER_DEPTH
// levels deep, so the chain has no cycles.
import path from 'node:path/posix';
import { and, andOf, atom, type Cond, not, or, orOf, sizeOf, TRUE } from '../frontend/condition.js';

/** Most literals a block's or a folder's condition keeps. */
export const MAX_CONDITION_LITERALS = 64;
/** Deepest folder (in path components) whose chain is followed; deeper folders add no condition. */
export const MAX_FOLDER_DEPTH = 64;

const IF = /^(ifeq|ifneq|ifdef|ifndef)(?:\s+|(?=[("']))(.*)$/;
const ELSE = /^else(?:\s+(.*))?$/;
const ENDIF = /^endif(?:\s|$)/;

/** Whether a logical build-file line is a conditional directive (`ifeq`, `ifneq`, `ifdef`, `ifndef`, `else`, `endif`). */
export function isDirective(line: string): boolean {
  const c = line.charCodeAt(0);
  return (c === 105 /* i */ && IF.test(line)) || (c === 101 /* e */ && (ELSE.test(line) || ENDIF.test(line)));
}

/** One line listing objects or folders: the Kconfig options of its variable name, its blocks' condition, its build file's folder. */
export interface Listing {
  options: readonly string[];
  when: Cond;
  dir: string;
}

/** The variables the build files set so far (an option they set is not the .config's). */
export interface Assigned {
  has(name: string): boolean;
}

const enabled = (option: string): Cond => atom(`IS_ENABLED(${option})`);

/** A listing's own condition (without the folder chain). */
export function listingCondition(l: Listing): Cond {
  return l.options.length ? and(andOf(l.options.map(enabled)), l.when) : l.when;
}

/** The two arguments of `ifeq`/`ifneq`: `(a,b)`, `"a" "b"`, `'a' 'b'`; undefined if neither form. */
function comparands(text: string): [string, string] | undefined {
  const t = text.trim();
  if (t.startsWith('(') && t.endsWith(')')) {
    const inner = t.slice(1, -1);
    let depth = 0;
    for (let i = 0; i < inner.length; i++) {
      const ch = inner[i];
      if (ch === '(' || ch === '{') depth++;
      else if (ch === ')' || ch === '}') depth--;
      else if (ch === ',' && depth === 0) return [inner.slice(0, i).trim(), inner.slice(i + 1).trim()];
    }
    return undefined;
  }
  const q = /^(["'])(.*?)\1\s+(["'])(.*?)\3$/.exec(t);
  return q ? [q[2], q[4]] : undefined;
}

const REFS = /^(?:\$\(CONFIG_\w+\)|\$\{CONFIG_\w+\})+$/;

/** `$(CONFIG_A)$(CONFIG_B)` → the options, unless one is not a .config option (the build files assign it). */
function optionRefs(s: string, assigned: Assigned): string[] | undefined {
  if (!REFS.test(s)) return undefined;
  const names = s.match(/CONFIG_\w+/g)!;
  return names.some((n) => assigned.has(n)) ? undefined : names;
}

/** `ifeq (REFS,VALUE)` as options: all empty, or each `y`/`m` in turn; undefined when it is not about options that way. */
function equality(a: string, b: string, assigned: Assigned): Cond | undefined {
  let refs = optionRefs(a, assigned);
  let value = b;
  if (!refs) {
    refs = optionRefs(b, assigned);
    value = a;
  }
  if (!refs || value.includes('$')) return undefined;
  if (value === '') return andOf(refs.map((o) => not(enabled(o))));
  if (value.length !== refs.length || !/^[ym]+$/.test(value)) return undefined;
  return andOf(refs.map((o, i) => atom(`${value[i] === 'y' ? 'IS_BUILTIN' : 'IS_MODULE'}(${o})`)));
}

/** The condition of `ifeq …`/`ifdef …` (the text after the keyword), undefined when it is not about Kconfig options. */
export function directiveCondition(keyword: string, rest: string, assigned: Assigned): Cond | undefined {
  if (keyword === 'ifdef' || keyword === 'ifndef') {
    const name = rest.trim();
    if (!/^CONFIG_\w+$/.test(name) || assigned.has(name)) return undefined;
    return keyword === 'ifdef' ? enabled(name) : not(enabled(name));
  }
  const args = comparands(rest);
  const eq = args && equality(args[0], args[1], assigned);
  return eq && (keyword === 'ifeq' ? eq : not(eq));
}

function bounded(c: Cond, fallback: Cond): Cond {
  return sizeOf(c) > MAX_CONDITION_LITERALS ? fallback : c;
}

/** `base && extra`, or `base` alone when together they could pass MAX_CONDITION_LITERALS (nothing is built then). */
function conjoin(base: Cond, extra: Cond): Cond {
  if (extra.k === 'const' && extra.v) return base;
  if (base.k === 'const' && base.v) return bounded(extra, base);
  return sizeOf(base) + sizeOf(extra) > MAX_CONDITION_LITERALS ? base : and(base, extra);
}

interface Frame {
  /** The condition of the enclosing block. */
  parent: Cond;
  /** The negations of the earlier branches' known conditions. */
  prior: Cond;
  /** The current branch's own condition, undefined when unknown. */
  own: Cond | undefined;
}

/**
 * The conditional blocks of one build file (and the files it includes) as its lines are read in order. Every
 * branch's lines are still read; `when` is the condition of the branch the reader is in.
 */
class Blocks {
  when: Cond = TRUE;
  private readonly stack: Frame[] = [];
  /** How many blocks were open when the file being read began: its `else`/`endif` cannot reach them. */
  private floor = 0;

  /** Handles a directive line; false for any other line. `assigned`: the variables the build files set so far. */
  directive(line: string, assigned: Assigned): boolean {
    const c = line.charCodeAt(0);
    if (c !== 105 && c !== 101) return false;
    const opened = IF.exec(line);
    if (opened) {
      const own = directiveCondition(opened[1], opened[2], assigned);
      this.stack.push({ parent: this.when, prior: TRUE, own });
      this.when = own ? conjoin(this.when, own) : this.when;
      return true;
    }
    if (ENDIF.test(line)) {
      if (this.stack.length > this.floor) this.when = this.stack.pop()!.parent;
      return true;
    }
    const branch = ELSE.exec(line);
    if (!branch) return false;
    if (this.stack.length <= this.floor) return true;
    const top = this.stack[this.stack.length - 1];
    if (top.own) top.prior = conjoin(top.prior, not(top.own));
    const chained = branch[1] ? IF.exec(branch[1]) : null;
    top.own = chained ? directiveCondition(chained[1], chained[2], assigned) : undefined;
    const base = conjoin(top.parent, top.prior);
    this.when = top.own ? conjoin(base, top.own) : base;
    return true;
  }

  /** Starts reading a file (make does not let blocks span files); gives what `leave` needs. */
  enter(): number {
    const outer = this.floor;
    this.floor = this.stack.length;
    return outer;
  }

  /** Ends reading a file: closes the blocks it left open, back to the including file's. */
  leave(outer: number): void {
    while (this.stack.length > this.floor) this.when = this.stack.pop()!.parent;
    this.floor = outer;
  }
}

/** The folders build files list (`obj-$(CONFIG_DRM) += drm/`), and the condition under which each is built. */
export class FolderChain {
  private readonly listed = new Map<string, Listing[]>();
  private readonly memo = new Map<string, Cond>();

  /**
   * Records the folders among a line's words (`dir/` words, or for `subdir-*` any word that is not an object), each
   * with the listing `at` gives for it.
   */
  list(at: (word: string) => Listing, words: readonly string[], subdir: boolean): void {
    for (const w of words) {
      if (subdir ? !w || w.endsWith('.o') : !w.endsWith('/')) continue;
      const l = at(w);
      const target = path.join(l.dir, w.replace(/\/+$/, ''));
      // Only folders below the build file's own: the chain then always goes up, and ends.
      if (l.dir === '.' ? target === '.' || target === '..' || target.startsWith('../') || target.startsWith('/') : !target.startsWith(`${l.dir}/`)) continue;
      const list = this.listed.get(target);
      if (list) list.push(l);
      else this.listed.set(target, [l]);
    }
  }

  /**
   * The condition under which a folder is built: some line listing it holds and the listing build file's folder
   * is built; a folder no build file lists is built when its parent is. The root is always built.
   */
  condition(folder: string): Cond {
    if (folder === '.' || folder === '' || folder.startsWith('..') || folder.split('/').length > MAX_FOLDER_DEPTH) return TRUE;
    let c = this.memo.get(folder);
    if (c) return c;
    const lines = this.listed.get(folder);
    const parent = path.dirname(folder);
    c = lines ? bounded(orOf(lines.map((l) => and(listingCondition(l), this.condition(l.dir)))), TRUE) : this.condition(parent);
    this.memo.set(folder, c);
    return c;
  }
}

/** The variables a value names (`$(NAME)`, `${NAME}`, also inside function calls). */
function referenced(value: string): string[] {
  return [...value.matchAll(/\$[({]([\w.-]+)[)}]/g)].map((r) => r[1]);
}

/** A build file's variables as the reader has them. */
export interface Variables {
  has(name: string): boolean;
  get(name: string): string | undefined;
}

/**
 * The conditions blocks give the words of variables (`ifneq ($(CONFIG_X),)` `FILES += a.o` `endif`, then
 * `foo-y += $(FILES)`), per build file as its lines are read. Only variables assigned inside a block, or from such
 * a variable, are followed; a word of a variable that is not followed, or that a variable got some other way
 * (through a function that changes words, a later change of a recursively expanded variable), adds no condition.
 */
class VariableConditions {
  /** Variable -> the condition of each word it got inside a block (a word not in the map adds no condition). */
  private readonly vars = new Map<string, Map<string, Cond>>();

  constructor(
    private readonly values: Variables,
    private readonly wordsOf: (value: string) => string[]
  ) {}

  /** The variables a value names, when one of them is followed; else undefined. */
  private sources(value: string): string[] | undefined {
    if (!this.vars.size || !value.includes('$')) return undefined;
    const refs = referenced(value);
    return refs.some((r) => this.vars.has(r)) ? refs : undefined;
  }

  /** After an assignment (`raw`: its value as written, `value`: as stored) read under `when`; `prior`: the value before a `+=`. */
  assign(name: string, op: string, raw: string, value: string, prior: string | undefined, when: Cond): void {
    const had = op === '+=' ? this.vars.get(name) : undefined;
    const refs = this.sources(raw);
    if (when.k === 'const' && when.v && !refs && !had) {
      if (this.vars.size) this.vars.delete(name);
      return;
    }
    const map = had ?? new Map<string, Cond>();
    const before = !had && prior ? new Set(this.wordsOf(prior)) : undefined;
    for (const w of this.wordsOf(value)) {
      if (!(w.endsWith('.o') || w.endsWith('/')) || before?.has(w)) continue;
      const extra = refs ? this.wordCondition(refs, w) : TRUE;
      const c = conjoin(when, extra);
      const old = map.get(w);
      map.set(w, old ? bounded(or(old, c), TRUE) : c);
    }
    this.vars.set(name, map);
  }

  /** Each word's listing for a line listing objects or folders: the line's, with what the variables it names give the word. */
  at(line: Listing, raw: string): (word: string) => Listing {
    const refs = this.sources(raw);
    if (!refs) return () => line;
    return (word) => {
      const c = this.wordCondition(refs, word);
      return c.k === 'const' && c.v ? line : { ...line, when: conjoin(line.when, c) };
    };
  }

  /** The condition under which a word of a value naming `refs` is there. */
  private wordCondition(refs: readonly string[], word: string): Cond {
    const conds: Cond[] = [];
    const name = word.replace(/\/+$/, '');
    const stem = name.slice(name.lastIndexOf('/') + 1).replace(/\.o$/, '');
    for (const r of refs) {
      const c = this.vars.get(r)?.get(word);
      if (c) conds.push(c);
      // A variable that may hold the word some other way: the word may be there without a condition.
      else if (this.values.get(r)?.includes(stem)) return TRUE;
    }
    return conds.length ? orOf(conds) : TRUE;
  }
}

/**
 * What reading one build file (with the files it includes) needs for build conditions: its conditional blocks and
 * the conditions they give variables' words. With `follow` false (units need no conditions) it only skips the
 * directives, and every listing is unconditional but for its own options.
 */
export class ConditionReader {
  private readonly blocks = new Blocks();
  private readonly carried: VariableConditions;

  constructor(
    readonly follow: boolean,
    private readonly vars: Variables,
    wordsOf: (value: string) => string[]
  ) {
    this.carried = new VariableConditions(vars, wordsOf);
  }

  /** Reads a directive line (true), or says the line is none (false). */
  directive(line: string): boolean {
    return this.follow ? this.blocks.directive(line, this.vars) : isDirective(line);
  }

  /** Starts reading a build file (or an included one); gives what `leave` needs. */
  enter(): number {
    return this.blocks.enter();
  }

  /** Ends reading a file: its unterminated blocks end with it (make does not let blocks span files). */
  leave(outer: number): void {
    this.blocks.leave(outer);
  }

  /** After an assignment: `raw` its value as written, `value` as stored, `prior` the value before a `+=`. */
  assigned(name: string, op: string, raw: string, value: string, prior: string | undefined): void {
    if (this.follow) this.carried.assign(name, op, raw, value, prior, this.blocks.when);
  }

  /** The listing of each word of a line listing objects or folders (its value as written: `raw`). */
  listing(options: readonly string[], dir: string, raw: string): (word: string) => Listing {
    const line: Listing = { options, when: this.blocks.when, dir };
    return this.follow ? this.carried.at(line, raw) : () => line;
  }
}
