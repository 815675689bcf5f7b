// The snapshot: everything a scan found, as deterministic JSON (same tree and profile, same bytes). Run
// statistics (timings, memory) are kept out of it unless asked for, in a separate `run` section that no
// comparison reads.

import { type FollowedMacro, followableMacros, macroAtomsReached } from '../frontend/macro-values.js';
import type { ConfigurationResult } from '../platform/configuration.js';
import { type CapabilityResult, evaluateCapabilities } from '../rules/capabilities.js';
import type { LoadedProfile } from '../rules/profile.js';
import type { Fact, FileDiagnostic, SkippedFile } from '../rules/types.js';
import type { ScanResult } from '../scan/scan.js';
import type { TreeMeta } from '../source/tree.js';
import { KbuildIndex } from '../units/kbuild.js';
import { buildUnits, type Unit } from '../units/units.js';
import { VERSION } from '../version.js';

export const SNAPSHOT_SCHEMA = 'hmm-watch/snapshot';
export const SNAPSHOT_VERSION = 1;

export interface RunStats {
  totalMs: number;
  profileMs: number;
  scanMs: number;
  /** Milliseconds per phase, summed over files and threads. */
  phases: Record<string, number>;
  /** Milliseconds a scan pays whatever the tree's size (start-up, parser load, workers, snapshot). */
  fixed?: Record<string, number>;
  peakRssBytes: number;
  jobs: number;
  filesListed: number;
  filesRead: number;
  filesParsed: number;
  bytesRead: number;
}

export interface Snapshot {
  schema: typeof SNAPSHOT_SCHEMA;
  schemaVersion: number;
  tool: { name: 'hmm-watch'; version: string };
  profile: { id: string; version: number; title: string; hash: string; source: string };
  tree: TreeMeta;
  /** Ids of the rules that ran, in profile order (a rule with no facts still ran). */
  rules: string[];
  capabilities: CapabilityResult[];
  /**
   * The tree's driver units (Kbuild modules, else folders; core code as providers), each with its capabilities.
   * Absent in older snapshots.
   */
  units?: Unit[];
  facts: Fact[];
  /** Per file, conditions every successful build satisfies (from branches that only hold `#error`). */
  constraints: Record<string, string[]>;
  /**
   * Macros defined to constants that conditions mention, followed: by atom (`UVM_IS_CONFIG_HMM()`), the condition
   * under which the macro is 1 and the definitions it comes from. Present only when there are some.
   */
  macros?: Record<string, FollowedMacro>;
  diagnostics: {
    parseErrors: number;
    /** Parser recoveries away from every fact and anchor (macro idioms); not reported to the user. Absent in older snapshots. */
    ignoredParseErrors?: number;
    filesParsed: number;
    skipped: SkippedFile[];
    files: FileDiagnostic[];
  };
  /** Per configuration (CPU architecture + kernel tree): the decisions and every capability's verdict. */
  configurations?: ConfigurationResult[];
  run?: RunStats;
}

function cmp(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareFacts(a: Fact, b: Fact): number {
  return cmp(a.file, b.file) || cmp(a.line, b.line) || cmp(a.rule, b.rule) || cmp(a.kind, b.kind) || cmp(JSON.stringify(a), JSON.stringify(b));
}

export function buildSnapshot(loaded: LoadedProfile, tree: TreeMeta, scan: ScanResult): Snapshot {
  const facts = [...scan.facts].sort(compareFacts);
  const constraints = Object.fromEntries(
    Object.keys(scan.constraints)
      .sort()
      .map((f) => [f, scan.constraints[f]])
  );
  const wanted = macroAtomsReached([...facts.map((f) => f.condition), ...Object.values(constraints).flat()], scan.macros);
  const macros = followableMacros(scan.macros, wanted);
  const files = [...scan.diagnostics].sort((a, b) => cmp(a.file, b.file) || cmp(a.kind, b.kind) || cmp(a.message, b.message));
  return {
    schema: SNAPSHOT_SCHEMA,
    schemaVersion: SNAPSHOT_VERSION,
    tool: { name: 'hmm-watch', version: VERSION },
    profile: { id: loaded.profile.id, version: loaded.profile.version, title: loaded.profile.title, hash: loaded.hash, source: loaded.source },
    tree,
    rules: loaded.profile.rules.map((r) => r.id),
    capabilities: evaluateCapabilities(loaded.profile, facts, constraints, macros),
    units: buildUnits(loaded.profile, facts, constraints, new KbuildIndex(scan.kbuild, { conditions: false }), macros),
    facts,
    constraints,
    ...(Object.keys(macros).length ? { macros } : {}),
    diagnostics: {
      parseErrors: scan.stats.parseErrors,
      ignoredParseErrors: scan.stats.ignoredParseErrors,
      filesParsed: scan.stats.filesParsed,
      skipped: scan.skipped,
      files
    }
  };
}

export function serializeSnapshot(s: Snapshot): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}
