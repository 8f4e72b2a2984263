/*
 * scan.h - the files that dipb validate and dipb fmt check, read from the
 * working tree (never through git: a shallow clone, or no .git at all,
 * is fine; git's view of a file's line ends is asked for its form alone,
 * dipb_scan_canonical), and the boards they are checked against.
 *
 * No PATH: the board found from the current folder upwards (the folder
 * holding dipb.yaml): its dipb.yaml and the .yaml files of its
 * recommendations folder and of every folder below it, DIPB_RECORD_DEPTH
 * levels deep (the sharded layout's shards, dipb-board(5), and any other;
 * a folder deeper still is reported [record-path]), and of its meetings
 * folder (a file of a folder named meetings is a meeting's, meeting.h).
 * A PATH that is a folder holding dipb.yaml is such a board;
 * recommendations/ or a folder below it gives its records, its
 * subfolders' too, as above; any other folder gives its .yaml files (not
 * those of its subfolders); a file named dipb.yaml is a board; any other
 * file is a record.  A record's board is
 * the first dipb.yaml found from its folder upwards (by the names the
 * path gives, else by the folder's real path: a link to it from outside
 * the board), loaded once however many records share it.  A drafts
 * folder (dipb_scan_draft) is never a board: a dipb.yaml in it is a
 * draft, and its drafts' board is the first found above it
 * (dipb-validate(1)).
 *
 * A record file or a dipb.yaml that is a symbolic link, whether or not it
 * names anything, is reported [symlink] and never followed
 * (dipb-validate(1)); a folder given as PATH is the user's own, and is
 * followed.
 *
 * Paths are shown as given (joined with the names found), so that they
 * open from the current folder; the board found with no PATH is shown
 * relative to it ("dipb.yaml", "../dipb.yaml").  A PATH that reaches a
 * file or a folder through a symbolic link to a folder that really is in
 * the working tree (its top as sarif.h finds it) is shown by that real
 * folder instead, from the current folder or absolute as PATH is: the
 * path the tree holds it at, the only one a forge can place a finding on
 * (dipb-validate(1)).
 */
#ifndef DIPB_SCAN_H
#define DIPB_SCAN_H

#include <stddef.h>

#include "board.h"
#include "diag.h"
#include "util.h"

struct dipb_scan_board {
	char			*path;	/* of its dipb.yaml, as shown */
	char			*real;	/* realpath of its folder */
	struct dipb_board	 board;
	int			 ok;	/* loaded without an error */
};

struct dipb_scan_file {
	char	*path;		/* as shown */
	int	 board;		/* index in boards, -1 for none */
	/* From its board's folder, for a file found below its
	 * recommendations/ (NULL for any other): where the board's layout
	 * says whether a record may lie (dipb-board(5), "layout"). */
	char	*rel;
	/* "<folder>/<name>": the name of the folder the file really is in,
	 * however path names it ("drafts//x.yaml", "./x.yaml" in drafts/),
	 * which says whether it is a draft or a meeting. */
	char	*where;
	/* The real path of its folder and its name: the same for every
	 * spelling of one file ("x", "./x", "a/../x", absolute), so that a
	 * file named twice is checked once (dipb_scan_paths). */
	char	*real;
	size_t	 seq;		/* the order it was found in */
};

/*
 * The git working trees of the files read, for the form of a file as git
 * would commit it and its text as git checks it out (dipb-fmt(1)): a
 * file in no working tree is its bytes.  One repository is kept open,
 * that of the last file that needed one.
 */
struct dipb_scan_git {
	struct dipb_repo	*repo;
	char			*top;	/* its working tree's real path, '/' */
	char			*none;	/* a folder found in no working tree */
	/* The dotfiles repo's index holds, read once (dipb_scan): of
	 * those below recommendations/, the only ones the scan reads. */
	struct dipb_strlist	 dots;
	int			 dotsread;
	/* The paths its index holds as symbolic links, read once: each
	 * is [symlink], though checked out plain (core.symlinks false). */
	struct dipb_strlist	 links;
	int			 linksread;
	int			 nogit;	/* a repository would not open */
};
#define DIPB_SCAN_GIT_INIT	{ NULL, NULL, NULL, DIPB_STRLIST_INIT, 0, \
	DIPB_STRLIST_INIT, 0, 0 }

