#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The files sca writes as root, attacked as an unprivileged user beside it
# would, and interrupted as an operator would: links planted at output and
# temporary names, device nodes and links to them as outputs, a user
# racing the temporary database in $TMPDIR, fatal signals during a load
# and during output, --db over an input, concurrent writers of one file.
set -u
SCA=$1 LOGSPAM=$2
. "$(dirname "$0")/lib.sh"
need_root
command -v setpriv >/dev/null || skip "needs setpriv (util-linux)"

# the unprivileged user must reach $tmp/pub (a $TMPDIR like /tmp), nothing else
chmod 711 "$tmp"
pub=$tmp/pub
mkdir "$pub" && chmod 1777 "$pub"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

# gen_log N: N seccomp records, several processes and syscalls
gen_log() {
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
		printf "type=SECCOMP msg=audit(1700000000.%03d:%d): auid=1000 uid=1000 gid=1000 ses=3 " \
		       "pid=%d comm=\"w%d\" exe=\"/usr/bin/w\" sig=0 arch=c000003e syscall=%d compat=0 " \
		       "ip=0x7f12 code=0x7ffc0000\n", i % 1000, i, 100 + i % 500, i % 7, i % 300 }'
}
gen_log 300 >"$tmp/small.log"
gen_log 300000 >"$tmp/big.log"
"$SCA" record --import "$tmp/small.log" -o "$tmp/small.trace" 2>/dev/null || fail "import small"
"$SCA" record --import "$tmp/big.log" -o "$tmp/big.trace" 2>/dev/null || fail "import big"

# no private directory (or anything else of sca's) left in DIR
no_leftovers() {
	left=$(find "$1" -mindepth 1 -maxdepth 1 -name '.sca-*' -o -mindepth 1 -maxdepth 1 -name '*.tmp')
	[ -z "$left" ] || fail "$2: left behind: $left"
}

# ---- 1. a link planted at the old temporary name, or at the output ----
ln -s "$tmp/victim1" "$tmp/prof.json.tmp"
"$SCA" profile-gen "$tmp/small.trace" -o "$tmp/prof.json" 2>"$tmp/err" || { cat "$tmp/err"; fail "profile-gen -o"; }
[ -e "$tmp/victim1" ] && fail "profile-gen wrote through a link at FILE.tmp"
[ -f "$tmp/prof.json" ] && [ ! -L "$tmp/prof.json" ] || fail "prof.json is not a regular file"
jq -e .defaultAction "$tmp/prof.json" >/dev/null || fail "prof.json is not a whole profile"
ln -s "$tmp/victim2" "$tmp/link.json"
rc=0; "$SCA" profile-gen "$tmp/small.trace" -o "$tmp/link.json" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 1 ] || fail "profile-gen -o LINK exited $rc, want 1"
grep -q "link.json: is a symbolic link" "$tmp/err" || fail "no clear message for -o LINK: $(cat "$tmp/err")"
[ -e "$tmp/victim2" ] && fail "profile-gen wrote through the link at -o"
rc=0; "$SCA" analyze "$tmp/small.trace" --db "$tmp/link.json" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 1 ] && [ ! -e "$tmp/victim2" ] || fail "analyze --db LINK: rc $rc or wrote through it"
rm "$tmp/prof.json.tmp"
no_leftovers "$tmp" "outputs"

