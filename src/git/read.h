/*
 * read.h - what the readers of src/git/ (object.c, tags.c, treediff.c,
 * walk.c, records.c) share among themselves; nothing outside src/git/
 * includes it.  Their public side is repo.h, "Reading the history".
 */
#ifndef DIPB_GIT_READ_H
#define DIPB_GIT_READ_H

#include "../repo.h"

/* The size of a raw SHA-1 object id in a tree entry. */
#define DIPB_OID_RAW	20

/* One entry of a raw tree: "<octal mode> <name>\0<20-byte id>". */
struct dipb_git_rawent {
	const char		*name;		/* not NUL-terminated */
	size_t			 nlen;
	unsigned		 mode;
	const unsigned char	*id;		/* DIPB_OID_RAW bytes */
};

/* Reads the entry at *p (before end) into e and moves *p past it; -1
 * when it is malformed (treediff.c). */
int	 dipb_git_rawent_next(struct dipb_git_rawent *e, const char **p,
	    const char *end);

/* The 40 hex digits of a raw object id. */
void	 dipb_git_hex(char out[DIPB_OID_HEX + 1], const unsigned char *raw);

#endif /* DIPB_GIT_READ_H */
