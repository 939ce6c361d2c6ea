// SPDX-License-Identifier: GPL-2.0
/*
 * Whether perf_event programs (profile gadgets' samplers) load on this node.
 * Loaded once at daemon start by HookProbe.java, then closed; never used by a gadget.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("perf_event")
int probe(struct bpf_perf_event_data *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
