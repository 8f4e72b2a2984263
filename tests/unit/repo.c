/*
 * Unit tests of repo.h: each test builds a repository in a fresh temporary
 * folder and checks what dipb wrote with the real git.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <git2.h>

#include "error.h"
#include "git/internal.h"
#include "helpers.h"
#include "repo.h"
#include "util.h"

static char tmpdir[64];
static char *wt;		/* the working tree, ends without '/' */

/* Shell commands in the working tree (helpers.h). */
#define sh(...)		test_sh(wt, __VA_ARGS__)
#define out(...)	test_out(wt, __VA_ARGS__)

static void
expect_out(const char *want, const char *cmd)
{
	char *got = out("%s", cmd);

	cr_expect_str_eq(got, want, "%s:\ngot:\n%s\nwant:\n%s", cmd, got,
	    want);
	free(got);
}

static void
write_wt(const char *path, const char *text)
{
	char *full = xasprintf("%s/%s", wt, path);
	FILE *fp = fopen(full, "w");

	cr_assert_not_null(fp, "%s: %s", full, strerror(errno));
	fputs(text, fp);
	fclose(fp);
	free(full);
}

static char *
read_wt(const char *path)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	const struct dipb_error *err;
	char *full = xasprintf("%s/%s", wt, path);

	err = dipb_read_file(&b, full, 0);
	free(full);
	if (err != NULL) {
		dipb_error_free(err);
		dipb_buf_release(&b);
		return NULL;
	}
	return dipb_buf_detach(&b);
}

static int
exists_wt(const char *path)
{
	char *full = xasprintf("%s/%s", wt, path);
	struct stat st;
	int rc = lstat(full, &st) == 0;

	free(full);
	return rc;
}

static void
no_error(const struct dipb_error *err)
{
	cr_assert_null(err, "unexpected error: %s", err ? err->msg : "");
}

static void
expect_code(const struct dipb_error *err, int code)
{
	cr_assert_not_null(err, "expected %s, got success",
	    dipb_error_code_name(code));
	cr_expect_eq(err->code, code, "expected %s, got %s: %s",
	    dipb_error_code_name(code), dipb_error_code_name(err->code),
	    err->msg);
	dipb_error_free(err);
}

static void
clear_identity_env(void)
{
	unsetenv("GIT_AUTHOR_NAME");
	unsetenv("GIT_AUTHOR_EMAIL");
	unsetenv("GIT_AUTHOR_DATE");
	unsetenv("GIT_COMMITTER_NAME");
	unsetenv("GIT_COMMITTER_EMAIL");
	unsetenv("GIT_COMMITTER_DATE");
	unsetenv("EMAIL");
}

/*
 * A fresh repository with user.name/user.email set, nothing committed.
 * HOME points into the temporary folder so no global config leaks in.
 */
static void
setup_empty(void)
{
	char *home;

	strcpy(tmpdir, "/tmp/dipb-unit-repo-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	home = xasprintf("%s/home", tmpdir);
	cr_assert_eq(mkdir(home, 0777), 0);
	setenv("HOME", home, 1);
	setenv("XDG_CONFIG_HOME", home, 1);
	/*
	 * Criterion itself initialises libgit2 (for its diffs) before HOME
	 * changes here, so libgit2's config search paths are set directly.
	 */
	cr_assert_eq(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH,
	    GIT_CONFIG_LEVEL_GLOBAL, home), 0);
	cr_assert_eq(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH,
	    GIT_CONFIG_LEVEL_XDG, home), 0);
	cr_assert_eq(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH,
	    GIT_CONFIG_LEVEL_SYSTEM, home), 0);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_INDEX_FILE");
	unsetenv("GIT_WORK_TREE");
	unsetenv("DIPB_FAULT");
	setenv("DIPB_FSYNC", "0", 1);
	clear_identity_env();
	free(home);
	wt = xasprintf("%s/board", tmpdir);
	cr_assert_eq(mkdir(wt, 0777), 0);
	cr_assert_eq(sh("git init -q -b main . && "
	    "git config user.name 'Jane Analyst' && "
	    "git config user.email jane@example.org"), 0);
}

/* As setup_empty, with one commit holding dipb.yaml and a README. */
static void
setup(void)
{
	setup_empty();
	write_wt("dipb.yaml", "board: Test Board\n");
	write_wt("README", "readme\n");
	cr_assert_eq(sh("mkdir recommendations && git add . && "
	    "GIT_COMMITTER_DATE='@1700000000 +0000' "
	    "GIT_AUTHOR_DATE='@1700000000 +0000' "
	    "git commit -q -m 'initial'"), 0);
}

static void
teardown(void)
{
	test_rmdir(tmpdir);
	free(wt);
	wt = NULL;
}

static void one_change(const char *, const char *, const char *);

static struct dipb_repo *
open_repo(void)
{
	struct dipb_repo *r = NULL;

	no_error(dipb_repo_open(&r, wt, 1));
	return r;
}

/*
 * The user at the top of the working tree: a message names a file from
 * the current directory (dipb_repo_path_here), as from there.
 */
static void
at_top(void)
{
	cr_assert_eq(chdir(wt), 0);
}

static struct dipb_identity
jean(void)
{
	struct dipb_identity id;

	memset(&id, 0, sizeof(id));
	id.name = xstrdup("Jean Dupont");
	id.email = xstrdup("jean@example.org");
	id.time = 1775808000;	/* 2026-04-10 08:00 UTC */
	id.offset = 120;
	return id;
}

/* Makes one change of record with one file; returns the error. */
static const struct dipb_error *
change(struct dipb_repo *r, const char *record, const char *event,
    const char *text, char **tag)
{
	struct dipb_identity who = jean();
	struct dipb_file f;
	struct dipb_change c;
	const struct dipb_error *err;
	char *path = xasprintf("recommendations/%s.yaml", record);
	char *subject = xasprintf("%s: %s by Jean Dupont", record, event);

	f.path = path;
	f.data = text;
	f.len = strlen(text);
	memset(&c, 0, sizeof(c));
	c.files = &f;
	c.nfiles = 1;
	c.record = record;
	c.event = event;
	c.status_from = "none";
	c.status_to = "draft";
	c.subject = subject;
	c.body = "A comment.\n";
	c.who = &who;
	*tag = NULL;
	err = dipb_repo_commit(tag, r, &c);
	dipb_identity_release(&who);
	free(path);
	free(subject);
	return err;
}

static void
change_ok(struct dipb_repo *r, const char *record, const char *event,
    const char *text, const char *want_tag)
{
	char *tag;

	no_error(change(r, record, event, text, &tag));
	cr_expect_str_eq(tag, want_tag);
	free(tag);
}

/* ---- one change -------------------------------------------------- */

Test(repo_commit, one_file_one_commit_one_tag, .init = setup,
    .fini = teardown)
{
	struct dipb_repo *r;
	char *text;

	/* The user's own work: one staged file, one unstaged change. */
	write_wt("notes.txt", "staged by the user\n");
	write_wt("README", "changed, not staged\n");
	cr_assert_eq(sh("git add notes.txt"), 0);

	r = open_repo();
	cr_expect_str_eq(dipb_repo_branch(r), "main");
	cr_expect_eq(dipb_repo_is_unborn(r), 0);
	no_error(dipb_repo_begin(r));
	change_ok(r, "IC-0001", "drafted", "id: IC-0001\n",
	    "IC-0001/1-drafted");
	dipb_repo_end(r);
	dipb_repo_close(r);

	expect_out("2\n", "git rev-list --count HEAD");
	expect_out("IC-0001/1-drafted\n", "git tag -l");
	expect_out("tag\n", "git cat-file -t IC-0001/1-drafted");
	expect_out("IC-0001: drafted by Jean Dupont\n\nA comment.\n\n"
	    "Dipb-Record: IC-0001\nDipb-Event: drafted\n"
	    "Dipb-Status: none -> draft\n",
	    "git cat-file commit HEAD | sed '1,/^$/d'");
	expect_out("Dipb-Record: IC-0001\nDipb-Event: drafted\n"
	    "Dipb-Status: none -> draft\n\n",
	    "git log -1 --format='%(trailers)'");
	expect_out("Jean Dupont <jean@example.org> 1775808000 "
	    "2026-04-10 10:00:00 +0200\n"
	    "Jean Dupont <jean@example.org> 1775808000 "
	    "2026-04-10 10:00:00 +0200\n",
	    "git log -1 --format='%an <%ae> %at %ai%n%cn <%ce> %ct %ci'");
	expect_out("Jean Dupont <jean@example.org> 1775808000 +0200\n",
	    "git cat-file tag IC-0001/1-drafted | sed -n 's/^tagger //p'");
	expect_out("IC-0001: drafted by Jean Dupont\n",
	    "git cat-file tag IC-0001/1-drafted | sed '1,/^$/d'");
	expect_out("HEAD\n", "git describe --tags --exact-match "
	    "IC-0001/1-drafted^{commit} >/dev/null && "
	    "test \"$(git rev-parse 'IC-0001/1-drafted^{commit}')\" = "
	    "\"$(git rev-parse HEAD)\" && echo HEAD");
	/* Only the record is in the commit. */
	expect_out("recommendations/IC-0001.yaml\n",
	    "git show --format= --name-only HEAD");
	/* The user's work is as it was; the record is in step. */
	expect_out(" M README\nA  notes.txt\n", "git status --porcelain");
	expect_out("notes.txt\n", "git diff --cached --name-only");
	text = read_wt("recommendations/IC-0001.yaml");
	cr_expect_str_eq(text, "id: IC-0001\n");
	free(text);
	cr_expect_eq(sh("git fsck --strict"), 0);
	cr_expect_eq(exists_wt(".git/dipb-journal"), 0);
}

Test(repo_commit, second_change_numbers_tag, .init = setup,
    .fini = teardown)
{
	struct dipb_repo *r = open_repo();

	no_error(dipb_repo_begin(r));
	change_ok(r, "IC-0001", "drafted", "a\n", "IC-0001/1-drafted");
	/* Within one lock: the tip moved with the commit. */
	change_ok(r, "IC-0001", "edited", "b\n", "IC-0001/2-edited");
	dipb_repo_end(r);
	no_error(dipb_repo_begin(r));
	change_ok(r, "IC-0002", "drafted", "c\n", "IC-0002/1-drafted");
	dipb_repo_end(r);
	dipb_repo_close(r);
	expect_out("4\n", "git rev-list --count HEAD");
	expect_out("IC-0001/1-drafted\nIC-0001/2-edited\nIC-0002/1-drafted\n",
	    "git tag -l");
	expect_out("b\n", "git show HEAD~1:recommendations/IC-0001.yaml");
	expect_out("", "git status --porcelain");
	cr_expect_eq(sh("git fsck --strict"), 0);
}

