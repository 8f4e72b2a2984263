/*
 * bench/run_timed.c - runs commands one after another and prints the
 * wall-clock time they took together, in microseconds, so that the
 * shell's own processes (date, cp) stay out of what is measured.
 *
 * usage: run_timed [-r] CMD [ARG...] [';' CMD [ARG...]]...
 *
 * With -r, it prints three numbers on the line: the wall-clock time, the
 * CPU time (user and system) the commands took together, both in
 * microseconds, and the largest peak resident set size of one of them in
 * KiB (getrusage of the children: what /usr/bin/time -f %M prints).
 *
 * The commands' standard input, output and error are /dev/null.  Exits 1
 * (printing nothing on standard output) if one cannot run or exits other
 * than 0.
 */
#define _POSIX_C_SOURCE 200809L

#include <sys/resource.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int
run(char **argv)
{
	pid_t pid;
	int st, fd;

	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		if ((fd = open("/dev/null", O_RDWR)) != -1) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) == -1)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int i, start = 1, res = 0;

	if (argc > 1 && strcmp(argv[1], "-r") == 0) {
		res = 1;
		start = 2;
	}
	if (argc < start + 1) {
		fputs("usage: run_timed [-r] CMD [ARG...] [';' CMD [ARG...]]...\n",
		    stderr);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = start; i <= argc; i++) {
		if (i < argc && strcmp(argv[i], ";") != 0)
			continue;
		argv[i] = NULL;		/* argv[argc] is NULL already */
		if (i > start && run(argv + start) == -1) {
			fprintf(stderr, "run_timed: %s failed\n", argv[start]);
			return 1;
		}
		start = i + 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%lld", (long long)(t1.tv_sec - t0.tv_sec) * 1000000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000);
	if (res && getrusage(RUSAGE_CHILDREN, &ru) == 0)
		printf(" %lld %ld", (long long)(ru.ru_utime.tv_sec +
		    ru.ru_stime.tv_sec) * 1000000 + ru.ru_utime.tv_usec +
		    ru.ru_stime.tv_usec, ru.ru_maxrss);
	putchar('\n');
	return 0;
}
