/*
 * object.c - commits, trees and blobs read raw from the object database
 * (repo.h, "Reading the history").
 *
 * A commit is parsed from its bytes (tree, first parent, author,
 * committer, signature, message), and a tag from its own (object,
 * tagger, signature), not through git_commit_lookup, which would parse
 * and cache every header: a walk of 10,000 commits needs a handful of
 * lines of each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../error.h"
#include "../util.h"
#include "internal.h"

struct dipb_object {
	git_odb_object	*obj;		/* NULL: own holds it */
	char		*own;
	size_t		 len;
	enum dipb_object_type type;
};

struct dipb_tree {
	struct dipb_object	*obj;		/* NULL: dipb_git_tree_parse's */
	const char		*data;		/* the tree's bytes */
	size_t			 len;
	struct dipb_tree_entry	*v;
	size_t			 n;
};

static enum dipb_object_type
from_git(git_object_t t)
{
	switch (t) {
	case GIT_OBJECT_COMMIT:
		return DIPB_OBJECT_COMMIT;
	case GIT_OBJECT_TREE:
		return DIPB_OBJECT_TREE;
	case GIT_OBJECT_BLOB:
		return DIPB_OBJECT_BLOB;
	case GIT_OBJECT_TAG:
		return DIPB_OBJECT_TAG;
	default:
		return DIPB_OBJECT_NONE;
	}
}

const char *
dipb_object_type_name(enum dipb_object_type t)
{
	switch (t) {
	case DIPB_OBJECT_COMMIT:
		return "commit";
	case DIPB_OBJECT_TREE:
		return "tree";
	case DIPB_OBJECT_BLOB:
		return "blob";
	case DIPB_OBJECT_TAG:
		return "tag";
	default:
		return "object";
	}
}

const struct dipb_error *
dipb_git_object_read(struct dipb_object **out, struct dipb_repo *repo,
    const char *id, enum dipb_object_type type)
{
	const struct dipb_error *err;
	git_odb_object *obj = NULL;
	git_oid oid;

	*out = NULL;
	if (git_oid_fromstrn(&oid, id, strlen(id)) < 0 ||
	    strlen(id) != GIT_OID_HEXSZ) {
		git_error_clear();
		return dipb_error_fmt(DIPB_ERR_INTERNAL, "not an object id: "
		    "'%s'", id);
	}
	if ((err = dipb_git_odb_read(&obj, repo, &oid)) != NULL)
		return err;
	if (type != DIPB_OBJECT_NONE &&
	    from_git(git_odb_object_type(obj)) != type) {
		git_odb_object_free(obj);
		return dipb_error_fmt(DIPB_ERR_CORRUPT, "not a %s: '%s'",
		    dipb_object_type_name(type), id);
	}
	*out = xcalloc(1, sizeof(**out));
	(*out)->obj = obj;
	return NULL;
}

const struct dipb_error *
dipb_git_object_read_max(struct dipb_object **out, struct dipb_repo *repo,
    const char *id, enum dipb_object_type type, size_t max)
{
	const struct dipb_error *err;
	enum dipb_object_type t;
	size_t size;

	*out = NULL;
	/* The header alone: a packed or loose object's size, not inflated. */
	if ((err = dipb_git_object_stat(&t, &size, repo, id)) != NULL)
		return err;
	if (type != DIPB_OBJECT_NONE && t != DIPB_OBJECT_NONE && t != type)
		return dipb_error_fmt(DIPB_ERR_CORRUPT, "not a %s: '%s'",
		    dipb_object_type_name(type), id);
	if (size > max)
		return dipb_error_fmt(DIPB_ERR_TOO_LARGE, "%s '%s' is larger "
		    "than %zu bytes", dipb_object_type_name(t), id, max);
	if ((err = dipb_git_object_read(out, repo, id, type)) != NULL)
		return err;
	/* Its header unread (a partial clone's, fetched since): too late. */
	if (dipb_object_size(*out) > max) {
		t = dipb_object_type(*out);
		dipb_object_free(*out);
		*out = NULL;
		return dipb_error_fmt(DIPB_ERR_TOO_LARGE, "%s '%s' is larger "
		    "than %zu bytes", dipb_object_type_name(t), id, max);
	}
	return NULL;
}

const struct dipb_error *
dipb_git_blob_read(struct dipb_object **out, struct dipb_repo *repo,
    const char *id, size_t max)
{
	return dipb_git_object_read_max(out, repo, id, DIPB_OBJECT_BLOB, max);
}

struct dipb_object *
dipb_git_object_own(char *data, size_t len, enum dipb_object_type type)
{
	struct dipb_object *o = xcalloc(1, sizeof(*o));

	o->own = data;
	o->len = len;
	o->type = type;
	return o;
}

