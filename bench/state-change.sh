#!/bin/sh
# bench/state-change.sh - one state change: a whole 'dipb recommend' process
# against the git CLI making the same change (git add, git commit, git tag -a
# as separate processes), on boards of 1,000 and 10,000 records with
# history, measured in the same run.  Prints medians and the ratio git/dipb.
#
# Then the same change signed: 'dipb recommend' on a board that lists the
# drafter's key against 'git commit -S' and 'git tag -s', both with
# gpg.format=ssh and the same ed25519 key file: git runs ssh-keygen -Y sign
# for each; dipb signs in the process, as ssh-keygen would with that key
# (dipb-git(7), "Signing").  The target: dipb at least 1.5x faster.
#
# Each measurement is taken by bench/run_timed.c, so that the shell's own
# processes stay out of it.
#
# usage: bench/state-change.sh [RUNS]      (DIPB=path/to/dipb, default ./dipb;
#                                          SIZES="1000 10000"; KEEP=1 keeps
#                                          the boards; TMPDIR: where;
#                                          SETTLE: seconds of pause, 90)
set -eu
. "$(dirname "$0")/lib.sh"

RUNS=${1:-15}
SIZES=${SIZES:-"1000 10000"}
bench_init state
bench_identity "Bench Drafter" drafter@example.org

# A board of $2 records in $1, one commit and one annotated tag each, made
# with git fast-import (minutes with any per-record process).
make_board() {
	dir=$1 n=$2
	awk -v n="$n" -v date="$(date +%s)" '
	function rec(i,   id, s) {
		id = sprintf("IC-%04d", i)
		s = "id: " id "\ntitle: Generated recommendation number " i \
		    "\nworking_group: industrial-capacity\nstatus: draft\n" \
		    "classification: NATO UNCLASSIFIED\npriority: medium\n" \
		    "created: 2026-01-01\nupdated: 2026-01-01\n" \
		    "author: drafter@example.org\ntopics: [bench]\n" \
		    "summary: |\n  Generated summary of recommendation " i \
		    ", long enough to look like prose written by an analyst.\n" \
		    "rationale: |\n  Generated rationale. It explains why, with" \
		    " evidence from the working group consultations.\n"
		return s
	}
	BEGIN {
		for (i = 1; i <= n; i++) {
			id = sprintf("IC-%04d", i)
			body = rec(i)
			msg = id ": drafted by Bench Drafter\n\nDipb-Record: " id \
			    "\nDipb-Event: drafted\nDipb-Status: none -> draft\n"
			printf "commit refs/heads/main\nmark :%d\n", i
			printf "author Bench Drafter <drafter@example.org> %d +0000\n", date + i
			printf "committer Bench Drafter <drafter@example.org> %d +0000\n", date + i
			printf "data %d\n%s\n", length(msg), msg
			if (i == 1)
				printf "from refs/heads/main^0\n"
			printf "M 100644 inline recommendations/%s.yaml\n", id
			printf "data %d\n%s\n", length(body), body
			printf "tag %s/1-drafted\nfrom :%d\n", id, i
			printf "tagger Bench Drafter <drafter@example.org> %d +0000\n", date + i
			t = id ": drafted by Bench Drafter\n"
			printf "data %d\n%s\n", length(t), t
		}
	}' | git -C "$dir" fast-import --quiet
	git -C "$dir" reset -q --hard main
	git -C "$dir" gc -q
}

# The library start-up alone, as dipb pays it: libgit2 init without
# loading the CA store (see src/git/lib.c), open the repository, shut down.
cat > "$work/startup.c" <<'C'
#include <git2.h>
int mbedtls_x509_crt_parse_file(void *c, const char *p)
{ (void)c; (void)p; return 0; }
int mbedtls_x509_crt_parse_path(void *c, const char *p)
{ (void)c; (void)p; return 0; }
int SSL_CTX_set_default_verify_paths(void *c)
{ (void)c; return 1; }
int main(int argc, char **argv) {
	git_repository *r = NULL;
	git_libgit2_init();
	if (argc > 1 && git_repository_open(&r, argv[1]) == 0)
		git_repository_free(r);
	git_libgit2_shutdown();
	return 0;
}
C
cc -O2 -o "$work/startup" "$work/startup.c" $(pkg-config --cflags --libs libgit2)
cc -O2 -o "$work/run_timed" "$top/bench/run_timed.c"

