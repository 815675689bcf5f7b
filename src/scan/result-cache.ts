// Per-file scan results keyed by content: a file whose blob did not change between two commits is never read or
// parsed again. One JSON file per rule set and tool version; a corrupted or foreign file, or an entry that does not
// match the snapshot schema's `fileResult`, is ignored, never trusted (and the file is scanned again).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FileResult } from '../rules/types.js';
import { schemaValidator } from '../schema.js';

const SCHEMA = 'hmm-watch/result-cache';
/**
 * Raised when what a scan finds in the same bytes changes, so that results of the older code are not trusted
 * (2: lone CRs end lines, continuations are joined, submodules and unterminated comments are listed; 3: parse errors away from facts and anchors are counted apart, macros in
 * tables and calls are expanded; 4: macros of included headers are expanded, and a result lists the headers it read; 5: a build file's lines
 * include its conditional directives). What the rules extract is versioned by RESULTS_VERSION (version.ts), part of
 * every cache's key.
 */
export const RESULT_CACHE_VERSION = 5;

interface CacheFile {
  schema: string;
  version: number;
  rules: string;
  tool: string;
  entries: Record<string, FileResult | null>;
}

export class ResultCache {
  hits = 0;
  misses = 0;
  /** Why the stored cache, or some of its entries, was not used. */
  ignored?: string;
  private dirty = false;

  private constructor(
    readonly file: string,
    private readonly rules: string,
    private readonly tool: string,
    private readonly entries: Map<string, FileResult | null>
  ) {}

  static async load(dir: string, rules: string, tool: string): Promise<ResultCache> {
    const file = path.join(dir, `results-${rules}-${tool}.json`);
    const cache = new ResultCache(file, rules, tool, new Map());
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return cache; // nothing stored yet
    }
    try {
      const data = JSON.parse(text) as CacheFile;
      if (
        data.schema !== SCHEMA ||
        data.version !== RESULT_CACHE_VERSION ||
        data.rules !== rules ||
        data.tool !== tool ||
        typeof data.entries !== 'object' ||
        !data.entries
      ) {
        cache.ignored = `${file} is not a result cache of this rule set and tool version`;
        return cache;
      }
      const valid = await schemaValidator('snapshot', 'fileResult');
      let dropped = 0;
      for (const [k, v] of Object.entries(data.entries)) {
        if (v === null || valid(v)) cache.entries.set(k, v as FileResult | null);
        else dropped++;
      }
      if (dropped) cache.ignored = `${dropped} entr${dropped === 1 ? 'y' : 'ies'} of ${file} did not match the schema and were ignored`;
    } catch (e) {
      cache.ignored = `${file} is not valid JSON (${(e as Error).message})`;
    }
    return cache;
  }

  private key(file: string, blob: string): string {
    return `${blob}:${file}`;
  }

  /**
   * The stored result, null for "no rule needs this file", undefined for a miss. A result that read headers holds only
   * while every path it looked at has the same content id (`idOf`, '' for no file there): else it is a miss.
   */
  get(file: string, blob: string, idOf: (path: string) => string = () => ''): FileResult | null | undefined {
    const k = this.key(file, blob);
    const entry = this.entries.get(k);
    if (entry === undefined || (entry?.headers && !entry.headers.every(([p, id]) => idOf(p) === id))) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    return entry;
  }

  set(file: string, blob: string, result: FileResult | null): void {
    // Copies: the scan's strings, and the file's name, are slices of the whole file and of the tree's listing,
    // which an entry kept would otherwise keep in memory for the rest of a history run (~0.4 MB per release).
    this.entries.set(structuredClone(this.key(file, blob)), structuredClone(result));
    this.dirty = true;
  }

  /** Writes the cache (atomically: a reader never sees half a file). */
  save(): void {
    if (!this.dirty) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const data: CacheFile = { schema: SCHEMA, version: RESULT_CACHE_VERSION, rules: this.rules, tool: this.tool, entries: Object.fromEntries(this.entries) };
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(data));
    renameSync(tmp, this.file);
    this.dirty = false;
  }
}
