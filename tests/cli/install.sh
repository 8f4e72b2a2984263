#!/bin/sh
# tests/cli/install.sh - make install/uninstall into a DESTDIR, man -l on
# every installed page, and a release tarball that builds without git.
. "$(dirname "$0")/lib.sh"

src=$DIPB_SRCDIR
dest=$TROOT/dest
check 'make install into a DESTDIR' \
    make -s -C "$src" install DESTDIR="$dest" PREFIX=/usr
for f in usr/bin/dipb usr/share/bash-completion/completions/dipb \
    usr/share/zsh/site-functions/_dipb \
    usr/share/fish/vendor_completions.d/dipb.fish; do
	check "installed $f" test -f "$dest/$f"
done
check 'the binary is executable' test -x "$dest/usr/bin/dipb"
n=0
for page in "$src"/man/*.[157]; do
	name=${page##*/}
	sec=${name##*.}
	inst=$dest/usr/share/man/man$sec/$name
	n=$((n + 1))
	check "installed $name" test -f "$inst"
	if command -v man >/dev/null 2>&1; then
		check "man -l renders $name" sh -c \
		    'MANWIDTH=80 man -l "$1" 2>&1 >/dev/null | grep . && exit 1
		     test "$(MANWIDTH=80 man -l "$1" 2>/dev/null | wc -l)" -gt 5' \
		    sh "$inst"
	else
		skip "man -l renders $name" 'no man(1) (apt-get install man-db)'
	fi
done
check 'every man page was installed' test "$n" -ge 12

check 'PREFIX and the directories can be overridden' \
    make -s -C "$src" install DESTDIR="$dest/alt" PREFIX=/opt/dipb \
    MANDIR=/opt/man
check 'the binary went under PREFIX' test -x "$dest/alt/opt/dipb/bin/dipb"
check 'the pages went under MANDIR' test -f "$dest/alt/opt/man/man1/dipb.1"

check 'make uninstall' make -s -C "$src" uninstall DESTDIR="$dest" PREFIX=/usr
check_out 'uninstall removes every file install wrote' '' \
    find "$dest" -type f -not -path "$dest/alt/*"

# --- the build set of .ci/install-deps --------------------------------------------
# What the tarball's build needs is in the build set: the packages whose
# files are the pkg-config modules the Makefile links with, and the
# tools.  (.ci/install-deps --list SET prints a set.)
deps=$src/.ci/install-deps
sh "$deps" --list build >"$TROOT/build.set" 2>/dev/null
sh "$deps" --list test >"$TROOT/test.set" 2>/dev/null
check_out 'install-deps with no set installs every set (make check)' \
    "$(sh "$deps" --list build run test 2>/dev/null)" sh "$deps" --list
check_status 2 'install-deps refuses a set it does not know' sh "$deps" --list nope
check_err 'naming the sets' 'build, run, test'
check_eq 'the test set holds nothing of the build set' '' \
    "$(LC_ALL=C sort "$TROOT/build.set" "$TROOT/test.set" | uniq -d)"
check 'the build set has the compiler, make and pkg-config' sh -c '
    for p in gcc make pkg-config libc6-dev; do grep -qx "$p" "$1" || exit 1; done' \
    sh "$TROOT/build.set"
check 'the test set has acl (setfacl: the ACL checks of editor.sh run)' \
    grep -qx acl "$TROOT/test.set"
check 'Criterion, a browser and the shells are not in the build set' sh -c '
    ! grep -E -qx "libcriterion-dev|chromium|zsh|fish|mandoc" "$1"' sh "$TROOT/build.set"
if command -v dpkg-query >/dev/null 2>&1; then
	_bad=
	for m in $(sed -n 's/^LIBS_PC[[:space:]]*=//p' "$src/Makefile"); do
		pc=$(pkg-config --path "$m" 2>/dev/null)
		pkg=$(dpkg-query -S "$pc" 2>/dev/null | sed 's/[:,].*//' | head -n 1)
		grep -qx "$pkg" "$TROOT/build.set" || _bad="$_bad $m($pc: ${pkg:-no package})"
	done
	check_eq 'every library the Makefile links with is a package of the build set' \
	    '' "$_bad"
else
	skip 'every library the Makefile links with is a package of the build set' \
	    'no dpkg-query'
fi
check_file_has 'make demo installs the build and run sets' "$src/Makefile" \
    '^	@sh \.ci/install-deps build run$'
check 'the test set has curl, which the CI examples'"'"' install step runs' \
    grep -qx curl "$TROOT/test.set"

# A package apt has no package of that name for (Ubuntu 24.04's
# chromium: a name chromium-browser, the snap's, provides) is left out,
# saying so when it installs or lists; everything else installed, it says
# nothing and installs nothing, every time.  Stand-ins for dpkg-query,
# apt-cache, apt-get and sudo: everything installed but $MISSING;
# chromium as $APT says (virtual, snap, fresh: unknown until apt-get
# update, then virtual; real); apt-get writes its arguments to a log.
fk=$TROOT/fakeapt
mkdir -p "$fk/bin"
cat >"$fk/bin/dpkg-query" <<'FAKE'
#!/bin/sh
eval "p=\${$#}"
case " $MISSING " in *" $p "*) exit 1 ;; esac
printf 'install ok installed'
FAKE
cat >"$fk/bin/apt-cache" <<'FAKE'
#!/bin/sh
eval "p=\${$#}"
a=$APT
[ "$a" = fresh ] && { [ -e "$FK/updated" ] && a=virtual || a=unknown; }
[ "$p" = chromium ] || a=real
case $1.$a in
policy.unknown | show.unknown | show.virtual) ;;
policy.virtual) printf '%s:\n  Installed: (none)\n  Candidate: (none)\n' "$p" ;;
policy.*) printf '%s:\n  Installed: (none)\n  Candidate: 1.0\n' "$p" ;;
show.snap) printf 'Package: %s\nPre-Depends: debconf, snapd\n' "$p" ;;
show.*) printf 'Package: %s\nDepends: libc6\n' "$p" ;;
esac
FAKE
cat >"$fk/bin/apt-get" <<'FAKE'
#!/bin/sh
echo "$*" >>"$FK/apt-get.log"
[ "$1" = update ] && touch "$FK/updated"
exit 0
FAKE
printf '#!/bin/sh\nexec "$@"\n' >"$fk/bin/sudo"
chmod +x "$fk/bin/"*
# deps_as APT MISSING ARGS...: install-deps ARGS with the stand-ins.
deps_as() {
	rm -f "$fk/apt-get.log" "$fk/updated"
	_a=$1 _m=$2
	shift 2
	run env PATH="$fk/bin:$PATH" FK="$fk" APT="$_a" MISSING="$_m" \
	    sh "$deps" "$@"
}
_left='install-deps: leaving out chromium: apt has no package of that name'
_noc=$(grep -vx chromium "$TROOT/test.set")
for a in virtual snap; do
	deps_as $a chromium --list test
	check_eq "chromium $a: --list test leaves it out" "$_noc" "$(cat "$OUT")"
	check_err 'saying so' "$_left"
	deps_as $a chromium test
	check_eq "chromium $a, all else installed: install-deps says nothing" \
	    '0 ' "$RC $(cat "$OUT" "$ERR")"
	check 'and runs no apt-get' test ! -e "$fk/apt-get.log"
	deps_as $a 'chromium zsh' test
	check_eq "chromium $a, zsh missing: saying it leaves chromium out, once" \
	    1 "$(grep -c -F "$_left" "$ERR")"
	check_out 'and apt-get installs zsh alone' 'update
