// Decides a build probe statically against a kernel tree: looks for what the probe's snippet needs (a function
// prototype, a struct member, a struct, an enumerator or macro, an exported symbol) in the headers it includes
// and, transitively, the headers they include, and records the file and line that decided it. A declaration
// counts only when its presence condition can hold under the kernel's Kconfig values (as the compiler would
// see it); a probe the kernel tree cannot answer stays undecided, with the reason.
import { type Cond, FALSE, satisfiable, substitute } from '../frontend/condition.js';
import { type Preprocessed, preprocess } from '../frontend/preprocess.js';
import type { Probe, ProbeTest } from './conftest.js';
import type { KernelTree } from './kernel-tree.js';

export interface ProbeDecision {
  macro: string;
  /** true: the probe defines its macro; false: it does not; absent: undecided. */
  value?: boolean;
  /** The kernel file and line that decided it (a declaration found), or the headers searched when none was. */
  file?: string;
  line?: number;
  /** How it was decided, in words (`migrate_device_range() is declared`). */
  how: string;
  /** Where the probe is defined: `conftest.sh:3579 (migrate_device_range)` or `profile`. */
  source: string;
}

/** Most headers one probe follows through `#include`. */
const MAX_HEADERS = 400;

/** Atoms every kernel module build decides the same way. */
const BUILD_ATOMS: ReadonlyMap<string, boolean> = new Map([
  ['defined(__KERNEL__)', true],
  ['defined(MODULE)', true],
  ['defined(__ASSEMBLY__)', false],
  ['defined(__GENKSYMS__)', false],
  ['__GENKSYMS__', false],
  ['defined(__CHECKER__)', false],
  ['defined(BUILD_VDSO)', false],
  ['defined(__DISABLE_EXPORTS)', false]
]);

/** Values of the Kconfig atoms a condition can use (`defined(CONFIG_X)`, `CONFIG_X`, `IS_ENABLED(CONFIG_X)` …). */
export function kconfigAtom(a: string, values: ReadonlyMap<string, string>): boolean | undefined {
  let m = /^defined\((CONFIG_\w+)\)$/.exec(a);
  if (m) {
    const mod = /^(CONFIG_\w+)_MODULE$/.exec(m[1]);
    if (mod) return values.get(mod[1]) === 'm';
    return values.has(m[1]) && values.get(m[1]) !== 'm';
  }
  m = /^(CONFIG_\w+)$/.exec(a);
  if (m) return values.get(m[1]) === 'y' || (values.has(m[1]) && !['m', 'n', '0', '""'].includes(values.get(m[1])!));
  m = /^(IS_ENABLED|IS_REACHABLE|IS_BUILTIN|IS_MODULE)\((CONFIG_\w+)\)$/.exec(a);
  if (m) {
    const v = values.get(m[2]);
    if (m[1] === 'IS_BUILTIN') return v === 'y';
    if (m[1] === 'IS_MODULE') return v === 'm';
    return v === 'y' || v === 'm';
  }
  return undefined;
}

export class ProbeDecider {
  private readonly pre = new Map<string, Preprocessed>();
  private readonly known = new Map<string, boolean>();

  constructor(
    readonly kernel: KernelTree,
    /** Atom values the configuration fixes (the CPU architecture's macros). */
    arch: ReadonlyMap<string, boolean>
  ) {
    for (const [k, v] of BUILD_ATOMS) this.known.set(k, v);
    for (const [k, v] of arch) this.known.set(k, v);
  }

  /** Whether a header line is compiled under the kernel's configuration (unknown atoms may go either way). */
  private compiled(file: string, text: string, line: number): boolean {
    let pre = this.pre.get(file);
    if (!pre) {
      pre = preprocess(text);
      this.pre.set(file, pre);
    }
    const c = pre.lineCond[line];
    if (!c || c.k === 'const') return c?.k !== 'const' || c.v;
    return this.holds(c);
  }

  private holds(c: Cond): boolean {
    const values = this.kernel.kconfig().values;
    const decided = new Map(this.known);
    const s = substitute(c, decided);
    const resolved = substituteWith(s, (a) => kconfigAtom(a, values));
    return resolved !== FALSE && satisfiable(resolved) !== false;
  }

  decide(probe: Probe, source: string): ProbeDecision {
    if (probe.tests.length === 0) return { macro: probe.macro, how: `the ${probe.category} probe's snippet is not a regular shape`, source };
    let last: { file: string; line: number; how: string } | undefined;
    for (const test of probe.tests) {
      if (test.kind === 'symbol' && test.gpl) {
        const exp = this.kernel.exported();
        const type = exp?.symbols.get(test.name);
        if (!exp) return { macro: probe.macro, how: `the tree has no Module.symvers to look up ${test.name}`, source };
        const gpl = type !== undefined && /^EXPORT_(UNUSED_)*SYMBOL_GPL$/.test(type);
        return { macro: probe.macro, value: gpl, file: exp.file, how: type ? `${test.name} is exported (${type})` : `${test.name} is not exported`, source };
      }
      const hit = test.kind === 'symbol' ? this.symbol(test.name) : this.find(probe.headers, test);
      if (!hit.found) {
        return { macro: probe.macro, value: false, how: hit.how, source, ...(hit.file ? { file: hit.file } : {}) };
      }
      last = { file: hit.file!, line: hit.line!, how: hit.how };
    }
    return { macro: probe.macro, value: true, file: last!.file, line: last!.line, how: last!.how, source };
  }

