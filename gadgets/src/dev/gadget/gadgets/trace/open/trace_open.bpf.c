// SPDX-License-Identifier: GPL-2.0
/*
 * trace open: every open, openat, openat2 and creat, successful or failed, with its flags, mode and
 * the path exactly as passed.
 *
 * sys_enter reads the arguments into a per-thread entry (the path then, before the kernel acts on
 * it); sys_exit adds the result and sends the event. Nothing is dropped in between:
 * - a path whose memory was not paged in at entry (a string the program never touched, in a file
 *   mapping) cannot be read there without faulting; it is read again at exit, after the kernel read
 *   it, and marked so. Memory unreadable at exit too is marked unreadable.
 * - an exit without its entry (the call began before tracing did, or more calls were in flight than
 *   the entry table holds) takes the arguments from the registers the task entered the kernel with,
 *   which the syscall leaves as they were, and is marked so.
 * Mirrored by OpenEventDecoder.java; OpenEventLayoutTest checks the offsets against this file's BTF.
 */
#include "gadget.h"

#define PATH_KEEP 4096            /* PATH_MAX: the kernel refuses longer paths (ENAMETOOLONG) */
#define PATH_READ (PATH_KEEP + 2) /* one byte beyond what is kept, and the NUL: tells a cut path */

#define OPEN_PATH_TRUNCATED (1 << 0)
#define OPEN_PATH_UNREADABLE (1 << 1)
#define OPEN_PATH_AT_EXIT (1 << 2)
#define OPEN_ENTRY_MISSED (1 << 3)
#define OPEN_HOW_UNREADABLE (1 << 4)

#define OPEN_O_WRONLY 01
#define OPEN_O_CREAT 0100
#define OPEN_O_TRUNC 01000

enum open_syscall {
	OPEN_SYS_OPEN = 1,
	OPEN_SYS_OPENAT,
	OPEN_SYS_OPENAT2,
	OPEN_SYS_CREAT,
};

struct open_event {
	struct gadget_header hdr;
	__u64 flags;
	__u64 mode;
	__s32 ret;       /* the descriptor, or -errno */
	__u16 path_size; /* bytes of path, no NUL */
	__u8 status;     /* OPEN_* bits above */
	__u8 syscall;    /* enum open_syscall */
	char path[PATH_READ];
};

/* A call in flight: its event and where its arguments are, to read them again at exit. */
struct open_call {
	const char *path_ptr;
	const struct open_how *how_ptr;
	struct open_event event;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC); /* memory only for the calls in flight */
	__uint(max_entries, 16384);           /* calls in flight at once; beyond, the exit rebuilds the call */
	__type(key, __u32);                   /* tid */
	__type(value, struct open_call);
} open_calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct open_call);
} open_scratch SEC(".maps");

static __always_inline void read_path(struct open_call *c)
{
	struct open_event *e = &c->event;
	long n = bpf_probe_read_user_str(e->path, PATH_READ, c->path_ptr);

	if (n <= 0) {
		e->path_size = 0;
		e->status |= OPEN_PATH_UNREADABLE;
		return;
	}
	e->status &= ~OPEN_PATH_UNREADABLE;
	if (n - 1 > PATH_KEEP) {
		e->path_size = PATH_KEEP;
		e->status |= OPEN_PATH_TRUNCATED;
	} else {
		e->path_size = n - 1;
	}
}

static __always_inline void read_how(struct open_call *c)
{
	struct open_event *e = &c->event;
	struct open_how how;

	if (bpf_probe_read_user(&how, sizeof(how), c->how_ptr)) {
		e->flags = 0;
		e->mode = 0;
		e->status |= OPEN_HOW_UNREADABLE;
		return;
	}
	e->flags = how.flags;
	e->mode = how.mode;
	e->status &= ~OPEN_HOW_UNREADABLE;
}

static __always_inline int enter_open(__u8 syscall, const char *path, __u64 flags, __u64 mode,
				      const struct open_how *how)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u32 zero = 0;
	struct open_call *c;

	if (!gadget_should_trace())
		return 0;
	c = bpf_map_lookup_elem(&open_scratch, &zero);
	if (!c)
		return 0;
	c->path_ptr = path;
	c->how_ptr = how;
	c->event.syscall = syscall;
	c->event.status = 0;
	c->event.flags = flags;
	c->event.mode = mode;
	if (how)
		read_how(c);
	read_path(c);
	/* A full table is no loss: the exit finds no entry and rebuilds the call from the registers. */
	bpf_map_update_elem(&open_calls, &tid, c, BPF_ANY);
	return 0;
}

SEC("tp/syscalls/sys_enter_open")
int trace_open_enter(struct trace_event_raw_sys_enter *ctx)
{
	return enter_open(OPEN_SYS_OPEN, (const char *)ctx->args[0], ctx->args[1], ctx->args[2], NULL);
}

SEC("tp/syscalls/sys_enter_openat")
int trace_openat_enter(struct trace_event_raw_sys_enter *ctx)
{
	return enter_open(OPEN_SYS_OPENAT, (const char *)ctx->args[1], ctx->args[2], ctx->args[3], NULL);
}

