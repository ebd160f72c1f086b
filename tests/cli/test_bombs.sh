#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Inputs that cost far more than their size: traces whose chunks claim
# millions or billions of events, YAML alias bombs and deep nesting, endless
# import lines, a flood of damaged chunks. Each must cost time and memory in
# proportion to the file, and fail (or be skipped) with a short message.
#
# usage: test_bombs.sh PATH/TO/sca PATH/TO/tests/data
set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 PATH/TO/sca PATH/TO/tests/data" >&2
	exit 2
fi
SCA=$1
DATA=$2
HOSTILE="python3 $(cd "$(dirname "$0")" && pwd)/hostile.py"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
cd "$tmp" || exit 1
failed=0

fail() {
	failed=$((failed + 1))
	echo "FAIL: $*" >&2
}

# peak_kb CMD: run CMD (through sh -c) with its output in out and err; set
# rc to its exit code and kb to the peak RSS in KiB of the processes it ran.
peak_kb() {
	python3 - "$@" <<'EOF'
import resource, subprocess, sys
with open("out", "wb") as o, open("err", "wb") as e:
    rc = subprocess.run(["sh", "-c", sys.argv[1]], stdout=o, stderr=e).returncode
kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open("rc", "w").write("rc=%d kb=%d\n" % (rc, kb))
EOF
	. ./rc
}

# below KB LIMIT WHAT
below() {
	[ "$1" -lt "$2" ] || fail "$3: peak RSS $1 KiB, want below $2 KiB"
}

# ---- traces that claim more than a chunk holds -----------------------------

# 757 bytes for 20 M one-byte events: read, it took 980 MB
$HOSTILE events 20000000 ev.trace
peak_kb "'$SCA' inspect ev.trace"
below "$kb" 65536 "inspect of a 20 M-event chunk"
[ "$rc" -eq 1 ] || fail "inspect of a 20 M-event chunk: exit $rc, want 1"
grep -q "^events:       0$" out || { cat out >&2; fail "20 M-event chunk: events read"; }
grep -q "^damage:       undecodable chunk at offset 44, .* (announced 20000000 events, lost)" out ||
	{ cat out >&2; fail "20 M-event chunk: the claim is not shown"; }
peak_kb "'$SCA' analyze ev.trace --db ev.db"
below "$kb" 65536 "analyze of a 20 M-event chunk"
[ "$(stat -c %s ev.db)" -lt 4194304 ] || fail "analyze of a 20 M-event chunk: $(stat -c %s ev.db) byte database"

# one chunk claiming 4e9 events between two good ones: the good ones load
$HOSTILE claim 4000000000 claim.trace
peak_kb "'$SCA' inspect claim.trace"
below "$kb" 65536 "inspect of a 4e9-event claim"
[ "$rc" -eq 1 ] || fail "inspect of a 4e9-event claim: exit $rc, want 1"
grep -q "read error" err && { cat err >&2; fail "4e9-event claim: read error"; }
grep -q "^events:       6$" out || { cat out >&2; fail "4e9-event claim: the chunks around it are lost"; }
grep -q "announced 4000000000 events" out || { cat out >&2; fail "4e9-event claim: not reported"; }

# ---- a flood of damaged chunks: the first few, then one line -------------

$HOSTILE damaged 25 dmg.trace
"$SCA" inspect dmg.trace >out 2>err
[ "$(grep -c '^damage: ' out)" -eq 11 ] || { cat out >&2; fail "inspect: not 10 damage lines and a sum"; }
grep -q "^damage:       \.\.\. and 16 more damaged regions, 1440 bytes (sca inspect --damage lists all)$" out ||
	{ cat out >&2; fail "inspect: no sum of the damage left out"; }
"$SCA" inspect --damage dmg.trace >out 2>err
[ "$(grep -c '^damage: ' out)" -eq 26 ] || { cat out >&2; fail "inspect --damage: not every region"; }
"$SCA" analyze dmg.trace --format csv >out 2>err
[ "$(grep -c '^#   damage: ' err)" -eq 11 ] || { cat err >&2; fail "analyze: not 10 damage lines and a sum"; }
grep -q "^#   damage: \.\.\. and 15 more damaged regions, 1440 bytes (all are in the damage table)$" err ||
	{ cat err >&2; fail "analyze: no sum of the damage left out"; }
