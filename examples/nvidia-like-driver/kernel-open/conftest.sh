#!/bin/sh
# Synthetic build probes for the example driver: each case compiles a tiny test against the kernel headers and
# prints a define when the feature is there.

compile_check() {
    # $1: name of the define, $2: test program
    echo "$2" > conftest$$.c
    if $CC $CFLAGS -c conftest$$.c -o conftest$$.o > /dev/null 2>&1; then
        echo "#define $1"
    else
        echo "#undef $1"
    fi
    rm -f conftest$$.c conftest$$.o
}

case "$1" in
    pagemap_ops_has_folio_free)
        compile_check NV_PAGEMAP_OPS_HAS_FOLIO_FREE "#include <linux/memremap.h>
int t(void) { struct dev_pagemap_ops ops = { .folio_free = 0 }; return 0; }"
    ;;
    migrate_device_range)
        # Needed by UVM_IS_CONFIG_HMM(): device memory is evicted with migrate_device_range().
        compile_check NV_MIGRATE_DEVICE_RANGE_PRESENT "#include <linux/migrate.h>
int t(void) { return migrate_device_range(0, 0, 0); }"
    ;;
    make_device_exclusive)
        compile_check NV_MAKE_DEVICE_EXCLUSIVE_PRESENT "#include <linux/rmap.h>
void *t = make_device_exclusive;"
        compile_check NV_MAKE_DEVICE_EXCLUSIVE_RANGE_PRESENT "#include <linux/rmap.h>
void *t = make_device_exclusive_range;"
    ;;
    mmu_notifier_ops_arch_invalidate_secondary_tlbs)
        compile_check NV_MMU_NOTIFIER_OPS_HAS_ARCH_INVALIDATE_SECONDARY_TLBS "#include <linux/mmu_notifier.h>
int t(void) { struct mmu_notifier_ops o = { .arch_invalidate_secondary_tlbs = 0 }; return 0; }"
    ;;
esac
