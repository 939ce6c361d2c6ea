// SPDX-License-Identifier: GPL-2.0
/*
 * Whether BPF iterators load, attach and run on this node (snapshot gadgets use them).
 * Loaded, attached and read once at daemon start by HookProbe.java, then closed; never used by a gadget.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("iter/task")
int probe(struct bpf_iter__task *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
