// The preprocessor's lexer (src/frontend/preprocess.ts) jumps from one thing to do to the next with regular
// expressions and counts lines only where it finds something. Here it is checked against the plain reading, one
// character at a time, on random C-like texts full of comments, literals, directives, continuations and line breaks
// (LF, CRLF, a lone CR as the preprocessor reads it: as LF).
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { commentsOf, type Directive, definesOfText, lex, lineBreaksAsLF, preprocess } from '../src/frontend/preprocess.js';

/** Backslash-newline at i: its length (2, or 3 with CRLF), else 0. */
function continuationAt(text: string, i: number): number {
  if (text[i] !== '\\') return 0;
  if (text[i + 1] === '\n') return 2;
  if (text[i + 1] === '\r' && text[i + 2] === '\n') return 3;
  return 0;
}

/** The lexer's answer, one character at a time. */
function oracle(text: string) {
  const comments: Array<{ line: number; text: string }> = [];
  const commentSpans: Array<[number, number]> = [];
  const directives: Directive[] = [];
  let unterminatedComment: number | undefined;
  let line = 1;
  let logicalStart = 0; // after the last line break that ends a logical line outside comments and literals
  let dir: { start: number; line: number; firstComment: number } | undefined;
  const finish = (end: number): void => {
    if (!dir) return;
    let body = '';
    let from = dir.start + 1;
    for (const [cs, ce] of commentSpans.slice(dir.firstComment)) {
      body += `${text.slice(from, cs)} `;
      from = ce;
    }
    body = `${body}${text.slice(from, Math.max(from, end))}`
      .replace(/\\\r?\n/g, '')
      .replace(/\s+/g, ' ')
      .trim();
    const m = /^([A-Za-z_]\w*)?\s*(.*)$/.exec(body)!;
    directives.push({ line: dir.line, endLine: line, start: dir.start, end: Math.max(end, from), name: m[1] ?? '', rest: m[2].trim() });
    dir = undefined;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const k = continuationAt(text, i);
    if (c === '\n') {
      finish(i);
      line++;
      i++;
      logicalStart = i;
    } else if (k) {
      line++;
      i += k;
    } else if (c === '/' && text[i + 1] === '/') {
      // To the line break, unless a backslash (after the `//`) stands just before it.
      const startLine = line;
      let j = i + 2;
      while (j < text.length && text[j] !== '\n') {
        const kk = continuationAt(text, j);
        if (kk) {
          line++;
          j += kk;
        } else j++;
      }
      comments.push({ line: startLine, text: text.slice(i, j).replace(/\r$/, '') });
      commentSpans.push([i, j]);
      i = j;
    } else if (c === '/' && text[i + 1] === '*') {
      const startLine = line;
      let j = i + 2;
      while (j < text.length && !(text[j] === '*' && text[j + 1] === '/')) {
        if (text[j] === '\n') line++;
        j++;
      }
      if (j >= text.length) unterminatedComment = startLine;
      j = Math.min(text.length, j + 2);
      comments.push({ line: startLine, text: text.slice(i, j) });
      commentSpans.push([i, j]);
      i = j;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') {
        const kk = continuationAt(text, j);
        if (kk) line++;
        j += kk || (text[j] === '\\' ? 2 : 1);
      }
      i = j < text.length && text[j] === c ? j + 1 : Math.min(j, text.length);
    } else {
      if (c === '#' && !dir && /^(?:[ \t\f\v\r]|\\\r?\n)*$/.test(text.slice(logicalStart, i))) dir = { start: i, line, firstComment: commentSpans.length };
      i++;
    }
  }
  finish(text.length);
  return { directives, comments, commentSpans, unterminatedComment };
}

const PIECES = [
  '\n',
  '\n',
  '\r\n',
  '\r',
  ' ',
  '\t',
  '\f',
  '\\',
  '\\\n',
  '\\\r\n',
  '#',
  '#if A',
  '#ifdef B',
  '#  define X(a) a',
  '#else',
  '#endif',
  '#include "a.h"',
  '"',
  "'",
  '"s\\"t"',
  "'\\''",
  '"\\\\',
  '/*',
  '*/',
  '//',
  '/',
  '*',
  'x',
  'int a;',
  '\u00a0',
  '\u2028'
];

describe('lex', () => {
  it('finds the comments, directives and lines that reading one character at a time finds', () => {
    let directives = 0;
    let comments = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), (parts) => {
        const raw = parts.join('');
        const text = lineBreaksAsLF(raw);
        const expected = oracle(text);
        const lexed = lex(text);
        const { comments: expectedComments, ...rest } = expected;
        expect(lexed).toEqual({ ...rest, commentLines: expectedComments.map((c) => c.line) });
        expect(commentsOf(text, lexed)).toEqual(expectedComments);
        expect(preprocess(raw).comments).toEqual(expectedComments);
        // A header's macros are read with the lexer alone: the same as the whole preprocessor pass gives.
        expect(definesOfText(raw)).toEqual(preprocess(raw).defines);
        directives += expected.directives.length;
        comments += expected.comments.length;
      }),
      { numRuns: 10000, seed: 23 }
    );
    // The texts are not all code: directives and comments are found by the thousand.
    expect(directives).toBeGreaterThan(1500);
    expect(comments).toBeGreaterThan(1500);
  });

  it('starts a directive on a line a continuation or white space leads to, and not after a comment on its line', () => {
    const text = lineBreaksAsLF('  \\\r\n #define A 1\r\n/* c */ #if X\n"s\\\n#x"\n#endif');
    expect(lex(text).directives.map((d) => [d.line, d.endLine, d.name, d.rest])).toEqual([
      [2, 2, 'define', 'A 1'],
      [6, 6, 'endif', '']
    ]);
  });
});
