/*
 * Unit tests of sarif.c and of the rules tables the reports describe:
 * paths made relative to the top of the working tree, fingerprints that
 * stay when lines move and differ between equal findings, and tables of
 * distinct rules with one-line descriptions.  The reports themselves are
 * checked end to end, against the SARIF schema, in tests/cli/ci-formats.sh.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "sarif.h"
#include "validate.h"

static void
expect_rel(const char *root, const char *cwd, const char *path,
    const char *want)
{
	char *got = dipb_result_relpath(root, cwd, path);

	cr_expect_str_eq(got, want, "relpath(%s, %s, %s)", root, cwd, path);
	free(got);
}

Test(sarif, relpath)
{
	expect_rel("/r/", "/r/sub", "../recs/IC-0001.yaml",
	    "recs/IC-0001.yaml");
	expect_rel("/r/", "/r", "./a/./b/../c.yaml", "a/c.yaml");
	expect_rel("/r/", "/r/x", "/r/dipb.yaml", "dipb.yaml");
	expect_rel("/r/", "/r", "../other/x.yaml", "/other/x.yaml");
	expect_rel("/r/", "/", "/rx/y.yaml", "/rx/y.yaml");
	expect_rel("/r/", "/r", "a//b.yaml", "a/b.yaml");
	expect_rel("/", "/tmp", "x.yaml", "tmp/x.yaml");
	expect_rel("/r/", "/r", "../../../..", "/");
}

Test(sarif, root_from_git_work_tree)
{
	char *root;

	setenv("GIT_WORK_TREE", "../top/.", 1);
	root = dipb_result_root("/a/b");
	cr_expect_str_eq(root, "/a/top/");
	free(root);
	unsetenv("GIT_WORK_TREE");
}

Test(sarif, fingerprints)
{
	struct dipb_result v[4];
	char fp[4][65], again[4][65];

	memset(v, 0, sizeof(v));
	v[0].rule = v[1].rule = v[2].rule = v[3].rule = "unknown-key";
	v[0].msg = v[1].msg = v[3].msg = "unknown key 'colour'";
	v[2].msg = "unknown key 'color'";
	v[0].path = v[1].path = v[2].path = "recommendations/IC-0001.yaml";
	v[3].path = "recommendations/IC-0002.yaml";
	v[0].line = 3;
	v[1].line = 9;
	dipb_result_fingerprints(fp, "validate", v, 4);
	cr_expect_str_neq(fp[0], fp[1], "equal findings, distinct prints");
	cr_expect_str_neq(fp[0], fp[2], "another message");
	cr_expect_str_neq(fp[0], fp[3], "another file");
	cr_expect_eq(strlen(fp[0]), 64);
	cr_expect_eq(strspn(fp[0], "0123456789abcdef"), 64);

	/* The lines move: the same fingerprints. */
	v[0].line = 30;
	v[1].line = 90;
	dipb_result_fingerprints(again, "validate", v, 4);
	cr_expect_str_eq(again[0], fp[0]);
	cr_expect_str_eq(again[1], fp[1]);

	/* Another command: another fingerprint. */
	dipb_result_fingerprints(again, "verify", v, 1);
	cr_expect_str_neq(again[0], fp[0]);
}

static void
check_table(const struct dipb_rule *t, const char *what)
{
	size_t i, k, n;

	for (i = 0; t[i].name != NULL; i++) {
		cr_expect_not_null(t[i].what, "%s: %s", what, t[i].name);
		if (t[i].what == NULL)
			continue;
		n = strlen(t[i].what);
		cr_expect(n > 0 && t[i].what[n - 1] != '.' &&
		    strchr(t[i].what, '\n') == NULL,
		    "%s: %s: one line, no full stop", what, t[i].name);
		for (k = 0; k < i; k++)
			cr_expect_str_neq(t[i].name, t[k].name, "%s: twice",
			    what);
	}
	cr_expect_gt(i, 30, "%s: %zu rules", what, i);
}

Test(sarif, validate_rules)
{
	check_table(dipb_validate_rules, "dipb_validate_rules");
}
