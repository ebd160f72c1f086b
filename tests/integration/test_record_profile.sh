#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# `sca record --profile FILE -- CMD`: the command runs under the given OCI
# JSON or SPO YAML profile instead of log-all; what that profile logs and
# kills is recorded; the kill shows in the exit status (128 + SIGSYS).
set -u
SCA=$1 SEED=$2 DATA=$3
. "$(dirname "$0")/lib.sh"
need_root

for prof in seed.json seed.yaml; do
	rc=0
	"$SCA" record -o "$tmp/p-$prof.trace" --profile "$DATA/profiles/$prof" -- \
		sh -c "mkdir $tmp/d-$prof && exec unshare -n true" 2>"$tmp/err" || rc=$?
	[ "$rc" -eq 159 ] || { cat "$tmp/err" >&2; fail "$prof: exit $rc, want 159 (SIGSYS)"; }
	got=$("$SCA" inspect --events "$tmp/p-$prof.trace" | awk '/^[0-9][0-9][0-9][0-9]-/ && $2 != "LOST" && $7 != "calls" { print $6, $7 }')
	want="mkdir log
unshare kill_thread"
	[ "$got" = "$want" ] || { printf 'got:\n%s\n' "$got" >&2; fail "$prof: events differ"; }
done

# A broken profile: one line naming the file, exit 1, no trace left.
echo '{"defaultAction": "SCMP_ACT_FOO"}' >"$tmp/bad.json"
rc=0
"$SCA" record -o "$tmp/b.trace" --profile "$tmp/bad.json" -- true 2>"$tmp/err" || rc=$?
[ "$rc" -eq 1 ] || fail "bad profile: exit $rc, want 1"
grep -q "bad.json" "$tmp/err" || { cat "$tmp/err" >&2; fail "bad profile: file not named"; }
[ ! -e "$tmp/b.trace" ] || fail "bad profile: a trace was left behind"
echo "PASS: --profile (JSON and YAML)"