Test(repo_commit, tag_number_counts_loose_and_packed_tags, .init = setup,
    .fini = teardown)
{
	struct dipb_repo *r = open_repo();

	no_error(dipb_repo_begin(r));
	change_ok(r, "IC-0001", "drafted", "a\n", "IC-0001/1-drafted");
	change_ok(r, "IC-0001", "edited", "b\n", "IC-0001/2-edited");
	dipb_repo_end(r);
	dipb_repo_close(r);
	/* Packed; one also loose; a lock file and another record's tags. */
	cr_assert_eq(sh("git tag -a -m x IC-00011/1-drafted && "
	    "git tag -a -m x IC-0001/3-reviewed && "
	    "git pack-refs --all --prune && mkdir .git/refs/tags/IC-0001 && "
	    "o=$(git rev-parse IC-0001/2-edited) && "
	    "echo $o > .git/refs/tags/IC-0001/2-edited && "
	    ": > .git/refs/tags/IC-0001/4-reviewed.lock"), 0);
	expect_out("IC-0001/2-edited\n", "grep -o 'IC-0001/2.*' "
	    ".git/packed-refs");
	cr_expect(exists_wt(".git/refs/tags/IC-0001/2-edited"));
	one_change("IC-0001", "c\n", "IC-0001/4-drafted");
	expect_out("IC-0001/1-drafted\nIC-0001/2-edited\nIC-0001/3-reviewed\n"
	    "IC-0001/4-drafted\n", "git tag -l 'IC-0001/*'");
}

Test(repo_commit, reflogs_as_git_writes_them, .init = setup,
    .fini = teardown)
{
	char *before = out("git rev-parse HEAD"), *after, *want, *want2;

	one_change("IC-0001", "x\n", "IC-0001/1-drafted");
	after = out("git rev-parse HEAD");
	want = xasprintf("%.40s %.40s Jean Dupont <jean@example.org> "
	    "1775808000 +0200\tcommit: IC-0001: drafted by Jean Dupont\n",
	    before, after);
	expect_out(want, "tail -1 .git/logs/refs/heads/main");
	expect_out(want, "tail -1 .git/logs/HEAD");
	expect_out("commit: IC-0001: drafted by Jean Dupont\n"
	    "Jean Dupont <jean@example.org>\n",
	    "git reflog -1 --format='%gs%n%gn <%ge>' main");
	/* Tags keep no reflog (core.logAllRefUpdates true, not always). */
	cr_expect_eq(exists_wt(".git/logs/refs/tags"), 0);
	cr_assert_eq(sh("git config core.logAllRefUpdates always"), 0);
	one_change("IC-0002", "y\n", "IC-0002/1-drafted");
	cr_expect(exists_wt(".git/logs/refs/tags/IC-0002/1-drafted"));
	want2 = out("echo \"tag: tagging $(git rev-parse --short=7 HEAD) "
	    "(IC-0002: drafted by Jean Dupont, 2026-04-10)\"");
	expect_out(want2, "cut -f2 .git/logs/refs/tags/IC-0002/1-drafted");
	free(want2);
	cr_expect_eq(sh("git fsck --strict"), 0);
	free(before);
	free(after);
	free(want);
}

Test(repo_commit, packed_refs, .init = setup, .fini = teardown)
{
	struct dipb_repo *r;
	char *tag;

	one_change("IC-0001", "x\n", "IC-0001/1-drafted");
	cr_assert_eq(sh("git pack-refs --all --prune"), 0);
	cr_assert_eq(exists_wt(".git/refs/heads/main"), 0);
	/* The branch only in packed-refs: compared there, written loose. */
	one_change("IC-0001", "y\n", "IC-0001/2-drafted");
	cr_expect(exists_wt(".git/refs/heads/main"));
	expect_out("IC-0001/1-drafted\nIC-0001/2-drafted\n", "git tag -l");

	/* Moved by another writer and packed again: still a CAS failure. */
	cr_assert_eq(sh("git pack-refs --all --prune"), 0);
	r = open_repo();
	no_error(dipb_repo_begin(r));
	cr_assert_eq(sh("git commit -q --allow-empty -m other && "
	    "git pack-refs --all --prune"), 0);
	expect_code(change(r, "IC-0002", "drafted", "z\n", &tag),
	    DIPB_ERR_CHANGED);
	dipb_repo_end(r);
	dipb_repo_close(r);
	expect_out("other\n", "git log -1 --format=%s");
	expect_out("IC-0001/1-drafted\nIC-0001/2-drafted\n", "git tag -l");
	/* A tag that exists packed is another writer's. */
	cr_assert_eq(sh("git tag -a -m theirs IC-0002/1-drafted && "
	    "git pack-refs --all --prune"), 0);
	one_change("IC-0002", "z\n", "IC-0002/2-drafted");
	cr_expect_eq(sh("git fsck --strict"), 0);
}

Test(repo_commit, user_edit_of_the_same_file_is_kept, .init = setup,
    .fini = teardown)
{
	struct dipb_repo *r = open_repo();
	char *text;

	no_error(dipb_repo_begin(r));
	change_ok(r, "IC-0001", "drafted", "a\n", "IC-0001/1-drafted");
	write_wt("recommendations/IC-0001.yaml", "user's edit\n");
	change_ok(r, "IC-0001", "edited", "b\n", "IC-0001/2-edited");
	dipb_repo_end(r);
	dipb_repo_close(r);
	text = read_wt("recommendations/IC-0001.yaml");
	cr_expect_str_eq(text, "user's edit\n");
	free(text);
	/* Unstaged against the new commit, not staged. */
	expect_out(" M recommendations/IC-0001.yaml\n",
	    "git status --porcelain");
	expect_out("b\n", "git show HEAD:recommendations/IC-0001.yaml");
}

Test(repo_commit, init_on_unborn_branch, .init = setup_empty,
    .fini = teardown)
{
	struct dipb_identity who = jean();
	struct dipb_repo *r = NULL;
	struct dipb_file f[2];
	struct dipb_change c;
	char *tag = NULL;
	int again;

	no_error(dipb_repo_init(&r, &again, wt, -1));
	cr_expect_eq(dipb_repo_is_unborn(r), 1);
	cr_expect_str_eq(dipb_repo_branch(r), "main");
	f[0].path = "dipb.yaml";
	f[0].data = "board: B\n";
	f[0].len = 9;
	f[1].path = ".gitattributes";
	f[1].data = "*.yaml text eol=lf\n";
	f[1].len = strlen(f[1].data);
	memset(&c, 0, sizeof(c));
	c.files = f;
	c.nfiles = 2;
	c.record = "board";
	c.event = "created";
	c.subject = "board: created by Jean Dupont";
	c.who = &who;
	no_error(dipb_repo_begin(r));
	no_error(dipb_repo_commit(&tag, r, &c));
	dipb_repo_end(r);
	cr_expect_str_eq(tag, "board/1-created");
	cr_expect_eq(dipb_repo_is_unborn(r), 0);
	free(tag);
	dipb_repo_close(r);
	dipb_identity_release(&who);

	expect_out("1\n", "git rev-list --count HEAD");
	expect_out("board: created by Jean Dupont\n\nDipb-Record: board\n"
	    "Dipb-Event: created\n", "git cat-file commit HEAD | sed '1,/^$/d'");
	expect_out(".gitattributes\ndipb.yaml\n", "git ls-files");
	expect_out("commit (initial): board: created by Jean Dupont\n",
	    "git reflog -1 --format=%gs main");
	expect_out("0000000000000000000000000000000000000000\n",
	    "cut -d' ' -f1 .git/logs/HEAD");
	expect_out("", "git status --porcelain");
	cr_expect_eq(sh("git fsck --strict"), 0);

	/* A second init is refused; the board now opens with need_board. */
	expect_code(dipb_repo_init(&r, &again, wt, -1), DIPB_ERR_EXISTS);
	cr_expect_eq(again, 0);
	r = open_repo();
	dipb_repo_close(r);
}

/* The new tree is spliced by hand: it must be the tree git would build. */
Test(repo_commit, trees_as_git_builds_them, .init = setup, .fini = teardown)
{
	static const char *const paths[] = { "a-b.yaml", "a/z.yaml",
	    "new/deep/f.yaml", "a.yaml", "a/0.yaml", "README" };
	struct dipb_identity who = jean();
	struct dipb_file f[6];
	struct dipb_change c;
	struct dipb_repo *r;
	char *tag = NULL, *want;
	size_t i;

	cr_assert_eq(sh("mkdir a && echo 1 > a/m.yaml && echo 2 > a.yaml && "
	    "echo 3 > a0 && echo 4 > 'a b' && mkdir a-c && echo 5 > a-c/x && "
	    "git add . && git commit -q -m layout"), 0);
	memset(&c, 0, sizeof(c));
	for (i = 0; i < 6; i++) {
		f[i].path = paths[i];
		f[i].data = paths[i];
		f[i].len = strlen(paths[i]);
	}
	c.files = f;
	c.nfiles = 6;
	c.record = "board";
	c.event = "changed";
	c.subject = "board: changed by Jean Dupont";
	c.who = &who;
	r = open_repo();
	no_error(dipb_repo_begin(r));
	no_error(dipb_repo_commit(&tag, r, &c));
	dipb_repo_end(r);
	dipb_repo_close(r);
	free(tag);
	dipb_identity_release(&who);
	cr_expect_eq(sh("git fsck --strict"), 0);

	/* The same change through git's own index. */
	want = out("export GIT_INDEX_FILE=.git/other-index && "
	    "git read-tree HEAD~1 && for p in %s %s %s %s %s %s; do "
	    "git update-index --add --cacheinfo "
	    "100644,$(printf %%s $p | git hash-object -w --stdin),$p; "
	    "done && git write-tree", paths[0], paths[1], paths[2], paths[3],
	    paths[4], paths[5]);
	expect_out(want, "git rev-parse 'HEAD^{tree}'");
	free(want);
	expect_out("", "git status --porcelain");
}

/*
 * The tree editor's deletions (mode 0): a file dropped, a folder it leaves
 * empty dropped with it, a missing path a no-op, in the same pass as
 * puts; the tree is the one git's index makes of the same change.
 */
