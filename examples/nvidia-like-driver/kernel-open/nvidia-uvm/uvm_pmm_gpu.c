/* Synthetic example written for hmm-watch tests; not real driver code. */
#include "uvm_hmm.h"

#if UVM_IS_CONFIG_HMM()

#include <linux/memremap.h>
#include <linux/migrate.h>

struct example_devmem
{
    struct dev_pagemap pagemap;
    unsigned long pfn_first;
    unsigned long npages;
};

#if defined(NV_PAGEMAP_OPS_HAS_FOLIO_FREE)
static void devmem_folio_free(struct folio *folio)
{
    folio_zero_range(folio, 0, folio_size(folio));
}
#else
static void devmem_page_free(struct page *page)
{
    clear_highpage(page);
}
#endif

static vm_fault_t devmem_fault(struct vm_fault *vmf)
{
    // A CPU touched a page in GPU memory: migrate it back to system RAM.
    return example_fault_to_ram(vmf) ? VM_FAULT_SIGBUS : 0;
}

static const struct dev_pagemap_ops example_devmem_ops =
{
#if defined(NV_PAGEMAP_OPS_HAS_FOLIO_FREE)
    .folio_free = devmem_folio_free,
#else
    .page_free = devmem_page_free,
#endif
    .migrate_to_ram = devmem_fault,
};

// Coherent device memory needs no migrate_to_ram: the CPU can read it in place.
static const struct dev_pagemap_ops example_coherent_ops =
{
#if defined(NV_PAGEMAP_OPS_HAS_FOLIO_FREE)
    .folio_free = devmem_folio_free,
#else
    .page_free = devmem_page_free,
#endif
};

int example_devmem_register(struct device *dev, struct example_devmem *devmem, bool coherent)
{
    void *addr;

    devmem->pagemap.type = coherent ? MEMORY_DEVICE_COHERENT : MEMORY_DEVICE_PRIVATE;
    devmem->pagemap.ops = coherent ? &example_coherent_ops : &example_devmem_ops;
    devmem->pagemap.nr_range = 1;

    addr = devm_memremap_pages(dev, &devmem->pagemap);
    return IS_ERR(addr) ? PTR_ERR(addr) : 0;
}

// Before the GPU goes away, every device-private page goes back to system RAM.
void example_devmem_evict_all(struct example_devmem *devmem, unsigned long *src, unsigned long *dst)
{
    migrate_device_range(src, devmem->pfn_first, devmem->npages);
    example_copy_to_ram(src, dst, devmem->npages);
    migrate_device_pages(src, dst, devmem->npages);
    migrate_device_finalize(src, dst, devmem->npages);
}

#endif // UVM_IS_CONFIG_HMM()
