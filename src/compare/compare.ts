// Compares two snapshots. Facts are matched by identity (file, table, member, function, condition, …), never by
// line number: code that moved is not a change (it is listed as moved, for the details only). Capability
// transitions are classified by the direction the profile gives each capability. A rule only one side's profile
// ran is not compared (listed in `notCompared`); a capability only one side has is compared against nothing and
// counts as `changed` (it is still a verdict the reader should see appear or disappear), never as improved or regressed.
import type { CapabilityResult, ConfigVerdict } from '../rules/capabilities.js';
import type { Fact, Status } from '../rules/types.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { isMultiUnit, matrixUnits, type Unit, unitVerdictsIn } from '../units/units.js';

export type Direction = 'regressed' | 'improved' | 'changed' | 'unchanged';
export type OverallStatus = 'unchanged' | 'changed' | 'regressed' | 'improved';

export interface CapabilityChange {
  id: string;
  title: string;
  before?: CapabilityResult;
  after?: CapabilityResult;
  direction: Direction;
}

export interface FactChange {
  change: 'added' | 'removed' | 'changed' | 'condition' | 'moved';
  before?: Fact;
  after?: Fact;
}

/** A unit's capability transitions; `added`/`removed` when only one snapshot has the unit. */
export interface UnitChange {
  id: string;
  change: 'added' | 'removed' | 'kept';
  /** The transitions that are not `unchanged` (every capability for an added or removed unit). */
  capabilities: CapabilityChange[];
}

/**
 * A capability whose verdict changed in a configuration both snapshots evaluated (matched by name); in a tree with
 * several driver units, per unit (matched by id; `unit` names it).
 */
export interface ConfigurationChange {
  configuration: string;
  unit?: string;
  id: string;
  title: string;
  before: ConfigVerdict;
  after: ConfigVerdict;
  direction: Exclude<Direction, 'unchanged'>;
}

export interface Comparison {
  status: OverallStatus;
  capabilities: CapabilityChange[];
  /** Per driver unit, when both snapshots have units: the units whose capabilities changed, or that came or went. */
  units: UnitChange[];
  /** Per-configuration transitions ("aarch64 · Linux 6.12: disabled → enabled"); empty without configurations. */
  configurations: ConfigurationChange[];
  /** Added, removed, changed and re-conditioned facts (what counts as a change). */
  facts: FactChange[];
  /** Facts that only moved (same identity, other line). */
  moved: FactChange[];
  /** Rules whose facts were not compared because only one side's profile has them. */
  notCompared: string[];
  notes: string[];
  /** Number of changes: capability transitions (also per configuration) plus fact changes. */
  changes: number;
}

/** Rank of a status where a higher rank is better (for `enabled-is-better` capabilities). */
const RANK: Partial<Record<Status, number>> = { enabled: 3, conditional: 2, disabled: 1, absent: 0 };

/**
 * What makes a fact the same fact in another snapshot: never its line, nor anything else that follows layout.
 * A gate is its condition text (the number of lines it gates is information, not identity); a marker is its tag
 * (`TODO: Bug 1234`) and the function it sits in, not the comment line's wording, which re-wrapping changes.
 */
export function factIdentity(f: Fact, withCondition = true): string {
  const c = withCondition ? f.condition : '';
  switch (f.kind) {
    case 'ops-table':
      return [f.rule, f.kind, f.file, f.type, f.table, c].join('\u0000');
    case 'ops-member':
      return [f.rule, f.kind, f.file, f.table, f.member, c].join('\u0000');
    case 'ops-reference':
      return [f.rule, f.kind, f.file, f.table, f.function, f.context, c].join('\u0000');
    case 'variable':
      return [f.rule, f.kind, f.file, f.name, f.form, c].join('\u0000');
    case 'assignment':
      return [f.rule, f.kind, f.file, f.target, f.function, c].join('\u0000');
    case 'call':
      return [f.rule, f.kind, f.file, f.callee, f.function, c].join('\u0000');
    case 'struct-field':
      return [f.rule, f.kind, f.file, f.struct, f.field, c].join('\u0000');
    case 'gate':
      return [f.rule, f.kind, f.file, f.macro, f.form, f.text, c].join('\u0000');
    case 'marker':
      // Snapshots from before markers recorded their function fall back to the text.
      return [f.rule, f.kind, f.file, f.tag, f.function ?? f.text, c].join('\u0000');
    case 'doc-claim':
      return [f.rule, f.kind, f.file, f.text, c].join('\u0000');
  }
}

