// SPDX-License-Identifier: GPL-2.0
/*
 * Whether BPF ring buffers work on this node: a test run of the program writes one record, which
 * the daemon must then read from the mapped ring.
 * Loaded and run once at daemon start by HookProbe.java, then closed; never used by a gadget.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16); /* a whole number of pages of any size up to 64 KiB */
} probe_ring SEC(".maps");

/* What the record holds; HookProbe.java checks it. */
#define PROBE_RECORD 0x70726f6265ULL

SEC("raw_tp")
int probe(void *ctx)
{
	__u64 record = PROBE_RECORD;

	return bpf_ringbuf_output(&probe_ring, &record, sizeof(record), 0);
}

char LICENSE[] SEC("license") = "GPL";
