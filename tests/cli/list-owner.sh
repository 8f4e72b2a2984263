#!/bin/sh
# tests/cli/list-owner.sh - dipb list --owner WHO takes a record whose
# action's owner is WHO (dipb-list(1), --owner: "the owner is WHO"), also
# when the owner is written 'Name <email>' and names no member; WHO
# 'Name <email>' stands for its address, as an owner so written does.
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
cat >"$TROOT/dan.yaml" <<'YAML'
summary: Summary.
rationale: Rationale.
actions:
  - text: Owned by a member, by address
    owner: dan@example.org
YAML
run dipb recommend --wg industrial-capacity --title Dans --no-edit \
    --from "$TROOT/dan.yaml"
check_eq 'setup: IC-0002 drafted' '0 IC-0002' "$RC $(cat "$OUT")"
snapshot

check_out '--owner TEXT, the owner as written' SCS-0001 \
    dipb list --owner 'Supply Chain Security working group' --format ids
check_out '--owner EMAIL of an owner written Name <email>' SCS-0001 \
    dipb list --owner otto@example.org --format ids
check_out "--owner 'Name <email>', the owner exactly as written" SCS-0001 \
    dipb list --owner 'Otto Outsider <otto@example.org>' --format ids
check_out "--owner 'Name <email>' of another name, the address decides" \
    SCS-0001 dipb list --owner 'Otto <otto@example.org>' --format ids
check_out "--owner 'Name <email>' of a member, their address decides" \
    IC-0002 dipb list --owner 'Dan Drafter <DAN@example.org>' --format ids
check_out '--owner NAME of a member owning by address' IC-0002 \
    dipb list --owner 'dan  drafter' --format ids
check_out '--owner of none' '' dipb list --owner rolf@example.org --format ids
check_unchanged 'list wrote nothing'

finish