# ---- 3. device nodes and links to them: written in place or refused ----
mknod "$tmp/null" c 1 3
ln -s "$tmp/null" "$tmp/stdout"
is_null() { [ -c "$1" ] && [ "$(stat -c %t:%T "$1")" = "1:3" ] || fail "$2 turned $1 into $(stat -c %F "$1")"; }
"$SCA" profile-gen "$tmp/small.trace" -o "$tmp/null" 2>/dev/null || fail "profile-gen -o NULLDEV"
is_null "$tmp/null" "profile-gen -o"
"$SCA" profile-gen "$tmp/small.trace" -o "$tmp/stdout" 2>/dev/null || fail "profile-gen -o LINK-TO-NULLDEV"
[ -L "$tmp/stdout" ] || fail "profile-gen -o replaced the link to a device"
rc=0; "$SCA" analyze "$tmp/small.trace" --db "$tmp/null" >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" -eq 1 ] || fail "analyze --db NULLDEV exited $rc, want 1"
grep -q "not a regular file" "$tmp/err" || fail "no clear message for --db NULLDEV: $(cat "$tmp/err")"
is_null "$tmp/null" "analyze --db"
"$SCA" record --import "$tmp/small.log" -o "$tmp/null" --force 2>/dev/null || fail "record -o NULLDEV --force"
is_null "$tmp/null" "record -o --force"
"$SCA" record --import "$tmp/small.log" -o "$tmp/stdout" 2>/dev/null || fail "record -o LINK-TO-NULLDEV"
[ -L "$tmp/stdout" ] || fail "record -o replaced the link to a device"
# a FIFO is a stream: the trace arrives whole through it
mkfifo "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/via-fifo.trace" &
"$SCA" record --import "$tmp/small.log" -o "$tmp/fifo" 2>/dev/null || fail "record -o FIFO"
wait $!
[ -p "$tmp/fifo" ] || fail "record -o replaced the FIFO"
"$SCA" inspect "$tmp/via-fifo.trace" | grep -q '^events: *300$' || fail "the trace through the FIFO is not whole"
no_leftovers "$tmp" "devices"

# ---- 4, 5. --db: mode, no overwrite without --force, never an input ----
"$SCA" analyze "$tmp/small.trace" --db "$tmp/a.db" >/dev/null 2>&1 || fail "analyze --db"
[ "$(stat -c %a "$tmp/a.db")" = 600 ] || fail "--db file is mode $(stat -c %a "$tmp/a.db"), want 600"
sum=$(md5sum <"$tmp/a.db")
rc=0; "$SCA" analyze "$tmp/big.trace" --db "$tmp/a.db" >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" -eq 1 ] && grep -q "already exists (use --force" "$tmp/err" || fail "--db over a file without --force: rc $rc"
[ "$(md5sum <"$tmp/a.db")" = "$sum" ] || fail "--db without --force changed the file"
cp "$tmp/small.trace" "$tmp/input.trace"
rc=0; "$SCA" analyze "$tmp/input.trace" --db "$tmp/input.trace" --force >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" -eq 1 ] && grep -q "is one of the traces" "$tmp/err" || fail "--db INPUT --force: rc $rc: $(cat "$tmp/err")"
cmp -s "$tmp/small.trace" "$tmp/input.trace" || fail "--db INPUT destroyed the input"
"$SCA" analyze "$tmp/big.trace" --db "$tmp/a.db" --force >/dev/null 2>&1 || fail "--db --force"
[ "$("$SCA" analyze "$tmp/a.db" --sql 'SELECT events FROM traces' --format csv 2>/dev/null | tr -d '\r' | tail -1)" = 300000 ] ||
	fail "--db --force did not replace the database"
# two runs racing for one new --db: exactly one wins, the file is whole
p1=0 p2=0
"$SCA" analyze "$tmp/big.trace" --db "$tmp/race.db" >/dev/null 2>"$tmp/r1" & j1=$!
"$SCA" analyze "$tmp/big.trace" --db "$tmp/race.db" >/dev/null 2>"$tmp/r2" & j2=$!
wait $j1 || p1=$?
wait $j2 || p2=$?
[ $((p1 == 0)) -ne $((p2 == 0)) ] || fail "racing --db runs exited $p1 and $p2: want one 0, one 1"
"$SCA" analyze "$tmp/race.db" --sql 'SELECT count(*) FROM events' --format csv 2>/dev/null | tr -d '\r' | tail -1 |
	grep -qx 300000 || fail "the raced database is not whole"
no_leftovers "$tmp" "--db"

# an interrupted --db run leaves nothing: not FILE, not a temporary
for sig in TERM INT HUP; do
	# background jobs of a script start with SIGINT ignored: give it back
	env --default-signal=INT "$SCA" analyze "$tmp/big.trace" --db "$tmp/int.db" >/dev/null 2>&1 &
	j=$!
	i=0
	while [ -z "$(find "$tmp" -maxdepth 1 -name '.sca-*')" ] && kill -0 $j 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 500 ] || break; sleep 0.01
	done
	kill -$sig $j 2>/dev/null || fail "analyze --db finished before SIG$sig (machine too fast for this test?)"
	wait $j && fail "analyze --db survived SIG$sig"
	[ -e "$tmp/int.db" ] && fail "SIG$sig during load left $tmp/int.db"
	no_leftovers "$tmp" "SIG$sig during --db"
