/*
 * history.h - the board's history read back from git: the state changes
 * of one record (from its tags) and the changes in a window of the branch.
 *
 * Only dipb types cross this header; history.c reads git through the
 * reading half of repo.h (src/git/), on the repository that
 * dipb_repo_open() opened.
 *
 * A record's history is read from its tags, refs/tags/<ID>/<N>-<event>,
 * and their commits: the cost does not grow with the length of the
 * branch.  A window (--since/--until) is walked from its newest commit
 * back to its oldest, and no further (bar a few commits of slack when the
 * window starts at a date: five in a row dated before its first day
 * begins anywhere (UTC+14) end the walk, so one made on a slow clock
 * does not, where git log --since follows no line of history past such
 * a commit).
 *
 * Every string handed out is valid UTF-8 without control characters other
 * than newline and tab (anything else from git becomes '?'), so it can go
 * to a terminal or to JSON as it is.
 */
#ifndef DIPB_HISTORY_H
#define DIPB_HISTORY_H

#include <stdint.h>

#include "diag.h"
#include "record.h"
#include "repo.h"
#include "text.h"
#include "util.h"


struct dipb_history;

/* One commit of the history. */
struct dipb_event {
	char		*tag;		/* "IC-0007/3-reviewed"; NULL if none */
	unsigned long	 n;		/* the tag's N; 0 without a tag */
	char		 commit[DIPB_OID_HEX + 1];
	char		 parent[DIPB_OID_HEX + 1];	/* first; "" if none */
	int64_t		 time;		/* author time, seconds since the epoch */
	int		 offset;	/* author's zone, minutes east of UTC */
	int		 zone;		/* that zone as written: +hhmm, -130 */
	char		 date[11];	/* author date in that zone, YYYY-MM-DD */
	/*
	 * The day the commit was made on the branch, YYYY-MM-DD: its
	 * committer date in the committer's zone (the author's without a
	 * committer); in a window, for a commit a merge of the branch's
	 * line brought in, the merge's.  A date window is of these days
	 * (dipb_history_window).
	 */
	char		 landed[11];
	/* author_name, subject and comment keep their bidirectional
	 * controls, for each output to clean its own way (text.h,
	 * dipb_text_clean_keep_bidi) */
	char		*author_name;
	char		*author_email;
	char		*record;	/* Dipb-Record ("IC-0007", "board") */
	char		*event;		/* Dipb-Event */
	char		*status_from;	/* Dipb-Status "<from> -> <to>", */
	char		*status_to;	/* NULL when absent */
	char		*subject;	/* the message's first paragraph */
	char		*comment;	/* the rest, trailers aside; NULL if none */
	int		 plain;		/* 1: no Dipb-Record trailer (plain git) */
	/*
	 * dipb_history_record: 1 when the tag's commit does not carry the
	 * Dipb-Record and Dipb-Event trailers its name says (a tag made by
	 * hand with git tag on a plain git commit or on another change,
	 * dipb-verify(1) tag-extra): no change of the record, whatever its
	 * name says.  record and event are still the commit's trailers,
	 * or the tag's where it has none.
	 */
	int		 forged;
	/*
	 * dipb_history_window with DIPB_HISTORY_LEVELS, an event with a
	 * comment, and a declassified one of a record with an older comment
	 * in the window: the record's classification at the event's commit,
	 * for a declassified event at the commit's first parent (the level
	 * it lowered the record from), as the record's file there says
	 * (dipb_history_level_at), not the subject, which is any text a
	 * pusher wrote (dipb-report(1)); NULL when not known or not read.
	 */
	char		*level;
	/*
	 * Plain git, and with DIPB_HISTORY_LEVELS the board's and meetings'
	 * changes: the record files and dipb.yaml it changed.
	 */
	struct dipb_strlist paths;
	/*
	 * Plain git, dipb_history_window with DIPB_HISTORY_PLAIN_LEVELS, and
	 * the board's and meetings' changes with DIPB_HISTORY_LEVELS: the
	 * classifications of the records it changed, at its commit and at
	 * its first parent, as their files there say (dipb_history_level_at;
	 * none where a record has no file); for a meeting's change with a
	 * comment, those of the agenda items of each meeting file it changed
	 * too (dipb_history_agenda_levels).  levels_unknown 1 when one there
	 * is not known (the rest may then be unread).
	 */
	struct dipb_strlist levels;
	int		 levels_unknown;
};

