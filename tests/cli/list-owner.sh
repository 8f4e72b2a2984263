#!/bin/sh
# tests/cli/list-owner.sh - dipb list --owner WHO takes a record whose
# action's owner is WHO (dipb-list(1), --owner: "the owner is WHO"), also
# when the owner is written 'Name <email>' and names no member.
. "$(dirname "$0")/lib.sh"

new_board
as drafter
cat >"$TROOT/owned.yaml" <<'YAML'
summary: Summary.
rationale: Rationale.
actions:
  - text: Owned by someone outside the board
    owner: Otto Outsider <otto@example.org>
  - text: Owned by a working group
    owner: Supply Chain Security working group
YAML
run dipb recommend --wg supply-chain-security --title Owned --no-edit \
    --from "$TROOT/owned.yaml"
check_eq 'setup: SCS-0001 drafted' '0 SCS-0001' "$RC $(cat "$OUT")"
mkrec industrial-capacity 'Other' >/dev/null	# IC-0001, no actions
snapshot

check_out '--owner TEXT, the owner as written' SCS-0001 \
    dipb list --owner 'Supply Chain Security working group' --format ids
check_out '--owner EMAIL of an owner written Name <email>' SCS-0001 \
    dipb list --owner otto@example.org --format ids
check_out "--owner 'Name <email>', the owner exactly as written" SCS-0001 \
    dipb list --owner 'Otto Outsider <otto@example.org>' --format ids
check_out '--owner of none' '' dipb list --owner rolf@example.org --format ids
check_unchanged 'list wrote nothing'

finish
