/*
 * bench/run_timed.c - runs commands one after another and prints the
 * wall-clock time they took together, in microseconds, so that the
 * shell's own processes (date, cp) stay out of what is measured.
 *
 * usage: run_timed [-r | -a] CMD [ARG...] [';' CMD [ARG...]]...
 *
 * With -r, it prints three numbers on the line: the wall-clock time, the
 * CPU time (user and system) the commands took together, both in
 * microseconds, and the largest peak resident set size of one of them in
 * KiB (getrusage of the children: what /usr/bin/time -f %M prints).
 * With -a, a fourth: the largest anonymous memory of one of them in KiB,
 * the RssAnon of /proc/PID/status(5) read every 5 ms while it runs: what
 * it allocated, without the pages of files it maps, which the kernel
 * shares with every reader of the file and drops when memory is short.
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

static long	 anon_peak;	/* KiB (-a) */
static int	 anon;

/* Samples pid's RssAnon into anon_peak every 5 ms until it ends. */
static pid_t
wait_sampling(pid_t pid, int *st)
{
	const struct timespec tick = { 0, 5000000 };
	char path[64], line[256];
	pid_t r;
	long kib;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	while ((r = waitpid(pid, st, WNOHANG)) == 0) {
		if ((f = fopen(path, "r")) != NULL) {
			while (fgets(line, sizeof(line), f) != NULL)
				if (sscanf(line, "RssAnon: %ld", &kib) == 1 &&
				    kib > anon_peak)
					anon_peak = kib;
			fclose(f);
		}
		nanosleep(&tick, NULL);
	}
	return r;
}

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
	if ((anon ? wait_sampling(pid, &st) : waitpid(pid, &st, 0)) == -1)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int i, start = 1, res = 0;

	if (argc > 1 && (strcmp(argv[1], "-r") == 0 ||
	    strcmp(argv[1], "-a") == 0)) {
		res = 1;
		anon = argv[1][1] == 'a';
		start = 2;
	}
	if (argc < start + 1) {
		fputs("usage: run_timed [-r | -a] CMD [ARG...] "
		    "[';' CMD [ARG...]]...\n", stderr);
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
	if (anon)
		printf(" %ld", anon_peak);
	putchar('\n');
	return 0;
}