install -y --no-install-recommends zsh' cat "$fk/apt-get.log"
done
deps_as fresh 'chromium zsh' test
check_out 'apt knowing no chromium before apt-get update, it leaves it out after' \
    'update
install -y --no-install-recommends zsh' cat "$fk/apt-get.log"
deps_as real 'chromium zsh' test
check_out 'a chromium of its own (Debian'"'"'s) is installed' \
    'update
install -y --no-install-recommends chromium zsh' cat "$fk/apt-get.log"

# --- the build: packagers' flags, the version, its headers ------------------------
# In a clone, the source tree's uncommitted changes committed there,
# each check compiling only the objects it needs.  mk: make there,
# quietly.
b=$TROOT/clone
git clone -q "$src" "$b"
git -C "$b" config user.name T && git -C "$b" config user.email t@example.org
git -C "$src" diff --binary HEAD | git -C "$b" apply --index --allow-empty &&
    git -C "$b" commit -q --allow-empty -m 'the working tree'
# A make of its own, not a sub-make of make check's (which would say
# "make[2]: Entering directory" and share its jobserver).
mk() {
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u MAKEOVERRIDES \
	    nice make -s -C "$b" "$@"
}
# Debian's dpkg-buildflags (and Ubuntu's gcc by itself) give
# _FORTIFY_SOURCE, a chdir() whose result is unused a warning; -O3
# inlines enough for "may be used uninitialized".  CI=true: -Werror.
check 'CI=true with _FORTIFY_SOURCE=2 (dpkg-buildflags'"'"' CPPFLAGS) builds editor.o' \
    mk CI=true 'CPPFLAGS=-Wdate-time -D_FORTIFY_SOURCE=2' 'CFLAGS=-g -O2' \
    build/rel/editor.o
