/*
 * Unit tests of board.c's signing parts: members' keys: (each checked by
 * sshkey.c, kept canonical, one key naming one member) and the board's
 * signing: against the keys (dipb-board(5), "Signing").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "board.h"
#include "error.h"
#include "helpers.h"

/* Made by ssh-keygen (OpenSSH 9.2); tests/unit/sshkey.c has the same. */
#define ED25519 "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFunMLSLwbDs+AHJSmuCIUr3AOGgr9VQ6nCRM7/pptfE"
#define P256 "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBN25DPE+c5cI2LT/AbvXUJhWZ7jXBYdnwry42z0i99FeSQi3XGBhuGiuDOA8tjZ4hj2WnMPvW9/gyLeLIp7YXrc="
#define P384 "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBKXzBa5MNssgt3sVjddMtwnWUJ/DDyNg4BmQ0YdtuFtCnM4mCaUeN3P0lXBZgMkz3ofAT5eLCQdI7Vp4C+Z7883u6PyeWk23N4PAoTVN9H6lOL7sHuDQtHjQx5evIqFQcg=="
#define P521 "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBADX6GkfPZpPhnIlQ7VbpsnwXkMmSrt+GHu/ppiH+VuG9a9cUurbK84LMFHPN/tty7B9JwdKIHebJGNgDDUuyiMotADYy83pUBXB83qiFtfEYyNGVMdfLVPUjRiXStPEbAIAUuvWuwZ5T8brGJnCIv79gcQiVr/CCWn5F3IqCmAYHL0wdA=="
#define RSA2048 "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC+xTCWWq0E8mnQesr49ElKenNQqIrNmOl2yri+ApK7sC2BUj4qrLZg4bpONuKM5mXd+ZXxyfXZwt8UvhjLOr9SsbLZvVj3a4SMtYxKt8mwbPgjWh78OhtFeTV3LeeMVMwIFALOFpktwvUOuGjgg1ACnfTODHcCN8OZpCVyIm3nqrGn74GsNySwa2HigwnTdXmJM4fVKxNlw7e6h35P1Y9d8XhduVmZsb9rU7SzppjxGBNYSLeZpX494bs6EPNGCsqmkucur54ctW43rvMNjdIEaDqJrfY5sParYQZNuygJb5pP7cMu9bpZFXUcMySqz2ALLaR7yLp12fymO1bNeivN"
#define RSA1024 "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDMBUtHp7kp771Y/XxueOCRr8lrnbDjfjUIR1JtsKncJFHz6z6LjK3UVgHMZZsdVVb1SJToBfeoWSWLBNhhYvkvFHK8rHZNgOKBdHOynRAFDCkb3amjJnIAvOGy4+cKDl6ZJnVhUakcn5ss5uGUSimmWuneVElOJbn8DNQFwvPHhQ=="

#define HEAD \
    "board: Key Board\n" \
    "submit_to: National Armaments Directors\n" \
    "working_groups:\n" \
    "  - key: industrial-capacity\n" \
    "    prefix: IC\n" \
    "    name: Industrial Capacity\n" \
    "classifications:\n" \
    "  - NATO UNCLASSIFIED\n" \
    "review:\n" \
    "  quorum: 1\n"

static struct dipb_diags diags;

static int
load(struct dipb_board *b, const char *buf)
{
	dipb_diags_init(&diags);
	dipb_board_init(b);
	return dipb_board_load(b, "dipb.yaml", buf, strlen(buf), &diags);
}

static void
done(struct dipb_board *b)
{
	dipb_board_release(b);
	dipb_diags_release(&diags);
}

static char *
emit(const struct dipb_board *b)
{
	struct dipb_buf out = DIPB_BUF_INIT;

	dipb_board_emit(b, &out);
	return dipb_buf_detach(&out);
}

static void
expect(const char *rule, unsigned line, unsigned col, const char *part)
{
	size_t i;

	for (i = 0; i < diags.n; i++)
		if (strcmp(diags.v[i].rule, rule) == 0 &&
		    diags.v[i].line == line && diags.v[i].col == col &&
		    (part == NULL || strstr(diags.v[i].msg, part) != NULL))
			return;
	test_print_diags(&diags);
	cr_assert_fail("no [%s] at %u:%u (%s)", rule, line, col,
	    part ? part : "any message");
}

