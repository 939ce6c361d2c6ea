// SPDX-License-Identifier: GPL-2.0
/*
 * Whether raw tracepoint programs load and attach on this node.
 * Loaded and attached once at daemon start by HookProbe.java, then closed; never used by a gadget.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("raw_tp/sched_process_exec")
int probe(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
