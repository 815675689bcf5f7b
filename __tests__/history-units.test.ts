// Release history per driver unit: in a tree with several units, the history names the unit whose capability
// changed and the release where it did ("vdrv: device-exclusive gained in v2").

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildHistory, type History } from '../src/history/history.js';
import { renderHistory } from '../src/report/history-markdown.js';
import { lines, makeTree, type TempTree } from './helpers/tree.js';

let repo: TempTree;
let history: History;
const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo.root, encoding: 'utf8' }).trim();

function release(tag: string, files: Record<string, string>): void {
  for (const [f, t] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(repo.root, f)), { recursive: true });
    writeFileSync(path.join(repo.root, f), t);
  }
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-qm', tag);
  git('tag', tag);
}

const driver = (...body: string[]) => lines('int vdrv_fault(struct hmm_range *r)', '{', ...body, '\treturn hmm_range_fault(r);', '}');

beforeAll(async () => {
  repo = makeTree({});
  git('init', '-q', '-b', 'main');
  release('v1', {
    'drivers/vdrv/Makefile': lines('obj-$(CONFIG_VDRV) += vdrv.o', 'vdrv-y := vdrv_svm.o'),
    'drivers/vdrv/vdrv_svm.c': driver(),
    'lib/Makefile': lines('obj-$(CONFIG_TEST_HMM) += test_hmm.o'),
    'lib/test_hmm.c': lines('int dmirror(void *p)', '{', '\treturn make_device_exclusive(p) != 0 || hmm_range_fault(p);', '}')
  });
  release('v2', { 'drivers/vdrv/vdrv_svm.c': driver('\tmake_device_exclusive(r->mm);') });
  history = await buildHistory(repo.root, { profile: 'linux-hmm-generic', glob: 'v*' });
});
afterAll(() => repo.remove());

describe('history per unit', () => {
  it('records the unit, the capability and the release where it changed', () => {
    expect(history.units).toEqual([
      expect.objectContaining({ unit: 'vdrv', capability: 'device-exclusive', tag: 'v2', parent: 'v1', from: 'absent', to: 'enabled', direction: 'changed' })
    ]);
    // The tree-wide row did not move: the self-test had it already.
    expect(history.capabilities.find((c) => c.id === 'device-exclusive')!.transitions).toEqual([]);
  });

  it('says it in the report', () => {
    expect(renderHistory(history)).toContain('- vdrv: device-exclusive gained in <code>v2</code> (absent → enabled, from <code>v1</code>)');
  });
});
