/* Synthetic example written for hmm-watch tests; not real driver code. */
#ifndef _EXAMPLE_UVM_LINUX_H
#define _EXAMPLE_UVM_LINUX_H

#include <linux/mm.h>

    // The HMM code is built only when the kernel can mirror and migrate device-private memory.
    #if defined(CONFIG_HMM_MIRROR) && defined(CONFIG_DEVICE_PRIVATE) && defined(NV_MIGRATE_DEVICE_RANGE_PRESENT)
        #define UVM_IS_CONFIG_HMM() 1
    #else
        #define UVM_IS_CONFIG_HMM() 0
    #endif

#endif // _EXAMPLE_UVM_LINUX_H
