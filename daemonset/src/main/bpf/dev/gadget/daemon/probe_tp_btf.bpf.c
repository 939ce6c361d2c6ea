// SPDX-License-Identifier: GPL-2.0
/*
 * Whether BTF tracepoint programs (tp_btf) load and attach on this node: they need the kernel's BTF.
 * Loaded and attached once at daemon start by HookProbe.java, then closed; never used by a gadget.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("tp_btf/sched_process_exec")
int BPF_PROG(probe, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
