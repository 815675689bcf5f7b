// Presence conditions in words, for people reading a terminal report or `hmm-watch explain`:
// `defined(X) && !UVM_IS_CONFIG_HMM()` reads "X is defined and UVM_IS_CONFIG_HMM() is false". The input is the
// canonical condition text (src/frontend/condition.ts), so what is said here is exactly what the snapshot holds.
import { type Cond, parseCondition } from '../frontend/condition.js';
import { minimise } from '../frontend/minimise.js';

const FLIPPED: Record<string, string> = { '==': '!=', '!=': '==', '<': '>=', '>=': '<', '>': '<=', '<=': '>' };

/** The one relational operator at the top level of an atom (outside parentheses), if there is exactly one. */
function comparison(atom: string): { left: string; op: string; right: string } | undefined {
  if (atom.includes('?')) return undefined;
  const found: Array<{ at: number; op: string }> = [];
  let depth = 0;
  for (let i = 0; i < atom.length; i++) {
    if (atom[i] === '(') depth++;
    else if (atom[i] === ')') depth--;
    else if (depth === 0 && atom[i] === ' ') {
      // Atoms are rendered with a space either side of a binary operator, so ` < ` is never part of ` << `.
      const op = ['==', '!=', '<=', '>=', '<', '>'].find((o) => atom.startsWith(` ${o} `, i));
      if (op) {
        found.push({ at: i, op });
        i += op.length;
      }
    }
  }
  if (found.length !== 1) return undefined;
  const { at, op } = found[0];
  return { left: atom.slice(0, at), op, right: atom.slice(at + op.length + 2) };
}

/** Words for well-known atoms (a profile's `platform.names`): `defined(NVCPU_X86_64)` → `x86_64`. */
export type AtomNames = Readonly<Record<string, string>>;

function atomWords(atom: string, neg: boolean, names: AtomNames = {}): string {
  const named = Object.hasOwn(names, atom) ? names[atom] : undefined;
  if (named !== undefined) return neg ? `not ${named}` : named;
  const defined = /^defined\((\w+)\)$/.exec(atom);
  if (defined) return `${defined[1]} is ${neg ? 'not ' : ''}defined`;
  if (atom === '') return neg ? 'an empty #if is false' : 'an empty #if is true';
  // A macro or a function-like macro, e.g. UVM_IS_CONFIG_HMM(): #if reads it as a truth value.
  if (/^[A-Za-z_]\w*(\([^()]*\))?$/.test(atom)) return `${atom} is ${neg ? 'false' : 'true'}`;
  const cmp = comparison(atom);
  if (cmp) return `${cmp.left} ${neg ? FLIPPED[cmp.op] : cmp.op} ${cmp.right}`;
  return `${atom} is ${neg ? 'zero' : 'non-zero'}`;
}

function words(c: Cond, nested: boolean, names: AtomNames = {}): string {
  switch (c.k) {
    case 'const':
      return c.v ? 'always' : 'never';
    case 'lit':
      return atomWords(c.atom, c.neg, names);
    case 'and':
    case 'or': {
      // Plain literals first, groups after them (the canonical order sorts `(` and `!` first).
      const xs = [...c.xs.filter((x) => x.k === 'lit'), ...c.xs.filter((x) => x.k !== 'lit')];
      const text = xs.map((x) => words(x, true, names)).join(c.k === 'and' ? ' and ' : ' or ');
      return nested ? `(${text})` : text;
    }
  }
}

/**
 * A canonical condition (or its parsed form) in words; `1` is "always", `0` is "never". With `names`, well-known
 * atoms read as the profile names them, and the condition is first minimised over its atoms (frontend/minimise.ts).
 */
export function conditionInWords(condition: string | Cond, names?: AtomNames): string {
  const c = typeof condition === 'string' ? parseCondition(condition) : condition;
  return names ? words(minimise(c), false, names) : words(c, false);
}

/** "always", "never" or "when …": for a fact or a case that holds under a condition. */
export function whenInWords(condition: string | Cond): string {
  const text = conditionInWords(condition);
  return text === 'always' || text === 'never' ? text : `when ${text}`;
}
