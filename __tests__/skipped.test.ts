// Nothing is left out of a scan without saying so: special files, folders that cannot be listed, paths over the
// system's length limit and submodules are each listed with their reason, and a working tree and the git objects
// of the same commit give the same snapshot.

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SKIP_REASONS } from '../src/rules/types.js';
import { runScan } from '../src/scan/run.js';
import { type Snapshot, serializeSnapshot } from '../src/snapshot/snapshot.js';
import { lines, makeTree, type TempTree } from './helpers/tree.js';

const CALL = lines('int probe(struct migrate_vma *args)', '{', '    return migrate_vma_setup(args);', '}');

describe('files and folders the walk cannot scan', () => {
  let tree: TempTree;
  let server: net.Server;
  let device = false;
  beforeAll(async () => {
    tree = makeTree({ 'drv/ok.c': CALL });
    execFileSync('mkfifo', [path.join(tree.root, 'drv', 'pipe.c')]);
    try {
      // A character device (the numbers of /dev/null) where the tests may make one (root).
      execFileSync('mknod', [path.join(tree.root, 'drv', 'dev.c'), 'c', '1', '3'], { stdio: 'ignore' });
      device = true;
    } catch {
      /* not permitted here */
    }
    server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(tree.root, 'drv', 'sock.c'), resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    tree.remove();
  });

  it('lists a FIFO, a socket and a device as special files, never opening them, and scans the rest', async () => {
    const { snapshot } = await runScan(tree.root, { profile: 'linux-hmm-generic' });
    expect(snapshot.diagnostics.skipped).toEqual([
      ...(device ? [{ file: 'drv/dev.c', reason: 'special-file', detail: 'a character device: special files are never opened' }] : []),
      { file: 'drv/pipe.c', reason: 'special-file', detail: 'a FIFO: special files are never opened' },
      { file: 'drv/sock.c', reason: 'special-file', detail: 'a socket: special files are never opened' }
    ]);
    expect(snapshot.facts.filter((f) => f.kind === 'call').map((f) => [f.file, f.line])).toEqual([['drv/ok.c', 3]]);
  });

  it('lists a folder and a file whose paths are over the length limit', async () => {
    // Built one folder at a time (relative paths), since no call can name the whole path at once.
    const deep = makeTree({ 'drv/ok.c': CALL });
    const part = 'd'.repeat(200);
    const depth = 21; // 21 x 201 characters: the folder's path is over 4,096, its parent's is not
    try {
      const script = `const fs = require('fs'); for (let i = 0; i < ${depth}; i++) { fs.mkdirSync('${part}'); process.chdir('${part}'); } fs.writeFileSync('../${'f'.repeat(150)}.c', 'x');`;
      execFileSync(process.execPath, ['-e', script], { cwd: path.join(deep.root, 'drv') });
      const { snapshot } = await runScan(deep.root, { profile: 'linux-hmm-generic' });
      const parent = `drv/${Array(depth - 1)
        .fill(part)
        .join('/')}`;
      expect(snapshot.diagnostics.skipped.map((s) => [s.file, s.reason, s.detail])).toEqual([
        [`${parent}/${part}`, 'path-too-long', 'ENAMETOOLONG: name too long'],
        [`${parent}/${'f'.repeat(150)}.c`, 'path-too-long', 'ENAMETOOLONG: name too long']
      ]);
      expect(snapshot.facts.some((f) => f.file === 'drv/ok.c')).toBe(true);
    } finally {
      execFileSync('rm', ['-rf', deep.root]);
    }
  });

  it('lists a folder it may not read (run as an unprivileged user where the tests run as root)', () => {
    const t = makeTree({ 'drv/ok.c': CALL, 'drv/closed/hidden.c': CALL });
    try {
      chmodSync(t.root, 0o755);
      chmodSync(path.join(t.root, 'drv', 'closed'), 0o000);
      const cli = path.resolve('dist/cli.js');
      const args = ['scan', '--format', 'json', '--profile', 'linux-hmm-generic', t.root];
      const asRoot = process.getuid?.() === 0;
      // root reads every folder: the scan then runs as `nobody` (setpriv, util-linux).
      const out = asRoot
        ? execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, cli, ...args], { encoding: 'utf8' })
        : execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
      const snapshot = JSON.parse(out) as Snapshot;
      expect(snapshot.diagnostics.skipped).toEqual([{ file: 'drv/closed', reason: 'unreadable-folder', detail: 'EACCES: permission denied' }]);
      expect(snapshot.facts.some((f) => f.file === 'drv/ok.c')).toBe(true);
    } finally {
      chmodSync(path.join(t.root, 'drv', 'closed'), 0o755);
      t.remove();
    }
  });

  it('names every reason in the exported list', () => {
    expect(SKIP_REASONS).toEqual(expect.arrayContaining(['special-file', 'unreadable-folder', 'path-too-long', 'submodule']));
  });
});