char *
dipb_git_object_disown(struct dipb_object *o)
{
	char *own;

	if (o == NULL)
		return NULL;
	own = o->own;
	o->own = NULL;
	dipb_object_free(o);
	return own;
}

const char *
dipb_object_data(const struct dipb_object *o)
{
	return o->obj == NULL ? o->own : git_odb_object_data(o->obj);
}

size_t
dipb_object_size(const struct dipb_object *o)
{
	return o->obj == NULL ? o->len : git_odb_object_size(o->obj);
}

enum dipb_object_type
dipb_object_type(const struct dipb_object *o)
{
	return o->obj == NULL ? o->type : from_git(git_odb_object_type(o->obj));
}

void
dipb_object_free(struct dipb_object *o)
{
	if (o == NULL)
		return;
	git_odb_object_free(o->obj);
	free(o->own);
	free(o);
}

const struct dipb_error *
dipb_git_object_stat(enum dipb_object_type *type, size_t *size,
    struct dipb_repo *repo, const char *id)
{
	git_object_t t;
	git_oid oid;

	*type = DIPB_OBJECT_NONE;
	*size = 0;
	if (git_oid_fromstrn(&oid, id, strlen(id)) < 0) {
		git_error_clear();
		return NULL;
	}
	if (git_odb_read_header(size, &t, repo->odb, &oid) < 0) {
		*size = 0;
		if (dipb_git_failed_system())
			return dipb_error_from_git("cannot read object '%s'",
			    id);
		git_error_clear();
	} else
		*type = from_git(t);
	return NULL;
}

/* ---- commits ------------------------------------------------------ */

/*
 * The 40 hex digits at [p, p + len) into out, lower case: git reads
 * either case (get_oid_hex()), so "parent D0A7..." names a parent.
 */
static int
hex_line(char out[DIPB_OID_HEX + 1], const char *p, size_t len)
{
	size_t i;
	char h;

	if (len != DIPB_OID_HEX)
		return -1;
	for (i = 0; i < len; i++) {
		h = p[i];
		if (h >= 'A' && h <= 'F')
			h = (char)(h - 'A' + 'a');
		else if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f')))
			return -1;
		out[i] = h;
	}
	out[len] = '\0';
	return 0;
}

#define DATE_OVERFLOW	"a date past the largest git reads (git fsck: " \
	"badDateOverflow)"

/*
 * "<secs> <+hhmm>" at [p, end), checked already (check_ident), into *t,
 * *off (minutes) and *zone (+hhmm as written, a number: 9999 for +9999,
 * -130 for -0130; may be NULL, as off may); -1 when
 * the seconds are past INT64_MAX, which git fsck rejects
 * (badDateOverflow: past the largest time_t).  git log shows every date
 * below it, and so does dipb (dipb-git(7)).
 */
static int
parse_when(int64_t *t, int *off, int *zone, const char *p, const char *end)
{
	int64_t v = 0;
	int sign, hhmm = 0, n = 0, digit;

	/* Blanks as check_ident (git fsck) lets pass: a tab is one. */
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < end && *p == '+')
		p++;
	if (p == end || *p < '0' || *p > '9')
		return -1;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		digit = *p - '0';
		if (v > (INT64_MAX - digit) / 10)
			return -1;
		v = v * 10 + digit;
	}
	*t = v;
	if (off == NULL)
		return 0;
	*off = 0;
	if (zone != NULL)
		*zone = 0;
	while (p < end && *p == ' ')
		p++;
	if (p == end || (*p != '+' && *p != '-'))
		return 0;	/* no zone: UTC, as git reads it */
	sign = *p++ == '-' ? -1 : 1;
	for (; p < end && *p >= '0' && *p <= '9' && n < 4; p++, n++)
		hhmm = hhmm * 10 + (*p - '0');
	*off = sign * ((hhmm / 100) * 60 + hhmm % 100);
	if (zone != NULL)
		*zone = sign * hhmm;
	return 0;
}

