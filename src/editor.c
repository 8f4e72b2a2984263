/*
 * editor.c - the user's editor.
 */
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "editor.h"
#include "error.h"
#include "record.h"

const struct dipb_error *
dipb_editor_run(const char *path)
{
	const char *editor = getenv("VISUAL");
	char *script;
	pid_t pid;
	int status;

	if (editor == NULL || *editor == '\0')
		editor = getenv("EDITOR");
	if (editor == NULL || *editor == '\0')
		editor = "vi";
	script = xasprintf("%s \"$@\"", editor);
	fflush(NULL);
	if ((pid = fork()) == -1) {
		free(script);
		return dipb_error_from_errno("fork");
	}
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", script, editor, path,
		    (char *)NULL);
		_exit(127);
	}
	free(script);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return dipb_error_from_errno("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return dipb_error_fmt(DIPB_ERR_EDITOR,
		    "the editor '%s' failed", editor);
	return NULL;
}

const struct dipb_error *
dipb_editor_edit(struct dipb_buf *out, const char *initial, size_t len)
{
	const struct dipb_error *err = NULL;
	const char *tmpdir = getenv("TMPDIR");
	char *path;
	FILE *fp;
	int fd;

	if (tmpdir == NULL || *tmpdir == '\0')
		tmpdir = "/tmp";
	path = xasprintf("%s/dipb-edit-XXXXXX.yaml", tmpdir);
	if ((fd = mkstemps(path, 5)) == -1) {
		err = dipb_error_from_errno("%s", path);
		free(path);
		return err;
	}
	if ((fp = fdopen(fd, "w")) == NULL) {
		err = dipb_error_from_errno("%s", path);
		close(fd);
		goto done;
	}
	if (fwrite(initial, 1, len, fp) != len)
		err = dipb_error_from_errno("%s", path);
	if (fclose(fp) != 0 && err == NULL)
		err = dipb_error_from_errno("%s", path);
	if (err == NULL)
		err = dipb_editor_run(path);
	if (err == NULL)
		err = dipb_read_file(out, path, DIPB_MAX_FILE);
done:
	unlink(path);
	free(path);
	return err;
}

int
dipb_editor_ask(const char *question)
{
	char line[64];

	fprintf(stderr, "%s [Y/n] ", question);
	fflush(stderr);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return 0;
	return line[0] == '\n' || line[0] == 'y' || line[0] == 'Y';
}
