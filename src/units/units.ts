// Driver units: the facts of a tree grouped by the kernel module their file is built into (as the tree's Kbuild
// files say), falling back to the file's folder, with the capabilities evaluated per unit. Core kernel code (`mm/`,
// `include/`, `kernel/`) is the provider of the APIs, not a driver; test modules are marked as tests. Facts from
// build scripts and documentation belong to the one unit under their folder, when there is exactly one.
import path from 'node:path/posix';
import type { FollowedMacro } from '../frontend/macro-values.js';
import type { ConfigurationResult } from '../platform/configuration.js';
import { type CapabilityResult, type ConfigVerdict, evaluateCapabilities } from '../rules/capabilities.js';
import type { Fact, Profile } from '../rules/types.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { unitGlob } from '../source/glob.js';
import type { KbuildIndex } from './kbuild.js';

export const UNIT_KINDS = ['driver', 'provider', 'test'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
export const UNIT_SOURCES = ['kbuild', 'folder', 'core'] as const;
export type UnitSource = (typeof UNIT_SOURCES)[number];

export interface Unit {
  /** Unique in the snapshot: the module name, with its folder when two units share a name. */
  id: string;
  name: string;
  kind: UnitKind;
  /** Folder of the build file that defines the module (or the folder the unit stands for). */
  dir: string;
  /** How the unit was found: a Kbuild module, the file's folder, or core kernel code. */
  source: UnitSource;
  /** Files with facts, sorted. */
  files: string[];
  /** True when every fact of the unit is a Kconfig/macro gate (it only tests an HMM option): listed, not a matrix row. */
  gatesOnly?: true;
  capabilities: CapabilityResult[];
}

const CORE = new Set(['mm', 'include', 'kernel']);
const CODE = /\.(c|h|S)$/;

interface Key {
  name: string;
  dir: string;
  source: UnitSource;
}

function keyOf(file: string, index: KbuildIndex): Key {
  const top = file.split('/')[0];
  if (CORE.has(top) && file.includes('/')) return { name: top, dir: top, source: 'core' };
  const m = index.moduleOf(file);
  if (m) return { ...m, source: 'kbuild' };
  const dir = path.dirname(file);
  return { name: dir === '.' ? '(root)' : path.basename(dir), dir, source: 'folder' };
}

function kindOf(k: Key): UnitKind {
  if (k.source === 'core') return 'provider';
  if (/^test[_-]/.test(k.name) || /(^|\/)(tests?|selftests|testing)(\/|$)/.test(k.dir) || k.dir.startsWith('samples/')) return 'test';
  return 'driver';
}

/** Groups facts into units and evaluates the profile's capabilities for each. */
export function buildUnits(
  profile: Profile,
  facts: readonly Fact[],
  constraints: Record<string, string[]>,
  index: KbuildIndex,
  macros: Record<string, FollowedMacro> = {}
): Unit[] {
  const byKey = new Map<string, { key: Key; facts: Fact[]; files: Set<string> }>();
  const add = (key: Key, f: Fact): void => {
    const k = `${key.dir}\u0000${key.name}`;
    const u = byKey.get(k) ?? { key, facts: [], files: new Set<string>() };
    u.facts.push(f);
    u.files.add(f.file);
    byKey.set(k, u);
  };
  const keys = new Map<string, Key>();
  const text: Fact[] = [];
  for (const f of facts) {
    if (!CODE.test(f.file)) {
      text.push(f);
      continue;
    }
    let key = keys.get(f.file);
    if (!key) {
      key = keyOf(f.file, index);
      keys.set(f.file, key);
    }
    add(key, f);
  }
  // Build scripts and documents: the one code unit whose files lie under the fact's folder.
  const codeUnits = [...byKey.values()];
  for (const f of text) {
    const dir = path.dirname(f.file);
    const under = codeUnits.filter((u) => [...u.files].some((file) => dir === '.' || file.startsWith(`${dir}/`)));
    if (under.length === 1) add(under[0].key, f);
  }
  const names = new Map<string, number>();
  for (const u of byKey.values()) names.set(u.key.name, (names.get(u.key.name) ?? 0) + 1);
  const units = [...byKey.values()].map(({ key, facts: fs, files }) => ({
    id: names.get(key.name)! > 1 ? `${key.name} (${key.dir})` : key.name,
    name: key.name,
    kind: kindOf(key),
    dir: key.dir,
    source: key.source,
    files: [...files].sort(),
    ...(fs.every((f) => f.kind === 'gate') ? { gatesOnly: true as const } : {}),
    capabilities: evaluateCapabilities(profile, fs, constraints, macros)
  }));
  const order = { driver: 0, test: 1, provider: 2 };
  return units.sort((a, b) => order[a.kind] - order[b.kind] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Whether a unit's name, id or folder matches one of the globs (`*` any run of characters, `?` one). */
export function unitMatches(u: Pick<Unit, 'id' | 'name' | 'dir'>, globs: readonly string[]): boolean {
  return globs.map(unitGlob).some((re) => re.test(u.name) || re.test(u.id) || re.test(u.dir));
}

/**
 * The snapshot restricted to the units matching the globs (`--unit`, `units:`): those units, and the facts of their
 * files. When one unit remains, its capabilities are the report's (the single-driver layout).
 */
export function restrictUnits(s: Snapshot, globs: readonly string[]): Snapshot {
  if (!globs.length || !s.units) return s;
  const units = s.units.filter((u) => unitMatches(u, globs));
  const files = new Set(units.flatMap((u) => u.files));
  const one = units.filter((u) => u.kind !== 'provider');
  const kept = new Set(units.map((u) => u.id));
  // Each configuration keeps the verdicts of those units; with one unit left, that unit's are the configuration's.
  const configurations = s.configurations?.map((conf) => {
    if (!conf.units) return conf;
    const verdicts = Object.entries(conf.units).filter(([id]) => kept.has(id));
    const only = one.length === 1 ? unitVerdictsIn(conf, one[0].id) : undefined;
    const { notBuilt, ...rest } = conf;
    const unbuilt = notBuilt?.filter((id) => kept.has(id));
    return { ...rest, units: Object.fromEntries(verdicts), ...(only ? { capabilities: only } : {}), ...(unbuilt?.length ? { notBuilt: unbuilt } : {}) };
  });
  return {
    ...s,
    units,
    facts: s.facts.filter((f) => files.has(f.file)),
    capabilities: one.length === 1 ? one[0].capabilities : s.capabilities,
    ...(configurations ? { configurations } : {})
  };
}

/** A unit's verdicts in a configuration (undefined when the configuration has none for it, e.g. an older snapshot). */
export function unitVerdictsIn(conf: ConfigurationResult, unitId: string): Record<string, ConfigVerdict> | undefined {
  return conf.units && Object.hasOwn(conf.units, unitId) ? conf.units[unitId] : undefined;
}

/** The units that get a matrix row: drivers and tests with facts other than Kconfig gates. */
export function matrixUnits(s: Snapshot): Unit[] {
  return (s.units ?? []).filter((u) => u.kind !== 'provider' && !u.gatesOnly);
}

/** Whether the report is per unit: more than one unit gets a row (a single driver keeps the single-table layout). */
export function isMultiUnit(s: Snapshot): boolean {
  return matrixUnits(s).length > 1;
}
