// Presence conditions: boolean formulas over preprocessor atoms.
//
// An atom is a normalised piece of a `#if` expression that hmm-watch cannot decide by itself: `defined(X)`,
// a bare macro `X`, a function-like macro `UVM_IS_CONFIG_HMM()`, or a comparison such as
// `LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)`. Formulas are kept in negation normal form with flattened,
// sorted, de-duplicated operands, so that one condition has one canonical text (used as identity in snapshots)
// and that text parses back to the same formula.
//
// Work is bounded on any input: an expression longer than MAX_EXPR_TOKENS tokens or nested deeper than
// MAX_PAREN_DEPTH parentheses becomes one opaque atom named by a hash of its text (`opaqueAtom`), so distinct
// expressions stay distinct and `#if X … #else` still gives complementary conditions; the recursive functions
// below therefore never go deeper than about MAX_PAREN_DEPTH levels. Decisions stop at MAX_DECIDE_WORK.
import { createHash } from 'node:crypto';

export type Cond =
  | { readonly k: 'const'; readonly v: boolean }
  | { readonly k: 'lit'; readonly atom: string; readonly neg: boolean }
  | { readonly k: 'and' | 'or'; readonly xs: readonly Cond[] };

export const TRUE: Cond = { k: 'const', v: true };
export const FALSE: Cond = { k: 'const', v: false };

export function atom(text: string): Cond {
  return { k: 'lit', atom: text, neg: false };
}

export function not(c: Cond): Cond {
  switch (c.k) {
    case 'const':
      return c.v ? FALSE : TRUE;
    case 'lit':
      return { k: 'lit', atom: c.atom, neg: !c.neg };
    case 'and':
      return orOf(c.xs.map(not));
    case 'or':
      return andOf(c.xs.map(not));
  }
}

function combine(kind: 'and' | 'or', operands: readonly Cond[]): Cond {
  const absorbing = kind !== 'and'; // and: false absorbs; or: true absorbs
  const flat: Cond[] = [];
  for (const x of operands) {
    if (x.k === 'const') {
      if (x.v === absorbing) return x;
      continue; // neutral element
    }
    if (x.k === kind) flat.push(...x.xs);
    else flat.push(x);
  }
  const byText = new Map<string, Cond>();
  for (const x of flat) byText.set(render(x), x);
  // x && !x is false, x || !x is true (for literals)
  for (const x of byText.values()) {
    if (x.k === 'lit' && byText.has(renderAtom(x.atom, !x.neg))) {
      return absorbing ? TRUE : FALSE;
    }
  }
  const xs = [...byText.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);
  if (xs.length === 0) return absorbing ? FALSE : TRUE;
  if (xs.length === 1) return xs[0];
  return { k: kind, xs };
}

export function and(...cs: Cond[]): Cond {
  return combine('and', cs);
}

export function or(...cs: Cond[]): Cond {
  return combine('or', cs);
}

/** `and` of a list of any length (spreading a long list into arguments overflows the stack). */
export function andOf(cs: readonly Cond[]): Cond {
  return combine('and', cs);
}

/** `or` of a list of any length. */
export function orOf(cs: readonly Cond[]): Cond {
  return combine('or', cs);
}

const sizes = new WeakMap<Cond, number>();

/** Number of literals in a condition (its size as rendered, roughly). */
export function sizeOf(c: Cond): number {
  if (c.k === 'const') return 0;
  if (c.k === 'lit') return 1;
  let n = sizes.get(c);
  if (n === undefined) {
    n = 0;
    for (const x of c.xs) n += sizeOf(x);
    sizes.set(c, n);
  }
  return n;
}

/**
 * An atom standing for a text too large to keep as a formula: `HMM_WATCH_OPAQUE(<16 hex digits of its sha256>)`.
 * The same text gives the same atom; its negation is that atom negated.
 */
export function opaqueAtom(text: string): Cond {
  return atom(`HMM_WATCH_OPAQUE(${createHash('sha256').update(text).digest('hex').slice(0, 16)})`);
}

function renderAtom(a: string, neg: boolean): string {
  if (!neg) return a;
  return /^[A-Za-z_]\w*(\([^()]*\))?$/.test(a) ? `!${a}` : `!(${a})`;
}

