// SPDX-License-Identifier: GPL-2.0
/*
 * trace exec: every execve/execveat on the host, successful or failed, with its exact argv.
 *
 * A successful exec is reported from sched_process_exec, with argv read from the new process image
 * (mm->arg_start .. arg_end): the kernel has just written those pages, so they are present, whereas
 * the caller's argv may sit in pages not yet faulted into a freshly forked child, which BPF cannot
 * fault in. A failed exec is reported from sys_exit, with argv read from the caller as late as
 * possible; an argument that still cannot be read is replaced by a placeholder and counted.
 * Neither keeps state from one hook to the next, so no exec in flight can be evicted or mixed up:
 * sys_exit finds the caller's arguments in the registers it entered the syscall with.
 * Mirrored by ExecEventDecoder.java; ExecEventLayoutTest checks the offsets against this file's BTF.
 */
#include "gadget_path.h"

/* argv bytes an event carries; longer argv is cut here and flagged. A power of two (masks below). */
#define ARGS_MAX (256 * 1024)
/* A successful exec's argv is copied into the ring in chunks of this size, then a binary tail. */
#define ARGS_CHUNK 4096
/* A failed exec's arguments are read this many bytes at a time (one NUL-terminated read each). */
#define ARG_PIECE 4096
/* Failed execs: reading stops after this many pieces or bytes, more than any exec the kernel accepts
 * carries (its limit is 6 MiB of strings and pointers), so argsCount and argsSize stay exact for those. */
#define ARGS_STEPS (1 << 20)
#define ARGS_SCAN_MAX (8 << 20)
/* bprm->filename of an execveat relative to a directory fd: "/dev/fd/<fd>/" then the path. */
#define FILENAME_MAX_LEN (PATH_MAX_LEN + 32)
#define NAME_PIECE 256
#define NAME_PIECES (FILENAME_MAX_LEN / (NAME_PIECE - 1) + 1)

/* Stands in for an argument (or a filename) that could not be read; ExecEvent documents it. */
#define UNREADABLE "<unreadable>"
#define UNREADABLE_SIZE sizeof(UNREADABLE) /* with its NUL */

#define EXEC_ARGS_TRUNCATED (1 << 0)
#define EXEC_CWD_TRUNCATED (1 << 1)
#define EXEC_EXEPATH_TRUNCATED (1 << 2)
#define EXEC_FILENAME_TRUNCATED (1 << 3)
#define EXEC_CWD_DELETED (1 << 4)
#define EXEC_EXEPATH_DELETED (1 << 5)

const volatile bool with_paths = false;

/* Followed in the record by args_kept bytes of args, then filename, cwd and exepath (no NULs). */
struct exec_event {
	struct gadget_header hdr;
	__s32 ret;
	__u32 args_count;      /* true number of arguments, also when cut */
	__u32 args_size;       /* true bytes of argv, each argument with its NUL, also when cut */
	__u32 args_kept;       /* bytes of args[]: whole NUL-terminated arguments, the last one maybe cut */
	__u32 args_unreadable; /* arguments replaced by UNREADABLE */
	__u32 flags;
	__u16 filename_size;
	__u16 cwd_size;
	__u16 exepath_size;
	__u16 reserved;
	char pcomm[GADGET_COMM_LEN];
	char args[];
};

/*
 * What a failed exec's argv and the paths are assembled in, one per CPU. Tracepoint programs run
 * with preemption disabled on most kernels, but not all (PREEMPT_RT): busy makes a second user on
 * the same CPU count its event lost instead of overwriting the first one's bytes.
 */
struct exec_scratch {
	__u32 busy;
	/* A piece starts below ARGS_MAX and may run ARG_PIECE further. */
	char args[ARGS_MAX + ARG_PIECE];
	char filename[PATH_MAX_LEN + 1]; /* one more than a path may have: a longer one is cut */
	struct path_buf cwd;
	struct path_buf exepath;
};

/* Too big for a per-CPU map (32 KiB limit): one slot per CPU, sized by user space before load. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exec_scratch);
} exec_scratch SEC(".maps");

static __always_inline struct exec_scratch *scratch_acquire(void)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct exec_scratch *s = bpf_map_lookup_elem(&exec_scratch, &cpu);

	if (!s || __sync_lock_test_and_set(&s->busy, 1))
		return NULL;
	return s;
}

/* A plain store: only tasks on this CPU ever see busy set, and a CPU sees its own stores in order. */
static __always_inline void scratch_release(struct exec_scratch *s)
{
	*(volatile __u32 *)&s->busy = 0;
}

static __always_inline void write_path(struct bpf_dynptr *ptr, __u32 offset, struct path_buf *out, __u32 size)
{
	if (size && size <= PATH_MAX_LEN)
		bpf_dynptr_write(ptr, offset, (void *)path_start(out, size), size, 0);
}

