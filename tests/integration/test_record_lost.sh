#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A burst that overflows a deliberately small receive buffer: the loss is
# counted, written to the trace and printed in the summary.
set -u
SCA=$1 LOGSPAM=$2
. "$(dirname "$0")/lib.sh"
need_root

start_recorder /dev/null "$tmp/rec.log" -o "$tmp/l.trace" --rcvbuf 4096
# The recorder keeps up with a burst even with a tiny buffer, so stop it
# for the burst: the kernel must then drop what does not fit.
kill -STOP "$rec_pid"
"$LOGSPAM" -n 20000 >/dev/null
kill -CONT "$rec_pid"
sleep 1.5
stop_recorder
[ "$rec_rc" -eq 0 ] || { cat "$tmp/rec.log" >&2; fail "record exited $rec_rc"; }
lost=$(sed -n 's/.* events, \([0-9]*\) lost.*/\1/p' "$tmp/rec.log")
[ -n "$lost" ] && [ "$lost" -gt 0 ] || { cat "$tmp/rec.log" >&2; fail "no loss reported"; }
grep -q "warning: the kernel dropped" "$tmp/rec.log" || fail "no loss warning"
"$SCA" inspect "$tmp/l.trace" >"$tmp/out" || fail "inspect failed"
tl=$(awk '/^lost events:/ { print $3 }' "$tmp/out")
[ "$tl" = "$lost" ] || fail "trace lost $tl, summary lost $lost"
echo "PASS: $lost lost records counted and kept"