check 'CPPFLAGS=-U_FILE_OFFSET_BITS undoes no define of dipb'"'"'s: scan.o builds' \
    mk CI=true CPPFLAGS=-U_FILE_OFFSET_BITS build/rel/scan.o
check 'CI=true with CFLAGS=-O3 builds cache.o and sshkey.o' \
    mk CI=true 'CFLAGS=-O3 -g' build/rel/cache.o build/rel/sshkey.o

# CFLAGS at every link as at every compile (--coverage, -flto need
# both): make -n of each link, its lines joined.
for t in dipb build/san/dipb build/san/unit build/csan/unit \
    build/fuzz/fuzz_load build/fuzz/fuzz_history; do
	check_eq "CFLAGS are given to the link of $t" 1 "$(mk -n -B "$t" \
	    CFLAGS=-DDIPB_LINK_CFLAGS | sed -e :a -e '/\\$/N; s/\\\n//; ta' |
	    grep -- "-o $t " | grep -c -e -DDIPB_LINK_CFLAGS)"
done

# Without pkg-config, or a library it does not find, make stops at its
# first compile naming it (not at 1,500 undefined references); make
# deps, which installs them, runs.
check_status 2 'without pkg-config make stops before compiling' \
    mk -n -B build/rel/util.o PKG_CONFIG=/nonexistent/pkg-config
check_err 'naming it' 'no /nonexistent/pkg-config: sh .ci/install-deps build'
check_status 2 'a library pkg-config does not find stops it too' \
    mk -n -B build/rel/util.o 'LIBS_PC=zlib dipb-no-such-module'
check_err 'naming the library' 'pkg-config finds no dipb-no-such-module:'
check_status 2 'a libgit2 older than LIBGIT2_MIN stops it too' \
    mk -n -B build/rel/util.o LIBGIT2_MIN=99.0
check_err 'naming its version and the one needed' \
    "libgit2 is $(pkg-config --modversion libgit2), dipb needs 99.0 or later (README.md, Layout): install-deps cannot help; a newer system or libgit2 can"
check 'make deps runs without pkg-config' \
    mk -n deps PKG_CONFIG=/nonexistent/pkg-config

