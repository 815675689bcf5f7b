;; The prefilter's inner loop (src/rules/teddy.ts): may an anchor occur in a buffer? "Teddy", the SIMD
;; multi-literal filter of Hyperscan and Rust's aho-corasick: each anchor has a four-byte fingerprint and a bucket
;; (0-6); per fingerprint position, two 16-entry tables give for a byte's low and high nibble the buckets whose
;; fingerprints have that nibble there. Sixteen positions are tested at once with byte shuffles; a position where
;; some bucket agrees on all eight nibbles is a candidate, checked against that bucket's anchors byte by byte.
;; Bucket 7 is a backslash followed by LF or CR: the same pass finds the backslash-newlines that could join two
;; parts of an anchor (see prefilterBytes in src/scan/scan-file.ts): an anchor found only once they are removed
;; spans one, with two neighbouring bytes of the anchor just before it and just after it (or after its run).
;;
;; Configuration at `cfg` (written by teddy.ts):
;;   cfg+0    eight 16-byte tables: low and high nibble of fingerprint byte 0, then of bytes 1, 2 and 3
;;   cfg+128  eight (list offset, count) pairs of i32, one per bucket (bucket 7's are unused)
;;   cfg+192  8192 bytes: bit (a * 256 + b) set when byte b follows byte a in some anchor
;;   list     per anchor three i32: offset of its bytes, its length, the fingerprint's offset in it
;; (offsets from cfg: a configuration can be copied anywhere)
;; Addresses 0-15 are scratch. The buffer at `buf` is followed by at least 64 bytes of any value (the vector loads
;; read past its end; nothing found there counts).
(module
  (memory (export "memory") 1)

  ;; 1 when an anchor of a bucket in `buckets` starts at `at` minus its fingerprint offset, inside [buf, end).
  (func $verify (param $cfg i32) (param $buf i32) (param $end i32) (param $at i32) (param $buckets i32) (result i32)
    (local $b i32) (local $list i32) (local $count i32) (local $pat i32) (local $len i32) (local $start i32)
    (local $i i32)
    (loop $bucket
      (if (i32.and (local.get $buckets) (i32.const 1))
        (then
          (local.set $list (i32.add (local.get $cfg)
            (i32.load offset=128 (i32.add (local.get $cfg) (i32.shl (local.get $b) (i32.const 3))))))
          (local.set $count (i32.load offset=132 (i32.add (local.get $cfg) (i32.shl (local.get $b) (i32.const 3)))))
          (block $done
            (loop $entry
              (br_if $done (i32.eqz (local.get $count)))
              (local.set $pat (i32.add (local.get $cfg) (i32.load (local.get $list))))
              (local.set $len (i32.load offset=4 (local.get $list)))
              (local.set $start (i32.sub (local.get $at) (i32.load offset=8 (local.get $list))))
              (if (i32.and
                    (i32.ge_u (local.get $start) (local.get $buf))
                    (i32.le_u (i32.add (local.get $start) (local.get $len)) (local.get $end)))
                (then
                  (local.set $i (i32.const 0))
                  (block $differ
                    (loop $byte
                      (br_if $differ (i32.ne
                        (i32.load8_u (i32.add (local.get $start) (local.get $i)))
                        (i32.load8_u (i32.add (local.get $pat) (local.get $i)))))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (br_if $byte (i32.lt_u (local.get $i) (local.get $len))))
                    (return (i32.const 1)))))
              (local.set $list (i32.add (local.get $list) (i32.const 12)))
              (local.set $count (i32.sub (local.get $count) (i32.const 1)))
              (br $entry)))))
      (local.set $buckets (i32.shr_u (local.get $buckets) (i32.const 1)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br_if $bucket (local.get $buckets)))
    (i32.const 0))

  ;; 1 when the backslash at `q` starts a backslash-newline that may join two parts of an anchor: the byte before
  ;; it and the byte after it (after CR LF, or one LF or CR) are two neighbours in some anchor, or the byte after it
  ;; is another backslash (a run of them: the byte after the run decides, so be safe).
  (func $joins (param $cfg i32) (param $buf i32) (param $end i32) (param $q i32) (result i32)
    (local $after i32) (local $x i32) (local $pair i32)
    (if (i32.or (i32.ge_u (i32.add (local.get $q) (i32.const 1)) (local.get $end)) (i32.eq (local.get $q) (local.get $buf)))
      (then (return (i32.const 0))))
    (local.set $x (i32.load8_u offset=1 (local.get $q)))
    (if (i32.or (i32.ne (i32.load8_u (local.get $q)) (i32.const 92))
          (i32.and (i32.ne (local.get $x) (i32.const 10)) (i32.ne (local.get $x) (i32.const 13))))
      (then (return (i32.const 0))))
    (local.set $after (i32.add (local.get $q) (i32.const 2)))
    (if (i32.and
          (i32.eq (local.get $x) (i32.const 13))
          (i32.and
            (i32.lt_u (i32.add (local.get $q) (i32.const 2)) (local.get $end))
            (i32.eq (i32.load8_u offset=2 (local.get $q)) (i32.const 10))))
      (then (local.set $after (i32.add (local.get $q) (i32.const 3)))))
    (if (i32.ge_u (local.get $after) (local.get $end)) (then (return (i32.const 0))))
    (local.set $x (i32.load8_u (local.get $after)))
    (if (i32.eq (local.get $x) (i32.const 92)) (then (return (i32.const 1))))
    ;; bit (before * 256 + after) of the pair set
    (local.set $pair (i32.or (i32.shl (i32.load8_u (i32.sub (local.get $q) (i32.const 1))) (i32.const 8)) (local.get $x)))
    (i32.and
      (i32.shr_u
        (i32.load8_u offset=192 (i32.add (local.get $cfg) (i32.shr_u (local.get $pair) (i32.const 3))))
        (i32.and (local.get $pair) (i32.const 7)))
      (i32.const 1)))

  ;; 1 when an anchor of the configuration at `cfg` occurs in the `n` bytes at `buf`; else 2 when a
  ;; backslash-newline may join one (the caller then looks again with them removed); else 0.
  (func (export "test") (param $cfg i32) (param $buf i32) (param $n i32) (result i32)
    (local $p i32) (local $end i32) (local $bits i32) (local $lane i32) (local $joined i32)
    (local $lo0 v128) (local $hi0 v128) (local $lo1 v128) (local $hi1 v128) (local $lo2 v128) (local $hi2 v128)
    (local $lo3 v128) (local $hi3 v128)
    (local $nib v128) (local $v v128) (local $w v128) (local $m v128) (local $set i32)
    (local.set $lo0 (v128.load offset=0 (local.get $cfg)))
    (local.set $hi0 (v128.load offset=16 (local.get $cfg)))
    (local.set $lo1 (v128.load offset=32 (local.get $cfg)))
    (local.set $hi1 (v128.load offset=48 (local.get $cfg)))
    (local.set $lo2 (v128.load offset=64 (local.get $cfg)))
    (local.set $hi2 (v128.load offset=80 (local.get $cfg)))
    (local.set $lo3 (v128.load offset=96 (local.get $cfg)))
    (local.set $hi3 (v128.load offset=112 (local.get $cfg)))
    (local.set $nib (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
    (local.set $p (local.get $buf))
    (local.set $end (i32.add (local.get $buf) (local.get $n)))
    (block $none
      (loop $chunk
        (br_if $none (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (v128.load (local.get $p)))
        (local.set $w (v128.load offset=1 (local.get $p)))
        (local.set $m (v128.and
          (v128.and
            (i8x16.swizzle (local.get $lo0) (v128.and (local.get $v) (local.get $nib)))
            (i8x16.swizzle (local.get $hi0) (v128.and (i16x8.shr_u (local.get $v) (i32.const 4)) (local.get $nib))))
          (v128.and
            (i8x16.swizzle (local.get $lo1) (v128.and (local.get $w) (local.get $nib)))
            (i8x16.swizzle (local.get $hi1) (v128.and (i16x8.shr_u (local.get $w) (i32.const 4)) (local.get $nib))))))
        (local.set $v (v128.load offset=2 (local.get $p)))
        (local.set $w (v128.load offset=3 (local.get $p)))
        (local.set $m (v128.and (local.get $m) (v128.and
          (v128.and
            (i8x16.swizzle (local.get $lo2) (v128.and (local.get $v) (local.get $nib)))
            (i8x16.swizzle (local.get $hi2) (v128.and (i16x8.shr_u (local.get $v) (i32.const 4)) (local.get $nib))))
          (v128.and
            (i8x16.swizzle (local.get $lo3) (v128.and (local.get $w) (local.get $nib)))
            (i8x16.swizzle (local.get $hi3) (v128.and (i16x8.shr_u (local.get $w) (i32.const 4)) (local.get $nib)))))))
        (if (v128.any_true (local.get $m))
          (then
            (local.set $bits (i8x16.bitmask (i8x16.ne (local.get $m) (v128.const i64x2 0 0))))
            ;; the bucket sets, read lane by lane from the scratch bytes
            (v128.store (i32.const 0) (local.get $m))
            (block $past
              (loop $candidate
                (local.set $lane (i32.ctz (local.get $bits)))
                (br_if $past (i32.ge_u (i32.add (local.get $p) (local.get $lane)) (local.get $end)))
                (local.set $set (i32.load8_u (local.get $lane)))
                (if (i32.and (local.get $set) (i32.const 0x7f))
                  (then
                    (if (call $verify (local.get $cfg) (local.get $buf) (local.get $end) (i32.add (local.get $p) (local.get $lane))
                          (i32.and (local.get $set) (i32.const 0x7f)))
                      (then (return (i32.const 1))))))
                (if (i32.and (i32.ge_u (local.get $set) (i32.const 0x80)) (i32.eqz (local.get $joined)))
                  (then
                    (if (call $joins (local.get $cfg) (local.get $buf) (local.get $end) (i32.add (local.get $p) (local.get $lane)))
                      (then (local.set $joined (i32.const 2))))))
                (local.set $bits (i32.and (local.get $bits) (i32.sub (local.get $bits) (i32.const 1))))
                (br_if $candidate (local.get $bits))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $chunk)))
    (local.get $joined)))
