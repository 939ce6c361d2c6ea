/*
 * The exec storm: WORKERS processes each exec PROGRAM in a loop for SECONDS, together RATE execs a
 * second (0: as fast as they can), and wait for each to exit. Every exec carries one argument of its
 * own, "TAG-<worker>-<n>-<ns>", where ns is CLOCK_MONOTONIC just before the exec: a tracer that shows
 * the argument shows which exec it saw, and when it saw it tells its latency. Prints what it ran:
 * "execs N failed N seconds S" (failed: the exec or the program failed).
 *
 * MODE vfork: vfork, then execve with the argument the parent formatted (a static program without
 * libc makes the exec itself all the cost). MODE fork: fork, then the child formats the argument and
 * calls execl with it and a literal argv[0], as C programs do (with a dynamic program, the loader runs
 * too). The literal sits alone in 64 KiB of the program file that the child never touches: after fork
 * such pages are not mapped in the child until it faults on them (or on a page near enough for the
 * kernel to map them along), which a tracer reading argv at sys_enter cannot do, while execve can.
 *
 * Usage: EXEC_STORM_PROGRAM=PROGRAM exec_storm SECONDS WORKERS RATE vfork|fork TAG
 * (the program comes in the environment: a tracer showing the storm's own exec shows its arguments,
 * and these must not name the program, which tells the storm's execs from others).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* 64 KiB to itself, the most the kernel maps around a fault; "storm" is what ps shows as argv[0]. */
static const char literal_argv0[65536] __attribute__((aligned(65536))) = "storm";

struct counts {
	unsigned long long execs, failed;
};

struct storm {
	const char *program;
	const char *tag;
	int use_fork;
	long long interval_ns; /* between two execs of one worker; 0: none */
	long long deadline_ns;
};

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void fail(const char *operation)
{
	fprintf(stderr, "exec_storm: %s: %s\n", operation, strerror(errno));
	exit(1);
}

static void sleep_until(long long ns)
{
	struct timespec t = { .tv_sec = ns / 1000000000LL, .tv_nsec = ns % 1000000000LL };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
		;
}

static pid_t spawn(const struct storm *s, int worker, unsigned long long n)
{
	char arg[96];
	pid_t pid;

	if (s->use_fork) {
		pid = fork();
		if (pid == 0) {
			snprintf(arg, sizeof(arg), "%s-%d-%llu-%lld", s->tag, worker, n, now_ns());
			execl(s->program, literal_argv0, arg, (char *)NULL);
			_exit(127);
		}
	} else {
		char *argv[] = { (char *)s->program, arg, NULL };
		char *envp[] = { NULL };

		snprintf(arg, sizeof(arg), "%s-%d-%llu-%lld", s->tag, worker, n, now_ns());
		pid = vfork();
		if (pid == 0) {
			execve(s->program, argv, envp);
			_exit(127);
		}
	}
	if (pid < 0)
		fail(s->use_fork ? "fork" : "vfork");
	return pid;
}

static void work(const struct storm *s, int worker, long long start, struct counts *counts)
{
	unsigned long long n = 0;
	long long next = start;

	while (now_ns() < s->deadline_ns) {
		int status;

		if (s->interval_ns) {
			sleep_until(next);
			next += s->interval_ns;
			/* Behind by more than a few execs (the machine was busy): resume the pace from now. */
			if (now_ns() - next > 4 * s->interval_ns)
				next = now_ns();
		}
		if (waitpid(spawn(s, worker, n++), &status, 0) < 0)
			fail("waitpid");
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			counts->execs++;
		else
			counts->failed++;
	}
}

int main(int argc, char **argv)
{
	unsigned long long execs = 0, failed = 0;
	struct storm storm;
	struct counts *counts;
	double seconds, rate;
	long long start;
	int workers, i;

	if (argc != 6 || (seconds = atof(argv[1])) <= 0 || (workers = atoi(argv[2])) <= 0 ||
	    (rate = atof(argv[3])) < 0 || (strcmp(argv[4], "vfork") && strcmp(argv[4], "fork")) ||
	    !getenv("EXEC_STORM_PROGRAM")) {
		fprintf(stderr, "usage: EXEC_STORM_PROGRAM=PROGRAM exec_storm SECONDS WORKERS RATE vfork|fork TAG\n");
		return 2;
	}
	counts = mmap(NULL, workers * sizeof(*counts), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (counts == MAP_FAILED)
		fail("mmap");
	start = now_ns();
	storm.program = getenv("EXEC_STORM_PROGRAM");
	storm.tag = argv[5];
	storm.use_fork = !strcmp(argv[4], "fork");
	storm.interval_ns = rate > 0 ? (long long)(workers * 1e9 / rate) : 0;
	storm.deadline_ns = start + (long long)(seconds * 1e9);
	for (i = 0; i < workers; i++) {
		pid_t pid = fork();

		if (pid < 0)
			fail("fork");
		if (pid == 0) {
			/* Workers start spread over one interval, so that a paced storm is even. */
			work(&storm, i, start + storm.interval_ns * i / workers, &counts[i]);
			_exit(0);
		}
	}
	for (i = 0; i < workers; i++) {
		int status;

		if (wait(&status) < 0)
			fail("wait");
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			return 1;
	}
	for (i = 0; i < workers; i++) {
		execs += counts[i].execs;
		failed += counts[i].failed;
	}
	printf("execs %llu failed %llu seconds %.3f\n", execs, failed, (now_ns() - start) / 1e9);
	return 0;
}
