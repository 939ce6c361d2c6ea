// SPDX-License-Identifier: GPL-2.0
/*
 * Reports every cgroup v2 directory created or removed, as it happens: containers get their cgroup
 * before their first process, so a container filter can list it before anything runs inside.
 * Mirrored by CgroupWatcher.java.
 */
#include "gadget.h"

#define CGROUP_PATH_MAX 4096
#define CGROUP2_HIERARCHY 0 /* the default hierarchy, cgroup v2; v1 hierarchies have ids from 1 */

struct cgroup_change {
	__u64 id;
	__u32 created; /* 1 mkdir, 0 rmdir */
	__u32 path_size; /* bytes of path, no NUL */
	char path[CGROUP_PATH_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cgroup_change);
} change_scratch SEC(".maps");

static __always_inline int report(struct trace_event_raw_cgroup *ctx, __u32 created)
{
	__u32 zero = 0, loc = ctx->__data_loc_path;
	struct cgroup_change *c = bpf_map_lookup_elem(&change_scratch, &zero);
	struct bpf_dynptr ptr;
	__u32 size;
	long n;

	if (!c || ctx->root != CGROUP2_HIERARCHY)
		return 0;
	c->id = ctx->id;
	c->created = created;
	n = bpf_probe_read_kernel_str(c->path, sizeof(c->path), (void *)ctx + (loc & 0xffff));
	if (n <= 0)
		return 0;
	c->path_size = n - 1;
	size = offsetof(struct cgroup_change, path) + c->path_size;
	if (gadget_reserve_dynptr(size, &ptr)) {
		bpf_dynptr_write(&ptr, 0, c, size, 0);
		bpf_ringbuf_submit_dynptr(&ptr, 0);
	} else {
		bpf_ringbuf_discard_dynptr(&ptr, 0);
	}
	return 0;
}

SEC("tp/cgroup/cgroup_mkdir")
int cgroup_created(struct trace_event_raw_cgroup *ctx)
{
	return report(ctx, 1);
}

SEC("tp/cgroup/cgroup_rmdir")
int cgroup_removed(struct trace_event_raw_cgroup *ctx)
{
	return report(ctx, 0);
}
