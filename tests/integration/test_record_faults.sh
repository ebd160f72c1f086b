#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# `sca record` when things go wrong or run long: an existing trace is
# refused before anything starts (--force replaces it); --rotate and
# --rotate-time split a recording into complete traces that analyze and
# profile-gen read as a directory; a full disk stops the recorder with one
# line and leaves a readable trace; a trace is readable while it is being
# written; a recorder stopped under load counts what it lost and keeps every
# event it has with the right process.
set -u
SCA=$1 LOGSPAM=$2
. "$(dirname "$0")/lib.sh"
need_root
small=$tmp/small
trap 'umount "$small" 2>/dev/null; cleanup' EXIT HUP INT TERM

# summary_events LOG: the event total of a recorder's summary line
summary_events() {
	sed -n 's/^sca record: \([0-9]*\) events, .*/\1/p' "$1"
}

# inspect_field TRACE FIELD: e.g. "events" from `sca inspect` (exit ignored)
inspect_field() {
	"$SCA" inspect "$1" 2>/dev/null | awk -v f="$2:" '$1 == f { print $2 }'
}

# spam N...: one logspam per argument, in parallel, until all are done
# (waited for by pid: a plain wait would wait for the recorder too)
spam() {
	spam_pids=""
	for n in "$@"; do
		"$LOGSPAM" -n "$n" >/dev/null &
		spam_pids="$spam_pids $!"
	done
	bg_pids="$bg_pids$spam_pids"
	# shellcheck disable=SC2086
	wait $spam_pids
}

# ---- 1. an existing trace is refused; --force replaces it ---------------

echo "not a trace" >"$tmp/x.trace"
chmod 644 "$tmp/x.trace"
cp "$tmp/x.trace" "$tmp/x.orig"
want="sca record: $tmp/x.trace: already exists (use --force to replace it)"
# live, around a command, importing: each refused before it starts
for mode in live cmd import; do
	rc=0
	case $mode in
	live) "$SCA" record -o "$tmp/x.trace" --duration 5 >/dev/null 2>"$tmp/err" || rc=$? ;;
	cmd) "$SCA" record -o "$tmp/x.trace" -- touch "$tmp/ran" >/dev/null 2>"$tmp/err" || rc=$? ;;
	import) echo "" | "$SCA" record --import - -o "$tmp/x.trace" >/dev/null 2>"$tmp/err" || rc=$? ;;
	esac
	[ "$rc" -eq 1 ] || { cat "$tmp/err" >&2; fail "existing trace ($mode): exit $rc, want 1"; }
	# one line, and no other: no source was opened, nothing recorded
	[ "$(cat "$tmp/err")" = "$want" ] || { cat "$tmp/err" >&2; fail "existing trace ($mode): wrong message"; }
	cmp -s "$tmp/x.trace" "$tmp/x.orig" || fail "existing trace ($mode): the file was changed"
done
[ ! -e "$tmp/ran" ] || fail "existing trace: the command ran anyway"
rc=0
"$SCA" record -o "$tmp/x.trace" --force -- "$LOGSPAM" -n 10 >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" -eq 0 ] || { cat "$tmp/err" >&2; fail "--force: exit $rc"; }
"$SCA" inspect "$tmp/x.trace" >/dev/null || fail "--force: the new trace does not read clean"
[ "$(stat -c %a "$tmp/x.trace")" = 600 ] || fail "--force: the new trace is not mode 0600"
# a symbolic link is replaced, never written through
echo "victim" >"$tmp/victim"
ln -s "$tmp/victim" "$tmp/l.trace"
rc=0
"$SCA" record -o "$tmp/l.trace" -- true >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" -eq 1 ] && grep -q "l.trace: already exists" "$tmp/err" || fail "symlink: exit $rc without the message"
"$SCA" record -o "$tmp/l.trace" --force -- true >/dev/null 2>&1 || fail "symlink --force"
[ "$(cat "$tmp/victim")" = victim ] && [ -f "$tmp/l.trace" ] && [ ! -L "$tmp/l.trace" ] ||
	fail "symlink --force: wrote through the link"
