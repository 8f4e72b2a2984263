#!/bin/sh
# tests/cli/identity.sh - who acts: the author git would record
# (git var GIT_AUTHOR_IDENT): GIT_AUTHOR_*, then author.* and user.* of
# git config, then EMAIL; GIT_COMMITTER_* are not the author; no identity
# is a clear error.  tests/cli/compat-env.sh compares with git var in
# each configuration set-up.
. "$(dirname "$0")/lib.sh"

new_board
nobody
n=0

# rec ACTOR_EMAIL [ENV...]: dipb recommend with ENV only, as ACTOR_EMAIL;
# one state change by that actor.
rec() {
	ACTOR_EMAIL=$1
	shift
	n=$((n + 1))
	check_change "IC-$(printf %04d "$n")/1-drafted" 'none -> draft' '' \
	    env "$@" dipb recommend --wg industrial-capacity --title "Rec $n" \
	    --summary S
}

# --- each source on its own ------------------------------------------------------
rec dan@example.org GIT_AUTHOR_NAME='Dan Drafter' GIT_AUTHOR_EMAIL=dan@example.org
check_out 'GIT_AUTHOR_*: the author' 'Dan Drafter <dan@example.org>' \
    git log -1 --format='%an <%ae>'
check_eq 'GIT_AUTHOR_*: the record author' dan@example.org "$(field IC-0001 author)"

check_refused 3 'no identity' \
    'GIT_COMMITTER_* alone: no author (as git var GIT_AUTHOR_IDENT), refused' \
    env GIT_COMMITTER_NAME='Dan Drafter' GIT_COMMITTER_EMAIL=dan@example.org \
    dipb recommend --wg industrial-capacity --title T --summary S
rec dan@example.org GIT_AUTHOR_NAME='Dan Drafter' GIT_AUTHOR_EMAIL=dan@example.org

git config user.name 'Dan Drafter'
git config user.email dan@example.org
rec dan@example.org
check_out 'git config (repository) alone: the author' \
    'Dan Drafter <dan@example.org>' git log -1 --format='%an <%ae>'
git config --unset user.name
git config --unset user.email

git config --global user.name 'Dan Drafter'
git config --global user.email dan@example.org
rec dan@example.org
check_out 'git config (global) alone: the author' \
    'Dan Drafter <dan@example.org>' git log -1 --format='%an <%ae>'
git config --global --unset user.name
git config --global --unset user.email

rec dan@example.org EMAIL=dan@example.org
check_out 'EMAIL alone: the member name from dipb.yaml' \
    'Dan Drafter <dan@example.org>' git log -1 --format='%an <%ae>'
check_out 'EMAIL alone: the subject names the member' \
    'IC-0005: drafted by Dan Drafter' git log -1 --format=%s

# Another member's name given to git: git records it as the author's,
# but the subject, the audit trail's line, names the member whose email
# acts, as dipb.yaml names them, and dipb log adds git's name.
rec dan@example.org GIT_AUTHOR_NAME='Rita Reviewer' \
    GIT_AUTHOR_EMAIL=dan@example.org
check_out "another member's name in GIT_AUTHOR_NAME: the subject names the acting member" \
    'IC-0006: drafted by Dan Drafter' git log -1 --format=%s
check_out "and dipb log adds the name git recorded" \
    'drafted by Dan Drafter, by Rita Reviewer' \
    sh -c 'dipb log IC-0006 2>/dev/null | sed -n "s/.*  draft  *//p;s/.*none -> draft  *//p"'

# --- precedence: a drafter first, a reviewer (who may not recommend) after ----------
rec dan@example.org GIT_AUTHOR_NAME='Dan Drafter' GIT_AUTHOR_EMAIL=dan@example.org \
    GIT_COMMITTER_NAME='Rita Reviewer' GIT_COMMITTER_EMAIL=rita@example.org
check_out 'GIT_AUTHOR_* before GIT_COMMITTER_*: author and committer' \
    'dan@example.org dan@example.org' git log -1 --format='%ae %ce'

git config user.name 'Dan Drafter'
git config user.email dan@example.org
rec dan@example.org GIT_COMMITTER_NAME='Rita Reviewer' \
    GIT_COMMITTER_EMAIL=rita@example.org
