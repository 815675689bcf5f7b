// Configurations: a CPU architecture and a kernel tree (plus, optionally, a kernel .config) against which every
// capability is evaluated. The atoms of the snapshot's conditions (with followed macros) are decided from the
// configuration: the architecture's macros (profile data), Kconfig options (.config / autoconf.h), the driver's
// build probes (its conftest.sh, read by platform/conftest.ts, decided by platform/probes.ts; the profile can add
// or override probes), and LINUX_VERSION_CODE comparisons. Every decision records what decided it. A fact counts
// only where its file is built: the Kconfig options the tree's build files name for it (`foo-$(CONFIG_X) += a.o`,
// the `ifeq`/`ifdef` blocks around that line, the `obj-$(CONFIG_Y) += dir/` lines of the folders above) join its
// condition. Verdicts are given for the whole tree and for each driver unit.
import { and, atom, atomsOf, type Cond, parseCondition, render, substitute } from '../frontend/condition.js';
import { followMacros } from '../frontend/macro-values.js';
import { type ConfigVerdict, type Decisions, evaluateInConfiguration } from '../rules/capabilities.js';
import type { Fact, Platform, Profile } from '../rules/types.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { KbuildIndex } from '../units/kbuild.js';
import { exportProbe, type Probe, type ProbeTest, parseConftest } from './conftest.js';
import { KernelTree, KernelTreeError, kernelVersion } from './kernel-tree.js';
import { kconfigAtom, ProbeDecider } from './probes.js';

export interface ConfigurationSpec {
  name: string;
  arch: string;
  kernel: string;
  config?: string;
}

export class ConfigurationError extends Error {}

/** A name: 1-64 characters, no control characters, no `=` or `,` (the CLI syntax's separators). */
const NAME = /^[^\s=,\p{Cc}][^=,\p{Cc}]{0,63}$/u;

/** `NAME=arch:ARCH,kernel:PATH[,config:FILE]` (the CLI's --config). */
export function parseConfigurationSpec(text: string): ConfigurationSpec {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new ConfigurationError(`--config '${text}': expected NAME=arch:ARCH,kernel:PATH[,config:FILE]`);
  const name = text.slice(0, eq).trim();
  const fields: Record<string, string> = {};
  for (const part of text.slice(eq + 1).split(',')) {
    const colon = part.indexOf(':');
    const key = colon > 0 ? part.slice(0, colon).trim() : '';
    if (!['arch', 'kernel', 'config'].includes(key)) throw new ConfigurationError(`--config '${text}': unknown field '${part}' (fields: arch, kernel, config)`);
    if (fields[key] !== undefined) throw new ConfigurationError(`--config '${text}': field '${key}' given twice`);
    fields[key] = part.slice(colon + 1).trim();
  }
  return checkSpec({ name, arch: fields.arch, kernel: fields.kernel, ...(fields.config ? { config: fields.config } : {}) }, `--config '${text}'`);
}

/** Checks one configuration (from the CLI or the action input `configurations`). */
export function checkSpec(s: Partial<ConfigurationSpec>, where: string): ConfigurationSpec {
  if (!s.name || !NAME.test(s.name)) throw new ConfigurationError(`${where}: 'name' must be 1-64 characters without '=', ',' or control characters`);
  if (!s.arch || !/^[a-z0-9_]+$/.test(s.arch)) throw new ConfigurationError(`${where}: 'arch' is missing or not an architecture name (x86_64, aarch64, …)`);
  if (!s.kernel) throw new ConfigurationError(`${where}: 'kernel' (the kernel tree's path) is missing`);
  return { name: s.name, arch: s.arch, kernel: s.kernel, ...(s.config ? { config: s.config } : {}) };
}

