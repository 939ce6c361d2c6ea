// SPDX-License-Identifier: GPL-2.0
/*
 * snapshot process: every process (or every thread) there is. One run of this program (through
 * BPF_PROG_TEST_RUN) walks the kernel's own list of processes from the idle task at its head, and
 * each process's list of threads, under the RCU read lock the run holds, and puts a record per task
 * in the ring. A task iterator (iter/task) would be simpler but lists only the tasks of the reader's
 * pid namespace: in a pod without hostPID, the pod's own processes. Each record is read from the task
 * itself, its container filter applied to the task's own cgroup.
 * Mirrored by ProcessRecordDecoder.java; ProcessRecordLayoutTest checks the offsets against this file's BTF.
 */
#include "gadget.h"

#define MAX_PROCESSES (1 << 22) /* pid_max's limit */
#define MAX_THREADS (1 << 22)
#define MAX_ANCESTORS 4096      /* depth of the process tree from the caller up to the idle task */

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

/* Kernels before 6.7 chain a process's threads through thread_group instead of thread_node. */
struct task_struct___old {
	struct list_head thread_group;
} __attribute__((preserve_access_index));

/*
 * Not inlined: as a function's parameter struct process_record stays in the object's BTF, where
 * ProcessRecordLayoutTest reads it.
 */
static __noinline void record(struct task_struct *task, struct process_record *r)
{
	r->cgroup_id = gadget_task_cgroup_id(task);
	r->start_boottime = BPF_CORE_READ(task, start_boottime);
	r->mntns_id = gadget_mntns_id(task);
	r->pid = BPF_CORE_READ(task, tgid);
	r->tid = BPF_CORE_READ(task, pid);
	r->ppid = BPF_CORE_READ(task, real_parent, tgid);
	r->uid = BPF_CORE_READ(task, real_cred, uid.val);
	r->gid = BPF_CORE_READ(task, real_cred, gid.val);
	r->state = BPF_CORE_READ(task, __state);
	r->exit_state = BPF_CORE_READ(task, exit_state);
	r->threads = BPF_CORE_READ(task, signal, nr_threads);
	BPF_CORE_READ_STR_INTO(&r->comm, task, comm);
}

static __always_inline void emit(struct task_struct *task)
{
	struct process_record *r;

	if (!gadget_should_trace_cgroup(gadget_task_cgroup_id(task)))
		return;
	r = gadget_reserve(sizeof(*r));
	if (!r)
		return;
	__builtin_memset(r, 0, sizeof(*r));
	record(task, r);
	/* Nobody waits for these: user space drains the ring once the run returns. */
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
}

/* Read through locals, never w->...: inside BPF_CORE_READ our own struct would get CO-RE relocations too. */
struct walk {
	struct task_struct *head; /* where the list starts and ends */
	struct task_struct *task;
	struct list_head *threads; /* a process's thread list head, while its threads are walked */
	bool done;
};

static __always_inline struct task_struct *thread_of(struct list_head *node)
{
	if (bpf_core_field_exists(struct task_struct, thread_node))
		return container_of(node, struct task_struct, thread_node);
	return (struct task_struct *)((void *)node - bpf_core_field_offset(struct task_struct___old, thread_group));
}

static long next_thread(__u32 i, void *ctx)
{
	struct walk *w = ctx;
	struct task_struct *task = w->task;
	struct list_head *next;

	emit(task);
	if (bpf_core_field_exists(struct task_struct, thread_node))
		next = BPF_CORE_READ(task, thread_node.next);
	else
		next = BPF_CORE_READ((struct task_struct___old *)task, thread_group.next);
	if (!next || next == w->threads) {
		w->done = true;
		return 1;
	}
	w->task = thread_of(next);
	return 0;
}

static long next_process(__u32 i, void *ctx)
{
	struct walk *w = ctx;
	struct task_struct *process = w->task;
	struct list_head *next = BPF_CORE_READ(process, tasks.next);

	if (process != w->head) {
		if (!with_threads) {
			emit(process);
		} else {
			struct walk threads = { .task = process };

			if (bpf_core_field_exists(struct task_struct, thread_node)) {
				struct signal_struct *signal = BPF_CORE_READ(process, signal);
				struct list_head *head = &signal->thread_head;

				threads.threads = head;
				threads.task = thread_of(BPF_CORE_READ(head, next));
			} else {
				threads.threads = &((struct task_struct___old *)process)->thread_group;
			}
			bpf_loop(MAX_THREADS, next_thread, &threads, 0);
			if (!threads.done)
				gadget_count_lost();
		}
	}
	if (!next)
		return 1;
	w->task = container_of(next, struct task_struct, tasks);
	if (w->task == w->head) {
		w->done = true;
		return 1;
	}
	return 0;
}

static long up_to_idle(__u32 i, void *ctx)
{
	struct walk *w = ctx;
	struct task_struct *task = w->task;
	struct task_struct *parent;

	if (BPF_CORE_READ(task, pid) == 0) {
		w->done = true;
		return 1;
	}
	parent = BPF_CORE_READ(task, real_parent);
	if (!parent || parent == task)
		return 1;
	w->task = parent;
	return 0;
}

SEC("raw_tp")
int snapshot_process(void *ctx)
{
	struct walk w = { .task = (struct task_struct *)bpf_get_current_task() };

	/* Up the parents to the boot CPU's idle task (pid 0): the head of the list of every process. */
	bpf_loop(MAX_ANCESTORS, up_to_idle, &w, 0);
	if (!w.done) {
		gadget_count_lost();
		return 0;
	}
	w.head = w.task;
	w.done = false;
	bpf_loop(MAX_PROCESSES, next_process, &w, 0);
	if (!w.done)
		gadget_count_lost();
	return 0;
}