describe('submodules', () => {
  let repo: TempTree;
  let sub: TempTree;
  const env = { ...process.env, GIT_AUTHOR_DATE: '2026-01-01T12:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T12:00:00Z' };
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', '-c', 'protocol.file.allow=always', ...args], {
      cwd,
      encoding: 'utf8',
      env
    }).trim();
  beforeAll(() => {
    sub = makeTree({ 'uvm_pmm.c': lines('static const struct dev_pagemap_ops ops = {', '    .migrate_to_ram = fault,', '};'), 'hmm.c': CALL });
    git(sub.root, 'init', '-q', '-b', 'main');
    git(sub.root, 'add', '-A');
    git(sub.root, 'commit', '-qm', 'sub');
    repo = makeTree({ 'drv/ok.c': CALL });
    git(repo.root, 'init', '-q', '-b', 'main');
    git(repo.root, 'submodule', '-q', 'add', sub.root, 'drv/vendor');
    git(repo.root, 'add', '-A');
    git(repo.root, 'commit', '-qm', 'with a submodule');
    // A nested repository that is no submodule: not in the commit, and left out of the working tree all the same.
    mkdirSync(path.join(repo.root, 'nested', '.git'), { recursive: true });
    writeFileSync(path.join(repo.root, 'nested', 'hmm.c'), CALL);
  });
  afterAll(() => {
    repo.remove();
    sub.remove();
  });

  const withoutTree = (s: Snapshot): string => serializeSnapshot({ ...s, tree: { root: '' } });

  it('are listed as not scanned, the same way from the working tree and from git objects', async () => {
    const working = (await runScan(repo.root, { profile: 'linux-hmm-generic' })).snapshot;
    const fromGit = (await runScan(repo.root, { profile: 'linux-hmm-generic', ref: 'HEAD' })).snapshot;
    const detail = 'a git submodule or nested repository: its files are not scanned with this tree (scan it on its own)';
    expect(fromGit.diagnostics.skipped).toEqual([{ file: 'drv/vendor', reason: 'submodule', detail }]);
    expect(working.diagnostics.skipped).toEqual([
      { file: 'drv/vendor', reason: 'submodule', detail },
      { file: 'nested', reason: 'submodule', detail }
    ]);
    // The nested repository aside (it is in no commit), the bytes are the same.
    working.diagnostics.skipped = working.diagnostics.skipped.filter((s) => s.file !== 'nested');
    expect(withoutTree(working)).toBe(withoutTree(fromGit));
    expect(working.facts.map((f) => f.file)).not.toContain('drv/vendor/hmm.c');
  });

  it('are scanned when scanned on their own', async () => {
    const { snapshot } = await runScan(path.join(repo.root, 'drv', 'vendor'), { profile: 'linux-hmm-generic' });
    expect(snapshot.diagnostics.skipped).toEqual([]);
    expect(snapshot.facts.map((f) => f.file)).toContain('hmm.c');
  });
});