export interface Decision {
  atom: string;
  /** Undefined: not decided (the reason is in `how`). */
  value?: boolean;
  by: 'architecture' | 'kconfig' | 'probe' | 'version' | 'build';
  how: string;
  /** The kernel file (and line) that decided it, relative to the folder holding the kernel tree's parts. */
  file?: string;
  line?: number;
  /** Where the probe is defined (`kernel-open/conftest.sh:3579 (migrate_device_range)`, or `profile`). */
  source?: string;
}

export interface ConfigurationResult {
  name: string;
  arch: string;
  kernel: { release?: string; kconfig: string };
  decisions: Decision[];
  /** Each followed macro of the snapshot (`UVM_IS_CONFIG_HMM()`) in this configuration: `1`, `0`, or what it still depends on. */
  macros: Record<string, string>;
  /** Capability id → verdict, in profile order (the whole tree as one driver). */
  capabilities: Record<string, ConfigVerdict>;
  /**
   * Per driver unit (every unit but the core code that provides the APIs), in the snapshot's unit order: capability
   * id → verdict, from the unit's facts alone. Absent without units and in older snapshots.
   */
  units?: Record<string, Record<string, ConfigVerdict>>;
  /** Units none of whose source files this configuration builds (the Kconfig options their build files name are off). */
  notBuilt?: string[];
}

/** The probes of a profile's `platform.probes`, as conftest tests. */
function profileProbes(platform: Platform | undefined): Map<string, Probe> {
  const out = new Map<string, Probe>();
  for (const [macro, p] of Object.entries(platform?.probes ?? {})) {
    const tests: ProbeTest[] = [];
    if (p.function) tests.push({ kind: 'function', name: p.function });
    if (p.member) {
      const [struct, member] = p.member.split('.');
      tests.push({ kind: 'member', struct, member });
    }
    if (p.struct) tests.push({ kind: 'struct', struct: p.struct });
    if (p.identifier) tests.push({ kind: 'identifier', name: p.identifier });
    if (p.symbol) tests.push({ kind: 'symbol', name: p.symbol });
    out.set(macro, { macro, case: 'profile', line: 0, category: 'profile', headers: p.headers ?? [], tests });
  }
  return out;
}

const VERSION_CMP = /^LINUX_VERSION_CODE\s*(<=|>=|<|>|==|!=)\s*KERNEL_VERSION\((\d+),\s*(\d+),\s*(\d+)\)$/;
const BUILD: Record<string, boolean> = { 'defined(__KERNEL__)': true, 'defined(MODULE)': true, 'defined(__ASSEMBLY__)': false };

function macroOf(a: string): string | undefined {
  return /^defined\((\w+)\)$/.exec(a)?.[1] ?? (/^\w+$/.test(a) ? a : undefined);
}

/** The atoms the snapshot's conditions reach once macros are followed, and those the profile's assumptions name. */
function atomsToDecide(s: Snapshot, profile: Profile): string[] {
  const macros = new Map(Object.entries(s.macros ?? {}).map(([k, m]) => [k, parseCondition(m.condition)]));
  const texts = new Set([...s.facts.map((f) => f.condition), ...Object.values(s.constraints).flat()]);
  const atoms = new Set<string>();
  for (const t of texts) for (const a of atomsOf(followMacros(parseCondition(t), macros))) atoms.add(a);
  // A row's own assumption (x86_64) is decided too, so that a row about another architecture reads "n/a".
  for (const a of [...Object.keys(profile.assume ?? {}), ...profile.capabilities.flatMap((c) => Object.keys(c.assume ?? {}))]) {
    if (!macros.has(a)) atoms.add(a);
  }
  return [...atoms].sort();
}

export interface ProbeScript {
  /** Path in the driver tree (`kernel-open/conftest.sh`). */
  file: string;
  text: string;
}

/**
 * The snapshot with each fact's condition joined with the condition under which the tree's build files build its
 * file (`nouveau-$(CONFIG_DRM_NOUVEAU_SVM) += nouveau_dmem.o`: `IS_ENABLED(CONFIG_DRM_NOUVEAU_SVM)`), for a
 * configuration to decide.
 */
