// Line breaks and continuations read as a C compiler reads them: LF, CRLF and a lone CR each end a line, a
// backslash-newline joins two lines into one (in directives and in code), and an unterminated comment is said.

import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { render } from '../src/frontend/condition.js';
import { joinContinuations, preprocess } from '../src/frontend/preprocess.js';
import { runScan } from '../src/scan/run.js';
import type { Snapshot } from '../src/snapshot/snapshot.js';
import { lines, makeTree } from './helpers/tree.js';

const EXAMPLE = path.resolve('examples/nvidia-like-driver');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const abs = path.join(dir, name);
    return statSync(abs).isDirectory() ? filesUnder(abs) : [abs];
  });
}

/** The example driver with every line break written as `eol`. */
async function scanWithLineBreaks(eol: string): Promise<Snapshot> {
  const tree = makeTree({});
  try {
    cpSync(EXAMPLE, tree.root, { recursive: true });
    for (const f of filesUnder(tree.root)) writeFileSync(f, readFileSync(f, 'utf8').replace(/\r?\n/g, eol));
    return (await runScan(tree.root, { profile: 'nvidia-uvm-hmm' })).snapshot;
  } finally {
    tree.remove();
  }
}

describe('line breaks', () => {
  it('gives the same facts, conditions, capabilities and diagnostics in LF, CRLF and CR', async () => {
    const [lf, crlf, cr] = await Promise.all(['\n', '\r\n', '\r'].map(scanWithLineBreaks));
    expect(lf.facts.length).toBeGreaterThan(40);
    for (const other of [crlf, cr]) {
      expect(other.facts).toEqual(lf.facts);
      expect(other.capabilities).toEqual(lf.capabilities);
      expect(other.constraints).toEqual(lf.constraints);
      expect(other.diagnostics).toEqual(lf.diagnostics);
    }
  });

  it('ends a line at a lone CR in the preprocessor', () => {
    const p = preprocess('#ifdef X\rint a;\r#endif\rint b;\r');
    expect(p.lineCount).toBe(5);
    expect(render(p.lineCond[2])).toBe('defined(X)');
    expect(render(p.lineCond[4])).toBe('1');
    expect(p.diagnostics).toEqual([]);
  });
});

describe('backslash-newline continuations', () => {
  it('join the lines of a directive, even inside its name', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const p = preprocess(['#if\\', 'def X', 'int a;', '#endif', '#if defined(A) && \\', '    defined(B)', 'int b;', '#endif', ''].join(eol));
      expect(p.conditionals.map((c) => [c.line, c.directive, c.expr])).toEqual([
        [1, 'ifdef', 'X'],
        [5, 'if', 'defined(A) && defined(B)']
      ]);
      expect(render(p.lineCond[3])).toBe('defined(X)');
      expect(render(p.lineCond[7])).toBe('defined(A) && defined(B)');
      expect(p.diagnostics).toEqual([]);
    }
  });

  it('make a directive of a # that only continued white space precedes', () => {
    const p = preprocess(lines('  \\', '#ifdef X', 'int a;', '#endif'));
    expect(p.conditionals.map((c) => [c.line, c.expr])).toEqual([[2, 'X']]);
    expect(render(p.lineCond[3])).toBe('defined(X)');
  });

  it("join code lines on the logical line's first line, keeping the length and the line count", () => {
    const text = 'a = migrate_vma_\\\nsetup(x) +\\\r\n y;\nb;\nc\\\n';
    const joined = joinContinuations(text);
    expect(joined).toBe('a = migrate_vma_setup(x) + y; \n  \n\nb;\nc \n');
    expect(joined.length).toBe(text.length);
    expect(joined.split('\n').length).toBe(text.split('\n').length);
    expect(joinContinuations('no continuation\n')).toBe('no continuation\n');
  });

  it('find a call whose name is split across lines, at the line where it starts', async () => {
    const tree = makeTree({
      'drv/split.c': lines(
        'int probe(struct migrate_vma *args)',
        '{',
        '    return migrate_vma_\\',
        'setup(args);',
        '}',
        'int later(void) { return hmm_range_fault(r); }'
      )
    });
    try {
      const { snapshot } = await runScan(tree.root, { profile: 'linux-hmm-generic' });
      expect(snapshot.facts.filter((f) => f.kind === 'call').map((f) => [f.line, f.kind === 'call' && f.callee, f.kind === 'call' && f.function])).toEqual([
        [3, 'migrate_vma_setup', 'probe'],
        [6, 'hmm_range_fault', 'later']
      ]);
    } finally {
      tree.remove();
    }
  });
});

describe('an unterminated comment', () => {
  it('gets its own diagnostic, with the line where it opens', () => {
    const p = preprocess(lines('int a;', '#if X', 'int b; /* never closed', '#endif', 'int c;'));
    expect(p.diagnostics).toEqual(['line 3: unterminated /* comment (it runs to the end of the file)', 'line 2: #if without #endif (closed at end of file)']);
  });
});