struct paths {
	__u32 cwd_size;
	__u32 exepath_size;
};

static __always_inline void resolve_paths(struct exec_scratch *s, bool exec_done, __u32 *flags, struct paths *p)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct path pwd = BPF_CORE_READ(task, fs, pwd);

	p->cwd_size = resolve_path(&pwd, &s->cwd, flags, EXEC_CWD_TRUNCATED);
	if (path_deleted(&pwd))
		*flags |= EXEC_CWD_DELETED;
	p->exepath_size = 0;
	if (exec_done) {
		struct path exe = BPF_CORE_READ(task, mm, exe_file, f_path);

		p->exepath_size = resolve_path(&exe, &s->exepath, flags, EXEC_EXEPATH_TRUNCATED);
		if (path_deleted(&exe))
			*flags |= EXEC_EXEPATH_DELETED;
	}
}

/*
 * Fills what every exec event has; the sizes and flags are the caller's. Not inlined: as a function's
 * parameter struct exec_event stays in the object's BTF, where ExecEventLayoutTest reads it.
 */
static __noinline void fill_event(struct exec_event *e, __s32 ret)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct task_struct *parent = BPF_CORE_READ(task, real_parent);

	gadget_fill_header(&e->hdr);
	e->ret = ret;
	e->reserved = 0;
	bpf_probe_read_kernel_str(e->pcomm, sizeof(e->pcomm), &parent->comm);
}

/* ---- Successful execs: everything from sched_process_exec, no state kept between hooks. ---- */

/* Copies one constant-size piece of user memory into the ring; false if it cannot be read. */
#define COPY_USER(ptr, off, src, n)                                          \
	({                                                                   \
		char *dst = bpf_dynptr_data(ptr, off, n);                    \
		dst && !bpf_probe_read_user(dst, n, src);                    \
	})

#define COPY_USER_TAIL(ptr, off, src, len, done, n)                          \
	do {                                                                 \
		if (((len) - (done)) & (n)) {                                \
			if (!COPY_USER(ptr, (off) + (done), (src) + (done), n)) \
				return false;                                \
			(done) += (n);                                       \
		}                                                            \
	} while (0)

/*
 * Copies len (at most ARGS_MAX) bytes of user memory straight into the reserved record: whole chunks,
 * then the rest as a sum of powers of two, since bpf_dynptr_data hands out only constant sizes.
 */
static __always_inline bool copy_user_to_ring(struct bpf_dynptr *ptr, __u32 off, const char *src, __u32 len)
{
	__u32 done = 0;

	for (int i = 0; i < ARGS_MAX / ARGS_CHUNK; i++) {
		if (len - done < ARGS_CHUNK)
			break;
		if (!COPY_USER(ptr, off + done, src + done, ARGS_CHUNK))
			return false;
		done += ARGS_CHUNK;
	}
	COPY_USER_TAIL(ptr, off, src, len, done, 2048);
	COPY_USER_TAIL(ptr, off, src, len, done, 1024);
	COPY_USER_TAIL(ptr, off, src, len, done, 512);
	COPY_USER_TAIL(ptr, off, src, len, done, 256);
	COPY_USER_TAIL(ptr, off, src, len, done, 128);
	COPY_USER_TAIL(ptr, off, src, len, done, 64);
	COPY_USER_TAIL(ptr, off, src, len, done, 32);
	COPY_USER_TAIL(ptr, off, src, len, done, 16);
	COPY_USER_TAIL(ptr, off, src, len, done, 8);
	COPY_USER_TAIL(ptr, off, src, len, done, 4);
	COPY_USER_TAIL(ptr, off, src, len, done, 2);
	COPY_USER_TAIL(ptr, off, src, len, done, 1);
	return true;
}

/*
 * The length of a kernel string of at most FILENAME_MAX_LEN bytes, or its copy into the ring: read
 * through a small stack buffer, since its length is known only once read.
 */
static __always_inline __u32 kernel_str(const char *str, struct bpf_dynptr *ptr, __u32 off, __u32 size)
{
	char buf[NAME_PIECE];
	__u32 len = 0;

	for (int i = 0; i < NAME_PIECES; i++) {
		long n = bpf_probe_read_kernel_str(buf, sizeof(buf), str + len);
		__u32 chars;

		if (n <= 0)
			break;
		chars = n == NAME_PIECE ? NAME_PIECE - 1 : n - 1;
		if (ptr) {
			if (chars > size - len)
				chars = size - len;
			if (chars > NAME_PIECE)
				break;
			bpf_dynptr_write(ptr, off + len, buf, chars, 0);
		}
		len += chars;
		if (n < NAME_PIECE || len >= FILENAME_MAX_LEN)
			break;
	}
	return len < FILENAME_MAX_LEN ? len : FILENAME_MAX_LEN;
}

