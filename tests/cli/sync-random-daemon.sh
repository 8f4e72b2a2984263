#!/bin/sh
# tests/cli/sync-random-daemon.sh - tests/cli/sync-random.sh with the
# remote served by git daemon on 127.0.0.1 (started and stopped there; a
# skip, never a pass, where git daemon is not installed).  A script of
# its own so that make check runs both transports side by side; the
# environment is sync-random.sh's (SYNC_CHANGES, SYNC_EVERY,
# RANDOM_SEED, SYNC_MIXED).
SYNC_TRANSPORTS=${SYNC_TRANSPORTS:-daemon}
. "$(dirname "$0")/sync-random.sh"
