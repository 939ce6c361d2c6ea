/*
 * libbpf's own ring buffer consumer for the ring drain benchmark: it reads the ring of the
 * benchmark's loaded object (found by map id) through ring_buffer__poll / ring_buffer__consume, doing
 * per record what the Java consumers do (SequenceCheck.java): check the sequence number, count, and
 * sample the clock every 1024 records.
 *
 * Usage: ring_consumer MAP_ID CPU stream|drain
 *   stream: prints "ready", polls until SIGTERM, reads what is left, prints its result line.
 *   drain:  prints "ready", then for each line on stdin reads the ring until empty and prints the
 *           result line of that drain; exits at the end of stdin.
 * Result line: "records N errors N timed N nanos N" (timed records within nanos).
 */
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SAMPLE_EVERY 1024
#define POLL_MILLIS 100

struct check {
	uint64_t records, errors, next;
	uint64_t first_sample_ns, first_sample_records, last_sample_ns, last_sample_records;
};

static volatile sig_atomic_t stopping;

static void on_sigterm(int signal)
{
	(void)signal;
	stopping = 1;
}

static void fail(const char *operation, int error)
{
	fprintf(stderr, "ring_consumer: %s: %s\n", operation, strerror(error));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct check *c = ctx;
	uint64_t sequence;

	(void)size;
	memcpy(&sequence, data, sizeof(sequence));
	if (c->records > 0 && sequence != c->next)
		c->errors++;
	c->next = sequence + 1;
	if (++c->records % SAMPLE_EVERY == 0) {
		c->last_sample_ns = now_ns();
		c->last_sample_records = c->records;
		if (!c->first_sample_ns) {
			c->first_sample_ns = c->last_sample_ns;
			c->first_sample_records = c->records;
		}
	}
	return 0;
}

static void report(const struct check *c, uint64_t timed_records, uint64_t timed_ns)
{
	printf("records %llu errors %llu timed %llu nanos %llu\n", (unsigned long long)c->records,
	       (unsigned long long)c->errors, (unsigned long long)timed_records, (unsigned long long)timed_ns);
	fflush(stdout);
}

static void consume_all(struct ring_buffer *ring)
{
	int n;

	while ((n = ring_buffer__consume(ring)) > 0)
		;
	if (n < 0)
		fail("ring_buffer__consume", -n);
}

static void stream(struct ring_buffer *ring, struct check *c)
{
	struct sigaction action = { .sa_handler = on_sigterm };

	if (sigaction(SIGTERM, &action, NULL))
		fail("sigaction", errno);
	printf("ready\n");
	fflush(stdout);
	while (!stopping) {
		int n = ring_buffer__poll(ring, POLL_MILLIS);

		if (n < 0 && n != -EINTR)
			fail("ring_buffer__poll", -n);
	}
	consume_all(ring);
	report(c, c->last_sample_records - c->first_sample_records, c->last_sample_ns - c->first_sample_ns);
}

static void drain(struct ring_buffer *ring, struct check *c)
{
	char line[64];

	printf("ready\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		uint64_t start;

		memset(c, 0, sizeof(*c));
		start = now_ns();
		consume_all(ring);
		report(c, c->records, now_ns() - start);
	}
}

int main(int argc, char **argv)
{
	struct check check = {0};
	struct ring_buffer *ring;
	cpu_set_t cpus;
	int fd;

	if (argc != 4 || (strcmp(argv[3], "stream") && strcmp(argv[3], "drain"))) {
		fprintf(stderr, "usage: ring_consumer MAP_ID CPU stream|drain\n");
		return 2;
	}
	CPU_ZERO(&cpus);
	CPU_SET(atoi(argv[2]), &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus))
		fail("sched_setaffinity", errno);
	fd = bpf_map_get_fd_by_id(strtoul(argv[1], NULL, 10));
	if (fd < 0)
		fail("bpf_map_get_fd_by_id", errno);
	ring = ring_buffer__new(fd, on_record, &check, NULL);
	if (!ring)
		fail("ring_buffer__new", errno);
	if (!strcmp(argv[3], "stream"))
		stream(ring, &check);
	else
		drain(ring, &check);
	ring_buffer__free(ring);
	return 0;
}
