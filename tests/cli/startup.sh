#!/bin/sh
# tests/cli/startup.sh - libgit2's start-up without the CA store (README,
# "libgit2's start-up"): when libgit2 is built on mbedTLS (Debian), its
# calls to the two certificate loaders must bind to dipb's own
# definitions, which load nothing; when it is built on OpenSSL (Ubuntu),
# its call of SSL_CTX_set_default_verify_paths must.  If a link flag or a
# symbol visibility change stopped dipb from exporting them, every
# process would parse the CA bundle again and only the benchmarks would
# notice.  The dynamic linker's own record of its bindings
# (LD_DEBUG=bindings, glibc) is the oracle.
. "$(dirname "$0")/lib.sh"

# What ldd says of a binary linked to no libgit2 (a script in front of
# dipb, a static build) tells nothing of how libgit2 is built.
ldd "$DIPB" >"$TROOT/ldd" 2>&1
if ! grep -q 'libgit2' "$TROOT/ldd"; then
	skip 'the CA loaders of libgit2' \
	    "ldd lists no libgit2 for $DIPB: $(head -n 1 "$TROOT/ldd")"
	finish
	exit
elif grep -q 'libmbedx509' "$TROOT/ldd"; then
	loaders='mbedtls_x509_crt_parse_file mbedtls_x509_crt_parse_path'
elif grep -q 'libssl' "$TROOT/ldd"; then
	loaders=SSL_CTX_set_default_verify_paths
else
	# libgit2 without TLS: it never calls the loaders.
	ok 'libgit2 is built on neither mbedTLS nor OpenSSL here: no loader to replace'
	finish
	exit
fi

LD_DEBUG=bindings "$DIPB" --version >/dev/null 2>"$TROOT/bindings"
for f in $loaders; do
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
