// Generates a deterministic synthetic driver-like C tree for the benchmark: about 4,000 files and 130 MB, with a
// few dozen HMM-relevant files. Everything is generated here from templates and a seeded PRNG; no real driver
// code. The same options always give byte-identical files.
//
//   node bench/generate-tree.mjs DIR [--linux]   (--linux: the Linux-scale tree, about 82,000 files and 1.1 GB)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const DEFAULTS = { files: 4000, mb: 130, relevant: 40, seed: 20261124 };
/** Bump when the generated content changes, so an existing tree is not reused. */
const GENERATOR_VERSION = 2;

/** The seeded PRNG of the benchmarks (mulberry32). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Syllables without 'h' or 'm': no generated name can spell an anchor (hmm, mmu_, migrate_, memremap, …).
const SYL = [
  'ka',
  'ro',
  'ti',
  'la',
  'ne',
  'po',
  'su',
  'va',
  'de',
  'gi',
  'fo',
  'ru',
  'bel',
  'tor',
  'qui',
  'zen',
  'dax',
  'pol',
  'vek',
  'sur',
  'lin',
  'gar',
  'tek',
  'bri'
];
const TYPES = ['int', 'unsigned int', 'unsigned long', 'u32', 'u64', 'bool', 'size_t', 'void *', 'struct list_node *'];

class Gen {
  constructor(seed) {
    this.r = mulberry32(seed);
  }
  int(lo, hi) {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  pick(a) {
    return a[Math.floor(this.r() * a.length)];
  }
  word(n = this.int(2, 3)) {
    let w = '';
    for (let i = 0; i < n; i++) w += this.pick(SYL);
    return w;
  }
  ident() {
    return `${this.word()}_${this.word()}`;
  }
  macro() {
    return `DRV_${this.word().toUpperCase()}_${this.word(2).toUpperCase()}`;
  }
  comment(indent) {
    const lines = [];
    for (let i = 0, n = this.int(1, 4); i < n; i++) lines.push(`${indent}// ${Array.from({ length: this.int(4, 10) }, () => this.word()).join(' ')}`);
    if (this.r() < 0.05) lines.push(`${indent}// TODO: Bug ${this.int(1000000, 4999999)}: ${this.word()} ${this.word()}`);
    return lines.join('\n');
  }
  statement(indent, depth) {
    const k = this.int(0, 9);
    const v = this.ident();
    if (k < 3) return `${indent}${v} = ${this.ident()}(${this.ident()}, ${this.int(0, 4096)});`;
    if (k < 5)
      return `${indent}if (${v} ${this.pick(['==', '!=', '<', '>'])} ${this.int(0, 64)})\n${indent}    return ${this.pick(['-EINVAL', '-ENOMEM', '0', '1'])};`;
    if (k < 6 && depth < 2) {
      const body = Array.from({ length: this.int(1, 3) }, () => this.statement(`${indent}    `, depth + 1)).join('\n');
      return `${indent}for (i = 0; i < ${this.int(2, 128)}; i++) {\n${body}\n${indent}}`;
    }
    if (k < 7 && depth < 2) {
      const cases = Array.from(
        { length: this.int(2, 4) },
        (_, i) => `${indent}case ${i}:\n${this.statement(`${indent}    `, depth + 1)}\n${indent}    break;`
      ).join('\n');
      return `${indent}switch (${v}) {\n${cases}\n${indent}default:\n${indent}    break;\n${indent}}`;
    }
    if (k < 8) return `${indent}${this.ident()}(&${v}, "${this.word()} %d\\n", ${this.int(0, 99)});`;
    if (k < 9) return this.comment(indent);
    return `${indent}${v}->${this.word()}.${this.word()} = ${this.pick(['true', 'false', 'NULL', String(this.int(0, 255))])};`;
  }
  func(indent = '') {
    const name = this.ident();
    const body = Array.from({ length: this.int(4, 20) }, () => this.statement(`${indent}    `, 0)).join('\n');
    return `${indent}static ${this.pick(TYPES)} ${name}(struct ${this.word()}_ctx *${this.word()}, ${this.pick(TYPES)} ${this.word()})\n${indent}{\n${indent}    unsigned int i;\n${body}\n${indent}    return 0;\n${indent}}\n`;
  }
  struct() {
    const fields = Array.from({ length: this.int(3, 14) }, () => `    ${this.pick(TYPES)} ${this.word()};`).join('\n');
    return `typedef struct\n{\n${fields}\n} ${this.word()}_t;\n`;
  }
  block() {
    const k = this.int(0, 9);
    if (k < 5) return this.func();
    if (k < 6) return this.struct();
    if (k < 7) return `${Array.from({ length: this.int(2, 8) }, () => `#define ${this.macro()} ${this.int(0, 1 << 20)}`).join('\n')}\n`;
    if (k < 8) return `/*\n * ${Array.from({ length: this.int(8, 30) }, () => this.word()).join(' ')}\n */\n`;
    const m = this.macro();
    return `#if defined(${m})\n${this.func('    ')}#else\n${this.func('    ')}#endif // ${m}\n`;
  }
  file(size, header) {
    const parts = [`/* Generated for a benchmark: synthetic code, not a real driver. */\n`];
    if (header) parts.push(`#ifndef _${this.word().toUpperCase()}_H\n#define _${this.word().toUpperCase()}_H\n`);
    for (let i = 0, n = this.int(2, 8); i < n; i++) parts.push(`#include "${this.word()}_${this.word()}.h"\n`);
    let len = parts.reduce((s, p) => s + p.length, 0);
    while (len < size) {
      const b = `\n${this.block()}`;
      parts.push(b);
      len += b.length;
    }
    if (header) parts.push('\n#endif\n');
    return parts.join('');
  }
}

