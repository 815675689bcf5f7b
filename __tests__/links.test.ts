// Evidence links (src/report/links.ts): a link is built only from parts that pass the checks, and only to a
// repository the workflow names; a snapshot from an untrusted run gets no link rather than a wrong one.
import { describe, expect, it } from '@jest/globals';
import { isCommitId, isRepository, lineLink, linkBuilder, linkTargetFor, repositoryFromRemote } from '../src/report/links.js';

const SERVER = 'https://github.com';
const SHA1 = 'a'.repeat(40);
const SHA256 = 'b'.repeat(64);
const REPO = 'acme/driver';

describe('commit ids and repository names', () => {
  it('accepts a full SHA-1 or SHA-256 commit id, lower-case hex, and nothing else', () => {
    expect(isCommitId(SHA1)).toBe(true);
    expect(isCommitId(SHA256)).toBe(true);
    expect(isCommitId('0123456789abcdef'.repeat(4).slice(0, 40))).toBe(true);
    for (const bad of [
      'a'.repeat(39),
      'a'.repeat(41),
      'a'.repeat(63),
      'a'.repeat(65),
      'A'.repeat(40),
      `${'a'.repeat(39)}g`,
      `x${SHA1}`,
      `${SHA1}\n`,
      'main',
      ''
    ]) {
      expect([bad, isCommitId(bad)]).toEqual([bad, false]);
    }
  });

  it('accepts owner/name as GitHub allows them', () => {
    for (const good of ['a/b', 'NVIDIA/open-gpu-kernel-modules', 'a-b-c/x.y_z', `${'o'.repeat(39)}/n`, `o/${'n'.repeat(100)}`, 'o9/.github', 'o/...']) {
      expect([good, isRepository(good)]).toEqual([good, true]);
    }
  });

  it('refuses a repository that is not owner/name', () => {
    for (const bad of [
      '',
      'a',
      'a/',
      '/b',
      'a/b/c',
      '-a/b', // owner starts with a hyphen
      'a-/b', // ends with one
      'a--b/c', // two in a row
      `${'o'.repeat(40)}/n`, // owner over 39
      `o/${'n'.repeat(101)}`, // name over 100
      'o/.',
      'o/..',
      'o/n m',
      'o/n?x',
      'o_o/n',
      'o/n\n',
      ' o/n'
    ]) {
      expect([bad, isRepository(bad)]).toEqual([bad, false]);
    }
  });
});

describe('repositoryFromRemote', () => {
  it('reads owner/name from https, ssh and scp-like remotes of the server', () => {
    for (const url of [
      'https://github.com/acme/driver',
      'https://github.com/acme/driver.git',
      'https://github.com/acme/driver/',
      'http://github.com/acme/driver',
      'ssh://git@github.com/acme/driver.git',
      'ssh://git@github.com:acme/driver.git',
      'git@github.com:acme/driver.git',
      'git@github.com:acme/driver'
    ]) {
      expect([url, repositoryFromRemote(url, SERVER)]).toEqual([url, REPO]);
    }
    expect(repositoryFromRemote('https://ghe.example.com/acme/driver.git', 'https://ghe.example.com/')).toBe(REPO);
  });

  it('gives nothing for another server, a look-alike host or a path that is not owner/name', () => {
    for (const url of [
      'https://gitlab.com/acme/driver.git',
      'https://githubXcom/acme/driver.git', // the dot of the host is literal
      'https://github.com.evil.example/acme/driver',
      'https://evil.example/github.com/acme/driver',
      'git@githubXcom:acme/driver.git',
      'git@github.com.evil.example:acme/driver.git',
      'ftp://github.com/acme/driver',
      'https://github.com/acme/driver/tree/main',
      'https://github.com/acme',
      ' https://github.com/acme/driver',
      'file:///srv/git@github.com:acme/driver.git'
    ]) {
      expect([url, repositoryFromRemote(url, SERVER)]).toEqual([url, undefined]);
    }
  });
});

