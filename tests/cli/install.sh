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

# make dist: the tarball builds with no git repository around it.
check 'make dist' make -s -C "$src" dist
tarball=$(ls -t "$src"/build/dipb-*.tar.gz 2>/dev/null | head -n 1)
check 'the tarball exists' test -f "$tarball"
mkdir "$TROOT/dist"
check 'the tarball unpacks' tar -xzf "$tarball" -C "$TROOT/dist"
tree=$(ls -d "$TROOT"/dist/dipb-* 2>/dev/null | head -n 1)
check 'the tarball carries VERSION' test -s "$tree/VERSION"
check 'the tarball has no .git' test ! -e "$tree/.git"
# -O0: the point is that it builds without git; the release flags are
# make check's own build.
check 'the tarball builds without git' env GIT_DIR=/nonexistent \
    PATH="$PATH" make -s -C "$tree" CFLAGS=-O0 dipb
check_out 'dipb --version is the tarball VERSION' \
    "dipb $(cat "$tree/VERSION" 2>/dev/null)" "$tree/dipb" --version

finish
