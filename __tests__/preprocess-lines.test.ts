// The preprocessor pass in detail (src/frontend/preprocess.ts): which lines are directives, comments or code, the
// condition each line gets, what the C parser is given, and the limits that keep a hostile file bounded.
import { describe, expect, it } from '@jest/globals';
import { render } from '../src/frontend/condition.js';
import { joinContinuations, lineBreaksAsLF, MAX_CONDITION_LITERALS, MAX_IF_DEPTH, preprocess } from '../src/frontend/preprocess.js';

const conds = (text: string): string[] => preprocess(text).lineCond.slice(1).map(render);
const src = (...lines: string[]): string => lines.join('\n');

describe('branch conditions', () => {
  it('reads #elifdef and #elifndef as defined() and !defined(), after the earlier branches', () => {
    const c = conds(src('#ifdef A', 'a;', '#elifdef B', 'b;', '#elifndef C', 'c;', '#else', 'd;', '#endif'));
    expect([c[1], c[3], c[5], c[7]]).toEqual([
      'defined(A)',
      '!defined(A) && defined(B)',
      '!defined(A) && !defined(B) && !defined(C)',
      '!defined(A) && !defined(B) && defined(C)'
    ]);
  });

  it('reads only the first word after #ifdef and #ifndef', () => {
    const p = preprocess(src('#ifdef X junk', 'x;', '#endif', '#ifndef Y /* c */', 'y;', '#endif'));
    expect([render(p.lineCond[2]), render(p.lineCond[5])]).toEqual(['defined(X)', '!defined(Y)']);
    expect(p.conditionals.map((k) => [k.line, k.directive, k.expr])).toEqual([
      [1, 'ifdef', 'X junk'],
      [4, 'ifndef', 'Y']
    ]);
  });

  it('gives a directive line the condition around it and the lines of a multi-line directive too', () => {
    const c = conds(src('#if A', '#if B \\', '  && C', 'x;', '#endif', '#endif', 'y;'));
    expect(c).toEqual(['1', 'A', 'A', 'A && B && C', 'A && B && C', 'A', '1']);
  });

  it('records each branch head with its own and its presence condition and its code lines', () => {
    const p = preprocess(src('#if A', 'a1;', 'a2;', '#elif B', '#else', 'e;', '#endif'));
    expect(p.conditionals.map((k) => [k.directive, render(k.branch), render(k.presence), k.codeLines])).toEqual([
      ['if', 'A', 'A', 2],
      ['elif', '!A && B', '!A && B', 0]
    ]);
  });

  it('knows a branch with #error and no code is never built, but not one with code', () => {
    const p = preprocess(src('#if A', '#error "A is not supported"', '#endif', '#if B', 'b;', '#error "B"', '#endif', 'x;'));
    expect(p.constraints.map(render)).toEqual(['!A']);
    expect(render(p.lineCond[2])).toBe('0');
    expect(render(p.lineCond[5])).toBe('B');
    expect(render(p.lineCond[8])).toBe('1');
  });

  it('reports #else and #elif without #if, and a branch after #else, and goes on', () => {
    const p = preprocess(src('#else', '#elif X', '#if A', '#else', '#else', 'x;', '#endif'));
    expect(p.diagnostics).toEqual([
      'line 1: #else without #if (ignored)',
      'line 2: #elif without #if (ignored)',
      'line 5: #else after #else (group opened at line 3)'
    ]);
  });

  it('closes every open #if at the end of the file, innermost first', () => {
    const p = preprocess(src('#if A', '#if B', 'x;'));
    expect(p.diagnostics).toEqual(['line 2: #if without #endif (closed at end of file)', 'line 1: #if without #endif (closed at end of file)']);
    expect(render(p.lineCond[3])).toBe('A && B');
  });

  it('collects the #defines in order', () => {
    const p = preprocess(src('#define A 1', '#if X', '#define B(x) ((x) + /* c */ 1)', '#endif'));
    expect(p.defines.map((d) => [d.name, d.line])).toEqual([
      ['A', 1],
      ['B', 3]
    ]);
  });
});

