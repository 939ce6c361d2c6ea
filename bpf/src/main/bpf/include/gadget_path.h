/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A path as a task sees it, built in BPF from a struct path by walking dentries up to the root of the
 * task's mount namespace and crossing mounts on the way: what d_path() gives, for programs that may
 * not call it. The path is built backwards into a buffer of the caller's (scratch memory it owns for
 * the time of one event); resolve_path() returns its length, its bytes are
 * out->buf[PATH_MAX_LEN - length, PATH_MAX_LEN), see path_start().
 */
#ifndef GADGET_PATH_H
#define GADGET_PATH_H

#include "gadget.h"

#define PATH_MAX_LEN 4096
#define NAME_MAX_LEN 255
#define PATH_LOOPS 2048 /* components plus mount crossings of one path */

/*
 * A path is built backwards ending at PATH_MAX_LEN; twice that size lets the verifier see that a
 * component write (start below PATH_MAX_LEN, up to NAME_MAX_LEN long) and the final copy-out
 * (start and size each below PATH_MAX_LEN + 1, uncorrelated to it) stay inside.
 */
struct path_buf {
	char buf[2 * PATH_MAX_LEN];
};

struct path_ctx {
	struct dentry *dentry;
	struct vfsmount *vfsmnt;
	struct mount *mnt;
	struct path_buf *out;
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

/*
 * Whether the file or directory was deleted (what d_path() marks " (deleted)"): its dentry was
 * unhashed and is not a root.
 */
static __always_inline bool path_deleted(struct path *path)
{
	struct dentry *dentry = BPF_CORE_READ(path, dentry);

	return dentry && !BPF_CORE_READ(dentry, d_hash.pprev) && BPF_CORE_READ(dentry, d_parent) != dentry;
}

/*
 * Resolves a path as the task sees it (relative to its mount namespace root) into out; returns its
 * length. A path too long for PATH_MAX_LEN keeps its end and sets truncated_flag in *flags.
 */
static __always_inline __u32 resolve_path(struct path *path, struct path_buf *out, __u32 *flags,
					  __u32 truncated_flag)
{
	struct path_ctx c = {};
	struct vfsmount *vfsmnt = BPF_CORE_READ(path, mnt);

	if (!vfsmnt)
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

/* Where a resolved path of size bytes (at most PATH_MAX_LEN) starts in out. */
static __always_inline const char *path_start(struct path_buf *out, __u32 size)
{
	return &out->buf[(PATH_MAX_LEN - size) & (PATH_MAX_LEN - 1)];
}

#endif /* GADGET_PATH_H */
