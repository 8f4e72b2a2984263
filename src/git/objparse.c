/*
 * objparse.c - a commit's and a tag's bytes read as git reads them: their
 * headers, checked as git fsck checks them, a signed one's signature and
 * payload, a commit's message (repo.h, "Reading the history").  Pure: no
 * libgit2 call, no I/O; object.c reads the bytes, tests/fuzz/fuzz_history.c
 * gives it any.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util.h"
#include "internal.h"

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
	    &c->committer_time, &c->committer_offset, &c->committer_zone,
	    p + 10, nl) < 0)
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
		/* git reads the first (get_header() in git's pretty.c) */
		if (c->encoding == NULL && nl - p >= 9 &&
		    memcmp(p, "encoding ", 9) == 0)
			c->encoding = xstrndup(p + 9, (size_t)(nl - p - 9));
	}
	*body = p > end ? end : p;
	return NULL;
}

/*
 * c->encoding kept only when it names another encoding than UTF-8, in
 * git's spellings (UTF-8 or UTF8, in any case: is_encoding_utf8() in
 * git's utf8.c): repo.h, struct dipb_commit.
 */
static void
keep_other_encoding(struct dipb_commit *c)
{
	if (c->encoding != NULL && (strcasecmp(c->encoding, "utf-8") == 0 ||
	    strcasecmp(c->encoding, "utf8") == 0)) {
		free(c->encoding);
		c->encoding = NULL;
	}
}

const char *
dipb_git_commit_parse(struct dipb_commit *c, const char **line,
    const char *data, size_t len)
{
	const char *p, *end = data + len, *why;
	int signed_;

	memset(c, 0, sizeof(*c));
	if ((why = commit_header(c, &signed_, &p, line, data, end)) != NULL) {
		dipb_commit_release(c);
		return why;
	}
	if (signed_)
		take_signature(c, data, p, end);
	/* git reads a message up to its first NUL (git fsck only warns,
	 * nulInCommit; git log and its trailers stop there), and so does
	 * every reader of dipb's: dipb-git(7). */
	c->message_len = strnlen(p, (size_t)(end - p));
	c->message = xstrndup(p, c->message_len);
	keep_other_encoding(c);
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
	free(c->encoding);
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
    const char **name, const char **rest, const char *data, const char *end)
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
	*name = p + 4;
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
	const char *p, *nl, *why, *name;

	*line = NULL;
	if ((nl = header_end(data, end)) == NULL)
		return nul_in_header;
	if (nl == end && (end == data || end[-1] != '\n'))
		return "no end to its header (git fsck: "
		    "unterminatedHeader)";
	if ((why = dipb_git_tag_head(t->object, &t->type, &name, &p, data,
	    end)) != NULL)
		return why;
	t->name = xstrndup(name, (size_t)(p - 1 - name));
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

const char *
dipb_git_tag_parse(struct dipb_tag *t, const char **line, const char *data,
    size_t len)
{
	const char *p, *end = data + len, *nl, *match, *why;

	memset(t, 0, sizeof(*t));
	if ((why = tag_header(t, line, data, end)) != NULL) {
		dipb_tag_release(t);
		return why;
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
	return NULL;
}

void
dipb_tag_release(struct dipb_tag *t)
{
	free(t->name);
	free(t->tagger_name);
	free(t->tagger_email);
	free(t->signature);
	free(t->payload);
	memset(t, 0, sizeof(*t));
}
