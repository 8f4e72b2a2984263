#!/bin/sh
# examples/server.sh - makes the shared repository of a board on a plain
# server: a bare repository with examples/pre-receive as its hook and the
# board's branch named (the README, "Boards on a server and on a forge").
#
# Usage: sh examples/server.sh [-b BRANCH] [-g GROUP] [-d] [-p] DIR
#
#	DIR	the bare repository to make (/srv/git/board.git); it must
#		not exist, or be an empty folder
#	-b	the board's branch (default main): git config dipb.branch
#	-g	members push over ssh, each with their own account, all in
#		GROUP: the repository is made group-shared
#		(core.sharedRepository) and given to GROUP
#	-d	git daemon may serve it (git-daemon-export-ok): read-only,
#		for anyone who can reach the port
#	-p	git daemon may also take pushes to it (daemon.receivepack),
#		when started with --allow-override=receive-pack: git's daemon
#		asks no-one who they are, so only on a closed network
#
# The hook refuses a push that would rewrite the board's record, or that
# 'dipb verify' finds fault with; it runs as the pushing account and needs
# dipb on that account's PATH (or DIPB=/path/to/dipb in its environment).
# The board itself comes with the first push of a member's clone:
#
#	git push --atomic --follow-tags ssh://server/srv/git/board.git main
#
# after which members clone it and publish their changes with dipb sync.
set -eu

usage() {
	echo "usage: sh examples/server.sh [-b BRANCH] [-g GROUP] [-d] [-p] DIR" >&2
	exit 2
}

branch=main group= daemon=0 push=0
while getopts b:g:dp opt; do
	case $opt in
	b) branch=${OPTARG#refs/heads/} ;;
	g) group=$OPTARG ;;
	d) daemon=1 ;;
	p) daemon=1 push=1 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
dir=$1

here=$(cd "$(dirname "$0")" && pwd)
hook=$here/pre-receive
if [ ! -f "$hook" ]; then
	echo "server.sh: no $hook: run the script from dipb's examples folder" >&2
	exit 1
fi
if ! git check-ref-format "refs/heads/$branch"; then
	echo "server.sh: '$branch' is not a branch name git allows" >&2
	exit 2
fi
if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
	echo "server.sh: $dir is there and not empty: give a new folder" >&2
	exit 1
fi

if [ -n "$group" ]; then
	mkdir -p "$dir"
	chgrp "$group" "$dir"
	chmod g+rwxs "$dir"
	git init -q --bare --shared=group "$dir"
	chgrp -R "$group" "$dir"
else
	git init -q --bare "$dir"
fi

# The board's branch, and what a clone checks out.
git -C "$dir" config dipb.branch "$branch"
git -C "$dir" symbolic-ref HEAD "refs/heads/$branch"
# Every object a push brings is checked as git fsck would, strictly: its
# warnings are errors, so a tree that git would not check out for the
# members (a path with a .git or .. component, in any spelling: hasDotgit,
# hasDotdot) is refused with the push, before the hook runs.
git -C "$dir" config receive.fsckObjects true

cp "$hook" "$dir/hooks/pre-receive"
chmod 755 "$dir/hooks/pre-receive"

if [ "$daemon" = 1 ]; then
	: >"$dir/git-daemon-export-ok"
fi
if [ "$push" = 1 ]; then
	git -C "$dir" config daemon.receivepack true
fi

abs=$(cd "$dir" && pwd)
echo "made $abs: board branch $branch, examples/pre-receive installed"
if ! command -v "${DIPB:-dipb}" >/dev/null 2>&1; then
	echo "warning: dipb is not on this PATH: the hook refuses every push" \
	    "until it is on the PATH of the accounts that push" >&2
fi
echo "over ssh:   git clone ssh://$(hostname)$abs"
if [ "$daemon" = 1 ]; then
	base=$(dirname "$abs")
	over=
	if [ "$push" = 1 ]; then
		over=' --allow-override=receive-pack'
	fi
	echo "git daemon: git daemon --reuseaddr --base-path=$base$over $base"
	echo "            git clone git://$(hostname)/$(basename "$abs")"
fi