/*
 * tp_btf rather than tp/sched/sched_process_exec: it hands over bprm, whose argc is the true count
 * of the new image's arguments for any binary format, and it skips building the trace record.
 */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(trace_exec_done, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct exec_scratch *s = NULL;
	struct paths paths = {};
	struct bpf_dynptr ptr;
	struct exec_event *e;
	const char *filename, *args;
	__u32 size, kept, filename_size, flags = 0, fixed = offsetof(struct exec_event, args);
	unsigned long start, end;

	if (!gadget_should_trace())
		return 0;
	start = BPF_CORE_READ(p, mm, arg_start);
	end = BPF_CORE_READ(p, mm, arg_end);
	size = end > start ? end - start : 0; /* at most a quarter of the stack limit: a few MiB */
	kept = size < ARGS_MAX ? size : ARGS_MAX;
	if (kept < size)
		flags |= EXEC_ARGS_TRUNCATED;
	filename = BPF_CORE_READ(bprm, filename);
	filename_size = kernel_str(filename, NULL, 0, 0);
	if (with_paths) {
		s = scratch_acquire();
		if (!s) {
			gadget_count_lost();
			return 0;
		}
		resolve_paths(s, true, &flags, &paths);
	}

	if (!gadget_reserve_dynptr(fixed + kept + filename_size + paths.cwd_size + paths.exepath_size, &ptr))
		goto discard;
	e = bpf_dynptr_data(&ptr, 0, sizeof(*e));
	if (!e)
		goto discard;
	fill_event(e, 0);
	e->hdr.tid = old_pid; /* exec from a non-leader thread took the leader's id: keep the caller's */
	e->args_count = BPF_CORE_READ(bprm, argc);
	e->args_size = size;
	e->args_kept = kept;
	e->args_unreadable = 0;
	e->flags = flags;
	e->filename_size = filename_size;
	e->cwd_size = paths.cwd_size;
	e->exepath_size = paths.exepath_size;
	args = (const char *)start;
	/* Cannot fail short of the new image's fresh pages being reclaimed already: then it is lost. */
	if (!copy_user_to_ring(&ptr, fixed, args, kept)) {
		bpf_ringbuf_discard_dynptr(&ptr, 0);
		gadget_count_lost();
		goto out;
	}
	kernel_str(filename, &ptr, fixed + kept, filename_size);
	if (s) {
		write_path(&ptr, fixed + kept + filename_size, &s->cwd, paths.cwd_size);
		write_path(&ptr, fixed + kept + filename_size + paths.cwd_size, &s->exepath, paths.exepath_size);
	}
	gadget_submit_dynptr(&ptr);
	goto out;
discard:
	bpf_ringbuf_discard_dynptr(&ptr, 0);
out:
	if (s)
		scratch_release(s);
	return 0;
}

/*
 * ---- Failed execs: everything from sys_exit, no state kept between hooks either. ----
 * The caller's arguments are still in the registers it entered the syscall with (a failed exec
 * changes none of them), and its argv in its memory, where the kernel has just read the filename.
 */

struct args_ctx {
	const char *const *argv;
	struct exec_scratch *s;
	const char *arg;  /* the argument being read, NULL between arguments */
	__u32 arg_off;    /* bytes of it read so far */
	__u32 arg_kept;   /* kept and size when it started, to take it back if it turns out unreadable */
	__u32 arg_size;
	__u32 count;
	__u32 size;
	__u32 kept;
	__u32 unreadable;
	bool done;
};

static __always_inline void add_unreadable(struct args_ctx *c)
{
	if (c->kept < ARGS_MAX)
		__builtin_memcpy(&c->s->args[c->kept & (ARGS_MAX - 1)], UNREADABLE, UNREADABLE_SIZE);
	c->kept = c->kept + UNREADABLE_SIZE < ARGS_MAX ? c->kept + UNREADABLE_SIZE : ARGS_MAX;
	c->size += UNREADABLE_SIZE;
	c->unreadable++;
	c->count++;
}

