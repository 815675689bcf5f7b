// Node's on-disk compile cache (Node 22.1 and later; nothing on Node 20): V8 keeps the code it compiled from the
// bundle, so the next run skips parsing and compiling it again. The cache lives in the user's cache folder (not a
// shared temporary folder another user could write to). NODE_COMPILE_CACHE chooses another folder and
// NODE_DISABLE_COMPILE_CACHE=1 turns it off, as for any Node program. A cache that cannot be written only costs the
// speed-up.
import module from 'node:module';
import { userCacheDir } from './cache-dir.js';

type Enable = (dir?: string) => unknown;

export function enableCompileCache(): void {
  const enable = (module as unknown as { enableCompileCache?: Enable }).enableCompileCache;
  if (typeof enable !== 'function' || process.env.NODE_COMPILE_CACHE) return;
  try {
    enable(userCacheDir('compile-cache'));
  } catch {
    /* run without the cache */
  }
}