function asBuilt(s: Snapshot, kbuild: ReadonlyMap<string, readonly string[]> | undefined): { s: Snapshot; built: Map<string, Cond | undefined> } {
  const built = new Map<string, Cond | undefined>();
  if (!kbuild?.size) return { s, built };
  const index = new KbuildIndex(kbuild);
  const facts = s.facts.map((f) => {
    if (!built.has(f.file)) built.set(f.file, index.buildCondition(f.file));
    const when = built.get(f.file);
    return when ? { ...f, condition: render(and(parseCondition(f.condition), when)) } : f;
  });
  return { s: { ...s, facts }, built };
}

/** The units none of whose source files the configuration builds (each file's build condition is false). */
function notBuilt(s: Snapshot, built: Map<string, Cond | undefined>, values: ReadonlyMap<string, boolean>): string[] {
  return (s.units ?? [])
    .filter((u) => {
      if (u.kind === 'provider') return false;
      const sources = u.files.filter((f) => /\.[cS]$/.test(f));
      return (
        sources.length > 0 &&
        sources.every((f) => {
          const when = built.get(f);
          if (!when) return false;
          const c = substitute(when, values);
          return c.k === 'const' && !c.v;
        })
      );
    })
    .map((u) => u.id);
}

/**
 * Decides and evaluates every configuration. With the tree's build files (`kbuild`, as the scan keeps them), a file
 * the configuration's Kconfig options do not build has no facts in it.
 */
