// Kbuild files as far as units need them: which object files make up which module. A build file's relevant lines
// are kept per file (a pure function of its bytes, cached with the scan results); the tree's build files are then
// read together, with their variables (`X := a.o`, `X += $(Y)`, `$(addprefix …)`, `$(patsubst …)`) and `include`s
// of other build files in the tree, into: composite objects (`foo-y := a.o sub/b.o`, `foo-objs`) and the objects
// each folder builds (`obj-$(CONFIG_X) += foo.o`, `obj-m`, `obj-y`). Conditionals are read as if every branch were
// taken: a unit is what a module can be made of. The condition under which an object is built is kept for
// configurations to decide: the Kconfig options in a line's variable name (`foo-$(CONFIG_X)`, `obj-$(CONFIG_Y)`),
// the conditional blocks around the line (`ifeq ($(CONFIG_X),y)`, `ifdef CONFIG_X`, …) and the folders above the
// build file as the build files above list them (`obj-$(CONFIG_DRM) += drm/`); kbuild-conditions.ts reads those two.
import path from 'node:path/posix';
import { and, type Cond, orOf } from '../frontend/condition.js';
import { ConditionReader, FolderChain, isDirective, type Listing, listingCondition } from './kbuild-conditions.js';

/** Whether a file is a Kbuild build file (`Kbuild`, `Makefile`, NVIDIA's `*.Kbuild`). */
export function isBuildFile(file: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return base === 'Kbuild' || base === 'Makefile' || base.endsWith('.Kbuild');
}

const ASSIGNMENT = /^\s*(?:override\s+|export\s+)?([^\s:+?=#]+)\s*(:=|::=|\+=|\?=|=)\s*(.*)$/;
const INCLUDE = /^\s*-?include\s+(.+)$/;

/**
 * The logical lines of a build file that assign a variable, include a file or are conditional directives
 * (continuations joined, comments cut; directives inside a `define` are not make's). None if it assigns nothing
 * and includes nothing.
 */
export function kbuildLines(text: string): string[] {
  const out: string[] = [];
  let any = false;
  let inDefine = false;
  for (const raw of text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const line = raw.replace(/(^|[^\\])#.*$/, '$1').trim();
    if (!line) continue;
    if (ASSIGNMENT.test(line) || INCLUDE.test(line)) {
      out.push(line);
      any = true;
    } else if (/^(?:override\s+|export\s+)?define\s/.test(line)) inDefine = true;
    else if (/^endef(?:\s|$)/.test(line)) inDefine = false;
    else if (!inDefine && isDirective(line)) out.push(line);
  }
  return any ? out : [];
}

/** Variables that are not objects (flags, host programs, clean lists). */
const NOT_OBJECTS = new Set([
  'ccflags',
  'asflags',
  'ldflags',
  'subdir-ccflags',
  'subdir-asflags',
  'always',
  'extra',
  'hostprogs',
  'targets',
  'clean-files',
  'userprogs',
  'userccflags',
  'header-test',
  'no-header-test'
]);

type Vars = Map<string, string>;

/** Index of the matching `)` or `}` for the opener at `open`. */
function closingParen(s: string, open: number): number {
  const o = s[open];
  const c = o === '(' ? ')' : '}';
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === o) depth++;
    else if (s[i] === c && --depth === 0) return i;
  }
  return -1;
}

function patsubst(pattern: string, replacement: string, words: string[]): string[] {
  const p = pattern.indexOf('%');
  if (p === -1) return words.map((w) => (w === pattern ? replacement : w));
  const pre = pattern.slice(0, p);
  const post = pattern.slice(p + 1);
  return words.map((w) =>
    w.startsWith(pre) && w.endsWith(post) && w.length >= pre.length + post.length ? replacement.replace('%', w.slice(pre.length, w.length - post.length)) : w
  );
}

/** Expands `$(VAR)`, `${VAR}` and the functions units need; anything else expands to nothing. */
export function expand(s: string, vars: Vars, depth = 0): string {
  if (depth > 16 || !s.includes('$')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '$') {
      out += s[i];
      continue;
    }
    const next = s[i + 1];
    if (next !== '(' && next !== '{') {
      i++; // `$x` or `$$`: not used for objects
      continue;
    }
    const close = closingParen(s, i + 1);
    if (close === -1) break;
    const inner = s.slice(i + 2, close);
    i = close;
    const fn = /^(addprefix|addsuffix|patsubst|subst)\s+([\s\S]*)$/.exec(inner);
    if (!fn) {
      const name = expand(inner, vars, depth + 1).trim();
      out += expand(vars.get(name) ?? '', vars, depth + 1);
      continue;
    }
    const args = splitArgs(fn[2]).map((a) => expand(a, vars, depth + 1));
    const words = (args[args.length - 1] ?? '').split(/\s+/).filter(Boolean);
    if (fn[1] === 'addprefix') out += words.map((w) => `${args[0].trim()}${w}`).join(' ');
    else if (fn[1] === 'addsuffix') out += words.map((w) => `${w}${args[0].trim()}`).join(' ');
    else if (fn[1] === 'patsubst') out += patsubst(args[0].trim(), (args[1] ?? '').trim(), words).join(' ');
    else out += (args[2] ?? '').split(args[0]).join(args[1] ?? '');
  }
  return out;
}