/** What a fact says beyond its identity; a difference is a change. */
function payload(f: Fact): string {
  switch (f.kind) {
    case 'ops-member':
    case 'variable':
    case 'assignment':
      return f.value;
    case 'ops-table':
      return f.storage;
    case 'struct-field':
      return f.type;
    default:
      return '';
  }
}

function group(facts: Fact[], withCondition = true): Map<string, Fact[]> {
  const m = new Map<string, Fact[]>();
  for (const f of facts) {
    const k = factIdentity(f, withCondition);
    const list = m.get(k);
    if (list) list.push(f);
    else m.set(k, [f]);
  }
  return m;
}

/** A capability on one side only (`before` or `after` undefined) is `changed`: no rank to compare it with. */
export function capabilityDirection(before: CapabilityResult | undefined, after: CapabilityResult | undefined): Direction {
  if (!before || !after) return 'changed';
  return verdictDirection(before, after, after.direction === 'neutral');
}

/** What a transition is read from: a capability's result, or its verdict in one configuration. */
type Verdict = Pick<ConfigVerdict, 'status' | 'conditionalStatus' | 'condition' | 'applies'>;

/**
 * The one reading of a transition: `unchanged` when the status, its condition and conditional status (and whether
 * it applies) are all the same; else, for a capability whose direction ranks statuses, improved or regressed by
 * RANK; otherwise `changed` (a neutral capability, a status without rank, a verdict that does not apply, or the
 * same rank: conditional(X) to conditional(Y)).
 */
function verdictDirection(before: Verdict, after: Verdict, neutral: boolean): Direction {
  if (
    before.status === after.status &&
    before.condition === after.condition &&
    before.conditionalStatus === after.conditionalStatus &&
    before.applies === after.applies
  ) {
    return 'unchanged';
  }
  const a = before.applies === false ? undefined : RANK[before.status];
  const b = after.applies === false ? undefined : RANK[after.status];
  if (neutral || a === undefined || b === undefined || a === b) return 'changed';
  return b > a ? 'improved' : 'regressed';
}

/** Transitions of one set of verdicts (a configuration's, or a unit's in it), in the current snapshot's capability order. */
function verdictChanges(
  current: Snapshot,
  before: Record<string, ConfigVerdict>,
  after: Record<string, ConfigVerdict>,
  where: { configuration: string; unit?: string }
): ConfigurationChange[] {
  const out: ConfigurationChange[] = [];
  for (const cap of current.capabilities) {
    const b = Object.hasOwn(before, cap.id) ? before[cap.id] : undefined;
    const a = Object.hasOwn(after, cap.id) ? after[cap.id] : undefined;
    if (!b || !a) continue;
    const direction = verdictDirection(b, a, cap.direction === 'neutral');
    if (direction !== 'unchanged') out.push({ ...where, id: cap.id, title: cap.title, before: b, after: a, direction });
  }
  return out;
}

/**
 * Transitions in every configuration both snapshots name. A tree with several driver units is compared per unit
 * (unit by unit, each in configuration order), the way its report reads; otherwise the configuration's verdicts.
 */
function configurationChanges(baseline: Snapshot, current: Snapshot, notes: string[]): ConfigurationChange[] {
  const pairs = (current.configurations ?? []).flatMap((conf) => {
    const old = baseline.configurations?.find((c) => c.name === conf.name);
    return old ? [{ conf, old }] : [];
  });
  if (isMultiUnit(current)) {
    if (pairs.every(({ conf, old }) => conf.units && old.units)) {
      return matrixUnits(current).flatMap((u) =>
        pairs.flatMap(({ conf, old }) => {
          const before = unitVerdictsIn(old, u.id);
          const after = unitVerdictsIn(conf, u.id);
          return before && after ? verdictChanges(current, before, after, { configuration: conf.name, unit: u.id }) : [];
        })
      );
    }
    if (pairs.length)
      notes.push('The baseline has no verdicts per unit in its configurations (an older snapshot): configurations are compared for the whole tree.');
  }
  return pairs.flatMap(({ conf, old }) => verdictChanges(current, old.capabilities, conf.capabilities, { configuration: conf.name }));
}

/** Where a configuration change is, in plain text: `nouveau [arm64]` (a unit in a configuration) or `arm64`. */
export function changePlace(c: Pick<ConfigurationChange, 'configuration' | 'unit'>): string {
  return c.unit === undefined ? c.configuration : `${c.unit} [${c.configuration}]`;
}