/** Rendered texts by condition: conditions are never changed once built, and `combine` renders each it meets. */
const rendered = new WeakMap<Cond, string>();

/** Canonical text; parses back to the same formula. `1` is true, `0` is false. */
export function render(c: Cond): string {
  if (c.k === 'const') return c.v ? '1' : '0';
  let text = rendered.get(c);
  if (text === undefined) rendered.set(c, (text = renderNew(c)));
  return text;
}

function renderNew(c: Cond): string {
  switch (c.k) {
    case 'const':
      return c.v ? '1' : '0';
    case 'lit':
      return renderAtom(c.atom, c.neg);
    case 'and':
      return c.xs.map((x) => (x.k === 'or' ? `(${render(x)})` : render(x))).join(' && ');
    case 'or':
      return c.xs.map((x) => (x.k === 'and' ? `(${render(x)})` : render(x))).join(' || ');
  }
}

export function atomsOf(c: Cond, into: Set<string> = new Set()): Set<string> {
  if (c.k === 'lit') into.add(c.atom);
  else if (c.k === 'and' || c.k === 'or') for (const x of c.xs) atomsOf(x, into);
  return into;
}

/** Replaces atoms whose value is known and simplifies. */
export function substitute(c: Cond, known: ReadonlyMap<string, boolean>): Cond {
  switch (c.k) {
    case 'const':
      return c;
    case 'lit': {
      const v = known.get(c.atom);
      if (v === undefined) return c;
      return v !== c.neg ? TRUE : FALSE;
    }
    case 'and':
      return andOf(c.xs.map((x) => substitute(x, known)));
    case 'or':
      return orOf(c.xs.map((x) => substitute(x, known)));
  }
}

/** The value of a condition when every atom's value is given. */
export function evaluate(c: Cond, env: ReadonlyMap<string, boolean>): boolean {
  switch (c.k) {
    case 'const':
      return c.v;
    case 'lit':
      return env.get(c.atom)! !== c.neg;
    case 'and':
      return c.xs.every((x) => evaluate(x, env));
    case 'or':
      return c.xs.some((x) => evaluate(x, env));
  }
}

/** Most atoms a truth-table check enumerates; past it, the answer is "unknown". */
export const MAX_DECIDABLE_ATOMS = 16;

/** Most literal evaluations a truth-table check may make (2^atoms × literals); past it, "unknown". */
export const MAX_DECIDE_WORK = 1 << 24;

/** true: satisfiable; false: not; undefined: too many atoms (or too large a formula) to decide. */
export function satisfiable(c: Cond): boolean | undefined {
  if (c.k === 'const') return c.v;
  const atoms = [...atomsOf(c)];
  if (atoms.length > MAX_DECIDABLE_ATOMS || 2 ** atoms.length * sizeOf(c) > MAX_DECIDE_WORK) return undefined;
  const env = new Map<string, boolean>();
  for (let bits = 0; bits < 1 << atoms.length; bits++) {
    atoms.forEach((a, i) => env.set(a, ((bits >> i) & 1) === 1));
    if (evaluate(c, env)) return true;
  }
  return false;
}

/** Whether `c` holds in every configuration that satisfies all `constraints`. */
export function alwaysHolds(c: Cond, constraints: readonly Cond[] = []): boolean | undefined {
  const s = satisfiable(andOf([...constraints, not(c)]));
  return s === undefined ? undefined : !s;
}

// ---------------------------------------------------------------------------------------------------------
// Parsing `#if` expressions

type Tok = { t: 'id' | 'num' | 'op' | 'str'; s: string };

const OPS = ['||', '&&', '==', '!=', '<=', '>=', '<<', '>>', '##'];