static int
isdigit4(const char *p)
{
	int i;

	for (i = 0; i < 4; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

/*
 * What git fsck finds wrong with the identity "<name> <<email>> <secs>
 * <+hhmm>" of an author, committer or tagger line at [p, nl), with the
 * id of git fsck's message (fsck_ident() in git's fsck.c), or NULL.  One
 * '<' and one '>' each, so that the name and the address dipb reads are
 * those git log shows: of "A <a@x> <b@y> 1 +0000" git shows a@x, and
 * dipb read b@y.
 */
static const char *
check_ident(const char *p, const char *nl)
{
	const char *q;

	if (p < nl && *p == '<')
		return "no name before its address (git fsck: "
		    "missingNameBeforeEmail)";
	for (q = p; q < nl && *q != '<' && *q != '>'; q++)
		;
	if (q == nl)
		return "no address in <> (git fsck: missingEmail)";
	if (*q == '>')
		return "a '>' in its name (git fsck: badName)";
	if (q == p || q[-1] != ' ')
		return "no space before its address (git fsck: "
		    "missingSpaceBeforeEmail)";
	for (q++; q < nl && *q != '<' && *q != '>'; q++)
		;
	if (q == nl || *q != '>')
		return "a '<' in its address, or no '>' after it (git "
		    "fsck: badEmail)";
	if (++q == nl || *q != ' ')
		return "no space after its address (git fsck: "
		    "missingSpaceBeforeDate)";
	q++;
	if (q < nl && *q == '0' && (q + 1 == nl || q[1] != ' '))
		return "a date with leading zeros (git fsck: "
		    "zeroPaddedDate)";
	/* strtoumax's: blanks and a '+' before the digits. */
	while (q < nl && (*q == ' ' || *q == '\t'))
		q++;
	if (q < nl && *q == '+')
		q++;
	if (q == nl || *q < '0' || *q > '9')
		return "no date in seconds after its address (git "
		    "fsck: badDate)";
	while (q < nl && *q >= '0' && *q <= '9')
		q++;
	if (q == nl || *q != ' ')
		return "no date in seconds after its address (git "
		    "fsck: badDate)";
	q++;
	if (nl - q != 5 || (*q != '+' && *q != '-') || !isdigit4(q + 1))
		return "no time zone +hhmm after its date (git fsck: "
		    "badTimezone)";
	return NULL;
}

/* "<name> <<email>> <when>" of an author or committer line (parse_when:
 * off and zone). */
static int
parse_person(char **name, char **email, int64_t *t, int *off, int *zone,
    const char *p, const char *end)
{
	const char *lt, *gt, *ne;

	for (gt = end; gt > p && gt[-1] != '>'; gt--)
		;
	if (gt == p)
		return -1;
	gt--;
	for (lt = gt; lt > p && lt[-1] != '<'; lt--)
		;
	if (lt == p)
		return -1;
	if (email != NULL) {
		for (ne = lt - 1; ne > p && ne[-1] == ' '; ne--)
			;
		*email = xstrndup(lt, (size_t)(gt - lt));
		*name = xstrndup(p, (size_t)(ne - p));
	}
	return parse_when(t, off, zone, gt + 1, end);
}

/*
 * 1 when the header line at [p, nl) is a signature header, which git's
 * parse_buffer_signed_by_header() leaves out of what was signed: any
 * that starts with "gpgsig" ("gpgsig-sha256", or any other), so that
 * dipb verifies the payload git verify-commit does.  *own is set for
 * "gpgsig " (the signature of a SHA-1 repository's commit), the one git
 * verifies here, even with nothing after it.
 */
static int
sig_header(int *own, const char *p, const char *nl)
{
	size_t n = (size_t)(nl - p);

	*own = n >= 7 && memcmp(p, "gpgsig ", 7) == 0;
	return n >= 6 && memcmp(p, "gpgsig", 6) == 0;
}

/*
 * The signature of a signed commit, read as git's parse_signed_commit()
 * reads it: the value of its gpgsig header, whose continuation lines
 * start with a space (dropped); and the payload, the commit's bytes with
 * every signature header removed, which is what was signed.
 */
static void
take_signature(struct dipb_commit *c, const char *data, const char *hend,
    const char *end)
{
	struct dipb_buf sig = DIPB_BUF_INIT, pay = DIPB_BUF_INIT;
	const char *p, *nl, *from = data;
	int own;

	/* Sized once: grown piece by piece, each took up to 7 reallocs. */
	dipb_buf_grow(&sig, (size_t)(hend - data));
	dipb_buf_grow(&pay, (size_t)(end - data));
	for (p = data; p < hend; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(hend - p));
		if (!sig_header(&own, p, nl))
			continue;
		dipb_buf_put(&pay, from, (size_t)(p - from));
		if (own) {
			p += 7;		/* "gpgsig " */
			dipb_buf_put(&sig, p, (size_t)(nl + 1 - p));
		}
		/* Its continuation lines, each starting with a space. */
		while (nl + 1 < hend && nl[1] == ' ') {
			p = nl + 2;
			nl = memchr(p, '\n', (size_t)(hend - p));
			if (own)
				dipb_buf_put(&sig, p, (size_t)(nl + 1 - p));
		}
		from = nl + 1;
	}
	dipb_buf_put(&pay, from, (size_t)(end - from));
	c->signature_len = sig.len;
	c->signature = sig.len > 0 ? dipb_buf_detach(&sig) : NULL;
	c->payload_len = pay.len;
	c->payload = dipb_buf_detach(&pay);
	dipb_buf_release(&sig);
}

static const char nul_in_header[] =
    "a NUL byte in its header (git fsck: nulInHeader)";

/*
 * Where the header of a commit or tag at [data, end) ends, as git's
 * verify_headers() finds it: the newline before its first empty line,
 * or end when it has none.  NULL when a NUL byte comes first
 * (nul_in_header).
 */
static const char *
header_end(const char *data, const char *end)
{
	const char *p;

	for (p = data; p < end; p++) {
		if (*p == '\0')
			return NULL;
		if (*p == '\n' && p + 1 < end && p[1] == '\n')
			break;
	}
	return p;
}

/*
 * The header of commit c at [data, end), read as git reads it and
 * checked as git fsck checks it (parse_commit_buffer() and fsck_commit()
 * in git's sources): the tree on the first line, the parents on the lines
 * right after it (a "parent" line anywhere else is none: git rev-list
 * --parents shows none), one author, then the committer.  *body: where
 * the message starts.  NULL, or why the commit is refused, in git fsck's
 * words where it has them: dipb reads no commit otherwise than git, and
 * one git fsck rejects is no commit a board's history holds.
 */
static const char *
commit_header(struct dipb_commit *c, int *signed_, const char **body,
    const char **line, const char *data, const char *end)
{
	const char *p = data, *nl, *why;
	char hex[DIPB_OID_HEX + 1];
	size_t nauthors = 0;
	int own;

	*signed_ = 0;
	*line = NULL;
	if ((nl = header_end(data, end)) == NULL)
		return nul_in_header;
	if (nl == end && (end == data || end[-1] != '\n'))
		return "no end to its header (git fsck: "
		    "unterminatedHeader)";
	if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL ||
	    nl - p < 5 || memcmp(p, "tree ", 5) != 0)
		return "its first line is no 'tree' line (git fsck: "
		    "missingTree)";
	if (hex_line(c->tree, p + 5, (size_t)(nl - p - 5)) < 0)
		return "its 'tree' line names no object (git fsck: "
		    "badTreeSha1)";
	for (p = nl + 1; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl - p < 7 || memcmp(p, "parent ", 7) != 0)
			break;
		if (hex_line(hex, p + 7, (size_t)(nl - p - 7)) < 0)
			return "a 'parent' line names no object (git "
			    "fsck: badParentSha1)";
		if (c->nparents == 0)
			memcpy(c->parent, hex, sizeof(c->parent));
		c->parents = xrealloc(c->parents, (c->nparents + 1) *
		    sizeof(*c->parents));
		memcpy(c->parents[c->nparents++], hex, sizeof(hex));
	}
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl - p < 7 || memcmp(p, "author ", 7) != 0)
			break;
		if (nauthors++ > 0)
			return "more than one 'author' line (git "
			    "fsck: multipleAuthors)";
		*line = "author";
		if ((why = check_ident(p + 7, nl)) != NULL ||
		    parse_person(&c->author_name, &c->author_email,
		    &c->author_time, &c->author_offset, &c->author_zone,
		    p + 7, nl) < 0)
			return why != NULL ? why : DATE_OVERFLOW;
		*line = NULL;
	}
	if (nauthors == 0)
		return "no 'author' line after its parents (git fsck: "
		    "missingAuthor)";
	if (p == end || nl - p < 10 || memcmp(p, "committer ", 10) != 0)
		return "no 'committer' line after its author (git fsck: "
		    "missingCommitter)";
	*line = "committer";
	if ((why = check_ident(p + 10, nl)) != NULL ||
	    parse_person(&c->committer_name, &c->committer_email,
	    &c->committer_time, &c->committer_offset, NULL, p + 10,
	    nl) < 0)
		return why != NULL ? why : DATE_OVERFLOW;
	*line = NULL;
	/*
	 * The other headers.  git fsck lets a second author or committer
	 * past, but git log shows that one (the last: %an, %cn), and its
	 * Author: lines both: dipb would judge a commit by another author
	 * than the one its readers see.
	 */
	for (p = nl + 1; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == p) {
			p++;
			break;
		}
		if (nl - p >= 7 && memcmp(p, "author ", 7) == 0)
			return "a second 'author' line, after its committer, "
			    "which git log shows as its author";
		if (nl - p >= 10 && memcmp(p, "committer ", 10) == 0)
			return "a second 'committer' line, which git log "
			    "shows as its committer";
		if (*p == 'g' && sig_header(&own, p, nl))
			*signed_ = 1;
	}
	*body = p > end ? end : p;
	return NULL;
}