# build/buildid.h is remade by every make, and two makes may run in one
# tree (make check's): its recipe (make -n), twenty times two at once.
cmd=$(mk -n build/buildid.h)
_f=0
: >"$TROOT/race.err"
for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	(cd "$b" && sh -c "$cmd") 2>>"$TROOT/race.err" & _p=$!
	(cd "$b" && sh -c "$cmd") 2>>"$TROOT/race.err" || _f=$((_f + 1))
	wait "$_p" || _f=$((_f + 1))
done
check_eq 'two makes at once remake build/buildid.h, neither failing' \
    '0 failed: ' "$_f failed: $(sort -u "$TROOT/race.err")"
check_eq 'and leave no temporary file' '' "$(ls "$b/build" | grep tmp)"

# Without a vX.Y.Z tag the version is 0.1.0 and the commit, -dirty in
# a tree with uncommitted changes; make dist packs HEAD's tree, never
# those changes, under HEAD's version.  (pv: make's VERSION.)
pv() {
	(cd "${1:-$b}" && make -s --no-print-directory \
	    --eval 'dipb-pv: ; @echo $(VERSION)' dipb-pv)
}
head=$(git -C "$b" rev-parse --short HEAD)
check_out 'untagged, the version is 0.1.0 and the commit' "0.1.0-g$head" pv
echo '/* an uncommitted edit */' >>"$b/src/util.c"
rm "$b/examples/demo.sh"
check_out 'with uncommitted changes, -dirty' "0.1.0-g$head-dirty" pv
check_out 'make dist in that tree writes the tarball of HEAD' \
    "build/dipb-0.1.0-g$head.tar.gz" mk dist
check_err 'saying the changes are left out' \
    "make dist: the uncommitted changes are left out: it is the tree of HEAD (0.1.0-g$head)"
_t=$b/build/dipb-0.1.0-g$head.tar.gz
check 'without the uncommitted edit' sh -c 'tar -xzOf "$1" "$2" >"$3" &&
    ! grep -q "uncommitted edit" "$3"' sh "$_t" "dipb-0.1.0-g$head/src/util.c" \
    "$TROOT/util.c"
check 'with the file deleted but not committed' \
    tar -tzf "$_t" "dipb-0.1.0-g$head/examples/demo.sh"
mkdir "$TROOT/untagged"
tar -xzf "$_t" -C "$TROOT/untagged"
check_out 'built from the tarball, outside git, the version is its VERSION' \
    "0.1.0-g$head" pv "$TROOT/untagged/dipb-0.1.0-g$head"
git -C "$b" reset -q --hard

# The version is build/version.h's: a new tag (or commit, or edit)
# remakes the objects that say it (dipb --version, show, report,
# SARIF), and no other.
vobjs=$(cd "$b" && grep -l DIPB_VERSION src/*.c src/*/*.c |
    sed 's|^src/\(.*\)\.c$|build/rel/\1.o|')
git -C "$b" tag -a v9.9.0 -m v9.9.0
check "the objects that say the version build ($(echo $vobjs))" \
    mk CFLAGS=-O0 $vobjs build/rel/util.o
touch "$TROOT/built"
git -C "$b" commit -q --allow-empty -m next && git -C "$b" tag -a v9.9.1 -m v9.9.1
check 'and again after a new tag' mk CFLAGS=-O0 $vobjs build/rel/util.o
check_out 'it remade those, and only those' "$(printf '%s\n' $vobjs | sort)" \
    sh -c 'cd "$1" && find build/rel -name "*.o" -newer "$2" | sort' sh \
    "$b" "$TROOT/built"
check_eq 'each says the new version' '' "$(cd "$b" &&
    for o in $vobjs; do grep -q -a '9\.9\.1' "$o" || echo "$o"; done)"