struct dipb_events {
	struct dipb_event	*v;
	size_t			 n;
	size_t			 cap;
	/* dipb_history_window: the newest commit of the window, "" if none. */
	char			 end[DIPB_OID_HEX + 1];
};

#define DIPB_EVENTS_INIT { NULL, 0, 0, "" }

void	 dipb_events_init(struct dipb_events *);
void	 dipb_events_release(struct dipb_events *);

/*
 * Opens the history of repo (which must stay open until
 * dipb_history_close).  *out is freed with dipb_history_close().
 */
const struct dipb_error *dipb_history_open(struct dipb_history **out,
	    struct dipb_repo *repo);
void	 dipb_history_close(struct dipb_history *);

/*
 * Appends the state changes of record id (or "board") to out, oldest
 * first: one per tag refs/tags/<id>/<N>-<event>, in order of N, with its
 * commit.  Tags of another form, and tags that lead to no commit (moved
 * by hand onto a tree or a blob), are ignored.  A tag whose commit does not
 * carry the Dipb-Record and Dipb-Event trailers of its name is listed,
 * forged (struct dipb_event): a reader that takes a change of the record
 * by its tag skips or refuses it.  No tag: nothing appended.
 */
const struct dipb_error *dipb_history_record(struct dipb_events *out,
	    struct dipb_history *, const char *id);

/* Flags of dipb_history_window. */
#define DIPB_HISTORY_TAGS	0x1	/* name each event's tag */
#define DIPB_HISTORY_LEVELS	0x2	/* read each comment's level */
#define DIPB_HISTORY_PLAIN_LEVELS 0x4	/* and each plain commit's records' */

/*
 * Appends the commits of the window to out, newest first: those reachable
 * from until (a revision; or, for a date YYYY-MM-DD, the branch tip, with
 * commits landed after that day left out) and not from since (a revision;
 * or, for a date, commits landed before that day left out).  NULL: no
 * bound.  A date bounds the day each commit was made on the branch (its
 * landed day, as dipb_history_resolve reads it), not its author date:
 * dipb sync lands a change made elsewhere with its earlier author date.
 * The branch's own line (git log --first-parent) is walked, newest first,
 * each commit landed on its commit day; a merge of it is skipped, and
 * what it brought in (git log M^1..M) listed in its place, in git log's
 * order (window.h), landed on the merge's day.  Commits with a
 * Dipb-Record trailer are events; others are listed (plain set) only when
 * they changed a file under recommendations/ or dipb.yaml.  With
 * DIPB_HISTORY_TAGS the tag of each dipb commit is named (the tags of
 * each record met, read by their prefix refs/tags/<record>/, never every
 * tag); with DIPB_HISTORY_LEVELS the level of each event's comment is
 * read (struct dipb_event, level: one record read per comment and per
 * declassified event of a record with an older comment, what dipb report
 * minutes ranks); with DIPB_HISTORY_PLAIN_LEVELS those of the records
 * each plain commit changed (struct dipb_event, levels: two reads per
 * record, what dipb report minutes under a maximum judges its subject
 * by).  A WHEN that is neither a date nor a revision is DIPB_ERR_USAGE.
 */
const struct dipb_error *dipb_history_window(struct dipb_events *out,
	    struct dipb_history *, const char *since, const char *until,
	    unsigned flags);

/*
 * The commit WHEN names: a revision's commit, or for a date the newest
 * commit of the branch's first-parent line committed on or before that
 * day (its committer date, which dipb sync sets when it lands a change
 * made earlier; the day a window reads), as git rev-list --first-parent
 * --until: not a commit of a branch merged into it later.
 * DIPB_ERR_NOT_FOUND when there is none, DIPB_ERR_USAGE when WHEN is
 * neither.
 */
const struct dipb_error *dipb_history_resolve(char out[DIPB_OID_HEX + 1],
	    struct dipb_history *, const char *when);

/*
 * Reads path ('/'-separated, relative to the top) at commit (hex) into
 * out and its blob id into blob.  *found is 0 (out empty, blob "") when
 * the path does not exist there (for a record's place, in either layout:
 * when it is not where dipb_history_read_record, the one reader of a
 * record's file, finds that record).  A blob larger than max bytes (0:
 * no limit) is DIPB_ERR_TOO_LARGE.
 */
const struct dipb_error *dipb_history_read(struct dipb_buf *out,
	    char blob[DIPB_OID_HEX + 1], int *found, struct dipb_history *,
	    const char *commit, const char *path, size_t max);

