// The prefilter's test in WebAssembly SIMD (teddy.wat), where the runtime has it: one pass over a file's bytes says
// whether an anchor occurs, or whether a backslash-newline could join one (then the caller looks again with them
// removed, see prefilterBytes in scan/scan-file.ts). Every anchor (three bytes or more) gets its first four bytes as
// fingerprint (a three-byte anchor: any fourth byte) and one of eight buckets; the WebAssembly loop finds where a
// bucket's fingerprints may start, sixteen positions at a time, and checks that bucket's anchors there. Anchors that
// share leading bytes share fingerprints, which keeps the buckets' nibble tables tight (few false candidates).
// Where the configuration does not fit, or the runtime has no SIMD, `create` gives null and the caller uses its own
// search (anchors.ts), which finds the same anchors.
import { setFlagsFromString } from 'node:v8';
import { TEDDY_WASM } from './teddy-wasm.js';

/** Buckets of anchors; the eighth is the backslash-newline (teddy.wat). */
const BUCKETS = 7;
const CONTINUATION_BIT = 0x80;
/** Bytes of a fingerprint; shorter anchors than this (but at least MIN_ANCHOR) have wildcards at the end. */
const FINGERPRINT = 4;
export const MIN_ANCHOR = 3;
/** Addresses 0-15 are the loop's scratch; configurations start here. */
const CONFIG_START = 64;
/** Tables (8 × 16), bucket lists (8 × 8), the set of byte pairs (65,536 bits): see teddy.wat. */
const HEADER = 128 + 8 * 8 + 8192;
/** Where the buffer tested is copied; a configuration that would reach it is refused (null). */
const BUFFER_AT = 1 << 18;
/** Bytes past a buffer's end that the vector loads read. */
const SLACK = 64;
const PAGE = 65536;
const BACKSLASH = 0x5c;

/** What `test` found: an anchor; no anchor, but a backslash-newline that may join one; nothing. */
export const Found = { None: 0, Anchor: 1, MaybeJoined: 2 } as const;
export type Found = (typeof Found)[keyof typeof Found];

/** The little of the WebAssembly API used here (the project's libraries declare none: no DOM types). */
interface Memory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};

interface Engine {
  memory: Memory;
  test: (cfg: number, buf: number, n: number) => number;
  /** The next free configuration address. */
  next: number;
  /** Counts the times the configurations were dropped to make room: a filter placed before must place its own again. */
  generation: number;
}

let engine: Engine | null | undefined;

let compiled: object | undefined;

/**
 * Compiles and instantiates the WebAssembly once per thread (false without SIMD). The main thread calls it before
 * the parser's load asks V8 for its baseline compiler only (parser.ts), so that this loop gets the optimising one;
 * a worker thread is handed the main thread's compiled module (`teddyModule`), or null, and compiles nothing.
 */
export function loadTeddy(module?: object | null): boolean {
  if (engine !== undefined) return engine !== null;
  if (module === null) {
    engine = null; // a worker whose main thread has none: the same runtime would not have it either
    return false;
  }
  try {
    if (!module) {
      const bytes = Buffer.from(TEDDY_WASM, 'base64');
      if (!WebAssembly.validate(bytes)) {
        engine = null;
        return false;
      }
      // V8 reads its flags as a function is compiled, at its first call: each is called once below, under the flag.
      setFlagsFromString('--no-liftoff');
      try {
        start(new WebAssembly.Module(bytes));
      } finally {
        setFlagsFromString('--liftoff');
      }
    } else start(module);
  } catch {
    engine = null;
  }
  return engine !== null;
}

/** The compiled module, for worker threads (a WebAssembly module crosses threads with its code). */
export function teddyModule(): object | undefined {
  return engine ? compiled : undefined;
}

function start(module: object): void {
  const instance = new WebAssembly.Instance(module, {});
  const memory = instance.exports.memory as Memory;
  memory.grow(Math.ceil((BUFFER_AT + SLACK) / PAGE) - memory.buffer.byteLength / PAGE);
  engine = { memory, test: instance.exports.test as Engine['test'], next: CONFIG_START, generation: 0 };
  // An anchor, and a backslash-newline between two of its bytes: `test`, the anchor check and the continuation check
  // all run (and are compiled).
  const warm = TeddyFilter.create(['warm'], ['warm']);
  if (warm?.test(Buffer.from('wa\\\nrm warm', 'latin1')) !== Found.Anchor) throw new Error('prefilter self-check failed');
  engine.next = CONFIG_START;
  engine.generation++;
  compiled = module;
}

interface Entry {
  bytes: Buffer;
  print: string;
}

export class TeddyFilter {
  private cfg = 0;
  private generation = -1;

  private constructor(
    private readonly e: Engine,
    /** The configuration, with offsets from its own start (teddy.wat). */
    private readonly image: Uint8Array
  ) {}