/* One step: the next argument's pointer and its first piece, or the next piece of a long argument. */
static long read_args_step(__u32 i, void *ctx)
{
	struct args_ctx *c = ctx;
	char *dst;
	long n;
	__u32 chars;

	if (!c->arg) {
		const char *arg;

		if (bpf_probe_read_user(&arg, sizeof(arg), &c->argv[c->count])) {
			/* Where the list goes on is unknown: one placeholder, and it counts as cut. */
			add_unreadable(c);
			return 1;
		}
		if (!arg) {
			c->done = true;
			return 1;
		}
		c->arg = arg;
		c->arg_off = 0;
		c->arg_kept = c->kept;
		c->arg_size = c->size;
	}
	/* Past ARGS_MAX the pieces land in the spill area: only their length still counts. */
	dst = c->kept < ARGS_MAX ? &c->s->args[c->kept & (ARGS_MAX - 1)] : &c->s->args[ARGS_MAX];
	n = bpf_probe_read_user_str(dst, ARG_PIECE, c->arg + c->arg_off);
	if (n <= 0) {
		c->kept = c->arg_kept;
		c->size = c->arg_size;
		c->arg = NULL;
		add_unreadable(c);
		return 0;
	}
	/* A full piece ends in a NUL of its own: the next piece overwrites it. */
	chars = n == ARG_PIECE ? ARG_PIECE - 1 : n;
	c->size += chars;
	c->kept = c->kept + chars < ARGS_MAX ? c->kept + chars : ARGS_MAX;
	if (n == ARG_PIECE) {
		c->arg_off += chars;
	} else {
		c->arg = NULL;
		c->count++;
	}
	return c->size > ARGS_SCAN_MAX;
}

static __always_inline void exit_exec(struct trace_event_raw_sys_exit *ctx, const char *filename,
				      const char *const *argv)
{
	struct args_ctx c = {};
	struct exec_scratch *s;
	struct paths paths = {};
	struct bpf_dynptr ptr;
	struct exec_event *e;
	__u32 flags = 0, filename_size, fixed = offsetof(struct exec_event, args);
	long n;

	s = scratch_acquire();
	if (!s) {
		gadget_count_lost();
		return;
	}

	n = bpf_probe_read_user_str(s->filename, sizeof(s->filename), filename);
	if (n <= 0) {
		__builtin_memcpy(s->filename, UNREADABLE, UNREADABLE_SIZE - 1);
		n = UNREADABLE_SIZE;
	} else if (n == sizeof(s->filename)) {
		flags |= EXEC_FILENAME_TRUNCATED;
	}
	filename_size = n - 1;

	c.argv = argv;
	c.s = s;
	bpf_loop(ARGS_STEPS, read_args_step, &c, 0);
	if (!c.done || c.kept < c.size)
		flags |= EXEC_ARGS_TRUNCATED;
	if (with_paths)
		resolve_paths(s, false, &flags, &paths);

	if (!gadget_reserve_dynptr(fixed + c.kept + filename_size + paths.cwd_size, &ptr))
		goto discard;
	e = bpf_dynptr_data(&ptr, 0, sizeof(*e));
	if (!e)
		goto discard;
	fill_event(e, ctx->ret);
	e->args_count = c.count;
	e->args_size = c.size;
	e->args_kept = c.kept;
	e->args_unreadable = c.unreadable;
	e->flags = flags;
	e->filename_size = filename_size;
	e->cwd_size = paths.cwd_size;
	e->exepath_size = 0;
	if (c.kept <= ARGS_MAX)
		bpf_dynptr_write(&ptr, fixed, s->args, c.kept, 0);
	bpf_dynptr_write(&ptr, fixed + c.kept, s->filename, filename_size, 0);
	write_path(&ptr, fixed + c.kept + filename_size, &s->cwd, paths.cwd_size);
	gadget_submit_dynptr(&ptr);
	goto release;
discard:
	bpf_ringbuf_discard_dynptr(&ptr, 0);
release:
	scratch_release(s);
}

/*
 * The caller's registers as it entered the syscall, or NULL when it has none to read: a failure
 * past the point of no return has replaced its image already (the task is then killed), and a new
 * image has no arguments (arg_start) until the exec is complete, which only success follows.
 */
static __always_inline struct pt_regs *failed_exec_regs(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *task;

	/* Successful execs left on sched_process_exec already. */
	if (ctx->ret >= 0 || !gadget_should_trace())
		return NULL;
	task = bpf_get_current_task_btf();
	if (!BPF_CORE_READ(task, mm, arg_start)) {
		gadget_count_lost();
		return NULL;
	}
	return (struct pt_regs *)bpf_task_pt_regs(task);
}

SEC("tp/syscalls/sys_exit_execve")
int trace_exec_exit(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = failed_exec_regs(ctx);

	if (regs) /* execve(filename, argv, envp) */
		exit_exec(ctx, (const char *)PT_REGS_PARM1_CORE_SYSCALL(regs),
			  (const char *const *)PT_REGS_PARM2_CORE_SYSCALL(regs));
	return 0;
}

SEC("tp/syscalls/sys_exit_execveat")
int trace_execat_exit(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = failed_exec_regs(ctx);

	if (regs) /* execveat(dirfd, filename, argv, envp, flags) */
		exit_exec(ctx, (const char *)PT_REGS_PARM2_CORE_SYSCALL(regs),
			  (const char *const *)PT_REGS_PARM3_CORE_SYSCALL(regs));
	return 0;
}
