// Finds whether any of a set of literal anchor tokens occurs in a file's raw bytes: the prefilter that decides
// whether a file is parsed at all. Wu–Manber multi-pattern search (two-byte blocks): it skips ahead by up to the
// shortest anchor's length, so most bytes of a file that holds no anchor are never looked at. (A single
// alternation regular expression over a Latin-1 copy of the file reads every byte, and was 2–4× slower on a
// real driver tree.) Short anchors would shrink every skip to almost nothing, so anchors shorter than
// SHORT_ANCHOR bytes are looked for with Buffer.indexOf (a native scan) instead.

const SHORT_ANCHOR = 6;

export class AnchorMatcher {
  private readonly m: number;
  private readonly shift = new Uint8Array(65536);
  private readonly candidates = new Map<number, Uint8Array[]>();
  private readonly short: Buffer[] = [];

  constructor(readonly anchors: readonly string[]) {
    const long = anchors.map((a) => Buffer.from(a, 'latin1')).filter((b) => (b.length < SHORT_ANCHOR ? (this.short.push(b), false) : true));
    this.m = long.length ? Math.min(255, ...long.map((p) => p.length)) : 0;
    if (!this.m) return;
    const m = this.m;
    this.shift.fill(m - 1);
    for (const p of long) {
      for (let j = 1; j < m; j++) {
        const block = (p[j - 1] << 8) | p[j];
        const s = m - 1 - j;
        if (s < this.shift[block]) this.shift[block] = s;
      }
      const last = (p[m - 2] << 8) | p[m - 1];
      const list = this.candidates.get(last) ?? [];
      list.push(p);
      this.candidates.set(last, list);
    }
  }

  /** Whether any anchor occurs in `buf`. */
  test(buf: Uint8Array): boolean {
    for (const s of this.short) if (Buffer.prototype.indexOf.call(buf, s) !== -1) return true;
    const m = this.m;
    if (!m) return false;
    const n = buf.length;
    const shift = this.shift;
    let pos = m - 1;
    while (pos < n) {
      const block = (buf[pos - 1] << 8) | buf[pos];
      const s = shift[block];
      if (s > 0) {
        pos += s;
        continue;
      }
      const start = pos - m + 1;
      for (const p of this.candidates.get(block)!) {
        if (start + p.length > n) continue;
        let k = 0;
        while (k < p.length && buf[start + k] === p[k]) k++;
        if (k === p.length) return true;
      }
      pos++;
    }
    return false;
  }
}