echo "ok: no clobbering without --force"

# ---- 2. rotation --------------------------------------------------------

# By size, under load: every file complete, the events add up. (4K: this
# degenerate stream packs into a few bytes per 100 events, and under load
# the kernel may drop most of it (a sanitizer build kept 241,119 of
# 1,200,000 here, the rest counted lost), so the size must be small to give
# 3 files: a full chunk, 65,536 events, is about 5K.)
mkdir "$tmp/rot"
: >"$tmp/rot/r.99999.trace"  # an earlier set's file: refused, then --force removes it
# (a number this run cannot reach: a light load keeps every event and may
# well make nine or more files, which would put back a low-numbered one)
rc=0
"$SCA" record -o "$tmp/rot/r.trace" --rotate 4K --duration 5 >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" -eq 1 ] && [ "$(cat "$tmp/err")" = "sca record: $tmp/rot/r.99999.trace: already exists (use --force to replace it)" ] ||
	{ cat "$tmp/err" >&2; fail "--rotate over an earlier set: exit $rc"; }
start_recorder /dev/null "$tmp/rot.log" -o "$tmp/rot/r.trace" --rotate 4K --force
spam 300000 300000 300000 300000
sleep 1.2
stop_recorder
[ "$rec_rc" -eq 0 ] || { cat "$tmp/rot.log" >&2; fail "--rotate: exit $rec_rc"; }
[ ! -e "$tmp/rot/r.99999.trace" ] || fail "--rotate --force: the earlier set's file is still there"
n=$(ls "$tmp/rot" | wc -l)
[ "$n" -ge 3 ] || { ls -l "$tmp/rot" >&2; cat "$tmp/rot.log" >&2; fail "--rotate 4K: $n files, want >= 3"; }
sum=0 i=0
for f in "$tmp"/rot/*; do
	i=$((i + 1))
	[ "$f" = "$(printf '%s/rot/r.%04d.trace' "$tmp" $i)" ] || fail "--rotate: file $i is $f"
	"$SCA" inspect "$f" >"$tmp/insp" 2>&1 || { cat "$tmp/insp" >&2; fail "--rotate: $f does not read clean"; }
	ev=$(awk '$1 == "events:" { print $2 }' "$tmp/insp")
	grep -q "^sca record:   $f: $ev events, " "$tmp/rot.log" || { cat "$tmp/rot.log" >&2; fail "--rotate: $f ($ev events) not in the summary"; }
	# each file but the last was closed once it reached the size
	[ $i -eq "$n" ] || [ "$(wc -c <"$f")" -ge 4096 ] || fail "--rotate: $f closed below 4K"
	sum=$((sum + ev))
done
total=$(summary_events "$tmp/rot.log")
[ "$sum" -eq "$total" ] || { cat "$tmp/rot.log" >&2; fail "--rotate: files hold $sum events, the summary says $total"; }
# every event made was kept or counted lost (the count covers all audit records)
lost=$(sed -n 's/^sca record: [0-9]* events, \([0-9]*\) lost.*/\1/p' "$tmp/rot.log")
[ $((total + lost)) -ge 1200000 ] || { cat "$tmp/rot.log" >&2; fail "--rotate: $total kept + $lost lost < 1200000 made"; }
# The directory, or a shell glob, as TRACE.
for args in "$tmp/rot" "$tmp/rot/" "$tmp/rot/r.0001.trace $tmp/rot/r.0002.trace"; do
	rc=0
	# shellcheck disable=SC2086
	"$SCA" analyze $args >"$tmp/an" 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || { cat "$tmp/an" >&2; fail "analyze $args: exit $rc"; }