Test(repo_tree, edit_drops_files_and_emptied_folders, .init = setup,
    .fini = teardown)
{
	struct dipb_git_tree_edit ed[6];
	struct dipb_git_trees made;
	struct dipb_repo *r;
	git_oid tree, blob;
	char hex[GIT_OID_HEXSZ + 1], *want, *id;

	cr_assert_eq(sh("mkdir -p a b/c && echo 1 > a/m.yaml && "
	    "echo 2 > a/n.yaml && echo 3 > b/c/x && echo 4 > top.yaml && "
	    "git add . && git commit -q -m layout"), 0);
	id = out("printf new | git hash-object -w --stdin");
	id[GIT_OID_HEXSZ] = '\0';
	cr_assert_eq(git_oid_fromstr(&blob, id), 0);
	memset(ed, 0, sizeof(ed));
	ed[0].path = "a/m.yaml";		/* dropped; a/ keeps n.yaml */
	ed[1].path = "b/c/x";			/* b/c/ and b/ left empty */
	ed[2].path = "nothere.yaml";		/* nothing to drop */
	ed[3].path = "d/e/f.yaml";		/* a new folder */
	ed[3].id = &blob;
	ed[3].mode = GIT_FILEMODE_BLOB;
	ed[4].path = "top.yaml";		/* replaced... */
	ed[4].mode = 0;
	ed[5].path = "top.yaml";		/* ...the last edit wins */
	ed[5].id = &blob;
	ed[5].mode = GIT_FILEMODE_BLOB;
	memset(&made, 0, sizeof(made));
	r = open_repo();
	no_error(dipb_git_tree_edit(&tree, &made, r, dipb_git_tip_root(r), ed,
	    6));
	no_error(dipb_git_trees_write(r, &made));
	dipb_git_trees_release(&made);
	dipb_repo_close(r);
	git_oid_tostr(hex, sizeof(hex), &tree);
	want = out("export GIT_INDEX_FILE=.git/other-index && "
	    "git read-tree HEAD && git rm -q --cached a/m.yaml b/c/x && "
	    "git update-index --add --cacheinfo 100644,%s,d/e/f.yaml && "
	    "git update-index --cacheinfo 100644,%s,top.yaml && "
	    "git write-tree | tr -d '\\n'", id, id);
	cr_expect_str_eq(hex, want);
	cr_expect_eq(sh("git ls-tree -r -t %s | grep -q ' b$'", hex), 1,
	    "the emptied folder b/ is dropped");
	cr_expect_eq(sh("git fsck --strict"), 0);
	free(want);
	free(id);
}

/* A file where a folder must be, or the reverse: refused, nothing made. */
Test(repo_tree, edit_refuses_file_for_folder, .init = setup,
    .fini = teardown)
{
	struct dipb_git_tree_edit ed[1];
	struct dipb_git_trees made;
	const struct dipb_error *err;
	struct dipb_repo *r;
	git_oid tree;

	cr_assert_eq(sh("mkdir a && echo 1 > a/m.yaml && git add . && "
	    "git commit -q -m layout"), 0);
	memset(ed, 0, sizeof(ed));
	memset(&made, 0, sizeof(made));
	ed[0].path = "a";
	r = open_repo();
	err = dipb_git_tree_edit(&tree, &made, r, dipb_git_tip_root(r), ed, 1);
	cr_expect(err != NULL && err->code == DIPB_ERR_INVALID);
	dipb_error_free(err);
	ed[0].path = "README/x";
	ed[0].done = 0;
	err = dipb_git_tree_edit(&tree, &made, r, dipb_git_tip_root(r), ed, 1);
	cr_expect(err != NULL && err->code == DIPB_ERR_INVALID);
	dipb_error_free(err);
	dipb_git_trees_release(&made);
	dipb_repo_close(r);
}

/*
 * The order of a raw tree of entries "F name" (a file) or "D name" (a
 * folder), given as a string of lines: what dipb_git_order_next finds.
 */
/*
 * A raw tree of spec's lines, "F name" (a file) or "D name" (a folder),
 * each ended by a newline, in their order, appended to raw.
 */
static void
raw_tree_of(struct dipb_buf *raw, const char *spec)
{
	const char *p, *nl;

	for (p = spec; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		dipb_buf_puts(raw, p[0] == 'D' ? "40000 " : "100644 ");
		dipb_buf_put(raw, p + 2, (size_t)(nl - p - 2));
		dipb_buf_putc(raw, '\0');
		dipb_buf_put(raw, "01234567890123456789", 20);
	}
}

static int
order_of(const char *spec)
{
	struct dipb_buf raw = DIPB_BUF_INIT;
	struct dipb_git_order o;
	struct dipb_git_entry e;
	const char *p, *end;
	int rc = DIPB_GIT_ORDER_OK;

	raw_tree_of(&raw, spec);
	memset(&o, 0, sizeof(o));
	p = dipb_buf_cstr(&raw);
	end = p + raw.len;
	while (p < end && rc == DIPB_GIT_ORDER_OK) {
		cr_assert_eq(dipb_git_tree_next(&e, &p, end), 0);
		rc = dipb_git_order_next(&o, &e);
	}
	dipb_git_order_release(&o);
	dipb_buf_release(&raw);
	return rc;
}

/* git fsck's treeNotSorted and duplicateEntries (dipb-git(7), "Trees"). */
Test(repo_tree, order_as_git_fsck_checks_it)
{
	cr_expect_eq(order_of(""), DIPB_GIT_ORDER_OK);
	cr_expect_eq(order_of("F .gitattributes\nF dipb.yaml\n"
	    "D recommendations\n"), DIPB_GIT_ORDER_OK);
	cr_expect_eq(order_of("D recommendations\nF dipb.yaml\n"),
	    DIPB_GIT_ORDER_UNSORTED);
	cr_expect_eq(order_of("F a\nF a\n"), DIPB_GIT_ORDER_DUPS);
	cr_expect_eq(order_of("D a\nD a\n"), DIPB_GIT_ORDER_DUPS);
	/* A folder sorts as its name and '/': "a-b" < "a/" < "a0". */
	cr_expect_eq(order_of("F a-b\nD a\nF a0\n"), DIPB_GIT_ORDER_OK);
	cr_expect_eq(order_of("D a\nF a-b\n"), DIPB_GIT_ORDER_UNSORTED);
	cr_expect_eq(order_of("F a\nF a-b\n"), DIPB_GIT_ORDER_OK);
	/* A file and a folder of one name, neighbours or not. */
	cr_expect_eq(order_of("F a\nD a\n"), DIPB_GIT_ORDER_DUPS);
	cr_expect_eq(order_of("F foo\nF foo.bar\nD foo\n"),
	    DIPB_GIT_ORDER_DUPS);
	cr_expect_eq(order_of("F foo\nF foo.bar\nF foo.bar.baz\nD foo.bar\n"),
	    DIPB_GIT_ORDER_DUPS);
	cr_expect_eq(order_of("F foo\nF foo.bar\nD foo.bar.baz\nD foo0\n"),
	    DIPB_GIT_ORDER_OK);
	/* Files that are no prefix of the folder, above the one that is. */
	cr_expect_eq(order_of("F a\nF a-x\nF a-x-y\nD a\n"),
	    DIPB_GIT_ORDER_DUPS);
	/* The first problem is kept. */
	cr_expect_eq(order_of("F b\nF a\nF c\nF c\n"),
	    DIPB_GIT_ORDER_UNSORTED);
}

/*
 * What dipb_git_order_added finds of entry "F name" or "D name" (added)
 * in a raw tree given as order_of takes it.
 */
static int
added_in(const char *spec, const char *added)
{
	struct dipb_buf raw = DIPB_BUF_INIT, one = DIPB_BUF_INIT;
	struct dipb_git_order o;
	struct dipb_git_entry e;
	uint32_t off[16];
	const char *p, *end;
	size_t n = 0;
	int rc;

	raw_tree_of(&raw, spec);
	p = dipb_buf_cstr(&raw);
	end = p + raw.len;
	while (p < end) {
		cr_assert_lt(n, 16);
		off[n++] = (uint32_t)(p - dipb_buf_cstr(&raw));
		cr_assert_eq(dipb_git_tree_next(&e, &p, end), 0);
	}
	dipb_buf_printf(&one, "%s %s", added[0] == 'D' ? "40000" : "100644",
	    added + 2);
	dipb_buf_putc(&one, '\0');
	dipb_buf_put(&one, "01234567890123456789", 20);
	p = dipb_buf_cstr(&one);
	cr_assert_eq(dipb_git_tree_next(&e, &p, p + one.len), 0);
	memset(&o, 0, sizeof(o));
	rc = dipb_git_order_added(&o, &e, dipb_buf_cstr(&raw), raw.len, off,
	    n);
	if (rc == DIPB_GIT_ORDER_DUPS)
		cr_expect(o.nlen == strlen(added + 2) &&
		    memcmp(o.name, added + 2, o.nlen) == 0);
	dipb_git_order_release(&o);
	dipb_buf_release(&one);
	dipb_buf_release(&raw);
	return rc;
}

/*
 * The other of a file and a folder of one name, anywhere in a tree in
 * git's order: a file "a" sorts before "a-x" and "a.b", a folder "a"
 * after them and before "a0".
 */
Test(repo_tree, added_entry_found_as_the_other_kind)
{
	const char *t = "F a\nF a-x\nF a.b\nD a\nF a0\nD b\nF c\n";

	cr_expect_eq(added_in(t, "F a"), DIPB_GIT_ORDER_DUPS);
	cr_expect_eq(added_in(t, "D a"), DIPB_GIT_ORDER_DUPS);
	cr_expect_eq(added_in(t, "F a-x"), DIPB_GIT_ORDER_OK);
	cr_expect_eq(added_in(t, "D a0"), DIPB_GIT_ORDER_DUPS);
	cr_expect_eq(added_in(t, "F b"), DIPB_GIT_ORDER_DUPS);
	cr_expect_eq(added_in(t, "D c"), DIPB_GIT_ORDER_DUPS);
	cr_expect_eq(added_in(t, "F d"), DIPB_GIT_ORDER_OK);
	cr_expect_eq(added_in(t, "D 0"), DIPB_GIT_ORDER_OK);
	/* Names that only begin alike. */
	cr_expect_eq(added_in("F a-x\nD a.b\nF a0\n", "F a"),
	    DIPB_GIT_ORDER_OK);
	cr_expect_eq(added_in("F a-x\nF a.b\nD a0\n", "D a"),
	    DIPB_GIT_ORDER_OK);
	cr_expect_eq(added_in("", "F a"), DIPB_GIT_ORDER_OK);
}

