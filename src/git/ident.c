/*
 * git/ident.c - git's rules for an identity's name and email (git's
 * ident.c), which the identity read (identity.c) and dipb validate's
 * [email] (validate.c) share.  Pure: no libgit2, no I/O.
 */
#include "../repo.h"

int
dipb_git_ident_crud(unsigned char c)
{
	return c <= 32 || c == '.' || c == ',' || c == ':' || c == ';' ||
	    c == '<' || c == '>' || c == '"' || c == '\\' || c == '\'';
}