/**
 * The capability transitions a direction test keeps, in plain text as a log names them: `Title: before → after`
 * for the whole tree, `unit: Title: …` per unit (`perUnit`: in a tree with several; a single unit's are the tree's),
 * `unit [configuration]: Title: …` or `configuration: Title: …`.
 */
export function transitionTexts(c: Comparison, keep: (d: Direction) => boolean, perUnit: boolean): string[] {
  const status = (x: CapabilityResult | undefined): string => x?.status ?? 'none';
  const verdict = (v: ConfigVerdict): string => (v.applies === false ? 'n/a' : v.status);
  return [
    ...c.capabilities.filter((x) => keep(x.direction)).map((x) => `${x.title}: ${status(x.before)} → ${status(x.after)}`),
    ...(perUnit ? c.units : []).flatMap((u) =>
      u.change === 'kept' ? u.capabilities.filter((x) => keep(x.direction)).map((x) => `${u.id}: ${x.title}: ${status(x.before)} → ${status(x.after)}`) : []
    ),
    ...c.configurations.filter((x) => keep(x.direction)).map((x) => `${changePlace(x)}: ${x.title}: ${verdict(x.before)} → ${verdict(x.after)}`)
  ];
}

/**
 * The verdict on a set of changes, by their directions (a history's `cause` counts as a change): any regression
 * wins, then any improvement; otherwise `changed` when anything is not `unchanged`.
 */
export function overallStatus(directions: readonly string[]): OverallStatus {
  if (directions.includes('regressed')) return 'regressed';
  if (directions.includes('improved')) return 'improved';
  return directions.some((d) => d !== 'unchanged') ? 'changed' : 'unchanged';
}

/**
 * Compares two snapshots. Both must be valid: made by this run, or read through src/snapshot/read.ts (which checks
 * them against the snapshot schema).
 */
