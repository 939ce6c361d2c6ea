/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every gadget's BPF program shares: the header each event starts with, the ring buffer the
 * events travel through, the per-CPU counter of events that could not be delivered, and the
 * container filter every gadget applies before it builds an event.
 *
 * The Java side mirrors these: dev.gadget.gadgets.EventHeader (struct gadget_header) and
 * dev.gadget.gadgets.SharedHeader (the names of the maps and globals below). Events leave through
 * gadget_submit or gadget_submit_dynptr, which decide when the reader wakes.
 */
#ifndef GADGET_H
#define GADGET_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define GADGET_COMM_LEN 16

/* 64 bytes, naturally aligned: no padding surprises between clang and the Java decoder. */
struct gadget_header {
	__u64 timestamp_ns; /* CLOCK_BOOTTIME: keeps counting across suspend, unlike ktime_get_ns */
	__u64 mntns_id;
	__u64 cgroup_id;    /* cgroup v2 id (the inode number of the cgroup directory) */
	__u32 pid;          /* tgid, as user space calls it */
	__u32 tid;
	__u32 ppid;         /* tgid of the real parent */
	__u32 uid;
	__u32 gid;
	__u32 reserved;
	char comm[GADGET_COMM_LEN];
};

/* User space sizes the ring (bpf_map__set_max_entries) before load; this is only the default. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} gadget_events SEC(".maps");

/* Events that did not fit into gadget_events. User space sums the CPUs and reports the growth. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} gadget_lost SEC(".maps");

#define GADGET_FILTER_OFF 0
#define GADGET_FILTER_ALLOW 1 /* only tasks in a cgroup listed in gadget_cgroups */
#define GADGET_FILTER_DENY 2  /* only tasks in no cgroup listed in gadget_cgroups */

const volatile __u32 gadget_filter_mode = GADGET_FILTER_OFF;

/* cgroup v2 ids user space keeps up to date as containers come and go; the value is unused. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, __u8);
} gadget_cgroups SEC(".maps");

/* Events the filter kept out, so that user space can tell it never saw them because of it. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} gadget_filtered SEC(".maps");

static __always_inline void gadget_count(void *counter)
{
	__u32 zero = 0;
	__u64 *count = bpf_map_lookup_elem(counter, &zero);

	if (count)
		*count += 1;
}

static __always_inline void gadget_count_lost(void)
{
	gadget_count(&gadget_lost);
}

/* Whether tasks of this cgroup are wanted, counting nothing: for a second look at what was counted once. */
static __always_inline bool gadget_cgroup_wanted(__u64 cgroup_id)
{
	bool listed;

	if (gadget_filter_mode == GADGET_FILTER_OFF)
		return true;
	listed = bpf_map_lookup_elem(&gadget_cgroups, &cgroup_id) != NULL;
	return gadget_filter_mode == GADGET_FILTER_ALLOW ? listed : !listed;
}

/* Whether a task of this cgroup is wanted, for work done outside its context (iterators): counts what it keeps out. */
static __always_inline bool gadget_should_trace_cgroup(__u64 cgroup_id)
{
	bool wanted = gadget_cgroup_wanted(cgroup_id);

	if (!wanted)
		gadget_count(&gadget_filtered);
	return wanted;
}

/* Whether the current task's events are wanted: call it first, before any work on the event. */
static __always_inline bool gadget_should_trace(void)
{
	if (gadget_filter_mode == GADGET_FILTER_OFF)
		return true;
	return gadget_should_trace_cgroup(bpf_get_current_cgroup_id());
}

static __always_inline __u64 gadget_mntns_id(struct task_struct *task)
{
	return BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
}

/* The task's cgroup v2 id, what bpf_get_current_cgroup_id() gives when the task itself runs. */
static __always_inline __u64 gadget_task_cgroup_id(struct task_struct *task)
{
	return BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, id);
}

static __always_inline void gadget_fill_header(struct gadget_header *h)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u64 uid_gid = bpf_get_current_uid_gid();

	h->timestamp_ns = bpf_ktime_get_boot_ns();
	h->mntns_id = gadget_mntns_id(task);
	h->cgroup_id = bpf_get_current_cgroup_id();
	h->pid = pid_tgid >> 32;
	h->tid = (__u32)pid_tgid;
	h->ppid = BPF_CORE_READ(task, real_parent, tgid);
	h->uid = (__u32)uid_gid;
	h->gid = uid_gid >> 32;
	h->reserved = 0;
	bpf_get_current_comm(h->comm, sizeof(h->comm));
}

/*
 * When a record wakes the reader. By default the kernel wakes it for every record committed while it
 * had caught up: under a steady trickle of events that is a wake-up, a read and a write per event.
 * User space may set gadget_wakeup_bytes before load: the reader then pauses after the wake-up of the
 * first record to let a batch gather (records committed meanwhile do not wake it, as it has not caught
 * up), and a record wakes it at once only when that many bytes wait, so that a burst cannot fill the
 * ring during the pause. A reader with nothing to read sleeps until the next record.
 */
const volatile __u64 gadget_wakeup_bytes = 0;

static __always_inline __u64 gadget_wakeup_flags(void)
{
	if (!gadget_wakeup_bytes)
		return 0;
	return bpf_ringbuf_query(&gadget_events, BPF_RB_AVAIL_DATA) >= gadget_wakeup_bytes ? BPF_RB_FORCE_WAKEUP : 0;
}

/* Reserves a fixed-size event; a full ring is counted, never silently dropped. */
static __always_inline void *gadget_reserve(__u64 size)
{
	void *event = bpf_ringbuf_reserve(&gadget_events, size, 0);

	if (!event)
		gadget_count_lost();
	return event;
}

static __always_inline void gadget_submit(void *event)
{
	bpf_ringbuf_submit(event, gadget_wakeup_flags());
}

/*
 * Reserves a variable-size event. The dynptr must be submitted (gadget_submit_dynptr) or discarded by
 * the caller in every case, also when the reservation failed (the verifier insists); returns false on
 * failure.
 */
static __always_inline bool gadget_reserve_dynptr(__u32 size, struct bpf_dynptr *ptr)
{
	if (bpf_ringbuf_reserve_dynptr(&gadget_events, size, 0, ptr)) {
		gadget_count_lost();
		return false;
	}
	return true;
}

static __always_inline void gadget_submit_dynptr(struct bpf_dynptr *ptr)
{
	bpf_ringbuf_submit_dynptr(ptr, gadget_wakeup_flags());
}

char LICENSE[] SEC("license") = "GPL";

#endif /* GADGET_H */