  /**
   * A filter for `anchors` (each at least MIN_ANCHOR bytes, Latin-1; an anchor containing another may be left out),
   * whose continuation check knows the bytes of `allAnchors`; null where it cannot be built.
   */
  static create(anchors: readonly string[], allAnchors: readonly string[]): TeddyFilter | null {
    if (anchors.length === 0 || anchors.some((a) => a.length < MIN_ANCHOR)) return null;
    if (!loadTeddy()) return null;
    const entries: Entry[] = anchors.map((a) => {
      const bytes = Buffer.from(a, 'latin1');
      return { bytes, print: bytes.subarray(0, FINGERPRINT).toString('latin1') };
    });
    // Fingerprints in order (the short ones, with wildcards, first), cut into up to seven runs: neighbours share
    // leading bytes, so a bucket's nibble tables admit few byte strings that are no fingerprint.
    const prints = [...new Set(entries.map((x) => x.print))].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
    const bucketOf = new Map(prints.map((p, i) => [p, Math.floor((i * BUCKETS) / prints.length)]));
    const size = HEADER + entries.length * 12 + entries.reduce((s, x) => s + x.bytes.length, 0);
    if (size > BUFFER_AT - CONFIG_START) return null;
    const mem = new Uint8Array(size);
    const view = new DataView(mem.buffer);
    for (const x of entries) {
      const bit = 1 << bucketOf.get(x.print)!;
      for (let j = 0; j < FINGERPRINT; j++) {
        if (j < x.bytes.length) {
          mem[32 * j + (x.bytes[j] & 15)] |= bit;
          mem[32 * j + 16 + (x.bytes[j] >> 4)] |= bit;
        } else for (let k = 0; k < 32; k++) mem[32 * j + k] |= bit; // any byte
      }
    }
    // Bucket 7: a backslash, then LF or CR, then anything.
    for (const [j, bytes] of [
      [0, [BACKSLASH]],
      [1, [10, 13]],
      [2, []],
      [3, []]
    ] as Array<[number, number[]]>) {
      if (bytes.length === 0) for (let k = 0; k < 32; k++) mem[32 * j + k] |= CONTINUATION_BIT;
      for (const b of bytes) {
        mem[32 * j + (b & 15)] |= CONTINUATION_BIT;
        mem[32 * j + 16 + (b >> 4)] |= CONTINUATION_BIT;
      }
    }
    for (const a of allAnchors) {
      const b = Buffer.from(a, 'latin1');
      for (let k = 1; k < b.length; k++) {
        const pair = (b[k - 1] << 8) | b[k];
        mem[192 + (pair >> 3)] |= 1 << (pair & 7);
      }
    }
    let list = HEADER;
    let data = list + entries.length * 12;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      const members = entries.filter((x) => bucketOf.get(x.print) === bucket);
      view.setInt32(128 + bucket * 8, list, true);
      view.setInt32(132 + bucket * 8, members.length, true);
      for (const x of members) {
        view.setInt32(list, data, true);
        view.setInt32(list + 4, x.bytes.length, true);
        view.setInt32(list + 8, 0, true); // the fingerprint's offset in the anchor
        mem.set(x.bytes, data);
        data += x.bytes.length;
        list += 12;
      }
    }
    return new TeddyFilter(engine!, mem);
  }

  /** Copies the configuration into WebAssembly memory where it is not there already (all are dropped when full). */
  private place(): void {
    const e = this.e;
    if (this.generation === e.generation) return;
    if (e.next + this.image.length > BUFFER_AT) {
      e.next = CONFIG_START;
      e.generation++;
    }
    this.cfg = e.next;
    e.next += this.image.length + ((16 - (this.image.length % 16)) % 16);
    new Uint8Array(e.memory.buffer).set(this.image, this.cfg);
    this.generation = e.generation;
  }

  /**
   * Whether an anchor occurs in `buf`, or else a backslash-newline may join one (a byte of an anchor before it, one
   * or a backslash after it); undefined when the buffer does not fit in WebAssembly memory.
   */
  test(buf: Uint8Array): Found | undefined {
    const { memory } = this.e;
    const needed = BUFFER_AT + buf.length + SLACK;
    if (needed > memory.buffer.byteLength) {
      try {
        memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
      } catch {
        return undefined;
      }
    }
    this.place();
    new Uint8Array(memory.buffer, BUFFER_AT, buf.length).set(buf);
    return this.e.test(this.cfg, BUFFER_AT, buf.length) as Found;
  }
}

/** Whether an anchor holds a backslash or a line break (as Latin-1 bytes): then every file is read joined. */
export function joinsAlways(anchors: readonly string[]): boolean {
  return anchors.some((a) => Buffer.from(a, 'latin1').some((b) => b === BACKSLASH || b === 10 || b === 13));
}
