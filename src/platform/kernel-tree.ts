// A configuration's kernel: a headers package tree (`/usr/src/linux-headers-…`, whose Makefile includes the
// `-common` part) or a kernel source checkout. Gives header lookup (include/ and arch/ARCH/include of every part,
// generated headers first), the Kconfig values (`.config`, else include/generated/autoconf.h), the release and
// version code, and the exported symbols (Module.symvers). Reads are bounded and cached per tree.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export class KernelTreeError extends Error {}

/** Kernel architecture folder (arch/NAME) for a configuration's CPU architecture. */
const ARCH_DIRS: Record<string, string> = { x86_64: 'x86', aarch64: 'arm64', arm64: 'arm64', ppc64le: 'powerpc', riscv64: 'riscv' };

export function archDir(arch: string): string {
  return ARCH_DIRS[arch] ?? arch;
}

/** Largest header read (a larger file is not searched; the probe is then undecided). */
const MAX_HEADER_BYTES = 4 * 1024 * 1024;

export interface Kconfig {
  /** Option (with CONFIG_) → `y`, `m` or a value; an option not set is absent. */
  values: ReadonlyMap<string, string>;
  /** Where the values come from (relative to the tree's parent folder). */
  source: string;
}

export class KernelTree {
  /** The arch part first, then the parts its Makefile includes. */
  readonly parts: string[];
  private readonly headers = new Map<string, { file: string; text: string } | null>();
  private kconfigCache?: Kconfig;
  private symvers?: Map<string, string>;

  private constructor(
    readonly root: string,
    readonly arch: string,
    private readonly configFile?: string
  ) {
    this.parts = [root, ...includedParts(root)];
  }

  static open(root: string, arch: string, configFile?: string): KernelTree {
    let ok = false;
    try {
      ok = statSync(root).isDirectory();
    } catch {
      /* reported below */
    }
    if (!ok) throw new KernelTreeError(`kernel tree '${root}' does not exist or is not a folder`);
    if (configFile && !existsSync(configFile)) throw new KernelTreeError(`kernel config '${configFile}' does not exist`);
    const tree = new KernelTree(path.resolve(root), arch, configFile && path.resolve(configFile));
    if (!tree.parts.some((p) => existsSync(path.join(p, 'include', 'linux')))) {
      throw new KernelTreeError(`kernel tree '${root}' has no include/linux (neither it nor the parts its Makefile includes)`);
    }
    return tree;
  }

  /** A path as recorded in snapshots: relative to the folder holding the parts (`linux-headers-…-common/include/…`). */
  display(file: string): string {
    return path.relative(path.dirname(this.root), file).split(path.sep).join('/');
  }

  /** Folders `#include <…>` searches, in order (generated headers before sources, arch before generic). */
  includeDirs(): string[] {
    const a = archDir(this.arch);
    const dirs: string[] = [];
    for (const p of this.parts) dirs.push(path.join(p, 'arch', a, 'include', 'generated'), path.join(p, 'arch', a, 'include'));
    for (const p of this.parts) dirs.push(path.join(p, 'include'));
    for (const p of this.parts)
      dirs.push(path.join(p, 'arch', a, 'include', 'generated', 'uapi'), path.join(p, 'arch', a, 'include', 'uapi'), path.join(p, 'include', 'uapi'));
    return dirs;
  }

  /** The text of `<name>` (e.g. `linux/migrate.h`), or null when no include folder has it. */
  header(name: string): { file: string; text: string } | null {
    const cached = this.headers.get(name);
    if (cached !== undefined) return cached;
    let found: { file: string; text: string } | null = null;
    for (const dir of this.includeDirs()) {
      const file = path.join(dir, name);
      try {
        if (statSync(file).size > MAX_HEADER_BYTES) continue;
        found = { file, text: readFileSync(file, 'latin1') };
        break;
      } catch {
        /* not in this folder */
      }
    }
    this.headers.set(name, found);
    return found;
  }