describe('lineLink', () => {
  it('links a line of a file at a commit, under the path prefix, each segment percent-encoded', () => {
    expect(lineLink(SERVER, REPO, SHA1, 'kernel-open/uvm.c', 12)).toBe(`${SERVER}/${REPO}/blob/${SHA1}/kernel-open/uvm.c#L12`);
    expect(lineLink(`${SERVER}/`, REPO, SHA256, 'x.c', 1, 'drivers/gpu/')).toBe(`${SERVER}/${REPO}/blob/${SHA256}/drivers/gpu/x.c#L1`);
    expect(lineLink(SERVER, REPO, SHA1, "a b/(x)!'*#?%.c", 3)).toBe(`${SERVER}/${REPO}/blob/${SHA1}/a%20b/%28x%29%21%27%2A%23%3F%25.c#L3`);
    expect(lineLink(SERVER, REPO, SHA1, 'x.c', Number.MAX_SAFE_INTEGER)).toBe(`${SERVER}/${REPO}/blob/${SHA1}/x.c#L${Number.MAX_SAFE_INTEGER}`);
  });

  it('refuses a bad repository, commit or line', () => {
    expect(lineLink(SERVER, 'acme/driver/x', SHA1, 'x.c', 1)).toBeUndefined();
    expect(lineLink(SERVER, REPO, 'main', 'x.c', 1)).toBeUndefined();
    for (const line of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect([line, lineLink(SERVER, REPO, SHA1, 'x.c', line)]).toEqual([line, undefined]);
    }
  });

  it('refuses a path that is empty, not normalised, too long or holds a backslash or a control character', () => {
    for (const file of [
      '',
      '/x.c',
      'x.c/',
      'a//x.c',
      './x.c',
      'a/./x.c',
      '../x.c',
      'a/../x.c',
      'a/..',
      'a\\x.c',
      'a\u0000.c',
      'a\n.c',
      'a\u001f.c',
      'a\u007f.c'
    ]) {
      expect([file, lineLink(SERVER, REPO, SHA1, file, 1)]).toEqual([file, undefined]);
    }
    const long = `${'d/'.repeat(2047)}xy`; // 4096 characters
    expect(lineLink(SERVER, REPO, SHA1, long, 1)).toBe(`${SERVER}/${REPO}/blob/${SHA1}/${long}#L1`);
    expect(lineLink(SERVER, REPO, SHA1, `${long}z`, 1)).toBeUndefined();
    // Characters a path may hold are kept (encoded).
    expect(lineLink(SERVER, REPO, SHA1, 'a\u0080\u00e9.c', 1)).toBe(`${SERVER}/${REPO}/blob/${SHA1}/a%C2%80%C3%A9.c#L1`);
  });

  it('refuses a prefix that is not empty or normalised folders ending in /', () => {
    for (const prefix of ['drivers', '/', '//', '/drivers/', 'a//', './', '../', 'a/../', 'a\\b/']) {
      expect([prefix, lineLink(SERVER, REPO, SHA1, 'x.c', 1, prefix)]).toEqual([prefix, undefined]);
    }
    expect(lineLink(SERVER, REPO, SHA1, 'x.c', 1, 'a/b/')).toBe(`${SERVER}/${REPO}/blob/${SHA1}/a/b/x.c#L1`);
  });

  it('is what linkBuilder builds for its target', () => {
    const links = linkBuilder({ server: SERVER, repository: REPO, sha: SHA1, prefix: 'p/' });
    expect(links('x.c', 5)).toBe(`${SERVER}/${REPO}/blob/${SHA1}/p/x.c#L5`);
    expect(links('../x.c', 5)).toBeUndefined();
  });
});

