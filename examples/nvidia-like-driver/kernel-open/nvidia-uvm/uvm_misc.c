/* Synthetic example written for hmm-watch tests; not real driver code. */
#include <linux/kernel.h>

// Nothing here concerns HMM: this file is listed but never parsed.
int example_clamp(int value, int low, int high)
{
    if (value < low)
        return low;
    return value > high ? high : value;
}