/** HMM constructs for the relevant files, varied by index. */
function hmmBlock(g, i) {
  const t = `drv${i}_${g.word(2)}`;
  const blocks = [
    `static bool ${t}_invalidate(struct mmu_interval_notifier *mni, const struct mmu_notifier_range *range, unsigned long seq)\n{\n    mmu_interval_set_seq(mni, seq);\n    return true;\n}\n\nstatic const struct mmu_interval_notifier_ops ${t}_notifier_ops =\n{\n    .invalidate = ${t}_invalidate,\n};\n\nint ${t}_mirror(struct mmu_interval_notifier *mni, struct hmm_range *range)\n{\n    int ret = mmu_interval_notifier_insert(mni, range->mm, range->start, range->end - range->start, &${t}_notifier_ops);\n\n    if (ret)\n        return ret;\n    range->notifier_seq = mmu_interval_read_begin(mni);\n    return hmm_range_fault(range);\n}\n`,
    `static const struct dev_pagemap_ops ${t}_pagemap_ops =\n{\n#if defined(NV_PAGEMAP_OPS_HAS_FOLIO_FREE)\n    .folio_free = ${t}_folio_free,\n#else\n    .page_free = ${t}_page_free,\n#endif\n    .migrate_to_ram = ${t}_fault,\n};\n\nvoid ${t}_evict(struct ${t}_devmem *d, unsigned long *src, unsigned long *dst)\n{\n    d->pagemap.ops = &${t}_pagemap_ops;\n    migrate_device_range(src, d->pfn, d->count);\n    migrate_device_pages(src, dst, d->count);\n    migrate_device_finalize(src, dst, d->count);\n}\n`,
    `static const struct mmu_notifier_ops ${t}_mm_ops =\n{\n    .release = ${t}_release,\n    .invalidate_range_start = ${t}_start,\n    .invalidate_range_end = ${t}_end,\n};\n\nint ${t}_migrate(struct migrate_vma *args)\n{\n    if (migrate_vma_setup(args))\n        return -EINVAL;\n    migrate_vma_pages(args);\n    migrate_vma_finalize(args);\n    return 0;\n}\n`,
    `#if UVM_IS_CONFIG_HMM()\n// TODO: Bug ${4000000 + i}: HMM: ${g.word()} ${g.word()}\nvoid ${t}_space_init(struct ${t}_space *va_space)\n{\n    va_space->hmm.disable = ${i % 2 ? 'false' : 'true'};\n    ${t}_exclusive(make_device_exclusive(va_space->mm, 0, NULL, NULL));\n}\n#endif // UVM_IS_CONFIG_HMM()\n`
  ];
  return blocks[i % blocks.length];
}