# board_yaml [KEY]: the bench board; with KEY, a public-key line, the
# drafter lists it and the board requires signing.
board_yaml() {
	bench_board_yaml 'NATO UNCLASSIFIED' 1 \
	    'Bench Drafter|drafter@example.org|chair, drafter, reviewer'
	if [ -n "${1:-}" ]; then
		printf '    keys:\n      - %s\nsigning: required\n' "$1"
	fi
}

# The signing key, used by dipb and git alike.
ssh-keygen -q -t ed25519 -N '' -C bench -f "$work/key"
signing() {
	git -C "$1" config gpg.format ssh
	git -C "$1" config user.signingKey "$work/key"
}

# git_ms: git's defaults, which do not fsync loose objects; gitsync_ms:
# git with core.fsync=all.  dipb_ms: dipb's default (fsync on);
# nofsync_ms: DIPB_FSYNC=0.  git/dipb compares the defaults (dipb durable,
# git not: the harder comparison for dipb); the others compare like with
# like: git/nofsync (neither durable), gitsync/dipb (both durable), and
# git over dipb's own work without the library start-up (startup_ms:
# libgit2 init + open).
printf '%-8s %9s %9s %9s %9s %9s %9s %8s %8s %8s %8s\n' records git_ms \
    gitsync_ms dipb_ms nofsync_ms startup_ms dipb_own git/dipb git/nofs \
    gsync/dipb git/own
# Every board first, then a pause: git gc and git pack-refs have just
# deleted thousands of files, and ext4 avoids reusing recently deleted
# inodes (for up to five minutes), reading the inode table to find them:
# right after, every new file (each change makes about ten) cost here ten
# times what it costs on a settled disk, for git and dipb alike.  SETTLE=0
# skips the pause.
for n in $SIZES; do
	b="$work/board-$n"
	board_yaml > "$work/board.yaml"
	(cd "$work" && "$DIPB" init "$b" --config "$work/board.yaml" \
	    >/dev/null 2>&1)
	make_board "$b" "$n" 2>/dev/null
	cp -a "$b" "$b-git"
	cp -a "$b" "$b-gitsync"
	cp -a "$b" "$b-nofsync"
	git -C "$b-gitsync" config core.fsync all
	git -C "$b-gitsync" config core.fsyncMethod fsync
	# The signed boards: the drafter has a key; dipb and git sign.
	board_yaml "$(cut -d ' ' -f 1,2 "$work/key.pub")" > "$work/board.yaml"
	git init -q "$b-sig"
	signing "$b-sig"
	(cd "$work" && "$DIPB" init "$b-sig" --config "$work/board.yaml" \
	    >/dev/null 2>&1)
	make_board "$b-sig" "$n" 2>/dev/null
	cp -a "$b-sig" "$b-gitsig"
done
sync
sleep "${SETTLE:-90}"

for n in $SIZES; do
	b="$work/board-$n"
	: > "$work/t.git"; : > "$work/t.dipb"; : > "$work/t.nofsync"
	: > "$work/t.gitsync"
	: > "$work/t.start"
	: > "$work/t.dsig"; : > "$work/t.gsig"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		i=$((i + 1))
		# dipb: one process does the whole change.
		"$work/run_timed" "$DIPB" -C "$b" recommend \
		    --wg industrial-capacity --title "Bench $i" \
		    --summary "Bench summary $i." --no-edit >> "$work/t.dipb"
		DIPB_FSYNC=0 "$work/run_timed" "$DIPB" -C "$b-nofsync" \
		    recommend --wg industrial-capacity --title "Bench $i" \
		    --summary "Bench summary $i." --no-edit \
		    >> "$work/t.nofsync"
		# git: the same file (written before the clock starts, as
		# an editor would have), then add, commit and tag; then git
		# again, durable like dipb: core.fsync=all.
		id=$(printf 'IC-%04d' $((n + i)))
		for g in git gitsync; do
			sed "s/^id: .*/id: $id/" \
			    "$b/recommendations/$id.yaml" \
			    > "$b-$g/recommendations/$id.yaml"
			"$work/run_timed" \
			    git -C "$b-$g" add "recommendations/$id.yaml" ';' \
			    git -C "$b-$g" commit -q \
			    -m "$id: drafted by Bench Drafter" \
			    -m "Dipb-Record: $id