/*
 * A commit or tag (what) larger than DIPB_GIT_MAX_COMMIT, refused from
 * its header, unread: DIPB_ERR_CORRUPT, as a malformed one.
 */
static const struct dipb_error *
too_large(const char *what, const char *id)
{
	return dipb_error_fmt(DIPB_ERR_CORRUPT, "not a well-formed %s: '%s': "
	    "larger than %d bytes, which no %s of a board is (dipb-git(7))",
	    what, id, DIPB_GIT_MAX_COMMIT, what);
}

/* "[its 'LINE' line has ]WHY", dipb_git_commit_read's reason. */
static char *
commit_why(const char *line, const char *why)
{
	return xasprintf("%s%s%s%s", line != NULL ? "its '" : "",
	    line != NULL ? line : "", line != NULL ? "' line has " : "", why);
}

/* A commit or tag (what) refused for why: DIPB_ERR_CORRUPT. */
static const struct dipb_error *
malformed(const char *what, const char *id, const char *line,
    const char *why)
{
	const struct dipb_error *err;
	char *s;

	s = commit_why(line, why);
	err = dipb_error_fmt(DIPB_ERR_CORRUPT, "not a well-formed %s: '%s': "
	    "%s", what, id, s);
	free(s);
	return err;
}

char *
dipb_git_commit_why(struct dipb_repo *repo, const git_oid *id)
{
	struct dipb_commit c;
	git_odb_object *obj = NULL;
	const char *data, *body, *line, *why;
	char *s = NULL;
	int signed_;

	git_object_t t;
	size_t size;

	if (git_odb_read_header(&size, &t, repo->odb, id) < 0) {
		git_error_clear();
		return NULL;
	}
	if (t != GIT_OBJECT_COMMIT)
		return NULL;
	if (size > DIPB_GIT_MAX_COMMIT)
		return xasprintf("larger than %d bytes, which no commit of a "
		    "board is (dipb-git(7))", DIPB_GIT_MAX_COMMIT);
	if (git_odb_read(&obj, repo->odb, id) < 0) {
		git_error_clear();
		return NULL;
	}
	memset(&c, 0, sizeof(c));
	data = git_odb_object_data(obj);
	if (git_odb_object_type(obj) == GIT_OBJECT_COMMIT &&
	    (why = commit_header(&c, &signed_, &body, &line, data,
	    data + git_odb_object_size(obj))) != NULL)
		s = commit_why(line, why);
	dipb_commit_release(&c);
	git_odb_object_free(obj);
	return s;
}