/*
 * dipb_history_read of record id's file at commit, in either layout
 * (dipb-board(5), "layout": a board may have changed it since), the
 * place dipb_repo_record_path_at finds.  *path (caller frees) is where it
 * was found, or the flat place when it was not.
 */
const struct dipb_error *dipb_history_read_record(struct dipb_buf *out,
	    char blob[DIPB_OID_HEX + 1], int *found, char **path,
	    struct dipb_history *, const char *commit, const char *id,
	    size_t max);

/*
 * The levels of the agenda items of the meeting file at path (meeting.h)
 * at commit (hex), as their records' files there say, and, unless also
 * is NULL or "", as they say at commit also (the end of a window: a
 * level raised since), pushed onto out; *unknown set when one is not
 * known, a record has no file there, or the meeting file is not at
 * commit or does not load (dipb-report(1): a meeting's notes are ranked
 * at the highest of them).
 */
const struct dipb_error *dipb_history_agenda_levels(struct dipb_strlist *out,
	    int *unknown, struct dipb_history *, const char *commit,
	    const char *path, const char *also);

/*
 * The classification of record id at commit (hex) into *out (caller
 * frees), as its file there says (dipb_history_read_record, either
 * layout); NULL when not known: id is no record's id, the commit is not
 * here (past a shallow clone's end), no record file is there, or one
 * larger than DIPB_MAX_FILE or that does not load.  A reader that judges
 * what may be shown by it leaves out what it cannot judge.
 */
const struct dipb_error *dipb_history_level_at(char **out,
	    struct dipb_history *, const char *commit, const char *id);

/*
 * Calls fn for each record file at commit (hex), in git's tree order (a
 * folder sorts as its name and '/'): the one
 * reader of the records at a commit, dipb_git_each_record (repo.h), whose
 * rule the tip's dipb_repo_each_record follows too (a regular file of
 * recommendations/, and of every folder below, DIPB_RECORD_DEPTH deep,
 * named <name>.yaml; a symbolic link of that name is handed to fn with
 * data NULL, unread, to be reported).
 */
const struct dipb_error *dipb_history_each_record(struct dipb_history *,
	    const char *commit, dipb_repo_blob_fn fn, void *arg);

/*
 * Versions of a record (dipb show ID@N, dipb diff): version N is the
 * record as it was after its change N, at the commit of its tag
 * <ID>/<N>-<event>.
 *
 * Splits arg, "<id>@<N>" or "<id>/<N>-<event>" (a tag's name, as dipb
 * log prints it), into *id (caller frees) and *spec (borrowed: arg
 * itself, for dipb_history_version); 0 when arg is of neither form (a
 * plain id: *id and *spec NULL).
 */
int	 dipb_history_split(char **id, const char **spec, const char *arg);

/*
 * NULL unless repo is a shallow clone that holds events (record id's, as
 * dipb_history_record gives them) without the first: then DIPB_ERR_GIT,
 * saying the history is cut there and how to fetch the rest, for a reader
 * that would otherwise take the oldest version it has for the first, or
 * say the record has none.
 */
const struct dipb_error *dipb_history_cut(struct dipb_repo *repo,
	    const struct dipb_events *events, const char *id);

/*
 * NULL unless repo is a shallow clone and version n of record id is not
 * among events (id's, as dipb_history_record gives them) though a later
 * one is: then DIPB_ERR_GIT, saying the history is cut there (before the
 * first version here, dipb_history_cut's words; between two, the version
 * missing) and how to fetch the rest, for a reader that would otherwise
 * take another version for it or say the record has none.  In a full
 * clone a version missing below the last is a tag deleted by hand, which
 * dipb verify reports (tag-missing): NULL; so is one between two versions
 * here whose line of first parents is here whole, from the later back to
 * the earlier (the clone's end not between them).
 */
const struct dipb_error *dipb_history_cut_at(struct dipb_repo *repo,
	    const struct dipb_events *events, const char *id, unsigned long n);

/*
 * The version of record id that spec names, among events (id's changes as
 * dipb_history_record gives them, oldest first): "N", "N-event", the tag's
 * name "<id>/N-event", or "<id>@N".  *out is its index in events.  A spec
 * of none of these forms is DIPB_ERR_USAGE; one that names no change of
 * id (N 0 or past the last, an event not change N's, another record's
 * tag) is DIPB_ERR_NOT_FOUND, naming id and the versions it has; a
 * number alone that two tags have is DIPB_ERR_INVALID (dipb_history_unique),
 * and so is a version whose tag is forged (dipb_history_genuine).  Pure.
 */