done

# ---- 2, 4. the temporary database: private, removed on every signal ----
export TMPDIR="$pub"
mkfifo "$tmp/out.fifo"
for sig in TERM INT HUP; do
	# a reader that never reads: analyze blocks writing rows, its database open
	exec 3<>"$tmp/out.fifo"
	env --default-signal=INT "$SCA" analyze "$tmp/big.trace" --events >&3 2>/dev/null &
	j=$!
	i=0
	while ! kill -0 $j 2>/dev/null || [ -z "$(find "$pub" -maxdepth 1 -name '.sca-*')" ]; do
		i=$((i + 1)); [ $i -lt 1000 ] || fail "no private directory appeared in \$TMPDIR"; sleep 0.01
	done
	d=$(find "$pub" -maxdepth 1 -name '.sca-*' | head -1)
	[ "$(stat -c %a:%u "$d")" = 700:0 ] || fail "private directory $d is $(stat -c %a:%u "$d")"
	as_nobody ls "$d" >/dev/null 2>&1 && fail "another user can list $d"
	sleep 0.3
	kill -$sig $j
	wait $j && fail "analyze survived SIG$sig"
	exec 3>&-
	no_leftovers "$pub" "SIG$sig during output"
done
# `| head -1`: SIGPIPE
"$SCA" analyze "$tmp/big.trace" --events 2>/dev/null | head -1 >/dev/null
no_leftovers "$pub" "SIGPIPE"
# --sql sorts in files in the private directory: a user's ORDER BY over a
# million rows costs no more memory than loading them (it used to hold the
# whole sort: 154 MB here, against 65 MB). Sanitizers hold freed memory in
# quarantine, so the bound is checked in plain builds only.
if ! grep -q __asan_init "$SCA"; then
	gen_log 1000000 | "$SCA" record --import - -o "$tmp/m.trace" 2>/dev/null || fail "import 1M"
	peak() { { /usr/bin/time -f %M "$SCA" analyze "$tmp/m.trace" --sql "$1" --format csv >/dev/null; } 2>&1 | tail -1; }
	load=$(peak 'SELECT 1')
	sort=$(peak 'SELECT * FROM events ORDER BY random()')
	[ "$sort" -lt $((load + 32768)) ] || fail "--sql ORDER BY random() over 1M rows took $sort KiB, loading $load KiB"
	rm -f "$tmp/m.trace"
fi
no_leftovers "$pub" "--sql"

# A user watching $TMPDIR, trying what used to win the race: read what
# appears, plant links at the names sca uses, put files there for sca.
cat >"$tmp/watch.py" <<'EOF'
import os, sys, time
pub, end = sys.argv[1], time.time() + float(sys.argv[2])
seen = wins = 0
def tries(p):
    # a file of sca's own in $TMPDIR (as there used to be), or what a directory holds
    yield lambda: open(p, 'rb').read(16)
    yield lambda: os.listdir(p)
    yield lambda: open(os.path.join(p, 'analyze-0.db'), 'rb').read(16)
    yield lambda: os.symlink('/tmp/pwned', os.path.join(p, 'analyze-0.db'))
while time.time() < end:
    for name in os.listdir(pub):
        if 'sca-' not in name:
            continue
        seen += 1
        for attempt in tries(os.path.join(pub, name)):
            try:
                attempt()
                wins += 1
            except OSError:
                pass
print(seen, wins)
EOF
chmod 644 "$tmp/watch.py"
as_nobody /usr/bin/python3 "$tmp/watch.py" "$pub" 6 >"$tmp/watch.out" &
w=$!
sleep 0.2
for i in 1 2 3 4 5 6 7 8 9 10; do
	"$SCA" analyze "$tmp/big.trace" >/dev/null 2>&1 || fail "analyze under watch"
