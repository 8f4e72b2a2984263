/*
 * validate_rules.c - every rule dipb validate reports, in the order of
 * dipb-validate(1), RULES, with its one-line description: what the SARIF
 * report describes its rules with (sarif.h).  tests/cli/ci-formats.sh
 * checks that the man page lists exactly these, and that every rule of
 * the test corpus is one of them.
 */
#include <stddef.h>

#include "validate.h"

const struct dipb_rule dipb_validate_rules[] = {
	/* Reading a file */
	{ "io", "the file or folder cannot be read or does not exist, or the "
	    "file is not a regular file" },
	{ "symlink", "a record file or dipb.yaml is a symbolic link, which "
	    "dipb never reads through" },
	{ "file-size", "the file is larger than 1 MiB" },
	{ "encoding", "the file is not UTF-8 (an invalid sequence, a NUL "
	    "byte, UTF-16 or UTF-32), or holds a raw control character, a "
	    "carriage return alone, NEL, U+2028 or U+2029" },
	{ "yaml-syntax", "the file is not YAML" },
	{ "depth", "nesting deeper than 64 levels" },
	{ "anchor", "an anchor (&a), refused, never followed" },
	{ "alias", "an alias (*a), refused, never followed" },
	{ "tag", "an explicit tag such as !!python/object or !!str" },
	{ "merge-key", "a merge key (<<)" },
	{ "multi-document", "more than one document in the file" },
	{ "duplicate-key", "a key given twice in one mapping" },
	{ "empty", "an empty file, or a required value that is empty, "
	    "blanks only or null" },
	/* The record on its own */
	{ "required", "a required key is missing" },
	{ "type", "a value of the wrong type" },
	{ "enum", "a value not among those allowed (a status, priority, "
	    "verdict, state or outcome; a role or a member's working group)" },
	{ "unknown-key", "a key dipb does not know, which it drops when it "
	    "rewrites the file (warning)" },
	{ "input-key", "a draft holds a key that is not one of the drafter's "
	    "fields" },
	{ "date", "not a real calendar date of the form YYYY-MM-DD" },
	{ "due", "an open action of a decided record was due before the "
	    "decision (warning)" },
	{ "date-order", "'updated' is before 'created' (warning)" },
	{ "id", "an id, or a working group's prefix, not of the form dipb "
	    "takes" },
	{ "file-name", "the id is not the file's name without .yaml" },
	{ "markdown-size", "a Markdown field is larger than 64 KiB" },
	{ "fingerprint", "a review's fingerprint is not 8 lowercase "
	    "hexadecimal digits" },
	{ "self-review", "a review by the record's author" },
	{ "duplicate-review", "two reviews by one reviewer" },
	{ "status", "the status does not agree with the reviews: returned "
	    "without a review against, or endorsed without the quorum" },
	{ "submission", "'submission' is present but the status is not "
	    "submitted or decided, or missing where it is" },
	{ "decision", "'decision' is present but the status is not decided, "
	    "or missing where it is" },
	{ "withdrawal", "'withdrawal' is present but the status is not "
	    "withdrawn, or missing where it is" },
	{ "control-character", "a field holds a control character, which a "
	    "terminal would obey rather than show" },
	{ "bidi", "a field holds a bidirectional control (an embedding, "
	    "override, isolate or mark), which shows the text in another "
	    "order than written (warning)" },
	{ "canonical", "with --canonical: the file is not in the canonical "
	    "form (dipb fmt rewrites it)" },
	/* The record against its board */
	{ "working-group", "the working group is not one of dipb.yaml" },
	{ "id-prefix", "the id's prefix is not the prefix of its working "
	    "group" },
	{ "record-path", "the record's file is not where the board's layout "
	    "keeps it: in the other layout's place, or in the wrong shard" },
	{ "classification", "the record's classification, or a review's, is "
	    "not one of dipb.yaml" },
	{ "member", "the author, a reviewer or an action's owner given as an "
	    "email address is not a member of the board; an owner that gives "
	    "a member's name with another address, or several addresses" },
	{ "reviewer-role", "a reviewer does not hold the reviewer role" },
	/* Across files */
	{ "duplicate-id", "two files of one board hold the same id" },
	/* Meetings */
	{ "meeting-date", "a meeting's file is not named meetings/DATE.yaml "
	    "for its date" },
	{ "meeting-member", "an attendee or apology is not a member of the "
	    "board" },
	{ "meeting-attendance", "someone is listed twice, or both present "
	    "and apologising" },
	{ "meeting-agenda", "an agenda item is not a recommendation id, or is "
	    "listed twice" },
	/* dipb.yaml */
	{ "duplicate", "a working group's key or prefix, a classification, an "
	    "email address or a public key given twice in dipb.yaml" },
	{ "ssh-key", "a member's key is not a whole OpenSSH public-key line "
	    "of a type dipb takes" },
	{ "signing", "'signing' does not agree with the members' keys "
	    "(warning where members lack a key)" },
	{ "quorum", "the quorum is larger than the number of reviewers "
	    "(warning)" },
	{ "email", "a member's email address is not one" },
	{ "member-name", "a member's name has a '<' or a '>'; two members "
	    "share a name, or a member's name is another member's email "
	    "address, or has a space other than an ASCII blank (warning)" },
	{ "role", "a member without a role, or with working groups but not "
	    "the drafter role (warning)" },
	{ "chair", "no member holds the chair role, or, where signing is "
	    "required, no chair has a key: nobody could change dipb.yaml "
	    "again" },
	{ NULL, NULL }
};
