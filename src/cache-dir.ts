// Where hmm-watch keeps what it caches for the user across runs: XDG_CACHE_HOME when it is an absolute path, else
// ~/.cache; never the current folder.
import os from 'node:os';
import path from 'node:path';

export function userCacheDir(...parts: string[]): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache'), 'hmm-watch', ...parts);
}