/*
 * A change with moves (dipb migrate): the blobs put at their new paths and
 * dropped from the old ones, emptied folders gone, in the tree, the
 * working tree and the index alike; git sees 100% renames.
 */
Test(repo_commit, renames_move_tree_worktree_and_index, .init = setup,
    .fini = teardown)
{
	struct dipb_identity who = jean();
	struct dipb_rename mv[2];
	struct dipb_file f;
	struct dipb_change c;
	struct dipb_repo *r;
	char *tag = NULL, *id1, *id2;

	cr_assert_eq(sh("mkdir -p recommendations/IC/00 && "
	    "echo one > recommendations/IC/00/IC-0001.yaml && "
	    "echo two > recommendations/IC/00/IC-0002.yaml && "
	    "git add . && git commit -q -m sharded"), 0);
	id1 = out("git rev-parse HEAD:recommendations/IC/00/IC-0001.yaml");
	id2 = out("git rev-parse HEAD:recommendations/IC/00/IC-0002.yaml");
	id1[GIT_OID_HEXSZ] = id2[GIT_OID_HEXSZ] = '\0';
	mv[0].from = "recommendations/IC/00/IC-0001.yaml";
	mv[0].to = "recommendations/IC-0001.yaml";
	mv[0].id = id1;
	mv[0].mode = DIPB_MODE_BLOB;
	mv[1].from = "recommendations/IC/00/IC-0002.yaml";
	mv[1].to = "recommendations/IC-0002.yaml";
	mv[1].id = id2;
	mv[1].mode = DIPB_MODE_BLOB;
	f.path = "dipb.yaml";
	f.data = "board: Test Board\nlayout: flat\n";
	f.len = strlen(f.data);
	memset(&c, 0, sizeof(c));
	c.files = &f;
	c.nfiles = 1;
	c.renames = mv;
	c.nrenames = 2;
	c.record = "board";
	c.event = "migrated";
	c.subject = "board: 2 records moved to the flat layout by Jean Dupont";
	c.who = &who;
	r = open_repo();
	no_error(dipb_repo_begin(r));
	no_error(dipb_repo_commit(&tag, r, &c));
	dipb_repo_end(r);
	dipb_repo_close(r);
	cr_expect_str_eq(tag, "board/1-migrated");
	free(tag);
	dipb_identity_release(&who);
	cr_expect_eq(sh("git fsck --strict"), 0);
	expect_out("M\tdipb.yaml\n"
	    "R100\trecommendations/IC/00/IC-0001.yaml\t"
	    "recommendations/IC-0001.yaml\n"
	    "R100\trecommendations/IC/00/IC-0002.yaml\t"
	    "recommendations/IC-0002.yaml\n",
	    "git diff -M --name-status HEAD~1");
	expect_out("", "git status --porcelain --untracked-files=all");
	expect_out("no\n", "test -e recommendations/IC && echo yes || echo no");
	expect_out("one\n", "cat recommendations/IC-0001.yaml");
	free(id1);
	free(id2);
}

/* A dirty record refuses the whole change before anything is written. */
Test(repo_commit, renames_refuse_dirty_file, .init = setup, .fini = teardown)
{
	struct dipb_identity who = jean();
	struct dipb_rename mv[1];
	struct dipb_file f;
	struct dipb_change c;
	const struct dipb_error *err;
	struct dipb_repo *r;
	char *tag = NULL, *id1, *head;

	cr_assert_eq(sh("echo one > recommendations/IC-0001.yaml && "
	    "git add . && git commit -q -m flat && "
	    "echo changed >> recommendations/IC-0001.yaml"), 0);
	id1 = out("git rev-parse HEAD:recommendations/IC-0001.yaml");
	id1[GIT_OID_HEXSZ] = '\0';
	head = out("git rev-parse HEAD");
	mv[0].from = "recommendations/IC-0001.yaml";
	mv[0].to = "recommendations/IC/00/IC-0001.yaml";
	mv[0].id = id1;
	mv[0].mode = DIPB_MODE_BLOB;
	f.path = "dipb.yaml";
	f.data = "board: Test Board\nlayout: sharded\n";
	f.len = strlen(f.data);
	memset(&c, 0, sizeof(c));
	c.files = &f;
	c.nfiles = 1;
	c.renames = mv;
	c.nrenames = 1;
	c.record = "board";
	c.event = "migrated";
	c.subject = "board: 1 record moved to the sharded layout by Jean";
	c.who = &who;
	r = open_repo();
	no_error(dipb_repo_begin(r));
	err = dipb_repo_commit(&tag, r, &c);
	dipb_repo_end(r);
	dipb_repo_close(r);
	cr_expect(err != NULL && err->code == DIPB_ERR_DIRTY);
	cr_expect(err != NULL && strstr(err->msg, "IC-0001.yaml") != NULL);
	dipb_error_free(err);
	expect_out(head, "git rev-parse HEAD");
	expect_out("", "git tag -l");
	expect_out(" M recommendations/IC-0001.yaml\n",
	    "git status --porcelain --untracked-files=all");
	dipb_identity_release(&who);
	free(id1);
	free(head);
}

/* A tree of 64 KB or more is written with stored zlib blocks. */
Test(repo_commit, big_tree_loose, .init = setup, .fini = teardown)
{
	char *want;

	/* 250 entries of 274 bytes: a 68 KB recommendations/ tree. */
	cr_assert_eq(sh("i=0; while [ $i -lt 250 ]; do i=$((i+1)); "
	    "echo $i > recommendations/$(printf 'x%%0240d' $i).yaml; done && "
	    "git add . && git commit -q -m many"), 0);
	one_change("IC-0001", "x\n", "IC-0001/1-drafted");
	expect_out("251\n",
	    "git ls-tree HEAD:recommendations | wc -l | tr -d ' '");
	/* git's level 1 (zlib header 78 01), compressed: smaller. */
	expect_out(" 78 01\n", "t=$(git rev-parse HEAD:recommendations)"
	    " && od -An -tx1 -N2 .git/objects/$(echo $t | cut -c1-2)/"
	    "$(echo $t | cut -c3-)");
	expect_out("yes\n", "t=$(git rev-parse HEAD:recommendations) && "
	    "[ $(wc -c < .git/objects/$(echo $t | cut -c1-2)/$(echo $t | "
	    "cut -c3-)) -lt $(git cat-file -s $t) ] && echo yes");
	cr_expect_eq(sh("git fsck --strict"), 0);
	/* Read back by libgit2 for the next change, and by git; stored
	 * (the first stored block's header 00 ff ff) at level 0. */
	cr_assert_eq(sh("git config core.looseCompression 0"), 0);
	one_change("IC-0002", "y\n", "IC-0002/1-drafted");
	expect_out("252\n",
	    "git ls-tree HEAD:recommendations | wc -l | tr -d ' '");
	expect_out(" 78 01 00 ff ff\n", "t=$(git rev-parse HEAD:recommendations)"
	    " && od -An -tx1 -N5 .git/objects/$(echo $t | cut -c1-2)/"
	    "$(echo $t | cut -c3-)");
	want = out("git cat-file -p HEAD~1:recommendations/IC-0001.yaml");
	cr_expect_str_eq(want, "x\n");
	free(want);
	cr_expect_eq(sh("git fsck --strict"), 0);
	expect_out("", "git status --porcelain");
}

Test(repo_open, refusals, .init = setup_empty, .fini = teardown)
{
	struct dipb_repo *r = NULL;
	char *sub, *bare;

	/* No dipb.yaml anywhere. */
	expect_code(dipb_repo_open(&r, wt, 1), DIPB_ERR_NO_REPO);
	no_error(dipb_repo_open(&r, wt, 0));
	dipb_repo_close(r);
	/* dipb.yaml in the working tree only is enough; searched upwards. */
	write_wt("dipb.yaml", "board: B\n");
	cr_assert_eq(sh("mkdir -p a/b"), 0);
	sub = xasprintf("%s/a/b", wt);
	no_error(dipb_repo_open(&r, sub, 1));
	cr_expect_eq(strncmp(dipb_repo_workdir(r), wt, strlen(wt)), 0);
	cr_expect_str_eq(dipb_repo_workdir(r) + strlen(wt), "/");
	dipb_repo_close(r);
	free(sub);
	/* Detached HEAD: read at its commit, never written on; a state
	 * the user ends with git, as uncommitted changes (dipb(1): 1). */
	cr_assert_eq(sh("git add . && git commit -q -m x && "
	    "git checkout -q --detach"), 0);
	no_error(dipb_repo_open(&r, wt, 1));
	cr_expect(dipb_repo_is_detached(r));
	cr_expect_eq(strncmp(dipb_repo_branch(r), "HEAD (detached at ", 18), 0);
	expect_code(dipb_repo_check_state(r), DIPB_ERR_DIRTY);
	dipb_repo_close(r);
	/* Bare, and not a repository at all. */
	bare = xasprintf("%s/bare.git", tmpdir);
	cr_assert_eq(sh("git init -q --bare '%s'", bare), 0);
	expect_code(dipb_repo_open(&r, bare, 0), DIPB_ERR_NO_REPO);
	free(bare);
	expect_code(dipb_repo_open(&r, "/", 0), DIPB_ERR_NO_REPO);
}

Test(repo_read, read_at_the_tip, .init = setup, .fini = teardown)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	struct dipb_repo *r;
	int found;

	write_wt("recommendations/IC-0002.yaml", "two\n");
	write_wt("recommendations/IC-0001.yaml", "one\n");
	write_wt("recommendations/notes.txt", "not a record\n");
	cr_assert_eq(sh("mkdir recommendations/sub.yaml && "
	    "echo x > recommendations/sub.yaml/x && "
	    "ln -s IC-0001.yaml recommendations/link.yaml && "
	    "git add . && git commit -q -m records"), 0);
	/* Uncommitted: not seen by reads at the tip. */
	write_wt("recommendations/IC-0003.yaml", "three\n");
	r = open_repo();
	no_error(dipb_repo_read(&b, &found, r, "recommendations/IC-0001.yaml",
	    0));
	cr_expect_eq(found, 1);
	cr_expect_str_eq(dipb_buf_cstr(&b), "one\n");
	no_error(dipb_repo_read(&b, &found, r, "recommendations/IC-0003.yaml",
	    0));
	cr_expect_eq(found, 0);
	cr_expect_eq(b.len, 0);
	expect_code(dipb_repo_read(&b, &found, r,
	    "recommendations/IC-0001.yaml", 2), DIPB_ERR_TOO_LARGE);
	dipb_buf_release(&b);
	dipb_repo_close(r);
}