const struct dipb_error *
dipb_git_commit_read(struct dipb_commit *c, struct dipb_repo *repo,
    const char *id)
{
	const struct dipb_error *err;
	struct dipb_object *o = NULL;
	const char *p, *end, *data, *why, *line;
	int signed_;

	memset(c, 0, sizeof(*c));
	if ((err = dipb_git_object_read_max(&o, repo, id,
	    DIPB_OBJECT_COMMIT, DIPB_GIT_MAX_COMMIT)) != NULL) {
		if (err->code == DIPB_ERR_TOO_LARGE) {
			dipb_error_free(err);
			return too_large("commit", id);
		}
		if (err->code != DIPB_ERR_CORRUPT)
			return err;
		dipb_error_free(err);
		return dipb_error_fmt(DIPB_ERR_CORRUPT, "not a well-formed "
		    "commit: '%s'", id);
	}
	snprintf(c->id, sizeof(c->id), "%s", id);
	data = dipb_object_data(o);
	end = data + dipb_object_size(o);
	if ((why = commit_header(c, &signed_, &p, &line, data, end)) !=
	    NULL) {
		dipb_object_free(o);
		dipb_commit_release(c);
		return malformed("commit", id, line, why);
	}
	if (signed_)
		take_signature(c, data, p, end);
	/* git reads a message up to its first NUL (git fsck only warns,
	 * nulInCommit; git log and its trailers stop there), and so does
	 * every reader of dipb's: dipb-git(7). */
	c->message_len = strnlen(p, (size_t)(end - p));
	c->message = xstrndup(p, c->message_len);
	dipb_object_free(o);
	return NULL;
}

void
dipb_commit_release(struct dipb_commit *c)
{
	free(c->author_name);
	free(c->author_email);
	free(c->committer_name);
	free(c->committer_email);
	free(c->signature);
	free(c->payload);
	free(c->message);
	free(c->parents);
	memset(c, 0, sizeof(*c));
}

/* ---- tags ---------------------------------------------------------- */

/* 1 when the line at p starts an armored signature (git's gpg-interface.c
 * knows these three formats). */
