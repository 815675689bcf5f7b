// The preprocessor pass: finds comments, string/char literals, line continuations and directives, gives every
// source line its presence condition (the conjunction of the enclosing `#if` branches), and produces a copy of
// the text whose directive lines are blanked (line positions kept) for the C parser, so that both branches of an
// `#if/#else` are parsed, each with its own condition. Line breaks and continuations are read as a C compiler
// reads them: LF, CRLF and a lone CR each end a line, and a backslash-newline joins two lines into one.
import { and, type Cond, FALSE, not, opaqueAtom, parseConditionChecked, render, sizeOf, TRUE } from './condition.js';
import { type MacroDef, parseDefine } from './macros.js';

/**
 * Most literals in a branch or presence condition. Past it the enclosing part is replaced by one opaque atom (the
 * branches of one `#if` share it, so they stay complementary), then, if still too large, the whole condition.
 */
export const MAX_CONDITION_LITERALS = 256;
/** `#if` nesting past which a file gets a diagnostic (its conditions are bounded by MAX_CONDITION_LITERALS). */
export const MAX_IF_DEPTH = 64;
/** Most limit diagnostics listed per file (then a count of the others). */
const MAX_LIMIT_DIAGNOSTICS = 10;

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
  /**
   * The parser's input: the text with directive lines and comments blanked, and each logical line that
   * backslash-newlines continue joined on its first line (the removed characters are put back as white space and
   * newlines at its end). Same length and line count; offsets differ only inside joined lines.
   */
  blanked: string;
  lineCount: number;
  /** Presence condition of each line, 1-based (index 0 unused). */
  lineCond: Cond[];
  comments: Comment[];
  conditionals: Conditional[];
  /** Conditions every successful build satisfies (from branches that hold only `#error`). */
  constraints: Cond[];
  /** The file's `#define`s, in order (bodies with comments removed and whitespace folded). */
  defines: MacroDef[];
  diagnostics: string[];
  /** Where a limit was hit (expression size, nesting, condition size), each naming its line. */
  limits: string[];
}

export interface Directive {
  line: number;
  endLine: number;
  start: number;
  end: number;
  name: string;
  rest: string;
}

const NL = 10;
const CR = 13;
const BACKSLASH = 92;

const LONE_CR = /\r(?!\n)/g;

/** A lone CR (old Mac line ends, accepted by GCC) as LF: every line break is then LF or CRLF, every offset kept. */
export function lineBreaksAsLF(text: string): string {
  return text.includes('\r') ? text.replace(LONE_CR, '\n') : text;
}

/**
 * Joins the physical lines of each logical line that backslash-newlines continue, as translation phase 2 does, so
 * that a token split across lines is one token again. The logical line stays on its first line; the removed
 * characters go back, as spaces and newlines, at its end: the same length and line count, and the same offsets
 * outside joined lines.
 */
export function joinContinuations(text: string): string {
  if (!text.includes('\\\n') && !text.includes('\\\r\n')) return text;
  const parts: string[] = [];
  let pad = '';
  let from = 0;
  while (from < text.length) {
    const nl = text.indexOf('\n', from);
    if (nl === -1) {
      parts.push(text.slice(from), pad);
      pad = '';
      break;
    }
    const cr = nl > from && text.charCodeAt(nl - 1) === CR ? 1 : 0;
    const bs = nl - cr - 1;
    if (bs >= from && text.charCodeAt(bs) === BACKSLASH) {
      parts.push(text.slice(from, bs));
      pad += `${' '.repeat(cr + 1)}\n`;
    } else {
      parts.push(text.slice(from, nl - cr), pad, text.slice(nl - cr, nl + 1));
      pad = '';
    }
    from = nl + 1;
  }
  if (from >= text.length) parts.push(pad); // continued up to the end of the text
  return parts.join('');
}