export function compareSnapshots(baseline: Snapshot, current: Snapshot): Comparison {
  const notes: string[] = [];
  if (baseline.schemaVersion !== current.schemaVersion) {
    notes.push(`The baseline uses snapshot schema version ${baseline.schemaVersion}, this run ${current.schemaVersion}; what both record is compared.`);
  }
  if (baseline.profile.id !== current.profile.id || baseline.profile.hash !== current.profile.hash) {
    notes.push(
      `The baseline was made with profile ${baseline.profile.id} v${baseline.profile.version} (${baseline.profile.hash}), this run with ${current.profile.id} v${current.profile.version} (${current.profile.hash}); facts are compared for the rules both ran, and a capability only one profile has counts as changed.`
    );
  }

  // Only rules both sides ran are compared; a rule one profile lacks is not a change in the code.
  const currentRules = new Set(current.rules);
  const shared = new Set(baseline.rules.filter((r) => currentRules.has(r)));
  const notCompared = [...new Set([...baseline.rules, ...current.rules])].filter((r) => !shared.has(r)).sort();
  const before = baseline.facts.filter((f) => shared.has(f.rule));
  const after = current.facts.filter((f) => shared.has(f.rule));

  const facts: FactChange[] = [];
  const moved: FactChange[] = [];
  const added: Fact[] = [];
  const removed: Fact[] = [];
  const b = group(before);
  const a = group(after);
  for (const [key, list] of a) {
    const old = b.get(key) ?? [];
    list.forEach((f, i) => {
      const o = old[i];
      if (!o) added.push(f);
      else if (payload(o) !== payload(f)) facts.push({ change: 'changed', before: o, after: f });
      else if (o.line !== f.line) moved.push({ change: 'moved', before: o, after: f });
    });
    old.slice(list.length).forEach((o) => removed.push(o));
  }
  for (const [key, list] of b) if (!a.has(key)) for (const o of list) removed.push(o);

  // A marker comment that went to another function of the same file, its tag unchanged, only moved.
  const markerKey = (f: Fact): string | undefined => (f.kind === 'marker' ? [f.rule, f.file, f.tag, f.condition].join('\u0000') : undefined);
  const addedMarkers = new Map<string, Fact[]>();
  for (const f of added) {
    const k = markerKey(f);
    if (k) addedMarkers.set(k, [...(addedMarkers.get(k) ?? []), f]);
  }
  const movedAway = new Set<Fact>();
  for (const o of removed) {
    const n = addedMarkers.get(markerKey(o) ?? '')?.shift();
    if (!n) continue;
    moved.push({ change: 'moved', before: o, after: n });
    movedAway.add(o).add(n);
  }
  if (movedAway.size) {
    removed.splice(0, removed.length, ...removed.filter((f) => !movedAway.has(f)));
    added.splice(0, added.length, ...added.filter((f) => !movedAway.has(f)));
  }

  // A fact removed under one condition and added under another is one change: its condition changed.
  const addedByShape = group(added, false);
  const taken = new Map<string, number>(); // how many of each shape's added facts were paired, in order
  for (const o of removed) {
    const shape = factIdentity(o, false);
    const candidates = addedByShape.get(shape);
    const i = taken.get(shape) ?? 0;
    const n = candidates?.[i];
    if (n) {
      taken.set(shape, i + 1);
      facts.push({ change: 'condition', before: o, after: n });
    } else facts.push({ change: 'removed', before: o });
  }
  for (const [shape, rest] of addedByShape) for (const n of rest.slice(taken.get(shape) ?? 0)) facts.push({ change: 'added', after: n });

  const order = (c: FactChange): string => {
    const f = (c.after ?? c.before)!;
    return `${f.file}\u0000${String(f.line).padStart(8, '0')}\u0000${f.rule}\u0000${c.change}`;
  };
  const sorted = (list: FactChange[]): FactChange[] =>
    list
      .map((c) => ({ c, k: order(c) }))
      .sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : 0))
      .map((x) => x.c);

  const capabilities = compareCapabilities(baseline.capabilities, current.capabilities);
  const units = baseline.units && current.units ? compareUnits(baseline.units, current.units) : [];
  if (!baseline.units && current.units && current.units.length > 1) notes.push('The baseline has no driver units (an older snapshot): units are not compared.');

  const configurations = configurationChanges(baseline, current, notes);
  const named = new Set((current.configurations ?? []).map((c) => c.name));
  const gone = (baseline.configurations ?? []).filter((c) => !named.has(c.name)).map((c) => c.name);
  if (gone.length) notes.push(`Configurations only the baseline has (not compared): ${gone.join(', ')}.`);
  const moving = [...capabilities, ...units.flatMap((u) => (u.change === 'kept' ? u.capabilities : []))].filter((c) => c.direction !== 'unchanged');
  const unitsCame = units.some((u) => u.change !== 'kept');
  const movingAll = [...moving, ...configurations];
  const status = overallStatus([...movingAll.map((c) => c.direction), ...facts.map(() => 'changed' as const), ...(unitsCame ? ['changed' as const] : [])]);
  const changes = capabilities.filter((c) => c.direction !== 'unchanged').length + configurations.length + facts.length;
  return { status, capabilities, units, configurations, facts: sorted(facts), moved: sorted(moved), notCompared, notes, changes };
}

/** Capabilities by id (the first of an id, as a search would find it), current order first. */
function compareCapabilities(before: readonly CapabilityResult[], after: readonly CapabilityResult[]): CapabilityChange[] {
  const byId = (list: readonly CapabilityResult[]): Map<string, CapabilityResult> => {
    const m = new Map<string, CapabilityResult>();
    for (const c of list) if (!m.has(c.id)) m.set(c.id, c);
    return m;
  };
  const was = byId(before);
  const now = byId(after);
  const ids = [...new Set([...now.keys(), ...was.keys()])];
  return ids.map((id) => {
    const x = was.get(id);
    const y = now.get(id);
    return { id, title: (y ?? x)!.title, before: x, after: y, direction: capabilityDirection(x, y) };
  });
}

/** Units matched by id: the capability transitions of each, and units that came or went. */
function compareUnits(before: readonly Unit[], after: readonly Unit[]): UnitChange[] {
  const out: UnitChange[] = [];
  const ids = [...new Set([...before.map((u) => u.id), ...after.map((u) => u.id)])].sort();
  for (const id of ids) {
    const x = before.find((u) => u.id === id);
    const y = after.find((u) => u.id === id);
    const caps = compareCapabilities(x?.capabilities ?? [], y?.capabilities ?? []);
    if (!x || !y) out.push({ id, change: x ? 'removed' : 'added', capabilities: caps });
    else {
      const moving = caps.filter((c) => c.direction !== 'unchanged');
      if (moving.length) out.push({ id, change: 'kept', capabilities: moving });
    }
  }
  return out;
}