static const struct dipb_error *
collect(const char *path, const char *data, size_t len, const char *link,
    void *arg)
{
	struct dipb_buf *b = arg;

	/* A symbolic link comes unread, data NULL, len its mode, with what
	 * it points to (repo.h). */
	dipb_buf_printf(b, "%s=", path);
	if (data == NULL)
		dipb_buf_printf(b, "(link %#zo to %s)\n", len, link);
	else
		dipb_buf_put(b, data, len);
	return NULL;
}

static const struct dipb_error *
stop_at_second(const char *path, const char *data, size_t len,
    const char *link, void *arg)
{
	int *n = arg;

	(void)path;
	(void)data;
	(void)len;
	(void)link;
	if (++*n == 2)
		return dipb_error_fmt(DIPB_ERR_INVALID, "stop");
	return NULL;
}

Test(repo_read, each_record_blobs_and_links_in_order, .init = setup,
    .fini = teardown)
{
	struct dipb_buf b = DIPB_BUF_INIT;
	struct dipb_repo *r;
	int n = 0;

	write_wt("recommendations/SI-0001.yaml", "s\n");
	write_wt("recommendations/IC-0002.yaml", "two\n");
	write_wt("recommendations/IC-0001.yaml", "one\n");
	write_wt("recommendations/notes.txt", "not a record\n");
	cr_assert_eq(sh("mkdir recommendations/sub.yaml && "
	    "echo x > recommendations/sub.yaml/x && "
	    "ln -s IC-0001.yaml recommendations/link.yaml && "
	    "git add . && git commit -q -m records"), 0);
	r = open_repo();
	no_error(dipb_repo_each_record(r, collect, &b));
	cr_expect_str_eq(dipb_buf_cstr(&b), "recommendations/IC-0001.yaml=one\n"
	    "recommendations/IC-0002.yaml=two\n"
	    "recommendations/SI-0001.yaml=s\n"
	    "recommendations/link.yaml=(link 0120000 to IC-0001.yaml)\n");
	expect_code(dipb_repo_each_record(r, stop_at_second, &n),
	    DIPB_ERR_INVALID);
	cr_expect_eq(n, 2);
	dipb_buf_release(&b);
	dipb_repo_close(r);
}

/* ---- ids --------------------------------------------------------- */

static void
expect_next(struct dipb_repo *r, const char *prefix, const char *want)
{
	char *id = NULL;

	no_error(dipb_repo_next_id(&id, r, prefix));
	cr_expect_str_eq(id, want, "next %s: got %s, want %s", prefix, id,
	    want);
	free(id);
}

Test(repo_next_id, files_and_tags, .init = setup, .fini = teardown)
{
	struct dipb_repo *r;
	char *id = NULL;

	r = open_repo();
	expect_next(r, "IC", "IC-0001");
	dipb_repo_close(r);

	write_wt("recommendations/IC-0001.yaml", "x\n");
	write_wt("recommendations/IC-0003.yaml", "x\n");
	write_wt("recommendations/SCS-0009.yaml", "x\n");
	write_wt("recommendations/ICX-0042.yaml", "x\n");
	cr_assert_eq(sh("git add . && git commit -q -m r"), 0);
	r = open_repo();
	expect_next(r, "IC", "IC-0004");
	expect_next(r, "SCS", "SCS-0010");
	expect_next(r, "SI", "SI-0001");
	dipb_repo_close(r);

	/* IC-0004 and IC-0005 were drafted, then their files deleted. */
	cr_assert_eq(sh("git tag -a -m d IC-0004/1-drafted && "
	    "git tag -a -m d IC-0005/1-drafted && "
	    "git tag -a -m d IC-0005/2-withdrawn && "
	    "git tag -a -m d SI-0007/1-drafted"), 0);
	r = open_repo();
	expect_next(r, "IC", "IC-0006");
	/* A tag far beyond the highest file (no file, no earlier tags). */
	expect_next(r, "SI", "SI-0001");
	dipb_repo_close(r);

	/* The same once the refs are packed. */
	cr_assert_eq(sh("git pack-refs --all --prune"), 0);
	cr_assert_eq(exists_wt(".git/refs/tags/IC-0005"), 0);
	r = open_repo();
	expect_next(r, "IC", "IC-0006");
	expect_code(dipb_repo_next_id(&id, r, "ic"), DIPB_ERR_BAD_ID);
	expect_code(dipb_repo_next_id(&id, r, "../X"), DIPB_ERR_BAD_ID);
	dipb_repo_close(r);

	/* More than four digits. */
	write_wt("recommendations/IC-12345.yaml", "x\n");
	cr_assert_eq(sh("git add . && git commit -q -m r"), 0);
	r = open_repo();
	expect_next(r, "IC", "IC-12346");
	dipb_repo_close(r);
}

/* ---- identity ---------------------------------------------------- */

static struct dipb_identity
ident(struct dipb_repo *r)
{
	struct dipb_identity id;

	no_error(dipb_repo_identity(&id, r));
	return id;
}

static void
expect_ident(struct dipb_repo *r, const char *name, const char *email)
{
	struct dipb_identity id = ident(r);

	if (name == NULL)
		cr_expect_null(id.name, "name: %s", id.name);
	else
		cr_expect_str_eq(id.name != NULL ? id.name : "(null)", name);
	cr_expect_str_eq(id.email, email);
	dipb_identity_release(&id);
}

Test(repo_identity, precedence, .init = setup, .fini = teardown)
{
	struct dipb_identity id;
	struct dipb_repo *r = open_repo();

	expect_ident(r, "Jane Analyst", "jane@example.org");
	setenv("EMAIL", "env@example.org", 1);
	expect_ident(r, "Jane Analyst", "jane@example.org");
	/* GIT_COMMITTER_* are not the author (git var GIT_AUTHOR_IDENT). */
	setenv("GIT_COMMITTER_NAME", "Committer", 1);
	setenv("GIT_COMMITTER_EMAIL", "committer@example.org", 1);
	expect_ident(r, "Jane Analyst", "jane@example.org");
	setenv("GIT_AUTHOR_NAME", "Author", 1);
	setenv("GIT_AUTHOR_EMAIL", "author@example.org", 1);
	expect_ident(r, "Author", "author@example.org");
	clear_identity_env();

	/* Without user.email, EMAIL; without user.name, no name. */
	cr_assert_eq(sh("git config --unset user.email && "
	    "git config --unset user.name"), 0);
	setenv("EMAIL", "env@example.org", 1);
	expect_ident(r, NULL, "env@example.org");
	unsetenv("EMAIL");

	/* Nothing at all. */
	{
		const struct dipb_error *err = dipb_repo_identity(&id, r);

		cr_assert_not_null(err);
		cr_expect_eq(err->code, DIPB_ERR_IDENTITY);
		cr_expect_str_eq(err->msg, "no identity: set user.email (git "
		    "config user.email you@example.org) or GIT_AUTHOR_EMAIL");
		cr_expect_eq(dipb_error_exit_status(err), DIPB_EXIT_DENIED);
		dipb_error_free(err);
	}
	/* The global config counts (HOME is the test's). */
	cr_assert_eq(sh("git config --global user.email global@example.org"),
	    0);
	expect_ident(r, NULL, "global@example.org");
	dipb_repo_close(r);
}

struct date_case {
	const char	*in;
	long long	 time;
	int		 offset;
	const char	*date;
};

Test(repo_identity, dates, .init = setup, .fini = teardown)
{
	static const struct date_case cases[] = {
		{ "@1775808000 +0200", 1775808000, 120, "2026-04-10" },
		{ "1775808000 +0200", 1775808000, 120, "2026-04-10" },
		{ "1775808000 -0530", 1775808000, -330, "2026-04-10" },
		{ "@1775808000", 1775808000, 0, "2026-04-10" },
		{ "2026-04-10T10:00:00+02:00", 1775808000, 120, "2026-04-10" },
		{ "2026-04-10T10:00:00+0200", 1775808000, 120, "2026-04-10" },
		{ "2026-04-10 10:00:00 +0200", 1775808000, 120, "2026-04-10" },
		{ "2026-04-10T08:00:00Z", 1775808000, 0, "2026-04-10" },
		{ "2026-04-10T08:00:00.123Z", 1775808000, 0, "2026-04-10" },
		{ "Thu, 10 Apr 2026 10:00:00 +0200", 1775808000, 120,
		    "2026-04-10" },
		{ "10 Apr 2026 10:00 +0200", 1775808000, 120, "2026-04-10" },
		/* 04:30 UTC on the 11th is still the 10th in New York. */
		{ "2026-04-10T23:30:00-05:00", 1775881800, -300,
		    "2026-04-10" },
		{ "1775881800 +0100", 1775881800, 60, "2026-04-11" },
	};
	static const char *const bad[] = { "yesterday", "2026-13-01T00:00:00Z",
	    "2026-02-30 10:00:00 +0000", "@17758x", "2026-04-10",
	    "Thu, 10 Foo 2026 10:00:00 +0200", "2026-04-10T10:00:00+0200x" };
	struct dipb_repo *r = open_repo();
	struct dipb_identity id;
	char date[11];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		setenv("GIT_AUTHOR_DATE", cases[i].in, 1);
		id = ident(r);
		cr_expect_eq(id.time, cases[i].time, "%s: time %lld",
		    cases[i].in, (long long)id.time);
		cr_expect_eq(id.offset, cases[i].offset, "%s: offset %d",
		    cases[i].in, id.offset);
		dipb_identity_date(&id, date);
		cr_expect_str_eq(date, cases[i].date, "%s: date %s",
		    cases[i].in, date);
		dipb_identity_release(&id);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct dipb_error *err;

		setenv("GIT_AUTHOR_DATE", bad[i], 1);
		err = dipb_repo_identity(&id, r);
		cr_expect_not_null(err, "accepted '%s'", bad[i]);
		if (err != NULL) {
			cr_expect_eq(err->code, DIPB_ERR_USAGE);
			cr_expect(strstr(err->msg, "GIT_AUTHOR_DATE") != NULL);
		}
		dipb_error_free(err);
	}
	/* The author date wins; without it, the committer date. */
	setenv("GIT_AUTHOR_DATE", "@1775808000 +0200", 1);
	setenv("GIT_COMMITTER_DATE", "@1 +0000", 1);
	id = ident(r);
	cr_expect_eq(id.time, 1775808000);
	cr_expect_eq(id.offset, 120);
	dipb_identity_release(&id);
	unsetenv("GIT_AUTHOR_DATE");
	setenv("GIT_COMMITTER_DATE", "@1775808000 +0200", 1);
	id = ident(r);
	cr_expect_eq(id.time, 1775808000);
	dipb_identity_release(&id);
	/* Neither: now. */
	clear_identity_env();
	id = ident(r);
	cr_expect(id.time > 1700000000 && id.time <= (int64_t)time(NULL));
	dipb_identity_release(&id);
	dipb_repo_close(r);
}

