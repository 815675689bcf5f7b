// A driver that gets HMM through the DRM GPU SVM and pagemap helpers (as xe does from Linux 6.15) reads as having
// it, with the helper named as the way.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runScan } from '../src/scan/run.js';
import type { Snapshot } from '../src/snapshot/snapshot.js';
import { lines, makeTree, type TempTree } from './helpers/tree.js';

let tree: TempTree;
let snapshot: Snapshot;
beforeAll(async () => {
  tree = makeTree({
    'drivers/gpu/drm/vdrv/vdrv_svm.c': lines(
      'static const struct drm_gpusvm_ops svm_ops = {', // 1
      '\t.range_alloc = vdrv_range_alloc,', // 2
      '\t.invalidate = vdrv_invalidate,', // 3
      '};', // 4
      'int vdrv_svm_init(struct vdrv_vm *vm)', // 5
      '{', // 6
      '\treturn drm_gpusvm_init(&vm->gpusvm, "vdrv", vm->drm, current->mm, vm, 0, vm->size, SZ_512M, &svm_ops, sizes, 3);', // 7
      '}', // 8
      'int vdrv_get_pages(struct vdrv_vm *vm, struct drm_gpusvm_range *r, struct drm_gpusvm_ctx *ctx)', // 9
      '{', // 10
      '\treturn drm_gpusvm_range_get_pages(&vm->gpusvm, r, ctx);', // 11
      '}', // 12
      'int vdrv_devm_add(struct vdrv_region *vr, struct device *dev)', // 13
      '{', // 14
      '\tvr->pagemap.type = MEMORY_DEVICE_PRIVATE;', // 15
      '\tvr->pagemap.ops = drm_pagemap_pagemap_ops_get();', // 16
      '\treturn PTR_ERR_OR_ZERO(devm_memremap_pages(dev, &vr->pagemap));', // 17
      '}', // 18
      'int vdrv_evict(struct vdrv_bo *bo)', // 19
      '{', // 20
      '\treturn drm_pagemap_evict_to_ram(&bo->devmem);', // 21
      '}' // 22
    )
  });
  snapshot = (await runScan(tree.root, { profile: 'linux-hmm-generic' })).snapshot;
});
afterAll(() => tree.remove());

describe('the DRM GPU SVM era', () => {
  it.each([
    ['interval-notifier', /drm_gpusvm_ops/, 3],
    ['migrate-to-ram', /drm_pagemap_pagemap_ops_get\(\)/, 16],
    ['page-free', /drm_pagemap_pagemap_ops_get\(\)/, 16],
    ['hmm-range-fault', /drm_gpusvm_range_get_pages\(\)/, 11],
    ['migrate-device-range', /drm_pagemap_evict_to_ram\(\)/, 21]
  ])('%s is enabled through the helpers, which the reason names', (id, helper, line) => {
    const c = snapshot.capabilities.find((x) => x.id === id)!;
    expect(c.status).toBe('enabled');
    expect(c.because).toMatch(helper);
    expect(c.evidence[0]).toEqual(expect.objectContaining({ file: 'drivers/gpu/drm/vdrv/vdrv_svm.c', line }));
  });

  it('device-memory registration and the helpers no longer contradict each other', () => {
    expect(snapshot.capabilities.find((x) => x.id === 'device-memory-registered')!.status).toBe('enabled');
  });
});