done
wait $w
read -r seen wins <"$tmp/watch.out"
[ "$seen" -gt 0 ] || fail "the watcher never saw sca's private directory: the test proves nothing"
[ "$wins" -eq 0 ] || fail "the watcher got into sca's private directory $wins times"
[ -e /tmp/pwned ] && fail "a planted link was followed"
no_leftovers "$pub" "the race"
unset TMPDIR

# ---- 5. two `record --force` on one file: the second is refused ----
(cat "$tmp/small.log"; sleep 2) | "$SCA" record --import - -o "$tmp/c.trace" --force 2>"$tmp/c1" &
j=$!
sleep 0.5
rc=0; "$SCA" record --import "$tmp/small.log" -o "$tmp/c.trace" --force 2>"$tmp/c2" || rc=$?
[ "$rc" -eq 1 ] && grep -q "another recording is writing it" "$tmp/c2" || fail "second record --force: rc $rc: $(cat "$tmp/c2")"
wait $j || fail "the first recording failed: $(cat "$tmp/c1")"
"$SCA" inspect "$tmp/c.trace" | grep -q '^events: *300$' || fail "the first recording lost events"

# nor over the log it imports
cp "$tmp/small.log" "$tmp/in.log"
rc=0; "$SCA" record --import "$tmp/in.log" -o "$tmp/in.log" --force 2>"$tmp/err" || rc=$?
[ "$rc" -eq 1 ] && grep -q "is the log being imported" "$tmp/err" || fail "--import LOG -o LOG --force: rc $rc"
cmp -s "$tmp/small.log" "$tmp/in.log" || fail "--import LOG -o LOG --force replaced the log"

# ---- 16. Ctrl-C during `record --import -` keeps what was read ----
(cat "$tmp/small.log"; sleep 10) | "$SCA" record --import - -o "$tmp/i.trace" 2>"$tmp/i.log" &
j=$!
sleep 1
kill -INT $j
wait $j || fail "record --import - exited $? on SIGINT: $(cat "$tmp/i.log")"
"$SCA" inspect "$tmp/i.trace" >"$tmp/i.txt" || fail "inspect after SIGINT"
grep -q '^events: *300$' "$tmp/i.txt" || fail "SIGINT during --import lost events: $(grep events "$tmp/i.txt")"
grep -q "stopped by a signal" "$tmp/i.log" || fail "no word that the import was stopped"

# ---- 16. live: SIGHUP and a closed --print reader ----
# SIGHUP (a dropped ssh session) is passed to the command like SIGINT and
# SIGTERM; recording ends when it exits, the trace closed whole
"$SCA" record -o "$tmp/h.trace" -- sleep 30 >/dev/null 2>"$tmp/h.log" &
j=$!
bg_pids="$bg_pids $j"
wait_recording_in "$tmp/h.log" $j "record -- sleep"
kill -HUP $j
rc=0; wait $j || rc=$?
[ "$rc" -eq 129 ] || fail "record -- sleep exited $rc on SIGHUP, want 129 (sleep killed by it)"
"$SCA" inspect "$tmp/h.trace" | grep -q '^closed: *cleanly' || fail "SIGHUP left the trace without its footer"
# `--print | head -1`: printing stops, recording goes on into the trace
rc=0
"$SCA" record -o "$tmp/p.trace" --print -- "$LOGSPAM" -n 20000 2>"$tmp/p.log" | head -1 >/dev/null || rc=$?
grep -q "its output was closed; recording goes on" "$tmp/p.log" || fail "no word that printing stopped: $(cat "$tmp/p.log")"
n=$("$SCA" analyze "$tmp/p.trace" --syscall getppid --format csv 2>/dev/null | tr -d '\r' |
	awk -F, '$1 == "getppid" && $2 == "log" { print $3 }')
[ "$n" = 20000 ] || fail "with --print closed, the trace has $n getppid events, want 20000"
echo PASS
