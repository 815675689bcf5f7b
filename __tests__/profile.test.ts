import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { assetDir } from '../src/assets.js';
import { builtinProfiles, loadProfile, ProfileError, validateProfileDocument } from '../src/rules/profile.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hmm-watch-profile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function errorOf(file: string): Promise<string> {
  try {
    await loadProfile(file);
  } catch (e) {
    expect(e).toBeInstanceOf(ProfileError);
    return (e as Error).message;
  }
  throw new Error('expected the profile to be rejected');
}

describe('built-in profiles', () => {
  it('match the schema (which is why the scan does not check them again at run time)', async () => {
    for (const id of builtinProfiles()) {
      const doc = parse(readFileSync(path.join(assetDir('profiles'), `${id}.yaml`), 'utf8')) as Record<string, unknown>;
      await expect(validateProfileDocument(doc, id)).resolves.toBeUndefined();
    }
  });

  it('lists and loads both, the NVIDIA one extending the generic one', async () => {
    expect(builtinProfiles()).toEqual(['linux-hmm-generic', 'nvidia-uvm-hmm']);
    const generic = await loadProfile('linux-hmm-generic');
    const nvidia = await loadProfile('nvidia-uvm-hmm');
    expect(nvidia.source).toBe('builtin:nvidia-uvm-hmm');
    const genericRules = generic.profile.rules.map((r) => r.id);
    expect(nvidia.profile.rules.map((r) => r.id)).toEqual(expect.arrayContaining([...genericRules, 'hmm-disable-param', 'per-space-disable']));
    expect(nvidia.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(nvidia.hash).not.toBe(generic.hash);
  });

  it('keeps driver-specific names out of the generic profile', async () => {
    const text = JSON.stringify((await loadProfile('linux-hmm-generic')).profile);
    expect(text).not.toMatch(/uvm|nvidia|NV_|amdgpu|nouveau/i);
  });
});

describe('profile files', () => {
  it('extends a built-in profile and overrides a rule by id', async () => {
    const file = write(
      'ext.yaml',
      [
        'id: my-fork',
        'version: 2',
        'title: My fork',
        'extends: linux-hmm-generic',
        'rules:',
        '  - { id: hmm-range-fault-calls, kind: call, title: Faults, functions: [hmm_range_fault, my_fault_wrapper] }',
        '  - { id: my-calls, kind: call, title: Mine, functions: [my_fn] }'
      ].join('\n')
    );
    const { profile, hash } = await loadProfile(file);
    const rule = profile.rules.find((r) => r.id === 'hmm-range-fault-calls');
    expect(rule).toMatchObject({ functions: ['hmm_range_fault', 'my_fault_wrapper'] });
    expect(profile.rules.at(-1)?.id).toBe('my-calls');
    expect(profile.capabilities.length).toBe((await loadProfile('linux-hmm-generic')).profile.capabilities.length);
    expect((await loadProfile(file)).hash).toBe(hash);
  });

  it("reads a user's YAML profile, not a stale JSON file of the same name beside it", async () => {
    const file = write('mine.yaml', ['id: mine', 'version: 3', 'title: Mine', 'extends: linux-hmm-generic'].join('\n'));
    write('mine.json', JSON.stringify({ id: 'stale', version: 1, title: 'Stale', rules: [], capabilities: [] }));
    const { profile } = await loadProfile(file);
    expect(profile).toMatchObject({ id: 'mine', version: 3, title: 'Mine' });
  });

  it('names the rule and the field of a schema error', async () => {
    const file = write('bad-field.yaml', 'id: x\nversion: 1\ntitle: X\nrules:\n  - { id: calls, kind: call, title: C, functions: "not-a-list" }\n');
    expect(await errorOf(file)).toMatch(/rule 'calls' \(rules\[0\]\) field 'functions': must be array/);
  });

  it('names a missing field and an unknown kind', async () => {
    expect(await errorOf(write('missing.yaml', 'id: x\nversion: 1\ntitle: X\nrules:\n  - { id: t, kind: ops-table, title: T }\n'))).toMatch(
      /rule 't' \(rules\[0\]\): missing field 'types'/
    );
    expect(await errorOf(write('kind.yaml', 'id: x\nversion: 1\ntitle: X\nrules:\n  - { id: t, kind: magic, title: T }\n'))).toMatch(
      /rule 't' \(rules\[0\]\) field 'kind': must be one of/
    );
  });

  it('rejects fields of another kind, bad regular expressions, duplicate ids and unknown references', async () => {
    const file = write(
      'semantic.yaml',
      [
        'id: x',
        'version: 1',
        'title: X',
        'rules:',
        '  - { id: c, kind: call, title: C, functions: [f], types: [t] }',
        '  - { id: m, kind: marker, title: M, pattern: "TODO(", keywords: [HMM] }',
        '  - { id: m, kind: call, title: M2, functions: [g] }',
        'capabilities:',
        '  - id: cap',
        '    title: Cap',
        '    explain: E',
        '    cases: [{ when: { rule: nope }, status: enabled, because: b }]',
        '    otherwise: { status: absent, because: b }'
      ].join('\n')
    );
    const message = await errorOf(file);
    expect(message).toMatch(/rule 'c' \(rules\[0\]\): unknown field 'types' for kind call/);
    expect(message).toMatch(/rule 'm' \(rules\[1\]\) field 'pattern': not a valid regular expression/);
    expect(message).toMatch(/rule 'm' \(rules\[2\]\): duplicate rule id/);
    expect(message).toMatch(/capability 'cap' \(capabilities\[0\]\): refers to unknown rule 'nope'/);
  });

  it('reports invalid YAML, a missing file and an extends cycle with the file name', async () => {
    expect(await errorOf(write('yaml.yaml', 'id: [unclosed\n'))).toMatch(/yaml\.yaml: invalid YAML/);
    await expect(loadProfile(path.join(dir, 'nope.yaml'))).rejects.toThrow(/neither a built-in profile .* nor an existing file/);
    write('a.yaml', 'id: a\nversion: 1\ntitle: A\nextends: ./b.yaml\n');
    const b = write('b.yaml', 'id: b\nversion: 1\ntitle: B\nextends: ./a.yaml\n');
    expect(await errorOf(b)).toMatch(/'extends' forms a cycle/);
  });
});

describe('bounded profiles (issue 8)', () => {
  const head = 'id: x\nversion: 1\ntitle: X\n';
  const calls = 'rules:\n  - { id: c, kind: call, title: C, functions: [f] }\n';

  it('rejects a where regex RE2 cannot run, naming the capability, case and field, at load', async () => {
    const file = write(
      'where.yaml',
      `${head}${calls}capabilities:\n  - { id: cap, title: T, explain: E, cases: [{ when: { rule: c, where: { function: { not: { regex: "(a)\\\\1" } } } }, status: enabled, because: b }], otherwise: { status: absent, because: b } }\n`
    );
    expect(await errorOf(file)).toMatch(/capability 'cap' \(capabilities\[0\]\) cases\[0\] where 'function': not a valid regular expression/);
  });

  it('rejects a where glob RE2 cannot run (an extglob needing a look-around) at load, naming it a glob', async () => {
    const file = write(
      'where-glob.yaml',
      `${head}${calls}capabilities:\n  - { id: cap, title: T, explain: E, cases: [{ when: { rule: c, where: { function: { glob: "!(f)" } } }, status: enabled, because: b }], otherwise: { status: absent, because: b } }\n`
    );
    expect(await errorOf(file)).toMatch(/capability 'cap' \(capabilities\[0\]\) cases\[0\] where 'function': not a valid glob/);
  });

  it('rejects look-around in a rule pattern, and accepts the leading negative look-ahead of the built-in profiles', async () => {
    const bad = write('lookbehind.yaml', `${head}rules:\n  - { id: d, kind: doc-claim, title: D, pattern: "(?<=a)b" }\n`);
    expect(await errorOf(bad)).toMatch(/rule 'd' \(rules\[0\]\) field 'pattern': not a valid regular expression/);
    const ok = write('lookahead.yaml', `${head}rules:\n  - { id: d, kind: doc-claim, title: D, pattern: "^(?!.*_test$).*init" }\n`);
    await expect(loadProfile(ok)).resolves.toBeDefined();
  });

  it('reads only regular files: `extends: /dev/zero` is an error, not a hang', async () => {
    expect(await errorOf(write('zero.yaml', `${head}extends: /dev/zero\n`))).toMatch(/\/dev\/zero: cannot read profile \(not a regular file\)/);
  });

  it('caps the size of a profile file', async () => {
    const big = write('big.yaml', `${head}description: "${'x'.repeat(1 << 20)}"\n`);
    expect(await errorOf(big)).toMatch(/big\.yaml: cannot read profile \(\d+ bytes > limit 1048576\)/);
  });

  it('reports a YAML alias bomb as invalid YAML naming the file', async () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 9; i++)
      lines.push(
        `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(', ')}]`
      );
    expect(await errorOf(write('bomb.yaml', `${lines.join('\n')}\n${head}`))).toMatch(/bomb\.yaml: invalid YAML: .*alias/);
  });

  it('rejects nesting deeper than the limit before validating', async () => {
    let when = '{ rule: c }';
    for (let i = 0; i < 100; i++) when = `{ not: ${when} }`;
    const file = write(
      'deep.yaml',
      `${head}${calls}capabilities:\n  - { id: cap, title: T, explain: E, cases: [{ when: ${when}, status: enabled, because: b }], otherwise: { status: absent, because: b } }\n`
    );
    expect(await errorOf(file)).toMatch(/deep\.yaml: invalid profile: nested deeper than 64 levels/);
  });

  it('rejects an infinite version and more rules than the schema allows', async () => {
    expect(await errorOf(write('inf.yaml', 'id: x\nversion: .inf\ntitle: X\n'))).toMatch(/field 'version': must be <= 1000000/);
    const rules = Array.from({ length: 2001 }, (_, i) => `  - { id: r${i}, kind: call, title: R, functions: [f] }`).join('\n');
    expect(await errorOf(write('many.yaml', `${head}rules:\n${rules}\n`))).toMatch(/field 'rules': must NOT have more than 2000 items/);
  });
});