/* ---- dirty paths ------------------------------------------------- */

static int
dirty(const char *path)
{
	struct dipb_repo *r = open_repo();
	int d = -1;

	no_error(dipb_repo_path_dirty(&d, r, path));
	dipb_repo_close(r);
	return d;
}

Test(repo_path_dirty, states, .init = setup, .fini = teardown)
{
	const char *p = "recommendations/IC-0001.yaml";

	write_wt(p, "one\n");
	cr_assert_eq(sh("git add . && git commit -q -m r"), 0);
	cr_expect_eq(dirty(p), 0, "clean");
	cr_expect_eq(dirty("recommendations/IC-0009.yaml"), 0, "absent");

	write_wt(p, "two\n");
	cr_expect_eq(dirty(p), 1, "modified");
	/* Same bytes again, newer stat: clean after hashing. */
	write_wt(p, "one\n");
	cr_expect_eq(dirty(p), 0, "rewritten with the same text");
	cr_assert_eq(sh("touch -d '2001-01-01' %s", p), 0);
	cr_expect_eq(dirty(p), 0, "touched");
	cr_assert_eq(sh("git update-index --refresh"), 0);
	cr_expect_eq(dirty(p), 0, "refreshed");

	write_wt(p, "two\n");
	cr_assert_eq(sh("git add %s && git checkout -- %s || true", p, p), 0);
	cr_expect_eq(dirty(p), 1, "staged");
	cr_assert_eq(sh("git reset -q && git checkout -- %s", p), 0);
	cr_expect_eq(dirty(p), 0, "reset");

	cr_assert_eq(sh("rm %s", p), 0);
	cr_expect_eq(dirty(p), 1, "deleted");
	cr_assert_eq(sh("git rm -q --cached %s", p), 0);
	cr_expect_eq(dirty(p), 1, "deleted and staged");
	cr_assert_eq(sh("git reset -q && git checkout -- %s", p), 0);
	cr_expect_eq(dirty(p), 0, "restored");

	write_wt("recommendations/IC-0002.yaml", "new\n");
	cr_expect_eq(dirty("recommendations/IC-0002.yaml"), 1, "untracked");
	cr_assert_eq(sh("git add recommendations/IC-0002.yaml"), 0);
	cr_expect_eq(dirty("recommendations/IC-0002.yaml"), 1, "added");
}

/* ---- the lock ---------------------------------------------------- */

/* A child that holds the lock until killed; returns its pid. */
static pid_t
hold_lock(void)
{
	char *path = xasprintf("%s/.git/dipb.lock", wt);
	int fds[2], fd;
	char c = 0;
	pid_t pid;

	cr_assert_eq(pipe(fds), 0);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		fd = open(path, O_RDWR | O_CREAT, 0666);
		if (fd == -1 || flock(fd, LOCK_EX) == -1)
			_exit(1);
		if (write(fds[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(fds[1]);
	cr_assert_eq(read(fds[0], &c, 1), 1);
	close(fds[0]);
	free(path);
	return pid;
}

Test(repo_lock, busy_after_retries, .init = setup, .fini = teardown)
{
	struct dipb_repo *r = open_repo();
	pid_t pid = hold_lock();
	const struct dipb_error *err;
	int status;

	at_top();
	dipb_repo_set_retries(r, 3);
	err = dipb_repo_begin(r);
	cr_assert_not_null(err);
	cr_expect_eq(err->code, DIPB_ERR_BUSY);
	/* The lock file named, and the live process that holds it. */
	cr_expect(strstr(err->msg, "repository busy, retry: '.git/dipb.lock' "
	    "is locked by process ") == err->msg, "%s", err->msg);
	cr_expect_eq(dipb_error_exit_status(err), DIPB_EXIT_BUSY);
	dipb_error_free(err);
	dipb_repo_end(r);	/* a no-op: not held */
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	no_error(dipb_repo_begin(r));
	dipb_repo_end(r);
	dipb_repo_close(r);
}

Test(repo_lock, killed_holder_does_not_block, .init = setup,
    .fini = teardown)
{
	struct dipb_repo *r = open_repo();
	pid_t pid = hold_lock();
	int status;

	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	cr_expect(exists_wt(".git/dipb.lock"));
	dipb_repo_set_retries(r, 0);
	no_error(dipb_repo_begin(r));
	dipb_repo_end(r);
	dipb_repo_close(r);
}

Test(repo_lock, commit_needs_the_lock, .init = setup, .fini = teardown)
{
	struct dipb_repo *r = open_repo();
	char *tag;

	expect_code(change(r, "IC-0001", "drafted", "x\n", &tag),
	    DIPB_ERR_INTERNAL);
	cr_expect_null(tag);
	dipb_repo_close(r);
	expect_out("", "git tag -l");
}

/*
 * A lock file is made exclusively (O_EXCL), as git makes it
 * (dipb-git(7)): one there already, another program's or another
 * dipb's, is busy, and is neither opened over nor emptied nor removed.
 * Opened over, it would be taken over at once, without the retries'
 * wait: two writers of one ref or index, each renaming its file into
 * place.  dipb's checks before a change see a lock taken before them;
 * this is the one taken after.
 */
Test(repo_lock, lock_file_never_taken_over, .init = setup,
    .fini = teardown)
{
	struct dipb_repo *r = open_repo();
	struct dipb_git_lockfile ours = DIPB_GIT_LOCKFILE_INIT;
	struct dipb_git_lockfile again = DIPB_GIT_LOCKFILE_INIT;
	const struct dipb_error *err;
	char *path = xasprintf("%s/.git/refs/heads/main", wt);
	char *tip = read_wt(".git/refs/heads/main"), *text;

	cr_assert_not_null(tip);
	/* Another program's, as git writes it: the new id. */
	write_wt(".git/refs/heads/main.lock", "another writer's\n");
	at_top();
	err = dipb_git_lock_hold(&ours, r, path, 1);
	cr_assert_not_null(err, "another program's lock taken over");
	cr_expect(strstr(err->msg, "'.git/refs/heads/main.lock' exists, "
	    "made ") == err->msg, "%s", err->msg);
	expect_code(err, DIPB_ERR_BUSY);
	dipb_git_lock_rollback(&ours);
	text = read_wt(".git/refs/heads/main.lock");
	cr_expect_str_eq(text, "another writer's\n");
	free(text);
	cr_assert_eq(sh("rm .git/refs/heads/main.lock"), 0);

	/* dipb's own, held: a second hold of it is busy too. */
	no_error(dipb_git_lock_hold(&ours, r, path, 0));
	expect_code(dipb_git_lock_hold(&again, r, path, 1), DIPB_ERR_BUSY);
	dipb_git_lock_rollback(&again);
	cr_expect(exists_wt(".git/refs/heads/main.lock"));
	no_error(dipb_git_lock_write(&ours, tip, strlen(tip), 0));
	no_error(dipb_git_lock_commit(&ours));
	dipb_git_lock_rollback(&ours);
	cr_expect_eq(exists_wt(".git/refs/heads/main.lock"), 0);
	text = read_wt(".git/refs/heads/main");
	cr_expect_str_eq(text, tip);
	free(text);
	free(tip);
	free(path);
	dipb_repo_close(r);
}

/* ---- the index, written by dipb itself ---------------------------- */

static void recover_now(void);

static void
one_change(const char *record, const char *text, const char *want_tag)
{
	struct dipb_repo *r = open_repo();

	no_error(dipb_repo_begin(r));
	change_ok(r, record, "drafted", text, want_tag);
	dipb_repo_end(r);
	dipb_repo_close(r);
}

Test(repo_index, cache_tree_invalidated, .init = setup, .fini = teardown)
{
	char *tree;

	write_wt("recommendations/IC-0001.yaml", "x\n");
	cr_assert_eq(sh("mkdir other"), 0);
	write_wt("other/file", "y\n");
	cr_assert_eq(sh("git add . && git commit -q -m two"), 0);
	/* git commit left a whole cache tree: write-tree uses it as is. */
	tree = out("git rev-parse 'HEAD^{tree}'");
	expect_out(tree, "git write-tree");
	free(tree);

	one_change("IC-0002", "z\n", "IC-0002/1-drafted");
	tree = out("git rev-parse 'HEAD^{tree}'");
	expect_out(tree, "git write-tree");
	free(tree);
	expect_out("", "git status --porcelain");
	cr_expect_eq(sh("git fsck --strict"), 0);
}

Test(repo_index, racy_entries_smudged, .init = setup, .fini = teardown)
{
	write_wt("notes.txt", "staged\n");
	write_wt("same.txt", "same\n");
	/*
	 * Entries newer than the index: only their content can tell.  Before
	 * 2038: a git with 32-bit time (Debian 12 i386's) cannot stat later.
	 */
	cr_assert_eq(sh("touch -d '2037-12-01' notes.txt same.txt && "
	    "git add notes.txt same.txt"), 0);
	expect_out("  size: 7\tflags: 0\n",
	    "git ls-files --debug notes.txt | grep size");
	/* notes.txt edited since, its size and mtime the same. */
	write_wt("notes.txt", "edited\n");
	cr_assert_eq(sh("touch -d '2037-12-01' notes.txt"), 0);
	one_change("IC-0001", "x\n", "IC-0001/1-drafted");
	/* Smudged as git smudges it: its content differs. */
	expect_out("  size: 0\tflags: 0\n",
	    "git ls-files --debug notes.txt | grep size");
	/* Left as git leaves it: its content is the entry's. */
	expect_out("  size: 5\tflags: 0\n",
	    "git ls-files --debug same.txt | grep size");
	expect_out("AM notes.txt\nA  same.txt\n", "git status --porcelain");
	/* dipb's own entry carries the file's stat data. */
	expect_out("  size: 2\tflags: 0\n",
	    "git ls-files --debug recommendations/IC-0001.yaml | grep size");
	cr_expect_eq(sh("git fsck --strict"), 0);
}

Test(repo_index, other_index_versions_and_caches, .init = setup,
    .fini = teardown)
{
	write_wt("untracked.txt", "u\n");
	write_wt("intent.txt", "i\n");
	/* An intent-to-add entry has extended flags: a version 3 index. */
	cr_assert_eq(sh("git config core.untrackedCache true && "
	    "git add -N intent.txt && git status --porcelain"), 0);
	expect_out("3\n", "od -An -tu1 -j7 -N1 .git/index | tr -d ' '");
	one_change("IC-0001", "x\n", "IC-0001/1-drafted");
	expect_out(" A intent.txt\n?? untracked.txt\n",
	    "git status --porcelain");
	expect_out("3\n", "od -An -tu1 -j7 -N1 .git/index | tr -d ' '");
	expect_out("IC-0001/1-drafted\n", "git tag -l");

	/* Version 4 goes through libgit2. */
	cr_assert_eq(sh("git update-index --index-version 4"), 0);
	one_change("IC-0002", "y\n", "IC-0002/1-drafted");
	expect_out(" A intent.txt\n?? untracked.txt\n",
	    "git status --porcelain");
	expect_out("recommendations/IC-0002.yaml\n",
	    "git ls-files recommendations/IC-0002.yaml");
	cr_expect_eq(sh("git fsck --strict"), 0);
}

Test(repo_index, locked_by_git_is_busy_before_any_change, .init = setup,
    .fini = teardown)
{
	struct dipb_repo *r = open_repo();
	const struct dipb_error *err;
	char *tag = NULL, *text;
	pid_t pid;
	int status;

	/* An index.lock there before: refused before anything, named. */
	cr_assert_eq(sh("touch .git/index.lock"), 0);
	at_top();
	dipb_repo_set_retries(r, 2);
	no_error(dipb_repo_begin(r));
	err = change(r, "IC-0001", "drafted", "x\n", &tag);
	cr_assert_not_null(err);
	cr_expect(strstr(err->msg, "'.git/index.lock' exists, made ") ==
	    err->msg, "%s", err->msg);
	expect_code(err, DIPB_ERR_BUSY);
	dipb_repo_end(r);
	dipb_repo_close(r);
	expect_out("", "git tag -l");
	cr_expect_eq(exists_wt(".git/dipb-journal"), 0);
	cr_assert_eq(sh("rm .git/index.lock"), 0);

	/*
	 * A git command that takes index.lock once the change is under way
	 * (the change stops at its journal, the lock is taken, it goes on):
	 * the change needs the lock before its branch moves
	 * (dipb_git_index_hold), waits, and is undone, busy, as a second
	 * git commit would be.
	 */
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		setenv("DIPB_FAULT", "journal:stop", 1);
		r = open_repo();
		dipb_repo_set_retries(r, 2);
		if (dipb_repo_begin(r) != NULL)
			_exit(1);
		err = change(r, "IC-0001", "drafted", "x\n", &tag);
		_exit(err == NULL ? 0 : err->code == DIPB_ERR_BUSY ? 3 : 1);
	}
	cr_assert_eq(waitpid(pid, &status, WUNTRACED), pid);
	cr_assert(WIFSTOPPED(status));
	cr_assert_eq(sh("touch .git/index.lock"), 0);
	kill(pid, SIGCONT);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 3,
	    "not refused as busy: %d", status);
	/* Nothing left: no tag, no commit, no journal; git's lock stays. */
	expect_out("", "git tag -l");
	expect_out("1\n", "git rev-list --count HEAD");
	cr_expect_eq(exists_wt(".git/dipb-journal"), 0);
	cr_expect(exists_wt(".git/index.lock"));
	cr_assert_eq(sh("rm .git/index.lock"), 0);
	text = out("git status --porcelain");
	cr_expect_str_eq(text, "");
	free(text);
}

/* ---- races ------------------------------------------------------- */

Test(repo_commit, branch_moved_is_changed, .init = setup, .fini = teardown)
{
	struct dipb_repo *r = open_repo();
	char *tag;

	no_error(dipb_repo_begin(r));
	/* Another writer (plain git) moves the branch meanwhile. */
	cr_assert_eq(sh("git commit -q --allow-empty -m other"), 0);
	expect_code(change(r, "IC-0001", "drafted", "x\n", &tag),
	    DIPB_ERR_CHANGED);
	cr_expect_null(tag);
	dipb_repo_end(r);
	dipb_repo_close(r);
	expect_out("", "git tag -l");
	expect_out("other\n", "git log -1 --format=%s");
	cr_expect_eq(exists_wt("recommendations/IC-0001.yaml"), 0);
	cr_expect_eq(exists_wt(".git/dipb-journal"), 0);
	expect_out("", "git status --porcelain");

	/* Retrying with the lock taken again works. */
	r = open_repo();
	no_error(dipb_repo_begin(r));
	change_ok(r, "IC-0001", "drafted", "x\n", "IC-0001/1-drafted");
	dipb_repo_end(r);
	dipb_repo_close(r);
	cr_expect_eq(sh("git fsck --strict"), 0);
}

Test(repo_commit, unborn_branch_created_meanwhile_is_changed,
    .init = setup_empty, .fini = teardown)
{
	struct dipb_repo *r = NULL;
	char *tag;
	int again;

	no_error(dipb_repo_init(&r, &again, wt, -1));
	no_error(dipb_repo_begin(r));
	cr_assert_eq(sh("git commit -q --allow-empty -m other"), 0);
	expect_code(change(r, "IC-0001", "drafted", "x\n", &tag),
	    DIPB_ERR_CHANGED);
	dipb_repo_end(r);
	dipb_repo_close(r);
	expect_out("", "git tag -l");
}

/*
 * Runs one change in a child stopped after step point; returns its pid
 * once it is stopped there.
 */
static pid_t
stopped_at(const char *point)
{
	const struct dipb_error *err;
	struct dipb_repo *r;
	char *tag, *env = xasprintf("%s:stop", point);
	pid_t pid;
	int status;

	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		setenv("DIPB_FAULT", env, 1);
		if (dipb_repo_open(&r, wt, 1) != NULL ||
		    dipb_repo_begin(r) != NULL)
			_exit(100);
		err = change(r, "IC-0001", "drafted", "x\n", &tag);
		_exit(err != NULL ? err->code : 0);
	}
	free(env);
	cr_assert_eq(waitpid(pid, &status, WUNTRACED), pid);
	cr_assert(WIFSTOPPED(status), "the child did not stop");
	return pid;
}

