// Macros a file defines to a constant (`#define UVM_IS_CONFIG_HMM() 1` under `#if …`, `0` under `#else`), with
// the presence condition of each definition. Inside conditions such a macro can then be replaced by the
// condition under which it is non-zero (see `followMacros`), so that a gate like `UVM_IS_CONFIG_HMM()` reads as
// the Kconfig options and build probes it stands for.
import { and, atomsOf, type Cond, not, or, parseCondition, render, substitute, TRUE } from './condition.js';
import type { Preprocessed } from './preprocess.js';

/**
 * One definition: `name` is `NAME` (object-like) or `NAME()` (function-like without parameters); `value` is the
 * constant it stands for, absent when the body is not a constant (the definition then only tells `defined(NAME)`).
 */
export interface MacroDefinition {
  name: string;
  value?: number;
  line: number;
  /** Canonical presence condition of the definition. */
  condition: string;
}

const DEFINE =
  /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(\([ \t]*\))?[ \t]+\(?[ \t]*(0[xX][0-9a-fA-F]+|\d+)[uUlL]*[ \t]*\)?[ \t]*(?:\/\/.*|\/\*.*?\*\/[ \t]*)?$/;
/** Any object-like definition (for `defined(NAME)`), whatever its body. */
const DEFINE_ANY = /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(?:[ \t]|$)/;

/**
 * Definitions in a preprocessed file (those in branches no build takes are left out): constant ones with their
 * value, other object-like ones without (they decide `defined(NAME)` only). `#undef` is not followed.
 */
export function constantDefinitions(text: string, pre: Preprocessed): MacroDefinition[] {
  if (!text.includes('define')) return [];
  const out: MacroDefinition[] = [];
  // Only the lines that hold `define`, found by searching the text (not by splitting it into every line).
  let i = 0; // 0-based line of `lineStart`
  let lineStart = 0;
  for (let at = text.indexOf('define'), end = 0; at !== -1; at = text.indexOf('define', end)) {
    for (let nl = text.indexOf('\n', lineStart); nl !== -1 && nl < at; nl = text.indexOf('\n', lineStart)) {
      i++;
      lineStart = nl + 1;
    }
    end = text.indexOf('\n', at);
    if (end === -1) end = text.length;
    const line = text.slice(lineStart, end).replace(/\r$/, '');
    const m = DEFINE.exec(line);
    const any = m ? undefined : DEFINE_ANY.exec(line);
    if (!m && !any) continue;
    const condition = render(pre.lineCond[i + 1] ?? TRUE);
    if (condition === '0') continue;
    if (!m) {
      out.push({ name: any![1], line: i + 1, condition });
      continue;
    }
    const value = m[3].startsWith('0x') || m[3].startsWith('0X') ? parseInt(m[3].slice(2), 16) : parseInt(m[3], 10);
    out.push({ name: m[2] ? `${m[1]}()` : m[1], value, line: i + 1, condition });
  }
  return out;
}

/** Where a followed macro's value comes from: its definitions, each with file and line. */
export interface FollowedMacro {
  /** Condition under which the macro is non-zero, or for a `defined(NAME)` atom is defined (canonical text). */
  condition: string;
  definitions: Array<{ file: string; line: number; value?: number; condition: string }>;
}

/**
 * The macros worth following: those defined to constants in every definition the scan saw, keyed by atom
 * (`NAME()` or `NAME`). A macro defined to 1 under `c` and to 0 elsewhere is non-zero exactly when `c` holds.
 */
export function followableMacros(byFile: Record<string, MacroDefinition[]>, wanted: ReadonlySet<string>): Record<string, FollowedMacro> {
  const defs = new Map<string, FollowedMacro['definitions']>();
  for (const file of Object.keys(byFile).sort()) {
    for (const d of byFile[file]) {
      // An atom `NAME`/`NAME()` wants its value; `defined(NAME)` wants every definition of NAME.
      for (const key of [d.name, `defined(${d.name})`]) {
        if (!wanted.has(key)) continue;
        const list = defs.get(key) ?? [];
        list.push({ file, line: d.line, ...(d.value !== undefined ? { value: d.value } : {}), condition: d.condition });
        defs.set(key, list);
      }
    }
  }
  const out: Record<string, FollowedMacro> = {};
  for (const key of [...defs.keys()].sort()) {
    const list = defs.get(key)!;
    const isDefined = key.startsWith('defined(');
    // A value atom is followed only when every definition is a constant.
    if (!isDefined && list.some((d) => d.value === undefined)) continue;
    const holds = or(...list.filter((d) => isDefined || d.value !== 0).map((d) => parseCondition(d.condition)));
    // Where no definition applies the macro is undefined, which in `#if` reads as 0: the or above is right then too.
    out[key] = { condition: render(holds), definitions: list };
  }
  return out;
}

/** Atoms of the given conditions that name a macro, plus, transitively, atoms of the macros' own conditions. */
export function macroAtomsReached(conditions: Iterable<string>, byFile: Record<string, MacroDefinition[]>, limit = 64): Set<string> {
  const definedNames = new Map<string, string[]>();
  const add = (key: string, condition: string): void => {
    const list = definedNames.get(key);
    if (list) list.push(condition);
    else definedNames.set(key, [condition]);
  };
  for (const list of Object.values(byFile)) {
    for (const d of list) {
      if (d.value !== undefined) add(d.name, d.condition);
      if (!d.name.endsWith('()')) add(`defined(${d.name})`, d.condition);
    }
  }
  const wanted = new Set<string>();
  const queue: string[] = [];
  const visit = (text: string): void => {
    for (const a of atomsOf(parseCondition(text))) {
      if (definedNames.has(a) && !wanted.has(a) && wanted.size < limit) {
        wanted.add(a);
        queue.push(...definedNames.get(a)!);
      }
    }
  };
  const seen = new Set<string>();
  const once = (c: string): void => {
    if (seen.has(c)) return;
    seen.add(c);
    visit(c);
  };
  for (const c of conditions) once(c);
  while (queue.length) once(queue.pop()!);
  return wanted;
}

/** Most rounds of replacement: a macro defined through another one is followed this deep. */
const MAX_DEPTH = 8;

/**
 * Replaces every followed macro atom in `c` by the condition under which the macro is non-zero, recursively.
 * `known` values are substituted first at every level, so an assumption about the macro itself wins.
 */
export function followMacros(c: Cond, macros: ReadonlyMap<string, Cond>, known: ReadonlyMap<string, boolean> = new Map()): Cond {
  let cur = substitute(c, known);
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const hits = [...atomsOf(cur)].filter((a) => macros.has(a));
    if (hits.length === 0) return cur;
    cur = replaceAtoms(cur, macros);
    cur = substitute(cur, known);
  }
  return cur;
}

function replaceAtoms(c: Cond, macros: ReadonlyMap<string, Cond>): Cond {
  switch (c.k) {
    case 'const':
      return c;
    case 'lit': {
      const m = macros.get(c.atom);
      if (!m) return c;
      return c.neg ? not(m) : m;
    }
    case 'and':
      return and(...c.xs.map((x) => replaceAtoms(x, macros)));
    case 'or':
      return or(...c.xs.map((x) => replaceAtoms(x, macros)));
  }
}
