// Which paths a scan leaves out, by the profile's and the user's `exclude` globs (./glob.ts: picomatch, dot files).
// One rule for every kind of tree: a path is left out when a glob matches it or one of its folders (a folder is
// tried as `dir` and as `dir/`), so `exclude: build` leaves out build/ and everything in it whether the tree is
// walked folder by folder (a working tree) or listed file by file (git ls-tree).
import { pathMatcher } from './glob.js';

export class ExcludeFilter {
  private readonly match: ((path: string) => boolean) | undefined;
  private readonly folders = new Map<string, boolean>();

  constructor(globs: readonly string[]) {
    this.match = globs.length ? pathMatcher(globs) : undefined;
  }

  /** Whether a folder (path relative to the tree root, forward slashes) is left out with everything in it. */
  folder(dir: string): boolean {
    if (!this.match) return false;
    let out = this.folders.get(dir);
    if (out === undefined) {
      const slash = dir.lastIndexOf('/');
      out = (slash > 0 && this.folder(dir.slice(0, slash))) || this.match(dir) || this.match(`${dir}/`);
      this.folders.set(dir, out);
    }
    return out;
  }

  /** Whether a file is left out: a glob matches it or one of its folders. */
  file(file: string): boolean {
    if (!this.match) return false;
    const slash = file.lastIndexOf('/');
    return (slash > 0 && this.folder(file.slice(0, slash))) || this.match(file);
  }
}