describe('include guards', () => {
  it('takes #ifndef X / #define X … #endif and #if !defined(X) as no condition', () => {
    for (const head of ['#ifndef G_H', '#if !defined(G_H)', '#if !defined G_H', '#if ! defined ( G_H )']) {
      const c = conds(src('// c', head, '#define G_H', 'int a;', '#endif', ''));
      expect([head, c[3]]).toEqual([head, '1']);
    }
  });

  it('does not take for a guard what is not one', () => {
    const cases: Array<[string, string[]]> = [
      ['code before', ['int x;', '#ifndef G', '#define G', 'int a;', '#endif']],
      ['code after', ['#ifndef G', '#define G', 'int a;', '#endif', 'int y;']],
      ['another macro defined', ['#ifndef G', '#define H', 'int a;', '#endif']],
      ['#ifdef', ['#ifdef G', '#define G', 'int a;', '#endif']],
      ['#if of something else', ['#if defined(G)', '#define G', 'int a;', '#endif']],
      ['the last #endif closes another #if', ['#ifndef G', '#define G', '#endif', '#if X', 'int a;', '#endif']],
      ['not ending in #endif', ['#ifndef G', '#define G', 'int a;', '#endif', '#define Z']],
      ['its #endif not the last', ['#ifndef G', '#define G', 'int a;', '#endif', '#if X', 'x;', '#endif']],
      ['no #define next', ['#ifndef G', '#include "g.h"', 'int a;', '#endif']],
      ['!defined after something else', ['#if X || !defined(G)', '#define G', 'int a;', '#endif']],
      ['!defined and something else', ['#if !defined(G) && X', '#define G', 'int a;', '#endif']]
    ];
    for (const [what, lines] of cases) {
      const c = conds(src(...lines));
      const code = lines.indexOf('int a;');
      expect([what, c[code]]).not.toEqual([what, '1']);
    }
  });

  it('keeps the condition of an #if inside the guard', () => {
    const c = conds(src('#ifndef G', '#define G', '#if A', 'a;', '#endif', '#endif'));
    expect(c[3]).toBe('A');
    const d = conds(src('#ifndef G', '#define G', '#ifdef A', 'a;', '#endif', '#ifndef B', 'b;', '#endif', '#endif'));
    expect([d[3], d[6]]).toEqual(['defined(A)', '!defined(B)']);
  });
});

describe('branches and directives at their edges', () => {
  it('reads the whole name after #ifdef and #ifndef, and #if( with no space', () => {
    const p = preprocess(src('#ifdef LONG_NAME', 'a;', '#endif', '#ifndef OTHER', 'b;', '#endif', '#if(A)', 'c;', '#endif'));
    expect(p.conditionals.map((k) => [k.directive, render(k.branch), k.codeLines])).toEqual([
      ['ifdef', 'defined(LONG_NAME)', 1],
      ['ifndef', '!defined(OTHER)', 1],
      ['if', 'A', 1]
    ]);
  });

  it('takes a branch without code and without #error for no constraint, and several #elif for no #else', () => {
    const p = preprocess(src('#if A', '#endif', '#if B', 'b;', '#elif C', 'c;', '#elif D', 'd;', '#endif'));
    expect([p.constraints, p.diagnostics]).toEqual([[], []]);
  });

  it('ignores a null directive, a #define without a name and an #error outside any #if', () => {
    const p = preprocess(src('#', '#define', '#error top level', '#define N 1', 'int x;'));
    expect([p.defines.map((d) => d.name), p.constraints, p.diagnostics, p.conditionals]).toEqual([['N'], [], [], []]);
  });

  it('counts the code lines of an #if left open up to the last line', () => {
    const p = preprocess(src('#if A', 'a;', 'b;'));
    expect(p.conditionals.map((k) => k.codeLines)).toEqual([2]);
    expect(p.diagnostics).toEqual(['line 1: #if without #endif (closed at end of file)']);
  });

  it('gives the lines of an #error branch the false condition, not its head nor the directive that ends it', () => {
    const c = conds(src('#if A', '#error no', '#else', 'x;', '#endif'));
    expect(c).toEqual(['1', '0', 'A', '!A', '!A']);
  });
});