check_out 'git config before GIT_COMMITTER_* (which are not the author)' \
    'dan@example.org' git log -1 --format=%ae
git config user.name 'Rita Reviewer'
git config user.email rita@example.org
rec dan@example.org GIT_AUTHOR_NAME='Dan Drafter' GIT_AUTHOR_EMAIL=dan@example.org
check_out 'GIT_AUTHOR_* before git config' 'dan@example.org' \
    git log -1 --format=%ae
git config user.name 'Dan Drafter'
git config user.email dan@example.org
rec dan@example.org EMAIL=rita@example.org
check_out 'git config before EMAIL' 'dan@example.org' git log -1 --format=%ae
git config --global user.email rita@example.org
rec dan@example.org
check_out 'repository config before global config' 'dan@example.org' \
    git log -1 --format=%ae
git config --global --unset user.email
git config --unset user.name
git config --unset user.email

# --- the name ---------------------------------------------------------------------------
rec dan@example.org GIT_AUTHOR_EMAIL=dan@example.org \
    GIT_COMMITTER_NAME='Daniel Dee'
check_out 'the name: GIT_COMMITTER_NAME is not the author name' \
    'Dan Drafter' git log -1 --format=%an
git config user.name 'Dan from config'
rec dan@example.org GIT_AUTHOR_EMAIL=dan@example.org
check_out 'the name: user.name when no name is in the environment' \
    'Dan from config' git log -1 --format=%an
git config --unset user.name
rec dan@example.org GIT_AUTHOR_EMAIL=dan@example.org
check_out 'the name: the member name from dipb.yaml when none is set' \
    'Dan Drafter' git log -1 --format=%an
check_out 'the tagger has the same name' 'Dan Drafter' \
    git for-each-ref --format='%(taggername)' "refs/tags/IC-$(printf %04d "$n")/1-drafted"

# --- author.*, EMAIL and user.useConfigOnly, as git 2.39 -----------------------------
git config user.name 'Rita Reviewer'
git config user.email rita@example.org
git config author.name 'Dan Drafter'
git config author.email dan@example.org
rec dan@example.org
check_out 'author.name and author.email before user.*' \
    'Dan Drafter <dan@example.org>' git log -1 --format='%an <%ae>'
git config --unset author.name
git config --unset author.email
git config --unset user.name
git config --unset user.email
git config committer.email rita@example.org
check_refused 3 'no identity' \
    'EMAIL does not count once an email is configured (committer.email), as in git' \
    env EMAIL=dan@example.org dipb recommend --wg industrial-capacity \
    --title T --summary S
git config --unset committer.email
git config user.useConfigOnly true
check_refused 3 'no email was given and auto-detection is disabled' \
    'user.useConfigOnly: EMAIL alone is refused, with git'"'"'s reason' \
    env EMAIL=dan@example.org GIT_AUTHOR_NAME='Dan Drafter' dipb recommend \
    --wg industrial-capacity --title T --summary S
check_refused 3 'no name was given and auto-detection is disabled' \
    'user.useConfigOnly: no name configured is refused' \
    env GIT_AUTHOR_EMAIL=dan@example.org dipb recommend \
    --wg industrial-capacity --title T --summary S
git config user.name 'Dan Drafter'
rec dan@example.org GIT_AUTHOR_EMAIL=dan@example.org
check_out 'user.useConfigOnly: GIT_AUTHOR_EMAIL and user.name are enough' \
    'Dan Drafter <dan@example.org>' git log -1 --format='%an <%ae>'
git config --unset user.name
git config --unset user.useConfigOnly

