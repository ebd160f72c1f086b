#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# An i386 syscall made with int $0x80 is recorded with the compat arch and
# named for that arch: 39 is mkdir there, not getpid.
set -u
SCA=$1 COMPAT=$2
. "$(dirname "$0")/lib.sh"
need_root
start_recorder /dev/null "$tmp/rec.log" -o "$tmp/c.trace"
pid=$("$COMPAT" "$tmp/d" || true)
[ -n "$pid" ] || fail "compat printed no pid"
settle
stop_recorder
got=$("$SCA" inspect --events "$tmp/c.trace" | awk -v p="$pid" '/^[0-9][0-9][0-9][0-9]-/ && $2 == p && $7 != "calls" { print $5, $6, $7 }')
want="i386 mkdir log
x86_64 unshare log"
[ "$got" = "$want" ] || { printf 'got:\n%s\n' "$got" >&2; fail "compat events differ"; }
n=$("$SCA" analyze "$tmp/c.trace" --sql "SELECT count(*) FROM ev WHERE arch = 'i386' AND nr = 39 AND syscall = 'mkdir' AND compat = 1" --format csv 2>/dev/null | tail -1 | tr -d '\r')
[ "$n" = 1 ] || fail "analyze: i386 39 is not mkdir with compat set ($n)"
echo "PASS: i386 int 0x80 mkdir recorded as i386 mkdir"
