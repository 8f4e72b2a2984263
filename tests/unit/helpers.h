/*
 * tests/unit/helpers.h - what several unit test files need: shell
 * commands in a fixture folder, the source tree, diagnostics in the log.
 */
#ifndef DIPB_TEST_HELPERS_H
#define DIPB_TEST_HELPERS_H

#include "board.h"
#include "diag.h"
#include "util.h"

/* The source tree: $DIPB_SRCDIR (make sets it), else ".". */
const char *test_srcdir(void);

/* Runs "cd dir && { cmd ; }" with its output discarded: the exit status. */
int	 test_sh(const char *dir, const char *fmt, ...) DIPB_PRINTF(2, 3);

/* The standard output of "cd dir && { cmd ; }", stderr discarded. */
char	*test_out(const char *dir, const char *fmt, ...) DIPB_PRINTF(2, 3);

/* rm -rf dir, with a warning in the log when it cannot. */
void	 test_rmdir(const char *dir);

/* Initialises b and loads yaml into it as dipb.yaml; asserts it loads. */
void	 test_board_load(struct dipb_board *b, const char *yaml);

/* Each diagnostic of d as a line of the test's log. */
void	 test_print_diags(const struct dipb_diags *d);

#endif
