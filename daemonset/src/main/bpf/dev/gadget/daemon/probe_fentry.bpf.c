// SPDX-License-Identifier: GPL-2.0
/*
 * Whether fentry programs work on this node (they need BPF trampolines, and lockdown allowing them).
 * Loaded and attached once at daemon start by HookProbe.java, then closed; never used by a gadget.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("fentry/do_nanosleep")
int BPF_PROG(probe)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
