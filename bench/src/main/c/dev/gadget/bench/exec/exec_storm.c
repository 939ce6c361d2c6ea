/*
 * The exec storm: WORKERS processes each vfork and exec PROGRAM in a loop for SECONDS, every exec with
 * an argument of its own ("<worker>-<n>"), and wait for it to exit. Prints what it ran:
 * "execs N failed N seconds S" (failed: the exec or the program failed).
 *
 * Usage: exec_storm SECONDS WORKERS PROGRAM
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

struct counts {
	unsigned long long execs, failed;
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void fail(const char *operation)
{
	fprintf(stderr, "exec_storm: %s: %s\n", operation, strerror(errno));
	exit(1);
}

static void work(int worker, char *program, double deadline, struct counts *counts)
{
	char arg[32];
	char *argv[] = { program, arg, NULL };
	char *envp[] = { NULL };
	unsigned long long n = 0;

	while (now() < deadline) {
		int status;
		pid_t pid;

		snprintf(arg, sizeof(arg), "%d-%llu", worker, n++);
		pid = vfork();
		if (pid == 0) {
			execve(program, argv, envp);
			_exit(127);
		}
		if (pid < 0)
			fail("vfork");
		if (waitpid(pid, &status, 0) < 0)
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
	struct counts *counts;
	double seconds, start;
	int workers, i;

	if (argc != 4 || (seconds = atof(argv[1])) <= 0 || (workers = atoi(argv[2])) <= 0) {
		fprintf(stderr, "usage: exec_storm SECONDS WORKERS PROGRAM\n");
		return 2;
	}
	counts = mmap(NULL, workers * sizeof(*counts), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (counts == MAP_FAILED)
		fail("mmap");
	start = now();
	for (i = 0; i < workers; i++) {
		pid_t pid = fork();

		if (pid < 0)
			fail("fork");
		if (pid == 0) {
			work(i, argv[3], start + seconds, &counts[i]);
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
	printf("execs %llu failed %llu seconds %.3f\n", execs, failed, now() - start);
	return 0;
}
