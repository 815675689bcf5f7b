// The bundled CLI (dist/cli.js) run as a child process, as users run it.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { lines, makeTree, PARAM_PER_ARCH, type TempTree } from './helpers/tree.js';

const CLI = path.resolve('dist/cli.js');

function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let tree: TempTree;
beforeAll(() => {
  tree = makeTree({
    'kernel-open/nvidia-uvm/uvm_hmm.c': lines(
      ...PARAM_PER_ARCH,
      '#if UVM_IS_CONFIG_HMM()',
      'static const struct mmu_interval_notifier_ops ops = { .invalidate = inv, };',
      'int evict(void) { return migrate_device_range(p, 0, 1); }',
      '// TODO: Bug 1: HMM | <b>@someone</b> `x`',
      '#endif'
    ),
    'README.md': lines('Supports HMM.')
  });
});
afterAll(() => tree.remove());

describe('hmm-watch CLI', () => {
  it('prints help with the commands and exit codes', () => {
    const r = cli('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/hmm-watch scan \[--profile ID\|FILE\]/);
    expect(r.out).toMatch(/3 {2}the profile is invalid/);
  });

  it('prints a markdown report: capabilities, then facts, with scanned text escaped', () => {
    const r = cli('scan', tree.root);
    expect(r.code).toBe(0);
    const caps = r.out.indexOf('| Capability | Status | Evidence |');
    const facts = r.out.indexOf('### Details');
    expect(caps).toBeGreaterThan(0);
    expect(facts).toBeGreaterThan(caps);
    expect(r.out).toMatch(/\| HMM enabled by default on x86_64 \| ✅ enabled \|/);
    expect(r.out).toMatch(/\| HMM enabled by default on other CPU architectures \(aarch64, ppc64le\) \| ❌ disabled \|/);
    const marker = r.out.split('\n').find((l) => l.includes('TODO: Bug 1'))!;
    expect(marker).toContain('&#124; &lt;b&gt;@\u200bsomeone&lt;/b&gt; &#96;x&#96;');
  });

  it('writes the snapshot JSON to a file, byte for byte the same on a second run', () => {
    const out = path.join(tree.root, 'snap.json');
    expect(cli('scan', '--format', 'json', '--out', out, tree.root).code).toBe(0);
    const first = readFileSync(out, 'utf8');
    expect(cli('scan', '--format', 'json', '--out', out, tree.root).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(first);
    expect(JSON.parse(first)).toMatchObject({ schema: 'hmm-watch/snapshot', profile: { id: 'nvidia-uvm-hmm' } });
  });

  it('uses documented exit codes for usage, profile and tree errors', () => {
    expect(cli('scan', '--format', 'xml', tree.root)).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--format must be text, markdown, json or sarif, not 'xml'/)
    });
    expect(cli('frobnicate').code).toBe(2);
    // An empty ref is a mistake (an unset variable), not a request to scan the working tree.
    expect(cli('scan', '--ref', '', tree.root)).toMatchObject({ code: 2, out: '', err: expect.stringMatching(/--ref needs a branch, tag or commit/) });
    expect(cli('scan', '--jobs', '64', tree.root)).toMatchObject({ code: 2, err: expect.stringMatching(/--jobs must be between 1 and 16, not 64/) });
    expect(cli('scan', '--max-file-size', '0', tree.root)).toMatchObject({ code: 2, err: expect.stringMatching(/--max-file-size must be at least 1/) });
    expect(cli('scan', '--profile', 'no-such-profile', tree.root)).toMatchObject({ code: 3, err: expect.stringMatching(/profile 'no-such-profile'/) });
    expect(cli('scan', path.join(tree.root, 'missing'))).toMatchObject({ code: 4, err: expect.stringMatching(/does not exist/) });
  });

  it('checks a profile file against the schema and names the rule and field it rejects', () => {
    const bad = path.join(tree.root, 'bad-profile.yaml');
    writeFileSync(bad, 'id: mine\nversion: 1\ntitle: Mine\nextends: nvidia-uvm-hmm\nrules:\n  - { id: c, kind: call, title: C, functions: 3 }\n');
    const r = cli('scan', '--profile', bad, tree.root);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/bad-profile\.yaml: invalid profile:\n {2}- rule 'c' \(rules\[0\]\) field 'functions': must be array/);
    const good = path.join(tree.root, 'good-profile.yaml');
    writeFileSync(good, 'id: mine\nversion: 1\ntitle: Mine\nextends: nvidia-uvm-hmm\nrules:\n  - { id: c, kind: call, title: C, functions: [evict] }\n');
    const ok = cli('scan', '--profile', good, '--format', 'json', tree.root);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).profile).toMatchObject({ id: 'mine', source: expect.stringMatching(/good-profile\.yaml$/) });
  });

  it('lists profiles and anchors', () => {
    expect(cli('profiles').out).toMatch(/^linux-hmm-generic\t.*\nnvidia-uvm-hmm\t/);
    expect(cli('anchors', '--profile', 'linux-hmm-generic').out.split('\n')).toEqual(expect.arrayContaining(['migrate_device_range', 'dev_pagemap_ops']));
  });

  it('stops quietly when the reader closes the pipe early (`hmm-watch scan | head`)', async () => {
    const child = spawn(process.execPath, [CLI, 'scan', '--format', 'markdown', tree.root], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the report is written
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(err).not.toMatch(/EPIPE|Unhandled|at .*\(node:/);
    expect(code).toBe(0);
  });
});

