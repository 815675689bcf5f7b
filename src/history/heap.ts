// Keeps a long history run's heap near what it holds. Scanning a release allocates far more than it keeps (file
// contents, preprocessed text, syntax-tree wrappers), and V8 sizes its heap from the machine's memory, not from
// what is live: over the 193 NVIDIA releases it let about 100 MB of garbage pile up between full collections on a
// live set of about 20 MB. The action cannot pass `--max-old-space-size` to node (action.yml runs a file), and
// v8.setFlagsFromString cannot change the heap's size once it exists; so as files are scanned, once the heap (with
// the buffers its objects hold) has grown GROWTH_BYTES past what the last full collection left, this collects it
// in full (a few tens of milliseconds each).
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Garbage allowed to accumulate before a full collection. Measured on the 193 NVIDIA releases (cold cache, 2 cores):
 * 32 MiB peaked at 273 MB RSS, 16 MiB at 256 MB, 8 MiB at 229 MB for about a third more CPU (cold runs are rare: the
 * history cache keeps what they scanned).
 */
export const GROWTH_BYTES = 8 * 1024 * 1024;

let gc: (() => void) | null | undefined;

function collector(): (() => void) | null {
  if (gc === undefined) {
    try {
      // --expose-gc set now gives `gc` to contexts made afterwards (not to this one's globals).
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null; // not available here: V8's own heuristics decide
    }
  }
  return gc;
}

/** The heap in use plus the memory its objects hold outside it (buffers of file contents). */
function inUse(): number {
  const h = getHeapStatistics();
  return h.used_heap_size + h.external_memory;
}

/** Collects garbage in full when the memory in use grew by GROWTH_BYTES since the last time this collected. */
export class HeapBound {
  private floor = inUse();
  collections = 0;

  check(): void {
    if (inUse() < this.floor + GROWTH_BYTES) return;
    const gc = collector();
    if (!gc) return;
    gc();
    this.collections++;
    this.floor = inUse();
  }
}
