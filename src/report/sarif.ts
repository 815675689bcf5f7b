// SARIF 2.1.0 for code scanning (github/codeql-action/upload-sarif). The run's rules are the capability table
// (one rule per capability, with its status, condition and reason in the rule's properties); its results are the
// capabilities that regressed against the baseline (error) and the contradictions with the expectations (warning),
// each at the line of its evidence with a repository-relative path. Fingerprints name the capability and the
// statuses, never a line, so an alert stays the same alert when code moves. SARIF text is plain text, not markdown.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Location, Log, ReportingDescriptor, Result } from 'sarif';
import type { CapabilityChange, Comparison } from '../compare/compare.js';
import type { Claim } from '../expectations.js';
import type { CapabilityResult } from '../rules/capabilities.js';
import type { Snapshot } from '../snapshot/snapshot.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export interface SarifOptions {
  /** The scanned tree's folder relative to the repository root ('' = the root); default: its git prefix. */
  pathPrefix?: string;
}

function fingerprint(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

function statusText(c: CapabilityResult | undefined): string {
  if (!c) return 'not reported';
  return c.status === 'conditional' && c.condition ? `conditional (${c.conditionalStatus ?? 'enabled'} when ${c.condition})` : c.status;
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

  // Where a capability's change shows: its evidence now, else a changed fact of its rules, else its evidence before.
  const locate = (id: string, change?: CapabilityChange): Location[] => {
    const now = snapshot.capabilities.find((c) => c.id === id);
    if (now?.evidence[0]) return [at(now.evidence[0].file, now.evidence[0].line)];
    const ruleIds = new Set([...(change?.before?.evidence ?? []), ...(now?.evidence ?? [])].map((e) => e.rule));
    const fact = comparison?.facts.map((f) => f.after ?? f.before!).find((f) => ruleIds.has(f.rule));
    if (fact) return [at(fact.file, fact.line)];
    const before = change?.before?.evidence[0];
    return before ? [at(before.file, before.line)] : [];
  };

  const results: Result[] = [];
  for (const c of comparison?.capabilities ?? []) {
    if (c.direction !== 'regressed') continue;
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
