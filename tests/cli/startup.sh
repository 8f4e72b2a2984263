#!/bin/sh
# tests/cli/startup.sh - libgit2's start-up without the CA store (README,
# "libgit2's start-up"): when libgit2 is built on mbedTLS, its calls to the
# two certificate loaders must bind to dipb's own definitions, which load
# nothing.  If a link flag or a symbol visibility change stopped dipb from
# exporting them, every change would parse 144 certificates again and
# only the benchmarks would notice.  The dynamic linker's own record of
# its bindings (LD_DEBUG=bindings, glibc) is the oracle.
. "$(dirname "$0")/lib.sh"

if ! ldd "$DIPB" 2>/dev/null | grep -q 'libmbedx509'; then
	# libgit2 on OpenSSL, or without TLS: it never calls the loaders.
	ok 'libgit2 is not built on mbedTLS here: no loader to replace'
	finish
	exit
fi

LD_DEBUG=bindings "$DIPB" --version >/dev/null 2>"$TROOT/bindings"
for f in mbedtls_x509_crt_parse_file mbedtls_x509_crt_parse_path; do
	if grep "libgit2[^ ]* \[[0-9]*\] to $DIPB \[[0-9]*\]: normal symbol \`$f'" \
	    "$TROOT/bindings" >/dev/null; then
		ok "libgit2's $f binds to dipb's, which loads nothing"
	else
		not_ok "libgit2's $f binds to dipb's, which loads nothing" \
		    "$(grep "$f" "$TROOT/bindings" | head -n 3)"
	fi
done

# And libgit2 still starts and works with an empty store.
new_board startup
as drafter
run dipb recommend --wg industrial-capacity --title 'After start-up' \
    --summary S --no-edit
check_eq 'a change is made with the store empty' 0 "$RC"
check_eq 'and is whole' '' "$(git status --porcelain)"
finish