/** Length of a backslash-newline at i (2 or 3 with CRLF), or 0. */
function continuation(text: string, i: number): number {
  if (text.charCodeAt(i) !== BACKSLASH) return 0;
  const n = text.charCodeAt(i + 1);
  if (n === NL) return 2;
  if (n === CR && text.charCodeAt(i + 2) === NL) return 3;
  return 0;
}

const SLASH = 47;
const STAR = 42;
const DQUOTE = 34;
const HASH = 35;
/**
 * Outside a directive, where the lexer has something to do: a quote, a slash, a backslash, or the `#` of a directive
 * with the line break before it (only white space and backslash-newlines between them). Line breaks elsewhere are
 * jumped over by the regular expression, not visited one by one.
 */
const OUTSIDE = /["'/\\]|\n(?:[ \t\f\v\r]|\\\r?\n)*#/g;
/** The same `#` at the very start of the text. */
const FIRST_DIRECTIVE = /(?:[ \t\f\v\r]|\\\r?\n)*#/y;
/** Inside a directive: a quote, a slash, a backslash or the line break that ends it. */
const INSIDE = /[\n"'/\\]/g;
const IN_DQUOTE = /[\\"\n]/g;
const IN_SQUOTE = /[\\'\n]/g;

export interface Lexed {
  directives: Directive[];
  /** [start, end) offsets of comments. */
  commentSpans: Array<[number, number]>;
  /** The line each comment starts on. */
  commentLines: number[];
  /** Line of a `/*` that is never closed (the comment then runs to the end of the file). */
  unterminatedComment?: number;
}

/**
 * Finds the comments, string and character literals and directives of a text whose line breaks are LF or CRLF. A
 * `#` starts a directive when only white space and backslash-newlines precede it on its logical line (a line a
 * comment or a literal ends on does not start one). Line numbers are counted only where something is found.
 */
export function lex(text: string): Lexed {
  const n = text.length;
  const commentLines: number[] = [];
  const commentSpans: Array<[number, number]> = [];
  const directives: Directive[] = [];
  let unterminatedComment: number | undefined;

  // The 1-based line of an offset; offsets are asked in increasing order, so each line break is counted once.
  let line = 1;
  let counted = 0;
  const lineAt = (at: number): number => {
    for (let nl = text.indexOf('\n', counted); nl !== -1 && nl < at; nl = text.indexOf('\n', nl + 1)) line++;
    if (at > counted) counted = at;
    return line;
  };

  let dir: { start: number; line: number; firstComment: number } | null = null;
  const finishDirective = (d: { start: number; line: number; firstComment: number }, end: number): void => {
    let body = '';
    let from = d.start + 1;
    for (let k = d.firstComment; k < commentSpans.length; k++) {
      const [cs, ce] = commentSpans[k];
      body += `${text.slice(from, cs)} `;
      from = ce;
    }
    body += text.slice(from, Math.max(from, end));
    body = body
      .replace(/\\\r?\n/g, '')
      .replace(/\s+/g, ' ')
      .trim();
    const m = /^([A-Za-z_]\w*)?\s*(.*)$/.exec(body)!;
    directives.push({ line: d.line, endLine: lineAt(end), start: d.start, end: Math.max(end, from), name: m[1] ?? '', rest: m[2].trim() });
  };

  let i = 0;
  FIRST_DIRECTIVE.lastIndex = 0;
  if (FIRST_DIRECTIVE.test(text)) {
    i = FIRST_DIRECTIVE.lastIndex - 1;
    dir = { start: i, line: lineAt(i), firstComment: 0 };
    i++;
  }
  for (;;) {
    const special = dir ? INSIDE : OUTSIDE;
    special.lastIndex = i;
    if (!special.test(text)) break;
    i = special.lastIndex - 1;
    const c = text.charCodeAt(i);
    if (c === HASH) {
      // OUTSIDE's line break, white space and `#`: a directive starts.
      dir = { start: i, line: lineAt(i), firstComment: commentSpans.length };
      i++;
      continue;
    }
    if (c === NL) {
      // The line break that ends the directive: scanning goes on from it (a directive may follow on the next line).
      finishDirective(dir!, i);
      dir = null;
    } else if (c === BACKSLASH) {
      i += continuation(text, i) || 1;
    } else if (c === SLASH) {
      const d = text.charCodeAt(i + 1);
      if (d === SLASH) {
        // A line comment runs to the end of the line, continued by a trailing backslash.
        const startLine = lineAt(i);
        let j = i + 2;
        for (;;) {
          const nl = text.indexOf('\n', j);
          if (nl === -1) {
            j = n;
            break;
          }
          const bs = text.charCodeAt(nl - 1) === CR ? nl - 2 : nl - 1;
          if (bs >= j && text.charCodeAt(bs) === BACKSLASH) {
            j = nl + 1;
            continue;
          }
          j = nl;
          break;
        }
        commentLines.push(startLine);
        commentSpans.push([i, j]);
        i = j;
      } else if (d === STAR) {
        const close = text.indexOf('*/', i + 2);
        const startLine = lineAt(i);
        if (close === -1) unterminatedComment = startLine;
        const j = close === -1 ? n : close + 2;
        commentLines.push(startLine);
        commentSpans.push([i, j]);
        i = j;
      } else i++;
    } else {
      // A string or character literal; an unterminated one stops at the end of the line.
      const inside = c === DQUOTE ? IN_DQUOTE : IN_SQUOTE;
      let j = i + 1;
      for (;;) {
        inside.lastIndex = j;
        if (!inside.test(text)) {
          j = n;
          break;
        }
        j = inside.lastIndex - 1;
        const ch = text.charCodeAt(j);
        if (ch === c) {
          j++;
          break;
        }
        if (ch === NL) break;
        j += continuation(text, j) || 2;
      }
      i = j;
    }
  }
  if (dir) finishDirective(dir, n);
  return { directives, commentSpans, commentLines, unterminatedComment };
}

/** The comments of a lexed text (a line comment without the CR of a CRLF that ends it). */
export function commentsOf(text: string, lexed: Lexed): Comment[] {
  return lexed.commentSpans.map(([start, end], k) => ({
    line: lexed.commentLines[k],
    text: text.slice(start, text.charCodeAt(start + 1) === SLASH && text.charCodeAt(end - 1) === CR ? end - 1 : end)
  }));
}

const SPACES = ' '.repeat(1024);

/** `n` spaces (a slice of one long run: no new string per comment). */
function spaces(n: number): string {
  return n <= SPACES.length ? SPACES.slice(0, n) : ' '.repeat(n);
}

/** The spans of the directives and of the comments, in order of their starts (each list is in that order). */
function spansInOrder(directives: Directive[], comments: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let c = 0;
  for (const d of directives) {
    while (c < comments.length && comments[c][0] < d.start) out.push(comments[c++]);
    out.push([d.start, d.end]);
  }
  while (c < comments.length) out.push(comments[c++]);
  return out;
}

/**
 * Replaces the spans (directives, comments; in order of their starts) with spaces, keeping newlines so positions stay
 * the same.
 */
function blank(text: string, spans: Array<[number, number]>): string {
  if (spans.length === 0) return text;
  const parts: string[] = [];
  let prev = 0;
  for (const [start, end] of spans) {
    if (start < prev) continue; // a comment inside a directive line
    parts.push(text.slice(prev, start));
    let from = start;
    for (let nl = text.indexOf('\n', from); nl !== -1 && nl < end; nl = text.indexOf('\n', from)) {
      parts.push(spaces(nl - from), '\n');
      from = nl + 1;
    }
    parts.push(spaces(end - from));
    prev = end;
  }
  parts.push(text.slice(prev));
  return parts.join('');
}

/**
 * Per line (1-based), 1 when it holds code: anything but white space once directives and comments are blanked; and
 * the code lines before each line (`codeBefore[l]`: lines 1 to l - 1), for a branch's count in constant time.
 */
function codeLines(blanked: string): { codeLine: Uint8Array; codeBefore: Uint32Array; lineCount: number } {
  const lines = blanked.split('\n');
  const codeLine = new Uint8Array(lines.length + 2);
  const codeBefore = new Uint32Array(lines.length + 3);
  const nonSpace = /\S/;
  let count = 0;
  for (let k = 0; k < lines.length; k++) {
    if (nonSpace.test(lines[k])) {
      codeLine[k + 1] = 1;
      count++;
    }
    codeBefore[k + 2] = count;
  }
  codeBefore[lines.length + 2] = count;
  return { codeLine, codeBefore, lineCount: lines.length };
}

interface Branch {
  head: Conditional | null; // null for #else
  line: number;
  cond: Cond; // branch condition alone
  presence: Cond; // with the enclosing conditions: what every line of the branch gets
  hasError: boolean;
}

interface Group {
  enclosing: Cond;
  /** The enclosing condition as one opaque atom, made when a presence condition grew past the limit. */
  enclosingOpaque?: Cond;
  /** Conjunction of the negated conditions of the earlier branches. */
  noneEarlier: Cond;
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

/** The `#define`s among directives, in order (those parseDefine can read). */
function definesIn(directives: Directive[]): MacroDef[] {
  const out: MacroDef[] = [];
  for (const d of directives) {
    if (d.name !== 'define') continue;
    const def = parseDefine(d.rest, d.line);
    if (def) out.push(def);
  }
  return out;
}

/** preprocess(source).defines, without the rest of its work (a header's macros need nothing else). */
export function definesOfText(source: string): MacroDef[] {
  return definesIn(lex(lineBreaksAsLF(source)).directives);
}

export function preprocess(source: string): Preprocessed {
  const text = lineBreaksAsLF(source);
  const lexed = lex(text);
  const { directives } = lexed;
  const blanked = joinContinuations(blank(text, spansInOrder(directives, lexed.commentSpans)));
  const { codeLine, codeBefore, lineCount } = codeLines(blanked);
  let comments: Comment[] | undefined;
  const guard = includeGuard(directives, codeLine);
  const lineCond: Cond[] = new Array<Cond>(lineCount + 1).fill(TRUE);
  const conditionals: Conditional[] = [];
  const constraints: Cond[] = [];
  const diagnostics: string[] = [];
  if (lexed.unterminatedComment !== undefined) diagnostics.push(`line ${lexed.unterminatedComment}: unterminated /* comment (it runs to the end of the file)`);
  const limits: string[] = [];
  let limitsHit = 0;
  const limit = (line: number, message: string): void => {
    if (limitsHit++ < MAX_LIMIT_DIAGNOSTICS) limits.push(`line ${line}: ${message}`);
  };
  const stack: Group[] = [];
  let deepestReported = false;
  /** A condition, or one opaque atom for it when it has more than MAX_CONDITION_LITERALS literals. */
  const bounded = (c: Cond, line: number, what: string): Cond => {
    const size = sizeOf(c);
    if (size <= MAX_CONDITION_LITERALS) return c;
    const o = opaqueAtom(render(c));
    limit(line, `${what} has ${size} literals > limit ${MAX_CONDITION_LITERALS}: read as the opaque condition ${render(o)}`);
    return o;
  };
  const parse = (d: Directive, expr: string): Cond => {
    const { cond, limit: over } = parseConditionChecked(expr);
    if (over) limit(d.line, `#${d.name} ${over}`);
    return cond;
  };

  /** The condition a branch head states: `#if`/`#elif` its expression, `#ifdef`/`#elifdef` X defined(X), `#else` 1. */
  const branchCondition = (d: Directive): Cond => {
    switch (d.name) {
      case 'if':
      case 'elif':
        return parse(d, d.rest);
      case 'ifdef':
      case 'elifdef':
        return parse(d, `defined(${d.rest.split(' ')[0]})`);
      case 'ifndef':
      case 'elifndef':
        return not(parse(d, `defined(${d.rest.split(' ')[0]})`));
      default:
        return TRUE;
    }
  };

  const current = (): Cond => {
    const g = stack[stack.length - 1];
    if (!g) return TRUE;
    return g.branches[g.branches.length - 1].presence;
  };

  // A branch's code lines in constant time, however deep the nesting.
  const codeLinesBetween = (from: number, to: number): number => {
    const a = Math.max(1, from);
    const b = Math.min(codeLine.length - 1, to);
    return b < a ? 0 : codeBefore[b + 1] - codeBefore[a];
  };

  const closeBranch = (g: Group, endLine: number): void => {
    const b = g.branches[g.branches.length - 1];
    const code = codeLinesBetween(b.line + 1, endLine - 1);
    if (b.head) b.head.codeLines = code;
    if (b.hasError && code === 0) {
      // A branch that only stops the build: no configuration that builds takes it.
      constraints.push(not(b.presence));
      for (let l = b.line + 1; l < endLine && l <= lineCount; l++) lineCond[l] = FALSE;
    }
  };

  const openBranch = (g: Group, d: Directive, parsed: Cond): void => {
    const cond = bounded(parsed, d.line, `#${d.name} condition`);
    const branch = bounded(and(g.noneEarlier, cond), d.line, `#${d.name} branch condition (with the earlier branches)`);
    // Built once per branch: every line of the branch shares this object (and its rendered text).
    let presence = and(g.enclosing, branch);
    if (sizeOf(presence) > MAX_CONDITION_LITERALS) {
      g.enclosingOpaque ??= bounded(g.enclosing, g.line, 'presence condition of the enclosing lines');
      presence = bounded(and(g.enclosingOpaque, branch), d.line, `presence condition of the #${d.name} branch`);
    }
    const head: Conditional | null = d.name === 'else' ? null : { line: d.line, directive: d.name, expr: d.rest, branch, presence, codeLines: 0 };
    if (head) conditionals.push(head);
    g.branches.push({ head, line: d.endLine, cond: branch, presence, hasError: false });
    g.noneEarlier = bounded(and(g.noneEarlier, not(cond)), d.line, `#${d.name} negated earlier branches`);
  };

  let nextLine = 1;
  const fill = (upTo: number): void => {
    const last = Math.min(upTo, lineCount);
    if (nextLine > last) return;
    lineCond.fill(current(), nextLine, last + 1);
    nextLine = last + 1;
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
        const cond = d === guard ? TRUE : branchCondition(d);
        const g: Group = { enclosing, noneEarlier: TRUE, branches: [], sawElse: false, line: d.line };
        openBranch(g, d, cond);
        stack.push(g);
        if (stack.length > MAX_IF_DEPTH && !deepestReported) {
          deepestReported = true;
          limit(d.line, `#if nested ${stack.length} deep > limit ${MAX_IF_DEPTH}: conditions are kept to ${MAX_CONDITION_LITERALS} literals`);
        }
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
        if (d.name === 'else') g.sawElse = true;
        openBranch(g, d, branchCondition(d));
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
  if (limitsHit > MAX_LIMIT_DIAGNOSTICS) limits.push(`… ${limitsHit - MAX_LIMIT_DIAGNOSTICS} more limit(s) hit in this file`);
  return {
    blanked,
    lineCount,
    lineCond,
    // Made when first read: only the marker rule reads them, and only in a file that may hold a marker.
    get comments(): Comment[] {
      comments ??= commentsOf(text, lexed);
      return comments;
    },
    conditionals,
    constraints,
    defines: definesIn(directives),
    diagnostics,
    limits
  };
}
