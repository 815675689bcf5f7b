// The project's one glob engine: picomatch, dot files included (`*` stays within a path segment, `**` crosses
// them, `?` is one character, `[…]` and `{a,b}` as in a shell). Every glob is compiled here; unit globs keep the
// simpler meaning their input documents (unitGlob).
//
// A path glob (`exclude`, a rule's `files`, a history tag glob) runs as picomatch's own translation. A capability's
// `where` glob is matched against a fact's field (text from the scanned code, which anyone can write), so its
// translation runs on RE2 (`profileRegex`), in time linear in the value, like the profiles' regular expressions:
// picomatch's translation of `*a*a*a*b` takes seconds on a hundred characters with a backtracking engine.
import picomatch from 'picomatch';
import { type ProfileRegex, profileRegex } from '../rules/regex.js';

const options = { dot: true } as const;

/**
 * Whether a path (relative, forward slashes) matches one of the globs: it is one of them, as picomatch's matcher
 * also answers, or it matches one regular expression made of picomatch's translations (several times faster than
 * picomatch's matcher, which normalises the path and tries each glob in turn).
 */
export function pathMatcher(globs: readonly string[]): (path: string) => boolean {
  const literal = new Set(globs);
  const combined = (list: readonly string[]): RegExp | undefined =>
    list.length ? new RegExp(list.map((g) => `(?:${picomatch.makeRe(g, options).source})`).join('|')) : undefined;
  const re = combined(globs)!;
  // Paths with no segment that starts with a dot (nearly all of a tree) are answered by plain string tests for the
  // common globs, and by one regular expression for the others (a kernel tree: 86,000 paths, each asked of every
  // list of rule globs, where picomatch's translations cost a third of a second).
  const names: string[] = [];
  const suffixes: string[] = [];
  const rest: string[] = [];
  for (const g of globs) {
    const simple = simpleGlob(g);
    if (simple?.kind === 'name') names.push(simple.text);
    else if (simple?.kind === 'suffix') suffixes.push(simple.text);
    else if (!simple) rest.push(g);
  }
  const restRe = combined(rest);
  const nameSet = new Set(names);
  return (path) => {
    if (literal.has(path)) return true;
    // A dot segment, an empty one or a folder asked as `dir/` (see ExcludeFilter): the regular expression.
    if (path.charCodeAt(0) === 46 || path.includes('/.') || path.endsWith('/') || path.includes('//')) return re.test(path);
    const base = path.slice(path.lastIndexOf('/') + 1);
    if (nameSet.has(base)) return true;
    for (const s of suffixes) if (base.endsWith(s)) return true;
    return restRe?.test(path) ?? false;
  };
}

/**
 * What a glob means for a path none of whose segments is empty or starts with a dot, when that is a plain string test:
 * `**∕NAME` (the file's name is NAME), `**∕*SUFFIX` (its name ends with SUFFIX), or a glob with a segment that starts
 * with a dot, which no such path matches ('never'). Undefined for any other glob.
 */
export function simpleGlob(glob: string): { kind: 'name' | 'suffix'; text: string } | { kind: 'never' } | undefined {
  // Braces, classes, extglobs, negation and escapes can make a segment mean something else: the regular expression.
  if (/[{}[\]()!\\+@]/.test(glob)) return undefined;
  if (glob.split('/').some((segment) => segment.startsWith('.') && segment !== '.' && segment !== '..')) return { kind: 'never' };
  const m = /^\*\*\/(\*?)([\w.-]+)$/.exec(glob);
  if (!m) return undefined;
  return { kind: m[1] ? 'suffix' : 'name', text: m[2] };
}

/**
 * The look-aheads picomatch adds to keep `*` and `**` off the `.` and `..` segments of a path and off empty names:
 * meaningless for a field's value, and not RE2 syntax. Anything else that needs a look-around (an extglob such
 * as `!(x)`) stays and is refused at load.
 */
const PATH_LOOKAHEADS = /\(\?!\(\?:\^\|\\\/\)\\\.\{1,2\}\(\?:\\\/\|\$\)\)|\(\?!\\\.\{1,2\}\(\?:\\\/\|\$\)\)|\(\?=\.\)/g;

/** The RE2 source of a `where` glob (picomatch's translation without its path look-aheads). */
export function valueGlobSource(glob: string): string {
  return picomatch.makeRe(glob, options).source.replace(PATH_LOOKAHEADS, '');
}

/** A `where` glob, matched against a whole value on RE2. Throws when the glob needs a look-around. */
export function valueGlob(glob: string): ProfileRegex {
  return profileRegex(valueGlobSource(glob));
}

/**
 * A unit glob (`units:`, `--unit`), matched against a whole unit name, id or folder: `*` any run of characters,
 * `/` included (`drivers/gpu/drm/*` selects every unit under that folder), `?` one character, nothing else special.
 * Kept apart from picomatch's semantics because that is what the input documents.
 */
export function unitGlob(glob: string): ProfileRegex {
  return profileRegex(`^${glob.replace(/[.+^${}()|[\]\\*?]/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`))}$`);
}