# --- what git leaves out of an identity ------------------------------------------------
# git trims crud (blanks, '.', ',', ':', ';', '<', '>', quotes, '\\')
# from both ends of a name and an email, and drops '\n', '<' and '>'
# inside them, which delimit its ident lines; git var says what it
# records.  git 2.42 and later no longer take '.' for crud; dipb keeps git
# 2.39's rule, as libgit2 does (dipb-git(7)), so git 2.42 and later are
# no oracle for a '.' at an end, and those checks skip there.
# NAME|EMAIL|what is recorded:
nl='
'
for v in ' Dan <Drafter>. |  <dan@example.org> |Dan Drafter <dan@example.org>' \
    "Dan${nl}Drafter|dan@example.org$nl|DanDrafter <dan@example.org>" \
    '"Dan Drafter"|<dan@example.org>|Dan Drafter <dan@example.org>' \
    ' , Dan Drafter Jr. ;|dan@example.org|Dan Drafter Jr <dan@example.org>'; do
	nm=${v%%|*} v=${v#*|}
	em=${v%%|*} want=${v#*|}
	rec dan@example.org GIT_AUTHOR_NAME="$nm" GIT_AUTHOR_EMAIL="$em"
	check_out "the name and email as dipb records them: $want" "$want" \
	    git log -1 --format='%an <%ae>'
	case $nm in
	*.*)	if git_at_least 2.42; then
			skip "the name and email as git records them: $want" \
			    "git $(git --version | cut -d ' ' -f 3) keeps a '.' (git 2.42 and later)"
			continue
		fi
	esac
	check_out "the name and email as git records them: $want" "$want" \
	    env GIT_AUTHOR_NAME="$nm" GIT_AUTHOR_EMAIL="$em" \
	    sh -c 'git var GIT_AUTHOR_IDENT | sed "s/> .*/>/"'
done
for nm in ' , ' ' . '; do
	if [ "$nm" = ' . ' ] && git_at_least 2.42; then
		skip "a name of crud alone ('$nm'): git refuses it" \
		    "git $(git --version | cut -d ' ' -f 3) takes a name of '.' (git 2.42 and later)"
	else
		check_status nonzero "a name of crud alone ('$nm'): git refuses it" \
		    env GIT_AUTHOR_NAME="$nm" GIT_AUTHOR_EMAIL=dan@example.org \
		    git var GIT_AUTHOR_IDENT
	fi
	check_refused 3 "name consists only of disallowed characters: '$nm' (GIT_AUTHOR_NAME)" \
	    "a name of crud alone ('$nm'): refused, as git 2.39 refuses it" \
	    env GIT_AUTHOR_NAME="$nm" GIT_AUTHOR_EMAIL=dan@example.org \
	    dipb recommend --wg industrial-capacity --title T --summary S
done

# --- no identity -------------------------------------------------------------------------
check_refused 3 \
    'dipb: no identity: set user.email (git config user.email you@example.org) or GIT_AUTHOR_EMAIL' \
    'no identity at all: exit 3 with a clear message, nothing written' \
    dipb recommend --wg industrial-capacity --title T --summary S
check_refused 3 'no identity' 'a name without an email is no identity: exit 3' \
    env GIT_AUTHOR_NAME='Dan Drafter' dipb recommend --wg industrial-capacity \
    --title T --summary S
check_refused 3 'no identity' 'an empty GIT_AUTHOR_EMAIL is no identity' \
    env GIT_AUTHOR_EMAIL= dipb recommend --wg industrial-capacity \
    --title T --summary S
check_refused 3 'no identity' 'no identity: review refused too' \
    dipb review IC-0001 --request
check_refused 3 'no identity' 'no identity: withdraw refused too' \
    dipb withdraw IC-0001 -m 'No.'

# --- set but empty, as git 2.39 reads it --------------------------------------------------
# A variable set and empty is given all the same (ident.c): git records an
# empty email as '<>', no member's, and refuses an empty name; neither
# falls back to git config, nor does dipb.  git var is the oracle.
# both_refuse DESC TEXT ENV...: git var GIT_AUTHOR_IDENT refuses with
# ENV, and dipb recommend is refused, exit 3, saying TEXT.
both_refuse() {
	_d=$1 _t=$2
	shift 2
	check_status nonzero "$_d: git refuses it" env "$@" \
	    git var GIT_AUTHOR_IDENT
	check_refused 3 "$_t" "$_d: refused, exit 3, nothing written" \
	    env "$@" dipb recommend --wg industrial-capacity --title T \
	    --summary S
}
git config user.name 'Dan Drafter'
git config user.email dan@example.org
check_out 'GIT_AUTHOR_EMAIL set and empty: git records <>' '<>' \
    sh -c 'GIT_AUTHOR_EMAIL= git var GIT_AUTHOR_IDENT | sed "s/.*\(<.*>\).*/\1/"'
check_refused 3 "no identity: GIT_AUTHOR_EMAIL is ''" \
    'GIT_AUTHOR_EMAIL set and empty: refused, never user.email' \
    env GIT_AUTHOR_EMAIL= dipb recommend --wg industrial-capacity \
    --title T --summary S
check_refused 3 "no identity: GIT_AUTHOR_EMAIL is '.'" \
    'GIT_AUTHOR_EMAIL of crud alone: refused' \
    env GIT_AUTHOR_EMAIL=. dipb recommend --wg industrial-capacity \
    --title T --summary S
both_refuse 'GIT_AUTHOR_NAME set and empty' \
    'empty ident name (for <dan@example.org>) not allowed: GIT_AUTHOR_NAME is empty' \
    GIT_AUTHOR_NAME=
git config user.name ''
both_refuse 'user.name set and empty' \
    "empty ident name (for <dan@example.org>) not allowed: user.name in '$BOARD/.git/config' is empty" \
    GIT_COMMITTER_NAME=Dan
git config --unset user.name
git config committer.name 'Rita Reviewer'
both_refuse 'user.name unset, committer.name set: no name from the account' \
    "user.name is not set, and with committer.name in '$BOARD/.git/config' set" \
    GIT_COMMITTER_NAME=Dan
git config --unset committer.name
git config author.name ''
both_refuse 'author.name empty, user.name unset' \
    "with author.name in '$BOARD/.git/config' set" GIT_COMMITTER_NAME=Dan
git config user.name 'Dan Drafter'
rec dan@example.org
check_out 'author.name empty, user.name set: user.name, as git' \
    "$(git var GIT_AUTHOR_IDENT | sed 's/ <.*//')" git log -1 --format=%an
git config --unset author.name

# --- a boolean that is none -------------------------------------------------------------
# git dies on it before it does anything, even where a higher level
# overrides it; dipb refuses, exit 2, naming the value and where it is.
# git itself refuses to read the refs meanwhile: raw_refs compares them.
raw_refs() {
	find .git/refs -type f | sort | xargs cat
	cat .git/packed-refs 2>/dev/null
}
# bad_bool TEXT DESC ENV...: dipb recommend with ENV exits 2 saying TEXT,
# and no ref moved.
bad_bool() {
	_t=$1 _d=$2
	shift 2
	_before=$(raw_refs)
	run env "$@" dipb recommend --wg industrial-capacity --title T \
	    --summary S
	check_eq "$_d: exit 2, no ref moved" "2 same" \
	    "$RC $([ "$(raw_refs)" = "$_before" ] && echo same)"
	check_err "$_d: named" "$_t"
}
git config user.useConfigOnly maybe
check_status nonzero 'user.useConfigOnly maybe: git refuses it' \
    git var GIT_AUTHOR_IDENT
bad_bool \
    "bad boolean config value 'maybe' for 'user.useconfigonly' in '$BOARD/.git/config'" \
    'user.useConfigOnly maybe' EMAIL=dan@example.org
git config --unset user.useConfigOnly
git config --global user.useConfigOnly perhaps
git config user.useConfigOnly false
check_status nonzero 'user.useConfigOnly perhaps (global), false (repository): git refuses it' \
    git var GIT_AUTHOR_IDENT
bad_bool \
    "bad boolean config value 'perhaps' for 'user.useconfigonly' in '$HOME/.gitconfig'" \
    'user.useConfigOnly in the global file, false in the repository' \
    EMAIL=dan@example.org
git config --global --unset user.useConfigOnly
git config --unset user.useConfigOnly
printf '[user]\n\tuseConfigOnly = sometimes\n' >"$TROOT/included"
git config include.path "$TROOT/included"
bad_bool \
    "bad boolean config value 'sometimes' for 'user.useconfigonly' in a file that '$BOARD/.git/config' includes" \
    'user.useConfigOnly in an included file' EMAIL=dan@example.org
git config --unset include.path
check_refused 2 \
    "bad boolean config value 'often' for 'user.useconfigonly' on the command line" \
    'user.useConfigOnly on the command line (GIT_CONFIG_COUNT): named' \
    env GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=user.useConfigOnly \
    GIT_CONFIG_VALUE_0=often EMAIL=dan@example.org dipb recommend \
    --wg industrial-capacity --title T --summary S

# --- UTF-8 only: i18n.commitEncoding and the identity ----------------------------------
# dipb writes no encoding header and reads its history as UTF-8: any other
# commitEncoding refuses a writing command before anything is written,
# and so does a name or an email that is not UTF-8 (git writes those and
# warns).  git's spellings of UTF-8 are UTF-8.
for e in latin1 ISO-8859-1 utf-16 ''; do
	git config i18n.commitEncoding "$e"
	check_refused 2 \
	    "i18n.commitEncoding is '$e' in '$BOARD/.git/config'" \
	    "i18n.commitEncoding '$e': refused, exit 2, nothing written" \
	    dipb recommend --wg industrial-capacity --title T --summary S
done
check_refused 2 "i18n.commitEncoding is ''" \
    'i18n.commitEncoding: review refused too' dipb review IC-0001 --request
for e in UTF-8 utf8 Utf-8; do
	git config i18n.commitEncoding "$e"
	rec dan@example.org
	check_out "i18n.commitEncoding '$e': UTF-8, no encoding header, as git" \
	    '' sh -c 'git cat-file commit HEAD | sed -n "/^$/q;/^encoding/p"'
done
git config --unset i18n.commitEncoding
git config user.name "$(printf 'Dan Dr\344fter')"
check_refused 3 "user.name in '$BOARD/.git/config' is 'Dan Dr?fter', which is not UTF-8" \
    'a Latin-1 user.name: refused, exit 3, nothing written' \
    dipb recommend --wg industrial-capacity --title T --summary S
git config user.email dan@example.org
# A reader finds the member by the email: the name is not its business.
check 'a Latin-1 user.name: dipb todo still reads, as the member of the email' \
    dipb todo
check_status 1 "a Latin-1 user.name: dipb diff --since-review still reads" \
    dipb diff IC-0001 --since-review
check_err '  as the member of the email' 'dan@example.org has not reviewed IC-0001'
git config --unset user.email
git config i18n.commitEncoding latin1
check_refused 2 "i18n.commitEncoding is 'latin1'" \
    'a Latin-1 user.name with i18n.commitEncoding latin1: refused' \
    dipb recommend --wg industrial-capacity --title T --summary S
# Reading commands read on: verify takes the lock to read, no more.
check 'i18n.commitEncoding latin1: dipb verify still reads' dipb verify
check 'i18n.commitEncoding latin1: dipb list still reads' dipb list
git config --unset i18n.commitEncoding
git config user.name 'Dan Drafter'
check_refused 3 "GIT_AUTHOR_EMAIL is 'd?n@example.org', which is not UTF-8" \
    'a Latin-1 GIT_AUTHOR_EMAIL: refused' \
    env GIT_AUTHOR_EMAIL="$(printf 'd\344n@example.org')" \
    dipb recommend --wg industrial-capacity --title T --summary S
git config --unset user.name
git config --unset user.email
# dipb init too, before it makes the repository.
git config --global i18n.commitEncoding latin1
mkdir "$TROOT/enc-init"
cd "$TROOT/enc-init" || exit 1
as chair
run dipb init --config "$BOARD_CONFIG"
check_eq 'i18n.commitEncoding latin1: dipb init refused, exit 2, no repository left' \
    '2 none' "$RC $(ls -A)none"
check_err 'dipb init: the refusal names the setting and the file' \
    "i18n.commitEncoding is 'latin1' in '$HOME/.gitconfig'"
nobody
cd "$BOARD" || exit 1
git config --global --unset i18n.commitEncoding

# --- dates ------------------------------------------------------------------------------
as drafter
# The commits so far are of today, later than the date given: the commit
# and the tag are dated at their parent, never before it, and the author
# date is the one given (dipb-git(7), "Commit dates").
parent=$(git log -1 --format=%cd --date=short)
at 2026-03-04
n=$((n + 1))
check_change "IC-$(printf %04d "$n")/1-drafted" 'none -> draft' '' \
    dipb recommend --wg industrial-capacity --title Dated --summary S
check_eq 'created comes from GIT_AUTHOR_DATE' 2026-03-04 \
    "$(field "IC-$(printf %04d "$n")" created)"
check_out 'author date given, committer date not before the parent'"'"'s' \
    "2026-03-04 $parent" git log -1 --format='%ad %cd' --date=short
check_out 'the tagger date: the committer'"'"'s' "$parent" git for-each-ref \
    --format='%(taggerdate:short)' "refs/tags/IC-$(printf %04d "$n")/1-drafted"
# A date later than the parent's is the committer's and the tagger's too.
at 2030-01-10
n=$((n + 1))
check_change "IC-$(printf %04d "$n")/1-drafted" 'none -> draft' '' \
    dipb recommend --wg industrial-capacity --title Later --summary S
check_eq 'a date after the parent'"'"'s: author, committer and tagger date' \
    '2030-01-10 2030-01-10 2030-01-10' \
    "$(git log -1 --format='%ad %cd' --date=short) $(git for-each-ref \
    --format='%(taggerdate:short)' "refs/tags/IC-$(printf %04d "$n")/1-drafted")"
# A parent dated from 2100 on (a plain commit, a wrong clock) is not
# followed: no date dipb takes is that late (dipb(1)); the change is
# dated at the member's (2104-12-29, before).  In a clone of its own.
git clone -q "$PWD" "$TROOT/future" && cd "$TROOT/future" || exit 1
env GIT_AUTHOR_DATE='@4260000000 +0000' \
    GIT_COMMITTER_DATE='@4260000000 +0000' \
    git commit -q --allow-empty -m 'Notes from the future'
at 2030-01-11
run dipb recommend --wg industrial-capacity --title Future --summary S
check_eq 'a parent dated 2104: the committer date is the member'"'"'s' \
    '0 2030-01-11' "$RC $(git log -1 --format=%cd --date=short)"
cd "$BOARD" || exit 1

n=$((n + 1))
check_change "IC-$(printf %04d "$n")/1-drafted" 'none -> draft' '' \
    env GIT_AUTHOR_DATE=2026-03-05T12:00:00+00:00 \
    GIT_COMMITTER_DATE=2026-03-09T12:00:00+00:00 \
    dipb recommend --wg industrial-capacity --title Dated --summary S
check_eq 'the author date is GIT_AUTHOR_DATE, as git' 2026-03-05 \
    "$(field "IC-$(printf %04d "$n")" created)"
today
n=$((n + 1))
check_change "IC-$(printf %04d "$n")/1-drafted" 'none -> draft' '' \
    env GIT_COMMITTER_DATE=2026-03-09T12:00:00+00:00 \
    dipb recommend --wg industrial-capacity --title Dated --summary S
check_eq 'without GIT_AUTHOR_DATE, GIT_COMMITTER_DATE dates the change' \
    2026-03-09 "$(field "IC-$(printf %04d "$n")" created)"
# Before the epoch, git refuses a date (and git fsck a commit holding
# one, badDateOverflow): refused, nothing written, in each format.
for d in '1969-07-20T20:17:00+00:00' 'Sun, 20 Jul 1969 20:17:00 +0000' \
    '1970-01-01T00:00:00+14:00' '0001-01-01T00:00:00+00:00'; do
	check_refused 2 "invalid date in GIT_AUTHOR_DATE: '$d'" \
	    "GIT_AUTHOR_DATE='$d': refused, as git refuses it" \
	    env GIT_AUTHOR_DATE="$d" \
	    dipb recommend --wg industrial-capacity --title Dated --summary S
done
# From 2100 on, in git's internal form as in the others (the year 10000
# was written as 9999 with the real month and day, before).
for d in '@4102444800 +0000' '@253402300800 +0000' '@99999999999999 +0000'; do
	check_refused 2 "invalid date in GIT_AUTHOR_DATE: '$d'" \
	    "GIT_AUTHOR_DATE='$d', from 2100 on: refused" \
	    env GIT_AUTHOR_DATE="$d" \
	    dipb recommend --wg industrial-capacity --title Dated --summary S
done
check_refused 2 'invalid date in GIT_AUTHOR_DATE' \
    'a time before the epoch in the local time zone: refused' \
    env TZ=UTC GIT_AUTHOR_DATE='1969-12-31T23:59:59' \
    dipb recommend --wg industrial-capacity --title Dated --summary S

check_fsck
check_history 'every commit has one tag, every tag is on the branch'
finish
