// Finds literal anchor tokens in a file's raw bytes: the prefilter that decides whether a file is parsed at all,
// and, on the text the parser would see, where each anchor occurs (which items are worth parsing).
// Wu–Manber multi-pattern search (three-byte blocks, hashed): it skips ahead by up to the shortest anchor's length, so most
// bytes of a file that holds no anchor are never looked at. (A single alternation regular expression over a Latin-1
// copy of the file reads every byte, and was 2–4× slower on a real driver tree; one indexOf per anchor, 4–8×.)
// Short anchors would shrink every skip to almost nothing, so anchors shorter than SHORT_ANCHOR bytes are looked for
// with Buffer.indexOf (a native scan) instead.

import { type Found, joinsAlways, MIN_ANCHOR, TeddyFilter } from './teddy.js';

const SHORT_ANCHOR = 6;
/** Bytes per block, hashed into the 65,536 shifts (a hash collision only makes a skip shorter, never wrong). */
const BLOCK = 3;

/** The hash of the block of BLOCK bytes that ends at `end` (the search loop computes the same inline). */
function blockAt(b: Uint8Array, end: number): number {
  return ((b[end - 2] << 10) ^ (b[end - 1] << 5) ^ b[end]) & 0xffff;
}

interface Pattern {
  text: string;
  bytes: Buffer;
}

export interface MatcherOptions {
  /**
   * Look only for anchors that contain no other anchor (default true): enough to tell whether any occurs, and a
   * longer shortest anchor means longer skips. `findAll` needs every anchor, so it needs `prune: false`.
   */
  prune?: boolean;
}

export class AnchorMatcher {
  private readonly m: number;
  private readonly shift = new Uint8Array(65536);
  private readonly candidates = new Map<number, Pattern[]>();
  private readonly short: Pattern[] = [];
  /** The anchors `test` needs (an anchor containing another is left out unless `prune` is false). */
  private readonly needed: string[];
  private teddy: TeddyFilter | null | undefined;

  /** `anchors` are non-empty (profiles require it); an empty one is ignored. */
  constructor(
    readonly anchors: readonly string[],
    opts: MatcherOptions = {}
  ) {
    const distinct = [...new Set(anchors)].filter((a) => a.length > 0);
    // An anchor that contains another is found whenever the other is.
    const needed = opts.prune === false ? distinct : distinct.filter((a) => !distinct.some((b) => b !== a && a.includes(b)));
    this.needed = needed;
    const long: Pattern[] = [];
    for (const text of needed) (text.length < SHORT_ANCHOR ? this.short : long).push({ text, bytes: Buffer.from(text, 'latin1') });
    this.m = long.length ? Math.min(255, ...long.map((p) => p.bytes.length)) : 0;
    if (!this.m) return;
    const m = this.m;
    this.shift.fill(m - BLOCK + 1);
    for (const p of long) {
      const b = p.bytes;
      for (let j = BLOCK - 1; j < m; j++) {
        const block = blockAt(b, j);
        const s = m - 1 - j;
        if (s < this.shift[block]) this.shift[block] = s;
      }
      const last = blockAt(b, m - 1);
      const list = this.candidates.get(last) ?? [];
      list.push(p);
      this.candidates.set(last, list);
    }
  }

  /**
   * The prefilter's test in one SIMD pass (teddy.ts), where it can run: whether an anchor occurs in `buf`, or else
   * whether a backslash-newline may join one (a byte of an anchor just before it and just after it or its run).
   * Undefined where it cannot run (no SIMD, an anchor under three bytes or holding a backslash or line break, a
   * buffer too large): the caller then joins the continuations that may matter and calls `test`.
   */
  quick(buf: Uint8Array): Found | undefined {
    if (this.teddy === undefined) {
      this.teddy = this.needed.some((a) => a.length < MIN_ANCHOR) || joinsAlways(this.anchors) ? null : TeddyFilter.create(this.needed, this.anchors);
    }
    return this.teddy?.test(buf);
  }

  /** Whether any anchor occurs in `buf`. */
  test(buf: Uint8Array): boolean {
    for (const s of this.short) if (Buffer.prototype.indexOf.call(buf, s.bytes) !== -1) return true;
    let found = false;
    this.search(buf, () => {
      found = true;
      return true;
    });
    return found;
  }

  /** The anchors that occur in `buf` (one pass for all of them). */
  present(buf: Uint8Array): Set<string> {
    const out = new Set<string>();
    for (const s of this.short) if (Buffer.prototype.indexOf.call(buf, s.bytes) !== -1) out.add(s.text);
    this.search(buf, (p) => {
      out.add(p.text);
      return false;
    });
    return out;
  }

  /** Every occurrence of every anchor in `buf`: start offsets by anchor, for the anchors that occur. */
  findAll(buf: Uint8Array): Map<string, number[]> {
    const out = new Map<string, number[]>();
    const add = (text: string, at: number): void => {
      const list = out.get(text);
      if (list) list.push(at);
      else out.set(text, [at]);
    };
    for (const s of this.short) {
      for (let at = Buffer.prototype.indexOf.call(buf, s.bytes); at !== -1; at = Buffer.prototype.indexOf.call(buf, s.bytes, at + 1)) add(s.text, at);
    }
    this.search(buf, (p, at) => {
      add(p.text, at);
      return false;
    });
    for (const list of out.values()) list.sort((a, b) => a - b);
    return out;
  }

  /** Calls `hit` for each occurrence of a long anchor, in order of position, until it returns true. */
  private search(buf: Uint8Array, hit: (p: Pattern, at: number) => boolean): void {
    const m = this.m;
    if (!m) return;
    const n = buf.length;
    const shift = this.shift;
    let pos = m - 1;
    while (pos < n) {
      const block = ((buf[pos - 2] << 10) ^ (buf[pos - 1] << 5) ^ buf[pos]) & 0xffff;
      const s = shift[block];
      if (s > 0) {
        pos += s;
        continue;
      }
      const start = pos - m + 1;
      for (const pattern of this.candidates.get(block)!) {
        const p = pattern.bytes;
        if (start + p.length > n) continue;
        let k = 0;
        while (k < p.length && buf[start + k] === p[k]) k++;
        if (k === p.length && hit(pattern, start)) return;
      }
      pos++;
    }
  }
}