static int
sig_begin(const char *p, const char *end)
{
	static const char *const begins[] = { "-----BEGIN PGP SIGNATURE-----",
	    "-----BEGIN PGP MESSAGE-----", "-----BEGIN SIGNED MESSAGE-----",
	    "-----BEGIN SSH SIGNATURE-----" };
	size_t i, n;

	for (i = 0; i < sizeof(begins) / sizeof(begins[0]); i++) {
		n = strlen(begins[i]);
		if ((size_t)(end - p) >= n && memcmp(p, begins[i], n) == 0)
			return 1;
	}
	return 0;
}

static enum dipb_object_type
type_named(const char *p, size_t n)
{
	static const enum dipb_object_type types[] = { DIPB_OBJECT_COMMIT,
	    DIPB_OBJECT_TREE, DIPB_OBJECT_BLOB, DIPB_OBJECT_TAG };
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strlen(dipb_object_type_name(types[i])) == n &&
		    memcmp(p, dipb_object_type_name(types[i]), n) == 0)
			return types[i];
	return DIPB_OBJECT_NONE;
}

const char *
dipb_git_tag_head(char object[DIPB_OID_HEX + 1], enum dipb_object_type *type,
    const char **rest, const char *data, const char *end)
{
	const char *p = data, *nl;

	*type = DIPB_OBJECT_NONE;
	object[0] = '\0';
	*rest = end;
	/* git's first check: no tag of fewer bytes (its hexsz + 24). */
	if (end - data < DIPB_OID_HEX + 24)
		return "no 'object', 'type' and 'tag' lines (git fsck: "
		    "missingTagEntry)";
	if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL ||
	    nl - p < 7 || memcmp(p, "object ", 7) != 0 ||
	    hex_line(object, p + 7, (size_t)(nl - p - 7)) < 0)
		return "no 'object' line naming an object first (git "
		    "fsck: missingObject, badObjectSha1)";
	p = nl + 1;
	if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL ||
	    nl - p < 5 || memcmp(p, "type ", 5) != 0 ||
	    (*type = type_named(p + 5, (size_t)(nl - p - 5))) ==
	    DIPB_OBJECT_NONE)
		return "no 'type' line naming a type second (git "
		    "fsck: missingTypeEntry, badType)";
	p = nl + 1;
	/* git's "bufptr + 4 < tail": a byte after "tag ", then a newline. */
	if (end - p < 5 || memcmp(p, "tag ", 4) != 0 ||
	    (nl = memchr(p + 4, '\n', (size_t)(end - p - 4))) == NULL) {
		*type = DIPB_OBJECT_NONE;
		return "no 'tag' line third (git fsck: missingTagEntry)";
	}
	*rest = nl + 1;
	return NULL;
}

/*
 * The header of tag t at [data, end), read as git reads it (parse_tag_
 * buffer() in git's tag.c, dipb_git_tag_head): "object", "type" and
 * "tag" lines first, in that order, or git reads no tag; and its tagger,
 * the first "tagger" line (git for-each-ref's %(taggeremail)), checked as
 * git fsck checks an identity, so that dipb reads the address git shows.
 * NULL, or why it is refused (*line: the line it is about, or NULL).
 */
static const char *
tag_header(struct dipb_tag *t, const char **line, const char *data,
    const char *end)
{
	const char *p, *nl, *why;

	*line = NULL;
	if ((nl = header_end(data, end)) == NULL)
		return nul_in_header;
	if (nl == end && (end == data || end[-1] != '\n'))
		return "no end to its header (git fsck: "
		    "unterminatedHeader)";
	if ((why = dipb_git_tag_head(t->object, &t->type, &p, data,
	    end)) != NULL)
		return why;
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl == p)
			break;
		if (nl - p >= 7 && memcmp(p, "tagger ", 7) == 0 &&
		    t->tagger_email == NULL) {
			*line = "tagger";
			if ((why = check_ident(p + 7, nl)) != NULL ||
			    parse_person(&t->tagger_name, &t->tagger_email,
			    &t->tagger_time, NULL, NULL, p + 7, nl) < 0)
				return why != NULL ? why : DATE_OVERFLOW;
			*line = NULL;
		}
	}
	return NULL;
}