# --- make dist: a release tarball ---------------------------------------------------
check 'make dist' make -s -C "$src" dist
version=$(sed -n 's|^build/dipb-\(.*\)\.tar\.gz$|\1|p' "$OUT")
tarball=$src/build/dipb-$version.tar.gz
check "it names the tarball of VERSION ($version)" test -f "$tarball"
check 'it writes its SHA-256 beside it, as sha256sum -c reads it' \
    sh -c 'cd "$1/build" && sha256sum -c --strict --quiet "$2.sha256"' sh \
    "$src" "dipb-$version.tar.gz"
sum=$(cut -d ' ' -f 1 "$tarball.sha256" 2>/dev/null)
cp "$tarball" "$TROOT/dipb-$version.tar.gz"
check 'make dist again' make -s -C "$src" dist
check_eq 'makes the same tarball, byte for byte (the same SHA-256)' \
    "$sum" "$(sha256sum "$tarball" | cut -d ' ' -f 1)"
check_out 'it holds dipb-VERSION/, nothing else at its top' "dipb-$version" \
    sh -c 'tar -tzf "$1" | cut -d / -f 1 | sort -u' sh "$tarball"
check_out 'every file of it is owned by 0:0' '' \
    sh -c 'tar -tvzf "$1" | awk "\$2 != \"0/0\""' sh "$tarball"
tarball=$TROOT/dipb-$version.tar.gz
mkdir "$TROOT/dist"
check 'the tarball unpacks' tar -xzf "$tarball" -C "$TROOT/dist"
tree=$TROOT/dist/dipb-$version
check_out 'the tarball carries VERSION' "$version" cat "$tree/VERSION"
check 'the tarball has no .git' test ! -e "$tree/.git"
check 'the tarball has every tracked file' sh -c '
    cd "$1" && git ls-files | while read -r f; do
	[ -e "$2/$f" ] || { echo "missing: $f"; exit 1; }; done' sh "$src" "$tree"
check_out 'its scripts stay executable' 100755 sh -c '
    stat -c %a "$1/examples/pre-commit" | sed "s/^/100/"' sh "$tree"

# --- the CI examples' install step, on that tarball ---------------------------------
# Run as the job runs it: the step of examples/github-actions.yml (the
# same in gitea-actions.yml: examples.sh) and the before_script of
# gitlab-ci.yml, with DIPB_URL a file:// URL of the tarball and
# DIPB_SHA256 its sum; install-deps finds the build set installed (it
# would install what is missing, as root or with sudo).  -O0 (CFLAGS, which
# the Makefile takes from the environment): the point is that it builds
# without git, the release flags are make check's own build.
if ! python3 -c 'import yaml' 2>/dev/null; then
	skip "the CI examples' install step builds the tarball" 'no python3-yaml'
	finish
	exit $?
fi
# The step fetches the tarball with curl (a file:// URL here: no network).
if ! command -v curl >/dev/null 2>&1; then
	skip "the CI examples' install step builds the tarball" \
	    'no curl (.ci/install-deps test installs it)'
	finish
	exit $?
fi
for f in github gitlab; do
	case $f in
	github) y=github-actions.yml ;;
	gitlab) y=gitlab-ci.yml ;;
	esac
	python3 "$src/tests/cli/ciextract.py" $f "$src/examples/$y" \
	    "$TROOT/ci/$f" >/dev/null 2>&1
