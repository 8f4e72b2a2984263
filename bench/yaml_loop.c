/*
 * yaml_loop.c - the floor of bench/validate.sh: every .yaml file of a
 * folder read and parsed with libyaml's event API, events discarded, on
 * one thread.  What any validator built on libyaml must at least do.
 *
 * usage: yaml_loop DIR
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

int
main(int argc, char **argv)
{
	static char buf[1 << 20];
	yaml_parser_t p;
	yaml_event_t ev;
	struct dirent *de;
	unsigned long files = 0, events = 0, bad = 0;
	size_t n;
	ssize_t r;
	char path[4096];
	DIR *d;
	int fd, done;

	if (argc != 2 || (d = opendir(argv[1])) == NULL) {
		fputs("usage: yaml_loop DIR\n", stderr);
		return 2;
	}
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n < 6 || strcmp(de->d_name + n - 5, ".yaml") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", argv[1], de->d_name);
		if ((fd = open(path, O_RDONLY)) == -1)
			continue;
		for (n = 0; (r = read(fd, buf + n, sizeof(buf) - n)) > 0;)
			n += (size_t)r;
		close(fd);
		yaml_parser_initialize(&p);
		yaml_parser_set_input_string(&p, (unsigned char *)buf, n);
		for (done = 0; !done;) {
			if (!yaml_parser_parse(&p, &ev)) {
				bad++;
				break;
			}
			done = ev.type == YAML_STREAM_END_EVENT;
			yaml_event_delete(&ev);
			events++;
		}
		yaml_parser_delete(&p);
		files++;
	}
	closedir(d);
	printf("%lu files, %lu events, %lu unparsable\n", files, events, bad);
	return 0;
}
