#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The progress line of long work: `analyze` loading traces, `profile-gen`
# reading them, `record --import` reading a log. With stderr on a terminal
# (a pseudo-terminal: util-linux script) it is drawn, with the share of the
# input read, moving, and erased: the terminal ends up showing what a file
# gets, line for line (an error line in the middle too), with a trace's
# name that steers a terminal escaped. With stderr to a file, or only
# stdout on a terminal, nothing of it is written.
# SCA_PROGRESS_INTERVAL_MS=0 (common/progress.h) redraws every 1024
# records, so the redraws need no timing.
#
# usage: test_progress.sh PATH/TO/sca PATH/TO/synth_trace DATA_DIR
# shellcheck disable=SC2016 # on_tty's commands expand in script's shell
set -u
SCA=$1 SYNTH=$2 DATA=$3
HERE=$(cd "$(dirname "$0")" && pwd)
command -v script >/dev/null || { echo "SKIP: util-linux script is needed for a pseudo-terminal"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 is needed to read the terminal"; exit 77; }
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
failed=0 checks=0
fail() { failed=$((failed + 1)); printf "FAIL: %s\n" "$*" >&2; }
# script runs its command with $SHELL -c
SHELL=/bin/sh
export SCA SHELL
ESC=$(printf '\033')

# Three chunks of events (the share read moves between them); a trace of
# the syscall source's calls named to retitle a terminal.
"$SYNTH" -n 150000 -s 42 -o a.trace >/dev/null || fail "synth_trace"
EVIL=$(printf 'c\033]2;PWNED\007.trace')
export EVIL
"$SYNTH" -n 60000 -s 7 -c -o "$EVIL" >/dev/null || fail "synth_trace -c"
# A log of 9000 seccomp records (some of another host) with one malformed
# line in the middle, which fails the import (exit 1) once all is read.
awk -v src="$DATA/audit/audit.log" 'BEGIN {
	while ((getline l < src) > 0)
		if (l ~ /type=SECCOMP/) {
			if (l ~ /code=/) ok[n++] = l; else bad = l
		}
	for (i = 0; i < 9000; i++) {
		print ok[i % n]
		if (i == 4500) print bad
	}
}' >x.log

# on_tty NAME RC CMD: run CMD (sh) with stderr and stdout on a
# pseudo-terminal of $COLS columns, its bytes in NAME.tty; its exit status
# must be RC
COLS=200
on_tty() {
	checks=$((checks + 1))
	rc=0
	SCA_PROGRESS_INTERVAL_MS=0 script -qec "stty cols $COLS && $3" /dev/null </dev/null >"$1.tty" 2>&1 || rc=$?
	[ "$rc" = "$2" ] || { tail -c 2000 "$1.tty" >&2; fail "$1: exit $rc on a terminal, want $2"; }
}

# drawn NAME LINE WHAT: NAME.tty redrew LINE (an ERE after "sca "), each
# redraw a CR, the line, and ESC [ K
drawn() {
	checks=$((checks + 1))
	tr '\r' '\n' <"$1.tty" | sed -n "s/$ESC\[K\$//p" >"$1.drawn"
	n=$(grep -cE "^sca $2" "$1.drawn")
	[ "$n" -ge 2 ] || { tail -c 2000 "$1.tty" | od -c | tail -20 >&2; fail "$3: $n redraws of the progress line"; }
}

# partial NAME WHAT: a redraw of NAME says a share of the input under 100 %
partial() {
	checks=$((checks + 1))
	grep -qE ': [0-9]{1,2}%' "$1.drawn" || { tail -3 "$1.drawn" >&2; fail "$2: no share of the input under 100%"; }
}

# shown NAME WANT WHAT: the terminal ends showing what stderr to a file
# got (WANT), line for line: no progress text is left on any line
shown() {
	checks=$((checks + 1))
	python3 "$HERE/tty_screen.py" "$1.tty" >"$1.screen" || { fail "$3: a control character reached the terminal"; return; }
	# the pseudo-terminal's last line is the one the cursor is on
	sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$1.screen" >"$1.shown"
	diff "$2" "$1.shown" >&2 || fail "$3: the terminal does not end showing what a file gets"
}

# silent FILE WHAT: FILE (stderr to a file, or a terminal's bytes) holds no
# progress line: neither its text nor a CR or ESC but a terminal's CR LF
silent() {
	checks=$((checks + 1))
	if grep -qE '^sca [a-z-]+: (loading|reading|importing) ' "$1" ||
	   sed 's/\r$//' "$1" | grep -q "$(printf '[\r\033]')"; then
		od -c "$1" | head >&2
		fail "$2: progress drawn"
	fi
}

# ---- analyze ----------------------------------------------------------------
SCA_PROGRESS_INTERVAL_MS=0 "$SCA" analyze a.trace "$EVIL" >an.out 2>an.err || fail "analyze: exit $?"
silent an.err "analyze"
on_tty an 0 '"$SCA" analyze a.trace "$EVIL" >an.tty.out'
drawn an 'analyze: loading trace 1 of 2: a\.trace: [0-9]+%, [0-9]+ events$' "analyze"
partial an "analyze"
checks=$((checks + 1))
grep -qE '^sca analyze: loading trace 2 of 2: c\\x1b\]2;PWNED\\x07\.trace: [0-9]+%, [0-9]+ events, [0-9]+ calls$' an.drawn ||
	{ tail -3 an.drawn >&2; fail "analyze: the second trace, escaped, with its calls"; }
