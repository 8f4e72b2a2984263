/*
 * fuzz_load.c - libFuzzer harness over what dipb does with a file it did
 * not write: dipb_record_load() and the rules of validate.c on any bytes,
 * every output format of the diagnostics, the canonical round trip of
 * what loads cleanly (emit, load again without error, emit the same
 * bytes: abort otherwise), the input-file mode of 'dipb recommend --from'
 * and dipb_board_load() with the board rules.
 *
 *	make fuzz [FUZZ_SECONDS=300]	(clang -fsanitize=fuzzer,address,undefined)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "diag.h"
#include "record.h"
#include "validate.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define PATH	"recommendations/IC-0001.yaml"

static const char board_yaml[] =
    "board: Fuzz Board\n"
    "submit_to: National Armaments Directors\n"
    "working_groups:\n"
    "  - key: industrial-capacity\n"
    "    prefix: IC\n"
    "    name: Industrial Capacity\n"
    "  - key: supply-chain-security\n"
    "    prefix: SCS\n"
    "    name: Supply Chain Security\n"
    "classifications:\n"
    "  - NATO UNCLASSIFIED\n"
    "  - NATO RESTRICTED\n"
    "review:\n"
    "  quorum: 2\n"
    "members:\n"
    "  - name: Dan Drafter\n"
    "    email: dan@example.org\n"
    "    roles: [drafter]\n"
    "  - name: Rita Reviewer\n"
    "    email: rita@example.org\n"
    "    roles: [reviewer]\n"
    "  - name: Rolf Reviewer\n"
    "    email: rolf@example.org\n"
    "    roles: [reviewer]\n";

static struct dipb_board board;
static FILE *devnull;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct dipb_diags d = DIPB_DIAGS_INIT;

	(void)argc;
	(void)argv;
	dipb_board_init(&board);
	if (dipb_board_load(&board, "dipb.yaml", board_yaml,
	    strlen(board_yaml), &d) != 0)
		abort();
	dipb_diags_release(&d);
	if ((devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	return 0;
}

static void
print_all(const struct dipb_diags *d)
{
	const char *files[] = { PATH };

	dipb_diags_print(devnull, d, DIPB_DIAG_GCC);
	dipb_diags_print(devnull, d, DIPB_DIAG_JSON);
	dipb_diags_print(devnull, d, DIPB_DIAG_GITHUB);
	dipb_diags_print_junit(devnull, d, files, 1, 1);
}

/* What loads without error is written canonically, and stays so. */
static void
round_trip(const struct dipb_record *r)
{
	struct dipb_diags d = DIPB_DIAGS_INIT;
	struct dipb_buf a = DIPB_BUF_INIT, b = DIPB_BUF_INIT;
	struct dipb_record again;
	unsigned line;

	dipb_record_emit(r, &a);
	dipb_record_init(&again);
	if (dipb_record_load(&again, PATH, a.ptr, a.len, 0, &d) != 0 ||
	    d.nwarnings > 0) {
		dipb_diags_print(stderr, &d, DIPB_DIAG_GCC);
		fprintf(stderr, "emitted:\n%s", dipb_buf_cstr(&a));
		abort();
	}
	dipb_record_emit(&again, &b);
	if (!dipb_validate_canonical(a.ptr, a.len, b.ptr, b.len, &line)) {
		fprintf(stderr, "not stable at line %u:\n%s---\n%s", line,
		    dipb_buf_cstr(&a), dipb_buf_cstr(&b));
		abort();
	}
	dipb_record_release(&again);
	dipb_buf_release(&b);
	dipb_buf_release(&a);
	dipb_diags_release(&d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct dipb_diags d = DIPB_DIAGS_INIT;
	struct dipb_record r;
	struct dipb_board b;
	int rc;

	dipb_record_init(&r);
	rc = dipb_record_load(&r, PATH, buf, size, 0, &d);
	dipb_validate_record(&d, PATH, &r, &board, DIPB_VALIDATE_ALL);
	dipb_validate_record(&d, NULL, &r, NULL, DIPB_VALIDATE_STABLE);
	dipb_diags_sort(&d);
	print_all(&d);
	if (rc == 0)
		round_trip(&r);
	dipb_record_release(&r);
	dipb_diags_release(&d);

	dipb_record_init(&r);
	dipb_record_load(&r, "input.yaml", buf, size, DIPB_LOAD_INPUT, &d);
	dipb_record_release(&r);
	dipb_diags_release(&d);

	dipb_board_init(&b);
	if (dipb_board_load(&b, "dipb.yaml", buf, size, &d) == 0)
		dipb_validate_board(&d, "dipb.yaml", &b);
	dipb_board_release(&b);
	dipb_diags_release(&d);
	return 0;
}
