// SPDX-License-Identifier: GPL-2.0
/*
 * The producer of the ring drain benchmark: each run (BPF_PROG_TEST_RUN, nothing attached) reserves
 * and submits up to `batch` records of one fixed size into gadget_events, as fast as the kernel can.
 * Every record starts with a sequence number, so that a consumer can check it sees each record once
 * and in order. Records that find the ring full are counted in gadget_lost, and the run goes on.
 * Returns the number of records submitted.
 */
#include "gadget.h"

const volatile __u32 batch = 4096;

/* Only one producer runs at a time (one benchmark thread), so a plain global is enough. */
__u64 sequence;

struct emit_ctx {
	__u32 submitted;
};

/* The size must be a constant for bpf_ringbuf_reserve: one program per record size. */
#define PRODUCER(size)                                                  \
	static long emit_##size(__u32 i, void *ctx)                     \
	{                                                               \
		struct emit_ctx *c = ctx;                               \
		__u64 *record = gadget_reserve(size);                   \
									\
		if (!record)                                            \
			return 0;                                       \
		*record = sequence++;                                   \
		gadget_submit(record);                                  \
		c->submitted++;                                         \
		return 0;                                               \
	}                                                               \
									\
	SEC("raw_tp")                                                   \
	int produce_##size(void *ctx)                                   \
	{                                                               \
		struct emit_ctx c = {};                                 \
									\
		bpf_loop(batch, emit_##size, &c, 0);                    \
		return c.submitted;                                     \
	}

PRODUCER(16)
PRODUCER(64)
PRODUCER(256)
PRODUCER(1024)