  kconfig(): Kconfig {
    if (this.kconfigCache) return this.kconfigCache;
    const candidates = this.configFile
      ? [this.configFile]
      : this.parts.flatMap((p) => [path.join(p, '.config'), path.join(p, 'include', 'generated', 'autoconf.h')]);
    for (const file of candidates) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      const values = new Map<string, string>();
      const isAutoconf = file.endsWith('.h');
      for (const line of text.split('\n')) {
        const m = isAutoconf ? /^#define (CONFIG_\w+) (.*)$/.exec(line) : /^(CONFIG_\w+)=(.*)$/.exec(line);
        if (!m) continue;
        if (isAutoconf) {
          // autoconf.h: `CONFIG_X 1` for y, `CONFIG_X_MODULE 1` for m.
          const mod = /^(CONFIG_\w+)_MODULE$/.exec(m[1]);
          if (mod && m[2] === '1') values.set(mod[1], 'm');
          else values.set(m[1], m[2] === '1' ? 'y' : m[2]);
        } else values.set(m[1], m[2]);
      }
      this.kconfigCache = { values, source: this.configFile ? file : this.display(file) };
      return this.kconfigCache;
    }
    throw new KernelTreeError(`kernel tree '${this.root}' has neither .config nor include/generated/autoconf.h (give the configuration a config file)`);
  }

  /** `6.12.117+deb12-amd64` from include/config/kernel.release or utsrelease.h, when the tree has one. */
  release(): string | undefined {
    for (const p of this.parts) {
      for (const [rel, re] of [
        ['include/config/kernel.release', /^(\S+)/],
        ['include/generated/utsrelease.h', /UTS_RELEASE\s+"([^"]+)"/]
      ] as const) {
        try {
          const m = re.exec(readFileSync(path.join(p, rel), 'utf8'));
          if (m) return m[1];
        } catch {
          /* next */
        }
      }
    }
    return undefined;
  }

  /** LINUX_VERSION_CODE from include/generated/uapi/linux/version.h, or from the release. */
  versionCode(): number | undefined {
    for (const p of this.parts) {
      try {
        const m = /LINUX_VERSION_CODE\s+(\d+)/.exec(readFileSync(path.join(p, 'include/generated/uapi/linux/version.h'), 'utf8'));
        if (m) return Number(m[1]);
      } catch {
        /* next */
      }
    }
    const r = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(this.release() ?? '');
    return r ? kernelVersion(Number(r[1]), Number(r[2]), Number(r[3] ?? 0)) : undefined;
  }

  /** Exported symbols (Module.symvers: name → export type such as EXPORT_SYMBOL_GPL), or undefined without one. */
  exported(): { file: string; symbols: ReadonlyMap<string, string> } | undefined {
    for (const p of this.parts) {
      const file = path.join(p, 'Module.symvers');
      if (!this.symvers) {
        try {
          this.symvers = new Map();
          for (const l of readFileSync(file, 'utf8').split('\n')) {
            const cells = l.split('\t');
            if (cells.length >= 4) this.symvers.set(cells[1], cells[3]);
          }
        } catch {
          this.symvers = undefined;
          continue;
        }
      }
      return { file: this.display(file), symbols: this.symvers };
    }
    return undefined;
  }
}

export function kernelVersion(a: number, b: number, c: number): number {
  return (a << 16) + (b << 8) + Math.min(c, 255);
}

/** Parts a headers package's Makefile includes (`include /usr/src/linux-headers-…-common/Makefile`). */
function includedParts(root: string): string[] {
  let text: string;
  try {
    text = readFileSync(path.join(root, 'Makefile'), 'utf8');
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const m of text.matchAll(/^include\s+(\S+\/Makefile)\s*$/gm)) {
    const dir = path.dirname(path.resolve(root, m[1]));
    // A package unpacked elsewhere (dpkg -x) may have its common part beside it rather than at the absolute path.
    const beside = path.join(path.dirname(root), path.basename(dir));
    if (existsSync(beside)) out.push(beside);
    else if (existsSync(dir)) out.push(dir);
  }
  return out;
}
