// Snapshots read from outside the run (files, caches, fork artifacts) are checked against the snapshot schema:
// rejections name the file and the JSON path of the first bad field; the schema's enums are the TS lists.

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { CAPABILITY_DIRECTIONS, DIAGNOSTIC_KINDS, FACT_KINDS, GATE_FORMS, SKIP_REASONS, STATUSES, VARIABLE_FORMS } from '../src/rules/types.js';
import { schemaJson } from '../src/schema.js';
import { MAX_SNAPSHOT_BYTES, parseSnapshot, readSnapshotFile, SnapshotError } from '../src/snapshot/read.js';
import { SNAPSHOT_VERSION, serializeSnapshot } from '../src/snapshot/snapshot.js';
import { UNIT_KINDS, UNIT_SOURCES } from '../src/units/units.js';
import { call, capability, snapshotOf } from './helpers/snapshot.js';
import { makeTree } from './helpers/tree.js';

const text = (x: unknown): string => JSON.stringify(x);
// biome-ignore lint/suspicious/noExplicitAny: tests reach into any field of a snapshot to break it
type Loose = Record<string, any>;
const mutate = (f: (s: Loose) => void): string => {
  const s = JSON.parse(text(snapshotOf())) as Loose;
  f(s);
  return text(s);
};

describe('the snapshot schema', () => {
  it('has the enums of src/rules/types.ts (add a new kind to both)', () => {
    const defs = (schemaJson('snapshot') as { definitions: Record<string, { enum?: string[] }> }).definitions;
    expect(defs.status.enum).toEqual([...STATUSES]);
    expect(defs.factKind.enum).toEqual([...FACT_KINDS]);
    expect(defs.skipReason.enum).toEqual([...SKIP_REASONS]);
    expect(defs.diagnosticKind.enum).toEqual([...DIAGNOSTIC_KINDS]);
    expect(defs.direction.enum).toEqual([...CAPABILITY_DIRECTIONS]);
    expect(defs.variableForm.enum).toEqual([...VARIABLE_FORMS]);
    expect(defs.gateForm.enum).toEqual([...GATE_FORMS]);
    expect(defs.unitKind.enum).toEqual([...UNIT_KINDS]);
    expect(defs.unitSource.enum).toEqual([...UNIT_SOURCES]);
    const version = (schemaJson('snapshot') as { properties: { schemaVersion: { maximum: number } } }).properties.schemaVersion;
    expect(version.maximum).toBe(SNAPSHOT_VERSION);
  });

  it('accepts what a scan writes, one fact of every kind', async () => {
    const facts = [
      call(1),
      { rule: 'r', kind: 'ops-table', file: 'a.c', line: 1, condition: '1', type: 't', table: 'x', storage: 'static const' },
      { rule: 'r', kind: 'ops-member', file: 'a.c', line: 2, condition: '1', type: 't', table: 'x', member: 'm', value: 'v' },
      { rule: 'r', kind: 'ops-reference', file: 'a.c', line: 3, condition: '1', type: 't', table: 'x', function: 'f', context: 'c' },
      { rule: 'r', kind: 'variable', file: 'a.c', line: 4, condition: '1', name: 'n', form: 'definition', value: '0', storage: 'static', type: 'bool' },
      { rule: 'r', kind: 'assignment', file: 'a.c', line: 5, condition: '1', target: 'a.b', operator: '=', value: '1', function: 'f' },
      { rule: 'r', kind: 'struct-field', file: 'a.c', line: 6, condition: '1', struct: 's', field: 'f', type: 'int' },
      { rule: 'r', kind: 'gate', file: 'a.c', line: 7, condition: '1', macro: 'M', form: 'condition', text: '#if M', gatedLines: 3 },
      { rule: 'r', kind: 'marker', file: 'a.c', line: 8, condition: '1', tag: 'TODO', text: 'x' },
      { rule: 'r', kind: 'doc-claim', file: 'README', line: 9, condition: '1', text: 'x' }
    ];
    const s = snapshotOf(facts as never, [capability('c', 'conditional', [], { conditionalStatus: 'enabled', condition: 'defined(X)' })]);
    await expect(parseSnapshot(serializeSnapshot(s), 'snap.json')).resolves.toEqual(s);
  });
});

