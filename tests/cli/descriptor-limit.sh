#!/bin/sh
# tests/cli/descriptor-limit.sh - the commands that read the records one
# by one, with no file descriptor left (ulimit -n).
#
# A file dipb cannot open for a failure of its own (EMFILE: no descriptor
# left; ENFILE, ENOMEM) is no problem of the file: validate and fmt never
# report it [io] on a valid board, exit 1, but stop, exit 5, with the
# message (dipb-validate(1), EXIT STATUS).  list, todo, show and report
# read the records through git, where [io] is a committed file's mode
# alone: each passes or stops alike.  The CI formats' report of such a
# run is ci-formats.sh's.
#
# Under ulimit -n 4 none is left for validate and fmt: standard input,
# output and error, and the pack libgit2 keeps open once dipb has looked
# for a change left pending (git repack below makes one).  With one
# descriptor more, or in the readers through git, whether a file fails
# is a race of dipb's threads and libgit2's: whatever fails, the run
# must not report a file.
. "$(dirname "$0")/lib.sh"

new_board
fast_drafts 200 >/dev/null 2>&1
git repack -adq

# limited N CMD...: CMD run under ulimit -n N.
limited() {
	_n=$1
	shift
	run sh -c 'ulimit -n "$1" && shift && exec "$@"' sh "$_n" "$@"
}

# stopped DESC: the last run exited 5, saying why on stderr, and
# reported no file [io] on stdout or stderr.
stopped() {
	check_eq "$1: exit 5, no [io] finding" '5 0' \
	    "$RC $(cat "$OUT" "$ERR" | grep -c '\[io\]')"
	check_err_re "$1: the file not read, and why" \
	    "^dipb: .*: Too many open files\$"
}

# passed_or_stopped DESC: the last run exited 0, or stopped as above.
passed_or_stopped() {
	check_eq "$1: exit 0, or 5 and why, no [io] finding" 'yes 0' \
	    "$(case $RC in
	    0) echo yes ;;
	    5) grep -q 'Too many open files$' "$ERR" && echo yes ;;
	    *) echo "$RC" ;;
	    esac) $(cat "$OUT" "$ERR" | grep -c '\[io\]')"
}

check 'validate: the board is valid' dipb validate
limited 4 dipb validate
stopped 'validate under ulimit -n 4'
limited 4 dipb validate --format json
stopped 'validate --format json under ulimit -n 4'
limited 4 dipb fmt --check
stopped 'fmt --check under ulimit -n 4'
for n in 4 5 6; do
	for c in validate list todo 'show IC-0037' 'report status'; do
		# shellcheck disable=SC2086 # the command and its arguments
		limited "$n" dipb $c
		passed_or_stopped "$c under ulimit -n $n"
	done
done

# The per-file paths, which no ulimit -n reaches alone (the board's file,
# read first, fails before them): DIPB_FAULT=scan-emfile:PATH fails that
# one record's read as with no descriptor left (dipb(1)).  validate's
# workers and fmt must stop on it, never skip the file and pass.
F=recommendations/IC-0037.yaml
for c in validate 'fmt --check' fmt 'validate --format sarif'; do
	# shellcheck disable=SC2086 # the command and its arguments
	run env DIPB_FAULT=scan-emfile:$F dipb $c
	stopped "$c, $F failing"
	check_err_re "$c: $F named" "^dipb: cannot read '$F': "
done

limited 16 dipb validate
check_eq 'validate under ulimit -n 16: exit 0, silent' '0' \
    "$RC$(cat "$OUT" "$ERR")"

# fmt stopped at a file leaves those before it rewritten, those after it
# as they were (dipb-fmt(1), EXIT STATUS).
for i in 36 38; do
	printf '\n\n' >>recommendations/IC-00$i.yaml
done
run env DIPB_FAULT=scan-emfile:$F dipb fmt
check_eq 'fmt stopped at IC-0037: IC-0036 rewritten, and listed' \
    "5 recommendations/IC-0036.yaml" "$RC $(cat "$OUT")"
run dipb fmt --check
check_eq 'fmt stopped at IC-0037: IC-0038 left as it was' \
    "1 recommendations/IC-0038.yaml" "$RC $(cat "$OUT")"
finish
