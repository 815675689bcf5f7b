// What the units × capabilities matrix of a tree with several driver units says, for every output format (the
// markdown report in report/units.ts, the terminal in report/text-units.ts): one row per driver or test unit, one
// cell per capability with the verdict it shows (the first configuration's, or the unit's status without a
// kernel), the other configurations that give another verdict, and how the cell moved against the baseline
// (without a kernel and in any configuration); then the units each configuration does not build, the units that
// only test HMM Kconfig options and the core code that provides the APIs. No text here: each format says it.
import { type Comparison, type OverallStatus, overallStatus } from '../compare/compare.js';
import type { ConfigurationResult } from '../platform/configuration.js';
import type { CapabilityResult, ConfigVerdict } from '../rules/capabilities.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { matrixUnits, type Unit, unitVerdictsIn } from '../units/units.js';
import { sameVerdict } from './verdict.js';

/** Marks a matrix cell where another configuration gives another verdict. */
export const DIFFERS = '≠';

export interface MatrixCell {
  /** What the cell shows: the first configuration's verdict, else the unit's status; undefined: no verdict (—). */
  shown?: Pick<ConfigVerdict, 'status' | 'applies'>;
  /** The unit's result for the capability without a kernel (its evidence), when it has one. */
  result?: CapabilityResult;
  /** Every configuration's verdict, in configuration order (none without configurations). */
  verdicts: (ConfigVerdict | undefined)[];
  /** The configurations after the first that give another verdict than the first. */
  differ: ConfigurationResult[];
  /** How the unit × capability moved against the baseline, without a kernel and in any configuration. */
  change: OverallStatus;
}

export interface MatrixRow {
  unit: Unit;
  /** The unit is new against the baseline. */
  added: boolean;
  /** One per capability, in the snapshot's capability order. */
  cells: MatrixCell[];
}

export interface UnitMatrixModel {
  /** The columns: the snapshot's capabilities, in order. */
  capabilities: CapabilityResult[];
  /** The configurations whose verdicts per unit the matrix shows (the first one's in its cells); may be empty. */
  configurations: ConfigurationResult[];
  rows: MatrixRow[];
  /** Cells another configuration gives another verdict. */
  marked: number;
  /** Per configuration, the matrix rows it builds no file of (in configuration order; only those with any). */
  notBuilt: { configuration: ConfigurationResult; units: string[] }[];
  /** Units whose facts are Kconfig gates only (not rows). */
  gated: Unit[];
  /** Core code, the provider of the APIs (not rows). */
  providers: Unit[];
}

/** The configurations whose verdicts per unit the report shows (all of them, or none for an older snapshot). */
export function unitConfigurations(s: Snapshot): ConfigurationResult[] {
  const confs = s.configurations ?? [];
  return confs.length && confs.every((c) => c.units) ? confs : [];
}

function verdictOf(conf: ConfigurationResult, unit: string, id: string): ConfigVerdict | undefined {
  const v = unitVerdictsIn(conf, unit);
  return v && Object.hasOwn(v, id) ? v[id] : undefined;
}

export function unitMatrixModel(s: Snapshot, comparison: Comparison | undefined): UnitMatrixModel {
  const units = matrixUnits(s);
  const confs = unitConfigurations(s);
  const [first, ...others] = confs;
  const added = new Set((comparison?.units ?? []).filter((u) => u.change === 'added').map((u) => u.id));
  // Every direction a unit × capability moved in against the baseline: without a kernel and in each configuration.
  const moved = new Map<string, string[]>();
  const note = (unit: string, id: string, d: string): void => {
    const k = `${unit}\u0000${id}`;
    moved.set(k, [...(moved.get(k) ?? []), d]);
  };
  for (const u of comparison?.units ?? []) for (const c of u.capabilities) note(u.id, c.id, c.direction);
  for (const c of comparison?.configurations ?? []) if (c.unit !== undefined) note(c.unit, c.id, c.direction);
  let marked = 0;
  const rows = units.map((u) => ({
    unit: u,
    added: added.has(u.id),
    cells: s.capabilities.map((cap): MatrixCell => {
      const result = u.capabilities.find((x) => x.id === cap.id);
      const verdicts = confs.map((c) => verdictOf(c, u.id, cap.id));
      const shown = first ? verdicts[0] : result;
      // A cell without a verdict has nothing to differ from or move.
      const differ = shown && first ? others.filter((_, i) => !sameVerdict(verdicts[0], verdicts[i + 1])) : [];
      if (differ.length) marked++;
      const change = shown ? overallStatus(moved.get(`${u.id}\u0000${cap.id}`) ?? []) : 'unchanged';
      return { ...(shown ? { shown } : {}), ...(result ? { result } : {}), verdicts, differ, change };
    })
  }));
  const rowIds = new Set(units.map((u) => u.id));
  const notBuilt = confs
    .map((configuration) => ({ configuration, units: (configuration.notBuilt ?? []).filter((id) => rowIds.has(id)) }))
    .filter((x) => x.units.length);
  return {
    capabilities: s.capabilities,
    configurations: confs,
    rows,
    marked,
    notBuilt,
    gated: (s.units ?? []).filter((u) => u.kind !== 'provider' && u.gatesOnly),
    providers: (s.units ?? []).filter((u) => u.kind === 'provider')
  };
}

export interface DifferingCell {
  unit: Unit;
  /** The capability's index in the matrix's columns (0-based). */
  column: number;
  capability: CapabilityResult;
  /** Every configuration's verdict, in configuration order. */
  verdicts: (ConfigVerdict | undefined)[];
}

/**
 * The unit × capability cells not every configuration gives the same verdict, in the matrix's order (what
 * "Where configurations differ" lists); none without several configurations.
 */
export function differingCells(m: UnitMatrixModel): DifferingCell[] {
  if (m.configurations.length < 2) return [];
  return m.rows.flatMap(({ unit, cells }) =>
    cells.flatMap((c, column) =>
      c.verdicts.every((v) => sameVerdict(c.verdicts[0], v)) ? [] : [{ unit, column, capability: m.capabilities[column], verdicts: c.verdicts }]
    )
  );
}
