#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Hostile strings in traces: a comm that retitles and clears the terminal,
# an exe with a newline, bytes that are no UTF-8, spreadsheet formulas,
# container names with ESC, "../" and 250 bytes, a host with ESC. What a
# terminal shows (analyze's table and header, inspect, the live view,
# profile-gen's messages) holds no control character and no fake row; JSON
# parses and keeps the value; CSV cells are no formulas but numbers stay
# numbers; --per-container file names and SPO names are safe, and one
# container's failure does not stop the others.
#
# usage: test_strings.sh PATH/TO/sca PATH/TO/synth_trace
set -u
SCA=$1 SYNTH=$2
command -v python3 >/dev/null || { echo "SKIP: python3 is needed to check the output"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
failed=0 checks=0
fail() { failed=$((failed + 1)); printf "FAIL: %s\n" "$*" >&2; }

# hex STRING: what audit logs for an untrusted string with odd bytes
hex() { printf '%b' "$1" | od -An -v -tx1 | tr -d ' \n'; }

# inert FILE WHAT: FILE is UTF-8 with no control character but LF, and no
# character that steers a terminal (C1, Bidi_Control, U+2028/9)
inert() {
	checks=$((checks + 1))
	python3 - "$1" <<'EOF' || { sed 's/^/  | /' "$1" | od -c | head -20 >&2; fail "$2: control characters reach the terminal"; }
import sys
try:
    t = open(sys.argv[1], "rb").read().decode("utf-8")
except UnicodeDecodeError as e:
    print(e, file=sys.stderr)
    sys.exit(1)
steer = {0x061c, 0x200e, 0x200f} | set(range(0x2028, 0x202f)) | set(range(0x2066, 0x206a))
bad = [c for c in t if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f or ord(c) in steer]
sys.exit(1 if bad else 0)
EOF
}

# has FILE TEXT WHAT: FILE holds TEXT (fixed string)
has() {
	checks=$((checks + 1))
	grep -qF -- "$2" "$1" || { sed 's/^/  | /' "$1" >&2; fail "$3: lacks '$2'"; }
}

# The hostile process: ESC ] 0 ; PWNED BEL ESC [ 2 J as comm; an exe with a
# newline, bytes that are no UTF-8, CSI as a C1 character and a
# right-to-left override.
COMM='\033]0;PWNED\007\033[2J'
EXE='/bin/a\nFAKE ROW \377\303 \302\233 \342\200\256gpj.exe'
line() { # line SERIAL COMM EXE
	echo "type=SECCOMP msg=audit(1700000000.$1:$1): auid=1000 uid=1000 gid=1000 ses=3 subj=unconfined pid=42$1 comm=$2 exe=$3 sig=0 arch=c000003e syscall=83 compat=0 ip=0x7f1234567890 code=0x7ffc0000"
}
{
	line 101 "$(hex "$COMM")" "$(hex "$EXE")"
	# formulas a spreadsheet would run
	line 102 "$(hex "=HYPERLINK(1)")" '"/bin/x"'
	line 103 "$(hex "+1+2")" '"/bin/x"'
	line 104 "$(hex "-2+3")" '"/bin/x"'
	line 105 "$(hex "@SUM(1)")" '"/bin/x"'
	line 106 "$(hex "\t=1")" '"/bin/x"'
	line 107 "$(hex "\r=1")" '"/bin/x"'
} >h.log
"$SCA" record --import h.log -o h.trace 2>rec.err || { cat rec.err >&2; fail "record --import: exit $?"; }

# ---- what a terminal shows -------------------------------------------------

"$SCA" analyze h.trace --by comm,exe >an.out 2>an.err || fail "analyze: exit $?"
inert an.out "analyze --by comm,exe"
inert an.err "analyze's stderr"
has an.out '\x1b]0;PWNED\x07\x1b[2J' "analyze: comm escaped"
has an.out '/bin/a\nFAKE ROW \xff\xc3 \u009b \u202egpj.exe' "analyze: exe escaped"
checks=$((checks + 1))
[ "$(grep -c '^\\x1b' an.out)" = 1 ] && ! grep -q '^FAKE ROW' an.out || fail "analyze: the exe's newline made a row"
# widths are the escaped form's: the count column lines up under its title
checks=$((checks + 1))
awk 'NR == 3 { i = index($0, "count") + 4 } NR > 3 && substr($0, i, 1) !~ /[0-9]/ { bad = 1 } END { exit bad }' an.out ||
	{ cat an.out >&2; fail "analyze: columns do not line up"; }
COLUMNS=40 "$SCA" analyze h.trace --by comm,exe >narrow.out 2>/dev/null || fail "analyze (narrow): exit $?"
inert narrow.out "analyze, cut to 40 columns"
"$SCA" analyze h.trace --events --columns comm,exe,syscall >ev.out 2>/dev/null || fail "analyze --events: exit $?"
inert ev.out "analyze --events"
"$SCA" analyze h.trace --sql "SELECT comm AS \"$(printf '\033[2J')\" FROM ev" >sql.out 2>/dev/null || fail "analyze --sql: exit $?"
inert sql.out "analyze --sql with a column named ESC[2J"

"$SCA" inspect --events h.trace >in.out 2>in.err || fail "inspect: exit $?"
inert in.out "inspect --events"
has in.out '\x1b]0;PWNED\x07\x1b[2J' "inspect: comm escaped"

# the live view, as text and as JSON lines
"$SCA" record --import h.log --columns pid,comm,exe,syscall >live.out 2>live.err || fail "record (live): exit $?"
inert live.out "record's live view"
inert live.err "record's stderr"
has live.out '/bin/a\nFAKE ROW \xff\xc3 \u009b \u202egpj.exe' "live view: exe escaped"
checks=$((checks + 1))
[ "$(wc -l <live.out)" -eq 8 ] || { cat live.out >&2; fail "live view: $(wc -l <live.out) lines for 7 events"; }
"$SCA" record --import h.log --json >live.json 2>/dev/null || fail "record --json: exit $?"
checks=$((checks + 1))
python3 -c '
import json, sys
ev = [json.loads(l) for l in open("live.json")]
assert len(ev) == 7, len(ev)
assert ev[0]["comm"] == "\x1b]0;PWNED\x07\x1b[2J", ev[0]["comm"]
# bytes that are no UTF-8 read as Latin-1 (\u00XX); characters as they are
assert ev[0]["exe"] == "/bin/a\nFAKE ROW \u00ff\u00c3 \u009b \u202egpj.exe", ascii(ev[0]["exe"])
' || fail "record --json: not JSON, or the values changed"
inert live.json "record --json"

# ---- JSON and CSV -----------------------------------------------------------

"$SCA" analyze h.trace --by comm,exe --format json >an.json 2>/dev/null || fail "analyze --format json: exit $?"
checks=$((checks + 1))
python3 -c '
import json, sys
d = json.load(sys.stdin)
rows = {r["comm"]: r for r in d["rows"]}
assert rows["\x1b]0;PWNED\x07\x1b[2J"]["exe"] == "/bin/a\nFAKE ROW \u00ff\u00c3 \u009b \u202egpj.exe"
assert rows["=HYPERLINK(1)"]["count"] == 1
' <an.json || fail "analyze --format json: not JSON, or the values changed"
inert an.json "analyze --format json"

"$SCA" analyze h.trace --by comm --format csv >an.csv 2>/dev/null || fail "analyze --format csv: exit $?"
checks=$((checks + 1))
python3 -c '
import csv, sys
rows = list(csv.reader(open("an.csv", newline="")))
assert rows[0][:2] == ["comm", "count"], rows[0]
cells = {r[0] for r in rows[1:]}
for f in ("=HYPERLINK(1)", "+1+2", "-2+3", "@SUM(1)", "\t=1", "\r=1"):
    assert f not in cells, ascii(f) + " is a formula"
    assert "\x27" + f in cells, ascii(f) + " missing"
assert all(r[1].isdigit() for r in rows[1:]), "counts are no longer numbers"
' || { cat -A an.csv >&2; fail "analyze --format csv: a formula passed through"; }
# numbers stay numbers, even negative ones; text that looks like one does not
"$SCA" analyze h.trace --sql "SELECT -1 AS ret, -2.5 AS f, '-1' AS t LIMIT 1" --format csv >neg.csv 2>/dev/null ||
	fail "--sql --format csv: exit $?"
checks=$((checks + 1))
[ "$(sed -n 2p neg.csv | tr -d '\r')" = "-1,-2.5,\"'-1\"" ] || { cat neg.csv >&2; fail "csv: numbers or text cells wrong"; }

# ---- one profile per container ---------------------------------------------

long=$(printf 'L%.0s' $(seq 250))
"$SYNTH" -n 2000 -s 42 -H "$(printf 'evil\033[2J\nhost')" -C "$(printf '\033]0;PWNED\007\033[2J\nx')" -o c1.trace
"$SYNTH" -n 2000 -s 42 -C "$long" -o c2.trace
"$SYNTH" -n 2000 -s 42 -C "$(printf '%s' '../../../tmp/pwned')" -o c3.trace
"$SYNTH" -n 2000 -s 42 -C "$(printf '%sM' "$long")" -o c4.trace

"$SCA" analyze c1.trace --by host,container >c1.out 2>&1 || fail "analyze c1: exit $?"
inert c1.out "analyze: hostile host and container"
has c1.out '# trace c1.trace: host evil\x1b[2J\nhost,' "analyze: the host escaped in the header"
"$SCA" inspect c1.trace >c1.in 2>&1 || fail "inspect c1: exit $?"
inert c1.in "inspect: hostile host"
has c1.in 'host:         evil\x1b[2J\nhost' "inspect: the host escaped"

for fmt in oci spo; do
	rm -rf pc
	rc=0
	"$SCA" profile-gen c1.trace c2.trace c3.trace c4.trace --per-container pc --format $fmt >/dev/null 2>pc.err || rc=$?
	checks=$((checks + 1))
	[ "$rc" = 0 ] || { cat pc.err >&2; fail "--per-container $fmt: exit $rc"; }
	inert pc.err "--per-container $fmt: messages"
	checks=$((checks + 1))
	n=$(ls pc | wc -l)
	[ "$n" = 7 ] || { ls pc >&2; fail "--per-container $fmt: $n files, want 7 (api, redis, host and four hostile names)"; }
	checks=$((checks + 1))
	bad=$(ls -A pc | grep -v '^[A-Za-z0-9_][A-Za-z0-9._-]*\.\(json\|yaml\)$')
	[ -z "$bad" ] || fail "--per-container $fmt: unsafe file names: $bad"
	checks=$((checks + 1))
	long_files=$(ls pc | awk 'length($0) > 110')
	[ -z "$long_files" ] || fail "--per-container $fmt: file names too long: $long_files"
	checks=$((checks + 1))
	[ "$(ls pc | grep -c '^LLLL')" = 2 ] || { ls pc >&2; fail "--per-container $fmt: two long names became one file"; }
	has pc.err '(container \x1b]0;PWNED\x07\x1b[2J\nx' "--per-container $fmt: the container named, escaped"
done
# SPO names: DNS-1123 labels, all different
checks=$((checks + 1))
sed -n 's/^  name: "\(.*\)"$/\1/p' pc/*.yaml >names.txt
[ "$(wc -l <names.txt)" = 7 ] && [ "$(sort -u names.txt | wc -l)" = 7 ] &&
	! grep -qv '^[a-z0-9]\([-a-z0-9]\{0,61\}[a-z0-9]\)\{0,1\}$' names.txt ||
	{ cat names.txt >&2; fail "--per-container spo: metadata.name not DNS-1123 labels, or not distinct"; }
has names.txt "tmp-pwned-" "spo: ../../../tmp/pwned made a name"
# --name is made a name too
"$SCA" profile-gen c1.trace --format spo --name '../../../tmp/pwned' >n.yaml 2>/dev/null || fail "--name ../: exit $?"
checks=$((checks + 1))
grep -q '^  name: "tmp-pwned-[0-9a-f]\{8\}"$' n.yaml || { head -5 n.yaml >&2; fail "--name ../../../tmp/pwned not made a name"; }
"$SCA" profile-gen c1.trace --format spo --name 'web.v2' >n.yaml 2>/dev/null || fail "--name web.v2: exit $?"
checks=$((checks + 1))
grep -q '^  name: "web.v2"$' n.yaml || { head -5 n.yaml >&2; fail "--name web.v2 (a valid name) changed"; }

# One container's failure: the others are written, it is said, exit 1.
rm -rf pf
mkdir -p pf/api.json
rc=0
"$SCA" profile-gen c3.trace --per-container pf >/dev/null 2>pf.err || rc=$?
checks=$((checks + 1))
[ "$rc" = 1 ] || { cat pf.err >&2; fail "a failed container: exit $rc, want 1"; }
checks=$((checks + 1))
[ -f pf/host.json ] && [ -f pf/redis.json ] && [ -f pf/_._.._.._tmp_pwned.json ] ||
	{ ls pf >&2; fail "a failed container stopped the others"; }
has pf.err "sca profile-gen: container api: " "a failed container said"
has pf.err "1 of 4 profiles not written" "the failures counted"
inert pf.err "a failed container: messages"

if [ "$failed" -ne 0 ]; then
	echo "test_strings: $failed of $checks checks FAILED" >&2
	exit 1
fi
echo "test_strings: all $checks checks passed"
