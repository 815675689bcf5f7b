/* Synthetic example written for hmm-watch tests; not real driver code. */
#ifndef _EXAMPLE_UVM_HMM_H
#define _EXAMPLE_UVM_HMM_H

#include "uvm_linux.h"

typedef struct
{
    // Range tree of the blocks this address space mirrors.
    struct rb_root blocks;

    // Set to turn HMM off for one address space (tests only).
    bool disable;
} uvm_hmm_va_space_t;

struct example_va_space
{
    uvm_hmm_va_space_t hmm;
    struct mm_struct *mm;
};

bool uvm_hmm_is_enabled(struct example_va_space *va_space);

#endif // _EXAMPLE_UVM_HMM_H
