// The regular expressions of profiles (`pattern` of marker and doc-claim rules, `value-pattern` of assignment
// rules, `where` regexes and globs of capabilities) run on scanned text, which anyone can write, and come from
// profiles, which anyone can write too. JavaScript's backtracking engine takes exponential time on patterns such as
// `^.*(a+)+$`; these run on RE2 (re2js, a pure-JavaScript port), whose matching time is linear in the input.
// RE2 has no back-references or look-around: a profile that uses them is rejected at load (`regexProblem`), except
// for one form, a leading negative look-ahead `^(?!X)Y` (the built-in profiles use it: a name that does not end in
// `_test`), which is two RE2 matches: `^(?:Y)` matches and `^(?:X)` does not.
// Each pattern is compiled once per process (profiles are validated at load, workers compile on first use).
import { RE2JS } from 're2js';

export interface ProfileRegex {
  /** Whether the pattern matches somewhere in `text`. */
  test(text: string): boolean;
  /** The first match in `text`, or undefined. */
  find(text: string): string | undefined;
  /**
   * False only when no line of `text` (split at LF) holds a match: one search of the whole text instead of one per
   * line. False when the text lacks the literal text every match starts with; else, without `^`, `$`, `\A` or `\z`
   * in the pattern, whether the text holds a match (a match in a line is a match of the same characters in the text:
   * at a line's edges `\b` and `\B` see a line break, no word character, as they see the edge); else true.
   */
  mayMatchALine(text: string): boolean;
  /** Text every match starts with, '' when none is known (see leadingLiteral). */
  readonly literal: string;
}

/** Longest pattern a profile may give (the schema says the same). */
export const MAX_PATTERN_LENGTH = 1000;

const compiled = new Map<string, ProfileRegex>();

/** Index of the `)` closing the group opened before `from`, skipping escapes and classes; -1 when unclosed. */
function groupEnd(source: string, from: number): number {
  let depth = 1;
  let inClass = false;
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Whether a pattern has a `|` outside every group and class (an alternative the look-ahead would not cover). */
function topLevelBar(source: string): boolean {
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[' || c === '(') {
      const end = c === '(' ? groupEnd(source, i + 1) : source.indexOf(']', i + 2);
      if (end === -1) return false; // unbalanced: RE2 reports it
      i = end;
    } else if (c === '|') return true;
  }
  return false;
}

/** `^(?!X)Y` as its two RE2 parts, or undefined for any other pattern. */
function leadingLookahead(source: string): { not: string; rest: string } | undefined {
  if (!source.startsWith('^(?!')) return undefined;
  const end = groupEnd(source, 4);
  if (end === -1) return undefined;
  const rest = source.slice(end + 1);
  if (topLevelBar(rest)) return undefined;
  return { not: `^(?:${source.slice(4, end)})`, rest: `^(?:${rest})` };
}

const programs = new Map<string, RE2JS>();

/** RE2's program for a pattern, compiled once: checking a profile's patterns at load and using them share it. */
function re2(source: string, ignoreCase: boolean): RE2JS {
  const key = `${ignoreCase ? 'i' : '-'}${source}`;
  let program = programs.get(key);
  if (!program) {
    program = RE2JS.compile(source, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
    programs.set(key, program);
  }
  return program;
}

function firstMatch(re: RE2JS, text: string): string | undefined {
  const m = re.matcher(text);
  return m.find() ? (m.group() ?? '') : undefined;
}

/** Whether a pattern may assert a line's or text's start or end (then a match in a line need not be one in a text). */
const LINE_ANCHOR = /[\^$]|\\[Az]/;

/**
 * Text every match of a pattern starts with: its leading plain characters, less the last when a quantifier (`*`, `+`,
 * `?`, `{`) follows it; '' when the pattern has an alternative (`|`) anywhere or starts with anything else.
 */
function leadingLiteral(source: string, ignoreCase: boolean): string {
  if (ignoreCase || source.includes('|')) return '';
  const run = /^[A-Za-z0-9_:;,=@%&~#'"/<>! -]*/.exec(source)![0];
  return /^[*+?{]/.test(source.slice(run.length)) ? run.slice(0, -1) : run;
}

function compile(source: string, ignoreCase: boolean): ProfileRegex {
  const split = leadingLookahead(source);
  if (split) {
    const not = re2(split.not, ignoreCase);
    const rest = re2(split.rest, ignoreCase);
    return {
      test: (text) => !not.test(text) && rest.test(text),
      find: (text) => (not.test(text) ? undefined : firstMatch(rest, text)),
      mayMatchALine: () => true,
      literal: ''
    };
  }
  const re = re2(source, ignoreCase);
  const anchored = LINE_ANCHOR.test(source);
  const literal = leadingLiteral(source, ignoreCase);
  return {
    test: (text) => re.test(text),
    find: (text) => firstMatch(re, text),
    mayMatchALine: (text) => (literal === '' || text.includes(literal)) && (anchored || re.test(text)),
    literal
  };
}

/** The compiled pattern (compiled on first use). Throws on a pattern `regexProblem` rejects. */
export function profileRegex(source: string, ignoreCase = false): ProfileRegex {
  const key = `${ignoreCase ? 'i' : '-'}${source}`;
  let re = compiled.get(key);
  if (!re) {
    const problem = regexProblem(source);
    if (problem) throw new Error(`not a valid regular expression: ${problem}`);
    re = compile(source, ignoreCase);
    compiled.set(key, re);
  }
  return re;
}

/** Why a profile pattern cannot be used (too long, or not RE2 syntax), or undefined when it can. */
export function regexProblem(source: string): string | undefined {
  if (source.length > MAX_PATTERN_LENGTH) return `longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    const split = leadingLookahead(source);
    if (split) {
      re2(split.not, false);
      re2(split.rest, false);
    } else re2(source, false);
    return undefined;
  } catch (e) {
    const message = (e as Error).message.replace(/^error parsing regexp: /, '');
    return `${message} (patterns use RE2 syntax: no back-references, no look-around but a leading ^(?!…))`;
  }
}
