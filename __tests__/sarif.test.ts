// SARIF 2.1.0 for code scanning: valid against the OASIS schema (its copy in fixtures/sarif, see NOTICE.md there),
// the capability table as the rules, regressions and contradictions as results at repository-relative lines, and
// fingerprints that do not move with the lines. Also through the bundled CLI (compare --format sarif).

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ValidateFunction } from 'ajv';
import type { Log } from 'sarif';
import { compareSnapshots } from '../src/compare/compare.js';
import { checkExpectations } from '../src/expectations.js';
import { renderSarif, serializeSarif } from '../src/report/sarif.js';
import { runScan } from '../src/scan/run.js';
import { type Snapshot, serializeSnapshot } from '../src/snapshot/snapshot.js';
import { sarifValidator } from './helpers/sarif.js';
import { lines, makeTree, PARAM_PER_ARCH, type TempTree } from './helpers/tree.js';

const FILE = 'kernel-open/nvidia-uvm/uvm_hmm.c';
const driver = (evict: boolean, pad = 0): string =>
  lines(
    ...Array.from({ length: pad }, () => '// moved'),
    ...PARAM_PER_ARCH,
    evict ? 'int evict(void) { return migrate_device_range(p, 0, 1); }' : 'int evict(void) { return 0; }'
  );

let base: TempTree;
let head: TempTree;
let moved: TempTree;
let before: Snapshot;
let after: Snapshot;
let validate: ValidateFunction;

beforeAll(async () => {
  base = makeTree({ [FILE]: driver(true) });
  head = makeTree({ [FILE]: driver(false) });
  moved = makeTree({ [FILE]: driver(false, 5) });
  before = (await runScan(base.root, { profile: 'nvidia-uvm-hmm' })).snapshot;
  after = (await runScan(head.root, { profile: 'nvidia-uvm-hmm' })).snapshot;
  validate = sarifValidator();
});
afterAll(() => {
  for (const t of [base, head, moved]) t.remove();
});

describe('SARIF output', () => {
  it('is valid SARIF 2.1.0 with the capability table as rules and the regression and contradiction as results', () => {
    const claims = checkExpectations([{ capability: 'hmm-default-x86_64', expect: ['disabled'] }], after, 'expect.yml');
    const log = renderSarif(after, compareSnapshots(before, after), claims, { pathPrefix: 'drivers/gpu' });
    expect(validate(log)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    const run = log.runs[0];
    expect(run.tool.driver.rules?.map((r) => r.id)).toEqual(after.capabilities.map((c) => c.id));
    expect(run.tool.driver.rules?.find((r) => r.id === 'migrate-device-range')?.properties).toMatchObject({ status: 'absent' });
    const [regression, contradiction] = run.results!;
    expect(regression).toMatchObject({ ruleId: 'migrate-device-range', level: 'error', properties: { before: 'enabled', after: 'absent' } });
    expect(regression.message.text).toMatch(/regressed against the baseline: enabled → absent/);
    // The call is gone: the result sits where it was, in the repository's path of the file.
    expect(regression.locations?.[0].physicalLocation).toEqual({
      artifactLocation: { uri: `drivers/gpu/${FILE}` },
      region: { startLine: PARAM_PER_ARCH.length + 1 }
    });
    expect(contradiction).toMatchObject({ ruleId: 'hmm-default-x86_64', level: 'warning', properties: { expected: ['disabled'], actual: 'enabled' } });
    expect(contradiction.locations?.[0].physicalLocation?.artifactLocation?.uri).toMatch(new RegExp(`^drivers/gpu/${FILE}$`));
    expect(run.results).toHaveLength(2);
  });

  it('gives a result the same fingerprint when its code moves, and bytes that do not change between runs', async () => {
    const shifted = (await runScan(moved.root, { profile: 'nvidia-uvm-hmm' })).snapshot;
    // A contradiction sits at the evidence of the current tree, which moved down by five lines.
    const claim = (s: Snapshot) => checkExpectations([{ capability: 'hmm-default-x86_64', expect: ['disabled'] }], s, 'expect.yml');
    const a = renderSarif(after, undefined, claim(after));
    const b = renderSarif(shifted, undefined, claim(shifted));
    expect(a.runs[0].results![0].locations![0].physicalLocation!.region!.startLine).not.toBe(
      b.runs[0].results![0].locations![0].physicalLocation!.region!.startLine
    );
    expect(b.runs[0].results![0].partialFingerprints).toEqual(a.runs[0].results![0].partialFingerprints);
    expect(serializeSarif(a)).toBe(serializeSarif(renderSarif(after, undefined, claim(after))));
    // No baseline, nothing claimed: rules only, no results.
    expect(renderSarif(after, undefined, undefined).runs[0].results).toEqual([]);
  });

  it('is written by the CLI: compare --format sarif, and scan --format sarif needs --baseline', () => {
    const dir = base.root;
    writeFileSync(path.join(dir, 'before.json'), serializeSnapshot(before));
    writeFileSync(path.join(dir, 'after.json'), serializeSnapshot(after));
    const cli = (...args: string[]) => spawnSync(process.execPath, [path.resolve('dist/cli.js'), ...args], { encoding: 'utf8' });
    const r = cli('compare', '--format', 'sarif', path.join(dir, 'before.json'), path.join(dir, 'after.json'));
    expect(r.status).toBe(0);
    const log = JSON.parse(r.stdout) as Log;
    expect(validate(log)).toBe(true);
    expect(log.runs[0].results?.map((x) => x.ruleId)).toEqual(['migrate-device-range']);
    const scan = cli('scan', '--format', 'sarif', '--baseline', path.join(dir, 'before.json'), head.root);
    expect(scan.status).toBe(0);
    expect((JSON.parse(scan.stdout) as Log).runs[0].results?.map((x) => x.level)).toEqual(['error']);
    const missing = cli('scan', '--format', 'sarif', head.root);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--format sarif goes with --baseline/);
  });
});
