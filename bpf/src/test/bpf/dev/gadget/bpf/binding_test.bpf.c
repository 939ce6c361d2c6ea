// SPDX-License-Identifier: GPL-2.0
/*
 * Exercises the Java binding against the real kernel: one program per attach kind, counting into
 * `hits` only for the test's own process, plus a hash map and records of a chosen size in the ring.
 */
#include "gadget.h"

#define HIT_TRACEPOINT 0
#define HIT_RAW_TRACEPOINT 1
#define HIT_BTF_TRACEPOINT 2
#define HIT_PERF_EVENT 3
#define MAX_RECORD 4096

const volatile __u32 target_pid = 0;
const volatile __u32 record_size = 16;
const volatile __u64 target_syscall = 110; /* __NR_getppid on x86-64 */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} kv SEC(".maps");

/* Each record starts with a sequence number, global so that order survives CPU migration. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} sequence SEC(".maps");

struct record_buf {
	__u8 bytes[MAX_RECORD];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct record_buf);
} record_scratch SEC(".maps");

static __always_inline bool is_target(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_pid;
}

static __always_inline void hit(__u32 slot)
{
	__u64 *n = bpf_map_lookup_elem(&hits, &slot);

	if (n)
		__sync_fetch_and_add(n, 1);
}

static __always_inline void emit_record(void)
{
	__u32 zero = 0, size = record_size;
	__u64 *seq = bpf_map_lookup_elem(&sequence, &zero);
	struct record_buf *buf = bpf_map_lookup_elem(&record_scratch, &zero);
	struct bpf_dynptr ptr;

	if (!seq || !buf || size < 8 || size > MAX_RECORD)
		return;
	*(__u64 *)buf->bytes = __sync_fetch_and_add(seq, 1);
	if (gadget_reserve_dynptr(size, &ptr)) {
		bpf_dynptr_write(&ptr, 0, buf->bytes, size, 0);
		gadget_submit_dynptr(&ptr);
	} else {
		bpf_ringbuf_discard_dynptr(&ptr, 0);
	}
}

SEC("tp/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
	if (is_target()) {
		hit(HIT_TRACEPOINT);
		emit_record();
	}
	return 0;
}

SEC("raw_tp/sys_enter")
int on_raw_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	if (is_target() && ctx->args[1] == target_syscall)
		hit(HIT_RAW_TRACEPOINT);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(on_btf_sys_enter, struct pt_regs *regs, long id)
{
	if (is_target() && id == target_syscall)
		hit(HIT_BTF_TRACEPOINT);
	return 0;
}

SEC("perf_event")
int on_perf_event(void *ctx)
{
	hit(HIT_PERF_EVENT);
	return 0;
}

SEC("iter/task")
int list_tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;

	if (task && task->pid == task->tgid)
		BPF_SEQ_PRINTF(ctx->meta->seq, "%d %s\n", task->tgid, task->comm);
	return 0;
}
