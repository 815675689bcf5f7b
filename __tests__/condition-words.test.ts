// Presence conditions said in words, from their canonical text.
import { describe, expect, it } from '@jest/globals';
import { conditionInWords, whenInWords } from '../src/report/condition-words.js';

describe('conditionInWords', () => {
  it('says defined(), macros and function-like macros, negated or not', () => {
    expect(conditionInWords('defined(NVCPU_X86_64)')).toBe('NVCPU_X86_64 is defined');
    expect(conditionInWords('!defined(NVCPU_X86_64)')).toBe('NVCPU_X86_64 is not defined');
    expect(conditionInWords('UVM_IS_CONFIG_HMM()')).toBe('UVM_IS_CONFIG_HMM() is true');
    expect(conditionInWords('!UVM_IS_CONFIG_HMM()')).toBe('UVM_IS_CONFIG_HMM() is false');
    expect(conditionInWords('NV_IS_EXPORT_SYMBOL_PRESENT_x')).toBe('NV_IS_EXPORT_SYMBOL_PRESENT_x is true');
  });

  it('turns a negated comparison into the opposite comparison, and leaves arithmetic as a truth value', () => {
    expect(conditionInWords('LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)')).toBe('LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)');
    expect(conditionInWords('!(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0))')).toBe('LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)');
    expect(conditionInWords('!(A == 1)')).toBe('A != 1');
    expect(conditionInWords('!((A << 2) > 3)')).toBe('(A << 2) <= 3');
    expect(conditionInWords('!(X & 4)')).toBe('X & 4 is zero');
    expect(conditionInWords('A < B == C')).toBe('A < B == C is non-zero');
  });

  it('joins with and/or, plain conditions before groups, groups in parentheses', () => {
    expect(conditionInWords('defined(A) && (defined(B) || !C)')).toBe('A is defined and (C is false or B is defined)');
    expect(conditionInWords('(defined(A) && defined(B)) || !defined(C)')).toBe('C is not defined or (A is defined and B is defined)');
  });

  it('says always and never for constants', () => {
    expect(conditionInWords('1')).toBe('always');
    expect(conditionInWords('0')).toBe('never');
    expect(whenInWords('1')).toBe('always');
    expect(whenInWords('defined(A)')).toBe('when A is defined');
  });
});
