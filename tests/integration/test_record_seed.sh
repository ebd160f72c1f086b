#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The seed scenario recorded system-wide: exactly mkdir/log and
# unshare/kill_thread for the seed's pid, in that order; live and in a trace.
set -u
SCA=$1 SEED=$2
. "$(dirname "$0")/lib.sh"
need_root

start_recorder /dev/null "$tmp/rec.log" -o "$tmp/t.trace"
pid=$("$SEED" "$tmp/newdir" || true)
[ -n "$pid" ] || fail "seed printed no pid"
[ -d "$tmp/newdir" ] || fail "seed did not run its mkdir"
settle
stop_recorder
[ "$rec_rc" -eq 0 ] || { cat "$tmp/rec.log" >&2; fail "sca record exited $rec_rc"; }
grep -q "events, 0 lost, .* bytes/event) written to" "$tmp/rec.log" ||
	{ cat "$tmp/rec.log" >&2; fail "no summary on stderr"; }

got=$(events_of "$tmp/t.trace" "$pid")
want="mkdir log
unshare kill_thread"
[ "$got" = "$want" ] || fail "trace: events of seed pid $pid: got [$got], want [$want]"

# The live view, filtered to the seed's command name.
start_recorder "$tmp/live.txt" "$tmp/rec2.log" --comm seed --columns pid,comm,syscall,code
pid2=$("$SEED" "$tmp/newdir2" || true)
settle
stop_recorder
[ "$rec_rc" -eq 0 ] || fail "live sca record exited $rec_rc"
head -1 "$tmp/live.txt" | grep -q "PID COMM .*SYSCALL .*CODE" || fail "live view: no header"
got=$(awk -v p="$pid2" '$1 == p { print $3, $4 }' "$tmp/live.txt")
[ "$got" = "$want" ] || fail "live: events of seed pid $pid2: got [$got], want [$want]"

# JSON lines, filtered to the kill.
start_recorder "$tmp/live.json" "$tmp/rec3.log" --json --code kill_thread
pid3=$("$SEED" "$tmp/newdir3" || true)
settle
stop_recorder
grep -q "\"pid\":$pid3,.*\"syscall\":\"unshare\",\"nr\":272,\"code\":\"kill_thread\"" "$tmp/live.json" ||
	{ cat "$tmp/live.json" >&2; fail "json: no unshare kill_thread line for $pid3"; }
grep -q "\"pid\":$pid3,.*\"mkdir\"" "$tmp/live.json" && fail "json: --code kill_thread kept mkdir"
# -o with --print does both; --pid and --syscall keep what they name. The
# seed's pid is known before it starts: a subshell that waits until sca
# records, then execs it.
rm -f "$tmp/rec4.log"
(while ! grep -q recording "$tmp/rec4.log" 2>/dev/null; do sleep 0.05; done
 exec "$SEED" "$tmp/newdir4" >/dev/null) &
pid4=$!
bg_pids="$bg_pids $pid4"    # if sca never starts, the waiting subshell dies with the test
"$SEED" "$tmp/newdir5" >/dev/null &    # another seed: not --pid, must not show
start_recorder "$tmp/both.txt" "$tmp/rec4.log" -o "$tmp/both.trace" --print --pid "$pid4" --syscall unshare
wait "$pid4" 2>/dev/null
settle
stop_recorder
got=$(awk 'NR > 1 { print $1, $3, $4 }' "$tmp/both.txt")
[ "$got" = "$pid4 unshare kill_thread" ] || { cat "$tmp/both.txt" >&2; fail "--print --pid --syscall live: [$got]"; }
got=$("$SCA" inspect --events "$tmp/both.trace" | awk '/^[0-9][0-9][0-9][0-9]-/ && $2 != "LOST" { print $2, $6, $7 }')
[ "$got" = "$pid4 unshare kill_thread" ] || fail "--pid --syscall trace: [$got]"
echo "PASS: seed scenario (pid $pid, $pid2, $pid3, $pid4)"
