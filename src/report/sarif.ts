// SARIF 2.1.0 for code scanning (github/codeql-action/upload-sarif). The run's rules are the capability table
// (one rule per capability, with its status, condition and reason in the rule's properties); its results are the
// capabilities that regressed against the baseline (error) and the contradictions with the expectations (warning),
// each at the line of its evidence with a repository-relative path. In a tree with several driver units a
// regression is the unit's: one result per unit × capability that regressed without a kernel or in any
// configuration (all of them in its message and properties), named for the unit, at the unit's evidence, with the
// unit as its logical location. The tree's own result for a capability is then left out when a unit's result names
// that capability (it would report the same regression twice); it stays when none does (the unit that had the
// capability was removed, or the baseline has no units). Fingerprints name the unit (if any), the capability and
// the statuses, never a line, so an alert stays the same alert when code moves. SARIF text is plain text, not
// markdown.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Location, Log, ReportingDescriptor, Result } from 'sarif';
import type { CapabilityChange, Comparison } from '../compare/compare.js';
import type { Claim } from '../expectations.js';
import type { CapabilityResult, ConfigVerdict } from '../rules/capabilities.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { isMultiUnit, type Unit } from '../units/units.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export interface SarifOptions {
  /** The scanned tree's folder relative to the repository root ('' = the root); default: its git prefix. */
  pathPrefix?: string;
}

