// SPDX-License-Identifier: GPL-2.0
/* For BpfObject.testRun: a program run on demand, not attached anywhere, that counts its runs. */
#include "gadget.h"

__u64 runs;

SEC("raw_tp")
int count_runs(void *ctx)
{
	return ++runs;
}