const struct dipb_error *
dipb_git_tag_read(struct dipb_tag *t, struct dipb_repo *repo, const char *id)
{
	const struct dipb_error *err;
	struct dipb_object *o = NULL;
	const char *p, *end, *nl, *data, *match, *why, *line;

	memset(t, 0, sizeof(*t));
	if ((err = dipb_git_object_read_max(&o, repo, id, DIPB_OBJECT_TAG,
	    DIPB_GIT_MAX_COMMIT)) != NULL) {
		if (err->code != DIPB_ERR_TOO_LARGE)
			return err;
		dipb_error_free(err);
		return too_large("tag", id);
	}
	snprintf(t->id, sizeof(t->id), "%s", id);
	data = dipb_object_data(o);
	end = data + dipb_object_size(o);
	if ((why = tag_header(t, &line, data, end)) != NULL) {
		dipb_object_free(o);
		dipb_tag_release(t);
		return malformed("tag", id, line, why);
	}
	/* git's parse_signed_buffer(): the last line that starts one. */
	match = end;
	for (p = data; p < end; p = nl + 1) {
		if (sig_begin(p, end))
			match = p;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
	}
	if (match != end) {
		t->payload_len = (size_t)(match - data);
		t->payload = xstrndup(data, t->payload_len);
		t->signature_len = (size_t)(end - match);
		t->signature = xstrndup(match, t->signature_len);
	}
	dipb_object_free(o);
	return NULL;
}

void
dipb_tag_release(struct dipb_tag *t)
{
	free(t->tagger_name);
	free(t->tagger_email);
	free(t->signature);
	free(t->payload);
	memset(t, 0, sizeof(*t));
}

/* ---- trees -------------------------------------------------------- */

void
dipb_git_hex(char out[DIPB_OID_HEX + 1], const unsigned char *raw)
{
	dipb_hex(out, raw, GIT_OID_RAWSZ);
}

/*
 * The entries of the len bytes of tree data at p into t (empty), checked
 * for git's order in the same pass (o): -1 when malformed or out of order,
 * for dipb_tree_find's binary search would miss entries of such a tree
 * and a walk read a name twice (dipb-git(7), "Trees").
 */
static int
tree_parse(struct dipb_tree *t, const char *p, size_t len,
    struct dipb_git_order *o)
{
	struct dipb_tree_entry *e;
	struct dipb_git_entry r;
	const char *end = p + len;
	size_t cap = len / 24 + 1;	/* "1 ", a name, NUL, 20 bytes */

	/* Room for all at once: growing it was a tenth of a dipb list. */
	t->v = xmalloc(cap * sizeof(*t->v));
	while (p < end) {
		if (dipb_git_tree_next(&r, &p, end) < 0 ||
		    dipb_git_order_next(o, &r) != DIPB_GIT_ORDER_OK)
			return -1;
		xgrow((void **)&t->v, &cap, t->n + 1, sizeof(*t->v));
		e = &t->v[t->n++];
		e->name = r.name;
		e->nlen = r.nlen;
		e->mode = r.mode;
		dipb_git_hex(e->id, r.id);
	}
	return 0;
}

/* The tree of the len bytes at data: 0, or -1 (o->problem set when it is
 * one of order). */
static int
tree_parse_checked(struct dipb_tree **out, const char *data, size_t len,
    struct dipb_git_order *o)
{
	struct dipb_tree *t = xcalloc(1, sizeof(*t));