/* Every type; the canonical form, comments dropped, loads back the same. */
static const char all_types[] = HEAD
    "signing: required\n"
    "members:\n"
    "  - name: Clara Chair\n"
    "    email: chair@example.org\n"
    "    roles: [chair]\n"
    "    keys:\n"
    "      - " ED25519 "\n"
    "      - " P256 "\n"
    "  - name: Rita Reviewer\n"
    "    email: rita@example.org\n"
    "    roles: [drafter, reviewer]\n"
    "    keys:\n"
    "      - " P384 "\n"
    "      - " P521 "\n"
    "      - " RSA2048 "\n";

Test(board_keys, each_type_round_trip)
{
	struct dipb_board b, b2;
	char *in, *out, *out2;

	/* Comments and blanks as a .pub file has them. */
	in = xstrdup(all_types);
	{
		struct dipb_buf t = DIPB_BUF_INIT;
		const char *p = in, *nl;

		while ((nl = strchr(p, '\n')) != NULL) {
			dipb_buf_put(&t, p, (size_t)(nl - p));
			if (strstr(p, "      - ") == p)
				dipb_buf_puts(&t, " clara@laptop");
			dipb_buf_putc(&t, '\n');
			p = nl + 1;
		}
		free(in);
		in = dipb_buf_detach(&t);
	}
	cr_assert_eq(load(&b, in), 0);
	cr_assert_eq(diags.n, 0);
	cr_assert_eq(b.members[0].keys.n, 2);
	cr_assert_eq(b.members[1].keys.n, 3);
	cr_assert_str_eq(b.members[0].keys.v[0], ED25519);
	cr_assert_str_eq(b.members[1].keys.v[2], RSA2048);
	cr_assert_eq(b.signing, DIPB_SIGNING_REQUIRED);
	out = emit(&b);
	cr_assert_str_eq(out, all_types);
	done(&b);
	cr_assert_eq(load(&b2, out), 0);
	out2 = emit(&b2);
	cr_assert_str_eq(out2, out);
	done(&b2);
	free(in);
	free(out);
	free(out2);
}

static const char some_keys[] = HEAD
    "members:\n"
    "  - name: Clara Chair\n"
    "    email: chair@example.org\n"
    "    roles: [chair]\n"
    "    keys:\n"
    "      - " ED25519 "\n"
    "  - name: Rita Reviewer\n"
    "    email: rita@example.org\n"
    "    roles: [drafter, reviewer]\n";

Test(board_keys, signing_computed)
{
	struct dipb_board b;
	char *out;

	/* No key: none, whatever the default. */
	cr_assert_eq(load(&b, HEAD "members:\n  - name: A\n    email: a@x.org\n"
	    "    roles: [chair]\n"), 0);
	cr_assert_eq(b.signing, DIPB_SIGNING_NONE);
	done(&b);

	/* Some keys: optional by default, emitted without signing:. */
	cr_assert_eq(load(&b, some_keys), 0);
	cr_assert_eq(b.signing, DIPB_SIGNING_OPTIONAL);
	cr_assert_eq(b.signing_declared, DIPB_SIGNING_NONE);
	out = emit(&b);
	cr_assert_str_eq(out, some_keys);
	free(out);
	done(&b);

	/* Some keys, optional said. */
	cr_assert_eq(load(&b, HEAD "signing: optional\n" "members:\n"
	    "  - name: A\n    email: a@x.org\n    roles: [chair]\n"
	    "    keys: [\"" ED25519 "\"]\n"
	    "  - name: B\n    email: b@x.org\n    roles: [reviewer]\n"), 0);
	cr_assert_eq(b.signing, DIPB_SIGNING_OPTIONAL);
	out = emit(&b);
	cr_assert_not_null(strstr(out, "\nsigning: optional\nmembers:\n"));
	free(out);
	done(&b);

	/* Some keys, required said: required, with a warning. */
	cr_assert_eq(load(&b, HEAD "signing: required\n" "members:\n"
	    "  - name: A\n    email: a@x.org\n    roles: [chair]\n"
	    "    keys: [\"" ED25519 "\"]\n"
	    "  - name: B\n    email: b@x.org\n    roles: [reviewer]\n"), 0);
	cr_assert_eq(b.signing, DIPB_SIGNING_REQUIRED);
	expect("signing", 11, 10, "1 of 2 members have no key");
	done(&b);

	/* Every member has a key: required, even unsaid. */
	cr_assert_eq(load(&b, HEAD "members:\n"
	    "  - name: A\n    email: a@x.org\n    roles: [chair]\n"
	    "    keys: [\"" ED25519 "\"]\n"), 0);
	cr_assert_eq(b.signing, DIPB_SIGNING_REQUIRED);
	out = emit(&b);
	cr_assert_null(strstr(out, "signing:"));
	free(out);
	done(&b);
}

