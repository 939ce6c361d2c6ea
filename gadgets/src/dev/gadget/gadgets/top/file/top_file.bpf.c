// SPDX-License-Identifier: GPL-2.0
/*
 * top file: reads and writes per thread and file, calls and bytes, counted when read, write, pread64,
 * pwrite64, readv, writev, preadv, pwritev, preadv2 and pwritev2 return successfully.
 *
 * The descriptor is the syscall's first argument, which the task's registers still hold at its
 * return; the file is the one the descriptor names then. Counts go into the hash map the outer array
 * points to. Each interval user space points it at the other map, an update that returns only once
 * no program can still use the old one, then drains the old map undisturbed: no count falls between
 * two intervals, and a full map is counted in gadget_lost.
 * Mirrored by FileStatsDecoder.java; FileStatsLayoutTest checks the offsets against this file's BTF.
 */
#include "gadget_path.h"

#define FILE_PATH_TRUNCATED (1 << 0)
#define FILE_NAMED_BY_DENTRY (1 << 1) /* no path: a socket, pipe or anonymous inode, named as /proc shows */

struct file_key {
	__u32 pid;
	__u32 tid;
	__u32 dev; /* of the file system, as the kernel numbers it (st_dev) */
	__u32 reserved;
	__u64 inode;
};

struct file_stats {
	__u64 reads;
	__u64 writes;
	__u64 rbytes;
	__u64 wbytes;
	__u64 mntns_id;
	__u64 cgroup_id;
	__u32 mode;      /* i_mode: the file's type and permissions */
	__u16 path_size; /* bytes of path, no NUL */
	__u16 flags;     /* FILE_* bits above */
	char comm[GADGET_COMM_LEN];
	char path[PATH_MAX_LEN];
};

struct file_counts {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC); /* a path takes 4 KiB: memory only for the files seen */
	__uint(max_entries, 10240);
	__type(key, struct file_key);
	__type(value, struct file_stats);
} counts_a SEC(".maps"), counts_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct file_counts);
} counting SEC(".maps") = {
	.values = { &counts_a },
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct file_stats);
} stats_scratch SEC(".maps");

/* Where a file's path is built before it is copied into its stats. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct path_buf);
} path_scratch SEC(".maps");

static __always_inline struct file *file_of(struct task_struct *task, int fd)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds;
	struct file *file = NULL;

	if (!fdt || fd < 0 || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
	return file;
}

/* Only this thread updates its keys, and one call at a time: plain additions are exact. */
static __always_inline void add(struct file_stats *s, __s64 bytes, bool write)
{
	if (write) {
		s->writes += 1;
		s->wbytes += bytes;
	} else {
		s->reads += 1;
		s->rbytes += bytes;
	}
}

/* A new key's stats, with the file's name: resolved once per key and interval, not per call. */
static __always_inline struct file_stats *new_stats(struct task_struct *task, struct file *file)
{
	__u32 zero = 0;
	struct file_stats *s = bpf_map_lookup_elem(&stats_scratch, &zero);
	struct dentry *dentry = BPF_CORE_READ(file, f_path.dentry);
	struct path_buf *out = bpf_map_lookup_elem(&path_scratch, &zero);
	__u32 flags = 0, size;

	if (!s || !out)
		return NULL;
	s->reads = 0;
	s->writes = 0;
	s->rbytes = 0;
	s->wbytes = 0;
	s->mntns_id = gadget_mntns_id(task);
	s->cgroup_id = bpf_get_current_cgroup_id();
	s->mode = BPF_CORE_READ(file, f_inode, i_mode);
	bpf_get_current_comm(s->comm, sizeof(s->comm));
	if (BPF_CORE_READ(dentry, d_op, d_dname)) {
		size = BPF_CORE_READ(dentry, d_name.len);
		if (size > NAME_MAX_LEN)
			size = NAME_MAX_LEN;
		bpf_probe_read_kernel(s->path, size, BPF_CORE_READ(dentry, d_name.name));
		flags = FILE_NAMED_BY_DENTRY;
	} else {
		struct path path = BPF_CORE_READ(file, f_path);

		size = resolve_path(&path, out, &flags, FILE_PATH_TRUNCATED);
		if (size <= PATH_MAX_LEN)
			bpf_probe_read_kernel(s->path, size, path_start(out, size));
		else
			size = 0;
	}
	s->path_size = size;
	s->flags = flags;
	return s;
}

static __always_inline void count(__s64 ret, bool write)
{
	struct task_struct *task;
	struct file_key key = {};
	struct file_stats *stats;
	struct file *file;
	__u32 zero = 0;
	void *counts;
	long err;

	if (ret < 0 || !gadget_should_trace())
		return;
	task = bpf_get_current_task_btf();
	file = file_of(task, PT_REGS_PARM1_CORE_SYSCALL((struct pt_regs *)bpf_task_pt_regs(task)));
	if (!file)
		return;
	key.pid = bpf_get_current_pid_tgid() >> 32;
	key.tid = (__u32)bpf_get_current_pid_tgid();
	key.dev = BPF_CORE_READ(file, f_inode, i_sb, s_dev);
	key.inode = BPF_CORE_READ(file, f_inode, i_ino);
	counts = bpf_map_lookup_elem(&counting, &zero);
	if (!counts)
		return;
	stats = bpf_map_lookup_elem(counts, &key);
	if (stats) {
		add(stats, ret, write);
		return;
	}
	stats = new_stats(task, file);
	if (!stats)
		return;
	add(stats, ret, write);
	err = bpf_map_update_elem(counts, &key, stats, BPF_NOEXIST);
	if (err)
		gadget_count_lost(); /* the map is full (E2BIG) or out of memory */
}

#define COUNT_AT_EXIT(syscall, write)                                   \
	SEC("tp/syscalls/sys_exit_" #syscall)                           \
	int top_file_##syscall(struct trace_event_raw_sys_exit *ctx)   \
	{                                                               \
		count(ctx->ret, write);                                 \
		return 0;                                               \
	}

COUNT_AT_EXIT(read, false)
COUNT_AT_EXIT(readv, false)
COUNT_AT_EXIT(pread64, false)
COUNT_AT_EXIT(preadv, false)
COUNT_AT_EXIT(preadv2, false)
COUNT_AT_EXIT(write, true)
COUNT_AT_EXIT(writev, true)
COUNT_AT_EXIT(pwrite64, true)
COUNT_AT_EXIT(pwritev, true)
COUNT_AT_EXIT(pwritev2, true)
