#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A recorder killed with SIGKILL leaves a trace readable up to its last
# flush (at most a second old), with the truncation reported.
set -u
SCA=$1 LOGSPAM=$2
. "$(dirname "$0")/lib.sh"
need_root

start_recorder /dev/null "$tmp/rec.log" -o "$tmp/k.trace"
"$LOGSPAM" -n 20000 >/dev/null
sleep 2.2     # at least two flushes
"$LOGSPAM" -n 20000 >/dev/null
kill -9 "$rec_pid"
wait "$rec_pid" 2>/dev/null
rc=0
"$SCA" inspect "$tmp/k.trace" >"$tmp/out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat "$tmp/out" >&2; fail "inspect of a killed recorder's trace: exit $rc, want 1 (damage)"; }
grep -Eq "damage: +(no footer|truncated)" "$tmp/out" || { cat "$tmp/out" >&2; fail "no truncation report"; }
n=$(awk '/^events:/ { print $2 }' "$tmp/out")
[ "$n" -ge 20000 ] || { cat "$tmp/out" >&2; fail "only $n events survived, want >= 20000"; }
echo "PASS: SIGKILL left $n events readable"