struct dipb_scan {
	struct dipb_scan_file	*files;		/* records, sorted by path */
	size_t			 nfiles;
	size_t			 fcap;
	struct dipb_scan_board	*boards;
	size_t			 nboards;
	size_t			 bcap;
	/* The boards' problems, paths that could not be read [io], links
	 * [symlink]. */
	struct dipb_diags	 diags;
	char			*lastdir;	/* cache of board lookups */
	int			 lastboard;
	char			*realdir;	/* cache of real_dir: a folder */
	char			*dirreal;	/* and its realpath, or NULL */
	/* Found once, for a PATH through a link into the working tree:
	 * the current folder and the tree's top (dipb_result_root). */
	int			 topfound;
	char			*cwd;
	char			*top;
	/* The first folder whose real path could not be found for other
	 * than its absence (realpath: ENOMEM, EACCES, EIO): the scan's
	 * error, never taken as a folder with no board. */
	const struct dipb_error	*err;
	/* Where the dotfiles below recommendations/ are asked after. */
	struct dipb_scan_git	 git;
};

void	 dipb_scan_init(struct dipb_scan *);
void	 dipb_scan_release(struct dipb_scan *);

/*
 * Fills s (initialised) from paths[0..n) as above.  A path that does not
 * exist or cannot be read is a diagnostic [io], not an error, unless the
 * failure is dipb's own (dipb_scan_io), returned then.  With no
 * path and no board above the current folder: DIPB_ERR_NO_REPO.  A
 * folder's real path not found for other than its absence: DIPB_ERR_IO
 * naming it, as the board above a file is then unknown.
 */
const struct dipb_error *dipb_scan_paths(struct dipb_scan *s,
	    char *const *paths, size_t n);
/*
 * The board found from the current folder upwards into s->boards[0],
 * none of its files (dipb schema); DIPB_ERR_NO_REPO when there is none.
 */
const struct dipb_error *dipb_scan_board(struct dipb_scan *s);

/* The board of file f, NULL when it has none or its board is invalid. */
const struct dipb_board *dipb_scan_board_of(const struct dipb_scan *s,
	    const struct dipb_scan_file *f);

/*
 * Reads the regular file at path into out (cleared first, its memory
 * reused): at most DIPB_MAX_FILE + 1 bytes, so that a larger file is
 * refused by the loader [file-size] without being read whole; *rc 0.
 * Never through a symbolic link, which is reported [symlink] without
 * opening what it names (a secret, a device, a FIFO), nor from what is
 * no regular file [io]: *rc -1 with the diagnostic added to diags.  A
 * failure that is dipb's own, not the file's (dipb_scan_io), is returned
 * (DIPB_ERR_IO), *rc -1, nothing added.
 */
const struct dipb_error *dipb_scan_read(int *rc, struct dipb_buf *out,
	    struct dipb_diags *diags, const char *path);
/*
 * path that could not be read for errnum: [io] added to diags, NULL; or,
 * for a failure of dipb's own rather than the file's (no descriptor or
 * memory left: EMFILE, ENFILE, ENOMEM, ENOBUFS; EINTR, EAGAIN), nothing
 * added and the error returned (DIPB_ERR_IO, naming path): no finding,
 * the run could not finish (dipb-validate(1), EXIT STATUS).  The one
 * place a path's errno becomes [io], for validate and fmt.
 */
const struct dipb_error *dipb_scan_io(struct dipb_diags *diags,
	    const char *path, int errnum);


void	 dipb_scan_git_release(struct dipb_scan_git *);
/*
 * *ok 1 when buf, the bytes of file f, is canon, its canonical form, as
 * git would commit it: its bytes, or, for a file holding a CR in a
 * working tree, what git add takes in (CRLF line ends git makes LF are
 * no matter of form).  *ok 0 with *line the line of the first
 * difference.  A repository that holds f but will not open (another
 * user's, as git refuses it) is an error (dipb_repo_open_at).
 */
const struct dipb_error *dipb_scan_canonical(int *ok,
	    struct dipb_scan_git *g, const struct dipb_scan_file *f,
	    const struct dipb_buf *buf, const struct dipb_buf *canon,
	    unsigned *line);
/*
 * canon, the text file f is to hold, into out as git's checkout writes
 * it in f's working tree (CRLF where git would check out CRLF), or as it
 * is in none; a repository that will not open is an error, as above.
 */
const struct dipb_error *dipb_scan_git_out(struct dipb_scan_git *g,
	    struct dipb_buf *out, const struct dipb_scan_file *f,
	    const struct dipb_buf *canon);

/*
 * path, a file's path from top (a working tree's, absolute, ending in
 * '/'), as the files above are shown: from the current folder
 * ("../recommendations/IC-0001.yaml" from a folder beside it), so that
 * it opens from there; path itself when its folder's real path cannot be
 * found.  What a command says of a record's working file
 * (dipb-edit(1)).  Caller frees.
 */
char	*dipb_scan_shown(const char *top, const char *path);

/*
 * 1 when the file at path is a draft, in a folder named drafts: what a
 * drafter hands to 'dipb recommend --from', proposed in a pull request
 * before it becomes a record (dipb-validate(1); the README, "Boards on a
 * server and on a forge").
 */
int	 dipb_scan_draft(const char *path);

#endif /* DIPB_SCAN_H */