Test(board_keys, signing_contradicted)
{
	struct dipb_board b;

	cr_assert_eq(load(&b, HEAD "signing: optional\n" "members:\n"
	    "  - name: A\n    email: a@x.org\n    roles: [chair]\n"
	    "    keys: [\"" ED25519 "\"]\n"), -1);
	expect("signing", 11, 10, "every member has a key");
	done(&b);

	cr_assert_eq(load(&b, HEAD "signing: required\n" "members:\n"
	    "  - name: A\n    email: a@x.org\n    roles: [chair]\n"), -1);
	expect("signing", 11, 10, "no member has a key");
	done(&b);

	cr_assert_eq(load(&b, HEAD "signing: always\n" "members:\n"
	    "  - name: A\n    email: a@x.org\n    roles: [chair]\n"), -1);
	expect("enum", 11, 10, NULL);
	done(&b);
}

Test(board_keys, bad_keys_at_their_place)
{
	struct dipb_board b;

	cr_assert_eq(load(&b, HEAD "members:\n"
	    "  - name: A\n    email: a@x.org\n    roles: [chair]\n"
	    "    keys:\n"
	    "      - " ED25519 "\n"
	    "      - ssh-dss AAAAB3NzaC1kc3MAAAABeA==\n"
	    "      - " RSA1024 "\n"
	    "      - ssh-ed25519 AAAA!\n"
	    "      - ssh-rsa " ED25519 "\n"
	    "      - ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIFunMLSLwbDs+AHJSmuCIUr3AOGgr9VQ6nCRM7/pptfE\n"
	    "      - [a]\n"
	    "  - name: B\n    email: b@x.org\n    roles: [reviewer]\n"
	    "    keys: " ED25519 "\n"), -1);
	expect("ssh-key", 17, 9, "unsupported key type 'ssh-dss'");
	expect("ssh-key", 18, 9, "ssh-rsa key of 1024 bits: at least 2048");
	expect("ssh-key", 19, 9, "not valid base64");
	expect("ssh-key", 20, 9, "not valid base64");
	expect("ssh-key", 21, 9, "says ssh-rsa but its key data is an ssh-ed25519 key");
	expect("type", 22, 9, "public-key lines");
	expect("type", 26, 11, "must be a list");
	cr_assert_eq(b.members[0].keys.n, 1);
	done(&b);
}

Test(board_keys, one_key_one_member)
{
	struct dipb_board b;

	cr_assert_eq(load(&b, HEAD "members:\n"
	    "  - name: A\n    email: a@x.org\n    roles: [chair]\n"
	    "    keys:\n"
	    "      - " ED25519 " a@laptop\n"
	    "      - " P256 "\n"
	    "  - name: B\n    email: b@x.org\n    roles: [reviewer]\n"
	    "    keys:\n"
	    "      - " ED25519 " b@laptop\n"
	    "      - " P384 "\n"
	    "      - " P384 "\n"), -1);
	expect("duplicate", 22, 9, "key SHA256:sCDAyJDkRQ2rOyhzquPi11u9gRwhvDYQHTru007N9bk "
	    "is already given to 'a@x.org': one key names one member");
	expect("duplicate", 24, 9, "duplicate key SHA256:htotLfcaUxTe3Kty/IehH3BmtxAPU+UBi0TRDE+t8N4 of 'b@x.org'");
	cr_assert_eq(diags.nerrors, 2);
	done(&b);
}