Dipb-Event: drafted
Dipb-Status: none -> draft" ';' \
			    git -C "$b-$g" tag -a \
			    -m "$id: drafted by Bench Drafter" "$id/1-drafted" \
			    >> "$work/t.$g"
		done
		"$work/run_timed" "$work/startup" "$b" >> "$work/t.start"
		# signed: dipb, then git -S and tag -s with the same key.
		"$work/run_timed" "$DIPB" -C "$b-sig" recommend \
		    --wg industrial-capacity --title "Bench $i" \
		    --summary "Bench summary $i." --no-edit >> "$work/t.dsig"
		sed "s/^id: .*/id: $id/" "$b-sig/recommendations/$id.yaml" \
		    > "$b-gitsig/recommendations/$id.yaml"
		"$work/run_timed" \
		    git -C "$b-gitsig" add "recommendations/$id.yaml" ';' \
		    git -C "$b-gitsig" commit -q -S \
		    -m "$id: drafted by Bench Drafter" \
		    -m "Dipb-Record: $id
Dipb-Event: drafted
Dipb-Status: none -> draft" ';' \
		    git -C "$b-gitsig" tag -s \
		    -m "$id: drafted by Bench Drafter" "$id/1-drafted" \
		    >> "$work/t.gsig"
	done
	g=$(median < "$work/t.git"); d=$(median < "$work/t.dipb")
	f=$(median < "$work/t.nofsync"); s=$(median < "$work/t.start")
	gs=$(median < "$work/t.gitsync")
	# sanity: both made the same number of commits and tags
	[ "$(git -C "$b" rev-list --count HEAD)" = \
	    "$(git -C "$b-git" rev-list --count HEAD)" ] ||
	    { echo "bench: dipb and git made different histories" >&2; exit 1; }
	awk -v n="$n" -v g="$g" -v d="$d" -v f="$f" -v s="$s" -v gs="$gs" 'BEGIN {
		own = d - s; if (own < 1) own = 1
		printf "%-8d %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %8.2f %8.2f %8.2f %8.2f\n",
		    n, g / 1000, gs / 1000, d / 1000, f / 1000, s / 1000,
		    own / 1000, g / d, g / f, gs / d, g / own
	}' | tee -a "$work/results"
	# sanity: both signed, and git verifies dipb's signatures
	printf '%s namespaces="git" %s\n' drafter@example.org \
	    "$(cut -d ' ' -f 1,2 "$work/key.pub")" > "$work/allowed"
	for r in "$b-sig" "$b-gitsig"; do
		git -C "$r" -c gpg.ssh.allowedSignersFile="$work/allowed" \
		    verify-commit HEAD >/dev/null 2>&1 &&
		    git -C "$r" -c gpg.ssh.allowedSignersFile="$work/allowed" \
		    verify-tag "$(printf 'IC-%04d' $((n + RUNS)))/1-drafted" \
		    >/dev/null 2>&1 ||
		    { echo "bench: $r: the last change does not verify" >&2
		      exit 1; }
	done
	gs=$(median < "$work/t.gsig"); ds=$(median < "$work/t.dsig")
	awk -v n="$n" -v g="$gs" -v d="$ds" 'BEGIN {
		printf "%-8d %9.1f %9.1f %8.2f\n", n, g / 1000, d / 1000, g / d
	}' >> "$work/signed"
done
awk 'NR == 1 { d1 = $4; n1 = $1 } END { if (NR > 1) printf "dipb at %d records / at %d: %.2fx\n", $1, n1, $4 / d1 }' \
    "$work/results"
echo
echo "signed: git commit -S + git tag -s against a signed dipb recommend"
printf '%-8s %9s %9s %8s\n' records gitsig_ms dipbsig_ms git/dipb
cat "$work/signed"
