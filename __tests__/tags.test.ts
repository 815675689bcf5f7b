// Release tags as the user names them: a picomatch glob selects the same releases for the history and for a
// tag's baseline, a tag that points to no commit is left out with a note, and no tag name reaches git as an option.

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { previousTag } from '../src/baseline.js';
import { releaseTags } from '../src/history/tags.js';
import { lines, makeTree, type TempTree } from './helpers/tree.js';

let repo: TempTree;
let day = 0;
const git = (...args: string[]): string => {
  const date = `2026-02-${String(++day).padStart(2, '0')}T12:00:00Z`;
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], {
    cwd: repo.root,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }
  }).trim();
};
function commit(tag: string): void {
  writeFileSync(path.join(repo.root, 'a.c'), lines(`int v_${tag.replace(/\W/g, '_')};`));
  git('add', '-A');
  git('commit', '-qm', tag);
  // update-ref: `git tag` refuses a name that starts with '-', a pushed ref may still have one.
  git('update-ref', `refs/tags/${tag}`, 'HEAD');
}

beforeAll(() => {
  repo = makeTree({});
  git('init', '-q', '-b', 'main');
  commit('1.0');
  commit('1.1');
  commit('--dirty=zz');
  commit('1.2');
});
afterAll(() => repo.remove());

const edges = (tags: Array<{ tag: string; parent?: string }>): Array<[string, string | null]> => tags.map((t) => [t.tag, t.parent ?? null]);

describe('release tags', () => {
  it('select releases with a brace glob, and follow the graph through the tags it leaves out', async () => {
    const { tags } = await releaseTags(repo.root, '{1.0,1.2}');
    expect(edges(tags)).toEqual([
      ['1.0', null],
      ['1.2', '1.0']
    ]);
    expect(await previousTag(repo.root, '1.2', '{1.0,1.2}')).toEqual({ tag: '1.0', sha: git('rev-parse', '1.0^{commit}') });
    // Fewer releases than other tags (git is then given the releases to match), and none at all.
    expect(await previousTag(repo.root, '1.2', '1.0')).toMatchObject({ tag: '1.0' });
    expect(await previousTag(repo.root, '1.2', 'nothing-matches')).toBeUndefined();
  });

  it('never hand a tag name to git where it reads as an option', async () => {
    const { tags } = await releaseTags(repo.root, '*');
    expect(edges(tags)).toEqual([
      ['1.0', null],
      ['1.1', '1.0'],
      ['--dirty=zz', '1.1'],
      ['1.2', '--dirty=zz']
    ]);
    expect(await previousTag(repo.root, '--dirty=zz')).toEqual({ tag: '1.1', sha: git('rev-parse', 'refs/tags/1.1^{commit}') });
  });

  it('leave out a tag that points to a blob or a tree, with a note, and go on', async () => {
    const blob = git('hash-object', '-w', 'a.c');
    git('tag', '1.5-blob', blob);
    git('tag', '-a', '-m', 'a tree', '1.6-tree', 'HEAD^{tree}');
    try {
      const { tags, notes } = await releaseTags(repo.root, '1.*');
      expect(edges(tags)).toEqual([
        ['1.0', null],
        ['1.1', '1.0'],
        ['1.2', '1.1']
      ]);
      expect(notes).toEqual(["2 tag(s) matching '1.*' left out: they point to a tree, a blob or another tag, not a commit (1.5-blob, 1.6-tree)"]);
      expect(await previousTag(repo.root, '1.2', '1.*')).toMatchObject({ tag: '1.1' });
    } finally {
      git('tag', '-d', '1.5-blob', '1.6-tree');
    }
  });
});
