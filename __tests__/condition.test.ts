import { describe, expect, it } from '@jest/globals';
import { alwaysHolds, and, atom, not, or, parseCondition, render, satisfiable, substitute } from '../src/frontend/condition.js';

describe('parseCondition', () => {
  it.each([
    ['defined(X)', 'defined(X)'],
    ['defined X', 'defined(X)'],
    ['  defined ( X ) ', 'defined(X)'],
    ['!defined(X)', '!defined(X)'],
    ['UVM_IS_CONFIG_HMM()', 'UVM_IS_CONFIG_HMM()'],
    ['NV_IS_EXPORT_SYMBOL_PRESENT_make_device_exclusive', 'NV_IS_EXPORT_SYMBOL_PRESENT_make_device_exclusive'],
    ['LINUX_VERSION_CODE>=KERNEL_VERSION(6,1,0)', 'LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)'],
    ['defined(B) && defined(A)', 'defined(A) && defined(B)'],
    ['(defined(A) || defined(B)) && C', 'C && (defined(A) || defined(B))'],
    ['!(defined(A) || defined(B))', '!defined(A) && !defined(B)'],
    ['!(A == 1)', '!(A == 1)'],
    ['0', '0'],
    ['1', '1'],
    ['0x10', '1'],
    ['defined(A) && 0', '0'],
    ['defined(A) || 1', '1'],
    ['defined(A) && !defined(A)', '0'],
    ['defined(A) || !defined(A)', '1']
  ])('normalises %j to %j', (input, expected) => {
    expect(render(parseCondition(input))).toBe(expected);
  });

  it('reads `!(X) >= KERNEL_VERSION(…)` as C does, `(!(X)) >= …`, not as the negation of `(X) >= …`', () => {
    const c = parseCondition('!(X) >= KERNEL_VERSION(6,1,0)');
    expect(c).toEqual(atom('!(X) >= KERNEL_VERSION(6, 1, 0)'));
    expect(c).not.toEqual(not(parseCondition('(X) >= KERNEL_VERSION(6,1,0)')));
    expect(parseCondition('defined(A) && !X == 2')).toEqual(and(atom('defined(A)'), atom('!X == 2')));
    // A negated operand that ends the term is still a negation.
    expect(parseCondition('!(X >= KERNEL_VERSION(6,1,0)) && !defined(A) || !F(1)')).toEqual(
      or(and(not(atom('X >= KERNEL_VERSION(6, 1, 0)')), not(atom('defined(A)'))), not(atom('F(1)')))
    );
    expect(render(parseCondition('!!defined(A)'))).toBe('defined(A)');
  });

  it('renders text that parses back to the same condition', () => {
    for (const text of [
      '!(A >= KERNEL_VERSION(5, 4, 0)) && defined(B)',
      'F() || (defined(X) && !G(1))',
      '!UVM_IS_CONFIG_HMM()',
      '!(X) >= KERNEL_VERSION(6, 1, 0) || !(Y)'
    ]) {
      const once = render(parseCondition(text));
      expect(render(parseCondition(once))).toBe(once);
    }
  });
});

describe('condition logic', () => {
  const a = atom('defined(A)');
  const b = atom('defined(B)');

  it('substitutes known atoms and simplifies', () => {
    expect(render(substitute(and(a, b), new Map([['defined(A)', true]])))).toBe('defined(B)');
    expect(render(substitute(and(a, b), new Map([['defined(A)', false]])))).toBe('0');
    expect(render(substitute(or(not(a), b), new Map([['defined(A)', false]])))).toBe('1');
  });

  it('decides tautologies, also under constraints', () => {
    expect(alwaysHolds(or(a, not(a)))).toBe(true);
    expect(alwaysHolds(or(a, and(not(a), b)))).toBe(false);
    // With the constraint A || B (the #else branch only holds #error), A || (!A && B) always holds.
    expect(alwaysHolds(or(a, and(not(a), b)), [or(a, b)])).toBe(true);
    expect(satisfiable(and(a, not(a)))).toBe(false);
  });

  it('answers undefined rather than guessing past the atom limit', () => {
    const many = Array.from({ length: 20 }, (_, i) => atom(`defined(M${i})`));
    expect(alwaysHolds(or(...many))).toBeUndefined();
  });
});