describe('parallel scan', () => {
  let big: TempTree;
  beforeAll(() => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 500; i++) {
      files[`d${i % 7}/f${i}.c`] =
        i % 9 === 0
          ? lines(`#if defined(C${i % 4})`, `void f${i}(void) { hmm_range_fault(&r); }`, '#else', `void g${i}(void) { migrate_vma_setup(&a); }`, '#endif')
          : lines(`int unrelated_${i}(int x) { return x * ${i}; }`);
    }
    big = makeTree(files);
  });
  afterAll(() => big.remove());

  it('gives the same snapshot with worker threads as in one thread', () => {
    const one = cli('scan', '--format', 'json', '--jobs', '1', big.root);
    const two = cli('scan', '--format', 'json', '--jobs', '2', '--timings', big.root);
    expect(one.code).toBe(0);
    expect(JSON.parse(two.out).run.jobs).toBe(2);
    const { run: _run, ...rest } = JSON.parse(two.out);
    expect(`${JSON.stringify(rest, null, 2)}\n`).toBe(one.out);
    expect(JSON.parse(one.out).facts.filter((f: { kind: string }) => f.kind === 'call')).toHaveLength(56 * 2);
  });

  it('gives the same snapshot for a git ref scanned by worker threads (each with its own git reader)', () => {
    const git = (...a: string[]): void => void spawnSync('git', a, { cwd: big.root });
    git('init', '-q');
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-qm', 'tree');
    git('tag', 'v1');
    const one = cli('scan', '--format', 'json', '--jobs', '1', '--ref', 'v1', big.root);
    const two = cli('scan', '--format', 'json', '--jobs', '2', '--timings', '--ref', 'v1', big.root);
    expect(one.code).toBe(0);
    expect(JSON.parse(two.out).run.jobs).toBe(2);
    const { run: _run, ...rest } = JSON.parse(two.out);
    expect(`${JSON.stringify(rest, null, 2)}\n`).toBe(one.out);
    expect(JSON.parse(one.out).facts).toEqual(JSON.parse(cli('scan', '--format', 'json', '--jobs', '1', big.root).out).facts);
  });
});

describe('hmm-watch history', () => {
  it("keeps its cache under the user's cache directory (XDG_CACHE_HOME), not in the current folder", () => {
    const repo = makeTree({ 'kernel-open/nvidia-uvm/uvm_hmm.c': lines(...PARAM_PER_ARCH), 'work/.keep': '' });
    try {
      const git = (...a: string[]): void => void spawnSync('git', a, { cwd: repo.root });
      git('init', '-q');
      git('add', '-A');
      git('-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-qm', 'r1');
      git('tag', '1.0');
      const cwd = path.join(repo.root, 'work');
      const xdg = path.join(repo.root, 'xdg');
      const r = spawnSync(process.execPath, [CLI, 'history', '--format', 'json', repo.root], {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, XDG_CACHE_HOME: xdg }
      });
      expect(r.status).toBe(0);
      expect(existsSync(path.join(cwd, '.hmm-watch-cache'))).toBe(false);
      expect(readdirSync(path.join(xdg, 'hmm-watch', 'history')).length).toBeGreaterThan(0);
    } finally {
      repo.remove();
    }
  });
});

// Node 22.1 and later only (the action runs on Node 24); on Node 20 there is no compile cache and nothing to check.
const compileCache = typeof (module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function';
describe('the compile cache', () => {
  (compileCache ? it : it.skip)("keeps the compiled bundle under the user's cache directory, and none when Node's switch turns it off", () => {
    const home = makeTree({});
    try {
      const run = (xdg: string, extra: Record<string, string> = {}) => {
        const env: Record<string, string | undefined> = { ...process.env, XDG_CACHE_HOME: path.join(home.root, xdg), ...extra };
        delete env.NODE_COMPILE_CACHE;
        return spawnSync(process.execPath, [CLI, '--version'], { encoding: 'utf8', env });
      };
      expect(run('on').status).toBe(0);
      expect(readdirSync(path.join(home.root, 'on', 'hmm-watch', 'compile-cache')).length).toBeGreaterThan(0);
      expect(run('off', { NODE_DISABLE_COMPILE_CACHE: '1' }).status).toBe(0);
      expect(existsSync(path.join(home.root, 'off', 'hmm-watch', 'compile-cache'))).toBe(false);
    } finally {
      home.remove();
    }
  });
});
