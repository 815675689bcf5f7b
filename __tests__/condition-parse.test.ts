// Presence conditions in detail (src/frontend/condition.ts): what a `#if` expression reads as, its canonical text
// (a condition's identity in snapshots), the limits that keep hostile expressions bounded, and the decisions.
import { describe, expect, it } from '@jest/globals';
import {
  alwaysHolds,
  and,
  atom,
  atomsOf,
  evaluate,
  FALSE,
  identifiersOf,
  not,
  opaqueAtom,
  or,
  parseCondition,
  parseConditionChecked,
  render,
  satisfiable,
  sizeOf,
  substitute,
  TRUE
} from '../src/frontend/condition.js';

const text = (expr: string): string => render(parseCondition(expr));
const A = atom('A');
const B = atom('B');

describe('what an expression reads as', () => {
  it.each([
    // numbers: only zero or not matters; anything that is not an integer literal stays an atom
    ['0', '0'],
    ['00', '0'],
    ['0x0', '0'],
    ['0UL', '0'],
    ['010', '1'],
    ['0X1F', '1'],
    ['1u', '1'],
    ['08', '08'],
    ['1.5', '1.5'],
    ['1x', '1x'],
    ['X == 1e+5', 'X == 1e+5'],
    ['1 + 1', '1 + 1'],
    // defined: only `defined X` and `defined(X)` of one identifier are the defined() atom
    ['defined', 'defined'],
    ['defined X Y', 'defined X Y'],
    ['defined 1', 'defined 1'],
    ['defined [X]', 'defined [ X ]'],
    ['defined(X]', 'defined(X ]'],
    ['defined(X) + 1', 'defined(X) + 1'],
    ['X Y', 'X Y'],
    // parentheses: only a pair around the whole term is dropped
    ['(A) == (B)', '(A) == (B)'],
    ['((A))', 'A'],
    ['()', ''],
    ['(A', '(A'],
    ['A)', 'A)'],
    ['A) && B', 'A) && B'],
    ['', ''],
    // spacing of the canonical text
    ['X * (Y + 1) > 2', 'X * (Y + 1) > 2'],
    ['A == !B', 'A == !B'],
    ['A + !B', 'A + !B'],
    ['A == ~B', 'A == ~B'],
    ['X ! Y', 'X ! Y'],
    ['F(!X) == 1', 'F(!X) == 1'],
    ['!F(ab)', '!F(ab)'],
    // the `!` of an operand followed by a comparison is part of the comparison, as in C
    ['!defined A', '!defined(A)'],
    ['!defined A == 0', '!defined A == 0'],
    ['!((A) || B) == 0', '!((A) || B) == 0'],
    ['!(A', '!((A)'],
    // strings and characters are single tokens: their operators and quotes are not the expression's
    ['X == "a && b"', 'X == "a && b"'],
    ['X == "a\\" || b"', 'X == "a\\" || b"'],
    ["C == '\\'' && D", "C == '\\'' && D"],
    ['X == "open', 'X == "open'],
    ['"a" == X && B', '"a" == X && B'],
    ['!defined', '!defined']
  ])('reads %j as %j', (input, expected) => {
    expect(text(input)).toBe(expected);
  });

  it('reads a negated single operand as a negation (substitution sees it)', () => {
    expect(parseCondition('!A && B')).toEqual(and(not(A), B));
    expect(render(substitute(parseCondition('!A && B'), new Map([['A', false]])))).toBe('B');
    expect(parseCondition('!!!A')).toEqual(not(A));
  });

  it('keeps a dangling operator or negation readable instead of failing', () => {
    expect(parseCondition('A &&')).toEqual(and(A, atom('')));
    expect(parseCondition('A && !')).toEqual(and(A, not(atom(''))));
    expect(text('defined(A) ||')).toBe(' || defined(A)');
  });

  it('lists the identifiers an expression mentions, not `defined`', () => {
    expect(identifiersOf('defined(NV_X) && F(Y, 2) || !defined Z')).toEqual(['NV_X', 'F', 'Y', 'Z']);
    expect(identifiersOf('1 + "S"')).toEqual([]);
  });
});

describe('canonical text', () => {
  it('sorts operands and parenthesises a nested group', () => {
    const [a, b, c, d, e] = ['A', 'B', 'C', 'D', 'E'].map(atom);
    expect(render(and(e, d, c, b, a))).toBe('A && B && C && D && E');
    expect(render(or(e, c, a, d, b))).toBe('A || B || C || D || E');
    expect(render(or(and(a, b), c))).toBe('(A && B) || C');
    expect(render(and(or(a, b), c))).toBe('(A || B) && C');
  });

  it('writes a negated atom with parentheses unless it is a name or a call', () => {
    expect(render(not(atom('X')))).toBe('!X');
    expect(render(not(atom('F(a, b)')))).toBe('!F(a, b)');
    expect(render(not(atom('A == B')))).toBe('!(A == B)');
    expect(render(not(atom('F(G(x))')))).toBe('!(F(G(x)))');
  });

  it('does not take a group for the complement of a literal', () => {
    // An atom may be named `undefined`: a group next to its negation is not its complement.
    expect(render(or(and(A, B), not(atom('undefined'))))).toBe('!undefined || (A && B)');
  });
});