const PARAM = `#ifdef NVCPU_X86_64\nstatic bool uvm_disable_hmm = false;\n#else\nstatic bool uvm_disable_hmm = true;\n#endif\nmodule_param(uvm_disable_hmm, bool, 0444);\nMODULE_PARM_DESC(uvm_disable_hmm, "Turn HMM off (synthetic benchmark tree).");\n`;

function optionsHash(opts) {
  return createHash('sha256')
    .update(JSON.stringify({ ...opts, GENERATOR_VERSION }))
    .digest('hex')
    .slice(0, 16);
}

/** A Linux-scale tree: about 82,000 files and 1.1 GB in Kbuild folders (a Makefile each), HMM code in a few driver modules, core code and a self-test. */
export const LINUX_DEFAULTS = { layout: 'linux', files: 82000, mb: 1100, relevant: 48, seed: 20261126 };

/** Writes a Linux-like tree: driver modules of 40 files in Kbuild folders, mm/ and include/, lib/ with a self-test. */
function generateLinux(dir, opts) {
  const g = new Gen(opts.seed);
  const target = opts.mb * 1024 * 1024;
  const perFolder = 40;
  const folders = Math.ceil(opts.files / perFolder);
  const plan = [];
  for (let f = 0; f < folders; f++) {
    const top =
      f === 0
        ? 'mm'
        : f === 1
          ? 'include/linux'
          : f === 2
            ? 'lib'
            : `${g.pick(['drivers/gpu/drm', 'drivers/misc', 'drivers/net', 'drivers/infiniband/hw', 'fs', 'sound/pci', 'arch/x86/kvm'])}/${g.word(2)}${f}`;
    const module = top.split('/').pop().replace(/[^\w]/g, '_');
    const files = [];
    for (let i = 0; i < perFolder && plan.length < opts.files; i++) {
      const r = g.r();
      const header = top === 'include/linux' || r < 0.35;
      const size = header ? g.int(1000, 12000) : r < 0.97 ? g.int(8000, 40000) : g.int(80000, 250000);
      const name = top === 'lib' && i === 0 ? 'test_bench_hmm' : `${g.word()}_${f}_${i}`;
      const file = `${top}/${name}.${header ? 'h' : 'c'}`;
      plan.push({ file, size, header, folder: f, top, module });
      if (!header) files.push(name);
    }
    const mk =
      top === 'mm' || top === 'include/linux'
        ? null
        : top === 'lib'
          ? `obj-$(CONFIG_TEST_BENCH_HMM) += test_bench_hmm.o\nobj-y += ${files
              .slice(1)
              .map((n) => `${n}.o`)
              .join(' ')}\n`
          : `obj-$(CONFIG_${module.toUpperCase()}) += ${module}.o\n${module}-y := ${files.map((n) => `${n}.o`).join(' \\\n\t')}\n`;
    if (mk) plan.push({ file: `${top}/Makefile`, text: `# synthetic Kbuild\n${mk}` });
  }
  const sized = plan.filter((p) => p.text === undefined);
  const scale = target / sized.reduce((s, p) => s + p.size, 0);
  // HMM code: in the first .c file of every k-th driver folder, in mm/ (the provider) and in the self-test.
  const drivers = [...new Set(sized.filter((p) => !p.header && p.folder > 2).map((p) => p.folder))];
  const step = Math.max(1, Math.floor(drivers.length / opts.relevant));
  const hmmFolders = new Set(drivers.filter((_, k) => k % step === 0).slice(0, opts.relevant));
  const done = new Set();
  let bytes = 0;
  let index = 0;
  for (const p of plan) {
    let text = p.text ?? g.file(Math.round(p.size * scale), p.header);
    if (p.text === undefined && !p.header && (hmmFolders.has(p.folder) || p.folder <= 2) && !done.has(p.folder)) {
      done.add(p.folder);
      text = `${text}\n${hmmBlock(g, index++)}`;
    }
    const abs = path.join(dir, p.file);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    bytes += Buffer.byteLength(text);
  }
  return { files: plan.length, bytes, relevant: done.size };
}