SEC("tp/syscalls/sys_enter_openat2")
int trace_openat2_enter(struct trace_event_raw_sys_enter *ctx)
{
	return enter_open(OPEN_SYS_OPENAT2, (const char *)ctx->args[1], 0, 0, (const struct open_how *)ctx->args[2]);
}

SEC("tp/syscalls/sys_enter_creat")
int trace_creat_enter(struct trace_event_raw_sys_enter *ctx)
{
	return enter_open(OPEN_SYS_CREAT, (const char *)ctx->args[0], OPEN_O_CREAT | OPEN_O_WRONLY | OPEN_O_TRUNC,
			  ctx->args[1], NULL);
}

/* The call as its entry would have recorded it, from the syscall's registers; its memory is read later. */
static __always_inline struct open_call *call_from_registers(__u8 syscall)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	__u32 zero = 0;
	struct open_call *c = bpf_map_lookup_elem(&open_scratch, &zero);

	if (!c)
		return NULL;
	c->how_ptr = NULL;
	c->event.syscall = syscall;
	c->event.status = OPEN_ENTRY_MISSED | OPEN_PATH_UNREADABLE;
	c->event.flags = 0;
	c->event.mode = 0;
	switch (syscall) {
	case OPEN_SYS_OPEN:
		c->path_ptr = (const char *)PT_REGS_PARM1_CORE_SYSCALL(regs);
		c->event.flags = PT_REGS_PARM2_CORE_SYSCALL(regs);
		c->event.mode = PT_REGS_PARM3_CORE_SYSCALL(regs);
		break;
	case OPEN_SYS_OPENAT:
		c->path_ptr = (const char *)PT_REGS_PARM2_CORE_SYSCALL(regs);
		c->event.flags = PT_REGS_PARM3_CORE_SYSCALL(regs);
		c->event.mode = PT_REGS_PARM4_CORE_SYSCALL(regs);
		break;
	case OPEN_SYS_OPENAT2:
		c->path_ptr = (const char *)PT_REGS_PARM2_CORE_SYSCALL(regs);
		c->how_ptr = (const struct open_how *)PT_REGS_PARM3_CORE_SYSCALL(regs);
		c->event.status |= OPEN_HOW_UNREADABLE;
		break;
	default:
		c->path_ptr = (const char *)PT_REGS_PARM1_CORE_SYSCALL(regs);
		c->event.flags = OPEN_O_CREAT | OPEN_O_WRONLY | OPEN_O_TRUNC;
		c->event.mode = PT_REGS_PARM2_CORE_SYSCALL(regs);
		break;
	}
	return c;
}

static __always_inline int exit_open(struct trace_event_raw_sys_exit *ctx, __u8 syscall)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct open_call *c = bpf_map_lookup_elem(&open_calls, &tid);
	struct open_event *e;
	struct bpf_dynptr ptr;
	__u32 size;

	if (!c || c->event.syscall != syscall) {
		/* The entry, had it been seen, counted a filtered call already: only look here. */
		if (!gadget_cgroup_wanted(bpf_get_current_cgroup_id()))
			goto done;
		c = call_from_registers(syscall);
		if (!c)
			goto done;
	}
	e = &c->event;
	/* The kernel copied the arguments in meanwhile, faulting their pages in. */
	if (e->status & OPEN_HOW_UNREADABLE)
		read_how(c);
	if (e->status & OPEN_PATH_UNREADABLE) {
		read_path(c);
		if (!(e->status & OPEN_PATH_UNREADABLE))
			e->status |= OPEN_PATH_AT_EXIT;
	}
	gadget_fill_header(&e->hdr);
	e->ret = ctx->ret;

	size = e->path_size;
	if (size > PATH_KEEP)
		size = PATH_KEEP;
	size += offsetof(struct open_event, path);
	if (gadget_reserve_dynptr(size, &ptr)) {
		bpf_dynptr_write(&ptr, 0, e, size, 0);
		gadget_submit_dynptr(&ptr);
	} else {
		bpf_ringbuf_discard_dynptr(&ptr, 0);
	}
done:
	bpf_map_delete_elem(&open_calls, &tid);
	return 0;
}

SEC("tp/syscalls/sys_exit_open")
int trace_open_exit(struct trace_event_raw_sys_exit *ctx)
{
	return exit_open(ctx, OPEN_SYS_OPEN);
}

SEC("tp/syscalls/sys_exit_openat")
int trace_openat_exit(struct trace_event_raw_sys_exit *ctx)
{
	return exit_open(ctx, OPEN_SYS_OPENAT);
}

SEC("tp/syscalls/sys_exit_openat2")
int trace_openat2_exit(struct trace_event_raw_sys_exit *ctx)
{
	return exit_open(ctx, OPEN_SYS_OPENAT2);
}

SEC("tp/syscalls/sys_exit_creat")
int trace_creat_exit(struct trace_event_raw_sys_exit *ctx)
{
	return exit_open(ctx, OPEN_SYS_CREAT);
}
