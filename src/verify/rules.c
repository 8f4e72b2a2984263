/*
 * rules.c - the rules of dipb-verify(1), by name, in the order it gives them.
 */
#include <string.h>

#include "internal.h"

const struct dipb_verify_rule dipb_verify_rules[] = {
	{ "tree-order", "a commit's tree lists its entries out of git's "
	    "order or names one twice (git fsck's treeNotSorted, "
	    "duplicateEntries): dipb reads no such tree" },
	{ "plain-commit", "a commit without dipb's trailers changes a record "
	    "or dipb.yaml" },
	{ "trailers", "the Dipb-Record, Dipb-Event or Dipb-Status trailers "
	    "are malformed, disagree with the history, or are in a commit "
	    "with an 'encoding' header other than UTF-8" },
	{ "subject", "a state change's subject is not the one dipb writes "
	    "for it: another outcome, verdict, level, action or date than "
	    "its record's (dipb-workflow(7))" },
	{ "foreign-path", "a state change touches a file other than its own "
	    "record (or dipb.yaml)" },
	{ "no-change", "a commit with dipb's trailers does not change the "
	    "file they name" },
	{ "record-deleted", "a state change deletes its record" },
	{ "record-invalid", "a state change leaves a record file that does "
	    "not load, or adds a control character to a field" },
	{ "record-id", "a record's id is not the one its file name and "
	    "trailers give" },
	{ "migration", "a migrated change does more or less than move every "
	    "record, byte for byte, to its place in the layout it sets and "
	    "change dipb.yaml's layout:, or another change sets layout:" },
	{ "record-path", "a record's file is not where the board's layout "
	    "keeps it: in the wrong shard, in the other layout's place, "
	    "anywhere else below recommendations/ or named by no id (a "
	    "dotfile too); or a folder there too deep to read" },
	{ "board-invalid", "a change of dipb.yaml leaves a file that does not "
	    "load, or writes a control character, which dipb never writes" },
	{ "chair", "a change of dipb.yaml leaves no chair, or with signing "
	    "required no chair with a key: nobody could change it again" },
	{ "meeting-invalid", "a meeting's change leaves a file that does not "
	    "load, breaks a meeting's rules, holds a control character, or "
	    "changes a meeting already recorded" },
	{ "transition", "the event is not a move the workflow allows from "
	    "the status the record's earlier events give" },
	{ "status", "the record's stored status is not the status its "
	    "events give" },
	{ "quorum", "endorsed without the quorum of endorsements, or the "
	    "quorum reached without being endorsed" },
	{ "role", "the commit's author did not hold the role the move needs "
	    "in dipb.yaml as of the parent commit" },
	{ "self-review", "a review of a recommendation by its author" },
	{ "author", "a record's author is not the member who drafted it, or "
	    "changed" },
	{ "review-changed", "the reviews changed other than by the acting "
	    "reviewer's own new review" },
	{ "fingerprint", "a new review's fingerprint is not that of the "
	    "content at its commit" },
	{ "content-changed", "the drafter's text changed in a change other "
	    "than drafted or edited" },
	{ "field-changed", "a state change changes a field its event may not "
	    "change (dipb-workflow(7), \"Fields\")" },
	{ "rescheduled", "an action-rescheduled change does not add one "
	    "entry to one open action's rescheduled list, from the due date "
	    "in force to a later one, of a decision in force" },
	{ "self-reschedule", "an action's due date moved by the action's "
	    "owner" },
	{ "date", "a date a state change sets is not the change's own date, "
	    "or an earlier date changed" },
	{ "tag-missing", "a state change has no tag <ID>/<N>-<event>" },
	{ "tag-moved", "the tag a state change should have points to "
	    "another commit" },
	{ "tag-lightweight", "a state change's tag is not annotated" },
	{ "tag-event", "a state change's tag names another event" },
	{ "tag-name", "a state change's tag object names another tag than "
	    "its reference: made for another name, put under this one" },
	{ "tag-number", "a state change's tag number is not the next of its "
	    "record (a gap, or a repeat)" },
	{ "tag-extra", "a tag on a commit of the branch that no state change "
	    "accounts for" },
	{ "tag-outside-branch", "a tag points to a commit that is not on the "
	    "branch (history rewritten), or to no commit" },
	{ "history-rewritten", "the --since commit is not on the branch" },
	{ "merge", "a merge commit brings a change of a record or dipb.yaml "
	    "from the branch it merges" },
	{ "classification-order", "a change of dipb.yaml reorders or removes "
	    "a classification level in use" },
	{ "classification-lowered", "a record's classification lowered other "
	    "than by the declassified event, or a declassified change that "
	    "does not lower it" },
	{ "review-classification", "a new review's classification is not the "
	    "record's at its commit" },
	{ "unsigned", "a state change's commit or tag is not signed, where the "
	    "board requires signing or the acting member has a key as of the "
	    "parent commit" },
	{ "bad-signature", "a state change's commit or tag carries a signature "
	    "that does not verify, or is not an SSH signature in namespace "
	    "git" },
	{ "wrong-key", "a valid signature by a key that is not the acting "
	    "member's as of the parent commit (board changes: not a chair's): "
	    "another member's, or any where a signature is due" },
	{ "key-removed", "a valid signature by a key the acting member once "
	    "had but not as of the parent commit (removed or rotated out)" },
	{ "identity", "the author, committer and tagger of a state change are "
	    "not the same member" },
	{ NULL, NULL }
};

/* The rules whose findings --since reports for the whole history. */
int
dipb_vfy_is_tag_rule(const char *rule)
{
	return strncmp(rule, "tag-", 4) == 0 ||
	    strcmp(rule, "history-rewritten") == 0;
}