/** Writes the tree into dir (reused when dir already holds a tree of the same options). Returns its stats. */
export function generateTree(dir, options = {}) {
  const opts = { ...DEFAULTS, ...options };
  const stamp = path.join(dir, '.bench-tree');
  const hash = optionsHash(opts);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash) return { dir, reused: true, ...JSON.parse(readFileSync(`${stamp}.json`, 'utf8')) };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (opts.layout === 'linux') {
    const stats = generateLinux(dir, opts);
    writeFileSync(`${stamp}.json`, JSON.stringify(stats));
    writeFileSync(stamp, `${hash}\n`);
    return { dir, reused: false, ...stats };
  }
  const g = new Gen(opts.seed);
  const target = opts.mb * 1024 * 1024;
  const modules = ['nvidia', 'nvidia-uvm', 'nvidia-drm', 'nvidia-modeset', 'nvidia-peermem', 'common'];
  const plan = [];
  // Size classes: many small headers, most bytes in .c files, a few large ones.
  for (let i = 0; i < opts.files; i++) {
    const r = g.r();
    const header = r < 0.38;
    const size = header ? g.int(1000, 10000) : r < 0.96 ? g.int(18000, 60000) : g.int(120000, 400000);
    const top = i % 10 < 2 ? `kernel-open/${modules[i % modules.length]}` : `src/${g.pick(['common', 'nvidia', 'nvidia-modeset'])}/${g.word(2)}`;
    plan.push({ file: `${top}/${g.word()}_${i}.${header ? 'h' : 'c'}`, size, header });
  }
  const total = plan.reduce((s, p) => s + p.size, 0);
  const scale = target / total;
  const relevant = new Set(Array.from({ length: opts.relevant }, (_, k) => Math.floor((k * plan.length) / opts.relevant) + 3));
  let bytes = 0;
  let index = 0;
  plan.forEach((p, i) => {
    let file = p.file;
    let text = g.file(Math.round(p.size * scale), p.header);
    if (relevant.has(i)) {
      file = `kernel-open/nvidia-uvm/uvm_${g.word()}_${i}.c`;
      text = `${text}\n${index === 0 ? PARAM : ''}${hmmBlock(g, index)}`;
      index++;
    }
    const abs = path.join(dir, file);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    bytes += Buffer.byteLength(text);
  });
  const extra = {
    'kernel-open/nvidia-uvm/nvidia-uvm.Kbuild': '# synthetic\nOBJS += uvm.o\n# HMM needs CONFIG_HMM_MIRROR\n',
    'kernel-open/conftest.sh': '#!/bin/sh\n# synthetic probes\ncase "$1" in\n  migrate_device_range) echo "#define NV_MIGRATE_DEVICE_RANGE_PRESENT" ;;\nesac\n',
    'kernel-open/Makefile': '# synthetic\nall:\n\t@true\n',
    'README.md': '# Synthetic benchmark tree\n\nGenerated for a benchmark; claims HMM support on paper only.\n'
  };
  for (const [f, t] of Object.entries(extra)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), t);
    bytes += t.length;
  }
  const stats = { files: plan.length + Object.keys(extra).length, bytes, relevant: opts.relevant };
  writeFileSync(`${stamp}.json`, JSON.stringify(stats));
  writeFileSync(stamp, `${hash}\n`);
  return { dir, reused: false, ...stats };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node bench/generate-tree.mjs DIR');
    process.exit(2);
  }
  const t = performance.now();
  const r = generateTree(dir, process.argv.includes('--linux') ? LINUX_DEFAULTS : {});
  console.log(
    `${r.reused ? 'reused' : 'generated'} ${r.files} files, ${(r.bytes / 1048576).toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s: ${dir}`
  );
}