describe('limits of one expression', () => {
  const limits = { tokens: 5, depth: 2 };

  it('parses an expression at the limits', () => {
    expect(parseConditionChecked('A && B || C', limits)).toEqual({ cond: or(and(A, B), atom('C')) });
    expect(parseConditionChecked('((A)) && (B)', { tokens: 9, depth: 2 })).toEqual({ cond: and(A, B) });
  });

  it('reads an expression over a limit as one opaque atom of its text, and says which limit', () => {
    const long = parseConditionChecked('A && B || C D', limits);
    expect(long.cond).toEqual(opaqueAtom('A && B || C D'));
    expect(long.limit).toBe(`expression too large (6 tokens > limit 5): read as the opaque condition ${render(opaqueAtom('A && B || C D'))}`);
    const deep = parseConditionChecked('(((A)))', { tokens: 100, depth: 2 });
    expect(deep.cond).toEqual(opaqueAtom('(((A)))'));
    expect(deep.limit).toBe(`expression too large (parentheses nested 3 deep > limit 2): read as the opaque condition ${render(opaqueAtom('(((A)))'))}`);
    // Depth is nesting, not the count of parentheses.
    expect(parseConditionChecked('(A) && (B) && (C) && (D)', { tokens: 100, depth: 1 }).limit).toBeUndefined();
    expect(parseConditionChecked('A) && ((B))', { tokens: 100, depth: 2 }).limit).toBeUndefined();
    expect(parseConditionChecked('X + (((A)))', { tokens: 100, depth: 2 }).cond).toEqual(opaqueAtom('X + (((A)))'));
  });

  it('names an opaque atom by a hash of the text: the same text the same atom, another text another', () => {
    expect(render(opaqueAtom('x'))).toMatch(/^HMM_WATCH_OPAQUE\([0-9a-f]{16}\)$/);
    expect(opaqueAtom('x')).toEqual(opaqueAtom('x'));
    expect(opaqueAtom('x')).not.toEqual(opaqueAtom('y'));
    // sha256("x") begins 2d711642b726b044.
    expect(render(opaqueAtom('x'))).toBe('HMM_WATCH_OPAQUE(2d711642b726b044)');
  });

  it('reads back a rendered condition longer than a scanned expression may be', () => {
    const many = Array.from({ length: 1100 }, (_, i) => `defined(M${i})`).join(' || ');
    expect(parseConditionChecked(many).limit).toMatch(/tokens > limit 4000/);
    expect(sizeOf(parseCondition(many))).toBe(1100);
  });
});

describe('condition logic', () => {
  it('counts the literals of a condition', () => {
    expect(sizeOf(TRUE)).toBe(0);
    expect(sizeOf(A)).toBe(1);
    const c = and(A, or(B, not(atom('C'))), atom('D'));
    expect(sizeOf(c)).toBe(4);
    expect(sizeOf(c)).toBe(4);
  });

  it('lists atoms, substitutes and evaluates constants and literals', () => {
    expect([...atomsOf(TRUE)]).toEqual([]);
    expect([...atomsOf(or(and(A, B), not(A)))].sort()).toEqual(['A', 'B']);
    expect(substitute(TRUE, new Map())).toBe(TRUE);
    expect(substitute(FALSE, new Map([['A', true]]))).toBe(FALSE);
    expect(evaluate(TRUE, new Map())).toBe(true);
    expect(evaluate(FALSE, new Map())).toBe(false);
    expect(evaluate(A, new Map([['A', true]]))).toBe(true);
    expect(evaluate(not(A), new Map([['A', true]]))).toBe(false);
    expect(
      evaluate(
        or(and(A, B), not(A)),
        new Map([
          ['A', true],
          ['B', false]
        ])
      )
    ).toBe(false);
  });

  it('finds a satisfying assignment that needs atoms true', () => {
    expect(satisfiable(and(A, B))).toBe(true);
    expect(satisfiable(A)).toBe(true);
    expect(satisfiable(TRUE)).toBe(true);
    expect(satisfiable(FALSE)).toBe(false);
  });

  it('decides up to 16 atoms and answers undefined past them', () => {
    const atoms = (n: number) => Array.from({ length: n }, (_, i) => atom(`defined(M${i})`));
    expect(satisfiable(or(...atoms(16)))).toBe(true);
    expect(alwaysHolds(or(...atoms(16)))).toBe(false);
    expect(satisfiable(and(...atoms(17)))).toBeUndefined();
  });

  it('answers undefined when 2^atoms × literals is past the work limit', () => {
    // 16 atoms and 256 literals: exactly 2^24 evaluations, still decided; one literal more is past the limit.
    const m = Array.from({ length: 16 }, (_, i) => atom(`M${i}`));
    const terms = [];
    for (let i = 0; i < 16; i++) for (let j = i + 1; j < 16; j++) terms.push(and(m[i], m[j]));
    for (let i = 0; i < 8; i++) terms.push(and(m[i], not(m[i + 8])));
    const c = or(...terms);
    expect(sizeOf(c)).toBe(256);
    expect(satisfiable(c)).toBe(true);
    const more = or(c, and(m[0], m[1], m[2]));
    expect([atomsOf(more).size, sizeOf(more)]).toEqual([16, 259]);
    expect(satisfiable(more)).toBeUndefined();
  });
});