function splitArgs(s: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(' || s[i] === '{') depth++;
    else if (s[i] === ')' || s[i] === '}') depth--;
    else if (s[i] === ',' && depth === 0) {
      args.push(s.slice(from, i));
      from = i + 1;
    }
  }
  args.push(s.slice(from));
  return args;
}

/** `dir/word` normalised (as path.join, which is slow enough to show on a kernel's ~40,000 build lines). */
function objectPath(dir: string, word: string): string {
  if (dir !== '.' && dir !== '' && !word.startsWith('/') && !/(?:^|\/)\.\.?(?:\/|$)|\/\//.test(word)) return `${dir}/${word}`;
  return path.join(dir, word);
}

export interface ModuleRef {
  /** Module (composite object) or object name, e.g. `nouveau`, `test_hmm`. */
  name: string;
  /** Folder of the build file that defines it. */
  dir: string;
}

/**
 * What the tree's build files say: the composite objects each object file belongs to, and the objects folders
 * build. Paths are relative to the tree root, objects as `dir/name.o`.
 */
export class KbuildIndex {
  /** Object path -> composites listing it. */
  private readonly parts = new Map<string, ModuleRef[]>();
  /** Object paths listed in `obj-*` / `lib-*`, with whether only `obj-y`/`lib-y` (built in). */
  private readonly objects = new Map<string, { builtIn: boolean }>();
  /** Object path (a part, or an object a folder builds) -> each line listing it (its options, blocks and folder). */
  private readonly options = new Map<string, Listing[]>();
  /** The folders build files list, for the chain of folders above a build file. */
  private readonly folders = new FolderChain();
  /** Folder -> the objects the build files list in it (parts and objects), made when a header is first asked about. */
  private objectsByDir: Map<string, string[]> | undefined;
  /** Folder -> the one module its objects belong to (null: none, or several). */
  private readonly moduleByDir = new Map<string, ModuleRef | null>();

  /**
   * `conditions`: also read what buildCondition needs (conditional blocks, the folder chain); without it (units
   * need only which module an object belongs to) buildCondition has only the options of the lines listing objects.
   */
  private readonly conditions: boolean;

  constructor(buildFiles: ReadonlyMap<string, readonly string[]>, opts: { conditions?: boolean } = {}) {
    this.conditions = opts.conditions ?? true;
    for (const file of [...buildFiles.keys()].sort()) {
      // NVIDIA's `dir/name.Kbuild` files are included by the Kbuild one folder up and name sources from there.
      const own = path.dirname(file);
      const dir = file.endsWith('.Kbuild') && own !== '.' ? path.dirname(own) : own;
      this.evaluate(file, dir, buildFiles);
    }
  }

  private evaluate(file: string, dir: string, buildFiles: ReadonlyMap<string, readonly string[]>): void {
    const vars: Vars = new Map([
      ['src', dir],
      ['obj', dir],
      ['srctree', '.'],
      ['objtree', '.']
    ]);
    const composites = new Map<string, string[]>();
    const seen = new Set<string>();
    // Conditional blocks and the conditions they give variables' words (kbuild-conditions.ts).
    const reading = new ConditionReader(this.conditions, vars, (v) => expand(v, vars).split(/\s+/));
    const run = (f: string): void => {
      if (seen.has(f) || seen.size > 32) return;
      seen.add(f);
      const outer = reading.enter();
      for (const line of buildFiles.get(f) ?? []) {
        if (reading.directive(line)) continue;
        const inc = INCLUDE.exec(line);
        if (inc) {
          for (const target of expand(inc[1], vars).split(/\s+/).filter(Boolean)) {
            const resolved = path.normalize(target.startsWith('/') ? target.slice(1) : target).replace(/^\.\//, '');
            if (buildFiles.has(resolved)) run(resolved);
          }
          continue;
        }
        const m = ASSIGNMENT.exec(line);
        if (!m) continue;
        const lhs = expand(m[1].replace(/\$[({]CONFIG_\w+[)}]/g, 'y'), vars).trim();
        const value = m[2] === ':=' || m[2] === '::=' ? expand(m[3], vars) : m[3];
        const prior = m[2] === '+=' ? vars.get(lhs) : undefined;
        if (m[2] === '?=' && vars.has(lhs)) continue;
        vars.set(lhs, prior ? `${prior} ${value}` : value);
        reading.assigned(lhs, m[2], m[3], value, prior);
        const kind = /^(.+)-(y|m|objs)$/.exec(lhs);
        if (!kind || NOT_OBJECTS.has(kind[1]) || kind[1].includes('flags') || kind[1].startsWith('CFLAGS')) continue;
        const all = expand(value, vars).split(/\s+/);
        const words = all.filter((w) => w.endsWith('.o'));
        const options = [...new Set(m[1].match(/CONFIG_\w+/g) ?? [])];
        // Each word's condition: the line's options, its blocks, its variables' blocks, its folder (kbuild-conditions.ts).
        const at = reading.listing(options, dir, m[3]);
        if (reading.follow && (kind[1] === 'obj' || kind[1] === 'subdir')) this.folders.list(at, all, kind[1] === 'subdir');
        if (!words.length) continue;
        const objects = words.map((w) => objectPath(dir, w));
        for (const [i, o] of objects.entries()) {
          const condition = at(words[i]);
          const lines = this.options.get(o);
          if (lines) lines.push(condition);
          else this.options.set(o, [condition]);
        }
        if (kind[1] === 'obj' || kind[1] === 'lib') {
          const builtIn = kind[2] === 'y' && !/\$[({]CONFIG_/.test(m[1]);
          for (const o of objects) {
            const had = this.objects.get(o);
            this.objects.set(o, { builtIn: (had?.builtIn ?? true) && builtIn });
          }
        } else {
          const list = composites.get(kind[1]);
          if (list) list.push(...words);
          else composites.set(kind[1], words);
        }
      }
      reading.leave(outer);
    };
    run(file);
    for (const [name, words] of composites) {
      const ref = { name, dir };
      for (const w of words) {
        const o = objectPath(dir, w);
        const list = this.parts.get(o) ?? [];
        if (!list.some((r) => r.name === name && r.dir === dir)) list.push(ref);
        this.parts.set(o, list);
      }
    }
  }

  /** The module an object file is part of (a composite that is itself built as an object is preferred). */
  private moduleOfObject(o: string): ModuleRef | undefined {
    const list = this.parts.get(o);
    if (list?.length) return list.find((r) => this.objects.has(objectPath(r.dir, `${r.name}.o`))) ?? list[0];
    const direct = this.objects.get(o);
    if (direct && !direct.builtIn) return { name: path.basename(o, '.o'), dir: path.dirname(o) };
    return undefined;
  }

  /**
   * The condition under which a source file is built, as the build files say (`IS_ENABLED(CONFIG_X)`,
   * `IS_BUILTIN(…)`, `IS_MODULE(…)` atoms): some line listing its object holds (its options, its conditional
   * blocks, the folders above its build file), and so does some line listing its module; a file no line lists is
   * built when its folder is. Undefined when it is always built (or the build files do not say).
   */
  buildCondition(file: string): Cond | undefined {
    if (!/\.[cS]$/.test(file)) return undefined;
    const o = file.replace(/\.[cS]$/, '.o');
    const listed = (obj: string): Cond => {
      const lines = this.options.get(obj);
      if (!lines?.length) return this.folders.condition(path.dirname(obj));
      return orOf(lines.map((l) => and(listingCondition(l), this.folders.condition(l.dir))));
    };
    const m = this.moduleOfObject(o);
    const own = listed(o);
    const mo = m && objectPath(m.dir, `${m.name}.o`);
    const cond = mo && mo !== o ? and(own, listed(mo)) : own;
    return cond.k === 'const' && cond.v ? undefined : cond;
  }

  /** The module a source file belongs to by the build files, if they say; headers by the modules of their folder. */
  moduleOf(file: string): ModuleRef | undefined {
    if (/\.[cS]$/.test(file)) return this.moduleOfObject(file.replace(/\.[cS]$/, '.o'));
    if (!file.endsWith('.h')) return undefined;
    const dir = path.dirname(file);
    let m = this.moduleByDir.get(dir);
    if (m === undefined) {
      m = this.soleModule(dir);
      this.moduleByDir.set(dir, m);
    }
    return m ?? undefined;
  }

  /** The module of a folder's objects when they all belong to one (only the folders asked about are worked out). */
  private soleModule(dir: string): ModuleRef | null {
    if (!this.objectsByDir) {
      this.objectsByDir = new Map();
      for (const o of new Set([...this.parts.keys(), ...this.objects.keys()])) {
        const d = path.dirname(o);
        const list = this.objectsByDir.get(d);
        if (list) list.push(o);
        else this.objectsByDir.set(d, [o]);
      }
    }
    const found = new Map<string, ModuleRef>();
    for (const o of this.objectsByDir.get(dir) ?? []) {
      const m = this.moduleOfObject(o);
      if (m) found.set(`${m.dir}\u0000${m.name}`, m);
    }
    return found.size === 1 ? [...found.values()][0] : null;
  }
}
