// SPDX-License-Identifier: GPL-2.0
/*
 * Whether kprobes work on this node (they need a kernel built with CONFIG_KPROBES).
 * Loaded and attached once at daemon start by HookProbe.java, then closed; never used by a gadget.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("kprobe/do_nanosleep")
int probe(struct pt_regs *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
