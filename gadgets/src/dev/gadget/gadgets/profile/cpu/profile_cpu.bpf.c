// SPDX-License-Identifier: GPL-2.0
/*
 * profile cpu: what runs on each CPU, sampled by a software cpu-clock perf event per CPU (user space
 * opens them and attaches this program), with its user and kernel stacks.
 *
 * A sample adds one to the count of its (cgroup, process, address space, thread name, user stack,
 * kernel stack). Stacks are kept once each in a hash map keyed by a 64-bit hash of their frames:
 * unlike a stack trace map, whose fixed slots make two stacks with the same slot lose one of them,
 * it loses a stack only when full. The first sample of an address space (a new process, or one that
 * exec'd) is announced on the ring so that user space reads its memory maps while it still runs: the
 * report names user frames with them.
 * Mirrored by SampleKey.java; SampleKeyLayoutTest checks the offsets against this file's BTF.
 */
#include "gadget.h"

#define EEXIST 17

/* Frames per stack: the kernel's default kernel.perf_event_max_stack. */
#define MAX_STACK_DEPTH 127

const volatile bool user_stacks = true;
const volatile bool kernel_stacks = true;

struct sample_key {
	__u64 cgroup_id;
	__u64 mm;           /* the address space: tells apart the programs one pid ran in turn */
	__u64 user_stack;   /* key in stacks; 0: none (a kernel thread, or not collected) */
	__u64 kernel_stack; /* key in stacks; 0: none (a sample taken in user mode, or not collected) */
	__u32 pid;
	__s32 user_error;   /* 0, or -errno: why a user stack is missing (E2BIG: stacks was full) */
	__s32 kernel_error;
	char comm[GADGET_COMM_LEN];
	__u32 reserved;     /* keeps the key free of padding, whose bytes would be hashed too */
};

struct stack {
	__u64 addresses[MAX_STACK_DEPTH]; /* innermost first, zero after the last */
};

struct process_space {
	__u64 mm;
	__u32 pid;
	__u32 reserved;
};

/* Sizes are set by user space before load (--max-stacks). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct stack);
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct stack);
} stack_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct sample_key);
	__type(value, __u64);
} samples SEC(".maps");

/* Address spaces announced on gadget_events; the value is unused. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, struct process_space);
	__type(value, __u8);
} address_spaces SEC(".maps");

/*
 * Tells user space once about a process's address space. An announcement that finds the ring full
 * is taken back, so the next sample retries it; a full address_spaces map leaves the process to be
 * read at the report, if it still runs then. Neither loses a sample.
 */
static __always_inline void announce(__u32 pid, __u64 mm)
{
	struct process_space space = { .mm = mm, .pid = pid, .reserved = 0 };
	struct process_space *record;
	__u8 unused = 0;

	if (bpf_map_update_elem(&address_spaces, &space, &unused, BPF_NOEXIST))
		return;
	record = bpf_ringbuf_reserve(&gadget_events, sizeof(*record), 0);
	if (!record) {
		bpf_map_delete_elem(&address_spaces, &space);
		return;
	}
	*record = space;
	bpf_ringbuf_submit(record, 0);
}

/* FNV-1a over the frames, each word folded so its high bits count too; 0 stands for no stack. */
static __always_inline __u64 stack_hash(const struct stack *stack, __u32 depth)
{
	__u64 hash = 0xcbf29ce484222325ULL;

	for (__u32 i = 0; i < MAX_STACK_DEPTH && i < depth; i++) {
		hash ^= stack->addresses[i] ^ (stack->addresses[i] >> 32);
		hash *= 0x100000001b3ULL;
	}
	return hash ? hash : 1;
}

/*
 * Records the current user (BPF_F_USER_STACK) or kernel stack in stacks; returns its key, or 0 if
 * there is none, or if it could not be kept (then *error says why). Two stacks with one 64-bit
 * hash are not told apart: with the few thousand stacks of a profile that is about one chance in
 * a thousand billion.
 */
static __always_inline __u64 record_stack(struct bpf_perf_event_data *ctx, __u64 flags, __s32 *error)
{
	struct stack *stack;
	__u32 zero = 0;
	__u64 hash;
	long size;

	stack = bpf_map_lookup_elem(&stack_scratch, &zero);
	if (!stack)
		return 0;
	size = bpf_get_stack(ctx, stack->addresses, sizeof(stack->addresses), flags);
	if (size <= 0) {
		*error = size;
		return 0;
	}
	hash = stack_hash(stack, size / sizeof(__u64));
	if (bpf_map_lookup_elem(&stacks, &hash))
		return hash;
	size = bpf_map_update_elem(&stacks, &hash, stack, BPF_NOEXIST);
	if (size && size != -EEXIST) { /* EEXIST: another CPU kept it meanwhile */
		*error = size;
		return 0;
	}
	return hash;
}

SEC("perf_event")
int profile_cpu_sample(struct bpf_perf_event_data *ctx)
{
	struct task_struct *task;
	struct sample_key key;
	__u64 pid_tgid, one = 1, *count;
	long err;

	if (!gadget_should_trace())
		return 0;
	pid_tgid = bpf_get_current_pid_tgid();
	if (pid_tgid == 0) /* the idle task: the CPU had nothing to run */
		return 0;

	__builtin_memset(&key, 0, sizeof(key));
	task = (struct task_struct *)bpf_get_current_task();
	key.cgroup_id = bpf_get_current_cgroup_id();
	key.mm = (__u64)BPF_CORE_READ(task, mm);
	key.pid = pid_tgid >> 32;
	/* Kernel threads have no address space, so no user stack. */
	if (user_stacks && key.mm)
		key.user_stack = record_stack(ctx, BPF_F_USER_STACK, &key.user_error);
	if (kernel_stacks)
		key.kernel_stack = record_stack(ctx, 0, &key.kernel_error);
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	if (user_stacks && key.mm)
		announce(key.pid, key.mm);

	count = bpf_map_lookup_elem(&samples, &key);
	if (count) {
		__sync_fetch_and_add(count, 1);
		return 0;
	}
	err = bpf_map_update_elem(&samples, &key, &one, BPF_NOEXIST);
	if (err == -EEXIST) { /* another CPU added it meanwhile */
		count = bpf_map_lookup_elem(&samples, &key);
		if (count)
			__sync_fetch_and_add(count, 1);
	} else if (err) {
		gadget_count_lost(); /* the samples map is full */
	}
	return 0;
}