/* The child's exit status once continued: the error code, 0 for none. */
static int
continued(pid_t pid)
{
	int status;

	kill(pid, SIGCONT);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

Test(repo_commit, tag_collision_is_busy, .init = setup, .fini = teardown)
{
	char *head = out("git rev-parse HEAD");
	pid_t pid;

	/* Another writer makes the same tag while dipb is between steps. */
	pid = stopped_at("journal");
	cr_assert_eq(sh("git tag -a -m theirs IC-0001/1-drafted"), 0);
	cr_expect_eq(continued(pid), DIPB_ERR_BUSY);
	expect_out(head, "git rev-parse HEAD");
	expect_out("theirs\n", "git tag -l --format='%(contents:subject)'");
	cr_expect_eq(exists_wt(".git/dipb-journal"), 0);
	cr_expect_eq(exists_wt("recommendations/IC-0001.yaml"), 0);
	free(head);
}

/*
 * Plain git moving the branch without the index, whose lock a change holds
 * from before its tag: a commit "other" of the same tree.
 */
#define MOVE_BRANCH \
	"git update-ref refs/heads/main " \
	"$(git commit-tree -p HEAD -m other 'HEAD^{tree}')"

Test(repo_commit, branch_moved_after_the_tag_is_changed, .init = setup,
    .fini = teardown)
{
	pid_t pid;

	/* The tag is made, then plain git moves the branch: not git commit,
	 * which the change's index.lock refuses (dipb-git(7)). */
	pid = stopped_at("tag-ref");
	expect_out("IC-0001/1-drafted\n", "git tag -l");
	cr_assert_neq(sh("git commit -q --allow-empty -m other 2>/dev/null"),
	    0);
	cr_assert_eq(sh(MOVE_BRANCH), 0);
	cr_expect_eq(continued(pid), DIPB_ERR_CHANGED);
	expect_out("", "git tag -l");
	expect_out("other\n", "git log -1 --format=%s");
	cr_expect_eq(exists_wt(".git/dipb-journal"), 0);
	expect_out("", "git status --porcelain");
}

/* ---- interrupted changes ------------------------------------------ */

/*
 * Runs one change in a child killed at point; returns 1 when the child
 * died of SIGKILL.
 */
static int
killed_at(const char *point)
{
	struct dipb_repo *r;
	char *tag;
	pid_t pid;
	int status;

	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		setenv("DIPB_FAULT", point, 1);
		if (dipb_repo_open(&r, wt, 1) != NULL ||
		    dipb_repo_begin(r) != NULL)
			_exit(2);
		change(r, "IC-0001", "drafted", "id: IC-0001\n", &tag);
		_exit(3);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

/* As the next dipb command does, printing the warnings as main.c does. */
static void
recover_now(void)
{
	struct dipb_repo *r = open_repo();
	const struct dipb_strlist *w;
	size_t i;

	no_error(dipb_repo_begin(r));
	dipb_repo_end(r);
	w = dipb_repo_warnings(r);
	for (i = 0; i < w->n; i++)
		fprintf(stderr, "dipb: warning: %s\n", w->v[i]);
	dipb_repo_close(r);
}

Test(repo_journal, branch_moved_worktree_not_written, .init = setup,
    .fini = teardown)
{
	char *text;

	cr_assert(killed_at("branch"));
	cr_expect(exists_wt(".git/dipb-journal"));
	expect_out("2\n", "git rev-list --count HEAD");
	cr_expect_eq(exists_wt("recommendations/IC-0001.yaml"), 0);

	recover_now();
	cr_expect_eq(exists_wt(".git/dipb-journal"), 0);
	expect_out("IC-0001/1-drafted\n", "git tag -l");
	text = read_wt("recommendations/IC-0001.yaml");
	cr_expect_str_eq(text != NULL ? text : "(none)", "id: IC-0001\n");
	free(text);
	expect_out("", "git status --porcelain");
	cr_expect_eq(sh("git fsck --strict"), 0);
}

Test(repo_journal, tag_written_branch_not_moved, .init = setup,
    .fini = teardown)
{
	cr_assert(killed_at("tag-ref"));
	cr_expect(exists_wt(".git/dipb-journal"));
	expect_out("IC-0001/1-drafted\n", "git tag -l");
	expect_out("1\n", "git rev-list --count HEAD");

	recover_now();
	cr_expect_eq(exists_wt(".git/dipb-journal"), 0);
	expect_out("", "git tag -l");
	expect_out("1\n", "git rev-list --count HEAD");
	expect_out("", "git status --porcelain");
	cr_expect_eq(sh("git fsck --strict"), 0);
}

Test(repo_journal, branch_moved_tag_missing, .init = setup,
    .fini = teardown)
{
	cr_assert(killed_at("branch"));
	cr_assert_eq(sh("git tag -d IC-0001/1-drafted"), 0);
	recover_now();
	expect_out("IC-0001/1-drafted\n", "git tag -l");
	expect_out("tag\n", "git cat-file -t IC-0001/1-drafted");
	expect_out("", "git status --porcelain");
}

Test(repo_journal, branch_moved_elsewhere_is_abandoned, .init = setup,
    .fini = teardown)
{
	char *want;

	cr_assert(killed_at("tag-ref"));
	cr_assert_eq(sh(MOVE_BRANCH), 0);
	cr_redirect_stderr();
	recover_now();
	fflush(stderr);
	/* The index.lock the change held from before its tag goes first. */
	want = xasprintf("dipb: warning: removed a lock file left by an "
	    "interrupted dipb: '%s/.git/index.lock'\n"
	    "dipb: warning: an interrupted change (IC-0001/1-drafted) was "
	    "abandoned: refs/heads/main moved since\n", wt);
	cr_expect_stderr_eq_str(want);
	free(want);
	cr_expect_eq(exists_wt(".git/dipb-journal"), 0);
	expect_out("other\n", "git log -1 --format=%s");
}

/* A kill inside libgit2's ref update or the index write leaves .lock files. */
Test(repo_journal, stale_locks_of_a_killed_dipb_removed, .init = setup,
    .fini = teardown)
{
	cr_assert(killed_at("tag-ref"));
	/* As if killed while the branch's and the index's locks were held:
	 * dipb's, with its mark (dipb-git(7), "Stale lock files"). */
	cr_assert_eq(sh("sed -n 's/^new //p' .git/dipb-journal > "
	    ".git/refs/heads/main.lock && : > .git/index.lock && "
	    "chmod 1644 .git/refs/heads/main.lock .git/index.lock"), 0);
	cr_redirect_stderr();
	recover_now();
	cr_expect_eq(exists_wt(".git/refs/heads/main.lock"), 0);
	cr_expect_eq(exists_wt(".git/index.lock"), 0);
	cr_expect_eq(exists_wt(".git/dipb-journal"), 0);
	expect_out("", "git tag -l");
	/* And the repository works again. */
	one_change("IC-0001", "x\n", "IC-0001/1-drafted");
	expect_out("", "git status --porcelain");
}

Test(repo_journal, other_programs_locks_stay, .init = setup,
    .fini = teardown)
{
	struct dipb_repo *r;

	cr_assert(killed_at("branch"));
	/*
	 * A git command's locks, unmarked: an empty one, in the first
	 * moment of git's (the killed dipb's own index.lock gone first),
	 * and a whole index.
	 */
	cr_assert_eq(sh("rm .git/index.lock && "
	    ": > .git/refs/heads/main.lock && "
	    "cp .git/index .git/index.lock"), 0);
	r = open_repo();
	dipb_repo_set_retries(r, 1);
	expect_code(dipb_repo_begin(r), DIPB_ERR_BUSY);
	dipb_repo_close(r);
	cr_expect(exists_wt(".git/refs/heads/main.lock"));
	cr_expect(exists_wt(".git/index.lock"));
	cr_expect(exists_wt(".git/dipb-journal"));
	/* Once git is done, the next dipb finishes the change. */
	cr_assert_eq(sh("rm .git/refs/heads/main.lock .git/index.lock"), 0);
	recover_now();
	expect_out("", "git status --porcelain");
	expect_out("IC-0001/1-drafted\n", "git tag -l");
}

Test(repo_journal, every_fault_point_whole_or_nothing, .init = setup,
    .fini = teardown)
{
	static const char *const points[] = { "blob", "commit", "tag-object",
	    "journal", "tag-ref", "branch", "worktree", "index" };
	char *head = out("git rev-parse HEAD"), *tags, *count;
	size_t i;
	int whole;

	for (i = 0; i < sizeof(points) / sizeof(points[0]); i++) {
		cr_assert(killed_at(points[i]), "%s: not killed", points[i]);
		recover_now();
		tags = out("git tag -l");
		count = out("git rev-list --count HEAD");
		whole = i >= 5;		/* from "branch" on */
		cr_expect_str_eq(tags, whole ? "IC-0001/1-drafted\n" : "",
		    "%s: tags", points[i]);
		cr_expect_str_eq(count, whole ? "2\n" : "1\n", "%s: commits",
		    points[i]);
		free(tags);
		free(count);
		expect_out("", "git status --porcelain");
		cr_expect_eq(exists_wt(".git/dipb-journal"), 0, "%s",
		    points[i]);
		cr_expect_eq(sh("git fsck --strict"), 0, "%s: fsck",
		    points[i]);
		/* Back to the start for the next point. */
		cr_assert_eq(sh("git tag -l | xargs -r git tag -d && "
		    "git reset -q --hard %.40s", head), 0);
	}
	free(head);
}

/*
 * dipb_git_path_ok judges a path as git 2.39's verify_path() does on
 * Linux with core.protectNTFS on (git's default since 2.24): what a sync
 * takes from another clone's tree and what the journal names.  git on
 * Linux takes a backslash, a newline and a carriage return (git
 * update-index --add --cacheinfo, then checkout-index, write them).
 */
Test(repo_paths, path_ok_as_git_verify_path)
{
	static const char *const ok[] = { "dipb.yaml",
	    "recommendations/IC-0001.yaml", ".gitattributes", ".github/x",
	    "a/.gitx/b", ".git-x", "git~2", "a.git", "docs/...x",
	    "a\\b", "a\nb", "a\rb", "a\\.gitx", ".\\x", "..\\x", "a\\.\\b",
	    "x/.gitmodules", "git~1x\\b",
	    /* One that begins a component is no separator to git. */
	    "\\.git", "\\.GIT", "\\git~1", "\\.git\\x", "a/\\.git",
	    "x/\\.git.", "a\\b/\\.git", "a/\\git~1/b" };
	static const char *const bad[] = { "", "/abs", "a//b", "a/", ".",
	    "..", "./a", "a/../b", ".git", ".GIT", "a/.git/b", ".git.",
	    ".git ", ".git. .", "git~1", "GIT~1/x",
	    ".git::$INDEX_ALLOCATION", "git~1.", "GIT~1 :x",
	    /* Windows reads a backslash as '/': what follows one too. */
	    ".git\\x", "a\\git~1", "a\\.git:x", "a\\.git. \\b", "a\\\\.git",
	    "a\\git~1.", "\\\\.git", "a\\\\\\.git", "a\\.git" };
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		cr_assert(dipb_git_path_ok(ok[i]), "refused: '%s'", ok[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert(!dipb_git_path_ok(bad[i]), "taken: '%s'", bad[i]);
}

/*
 * A path a message advises a command on, named from the current
 * directory as git names it: from the top as it is, from a folder below
 * it with "../", from outside the working tree absolute (dipb(1)).
 */
Test(repo, path_here, .init = setup, .fini = teardown)
{
	struct dipb_repo *r = open_repo();
	char *top = realpath(wt, NULL), *p, *want;

	cr_assert_not_null(top);
	at_top();
	p = dipb_repo_path_here(r, "recommendations/IC-0001.yaml");
	cr_expect_str_eq(p, "recommendations/IC-0001.yaml");
	free(p);
	cr_assert_eq(chdir("recommendations"), 0);
	p = dipb_repo_path_here(r, "recommendations/IC-0001.yaml");
	cr_expect_str_eq(p, "IC-0001.yaml");
	free(p);
	p = dipb_repo_path_here(r, "dipb.yaml");
	cr_expect_str_eq(p, "../dipb.yaml");
	free(p);
	want = xasprintf("%s/.git/index.lock", wt);
	p = dipb_repo_path_here(r, want);
	cr_expect_str_eq(p, "../.git/index.lock");
	free(p);
	free(want);
	cr_assert_eq(chdir(tmpdir), 0);
	p = dipb_repo_path_here(r, "dipb.yaml");
	want = xasprintf("%sdipb.yaml", dipb_repo_workdir(r));
	cr_expect_str_eq(p, want);
	free(p);
	free(want);
	free(top);
	dipb_repo_close(r);
}

/*
 * gpg.ssh.defaultKeyCommand's words, split as git 2.39's split_cmdline()
 * splits them (what tests/cli/sign.sh checks against git itself).
 */
static void
check_split(const char *cmd, const char *want)
{
	struct dipb_strlist words = DIPB_STRLIST_INIT;
	struct dipb_buf got = DIPB_BUF_INIT;
	const char *why;
	size_t i;

	dipb_strlist_push(&words, "kept");
	why = dipb_git_split_cmdline(&words, cmd);
	cr_assert_str_eq(words.v[0], "kept");
	for (i = 1; i < words.n; i++)
		dipb_buf_printf(&got, "<%s>", words.v[i]);
	if (why != NULL)
		dipb_buf_printf(&got, "error: %s", why);
	cr_expect_str_eq(dipb_buf_cstr(&got), want, "split of [%s]", cmd);
	dipb_strlist_release(&words);
	dipb_buf_release(&got);
}

Test(repo_sign, split_cmdline_as_git)
{
	check_split("ssh-add -L", "<ssh-add><-L>");
	check_split("a  \t\n\r b", "<a><b>");
	check_split("a\vb\fc", "<a\vb\fc>");
	check_split(" a ", "<><a><>");
	check_split("sh -c 'cat k | sed s/^/key::/'",
	    "<sh><-c><cat k | sed s/^/key::/>");
	check_split("'a b'\"c\\\"d\" e\\ f 'g\\h' \"\"", "<a bc\"d><e f><g\\h><>");
	check_split("\"a\\\\b\" \\'", "<a\\b><'>");
	check_split("sh -c 'echo", "error: unclosed quote");
	check_split("a \"b", "error: unclosed quote");
	check_split("a b\\", "error: cmdline ends with \\");
	check_split("'a\\'", "<a\\>");
}