	*out = NULL;
	t->data = data;
	t->len = len;
	if (tree_parse(t, data, len, o) != 0) {
		dipb_tree_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

const struct dipb_error *
dipb_git_tree_read(struct dipb_tree **out, struct dipb_repo *repo,
    const char *id)
{
	return dipb_git_tree_read_path(out, repo, id, NULL);
}

const struct dipb_error *
dipb_git_tree_read_path(struct dipb_tree **out, struct dipb_repo *repo,
    const char *id, const char *path)
{
	const struct dipb_error *err = NULL;
	struct dipb_git_order order;
	struct dipb_object *o;

	*out = NULL;
	if ((err = dipb_git_object_read(&o, repo, id, DIPB_OBJECT_TREE)) !=
	    NULL)
		return err;
	memset(&order, 0, sizeof(order));
	if (tree_parse_checked(out, dipb_object_data(o), dipb_object_size(o),
	    &order) != 0) {
		if (order.problem != DIPB_GIT_ORDER_OK)
			err = dipb_git_order_error(&order, id, path,
			    path != NULL ? strlen(path) : 0, NULL);
		else
			err = dipb_error_fmt(DIPB_ERR_CORRUPT, "malformed "
			    "tree: '%s'", id);
		dipb_git_order_release(&order);
		dipb_object_free(o);
		return err;
	}
	dipb_git_order_release(&order);
	(*out)->obj = o;	/* its bytes, which the tree's entries name */
	return NULL;
}

int
dipb_git_tree_parse(struct dipb_tree **out, const char *data, size_t len)
{
	struct dipb_git_order order;
	int rc;

	memset(&order, 0, sizeof(order));
	rc = tree_parse_checked(out, data, len, &order);
	dipb_git_order_release(&order);
	return rc;
}

const char *
dipb_tree_data(const struct dipb_tree *t, size_t *len)
{
	*len = t->len;
	return t->data;
}

size_t
dipb_tree_count(const struct dipb_tree *t)
{
	return t->n;
}

const struct dipb_tree_entry *
dipb_tree_entry(const struct dipb_tree *t, size_t i)
{
	return i < t->n ? &t->v[i] : NULL;
}

/*
 * git's order: a folder's name sorts as if it ended in '/'.  As the
 * mode of the entry looked for is unknown, both places are tried.
 */
static int
cmp_name(const struct dipb_tree_entry *e, const char *name, size_t len,
    int as_tree)
{
	size_t n = e->nlen < len ? e->nlen : len;
	unsigned char a, b;
	int c;

	if ((c = memcmp(e->name, name, n)) != 0)
		return c;
	a = e->nlen > n ? (unsigned char)e->name[n] :
	    e->mode == DIPB_MODE_TREE ? '/' : '\0';
	b = len > n ? (unsigned char)name[n] : as_tree ? '/' : '\0';
	return (a > b) - (a < b);
}

static const struct dipb_tree_entry *
find(const struct dipb_tree *t, const char *name, size_t len, int as_tree)
{
	size_t lo = 0, hi = t->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = cmp_name(&t->v[mid], name, len, as_tree);
		/* Equal in git's order, "X/y" (a name holding '/') to the
		 * folder X too: the same name only (tree.c, dipb_git_tree_find). */
		if (c == 0)
			return t->v[mid].nlen == len ? &t->v[mid] : NULL;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct dipb_tree_entry *
dipb_tree_find(const struct dipb_tree *t, const char *name)
{
	const struct dipb_tree_entry *e;
	size_t len = strlen(name);

	if (t == NULL)
		return NULL;
	if ((e = find(t, name, len, 0)) != NULL && e->mode != DIPB_MODE_TREE)
		return e;
	if ((e = find(t, name, len, 1)) != NULL && e->mode == DIPB_MODE_TREE)
		return e;
	return NULL;
}

void
dipb_tree_free(struct dipb_tree *t)
{
	if (t == NULL)
		return;
	dipb_object_free(t->obj);
	free(t->v);
	free(t);
}

/* ---- a path at a commit ------------------------------------------- */

const struct dipb_error *
dipb_git_read_at(struct dipb_buf *out, char blob[DIPB_OID_HEX + 1],
    int *found, struct dipb_repo *repo, const char *commit,
    const char *path, size_t max)
{
	const struct dipb_error *err;
	struct dipb_commit c;
	struct dipb_tree *t = NULL, *sub;
	const struct dipb_tree_entry *e = NULL;
	struct dipb_object *o = NULL;
	enum dipb_object_type type;
	const char *p, *slash;
	char *name;
	size_t size;

	*found = 0;
	blob[0] = '\0';
	dipb_buf_clear(out);
	if ((err = dipb_git_commit_read(&c, repo, commit)) != NULL)
		return err;
	err = dipb_git_tree_read(&t, repo, c.tree);
	dipb_commit_release(&c);
	for (p = path; err == NULL; p = slash + 1) {
		slash = strchr(p, '/');
		name = slash != NULL ? xstrndup(p, (size_t)(slash - p)) :
		    xstrdup(p);
		e = dipb_tree_find(t, name);
		free(name);
		if (e == NULL || slash == NULL)
			break;
		if (e->mode != DIPB_MODE_TREE) {
			e = NULL;
			break;
		}
		if ((err = dipb_git_tree_read(&sub, repo, e->id)) != NULL)
			break;
		dipb_tree_free(t);
		t = sub;
	}
	if (err != NULL || e == NULL || (e->mode != DIPB_MODE_BLOB &&
	    e->mode != DIPB_MODE_EXEC && e->mode != DIPB_MODE_LINK))
		goto done;
	if (max > 0) {
		/* The header alone, so a huge blob is never inflated. */
		if ((err = dipb_git_object_stat(&type, &size, repo,
		    e->id)) != NULL)
			goto done;
		if (size > max) {
			err = dipb_error_fmt(DIPB_ERR_TOO_LARGE,
			    "%s: larger than %zu bytes", path, max);
			goto done;
		}
	}
	if ((err = dipb_git_object_read(&o, repo, e->id,
	    DIPB_OBJECT_BLOB)) != NULL)
		goto done;
	dipb_buf_put(out, dipb_object_data(o), dipb_object_size(o));
	memcpy(blob, e->id, DIPB_OID_HEX + 1);
	*found = 1;
done:
	dipb_object_free(o);
	dipb_tree_free(t);
	return err;
}
