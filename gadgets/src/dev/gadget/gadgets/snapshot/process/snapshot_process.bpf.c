// SPDX-License-Identifier: GPL-2.0
/*
 * snapshot process: every process (or every thread) there is, from a task iterator. Each record is
 * read from the iterated task itself, its container filter applied to the task's own cgroup.
 * Mirrored by ProcessRecordDecoder.java; ProcessRecordLayoutTest checks the offsets against this file's BTF.
 */
#include "gadget.h"

const volatile bool with_threads = false;

struct process_record {
	__u64 start_boottime; /* CLOCK_BOOTTIME of the task's start */
	__u64 mntns_id;
	__u64 cgroup_id;
	__u32 pid;  /* tgid */
	__u32 tid;
	__u32 ppid; /* tgid of the real parent */
	__u32 uid;  /* real ids, as the init user namespace numbers them */
	__u32 gid;
	__u32 state;      /* task->__state */
	__u32 exit_state; /* EXIT_ZOMBIE, EXIT_DEAD or 0 */
	__u32 threads;    /* threads of its process */
	char comm[GADGET_COMM_LEN];
};

SEC("iter/task")
int snapshot_process(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct process_record r = {};

	if (!task)
		return 0;
	if (!with_threads && task->pid != task->tgid)
		return 0;
	r.cgroup_id = gadget_task_cgroup_id(task);
	if (!gadget_should_trace_cgroup(r.cgroup_id))
		return 0;
	r.start_boottime = task->start_boottime;
	r.mntns_id = gadget_mntns_id(task);
	r.pid = task->tgid;
	r.tid = task->pid;
	r.ppid = BPF_CORE_READ(task, real_parent, tgid);
	r.uid = BPF_CORE_READ(task, real_cred, uid.val);
	r.gid = BPF_CORE_READ(task, real_cred, gid.val);
	r.state = task->__state;
	r.exit_state = task->exit_state;
	r.threads = BPF_CORE_READ(task, signal, nr_threads);
	bpf_probe_read_kernel_str(r.comm, sizeof(r.comm), task->comm);
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