describe('linkTargetFor', () => {
  const tree = (git?: { commit: string; prefix: string; remote?: string }) => ({ root: '.', ...(git ? { git } : {}) });
  const opts = { server: SERVER, workflowRepository: 'me/watcher', trustTree: true };

  it('needs a valid commit: the given ref, else the tree commit', () => {
    expect(linkTargetFor(tree(), opts)).toBeUndefined();
    expect(linkTargetFor(tree({ commit: 'HEAD', prefix: '' }), opts)).toBeUndefined();
    expect(linkTargetFor(tree({ commit: SHA1, prefix: '' }), { ...opts, sourceRef: 'main' })).toBeUndefined();
    expect(linkTargetFor(tree(), { ...opts, sourceRef: SHA256 })).toEqual({ server: SERVER, repository: 'me/watcher', sha: SHA256, prefix: '' });
    expect(linkTargetFor(tree({ commit: SHA1, prefix: '' }), { ...opts, sourceRef: '' })).toMatchObject({ sha: SHA1 });
  });

  it('takes the given repository, else a trusted tree remote on the server, else the workflow repository', () => {
    const git = { commit: SHA1, prefix: 'sub/', remote: 'git@github.com:acme/driver.git' };
    expect(linkTargetFor(tree(git), { ...opts, sourceRepository: 'other/fork' })).toEqual({
      server: SERVER,
      repository: 'other/fork',
      sha: SHA1,
      prefix: 'sub/'
    });
    expect(linkTargetFor(tree(git), opts)).toEqual({ server: SERVER, repository: REPO, sha: SHA1, prefix: 'sub/' });
    // A remote on another server says nothing: the workflow's repository is used.
    expect(linkTargetFor(tree({ ...git, remote: 'https://gitlab.com/acme/driver.git' }), opts)).toMatchObject({ repository: 'me/watcher' });
    expect(linkTargetFor(tree({ commit: SHA1, prefix: '' }), opts)).toMatchObject({ repository: 'me/watcher' });
    expect(linkTargetFor(tree({ commit: SHA1, prefix: '' }), { ...opts, workflowRepository: undefined })).toBeUndefined();
    expect(linkTargetFor(tree({ commit: SHA1, prefix: '' }), { ...opts, sourceRepository: 'not a repo' })).toBeUndefined();
    expect(linkTargetFor(tree({ commit: SHA1, prefix: '' }), { ...opts, workflowRepository: 'me/watcher/x' })).toBeUndefined();
  });

  it('never takes the repository from an untrusted tree: its remote only confirms the workflow repository', () => {
    const untrusted = { ...opts, workflowRepository: 'Acme/Driver', trustTree: false };
    const git = { commit: SHA1, prefix: '', remote: 'https://github.com/acme/driver.git' };
    expect(linkTargetFor(tree(git), untrusted)).toEqual({ server: SERVER, repository: 'Acme/Driver', sha: SHA1, prefix: '' });
    expect(linkTargetFor(tree({ ...git, remote: 'https://github.com/evil/repo.git' }), untrusted)).toBeUndefined();
    expect(linkTargetFor(tree({ ...git, remote: 'https://gitlab.com/acme/driver.git' }), untrusted)).toBeUndefined();
    expect(linkTargetFor(tree({ ...git, remote: 'https://github.com/acme/driver.git' }), { ...untrusted, workflowRepository: undefined })).toBeUndefined();
    // Without a remote, the workflow's repository is all there is.
    expect(linkTargetFor(tree({ commit: SHA1, prefix: '' }), untrusted)).toMatchObject({ repository: 'Acme/Driver' });
    // A given repository is the workflow's own word.
    expect(linkTargetFor(tree({ ...git, remote: 'https://github.com/evil/repo.git' }), { ...untrusted, sourceRepository: REPO })).toMatchObject({
      repository: REPO
    });
  });

  it('refuses a path prefix that is not normalised', () => {
    expect(linkTargetFor(tree({ commit: SHA1, prefix: '../' }), opts)).toBeUndefined();
    expect(linkTargetFor(tree({ commit: SHA1, prefix: 'a' }), opts)).toBeUndefined();
    expect(linkTargetFor(tree({ commit: SHA1, prefix: 'a/../' }), opts)).toBeUndefined();
    expect(linkTargetFor(tree({ commit: SHA1, prefix: 'a//' }), opts)).toBeUndefined();
    expect(linkTargetFor(tree({ commit: SHA1, prefix: 'a/b/' }), opts)).toMatchObject({ prefix: 'a/b/' });
  });
});