export function evaluateConfigurations(
  snapshot: Snapshot,
  profile: Profile,
  specs: ConfigurationSpec[],
  scripts: ProbeScript[],
  kbuild?: ReadonlyMap<string, readonly string[]>
): ConfigurationResult[] {
  const { s, built } = asBuilt(snapshot, kbuild);
  const platform = profile.platform;
  const probes = new Map<string, Probe & { script?: string }>();
  for (const sc of scripts) for (const [k, p] of parseConftest(sc.text)) if (!probes.has(k)) probes.set(k, { ...p, script: sc.file });
  for (const [k, p] of profileProbes(platform)) probes.set(k, p);
  const archMacros = new Set(Object.values(platform?.architectures ?? {}).flat());
  const atoms = atomsToDecide(s, profile);
  const trees = new Map<string, KernelTree>();
  return specs.map((spec) => {
    const key = `${spec.kernel}\0${spec.arch}\0${spec.config ?? ''}`;
    let kernel = trees.get(key);
    if (!kernel) {
      try {
        kernel = KernelTree.open(spec.kernel, spec.arch, spec.config);
      } catch (e) {
        throw e instanceof KernelTreeError ? new ConfigurationError(`configuration '${spec.name}': ${e.message}`) : e;
      }
      trees.set(key, kernel);
    }
    const kconfig = (() => {
      try {
        return kernel.kconfig();
      } catch (e) {
        throw new ConfigurationError(`configuration '${spec.name}': ${(e as Error).message}`);
      }
    })();
    const defined = platform?.architectures?.[spec.arch];
    const archValues = new Map<string, boolean>();
    for (const m of archMacros) {
      if (!defined) continue;
      archValues.set(`defined(${m})`, defined.includes(m));
      archValues.set(m, defined.includes(m));
    }
    const decider = new ProbeDecider(kernel, archValues);
    const version = kernel.versionCode();
    const decisions: Decision[] = [];
    for (const a of atoms) {
      const name = macroOf(a);
      if (name && archMacros.has(name)) {
        decisions.push(
          defined
            ? { atom: a, value: archValues.get(a)!, by: 'architecture', how: `${name} is ${defined.includes(name) ? '' : 'not '}defined on ${spec.arch}` }
            : { atom: a, by: 'architecture', how: `the profile names no macros for architecture ${spec.arch}` }
        );
        continue;
      }
      const k = kconfigAtom(a, kconfig.values);
      if (k !== undefined) {
        const opt = /CONFIG_\w+/.exec(a)![0];
        decisions.push({
          atom: a,
          value: k,
          by: 'kconfig',
          how: `${opt}=${kconfig.values.get(opt.replace(/_MODULE$/, '')) ?? '(not set)'}`,
          file: kconfig.source
        });
        continue;
      }
      const v = VERSION_CMP.exec(a);
      if (v) {
        if (version === undefined) decisions.push({ atom: a, by: 'version', how: 'the kernel tree gives no LINUX_VERSION_CODE' });
        else {
          const want = kernelVersion(Number(v[2]), Number(v[3]), Number(v[4]));
          const value = {
            '<': version < want,
            '<=': version <= want,
            '>': version > want,
            '>=': version >= want,
            '==': version === want,
            '!=': version !== want
          }[v[1]]!;
          decisions.push({ atom: a, value, by: 'version', how: `LINUX_VERSION_CODE is ${version >> 16}.${(version >> 8) & 255}.${version & 255}` });
        }
        continue;
      }
      if (BUILD[a] !== undefined) {
        decisions.push({ atom: a, value: BUILD[a], by: 'build', how: 'every kernel module build' });
        continue;
      }
      const probe: (Probe & { script?: string }) | undefined = name ? (probes.get(name) ?? (scripts.length ? exportProbe(name) : undefined)) : undefined;
      if (probe) {
        const source =
          probe.case === 'profile' ? 'profile' : probe.line ? `${probe.script}:${probe.line} (${probe.case})` : `${scripts[0].file} (${probe.case})`;
        const d = decider.decide(probe, source);
        decisions.push({
          atom: a,
          ...(d.value !== undefined ? { value: d.value } : {}),
          by: 'probe',
          how: d.how,
          ...(d.file ? { file: d.file } : {}),
          ...(d.line ? { line: d.line } : {}),
          source
        });
      }
    }
    const values = new Map(decisions.filter((d) => d.value !== undefined).map((d) => [d.atom, d.value!]));
    const decidable = (atom: string): boolean => {
      const n = macroOf(atom);
      return (
        /CONFIG_\w+/.test(atom) ||
        VERSION_CMP.test(atom) ||
        (n !== undefined && (archMacros.has(n) || probes.has(n) || /^NV_\w+_(PRESENT|HAS_\w+)$/.test(n) || /^NV_IS_EXPORT_SYMBOL_/.test(n)))
      );
    };
    const capabilities = evaluateInConfiguration(profile, s.facts, s.constraints, s.macros ?? {}, { values, decidable });
    const units = unitVerdicts(s, profile, { values, decidable });
    const unbuilt = notBuilt(s, built, values);
    const release = kernel.release();
    const followed = new Map(Object.entries(s.macros ?? {}).map(([k, m]) => [k, parseCondition(m.condition)]));
    const macros = Object.fromEntries([...followed.keys()].map((k) => [k, render(followMacros(atom(k), followed, values))]));
    return {
      name: spec.name,
      arch: spec.arch,
      kernel: { ...(release ? { release } : {}), kconfig: kconfig.source },
      decisions,
      macros,
      capabilities,
      ...(units ? { units } : {}),
      ...(unbuilt.length ? { notBuilt: unbuilt } : {})
    };
  });
}

/** Every unit's verdicts in one configuration, each from the facts of the unit's files (as units/units.ts groups them). */
function unitVerdicts(s: Snapshot, profile: Profile, decisions: Decisions): ConfigurationResult['units'] {
  const units = (s.units ?? []).filter((u) => u.kind !== 'provider');
  if (!units.length) return undefined;
  const byFile = new Map<string, Fact[]>();
  for (const f of s.facts) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  const out: Record<string, Record<string, ConfigVerdict>> = {};
  for (const u of units) {
    const facts = u.files.flatMap((file) => byFile.get(file) ?? []);
    out[u.id] = evaluateInConfiguration(profile, facts, s.constraints, s.macros ?? {}, decisions);
  }
  return out;
}
