// Boolean minimisation of a presence condition over the few atoms it mentions (Quine–McCluskey with a greedy
// cover), so that a report prints `defined(A) && B` rather than `(!defined(A) && B) || (B && defined(A))`. Used for
// display only: snapshots keep the canonical text of condition.ts. Past MAX_MINIMISE_ATOMS atoms the condition is returned as is.
import { and, atom, atomsOf, type Cond, evaluate, not, or, satisfiable } from './condition.js';

/** Most atoms minimised (2^n rows are enumerated). */
export const MAX_MINIMISE_ATOMS = 8;

/** An implicant: per atom 0, 1 or 2 (either). */
type Term = number[];

function combine(a: Term, b: Term): Term | undefined {
  let diff = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (a[i] === 2 || b[i] === 2 || diff !== -1) return undefined;
    diff = i;
  }
  if (diff === -1) return undefined;
  const t = [...a];
  t[diff] = 2;
  return t;
}

function covers(t: Term, m: number): boolean {
  return t.every((v, i) => v === 2 || v === ((m >> i) & 1));
}

export function minimise(c: Cond): Cond {
  if (c.k !== 'and' && c.k !== 'or') return c;
  const atoms = [...atomsOf(c)].sort();
  if (atoms.length > MAX_MINIMISE_ATOMS) return c;
  if (satisfiable(c) === false) return c;
  const env = new Map<string, boolean>();
  const minterms: number[] = [];
  for (let m = 0; m < 1 << atoms.length; m++) {
    atoms.forEach((a, i) => env.set(a, ((m >> i) & 1) === 1));
    if (evaluate(c, env)) minterms.push(m);
  }
  if (minterms.length === 1 << atoms.length) return c; // always true: the caller's constraints make it so
  let terms: Term[] = minterms.map((m) => atoms.map((_, i) => (m >> i) & 1));
  const primes: Term[] = [];
  while (terms.length) {
    const used = new Set<number>();
    const next = new Map<string, Term>();
    for (let i = 0; i < terms.length; i++) {
      for (let j = i + 1; j < terms.length; j++) {
        const t = combine(terms[i], terms[j]);
        if (t) {
          used.add(i);
          used.add(j);
          next.set(t.join(''), t);
        }
      }
    }
    terms.forEach((t, i) => {
      if (!used.has(i) && !primes.some((p) => p.join('') === t.join(''))) primes.push(t);
    });
    terms = [...next.values()];
  }
  // Greedy cover: essential primes first, then the prime covering most remaining minterms.
  const left = new Set(minterms);
  const chosen: Term[] = [];
  for (const m of minterms) {
    const by = primes.filter((p) => covers(p, m));
    if (by.length === 1 && !chosen.includes(by[0])) chosen.push(by[0]);
  }
  for (const p of chosen) for (const m of [...left]) if (covers(p, m)) left.delete(m);
  while (left.size) {
    let best = primes[0];
    let bestCount = -1;
    for (const p of primes) {
      const n = [...left].filter((m) => covers(p, m)).length;
      if (n > bestCount || (n === bestCount && p.filter((v) => v === 2).length > best.filter((v) => v === 2).length)) {
        best = p;
        bestCount = n;
      }
    }
    chosen.push(best);
    for (const m of [...left]) if (covers(best, m)) left.delete(m);
  }
  const out = or(...chosen.map((t) => and(...t.flatMap((v, i) => (v === 2 ? [] : [v ? atom(atoms[i]) : not(atom(atoms[i]))])))));
  // Never longer than what came in.
  return countLits(out) <= countLits(c) ? out : c;
}

function countLits(c: Cond): number {
  return c.k === 'lit' ? 1 : c.k === 'const' ? 0 : c.xs.reduce((n, x) => n + countLits(x), 0);
}
