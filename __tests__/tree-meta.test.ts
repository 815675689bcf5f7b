// What a working-tree scan records about the git checkout it reads: the commit, the branch or tag, the folder's
// prefix and the remote without credentials; and nothing when the folder is not part of a commit.

import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WorkingTree } from '../src/source/tree.js';
import { makeTree, type TempTree } from './helpers/tree.js';

let repo: TempTree;
const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

const ceiling = process.env.GIT_CEILING_DIRECTORIES;

beforeAll(() => {
  // Temporary folders are never taken for part of a repository that happens to enclose the temp folder.
  process.env.GIT_CEILING_DIRECTORIES = os.tmpdir();
  repo = makeTree({ 'a.c': 'int a;\n', 'drivers/gpu/b.c': 'int b;\n' });
  git(repo.root, 'init', '-q', '-b', 'main');
  git(repo.root, 'add', '-A');
  git(repo.root, '-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-qm', 'tree');
  git(repo.root, 'remote', 'add', 'origin', 'https://user:secret-token@github.example/acme/driver.git');
  mkdirSync(path.join(repo.root, 'unpacked'));
  writeFileSync(path.join(repo.root, 'unpacked', 'c.c'), 'int c;\n');
});
afterAll(() => {
  repo.remove();
  if (ceiling === undefined) delete process.env.GIT_CEILING_DIRECTORIES;
  else process.env.GIT_CEILING_DIRECTORIES = ceiling;
});

describe('WorkingTree.meta', () => {
  it('records the commit, the branch and the remote without its credentials at the top of a checkout', async () => {
    const meta = await new WorkingTree(repo.root).meta();
    expect(meta.git).toEqual({
      commit: git(repo.root, 'rev-parse', 'HEAD'),
      ref: 'refs/heads/main',
      prefix: '',
      remote: 'https://github.example/acme/driver.git'
    });
  });

  it('records the prefix of a folder of the checkout', async () => {
    const meta = await new WorkingTree(path.join(repo.root, 'drivers', 'gpu')).meta();
    expect(meta.git).toMatchObject({ prefix: 'drivers/gpu/', ref: 'refs/heads/main' });
  });

  it('names the tag when the checkout is detached at one', async () => {
    const clone = makeTree({});
    try {
      git(clone.root, 'clone', '-q', repo.root, 'c');
      const dir = path.join(clone.root, 'c');
      git(dir, 'tag', 'v1.2');
      git(dir, 'checkout', '-q', '--detach');
      const meta = await new WorkingTree(dir).meta();
      expect(meta.git).toMatchObject({ ref: 'v1.2', prefix: '', commit: git(repo.root, 'rev-parse', 'HEAD') });
    } finally {
      clone.remove();
    }
  });

  it('records no commit for a folder that is not in it (links to that commit would lead nowhere)', async () => {
    const meta = await new WorkingTree(path.join(repo.root, 'unpacked')).meta();
    expect(meta.git).toBeUndefined();
    expect(meta.root).toBe(path.join(repo.root, 'unpacked').split(path.sep).join('/'));
  });

  it('records no commit outside a repository or on a branch with no commit yet', async () => {
    const plain = makeTree({ 'x.c': 'int x;\n' });
    const unborn = makeTree({ 'y.c': 'int y;\n' });
    try {
      git(unborn.root, 'init', '-q');
      expect((await new WorkingTree(plain.root).meta()).git).toBeUndefined();
      expect((await new WorkingTree(unborn.root).meta()).git).toBeUndefined();
    } finally {
      plain.remove();
      unborn.remove();
    }
  });

  // A folder with no `.git` above it is answered without starting git; git still finds one through a link.
  it('records the commit of a checkout reached through a symbolic link', async () => {
    const links = makeTree({});
    try {
      symlinkSync(path.join(repo.root, 'drivers'), path.join(links.root, 'drivers'));
      const meta = await new WorkingTree(path.join(links.root, 'drivers', 'gpu')).meta();
      expect(meta.git).toMatchObject({ prefix: 'drivers/gpu/', commit: git(repo.root, 'rev-parse', 'HEAD') });
    } finally {
      links.remove();
    }
  });
});