  private symbol(name: string): { found: boolean; file?: string; line?: number; how: string } {
    const exp = this.kernel.exported();
    if (!exp) return { found: false, how: `the tree has no Module.symvers to look up ${name}` };
    return exp.symbols.has(name)
      ? { found: true, file: exp.file, line: 0, how: `${name} is exported (${exp.symbols.get(name)})` }
      : { found: false, file: exp.file, how: `${name} is not exported` };
  }

  /** Breadth-first through the includes of `headers`, looking for what `test` needs. */
  private find(headers: string[], test: ProbeTest): { found: boolean; file?: string; line?: number; how: string } {
    const queue = [...headers];
    const seen = new Set(queue);
    const pattern = patternFor(test);
    let searched = 0;
    while (queue.length && searched < MAX_HEADERS) {
      const name = queue.shift()!;
      const h = this.kernel.header(name);
      if (!h) continue;
      searched++;
      if (h.text.includes(keyword(test))) {
        const line = locate(h.text, test, pattern, (l) => this.compiled(h.file, h.text, l));
        if (line) return { found: true, file: this.kernel.display(h.file), line, how: describeTest(test, true) };
      }
      for (const m of h.text.matchAll(/^\s*#\s*include\s*<([^>]+)>/gm)) {
        if (!seen.has(m[1])) {
          seen.add(m[1]);
          queue.push(m[1]);
        }
      }
    }
    const first = headers[0] && this.kernel.header(headers[0]);
    return {
      found: false,
      file: first ? this.kernel.display(first.file) : undefined,
      how: `${describeTest(test, false)} (${searched} headers searched from <${headers.join('>, <')}>)`
    };
  }
}

function substituteWith(c: Cond, value: (atom: string) => boolean | undefined): Cond {
  const known = new Map<string, boolean>();
  const visit = (x: Cond): void => {
    if (x.k === 'lit') {
      const v = value(x.atom);
      if (v !== undefined) known.set(x.atom, v);
    } else if (x.k !== 'const') x.xs.forEach(visit);
  };
  visit(c);
  return substitute(c, known);
}

function keyword(t: ProbeTest): string {
  return t.kind === 'member' ? t.member : t.kind === 'struct' ? t.struct : t.name;
}

function describeTest(t: ProbeTest, found: boolean): string {
  const not = found ? '' : ' not';
  switch (t.kind) {
    case 'function':
      return `${t.name}() is${not} declared`;
    case 'member':
      return `struct ${t.struct} has${found ? '' : ' no'} member ${t.member}`;
    case 'struct':
      return `struct ${t.struct} is${not} defined`;
    case 'identifier':
      return `${t.name} is${not} defined`;
    case 'symbol':
      return `${t.name} is${not} exported`;
  }
}

function patternFor(t: ProbeTest): RegExp {
  const w = keyword(t).replace(/\W/g, '');
  switch (t.kind) {
    case 'function':
      // A prototype or inline definition (`int name(` with a type before it, or `name(` at the start of a line
      // after a type line), or a function-like macro.
      return new RegExp(`(?:^[ \\t]*(?:[A-Za-z_][\\w ]*[\\s*]+)${w}\\s*\\()|(?:^${w}\\s*\\()|(?:^[ \\t]*#[ \\t]*define[ \\t]+${w}\\b)`, 'm');
    case 'struct':
      return new RegExp(`\\bstruct\\s+${w}\\s*\\{`);
    case 'identifier':
      return new RegExp(`(?:^[ \\t]*${w}\\s*(?:=[^=]|,|$))|(?:^[ \\t]*#[ \\t]*define[ \\t]+${w}\\b)`, 'm');
    default:
      return new RegExp(`\\b${w}\\b`);
  }
}

function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The 1-based line where the test is met and compiled, or 0. */
function locate(text: string, t: ProbeTest, pattern: RegExp, compiled: (line: number) => boolean): number {
  if (t.kind === 'member') {
    for (const m of text.matchAll(new RegExp(`\\bstruct\\s+${t.struct}\\s*\\{`, 'g'))) {
      const open = m.index! + m[0].length - 1;
      const close = matchingBrace(text, open);
      const body = text.slice(open, close);
      const member = new RegExp(`(?:\\b${t.member}\\s*(?:;|\\[|:|,))|(?:\\(\\s*\\*\\s*${t.member}\\s*\\))`, 'g');
      for (const mm of body.matchAll(member)) {
        const line = lineAt(text, open + mm.index!);
        if (compiled(line)) return line;
      }
    }
    return 0;
  }
  const global = new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`);
  for (const m of text.matchAll(global)) {
    const line = lineAt(text, m.index! + m[0].length - 1);
    if (compiled(line)) return line;
  }
  return 0;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return text.length;
}