const struct dipb_error *dipb_history_version(size_t *out,
	    const struct dipb_events *events, const char *id,
	    const char *spec);

/*
 * dipb_history_version in repo: a version that spec names, missing from
 * events because the clone is shallow (dipb_history_cut_at), is its cut,
 * DIPB_ERR_GIT, rather than no version (dipb-git(7)).
 */
const struct dipb_error *dipb_history_version_here(size_t *out,
	    struct dipb_repo *repo, const struct dipb_events *events,
	    const char *id, const char *spec);

/*
 * NULL unless another tag of events (as dipb_history_record gives them)
 * has the number of events->v[i]'s: then DIPB_ERR_INVALID, "ID has two
 * tags of version N, TAG and TAG" and then, the reader's own words, for a
 * version taken by its number alone, its place or its event (a forged tag
 * beside the record's own, dipb-verify(1) tag-extra) is not to be picked
 * silently.  Pure.
 */
const struct dipb_error *dipb_history_twins(const struct dipb_events *,
	    size_t i, const char *id, const char *then);

/*
 * dipb_history_twins in the words of dipb show and dipb diff ("name the
 * one to read"); dipb_history_version applies it to a spec without an
 * event.  Pure.
 */
const struct dipb_error *dipb_history_unique(const struct dipb_events *,
	    size_t i, const char *id);

/*
 * NULL unless events->v[i] (as dipb_history_record gives them) is forged:
 * then DIPB_ERR_INVALID naming the tag and its commit, for a reader that
 * takes it as a change of id (dipb show ID@N, dipb diff) is not to read a
 * plain git commit, or another change, as the version the tag's name
 * says; and what dipb verify says of it, with each repair: tag-moved
 * when the change of its name is on the branch untagged (the tag put
 * back), tag-extra otherwise (the tag deleted), dipb-show(1).
 * dipb_history_version applies it to every spec.  Pure.
 */
const struct dipb_error *dipb_history_genuine(const struct dipb_events *,
	    size_t i, const char *id);


/*
 * Loads version ev of record id into out (initialised), as
 * dipb_record_load does, from the file at the commit of ev, found by
 * dipb_history_read_record (in either layout):
 * DIPB_ERR_NOT_FOUND, naming the tag, when no record file is there;
 * more than DIPB_MAX_FILE bytes is DIPB_ERR_TOO_LARGE; a file that does
 * not load is DIPB_ERR_INVALID, its diagnostics added to diags, the file
 * named "<tag>:<path>" (where it was found) as git show names it.  file
 * (may be NULL): the file's bytes as stored, once it loaded (cleared
 * first), for the caller that shows them, so that the blob is read once.
 */
const struct dipb_error *dipb_history_load_version(struct dipb_record *out,
	    struct dipb_buf *file, struct dipb_diags *diags,
	    struct dipb_history *, const char *id,
	    const struct dipb_event *ev);

/* A commit message taken apart (pure: for history.c and the tests). */
struct dipb_message {
	char	*subject;	/* first paragraph, lines joined by spaces */
	char	*body;		/* the paragraphs between; NULL if none */
	char	*record;	/* trailers of the last paragraph; NULL */
	char	*event;		/* when absent */
	char	*status_from;
	char	*status_to;
};

/*
 * Parses msg: the subject is the first paragraph; the trailers are read
 * by git's rules (trailer.h: keys without regard to case, the last of a
 * key wins), and the body is what lies between.  The trailers are
 * cleaned (dipb_text_clean), the subject and the body too but for their
 * bidirectional controls (dipb_text_clean_keep_bidi), which each output
 * cleans its own way (dipb-log(1)).  Release with
 * dipb_message_release().
 */
void	 dipb_message_parse(struct dipb_message *out, const char *msg);
void	 dipb_message_release(struct dipb_message *);

/*
 * The subject of the len bytes at msg, as dipb_message_parse gives it,
 * its bidirectional controls '?' too (caller frees): what dipb log and
 * the reports show, which dipb verify checks (dipb-verify(1), subject).
 */
char	*dipb_message_subject(const char *msg, size_t len);

#endif /* DIPB_HISTORY_H */
