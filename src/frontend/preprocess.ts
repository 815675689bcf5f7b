// The preprocessor pass: finds comments, string/char literals, line continuations and directives, gives every
// source line its presence condition (the conjunction of the enclosing `#if` branches), and produces a copy of
// the text whose directive lines are blanked (line and column positions kept) for the C parser, so that both
// branches of an `#if/#else` are parsed, each with its own condition.
import { and, Cond, FALSE, not, parseCondition, TRUE } from './condition.js';

export interface Comment {
  line: number;
  text: string;
}

/** One `#if`/`#ifdef`/`#ifndef`/`#elif` branch head. */
export interface Conditional {
  line: number;
  directive: string;
  /** The expression as written (comments removed, whitespace folded). */
  expr: string;
  /** Condition of this branch alone (an `#elif` includes the negation of the earlier branches). */
  branch: Cond;
  /** Presence condition of the branch's lines. */
  presence: Cond;
  /** Lines of code in the branch (not counting directives, comments or blank lines). */
  codeLines: number;
}

export interface Preprocessed {
  blanked: string;
  lineCount: number;
  /** Presence condition of each line, 1-based (index 0 unused). */
  lineCond: Cond[];
  comments: Comment[];
  conditionals: Conditional[];
  /** Conditions every successful build satisfies (from branches that hold only `#error`). */
  constraints: Cond[];
  diagnostics: string[];
}

interface Directive {
  line: number;
  endLine: number;
  start: number;
  end: number;
  name: string;
  rest: string;
}

interface Lexed {
  directives: Directive[];
  comments: Comment[];
  codeLine: Uint8Array;
  lineCount: number;
}

const NL = 10;
const CR = 13;
const BACKSLASH = 92;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === CR || c === 11 || c === 12;
}

/** Length of a backslash-newline at i (2 or 3 with CRLF), or 0. */
function continuation(text: string, i: number): number {
  if (text.charCodeAt(i) !== BACKSLASH) return 0;
  const n = text.charCodeAt(i + 1);
  if (n === NL) return 2;
  if (n === CR && text.charCodeAt(i + 2) === NL) return 3;
  return 0;
}

function lex(text: string): Lexed {
  const n = text.length;
  let lineCount = 1;
  for (let i = 0; i < n; i++) if (text.charCodeAt(i) === NL) lineCount++;
  const codeLine = new Uint8Array(lineCount + 2);
  const comments: Comment[] = [];
  const directives: Directive[] = [];

  let i = 0;
  let line = 1;
  let lineHasCode = false;
  let dir: { start: number; line: number; parts: string[] } | null = null;

  const finishDirective = (end: number): void => {
    if (!dir) return;
    const body = dir.parts.join('').replace(/\s+/g, ' ').trim();
    const m = /^([A-Za-z_]\w*)?\s*(.*)$/.exec(body)!;
    directives.push({ line: dir.line, endLine: line, start: dir.start, end, name: m[1] ?? '', rest: m[2].trim() });
    dir = null;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === NL) {
      finishDirective(i);
      line++;
      lineHasCode = false;
      i++;
      continue;
    }
    const cont = continuation(text, i);
    if (cont) {
      if (dir) dir.parts.push(' ');
      line++;
      i += cont;
      continue;
    }
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      let j = i + 2;
      const startLine = line;
      while (j < n && text.charCodeAt(j) !== NL) {
        const k = continuation(text, j);
        if (k) {
          line++;
          j += k;
        } else j++;
      }
      comments.push({ line: startLine, text: text.slice(i, j).replace(/\r$/, '') });
      if (dir) dir.parts.push(' ');
      i = j;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const close = text.indexOf('*/', i + 2);
      const j = close === -1 ? n : close + 2;
      const body = text.slice(i, j);
      comments.push({ line, text: body });
      for (let k = 0; k < body.length; k++) if (body.charCodeAt(k) === NL) line++;
      if (dir) dir.parts.push(' ');
      i = j;
      continue;
    }
    if (c === 34 /* " */ || c === 39 /* ' */) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === c) {
          j++;
          break;
        }
        if (d === NL) break; // unterminated: stop at the end of the line
        if (d === BACKSLASH) {
          const k = continuation(text, j);
          if (k) {
            line++;
            j += k;
            continue;
          }
          j += 2;
          continue;
        }
        j++;
      }
      if (dir) dir.parts.push(text.slice(i, j));
      else {
        lineHasCode = true;
        codeLine[line] = 1;
      }
      i = j;
      continue;
    }
    if (dir) {
      dir.parts.push(text[i]);
    } else if (c === 35 /* # */ && !lineHasCode) {
      dir = { start: i, line, parts: [] };
    } else if (!isSpace(c)) {
      lineHasCode = true;
      codeLine[line] = 1;
    }
    i++;
  }
  finishDirective(n);
  return { directives, comments, codeLine, lineCount };
}

function blank(text: string, directives: Directive[]): string {
  if (directives.length === 0) return text;
  const parts: string[] = [];
  let prev = 0;
  for (const d of directives) {
    parts.push(text.slice(prev, d.start));
    parts.push(text.slice(d.start, d.end).replace(/[^\n]/g, ' '));
    prev = d.end;
  }
  parts.push(text.slice(prev));
  return parts.join('');
}

interface Branch {
  head: Conditional | null; // null for #else
  line: number;
  cond: Cond; // branch condition alone
  hasError: boolean;
}

interface Group {
  enclosing: Cond;
  earlier: Cond[]; // conditions of earlier branches
  branches: Branch[];
  sawElse: boolean;
  line: number;
}

