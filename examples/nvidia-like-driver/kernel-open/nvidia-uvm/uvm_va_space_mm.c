/* Synthetic example written for hmm-watch tests; not real driver code. */
#include "uvm_hmm.h"
#include <linux/mmu_notifier.h>

static void example_mm_release(struct mmu_notifier *mn, struct mm_struct *mm)
{
    example_stop_gpu_work(mn);
}

static int example_range_start(struct mmu_notifier *mn, const struct mmu_notifier_range *range)
{
    return 0;
}

static void example_range_end(struct mmu_notifier *mn, const struct mmu_notifier_range *range)
{
}

static void example_invalidate_tlbs(struct mmu_notifier *mn, struct mm_struct *mm,
                                    unsigned long start, unsigned long end)
{
    example_flush_gpu_tlb(mn, start, end);
}

static const struct mmu_notifier_ops example_mm_notifier_ops =
{
    .release = example_mm_release,
    .invalidate_range_start = example_range_start,
    .invalidate_range_end = example_range_end,
#if defined(NV_MMU_NOTIFIER_OPS_HAS_ARCH_INVALIDATE_SECONDARY_TLBS)
    .arch_invalidate_secondary_tlbs = example_invalidate_tlbs,
#else
    .invalidate_range = example_invalidate_tlbs,
#endif
};

int example_va_space_mm_register(struct mmu_notifier *mn, struct mm_struct *mm)
{
    mn->ops = &example_mm_notifier_ops;
    return mmu_notifier_register(mn, mm);
}