describe('directives, comments and strings', () => {
  it('finds a directive only where white space alone precedes the # on its logical line', () => {
    const p = preprocess(src('  #  if A', 'x; #if B', '\t#endif', ' \\', '#define C 1'));
    expect(p.conditionals.map((k) => k.expr)).toEqual(['A']);
    expect(p.defines.map((d) => d.name)).toEqual(['C']);
    expect(p.diagnostics).toEqual([]);
  });

  it('removes comments from a directive and folds its white space', () => {
    const p = preprocess(src('#if A /* one */ && \\', '   B // two', 'x;', '#endif'));
    expect(p.conditionals[0].expr).toBe('A && B');
    expect(render(p.lineCond[3])).toBe('A && B');
    expect(p.blanked).toBe(src(' '.repeat(20), ' '.repeat(11), 'x;', '      '));
  });

  it('ends a line comment at the line end unless a backslash continues it', () => {
    const p = preprocess(src('// one \\', '#if X', 'a;', '// two', '#if Y', 'b;', '#endif'));
    expect(p.comments.map((k) => [k.line, k.text])).toEqual([
      [1, '// one \\\n#if X'],
      [4, '// two']
    ]);
    expect(render(p.lineCond[6])).toBe('Y');
    expect(p.diagnostics).toEqual([]);
  });

  it('numbers the lines after a block comment and a continued line comment right', () => {
    const p = preprocess(src('/* a', 'b', 'c */ x;', '// d \\', 'e', '#if Q', 'q;', '#endif'));
    expect(p.conditionals.map((k) => k.line)).toEqual([6]);
    expect(p.comments.map((k) => k.line)).toEqual([1, 4]);
    expect(render(p.lineCond[7])).toBe('Q');
  });

  it('says when a block comment is never closed, and blanks it to the end', () => {
    const p = preprocess(src('int a;', '/* open', '#if X', 'y;'));
    expect(p.diagnostics).toEqual(['line 2: unterminated /* comment (it runs to the end of the file)']);
    expect(p.conditionals).toEqual([]);
    expect(p.blanked.split('\n')).toEqual(['int a;', '       ', '     ', '  ']);
  });

  it('reads quotes with escapes and continuations, and stops an open one at the line end', () => {
    const p = preprocess(src('s = "a\\"#if X";', "c = '\\'';", 't = "open', '#if Y', 'y;', 'u = "x\\', '#if Z";', '#endif'));
    expect(p.conditionals.map((k) => [k.line, k.expr])).toEqual([[4, 'Y']]);
    expect(render(p.lineCond[5])).toBe('Y');
  });

  it('reads no comment inside quotes, and no quote of one kind inside a quote of the other', () => {
    const p = preprocess(src(`char q = '"'; /* one */`, `char *s = "it's"; /* two */`, 'char *u = "/* no */ // no";', '#if A', 'a;', '#endif'));
    expect(p.comments.map((k) => [k.line, k.text])).toEqual([
      [1, '/* one */'],
      [2, '/* two */']
    ]);
    expect(p.conditionals.map((k) => [k.line, k.expr])).toEqual([[4, 'A']]);
    // An escaped backslash ends nothing; a division is no comment; a comment may end the file without a newline.
    const q = preprocess(src('s = "a\\\\"; /* three */', 'x = a / b; /*/ four */', 'y = 1 \\ 2;', '#if B', 'b;', '#endif // five'));
    expect(q.comments.map((k) => [k.line, k.text])).toEqual([
      [1, '/* three */'],
      [2, '/*/ four */'],
      [6, '// five']
    ]);
    expect(q.conditionals.map((k) => [k.line, k.expr])).toEqual([[4, 'B']]);
    // A quote left open at the end of the file hides nothing after it.
    expect(preprocess('s = "open /* x */').comments).toEqual([]);
  });

  it('keeps the # of a stringizing or pasting #define body in that #define', () => {
    const p = preprocess(src('#define STR(x) #x', '#define CAT(a, b) a ## b', 'int y;'));
    expect(p.defines.map((d) => d.name)).toEqual(['STR', 'CAT']);
    expect(p.blanked).toBe(src(' '.repeat(17), ' '.repeat(24), 'int y;'));
  });

  it('reads a backslash before CRLF as a continuation, in a directive and in a quote', () => {
    const p = preprocess('#if A \\\r\n && B\r\nint x;\r\ns = "x\\\r\n#if Z";\r\n#endif\r\n');
    expect(p.conditionals.map((k) => [k.line, k.expr, k.codeLines])).toEqual([[1, 'A && B', 2]]);
    expect(render(p.lineCond[3])).toBe('A && B');
    expect(p.diagnostics).toEqual([]);
  });

  it('blanks comments and directives for the parser, line for line', () => {
    const text = src('int a; /* x */ int b; // y', '#define M 1', 'int c;');
    const p = preprocess(text);
    expect(p.blanked).toBe(src('int a;         int b;     ', '           ', 'int c;'));
    expect(p.lineCount).toBe(3);
    // A comment longer than any run of spaces kept at hand is blanked to its full length too.
    const long = `int a; /* ${'x'.repeat(3000)} */ int b;`;
    expect(preprocess(long).blanked).toBe(`int a; ${' '.repeat(3006)} int b;`);
  });
});