/**
 * The include-guard idiom: the first directive is `#ifndef X` (or `#if !defined(X)`), the next is `#define X`,
 * its `#endif` is the last directive and no code stands outside it. Its condition is always true in practice.
 */
function includeGuard(directives: Directive[], codeLine: Uint8Array): Directive | undefined {
  const [first, second] = directives;
  const last = directives[directives.length - 1];
  if (!first || !second || last.name !== 'endif') return undefined;
  const guard = first.name === 'ifndef' ? first.rest.split(' ')[0] : /^!\s*defined\s*\(?\s*(\w+)\s*\)?$/.exec(first.rest)?.[1];
  if (!guard || first.name === 'ifdef' || (first.name !== 'ifndef' && first.name !== 'if')) return undefined;
  if (second.name !== 'define' || second.rest.split(/[\s(]/)[0] !== guard) return undefined;
  for (let l = 1; l < first.line; l++) if (codeLine[l]) return undefined;
  for (let l = last.endLine + 1; l < codeLine.length; l++) if (codeLine[l]) return undefined;
  // The #endif must close the #ifndef: count nesting.
  let depth = 0;
  for (const d of directives) {
    if (d.name === 'if' || d.name === 'ifdef' || d.name === 'ifndef') depth++;
    else if (d.name === 'endif' && --depth === 0) return d === last ? first : undefined;
  }
  return undefined;
}

export function preprocess(text: string): Preprocessed {
  const lexed = lex(text);
  const { directives, codeLine, lineCount } = lexed;
  const guard = includeGuard(directives, codeLine);
  const lineCond: Cond[] = new Array<Cond>(lineCount + 1).fill(TRUE);
  const conditionals: Conditional[] = [];
  const constraints: Cond[] = [];
  const diagnostics: string[] = [];
  const stack: Group[] = [];

  const current = (): Cond => {
    const g = stack[stack.length - 1];
    if (!g) return TRUE;
    return and(g.enclosing, g.branches[g.branches.length - 1].cond);
  };

  const codeLinesBetween = (from: number, to: number): number => {
    let count = 0;
    for (let l = from; l <= to; l++) count += codeLine[l];
    return count;
  };

  const closeBranch = (g: Group, endLine: number): void => {
    const b = g.branches[g.branches.length - 1];
    const code = codeLinesBetween(b.line + 1, endLine - 1);
    if (b.head) b.head.codeLines = code;
    if (b.hasError && code === 0) {
      // A branch that only stops the build: no configuration that builds takes it.
      constraints.push(not(and(g.enclosing, b.cond)));
      for (let l = b.line + 1; l < endLine && l <= lineCount; l++) lineCond[l] = FALSE;
    }
  };

  const openBranch = (g: Group, d: Directive, cond: Cond): void => {
    const prior = g.earlier.map(not);
    const branch = and(...prior, cond);
    const head: Conditional | null =
      d.name === 'else'
        ? null
        : { line: d.line, directive: d.name, expr: d.rest, branch, presence: and(g.enclosing, branch), codeLines: 0 };
    if (head) conditionals.push(head);
    g.branches.push({ head, line: d.endLine, cond: branch, hasError: false });
    g.earlier.push(cond);
  };

  let nextLine = 1;
  const fill = (upTo: number): void => {
    const c = current();
    for (; nextLine <= upTo && nextLine <= lineCount; nextLine++) lineCond[nextLine] = c;
  };

  for (const d of directives) {
    fill(d.line - 1);
    const enclosing = current();
    for (let l = d.line; l <= d.endLine && l <= lineCount; l++) lineCond[l] = enclosing;
    nextLine = d.endLine + 1;
    switch (d.name) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        const cond =
          d === guard
            ? TRUE
            : d.name === 'if'
            ? parseCondition(d.rest)
            : d.name === 'ifdef'
              ? parseCondition(`defined(${d.rest.split(' ')[0]})`)
              : not(parseCondition(`defined(${d.rest.split(' ')[0]})`));
        const g: Group = { enclosing, earlier: [], branches: [], sawElse: false, line: d.line };
        openBranch(g, d, cond);
        stack.push(g);
        break;
      }
      case 'elif':
      case 'elifdef':
      case 'elifndef':
      case 'else': {
        const g = stack[stack.length - 1];
        if (!g) {
          diagnostics.push(`line ${d.line}: #${d.name} without #if (ignored)`);
          break;
        }
        if (g.sawElse) diagnostics.push(`line ${d.line}: #${d.name} after #else (group opened at line ${g.line})`);
        closeBranch(g, d.line);
        const cond =
          d.name === 'else'
            ? TRUE
            : d.name === 'elif'
              ? parseCondition(d.rest)
              : d.name === 'elifdef'
                ? parseCondition(`defined(${d.rest.split(' ')[0]})`)
                : not(parseCondition(`defined(${d.rest.split(' ')[0]})`));
        if (d.name === 'else') g.sawElse = true;
        openBranch(g, d, cond);
        break;
      }
      case 'endif': {
        const g = stack.pop();
        if (!g) {
          diagnostics.push(`line ${d.line}: #endif without #if (ignored)`);
          break;
        }
        closeBranch(g, d.line);
        break;
      }
      case 'error': {
        const g = stack[stack.length - 1];
        if (g) g.branches[g.branches.length - 1].hasError = true;
        break;
      }
      default:
        break;
    }
  }
  fill(lineCount);
  for (const g of stack.reverse()) {
    diagnostics.push(`line ${g.line}: #if without #endif (closed at end of file)`);
    closeBranch(g, lineCount + 1);
  }
  return {
    blanked: blank(text, directives),
    lineCount,
    lineCond,
    comments: lexed.comments,
    conditionals,
    constraints,
    diagnostics
  };
}