describe('parseSnapshot', () => {
  const rejects = (t: string, message: RegExp) => expect(parseSnapshot(t, 'hmm-watch-snapshot.json')).rejects.toThrow(message);

  it('names the file and the JSON path of the first bad field', async () => {
    await rejects(
      mutate((s) => (s.capabilities[0].status = 'constructor')),
      /^hmm-watch-snapshot\.json: \/capabilities\/0\/status: must be one of enabled, disabled, conditional, absent, unknown$/
    );
    await rejects(
      mutate((s) => (s.facts[0].line = '12"><img src=x>')),
      /hmm-watch-snapshot\.json: \/facts\/0\/line: must be integer/
    );
    await rejects(
      mutate((s) => (s.facts[0].line = 0)),
      /\/facts\/0\/line: must be >= 1/
    );
    await rejects(
      mutate((s) => delete s.facts[0].callee),
      /\/facts\/0\/callee: is missing/
    );
    await rejects(
      mutate((s) => (s.facts[0].kind = 'exploit')),
      /\/facts\/0\/kind: must be one of ops-table, /
    );
    await rejects(
      mutate((s) => (s.tree.git.commit = 'main"><img>')),
      /\/tree\/git\/commit: must match pattern/
    );
    await rejects(
      mutate((s) => (s.diagnostics = null)),
      /\/diagnostics: must be object/
    );
    await rejects(
      mutate((s) => (s.diagnostics.parseErrors = '<!--')),
      /\/diagnostics\/parseErrors: must be integer/
    );
    await rejects(
      mutate((s) => (s.profile.version = '1 <img>')),
      /\/profile\/version: must be integer/
    );
    await rejects(
      mutate((s) => (s.capabilities[0].conditionalStatus = 'x | y')),
      /\/capabilities\/0\/conditionalStatus: must be one of/
    );
    await rejects(
      mutate((s) => (s.diagnostics.skipped = [{ file: 'a', reason: 'because' }])),
      /\/diagnostics\/skipped\/0\/reason: must be one of binary, too-large, symlink, unreadable/
    );
    await rejects(
      mutate((s) => (s.run = { totalMs: 'x' })),
      /\/run\/\w+: is missing|\/run\/totalMs: must be number/
    );
    await rejects(
      mutate((s) => (s.facts[0].callee = 'x'.repeat(1_048_577))),
      /\/facts\/0\/callee: must NOT have more than 1048576 characters/
    );
  });

  it('takes only positive whole schema versions; a newer one asks for an upgrade', async () => {
    await rejects(
      mutate((s) => (s.schemaVersion = -5)),
      /\/schemaVersion: must be >= 1/
    );
    await rejects(
      mutate((s) => (s.schemaVersion = 0.5)),
      /\/schemaVersion: must be integer/
    );
    await rejects(
      mutate((s) => (s.schemaVersion = 2)),
      /written with snapshot schema version 2; this hmm-watch reads versions up to 1: upgrade hmm-watch/
    );
  });

  it('refuses what is not a snapshot, and broken JSON', async () => {
    await rejects('{"hello":1}', /not an hmm-watch snapshot \(schema null, expected 'hmm-watch\/snapshot'\)/);
    await rejects('[1]', /not an hmm-watch snapshot \(not a JSON object\)/);
    await rejects('{ nope', /hmm-watch-snapshot\.json: not valid JSON/);
    await expect(parseSnapshot('null', 'x.json')).rejects.toThrow(SnapshotError);
  });
});

describe('readSnapshotFile', () => {
  const tree = makeTree({ 'ok.json': serializeSnapshot(snapshotOf()) });
  afterAll(() => tree.remove());

  it('refuses a file over the size limit without parsing it', async () => {
    const big = path.join(tree.root, 'big.json');
    // Valid JSON of a snapshot padded with spaces past the limit: refused for its size alone.
    writeFileSync(big, serializeSnapshot(snapshotOf()).padEnd(MAX_SNAPSHOT_BYTES + 1, ' '));
    await expect(readSnapshotFile(big, 'big.json')).rejects.toThrow(
      `big.json: ${MAX_SNAPSHOT_BYTES + 1} bytes, over the ${MAX_SNAPSHOT_BYTES}-byte limit for a snapshot; not read`
    );
  });

  it('reads a valid file; a missing file or a folder is a clear error', async () => {
    await expect(readSnapshotFile(path.join(tree.root, 'ok.json'))).resolves.toMatchObject({ schema: 'hmm-watch/snapshot' });
    await expect(readSnapshotFile(path.join(tree.root, 'none.json'), 'none.json')).rejects.toThrow('none.json: no such file');
    await expect(readSnapshotFile(tree.root, 'dir')).rejects.toThrow('dir: not a file');
  });
});

describe('the stores that read snapshots and file results back', () => {
  const tree = makeTree({});
  afterAll(() => tree.remove());

  it('the history store ignores a stored snapshot that is invalid (it is scanned again)', async () => {
    const { SnapshotStore } = await import('../src/history/snapshot-store.js');
    const s = snapshotOf();
    const store = new SnapshotStore(tree.root, s.profile.hash, '0.1.0');
    store.set(s.tree.git!.commit, serializeSnapshot(s));
    await expect(store.get(s.tree.git!.commit)).resolves.toEqual(s);
    store.set(s.tree.git!.commit, JSON.stringify({ ...s, capabilities: [{ ...s.capabilities[0], status: 'constructor' }] }));
    await expect(store.get(s.tree.git!.commit)).resolves.toBeUndefined();
  });

  it('the result cache keeps only entries whose facts match the schema, and says how many it dropped', async () => {
    const { ResultCache, RESULT_CACHE_VERSION } = await import('../src/scan/result-cache.js');
    const good = { facts: [call(1)], constraints: [], diagnostics: [], parsed: true, parseErrors: 0 };
    const bad = { ...good, facts: [{ ...call(2), line: '<img>' }] };
    writeFileSync(
      path.join(tree.root, 'results-r-t.json'),
      JSON.stringify({
        schema: 'hmm-watch/result-cache',
        version: RESULT_CACHE_VERSION,
        rules: 'r',
        tool: 't',
        entries: { 'b1:a.c': good, 'b2:b.c': bad, 'b3:c.c': null }
      })
    );
    const cache = await ResultCache.load(tree.root, 'r', 't');
    expect(cache.get('a.c', 'b1')).toEqual(good);
    expect(cache.get('b.c', 'b2')).toBeUndefined();
    expect(cache.get('c.c', 'b3')).toBeNull();
    expect(cache.ignored).toMatch(/1 entry of .* did not match the schema/);
  });
});

describe('readSnapshotFile on special files', () => {
  const tree = makeTree({});
  afterAll(() => tree.remove());

  it('refuses a FIFO without waiting for a writer', async () => {
    const fifo = path.join(tree.root, 'artifact.json');
    execFileSync('mkfifo', [fifo]);
    await expect(readSnapshotFile(fifo, 'artifact.json')).rejects.toThrow('artifact.json: not a file');
  });
});
