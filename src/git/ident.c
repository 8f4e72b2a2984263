/*
 * git/ident.c - git's rules for an identity's name and email (git's
 * ident.c), which the identity read (identity.c) and dipb validate's
 * [email] (validate.c) share.  Pure: no libgit2, no I/O.
 */
#include "../repo.h"

/*
 * git 2.39's crud, '.' included: git 2.42 and later keep a '.', libgit2
 * trims it from every signature it makes or reads, and dipb keeps 2.39's
 * rule (dipb-git(7), "The identity").
 */
int
dipb_git_ident_crud(unsigned char c)
{
	return c <= 32 || c == '.' || c == ',' || c == ':' || c == ';' ||
	    c == '<' || c == '>' || c == '"' || c == '\\' || c == '\'';
}
