/*
 * meeting.h - a board meeting as the secretary records it (dipb-record(5),
 * "MEETINGS"; dipb-meeting(1)): one file meetings/<date>.yaml, committed
 * as its own change (Dipb-Record: meeting, Dipb-Event: held, tag
 * meeting/<N>-held).  Load, canonical form and rules; pure: no I/O.
 *
 * Every string is owned by the meeting and freed by
 * dipb_meeting_release(); optional ones are NULL when absent.
 */
#ifndef DIPB_MEETING_H
#define DIPB_MEETING_H

#include <stddef.h>

#include "board.h"
#include "diag.h"
#include "util.h"

/* The Dipb-Record of a meeting's change, and the record of its tags. */
#define DIPB_MEETING_RECORD	"meeting"
/* The folder of the meeting files, at the top of the working tree. */
#define DIPB_MEETING_DIR	"meetings"

/* A list read from the file, each item with its position. */
struct dipb_meeting_list {
	struct dipb_strlist	 s;
	struct dipb_pos		*pos;		/* s.n; NULL when built */
};

struct dipb_meeting {
	char			*date;		/* YYYY-MM-DD */
	char			*title;		/* optional */
	struct dipb_meeting_list attendees;	/* members' emails */
	struct dipb_meeting_list apologies;	/* members' emails */
	struct dipb_meeting_list agenda;	/* recommendation ids */
	char			*notes;		/* Markdown, optional */
	struct dipb_pos		 date_pos;
	struct dipb_pos		 title_pos;
	struct dipb_pos		 notes_pos;
};

void	 dipb_meeting_init(struct dipb_meeting *);
void	 dipb_meeting_release(struct dipb_meeting *);

/*
 * Loads buf (len bytes), read from path, into m (initialised); problems
 * go to diags with their positions.  Returns -1 when an error was
 * reported, else 0.
 */
int	 dipb_meeting_load(struct dipb_meeting *m, const char *path,
	    const char *buf, size_t len, struct dipb_diags *diags);

/* Appends m's canonical YAML to out. */
void	 dipb_meeting_emit(const struct dipb_meeting *m, struct dipb_buf *out);

/* "meetings/<date>.yaml"; caller frees. */
char	*dipb_meeting_path(const char *date);

/*
 * The date a path names when it is meetings/<YYYY-MM-DD>.yaml, copied
 * into out; 0 when path is no meeting file's.
 */
int	 dipb_meeting_path_date(char out[11], const char *path);

/*
 * 1 when path (as dipb validate and fmt show it) is a file of a folder
 * named meetings: a meeting's, read by these rules, not a record's.
 */
int	 dipb_meeting_file(const char *path);

#endif /* DIPB_MEETING_H */
