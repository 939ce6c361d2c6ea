// SPDX-License-Identifier: GPL-2.0
/*
 * trace exec: every execve/execveat on the host, successful or failed, with its complete argv.
 *
 * sys_enter copies argv (as the caller passed it) into a per-thread entry. The event leaves on
 * sched_process_exec when the exec succeeded (old_pid names the thread that called it, even when
 * exec made a non-leader thread the group leader) or on sys_exit when it failed.
 * Mirrored by ExecEventDecoder.java; ExecEventLayoutTest checks the offsets against this file's BTF.
 */
#include "gadget.h"

#define ARGS_MAX (32 * 1024) /* argv bytes kept; longer argv is cut here and flagged */
#define PATH_MAX_LEN 4096
#define NAME_MAX_LEN 255
#define ARGS_LOOPS ARGS_MAX  /* each argument takes at least its NUL byte */
#define PATH_LOOPS 2048      /* components plus mount crossings of one path */

#define EXEC_ARGS_TRUNCATED (1 << 0)
#define EXEC_CWD_TRUNCATED (1 << 1)
#define EXEC_EXEPATH_TRUNCATED (1 << 2)

const volatile bool with_paths = false;

struct exec_event {
	struct gadget_header hdr;
	__s32 ret;
	__u32 args_size;    /* bytes of args[]: each argument ends with NUL, unless cut by ARGS_MAX */
	__u16 cwd_size;     /* bytes of cwd, after args[], no NUL */
	__u16 exepath_size; /* bytes of exepath, after cwd, no NUL */
	__u32 flags;
	char pcomm[GADGET_COMM_LEN];
	char args[ARGS_MAX];
};

/* An argument is read whole into args[off & (ARGS_MAX - 1)]: the spill lets the verifier see it fits. */
struct exec_scratch {
	struct exec_event event;
	char spill[ARGS_MAX];
};

/*
 * A path is built backwards ending at PATH_MAX_LEN; twice that size lets the verifier see that a
 * component write (start below PATH_MAX_LEN, up to NAME_MAX_LEN long) and the final copy-out
 * (start and size each below PATH_MAX_LEN + 1, uncorrelated to it) stay inside.
 */
struct path_scratch {
	char buf[2 * PATH_MAX_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH); /* LRU: an exec whose exit we never see cannot leak a slot */
	__uint(max_entries, 1024);           /* execs in flight at once */
	__type(key, __u32);                  /* tid that called exec */
	__type(value, struct exec_event);
} execs SEC(".maps");

/* Too big for a per-CPU map (32 KiB limit): one slot per CPU, sized by user space before load. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exec_scratch);
} exec_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct path_scratch);
} path_scratch SEC(".maps");

struct args_ctx {
	const char *const *argv;
	struct exec_scratch *scratch;
	__u32 size;
	__u32 flags;
	bool done;
};

static long read_arg(__u32 i, void *ctx)
{
	struct args_ctx *c = ctx;
	const char *arg = NULL;
	long n;

	if (bpf_probe_read_user(&arg, sizeof(arg), &c->argv[i]) || !arg) {
		c->done = true;
		return 1;
	}
	if (c->size >= ARGS_MAX) {
		c->flags |= EXEC_ARGS_TRUNCATED;
		c->done = true;
		return 1;
	}
	/* ARGS_MAX + 1 tells an argument that exactly fills the space from one that overflows it. */
	n = bpf_probe_read_user_str(&c->scratch->event.args[c->size & (ARGS_MAX - 1)], ARGS_MAX + 1, arg);
	if (n < 0) {
		c->done = true;
		return 1;
	}
	if (c->size + n > ARGS_MAX) {
		c->size = ARGS_MAX;
		c->flags |= EXEC_ARGS_TRUNCATED;
		c->done = true;
		return 1;
	}
	c->size += n;
	return 0;
}

static __always_inline int enter_exec(const char *const *argv)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct exec_scratch *s;
	struct exec_event *e;
	struct args_ctx c = {};

	if (!gadget_should_trace())
		return 0;
	s = bpf_map_lookup_elem(&exec_scratch, &cpu);
	if (!s)
		return 0;
	e = &s->event;
	gadget_fill_header(&e->hdr);

	c.argv = argv;
	c.scratch = s;
	bpf_loop(ARGS_LOOPS, read_arg, &c, 0);
	if (!c.done)
		c.flags |= EXEC_ARGS_TRUNCATED;

	e->ret = 0;
	e->args_size = c.size;
	e->cwd_size = 0;
	e->exepath_size = 0;
	e->flags = c.flags;
	if (bpf_map_update_elem(&execs, &e->hdr.tid, e, BPF_ANY))
		gadget_count_lost();
	return 0;
}

SEC("tp/syscalls/sys_enter_execve")
int trace_exec_enter(struct trace_event_raw_sys_enter *ctx)
{
	return enter_exec((const char *const *)ctx->args[1]);
}

SEC("tp/syscalls/sys_enter_execveat")
int trace_execat_enter(struct trace_event_raw_sys_enter *ctx)
{
	return enter_exec((const char *const *)ctx->args[2]);
}

struct path_ctx {
	struct dentry *dentry;
	struct vfsmount *vfsmnt;
	struct mount *mnt;
	struct path_scratch *out;
	__u32 pos; /* the path is out->buf[pos, PATH_MAX_LEN), built from its last component */
	bool done;
};