function tokenize(expr: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < expr.length) {
    const ch = expr[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const id = /^[A-Za-z_]\w*/.exec(expr.slice(i, i + 256));
    if (id) {
      toks.push({ t: 'id', s: id[0] });
      i += id[0].length;
      continue;
    }
    const num = /^\.?\d(?:[eEpP][+-]|[\w.])*/.exec(expr.slice(i, i + 256));
    if (num) {
      toks.push({ t: 'num', s: num[0] });
      i += num[0].length;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < expr.length && expr[j] !== ch) j += expr[j] === '\\' ? 2 : 1;
      toks.push({ t: 'str', s: expr.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    const two = expr.slice(i, i + 2);
    if (OPS.includes(two)) {
      toks.push({ t: 'op', s: two });
      i += 2;
      continue;
    }
    toks.push({ t: 'op', s: ch });
    i++;
  }
  return toks;
}

function renderTokens(toks: Tok[]): string {
  let out = '';
  toks.forEach((tok, i) => {
    const prev = toks[i - 1];
    const tight =
      !prev ||
      prev.s === '(' ||
      tok.s === ')' ||
      tok.s === ',' ||
      (tok.s === '(' && prev.t === 'id') ||
      ((prev.s === '!' || prev.s === '~') && (i === 1 || toks[i - 2].t === 'op'));
    out += (tight ? '' : ' ') + tok.s;
  });
  return out;
}

function parseNumber(s: string): number | undefined {
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)[uUlL]*$/.exec(s);
  if (!m) return undefined;
  const body = m[1];
  if (/^0[xX]/.test(body)) return parseInt(body.slice(2), 16);
  if (body.length > 1 && body.startsWith('0')) return parseInt(body, 8);
  return parseInt(body, 10);
}

class ExprParser {
  private pos = 0;
  constructor(private readonly toks: Tok[]) {}

  parse(): Cond {
    if (this.toks.length === 0) return atom('');
    const c = this.parseOr();
    if (this.pos < this.toks.length) {
      // Trailing tokens (e.g. an unmatched parenthesis): keep the whole expression as one atom.
      return atom(renderTokens(this.toks));
    }
    return c;
  }

  private peek(): Tok | undefined {
    return this.toks[this.pos];
  }

  private parseOr(): Cond {
    const xs = [this.parseAnd()];
    while (this.peek()?.s === '||') {
      this.pos++;
      xs.push(this.parseAnd());
    }
    return orOf(xs);
  }

  private parseAnd(): Cond {
    const xs = [this.parseUnary()];
    while (this.peek()?.s === '&&') {
      this.pos++;
      xs.push(this.parseUnary());
    }
    return andOf(xs);
  }

  private parseUnary(): Cond {
    // `!x` is a logical negation when `x` (one operand) ends the term; in `!(x) >= y` the `!` binds tighter than
    // the comparison, as in C: `(!(x)) >= y` is one arithmetic atom, `!` included, not the negation of `x >= y`.
    // A run of `!` is counted, not recursed into.
    if (this.peek()?.s !== '!') return this.parsePrimary();
    const next = this.toks[this.operandEnd(this.pos)]?.s;
    if (next !== undefined && next !== '&&' && next !== '||' && next !== ')') return this.parsePrimary();
    let negations = 0;
    while (this.peek()?.s === '!') {
      this.pos++;
      negations++;
    }
    const c = this.parsePrimary();
    return negations % 2 ? not(c) : c;
  }

  /** Index just past the unary operand starting at `i`: `!`s, then a group, `defined X`, a call or one token. */
  private operandEnd(i: number): number {
    while (this.toks[i]?.s === '!') i++;
    const t = this.toks[i];
    if (!t) return i;
    if (t.s === 'defined') return this.toks[i + 1]?.s === '(' ? this.groupEnd(i + 1) : i + 2;
    if (t.s === '(') return this.groupEnd(i);
    if (t.t === 'id' && this.toks[i + 1]?.s === '(') return this.groupEnd(i + 1);
    return i + 1;
  }

  /** Index just past the `)` matching the `(` at `i` (the end of the tokens when it is unmatched). */
  private groupEnd(i: number): number {
    let depth = 0;
    for (let j = i; j < this.toks.length; j++) {
      if (this.toks[j].s === '(') depth++;
      else if (this.toks[j].s === ')' && --depth === 0) return j + 1;
    }
    return this.toks.length;
  }

  private parsePrimary(): Cond {
    const start = this.pos;
    let depth = 0;
    while (this.pos < this.toks.length) {
      const s = this.toks[this.pos].s;
      if (depth === 0 && (s === '&&' || s === '||')) break;
      if (s === '(') depth++;
      if (s === ')') {
        if (depth === 0) break;
        depth--;
      }
      this.pos++;
    }
    const seq = this.toks.slice(start, this.pos);
    return classify(seq);
  }
}

function wrapsWhole(seq: Tok[]): boolean {
  if (seq.length < 2 || seq[0].s !== '(' || seq[seq.length - 1].s !== ')') return false;
  let depth = 0;
  for (let i = 0; i < seq.length; i++) {
    if (seq[i].s === '(') depth++;
    else if (seq[i].s === ')') {
      depth--;
      if (depth === 0 && i < seq.length - 1) return false;
    }
  }
  return true;
}

function classify(seq: Tok[]): Cond {
  if (seq.length === 0) return atom('');
  if (wrapsWhole(seq)) return new ExprParser(seq.slice(1, -1)).parse();
  if (seq[0].s === 'defined') {
    if (seq.length === 2 && seq[1].t === 'id') return atom(`defined(${seq[1].s})`);
    if (seq.length === 4 && seq[1].s === '(' && seq[2].t === 'id' && seq[3].s === ')') return atom(`defined(${seq[2].s})`);
  }
  if (seq.length === 1 && seq[0].t === 'num') {
    const n = parseNumber(seq[0].s);
    if (n !== undefined) return n !== 0 ? TRUE : FALSE;
  }
  return atom(renderTokens(seq));
}

/** Most tokens of an expression parsed as a formula (NVIDIA's longest `#if` has a few dozen). */
export const MAX_EXPR_TOKENS = 4000;
/** Deepest parenthesis nesting of an expression parsed as a formula. */
export const MAX_PAREN_DEPTH = 64;

function parenDepth(toks: Tok[]): number {
  let depth = 0;
  let max = 0;
  for (const t of toks) {
    if (t.s === '(') max = Math.max(max, ++depth);
    else if (t.s === ')') depth--;
  }
  return max;
}

export interface ParsedCondition {
  cond: Cond;
  /** Why the expression was kept as one opaque atom (over a limit), if it was. */
  limit?: string;
}

export interface ExprLimits {
  tokens: number;
  depth: number;
}

/** The limits of a `#if` expression in a scanned file. */
export const EXPR_LIMITS: ExprLimits = { tokens: MAX_EXPR_TOKENS, depth: MAX_PAREN_DEPTH };
/**
 * The limits `parseCondition` applies: wider, because it reads back conditions hmm-watch rendered itself (a
 * presence condition joins the conditions of every enclosing `#if`), which the preprocessor has bounded already.
 */
const RENDERED_LIMITS: ExprLimits = { tokens: 16 * MAX_EXPR_TOKENS, depth: 16 * MAX_PAREN_DEPTH };

/** Parses the expression of a `#if`/`#elif` line into a normalised condition, saying when a limit was hit. */
export function parseConditionChecked(expr: string, limits: ExprLimits = EXPR_LIMITS): ParsedCondition {
  const toks = tokenize(expr);
  const depth = parenDepth(toks);
  const over =
    toks.length > limits.tokens
      ? `${toks.length} tokens > limit ${limits.tokens}`
      : depth > limits.depth
        ? `parentheses nested ${depth} deep > limit ${limits.depth}`
        : undefined;
  if (!over) return { cond: new ExprParser(toks).parse() };
  const cond = opaqueAtom(renderTokens(toks));
  return { cond, limit: `expression too large (${over}): read as the opaque condition ${render(cond)}` };
}

/** Parses a condition (an expression, or a canonical text hmm-watch rendered) into a normalised formula. */
export function parseCondition(expr: string): Cond {
  return parseConditionChecked(expr, RENDERED_LIMITS).cond;
}

/** Identifiers mentioned in an expression text (macro names, `defined` operands). */
export function identifiersOf(expr: string): string[] {
  return tokenize(expr)
    .filter((t) => t.t === 'id' && t.s !== 'defined')
    .map((t) => t.s);
}