shown an an.err "analyze"
checks=$((checks + 1))
cmp -s an.out an.tty.out || fail "analyze: stdout differs with stderr on a terminal"
# a narrow terminal: the line is cut to fit, never wraps
COLS=40
on_tty an_narrow 0 '"$SCA" analyze a.trace "$EVIL" >/dev/null'
COLS=200
drawn an_narrow 'analyze: loading trace ' "analyze, 40 columns"
checks=$((checks + 1))
awk 'length($0) > 39 { bad = 1 } END { exit !NR || bad }' an_narrow.drawn ||
	{ head -3 an_narrow.drawn >&2; fail "analyze: lines longer than a 40-column terminal"; }
shown an_narrow an.err "analyze, 40 columns"
# only stdout on the terminal: no progress there, nor in the file
on_tty an_out 0 'SCA_PROGRESS_INTERVAL_MS=0 "$SCA" analyze a.trace --top 2 2>an_out.err'
silent an_out.err "analyze, stdout on a terminal"
silent an_out.tty "analyze, stdout on a terminal"

# A stop signal while a trace loads (SIGTERM: a background job of sh
# ignores SIGINT; Ctrl-C takes the same handler): the line is erased before
# the signal ends sca (exit 143), so the terminal is left as blank as a file
# is. The trace takes about a second; the signal comes once it is drawn.
"$SYNTH" -n 1500000 -s 9 -o big.trace >/dev/null || fail "synth_trace big"
on_tty an_int 0 '("$SCA" analyze big.trace >/dev/null 2>&3 & p=$!; sleep 0.3; kill -TERM $p; wait $p; echo "rc=$?") 3>&2'
checks=$((checks + 1))
grep -q 'rc=143' an_int.tty || { tail -c 300 an_int.tty | od -c | tail >&2; fail "analyze: not ended by SIGTERM (load too fast?)"; }
drawn an_int 'analyze: loading big\.trace: [0-9]+%' "analyze, interrupted"
printf "Terminated\nrc=143\n" >an_int.want
shown an_int an_int.want "analyze, interrupted"

# ---- profile-gen ------------------------------------------------------------
SCA_PROGRESS_INTERVAL_MS=0 "$SCA" profile-gen a.trace "$EVIL" -o pg.json 2>pg.err || fail "profile-gen: exit $?"
silent pg.err "profile-gen"
on_tty pg 0 '"$SCA" profile-gen a.trace "$EVIL" -o pg.tty.json'
drawn pg 'profile-gen: reading trace 1 of 2: a\.trace: [0-9]+%, [0-9]+ records$' "profile-gen"
partial pg "profile-gen"
checks=$((checks + 1))
grep -qE '^sca profile-gen: reading trace 2 of 2: c\\x1b\]2;PWNED\\x07\.trace: [0-9]+%, [0-9]+ records$' pg.drawn ||
	{ tail -3 pg.drawn >&2; fail "profile-gen: the second trace, escaped"; }
shown pg pg.err "profile-gen"
checks=$((checks + 1))
cmp -s pg.json pg.tty.json || fail "profile-gen: the profile differs with stderr on a terminal"

# ---- record --import ---------------------------------------------------------
# each run in a directory of its own: the other host's trace is beside -o
mkdir file tty
(cd file && SCA_PROGRESS_INTERVAL_MS=0 "$SCA" record --import ../x.log -o x.trace 2>../im.err)
rc=$?
checks=$((checks + 1))
[ "$rc" = 1 ] || { cat im.err >&2; fail "record --import: exit $rc, want 1 (a malformed line)"; }
silent im.err "record --import"
checks=$((checks + 1))
grep -q ':4502: malformed seccomp record, skipped$' im.err || { cat im.err >&2; fail "record --import: the malformed line not said"; }
on_tty im 1 'cd tty && "$SCA" record --import ../x.log -o x.trace'
drawn im 'record: importing \.\./x\.log: [0-9]+% of [0-9.]+ MiB, [0-9]+ seccomp records$' "record --import"
partial im "record --import"
shown im im.err "record --import"
checks=$((checks + 1))
for d in file tty; do "$SCA" analyze $d/x.trace --format csv >$d.csv 2>/dev/null; done
if [ ! -s file.csv ] || ! cmp -s file.csv tty.csv; then
	fail "record --import: the trace differs with stderr on a terminal"
fi
# a pipe has no size: the bytes read instead
on_tty im_pipe 1 'cat x.log | "$SCA" record --import - -o pipe.trace'
drawn im_pipe 'record: importing -: [0-9.]+ MiB read, [0-9]+ seccomp records$' "record --import -"
# events printed to the terminal: no progress line across them
on_tty im_print 1 'cd tty && "$SCA" record --import ../x.log'
silent im_print.tty "record --import printing to a terminal"

if [ "$failed" -ne 0 ]; then
	echo "test_progress: $failed of $checks checks FAILED" >&2
	exit 1
fi
echo "test_progress: all $checks checks passed"
