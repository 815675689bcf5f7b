/* Synthetic example written for hmm-watch tests; not real driver code. */
#include "uvm_hmm.h"

#ifdef NVCPU_X86_64
static bool uvm_disable_hmm = false;
MODULE_PARM_DESC(uvm_disable_hmm, "Turn HMM off. Default: false (HMM on when the build supports it).");
#else
// TODO: Bug 3999001: HMM: not validated on this CPU architecture yet, so it starts off here.
static bool uvm_disable_hmm = true;
MODULE_PARM_DESC(uvm_disable_hmm, "Turn HMM off. Default: true on this CPU architecture.");
#endif
module_param(uvm_disable_hmm, bool, 0444);

#if UVM_IS_CONFIG_HMM()

#include <linux/hmm.h>
#include <linux/migrate.h>

bool uvm_hmm_is_enabled(struct example_va_space *va_space)
{
    return !uvm_disable_hmm && !va_space->hmm.disable;
}

static bool example_invalidate(struct mmu_interval_notifier *mni,
                               const struct mmu_notifier_range *range,
                               unsigned long cur_seq)
{
    mmu_interval_set_seq(mni, cur_seq);
    return true;
}

static const struct mmu_interval_notifier_ops example_notifier_ops =
{
    .invalidate = example_invalidate,
};

int example_mirror_range(struct example_va_space *va_space, struct mmu_interval_notifier *mni,
                         unsigned long start, unsigned long end, unsigned long *pfns)
{
    struct hmm_range range = { .notifier = mni, .start = start, .end = end, .hmm_pfns = pfns };
    int ret;

    ret = mmu_interval_notifier_insert(mni, va_space->mm, start, end - start, &example_notifier_ops);
    if (ret)
        return ret;

    do {
        range.notifier_seq = mmu_interval_read_begin(mni);
        ret = hmm_range_fault(&range);
    } while (ret == -EBUSY || mmu_interval_read_retry(mni, range.notifier_seq));

    return ret;
}

// Moving a range to the GPU. Note: the device-private pages are evicted elsewhere with
// migrate_device_range(), which is a kernel function this driver calls, not a callback.
int example_migrate_to_gpu(struct migrate_vma *args)
{
    int ret = migrate_vma_setup(args);

    if (ret)
        return ret;
    migrate_vma_pages(args);
    migrate_vma_finalize(args);
    return 0;
}

#if defined(NV_MAKE_DEVICE_EXCLUSIVE_PRESENT)
    static int example_make_exclusive(struct mm_struct *mm, unsigned long addr, struct page **page)
    {
        *page = make_device_exclusive(mm, addr, NULL, NULL);
        return *page ? 0 : -EBUSY;
    }
#elif defined(NV_MAKE_DEVICE_EXCLUSIVE_RANGE_PRESENT)
    static int example_make_exclusive(struct mm_struct *mm, unsigned long addr, struct page **page)
    {
        return make_device_exclusive_range(mm, addr, addr + PAGE_SIZE, page, NULL);
    }
#else
    #error "example driver: no way to make pages device-exclusive"
#endif

int example_atomic(struct mm_struct *mm, unsigned long addr)
{
    struct page *page;

    return example_make_exclusive(mm, addr, &page);
}

void example_hmm_va_space_init(struct example_va_space *va_space)
{
    pr_debug("example: HMM address space ready (see migrate_device_range() for eviction)\n");
}

void example_hmm_va_space_init_test(struct example_va_space *va_space)
{
    // Tests can turn HMM off for one address space.
    va_space->hmm.disable = true;
}

#endif // UVM_IS_CONFIG_HMM()