done
# step FORGE SUM: runs FORGE's install step in a fresh home and project
# folder, the tarball checked against SUM.
step() {
	rm -rf "$TROOT/job" && mkdir -p "$TROOT/job/home" "$TROOT/job/project" &&
	    : >"$TROOT/job/path"
	case $1 in
	github) _s=$(grep -l '^Install dipb$' "$TROOT/ci/github/install/"*.name) ;;
	gitlab) _s=$(grep -l 'sha256sum' "$TROOT/ci/gitlab/install/"*.sh) ;;
	esac
	_s=${_s%.name}
	_s=${_s%.sh}.sh
	run env -i PATH="$PATH" HOME="$TROOT/job/home" CFLAGS=-O0 CI=true \
	    GITHUB_PATH="$TROOT/job/path" DIPB_VERSION="$version" \
	    DIPB_URL="file://$tarball" DIPB_SHA256="$2" \
	    sh -c 'cd "$1" && bash -e "$2"' sh "$TROOT/job/project" "$_s"
}
# The step fetches the tarball with curl, which the runners have (and
# the gitlab job installs before it).
if command -v curl >/dev/null 2>&1; then
	step github 0000000000000000000000000000000000000000000000000000000000000000
	check_eq 'github: a tarball that is not the pinned one fails the step' 1 "$RC"
	check_err 'at the checksum' 'computed checksum did NOT match'
	check 'before anything of it was unpacked' test ! -e \
	    "$TROOT/job/home/.dipb/dipb-$version"
	step github "$sum"
	check_eq 'github: the pinned tarball installs, with GITHUB_PATH naming it' \
	    "0 $TROOT/job/home/.dipb/bin" "$RC $(cat "$TROOT/job/path")"
	[ "$RC" -eq 0 ] || not_ok 'the step' "$(_said install step)"
	check_out 'dipb --version is the pinned version' "dipb $version" \
	    "$TROOT/job/home/.dipb/bin/dipb" --version
	check 'the man pages are installed with it' \
	    test -f "$TROOT/job/home/.dipb/share/man/man1/dipb-verify.1"
	# A later job: the cache (~/.dipb) restored, nothing fetched or built.
	rm -f "$TROOT/job/home/.dipb/dipb.tar.gz"
	touch "$TROOT/job/stamp"
	run env -i PATH="$PATH" HOME="$TROOT/job/home" CI=true \
	    GITHUB_PATH="$TROOT/job/path" DIPB_VERSION="$version" \
	    DIPB_URL="file:///nonexistent" DIPB_SHA256="$sum" \
	    bash -e "$(grep -l '^Install dipb$' "$TROOT/ci/github/install/"*.name | sed 's/name$/sh/')"
	check_eq 'github: with the cache restored, the step fetches nothing' 0 "$RC"
	check_out 'and builds nothing' '' find "$TROOT/job/home/.dipb" -newer \
	    "$TROOT/job/stamp" -type f
	step gitlab "$sum"
	check_eq 'gitlab: the pinned tarball installs in .dipb/ of the project' 0 "$RC"
	[ "$RC" -eq 0 ] || not_ok 'the before_script' "$(_said before_script)"
	check_out 'dipb --version is the pinned version' "dipb $version" \
	    "$TROOT/job/project/.dipb/bin/dipb" --version
else
	skip "the CI examples' install step fetches and builds the tarball" \
	    'no curl (apt-get install curl)'
fi
# A branch that commits .dipb/bin/dipb, a script that says it is the
# pinned version and exits 0: without a cache (a first job, another
# runner) it would be the job's dipb.  The step refuses it, building and
# running nothing of it.
rm -rf "$TROOT/job" && mkdir -p "$TROOT/job/project/.dipb/bin"
printf '#!/bin/sh
echo "dipb %s"
' "$version" \
    >"$TROOT/job/project/.dipb/bin/dipb"
chmod +x "$TROOT/job/project/.dipb/bin/dipb"
(cd "$TROOT/job/project" && git init -q && git add .dipb &&
    git -c user.name=M -c user.email=m@example.org commit -q -m own)
_s=$(grep -l 'sha256sum' "$TROOT/ci/gitlab/install/"*.sh)
run env -i PATH="$PATH" HOME="$TROOT/home" CI=true \
    DIPB_VERSION="$version" DIPB_URL="file://$tarball" DIPB_SHA256="$sum" \
    sh -c 'cd "$1" && bash -e "$2"' sh "$TROOT/job/project" "$_s"
check_eq 'gitlab: a .dipb the branch commits fails the before_script' 1 "$RC"
check_err 'naming it' 'dipb: .dipb is committed'

finish
