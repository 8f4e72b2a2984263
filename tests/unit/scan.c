/*
 * Unit tests of scan.h's reading of a file, which validate and fmt share:
 * a failure of dipb's own (no descriptor left: RLIMIT_NOFILE, as under
 * ulimit -n) is the run's error, never [io] of a file that is there
 * (dipb-validate(1), EXIT STATUS); a file's own failure (it is not
 * there, EIO) is [io], and the file read whole is no diagnostic.
 */
#include <sys/resource.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "error.h"
#include "helpers.h"
#include "scan.h"

/* A file of the source tree, there to be read. */
static char *
some_file(void)
{
	return xasprintf("%s/tests/validate/dipb.yaml", test_srcdir());
}

Test(scan, read_a_file)
{
	struct dipb_diags d = DIPB_DIAGS_INIT;
	struct dipb_buf buf = DIPB_BUF_INIT;
	char *path = some_file();
	int rc;

	cr_assert_null(dipb_scan_read(&rc, &buf, &d, path));
	cr_expect_eq(rc, 0);
	cr_expect_gt(buf.len, 0);
	cr_expect_eq(d.n, 0);
	dipb_buf_release(&buf);
	dipb_diags_release(&d);
	free(path);
}

Test(scan, missing_file_is_io)
{
	struct dipb_diags d = DIPB_DIAGS_INIT;
	struct dipb_buf buf = DIPB_BUF_INIT;
	int rc;

	cr_assert_null(dipb_scan_read(&rc, &buf, &d, "no/such/file.yaml"));
	cr_expect_eq(rc, -1);
	cr_assert_eq(d.n, 1);
	cr_expect_str_eq(d.v[0].rule, "io");
	dipb_buf_release(&buf);
	dipb_diags_release(&d);
}

/*
 * No descriptor left (the limit set to the lowest free one): the file is
 * there, its read fails with EMFILE, which is the error returned, no
 * diagnostic.  Criterion runs each test in a process of its own.
 */
Test(scan, no_descriptor_left_is_the_runs_error)
{
	struct dipb_diags d = DIPB_DIAGS_INIT;
	struct dipb_buf buf = DIPB_BUF_INIT;
	const struct dipb_error *err;
	struct rlimit rl;
	char *path = some_file();
	int fd, rc;

	cr_assert_neq(fd = dup(STDERR_FILENO), -1);
	close(fd);
	cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	rl.rlim_cur = (rlim_t)fd;
	cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	err = dipb_scan_read(&rc, &buf, &d, path);
	cr_assert_not_null(err);
	cr_expect_eq(rc, -1);
	cr_expect_eq(d.n, 0);
	cr_expect_eq(err->code, DIPB_ERR_IO);
	cr_expect_not_null(strstr(err->msg, strerror(EMFILE)), "%s",
	    err->msg);
	dipb_error_free(err);
	dipb_buf_release(&buf);
	dipb_diags_release(&d);
	free(path);
}

Test(scan, own_failures_are_no_finding)
{
	static const int own[] = { EMFILE, ENFILE, ENOMEM, ENOBUFS, EINTR,
	    EAGAIN };
	struct dipb_diags d = DIPB_DIAGS_INIT;
	const struct dipb_error *err;
	size_t i;

	for (i = 0; i < sizeof(own) / sizeof(*own); i++) {
		cr_assert_not_null(err = dipb_scan_io(&d, "f.yaml", own[i]));
		dipb_error_free(err);
	}
	cr_expect_eq(d.n, 0);
	/* The file's medium, or its permissions: the file's [io]. */
	cr_expect_null(dipb_scan_io(&d, "f.yaml", EIO));
	cr_expect_null(dipb_scan_io(&d, "f.yaml", EACCES));
	cr_expect_eq(d.n, 2);
	dipb_diags_release(&d);
}
