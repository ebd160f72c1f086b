#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Without CAP_AUDIT_READ: one line naming the privilege, exit 1, no trace.
set -u
SCA=$1
. "$(dirname "$0")/lib.sh"
need_root
command -v setpriv >/dev/null || skip "setpriv (util-linux) not installed"
chmod 777 "$tmp"
rc=0
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$SCA" record -o "$tmp/p.trace" --duration 1 >"$tmp/out" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 1 ] || fail "exit $rc, want 1"
[ "$(cat "$tmp/err")" = "sca record: reading kernel audit records needs root or CAP_AUDIT_READ" ] ||
	{ cat "$tmp/err" >&2; fail "wrong message"; }
[ ! -e "$tmp/p.trace" ] || fail "a trace was left behind"
echo "PASS: missing privilege reported"