done
"$SCA" analyze "$tmp"/rot/*.trace >"$tmp/an.glob" 2>&1 || fail "analyze (glob)"
"$SCA" analyze "$tmp/rot" >"$tmp/an" 2>&1
grep -q "^# $n traces, .*, $total events, " "$tmp/an" || { cat "$tmp/an" >&2; fail "analyze DIR: not $n traces, $total events"; }
cmp -s "$tmp/an" "$tmp/an.glob" || fail "analyze DIR and analyze DIR/*.trace differ"
"$SCA" profile-gen "$tmp/rot" -o "$tmp/rot.json" 2>"$tmp/pg.err" || { cat "$tmp/pg.err" >&2; fail "profile-gen DIR"; }
grep -q '"getppid"' "$tmp/rot.json" || fail "profile-gen DIR: no getppid"
mkdir "$tmp/empty"
rc=0
"$SCA" analyze "$tmp/empty" >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "empty: a directory without \*.trace files" "$tmp/err" ||
	{ cat "$tmp/err" >&2; fail "analyze on an empty directory: exit $rc"; }

# By time: 3.8 s at 1 s a file is four files, each complete (rotations
# come late under load, never early: 0.8 s of slack, no fifth file).
mkdir "$tmp/rt"
"$SCA" record -o "$tmp/rt/t" --rotate-time 1s --duration 3.8 >/dev/null 2>"$tmp/rt.log" &
rt=$!
bg_pids="$bg_pids $rt"
wait_recording_in "$tmp/rt.log" "$rt" "the --rotate-time recorder"
"$LOGSPAM" -n 1000 >/dev/null
sleep 1
"$LOGSPAM" -n 1000 >/dev/null
rc=0
wait $rt || rc=$?
[ "$rc" -eq 0 ] || { cat "$tmp/rt.log" >&2; fail "--rotate-time: exit $rc"; }
n=$(ls "$tmp/rt" | wc -l)
[ "$n" -eq 4 ] || { ls -l "$tmp/rt" >&2; fail "--rotate-time 1s over 3.8 s: $n files, want 4"; }
sum=0
for i in 1 2 3 4; do
	f=$(printf '%s/rt/t.%04d.trace' "$tmp" $i)
	"$SCA" inspect "$f" >/dev/null 2>&1 || fail "--rotate-time: $f does not read clean"
	sum=$((sum + $(inspect_field "$f" events)))
done
[ "$sum" -eq "$(summary_events "$tmp/rt.log")" ] && [ "$sum" -ge 2000 ] ||
	{ cat "$tmp/rt.log" >&2; fail "--rotate-time: files hold $sum events"; }
echo "ok: rotation by size ($(ls "$tmp/rot" | wc -l) files, $total events) and by time"

# ---- 3. a full disk ---------------------------------------------------

# fill_but KB: fill $small but for about KB kilobytes
fill_but() {
	avail=$(df -k --output=avail "$small" | tail -1)
	dd if=/dev/zero of="$small/fill" bs=1k count=$((avail - $1)) 2>/dev/null
}

# check_full TRACE LOG RC: exit 1, one line naming the file, a readable trace
check_full() {
	[ "$3" -eq 1 ] || { cat "$2" >&2; fail "full disk: exit $3, want 1"; }
	[ "$(grep -c "No space left on device" "$2")" -eq 1 ] &&
		grep -qx "sca record: $1: No space left on device" "$2" ||
		{ cat "$2" >&2; fail "full disk: not one line naming $1"; }
	rc=0
	"$SCA" inspect "$1" >"$tmp/insp" 2>&1 || rc=$?
	[ "$rc" -eq 1 ] || { cat "$tmp/insp" >&2; fail "full disk: inspect exit $rc, want 1 (damage)"; }
	ev=$(awk '$1 == "events:" { print $2 }' "$tmp/insp")
	[ "$ev" -gt 0 ] && grep -Eq "^damage: +(truncated|no footer)" "$tmp/insp" ||
		{ cat "$tmp/insp" >&2; fail "full disk: no events or no truncation report"; }
}

mkdir "$small"
if mount -t tmpfs -o size=256k tmpfs "$small" 2>"$tmp/mount.err"; then
	# System-wide: a first chunk lands, then the disk fills under load.
	start_recorder /dev/null "$tmp/full.log" -o "$small/d.trace"
	"$LOGSPAM" -n 20000 >/dev/null
	sleep 2.2    # two flush ticks: the first may come before the events are read
	fill_but 8
	spam 300000 300000 300000 300000
	sleep 1.5
	if kill -0 "$rec_pid" 2>/dev/null; then
		stop_recorder
		cat "$tmp/full.log" >&2
		fail "full disk: the recorder is still running (exit $rec_rc)"
	fi
	rc=0
	wait "$rec_pid" || rc=$?
	check_full "$small/d.trace" "$tmp/full.log" "$rc"
	dfull=$ev

	# Around a command: recording stops, the command runs to its end. A
	# first chunk lands (two flush ticks after a few events), then the
	# command itself fills the disk but for 2 KB and bursts. Room fixed
	# before the command starts would not do: logspam's events compress to
	# ~0.1 byte each, so a first burst chunk could be larger than the room
	# (nothing kept) or, in a slow build that drops most of the burst, the
	# whole recording could fit (the disk never fills).
	rm -f "$small/d.trace" "$small/fill"
	rc=0
	"$SCA" record -o "$small/c.trace" -- sh -c "\"$LOGSPAM\" -n 2000 >/dev/null; sleep 2.2;
		avail=\$(df -k --output=avail \"$small\" | tail -1);
		[ \$avail -gt 2 ] && dd if=/dev/zero of=\"$small/fill\" bs=1k count=\$((avail - 2)) 2>/dev/null;
		for i in 1 2 3; do \"$LOGSPAM\" -n 300000 >/dev/null & done;
		wait; touch \"$tmp/cmd-done\"" >/dev/null 2>"$tmp/cfull.log" || rc=$?
	check_full "$small/c.trace" "$tmp/cfull.log" "$rc"
	[ -e "$tmp/cmd-done" ] || fail "full disk, -- CMD: the command did not run to its end"
	grep -q "^sca record: no longer recording; waiting for sh (pid [0-9]*) to exit" "$tmp/cfull.log" ||
		{ cat "$tmp/cfull.log" >&2; fail "full disk, -- CMD: no word on waiting for the command"; }
	# No room even for the header: one line, and no empty file left behind.
	rm -f "$small/c.trace"
	dd if=/dev/zero of="$small/fill2" bs=1k 2>/dev/null
	rc=0
	"$SCA" record -o "$small/z.trace" --duration 1 >/dev/null 2>"$tmp/zfull.log" || rc=$?
	[ "$rc" -eq 1 ] && grep -qx "sca record: $small/z.trace: No space left on device" "$tmp/zfull.log" ||
		{ cat "$tmp/zfull.log" >&2; fail "full disk at the start: exit $rc"; }
	grep -q "recording" "$tmp/zfull.log" && fail "full disk at the start: it started recording"
	[ ! -e "$small/z.trace" ] || fail "full disk at the start: a trace without a header was left"
	umount "$small"
	echo "ok: full disk ($dfull and $ev events kept)"
else
	echo "note: cannot mount a tmpfs ($(cat "$tmp/mount.err")); the full disk part was not run"
fi

# ---- 4. reading a trace while it is written ---------------------------

start_recorder /dev/null "$tmp/live.log" -o "$tmp/live.trace"
"$LOGSPAM" -n 20000 >/dev/null
sleep 2.2    # two flush ticks: the first may come before the events are read
# under load, each read sees whole chunks and the missing footer
"$LOGSPAM" -n 1000000 >/dev/null &
load=$!
bg_pids="$bg_pids $load"
for i in 1 2 3; do
	rc=0
	"$SCA" analyze "$tmp/live.trace" >"$tmp/an" 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || { cat "$tmp/an" >&2; fail "analyze of a trace being written: exit $rc"; }
	seen=$(sed -n "s|^# trace $tmp/live.trace: host [^,]*, \([0-9]*\) events, .*, not closed cleanly\$|\1|p" "$tmp/an")
	[ -n "$seen" ] && [ "$seen" -ge 20000 ] || { cat "$tmp/an" >&2; fail "analyze of a trace being written: [$seen] events"; }
	rc=0
	"$SCA" inspect "$tmp/live.trace" >"$tmp/insp" 2>&1 || rc=$?
	[ "$rc" -eq 1 ] && grep -q "^closed: *no" "$tmp/insp" ||
		{ cat "$tmp/insp" >&2; fail "inspect of a trace being written: exit $rc, not 'closed: no'"; }
	sleep 0.3
done
wait $load
stop_recorder
[ "$rec_rc" -eq 0 ] || { cat "$tmp/live.log" >&2; fail "recorder read while writing: exit $rec_rc"; }
"$SCA" inspect "$tmp/live.trace" >"$tmp/insp" 2>&1 || { cat "$tmp/insp" >&2; fail "the finished trace does not read clean"; }
final=$(awk '$1 == "events:" { print $2 }' "$tmp/insp")
[ "$final" -ge "$seen" ] && [ "$final" -eq "$(summary_events "$tmp/live.log")" ] ||
	fail "finished trace: $final events, read $seen while written"
echo "ok: read while written ($seen events seen, $final in the end)"

# ---- 5. a recorder stopped and continued under load --------------------

# Two generators under names of their own: comm tells them apart.
cp "$LOGSPAM" "$tmp/spamA"
cp "$LOGSPAM" "$tmp/spamB"
start_recorder /dev/null "$tmp/stop.log" -o "$tmp/stop.trace" --rcvbuf 65536 --ringbuf 65536
"$tmp/spamA" -n 600000 >"$tmp/A.pid" &
a=$!
"$tmp/spamB" -n 600000 >"$tmp/B.pid" &
b=$!
bg_pids="$bg_pids $a $b"
sleep 0.3
kill -STOP "$rec_pid"
sleep 1
kill -CONT "$rec_pid"
wait $a $b
sleep 1.5
stop_recorder
[ "$rec_rc" -eq 0 ] || { cat "$tmp/stop.log" >&2; fail "stopped recorder: exit $rec_rc"; }
pa=$(awk '{ print $2 }' "$tmp/A.pid")
pb=$(awk '{ print $2 }' "$tmp/B.pid")
lost=$(sed -n 's/.* events, \([0-9]*\) lost.*/\1/p' "$tmp/stop.log")
[ -n "$lost" ] && [ "$lost" -gt 0 ] || { cat "$tmp/stop.log" >&2; fail "stopped recorder: nothing lost"; }
"$SCA" inspect "$tmp/stop.trace" >"$tmp/insp" 2>&1 || { cat "$tmp/insp" >&2; fail "stopped recorder: trace not clean"; }
[ "$(awk '/^lost events:/ { print $3 }' "$tmp/insp")" = "$lost" ] || fail "stopped recorder: the trace's lost count differs"
# Every event of either: its own pid, comm, and the one syscall it makes.
"$SCA" inspect --events "$tmp/stop.trace" | awk -v a="$pa" -v b="$pb" '
	!/^[0-9][0-9][0-9][0-9]-/ { next }
	$2 == a || $4 == "spamA" { n[a]++; if ($2 != a || $4 != "spamA" || $6 != "getppid" || $7 != "log") { print; bad = 1 } }
	$2 == b || $4 == "spamB" { n[b]++; if ($2 != b || $4 != "spamB" || $6 != "getppid" || $7 != "log") { print; bad = 1 } }
	END {
		if (n[a] < 1 || n[a] > 600000 || n[b] < 1 || n[b] > 600000) { print "events: " n[a] ", " n[b]; bad = 1 }
		print n[a] + n[b] > "/dev/stderr"
		exit bad
	}' >"$tmp/bad" 2>"$tmp/kept" || { head "$tmp/bad" >&2; fail "stopped recorder: events attributed to the wrong process"; }
echo "ok: stopped and continued ($lost lost, $(cat "$tmp/kept") kept, all attributed right)"
echo "PASS: record faults: clobbering, rotation, full disk, live read, stop/continue"
