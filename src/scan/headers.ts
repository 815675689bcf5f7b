// Reads the headers a scanned file includes from its source tree (see frontend/includes.ts): only files the tree
// lists and the excludes leave in, each read and taken apart once per tree and thread.
import { type HeaderInfo, type HeaderLookup, headerInfo } from '../frontend/includes.js';
import type { RulePlan } from '../rules/plan.js';
import type { SourceTree } from '../source/tree.js';
import { decode } from './scan-file.js';

/**
 * Headers kept per tree and thread, by count and by bytes of text (then the cache starts again): memory stays bounded
 * on a kernel tree, and in a history run, which scans one release after another, below what a release's files take.
 */
const MAX_CACHED = 4096;
const MAX_CACHED_BYTES = 8 * 1024 * 1024;

const readers = new WeakMap<SourceTree, HeaderLookup>();

/** What a header of the tree contributes; undefined when the path is no file of the tree, is left out or cannot be read. */
export function headerReader(tree: SourceTree, plan: RulePlan, maxFileBytes: number): HeaderLookup {
  let reader = readers.get(tree);
  if (reader) return reader;
  const cache = new Map<string, Promise<HeaderInfo | undefined>>();
  /** The answers known: given as they are, without a promise to wait for. */
  const known = new Map<string, HeaderInfo | undefined>();
  let bytes = 0;
  reader = (path) => {
    if (known.has(path)) return known.get(path);
    let info = cache.get(path);
    if (info === undefined) {
      if (cache.size >= MAX_CACHED || bytes >= MAX_CACHED_BYTES) {
        cache.clear();
        known.clear();
        bytes = 0;
      }
      info = (async () => {
        if (plan.isExcluded(path) || !tree.has(path)) return undefined;
        const read = await tree.read(path, maxFileBytes);
        // The bytes may be the tree's reused buffer: decoded at once.
        if (!('bytes' in read)) return undefined;
        bytes += read.bytes.length;
        return headerInfo(path, { id: tree.blobOf?.(path) ?? 'file', text: decode(read.bytes) });
      })();
      cache.set(path, info);
      const asked = info;
      asked.then(
        (h) => {
          if (cache.get(path) === asked) known.set(path, h);
        },
        () => undefined // the caller that waits for it sees the failure
      );
    }
    return info;
  };
  readers.set(tree, reader);
  return reader;
}