function fingerprint(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

function statusText(c: Pick<ConfigVerdict, 'status' | 'conditionalStatus' | 'condition'> | undefined): string {
  if (!c) return 'not reported';
  return c.status === 'conditional' && c.condition ? `conditional (${c.conditionalStatus ?? 'enabled'} when ${c.condition})` : c.status;
}

/** One transition of a unit's capability that regressed: without a kernel (no `configuration`) or in a configuration. */
interface UnitTransition {
  configuration?: string;
  before?: Pick<ConfigVerdict, 'status' | 'conditionalStatus' | 'condition'>;
  after?: Pick<ConfigVerdict, 'status' | 'conditionalStatus' | 'condition'>;
  change?: CapabilityChange;
}

/**
 * Every unit × capability that regressed, in the snapshot's unit and capability order, with its transitions: the
 * one without a kernel first, then one per configuration in the comparison's order.
 */
function unitRegressions(snapshot: Snapshot, comparison: Comparison): { unit: Unit; capability: CapabilityResult; transitions: UnitTransition[] }[] {
  const found = new Map<string, UnitTransition[]>();
  const add = (unit: string, id: string, t: UnitTransition): void => {
    const k = `${unit}\u0000${id}`;
    found.set(k, [...(found.get(k) ?? []), t]);
  };
  for (const u of comparison.units) {
    if (u.change !== 'kept') continue;
    for (const c of u.capabilities) if (c.direction === 'regressed') add(u.id, c.id, { before: c.before, after: c.after, change: c });
  }
  for (const c of comparison.configurations) {
    if (c.unit !== undefined && c.direction === 'regressed') add(c.unit, c.id, { configuration: c.configuration, before: c.before, after: c.after });
  }
  return (snapshot.units ?? []).flatMap((unit) =>
    snapshot.capabilities.flatMap((capability) => {
      const transitions = found.get(`${unit.id}\u0000${capability.id}`);
      return transitions ? [{ unit, capability, transitions }] : [];
    })
  );
}

function rule(c: CapabilityResult): ReportingDescriptor {
  return {
    id: c.id,
    shortDescription: { text: c.title },
    fullDescription: { text: c.explain || c.title },
    help: { text: `${c.title}: ${statusText(c)}. ${c.because}` },
    defaultConfiguration: { level: 'error' },
    properties: {
      status: c.status,
      ...(c.condition ? { condition: c.condition } : {}),
      because: c.because,
      direction: c.direction,
      tags: ['hmm-watch', 'capability']
    }
  };
}

export function renderSarif(snapshot: Snapshot, comparison: Comparison | undefined, claims: Claim[] | undefined, opts: SarifOptions = {}): Log {
  const prefix = (opts.pathPrefix ?? snapshot.tree.git?.prefix ?? '')
    .split(path.sep)
    .join('/')
    .replace(/^\.\/?|\/+$/g, '');
  const uri = (file: string): string => (prefix ? `${prefix}/${file}` : file);
  const at = (file: string, line: number): Location => ({
    physicalLocation: { artifactLocation: { uri: uri(file) }, region: { startLine: Math.max(1, line) } }
  });
  const rules = snapshot.capabilities.map(rule);
  const index = new Map(snapshot.capabilities.map((c, i) => [c.id, i]));

  // Where a capability's change shows: its evidence now, else a changed fact of its rules (in `files`, when given),
  // else its evidence before.
  const where = (now: CapabilityResult | undefined, change: CapabilityChange | undefined, files?: Set<string>): Location | undefined => {
    if (now?.evidence[0]) return at(now.evidence[0].file, now.evidence[0].line);
    const ruleIds = new Set([...(change?.before?.evidence ?? []), ...(now?.evidence ?? [])].map((e) => e.rule));
    const fact = comparison?.facts.map((f) => f.after ?? f.before!).find((f) => ruleIds.has(f.rule) && (!files || files.has(f.file)));
    if (fact) return at(fact.file, fact.line);
    const before = change?.before?.evidence[0];
    return before ? at(before.file, before.line) : undefined;
  };
  const locate = (id: string, change?: CapabilityChange): Location[] => {
    const found = where(
      snapshot.capabilities.find((c) => c.id === id),
      change
    );
    return found ? [found] : [];
  };
  // A unit's: the same, among the unit's files (now, and those of its evidence before).
  const locateIn = (unit: Unit, id: string, change: CapabilityChange | undefined): Location => {
    const files = new Set([...unit.files, ...(change?.before?.evidence ?? []).map((e) => e.file)]);
    return (
      where(
        unit.capabilities.find((c) => c.id === id),
        change,
        files
      ) ?? {}
    );
  };

  const results: Result[] = [];
  // A tree with several units: the regressions are the units' (see the head of this file).
  const perUnit = comparison && isMultiUnit(snapshot) ? unitRegressions(snapshot, comparison) : [];
  const inUnits = new Set(perUnit.map((r) => r.capability.id));
  for (const c of comparison?.capabilities ?? []) {
    if (c.direction !== 'regressed' || inUnits.has(c.id)) continue;
    results.push({
      ruleId: c.id,
      ruleIndex: index.get(c.id),
      kind: 'fail',
      level: 'error',
      message: { text: `${c.title} regressed against the baseline: ${statusText(c.before)} → ${statusText(c.after)}. ${c.after?.because ?? ''}`.trim() },
      locations: locate(c.id, c),
      partialFingerprints: { 'hmmWatchCapability/v1': fingerprint('regression', c.id, c.before?.status ?? '', c.after?.status ?? '') },
      properties: { change: 'regression', before: c.before?.status ?? null, after: c.after?.status ?? null }
    });
  }
  for (const { unit, capability, transitions } of perUnit) {
    const [lead] = transitions;
    const how = transitions.map((t) => `${t.configuration === undefined ? '' : `in ${t.configuration}: `}${statusText(t.before)} → ${statusText(t.after)}`);
    const because = unit.capabilities.find((c) => c.id === capability.id)?.because ?? '';
    const logical = { name: unit.id, fullyQualifiedName: unit.dir, kind: 'module' };
    const located = locateIn(unit, capability.id, transitions.find((t) => t.change)?.change);
    results.push({
      ruleId: capability.id,
      ruleIndex: index.get(capability.id),
      kind: 'fail',
      level: 'error',
      message: { text: `${unit.id}: ${capability.title} regressed against the baseline: ${how.join('; ')}. ${because}`.trim() },
      locations: [{ ...located, logicalLocations: [logical] }],
      partialFingerprints: {
        'hmmWatchUnitCapability/v1': fingerprint(
          'regression',
          unit.id,
          capability.id,
          lead.configuration ?? '',
          lead.before?.status ?? '',
          lead.after?.status ?? ''
        )
      },
      properties: {
        change: 'regression',
        unit: unit.id,
        unitFolder: unit.dir,
        unitKind: unit.kind,
        before: lead.configuration === undefined ? (lead.before?.status ?? null) : null,
        after: lead.configuration === undefined ? (lead.after?.status ?? null) : null,
        configurations: transitions
          .filter((t) => t.configuration !== undefined)
          .map((t) => ({ configuration: t.configuration, before: t.before?.status ?? null, after: t.after?.status ?? null }))
      }
    });
  }
  for (const claim of claims ?? []) {
    if (claim.holds) continue;
    const title = snapshot.capabilities.find((c) => c.id === claim.capability)?.title ?? claim.capability;
    results.push({
      ruleId: claim.capability,
      ruleIndex: index.get(claim.capability),
      kind: 'fail',
      level: 'warning',
      message: { text: `${title} is ${claim.actual}, but the expectations say ${claim.expect.join(' or ')}${claim.note ? ` (${claim.note})` : ''}.` },
      locations: locate(claim.capability),
      partialFingerprints: { 'hmmWatchCapability/v1': fingerprint('contradiction', claim.capability, [...claim.expect].sort().join(','), claim.actual) },
      properties: { change: 'contradiction', expected: claim.expect, actual: claim.actual }
    });
  }
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'hmm-watch', semanticVersion: snapshot.tool.version, rules } },
        automationDetails: { id: `hmm-watch/${snapshot.profile.id}/` },
        results
      }
    ]
  };
}

/** The SARIF file's text (deterministic: same inputs, same bytes). */
export function serializeSarif(log: Log): string {
  return `${JSON.stringify(log, null, 2)}\n`;
}
