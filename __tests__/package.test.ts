// The package as the registry would hand it out: `npm pack`, installed from the tarball into an empty folder with
// no network (`--offline`), then `hmm-watch` run from there with no other node_modules in reach.

import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { makeTree, type TempTree } from './helpers/tree.js';

const EXAMPLE = path.resolve('examples/nvidia-like-driver');

/** Runs a command without the npm settings of the `npm test` that may be running this (they name this checkout). */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...clean, ...env } });
}

describe('the packed package', () => {
  let tmp: TempTree;
  let files: string[];
  let bin: string;
  beforeAll(() => {
    tmp = makeTree({});
    const cache = path.join(tmp.root, 'npm-cache');
    const env = { npm_config_cache: cache, npm_config_update_notifier: 'false' };
    const pack = run('npm', ['pack', '--json', '--pack-destination', tmp.root], process.cwd(), env);
    expect(pack.status).toBe(0);
    const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    files = info.files.map((f) => f.path);
    const app = path.join(tmp.root, 'app');
    mkdirSync(app);
    const install = run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--prefix', app, path.join(tmp.root, info.filename)], app, env);
    expect(install.stderr).not.toMatch(/ERR!/);
    expect(install.status).toBe(0);
    bin = path.join(app, 'node_modules', '.bin', 'hmm-watch');
  }, 120000);
  afterAll(() => tmp.remove());

  it('holds only what runs: the CLI bundle and its assets, README, LICENSE', () => {
    expect(files.filter((f) => !/^(dist\/(cli\.js|worker\.js|chunks\/|profiles\/|schemas\/|wasm\/)|README\.md$|LICENSE$|package\.json$)/.test(f))).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/cli.js',
        'dist/worker.js',
        'dist/wasm/tree-sitter-c.wasm',
        'dist/profiles/nvidia-uvm-hmm.json',
        'dist/schemas/profile.schema.json',
        'LICENSE'
      ])
    );
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(pkg.private).toBeUndefined();
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.bin).toEqual({ 'hmm-watch': 'dist/cli.js' });
    expect(pkg.engines.node).toBe('>=20');
  });

  it('runs hmm-watch from an empty folder: scan of the example tree (markdown, JSON, a YAML profile), worker threads, explain', () => {
    const where = tmp.root;
    expect(run(bin, ['--version'], where).stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    const md = run(bin, ['scan', EXAMPLE], where);
    expect(md.stderr).toBe('');
    expect(md.status).toBe(0);
    expect(md.stdout).toMatch(/\| HMM enabled by default on x86_64 \| ✅ enabled \|/);
    // A profile file is read with the bundled YAML parser and checked with the bundled schema validator.
    const profile = path.join(where, 'mine.yaml');
    writeFileSync(profile, 'id: mine\nversion: 1\ntitle: Mine\nextends: nvidia-uvm-hmm\nrules: []\n');
    const json = run(bin, ['scan', '--format', 'json', '--profile', profile, EXAMPLE], where);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      profile: { id: 'mine' },
      capabilities: expect.arrayContaining([expect.objectContaining({ id: 'hmm-default-x86_64', status: 'enabled' })])
    });
    writeFileSync(profile, 'id: mine\nversion: 1\ntitle: Mine\nrules: [{ id: c, kind: call, title: C, functions: 3 }]\ncapabilities: []\n');
    expect(run(bin, ['scan', '--profile', profile, EXAMPLE], where)).toMatchObject({
      status: 3,
      stderr: expect.stringMatching(/field 'functions': must be array/)
    });
    // Enough files for worker threads (dist/worker.js from the package).
    const files: Record<string, string> = {};
    for (let i = 0; i < 450; i++) files[`d/f${i}.c`] = i % 50 === 0 ? `int f${i}(void) { return hmm_range_fault(&r); }\n` : `int g${i};\n`;
    const big = makeTree(files);
    try {
      const threads = run(bin, ['scan', '--format', 'json', '--jobs', '2', '--timings', big.root], where);
      expect(threads.status).toBe(0);
      const snap = JSON.parse(threads.stdout);
      expect(snap.run.jobs).toBe(2);
      expect(snap.facts.filter((f: { callee?: string }) => f.callee === 'hmm_range_fault')).toHaveLength(9);
    } finally {
      big.remove();
    }
    const text = run(bin, ['explain', '--format', 'text', '--color', 'always', 'hmm-default-x86_64', EXAMPLE], where);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('\u001b[');
  });
});
