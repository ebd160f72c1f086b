#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The man pages agree with `sca help` (both ways) and render cleanly; and the
# checker itself notices a page that lost an option or gained one.
# usage: test_man.sh SCA MAN_SRC_DIR MAN_BUILD_DIR
set -u
SCA=$1
SRC=$2
OUT=$3
CHECK=$(dirname "$0")/check_man.py
PY=/usr/bin/python3

[ -x "$PY" ] || { echo "SKIP: $PY missing (scripts/deps.sh installs python3-yaml, which brings it)"; exit 77; }

ROOT=$(dirname "$SRC")
"$PY" "$CHECK" "$SCA" "$SRC" "$OUT" "$ROOT/README.md" "$ROOT"/docs/*.md ||
	{ echo "FAIL: man pages, examples and --help differ" >&2; exit 1; }

tmp=$(mktemp -d /tmp/sca-man-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# an option dropped from a page
cp "$SRC"/*.scd "$tmp/"
sed -i '/^\*--host\*$/d' "$tmp/sca-record.1.scd"
cmp -s "$SRC/sca-record.1.scd" "$tmp/sca-record.1.scd" && { echo "FAIL: mutation did not apply" >&2; exit 1; }
if "$PY" "$CHECK" "$SCA" "$tmp" "$OUT" >"$tmp/log" 2>&1; then
	echo "FAIL: the checker missed --host removed from sca-record.1" >&2; exit 1
fi
grep -q "'--host' is in sca help record but not" "$tmp/log" || { cat "$tmp/log" >&2; echo "FAIL: wrong complaint" >&2; exit 1; }

# an option the binary does not have
cp "$SRC/sca-record.1.scd" "$tmp/"
awk '/^# OPTIONS$/ { print; print ""; print "*--no-such-option*"; print "\tNothing."; next } { print }' \
	"$SRC/sca-record.1.scd" >"$tmp/sca-record.1.scd"
if "$PY" "$CHECK" "$SCA" "$tmp" "$OUT" >"$tmp/log" 2>&1; then
	echo "FAIL: the checker missed --no-such-option added to sca-record.1" >&2; exit 1
fi
grep -q "'--no-such-option' is in the page's OPTIONS but not" "$tmp/log" || { cat "$tmp/log" >&2; echo "FAIL: wrong complaint" >&2; exit 1; }

# an example using an option its command lacks
cp "$SRC"/*.scd "$tmp/"
printf '\n```\nsca profile-gen run.trace -n shop\n```\n' >>"$tmp/sca-profile-gen.1.scd"
if "$PY" "$CHECK" "$SCA" "$tmp" "$OUT" >"$tmp/log" 2>&1; then
	echo "FAIL: the checker missed an example with profile-gen -n" >&2; exit 1
fi
grep -q "sca profile-gen has no option '-n'" "$tmp/log" || { cat "$tmp/log" >&2; echo "FAIL: wrong complaint" >&2; exit 1; }

echo "PASS: man pages and examples match sca help; the checker catches a missing and an extra option and a wrong example"
