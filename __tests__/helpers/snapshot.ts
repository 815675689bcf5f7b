// Small valid snapshots for tests (they pass schemas/snapshot.schema.json), built from facts and capabilities.
import type { CapabilityResult } from '../../src/rules/capabilities.js';
import type { Fact } from '../../src/rules/types.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';

export const COMMIT = 'a'.repeat(40);

export function capability(id: string, status: CapabilityResult['status'], facts: Fact[] = [], over: Partial<CapabilityResult> = {}): CapabilityResult {
  return {
    id,
    title: `Capability ${id}`,
    explain: 'what it means',
    direction: 'enabled-is-better',
    status,
    because: `${facts.length} fact(s)`,
    evidence: facts.slice(0, 3).map((f) => ({ rule: f.rule, file: f.file, line: f.line, condition: f.condition, summary: `${f.kind} in ${f.file}` })),
    evidenceCount: facts.length,
    ...over
  };
}

export function call(i: number, over: Partial<Fact> = {}): Fact {
  return {
    rule: 'calls',
    kind: 'call',
    file: `drivers/f${i}.c`,
    line: i + 1,
    condition: '1',
    callee: 'migrate_vma_setup',
    function: `fn_${i}`,
    ...over
  } as Fact;
}

export function snapshotOf(
  facts: Fact[] = [call(1)],
  capabilities: CapabilityResult[] = [capability('migrate', 'enabled', facts)],
  over: Partial<Snapshot> = {}
): Snapshot {
  return {
    schema: 'hmm-watch/snapshot',
    schemaVersion: 1,
    tool: { name: 'hmm-watch', version: '0.1.0' },
    profile: { id: 'test', version: 1, title: 'Test profile', hash: '0123456789abcdef', source: 'builtin:test' },
    tree: { root: 'tree', git: { commit: COMMIT, prefix: 'src/' } },
    rules: ['calls'],
    capabilities,
    facts,
    constraints: {},
    diagnostics: { parseErrors: 0, filesParsed: 1, skipped: [], files: [] },
    ...over
  };
}
