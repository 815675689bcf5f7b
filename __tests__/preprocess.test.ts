import { describe, expect, it } from '@jest/globals';
import { render } from '../src/frontend/condition.js';
import { preprocess } from '../src/frontend/preprocess.js';

function conds(text: string): string[] {
  const p = preprocess(text);
  return p.lineCond.slice(1).map(render);
}

describe('preprocess', () => {
  it('gives #elif branches the negation of the earlier branches, nested in the enclosing condition', () => {
    const src = ['#if A', '#if defined(B)', 'b();', '#elif C(1)', 'c();', '#else', 'e();', '#endif', '#endif', 'after();'].join('\n');
    const c = conds(src);
    expect(c[2]).toBe('A && defined(B)');
    expect(c[4]).toBe('!defined(B) && A && C(1)');
    expect(c[6]).toBe('!C(1) && !defined(B) && A');
    expect(c[9]).toBe('1');
  });

  it('treats #ifdef/#ifndef as defined()/!defined()', () => {
    const c = conds('#ifdef X\nx;\n#else\ny;\n#endif\n#ifndef Y\nz;\n#endif\n');
    expect([c[1], c[3], c[6]]).toEqual(['defined(X)', '!defined(X)', '!defined(Y)']);
  });

  it('knows a branch holding only #error is impossible and records the constraint', () => {
    const src = ['#if defined(A)', 'a();', '#elif defined(B)', 'b();', '#else', '#error "no way"', '#endif'].join('\n');
    const p = preprocess(src);
    expect(p.constraints.map(render)).toEqual(['defined(A) || defined(B)']);
    expect(render(p.lineCond[6])).toBe('0');
  });

  it('blanks directive lines, keeping every line and column', () => {
    const src = 'int a;\n#if defined(X) \\\n  && defined(Y)\nint b;\n#endif\n';
    const p = preprocess(src);
    expect(p.blanked.length).toBe(src.length);
    expect(p.blanked.split('\n')).toEqual(src.split('\n').map((l) => (/^(int|$)/.test(l) ? l : ' '.repeat(l.length))));
    expect(render(p.lineCond[4])).toBe('defined(X) && defined(Y)');
  });

  it('ignores directives and conditions inside comments and strings', () => {
    const src = ['/*', '#if X', '*/', 'const char *s = "#if Y";', '// #endif', 'code();'].join('\n');
    const p = preprocess(src);
    expect(p.conditionals).toHaveLength(0);
    expect(p.diagnostics).toHaveLength(0);
    expect(p.comments.map((c) => c.line)).toEqual([1, 5]);
  });

  it('reports an unbalanced #endif and an unterminated #if, and goes on', () => {
    const extra = preprocess('#endif\nint a;\n');
    expect(extra.diagnostics).toEqual(['line 1: #endif without #if (ignored)']);
    expect(render(extra.lineCond[2])).toBe('1');
    const missing = preprocess('#if X\nint a;\n');
    expect(missing.diagnostics).toEqual(['line 1: #if without #endif (closed at end of file)']);
    expect(render(missing.lineCond[2])).toBe('X');
  });

  it('treats an include guard as no condition', () => {
    const c = conds('#ifndef _DRV_H\n#define _DRV_H\n#if defined(A)\nint a;\n#endif\nint b;\n#endif\n');
    expect(c[3]).toBe('defined(A)');
    expect(c[5]).toBe('1');
  });

  it('counts code lines gated by each branch', () => {
    const p = preprocess('#if G()\na();\n// note\n\nb();\n#else\n#endif\n');
    expect(p.conditionals[0]).toMatchObject({ line: 1, expr: 'G()', codeLines: 2 });
  });

  it('handles CRLF line endings', () => {
    const p = preprocess('#ifdef X\r\nint a;\r\n#endif\r\n');
    expect(render(p.lineCond[2])).toBe('defined(X)');
    expect(p.conditionals[0].expr).toBe('X');
  });
});
