#!/bin/sh
# tests/cli/crash-random.sh - the second half of crash.sh's random kills:
# crash.sh with CRASH_PART=random, its own board and its own 100 kills at
# random moments of a loop of changes (KILLS, KILL_MS as in crash.sh).
# Two scripts, so that tests/cli/run.sh makes the 200 kills in two halves
# at once: each kill waits for a change to be under way, and one loop of
# 200 was the longest script of make check.
CRASH_PART=random
export CRASH_PART
exec sh "$(dirname "$0")/crash.sh"
