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
  const re = new RegExp(globs.map((g) => `(?:${picomatch.makeRe(g, options).source})`).join('|'));
  return (path) => re.test(path) || literal.has(path);
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