static long path_step(__u32 i, void *ctx)
{
	struct path_ctx *c = ctx;
	/* Locals, not c->...: inside BPF_CORE_READ our own struct would get CO-RE relocations too. */
	struct dentry *dentry = c->dentry;
	struct vfsmount *vfsmnt = c->vfsmnt;
	struct mount *mnt = c->mnt;
	struct dentry *parent;
	const unsigned char *name;
	__u32 len;

	if (dentry == BPF_CORE_READ(vfsmnt, mnt_root)) {
		struct mount *up = BPF_CORE_READ(mnt, mnt_parent);

		if (up == mnt) { /* root of the task's mount namespace */
			c->done = true;
			return 1;
		}
		c->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
		c->mnt = up;
		c->vfsmnt = &up->mnt;
		return 0;
	}
	parent = BPF_CORE_READ(dentry, d_parent);
	if (parent == dentry) { /* root of a file system that is not mounted here */
		c->done = true;
		return 1;
	}
	len = BPF_CORE_READ(dentry, d_name.len);
	name = BPF_CORE_READ(dentry, d_name.name);
	if (len > NAME_MAX_LEN || c->pos < len + 1)
		return 1;
	c->pos -= len + 1;
	bpf_probe_read_kernel(&c->out->buf[(c->pos + 1) & (PATH_MAX_LEN - 1)], len, name);
	c->out->buf[c->pos & (PATH_MAX_LEN - 1)] = '/';
	c->dentry = parent;
	return 0;
}

/* Resolves a path as the task sees it (relative to its mount namespace root); returns its length. */
static __always_inline __u32 resolve_path(struct path *path, __u32 slot, __u32 *flags, __u32 truncated_flag)
{
	struct path_scratch *out = bpf_map_lookup_elem(&path_scratch, &slot);
	struct path_ctx c = {};
	struct vfsmount *vfsmnt = BPF_CORE_READ(path, mnt);

	if (!out || !vfsmnt)
		return 0;
	c.dentry = BPF_CORE_READ(path, dentry);
	c.vfsmnt = vfsmnt;
	c.mnt = container_of(vfsmnt, struct mount, mnt);
	c.out = out;
	c.pos = PATH_MAX_LEN;
	bpf_loop(PATH_LOOPS, path_step, &c, 0);
	if (!c.done)
		*flags |= truncated_flag;
	if (c.pos == PATH_MAX_LEN) {
		c.pos = PATH_MAX_LEN - 1;
		out->buf[PATH_MAX_LEN - 1] = '/';
	}
	return PATH_MAX_LEN - c.pos;
}

static __always_inline void write_path(struct bpf_dynptr *ptr, __u32 offset, __u32 slot, __u32 size)
{
	struct path_scratch *out = bpf_map_lookup_elem(&path_scratch, &slot);

	if (out && size && size <= PATH_MAX_LEN)
		bpf_dynptr_write(ptr, offset, &out->buf[(PATH_MAX_LEN - size) & (PATH_MAX_LEN - 1)], size, 0);
}

static __always_inline void emit_exec(__u32 tid, __s32 ret)
{
	struct exec_event *e = bpf_map_lookup_elem(&execs, &tid);
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct task_struct *parent = BPF_CORE_READ(task, real_parent);
	struct bpf_dynptr ptr;
	__u32 args_size, fixed, cwd_size = 0, exepath_size = 0;

	if (!e)
		return;
	e->ret = ret;
	/* After a successful exec the task already carries the new program's name. */
	bpf_get_current_comm(e->hdr.comm, sizeof(e->hdr.comm));
	bpf_probe_read_kernel_str(e->pcomm, sizeof(e->pcomm), &parent->comm);
	if (with_paths) {
		struct path pwd = BPF_CORE_READ(task, fs, pwd);

		cwd_size = resolve_path(&pwd, 0, &e->flags, EXEC_CWD_TRUNCATED);
		if (ret == 0) {
			struct path exe = BPF_CORE_READ(task, mm, exe_file, f_path);

			exepath_size = resolve_path(&exe, 1, &e->flags, EXEC_EXEPATH_TRUNCATED);
		}
	}
	e->cwd_size = cwd_size;
	e->exepath_size = exepath_size;

	args_size = e->args_size;
	if (args_size > ARGS_MAX)
		args_size = ARGS_MAX;
	fixed = offsetof(struct exec_event, args) + args_size;
	if (gadget_reserve_dynptr(fixed + cwd_size + exepath_size, &ptr)) {
		bpf_dynptr_write(&ptr, 0, e, fixed, 0);
		write_path(&ptr, fixed, 0, cwd_size);
		write_path(&ptr, fixed + cwd_size, 1, exepath_size);
		gadget_submit_dynptr(&ptr);
	} else {
		bpf_ringbuf_discard_dynptr(&ptr, 0);
	}
	bpf_map_delete_elem(&execs, &tid);
}

SEC("tp/sched/sched_process_exec")
int trace_exec_done(struct trace_event_raw_sched_process_exec *ctx)
{
	emit_exec(ctx->old_pid, 0);
	return 0;
}

/* Successful execs left on sched_process_exec already: what is still here failed. */
static __always_inline int exit_exec(struct trace_event_raw_sys_exit *ctx)
{
	if (ctx->ret < 0)
		emit_exec((__u32)bpf_get_current_pid_tgid(), ctx->ret);
	return 0;
}

SEC("tp/syscalls/sys_exit_execve")
int trace_exec_exit(struct trace_event_raw_sys_exit *ctx)
{
	return exit_exec(ctx);
}

SEC("tp/syscalls/sys_exit_execveat")
int trace_execat_exit(struct trace_event_raw_sys_exit *ctx)
{
	return exit_exec(ctx);
}
