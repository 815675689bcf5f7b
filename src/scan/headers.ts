// Reads the headers a scanned file includes from its source tree (see frontend/includes.ts): only files the tree
// lists and the excludes leave in, each read and taken apart once per tree and thread.
import { type HeaderInfo, headerInfo } from '../frontend/includes.js';
import type { RulePlan } from '../rules/plan.js';
import type { SourceTree } from '../source/tree.js';
import { decode } from './scan-file.js';

/**
 * Headers kept per tree and thread, by count and by bytes of text (then the cache starts again): memory stays bounded
 * on a kernel tree, and in a history run, which scans one release after another, below what a release's files take.
 */
const MAX_CACHED = 4096;
const MAX_CACHED_BYTES = 8 * 1024 * 1024;

const readers = new WeakMap<SourceTree, (path: string) => Promise<HeaderInfo | undefined>>();

/** What a header of the tree contributes; undefined when the path is no file of the tree, is left out or cannot be read. */
export function headerReader(tree: SourceTree, plan: RulePlan, maxFileBytes: number): (path: string) => Promise<HeaderInfo | undefined> {
  let reader = readers.get(tree);
  if (reader) return reader;
  const cache = new Map<string, Promise<HeaderInfo | undefined>>();
  let bytes = 0;
  reader = (path) => {
    let info = cache.get(path);
    if (info === undefined) {
      if (cache.size >= MAX_CACHED || bytes >= MAX_CACHED_BYTES) {
        cache.clear();
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
    }
    return info;
  };
  readers.set(tree, reader);
  return reader;
}