"$SCA" analyze dmg.trace --sql "SELECT count(*) FROM damage" --format csv >out 2>err
[ "$(tail -1 out | tr -d "\r")" = 26 ] || { cat out >&2; fail "analyze: the damage table lacks rows"; }
"$SCA" profile-gen dmg.trace -o gen.json >out 2>err
[ "$(grep -c 'dmg.trace: ' err)" -eq 11 ] || { cat err >&2; fail "profile-gen: not 10 damage lines and a sum"; }
grep -q "dmg.trace: \.\.\. and 16 more damaged regions, 1440 bytes" err ||
	{ cat err >&2; fail "profile-gen: no sum of the damage left out"; }

# ---- record --import: lines have a length ---------------------------------

# a line of NULs that never ends: read like cat, held nowhere
peak_kb "head -c 100M /dev/zero | '$SCA' record --import - -o zero.trace"
below "$kb" 32768 "import of 100 MB of NULs"
[ "$rc" -eq 0 ] || { cat err >&2; fail "import of 100 MB of NULs: exit $rc"; }
grep -q "^sca record: -:1: line longer than 65536 bytes, skipped$" err || { cat err >&2; fail "NULs: no message"; }
grep -q "1 lines, 0 seccomp records, 0 other lines skipped, 0 malformed, 1 too long$" err ||
	{ cat err >&2; fail "NULs: not counted"; }

# a 1 MB line between two records: skipped, the records around it kept
{
	sed -n 2p "$DATA/audit/audit.log"
	head -c 1000000 /dev/zero | tr '\0' x
	echo
	sed -n 3p "$DATA/audit/audit.log"
} >long.log
"$SCA" record --import long.log -o long.trace >out 2>err
[ "$(grep -c 'line longer than' err)" -eq 1 ] || { cat err >&2; fail "long line: not named once"; }
grep -q "long.log:2: line longer than 65536 bytes, skipped" err || { cat err >&2; fail "long line: wrong line"; }
grep -q "3 lines, 2 seccomp records, 0 other lines skipped, 0 malformed, 1 too long$" err ||
	{ cat err >&2; fail "long line: wrong counts"; }

# ---- profiles: aliases and nesting ----------------------------------------

$HOSTILE events 3 ok.trace
# a 1 MB scalar aliased 2000 times: 2 GB once expanded
$HOSTILE yaml-alias 1000000 2000 alias.yaml
peak_kb "'$SCA' profile-gen ok.trace --base alias.yaml -o alias.json"
below "$kb" 65536 "alias bomb through --base"
[ "$rc" -eq 1 ] || fail "alias bomb: exit $rc, want 1"
[ "$(grep -c 'alias.yaml' err)" -eq 1 ] || { cat err >&2; fail "alias bomb: not one line"; }
grep -q "^sca profile-gen: alias.yaml:[0-9]*: document too large with its aliases expanded" err ||
	{ cat err >&2; fail "alias bomb: no FILE:LINE: message"; }
# 200,000 levels of '[': it took minutes
$HOSTILE deep 200000 deep.yaml
peak_kb "timeout 60 '$SCA' profile-gen ok.trace --base deep.yaml -o deep.json"
[ "$rc" -eq 1 ] || fail "deep nesting: exit $rc, want 1"
grep -q "^sca profile-gen: deep.yaml:1: nested deeper than 64 levels$" err ||
	{ cat err >&2; fail "deep nesting: no FILE:LINE: message"; }
peak_kb "timeout 60 '$SCA' record --profile deep.yaml -o r.trace -- true"
[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] || fail "record --profile deep.yaml: exit $rc"
grep -q "deep.yaml:1: nested deeper than 64 levels" err || { cat err >&2; fail "record --profile: no message"; }

echo "test_bombs: $failed failed"
[ "$failed" -eq 0 ]