describe('line breaks and continuations', () => {
  it('reads a lone CR as a line break, keeping every offset', () => {
    expect(lineBreaksAsLF('a\rb\r\nc\n')).toBe('a\nb\r\nc\n');
    expect(lineBreaksAsLF('plain')).toBe('plain');
    const c = conds('#ifdef X\rint a;\r#endif\r');
    expect(c[1]).toBe('defined(X)');
  });

  it('joins continued lines on the first, putting the removed characters back at the end', () => {
    expect(joinContinuations('int a\\\n = 1;\nx;')).toBe('int a = 1; \n\nx;');
    expect(joinContinuations('a\\\r\nb\r\nc')).toBe('ab  \n\r\nc');
    expect(joinContinuations('a\\\nb\\\nc')).toBe('abc \n \n');
    expect(joinContinuations('a\\\n')).toBe('a \n');
    expect(joinContinuations('a\\b\nc')).toBe('a\\b\nc');
    expect(joinContinuations('no continuation\n')).toBe('no continuation\n');
  });

  it('gives the parser joined lines of the same length', () => {
    const text = 'int uvm_\\\nhmm;\n';
    const p = preprocess(text);
    expect(p.blanked).toBe('int uvm_hmm; \n\n');
    expect(p.blanked.length).toBe(text.length);
  });

  it('counts code lines, not comments, directives or blank lines', () => {
    const p = preprocess(src('#if A', '', '  ', '/* c */', 'x;', '  y; // z', '#define Q', '#endif'));
    expect(p.conditionals[0].codeLines).toBe(2);
  });
});

describe('limits', () => {
  it('replaces a branch condition over the literal limit by one opaque atom, and says so', () => {
    const big = Array.from({ length: MAX_CONDITION_LITERALS + 1 }, (_, i) => `defined(M${i})`).join(' || ');
    const p = preprocess(src(`#if ${big}`, 'x;', '#else', 'y;', '#endif'));
    expect(render(p.lineCond[2])).toMatch(/^HMM_WATCH_OPAQUE\([0-9a-f]{16}\)$/);
    expect(render(p.lineCond[4])).toBe(`!${render(p.lineCond[2])}`);
    expect(p.limits[0]).toMatch(new RegExp(`^line 1: #if condition has ${MAX_CONDITION_LITERALS + 1} literals > limit ${MAX_CONDITION_LITERALS}`));
    const fits = Array.from({ length: MAX_CONDITION_LITERALS }, (_, i) => `defined(M${i})`).join(' || ');
    expect(preprocess(src(`#if ${fits}`, 'x;', '#endif')).limits).toEqual([]);
  });

  it('keeps nested presence conditions bounded by an opaque atom for the enclosing lines', () => {
    // 70 levels of 4 literals: past the nesting limit (64) and, at level 65, past 256 literals.
    const lines: string[] = [];
    for (let i = 0; i < 70; i++) lines.push(`#if defined(A${i}) && defined(B${i}) && defined(C${i}) && defined(D${i})`);
    lines.push('x;');
    for (let i = 0; i < 70; i++) lines.push('#endif');
    const p = preprocess(src(...lines));
    const x = p.lineCond[71];
    expect(render(x)).toMatch(/HMM_WATCH_OPAQUE/);
    expect(p.limits).toContain(
      `line ${MAX_IF_DEPTH + 1}: #if nested ${MAX_IF_DEPTH + 1} deep > limit ${MAX_IF_DEPTH}: conditions are kept to ${MAX_CONDITION_LITERALS} literals`
    );
    expect(p.limits.some((l) => /presence condition/.test(l))).toBe(true);
  });

  it('lists at most ten limit diagnostics, then how many more', () => {
    const big = Array.from({ length: MAX_CONDITION_LITERALS + 1 }, (_, i) => `defined(M${i})`).join(' && ');
    const lines: string[] = [];
    for (let i = 0; i < 11; i++) lines.push(`#if ${big} && defined(N${i})`, 'x;', '#endif');
    const p = preprocess(src(...lines));
    expect(p.limits).toHaveLength(11);
    expect(p.limits[10]).toBe('… 1 more limit(s) hit in this file');
  });

  it('names the line of an expression over the token limit', () => {
    const long = Array.from({ length: 2100 }, (_, i) => `M${i}`).join(' + ');
    const p = preprocess(src('x;', `#if ${long}`, 'y;', '#endif'));
    expect(p.limits).toHaveLength(1);
    expect(p.limits[0]).toMatch(/^line 2: #if expression too large \(4199 tokens > limit 4000\)/);
  });
});
