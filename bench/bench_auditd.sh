#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Side by side with auditd: a generator makes N logged getppid calls as fast
# as it can, in four configurations, interleaved over ROUNDS rounds (the
# order rotates each round), medians at the end:
#   none    no recorder
#   auditd  auditd -n writing audit.log (the system's auditd.conf, copied into
#           a scratch directory with only the log file, its size limit and
#           rotation, and the plugin directory changed: no rotation, no
#           plugins; /etc/audit is not touched, no audit rules are loaded)
#   sca     sca record -o TRACE --source audit (otherwise default settings)
#   both    auditd and sca record at once
# For each: generator wall time and slowdown against none; events captured /
# generated for the generator's pid (auditd: its type=SECCOMP lines in
# audit.log; sca: its getppid events in the trace, by sca analyze --sql);
# bytes per event on disk and recorder CPU per event (utime + stime from
# /proc/PID/stat just before the recorder is stopped), both over all the
# records that recorder wrote; the kernel's audit `lost` counter and the time
# the generator spent blocked on the audit backlog (auditctl -s, before and
# after).
# Then one question, count per syscall, on the audit.log and the trace of the
# last round's `both` run: aureport --syscall --summary, ausearch -m SECCOMP
# --raw piped to awk, sca analyze TRACE --by syscall, and sca on the same
# audit.log lines through sca record --import. aureport's and ausearch's time
# grows faster than the log (1.7 s for 20,000 of these lines here, 10.8 s for
# 40,000, about 5 min for ausearch on 200,000), so over AUDIT_FULL_MAX lines
# (default 60000) they run on the first AUDIT_LINES (default 20000) lines.
#
#   sh bench/bench_auditd.sh [BUILD_DIR] [N] [ROUNDS]      (as root)
#   environment: AUDIT_LINES, AUDIT_FULL_MAX, QRUNS (runs per query, default
#   3; one only when a run takes over 10 s), TMPDIR (scratch, default /tmp)
set -eu
B=${1:-build}
N=${2:-200000}
ROUNDS=${3:-3}
AUDIT_LINES=${AUDIT_LINES:-20000}
AUDIT_FULL_MAX=${AUDIT_FULL_MAX:-60000}
QRUNS=${QRUNS:-3}
CONF=/etc/audit/auditd.conf

die() { echo "bench_auditd: $*" >&2; exit 2; }

[ "$(id -u)" -eq 0 ] || die "needs root"
for x in "$B/sca" "$B/tests/integration/logspam"; do
	[ -x "$x" ] || die "$x missing: build first (scripts/build.sh)"
done
for x in auditd auditctl aureport ausearch; do
	command -v "$x" >/dev/null || die "$x missing (Debian package auditd; scripts/deps.sh installs it)"
done
[ -r "$CONF" ] || die "$CONF missing (Debian package auditd)"

aus() { auditctl -s | awk -v k="$1" '$1 == k { print $2 }'; }
[ "$(aus pid)" = 0 ] || die "an audit daemon (pid $(aus pid)) is registered with the kernel: stop it first"
orig_enabled=$(aus enabled)
# auditd enables auditing when it starts and leaves it enabled when it stops;
# the flag is put back after each auditd run. A locked flag (2) is left alone.
if [ "$orig_enabled" = 2 ]; then enable_arg="-s nochange"; else enable_arg=""; fi

scratch=${TMPDIR:-/tmp}
need_kib=$((N * 700 / 1024 + 200 * 1024)) # audit.log twice (kept + current) at ~330 bytes/event, + auditd.conf's space_left
free_kib=$(df -Pk "$scratch" | awk 'NR == 2 { print $4 }')
[ "$free_kib" -ge "$need_kib" ] || die "$scratch has $((free_kib / 1024)) MiB free, needs $((need_kib / 1024)) MiB"
tmp=$(mktemp -d "$scratch/bench_auditd.XXXXXX")
apid=""
spid=""
cleanup() {
	set +e
	[ -z "$spid" ] || { kill -INT "$spid" 2>/dev/null; wait "$spid" 2>/dev/null; }
	[ -z "$apid" ] || { kill -TERM "$apid" 2>/dev/null; wait "$apid" 2>/dev/null; }
	restore_enabled
	rm -rf "$tmp"
}
restore_enabled() {
	[ "$orig_enabled" != 2 ] && [ "$(aus enabled)" != "$orig_enabled" ] && [ "$(aus pid)" = 0 ] &&
		auditctl -e "$orig_enabled" >/dev/null
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Private copies, so a rebuild during the run changes nothing.
mkdir "$tmp/bin" "$tmp/conf" "$tmp/plugins" "$tmp/log" "$tmp/keep"
cp "$B/sca" "$B/tests/integration/logspam" "$tmp/bin/"
SCA=$tmp/bin/sca
GEN=$tmp/bin/logspam
LOG=$tmp/log/audit.log
TRACE=$tmp/r.trace

sed -e "s|^log_file[[:space:]]*=.*|log_file = $LOG|" \
    -e 's|^max_log_file[[:space:]]*=.*|max_log_file = 4096|' \
    -e 's|^max_log_file_action[[:space:]]*=.*|max_log_file_action = IGNORE|' \
    -e "s|^plugin_dir[[:space:]]*=.*|plugin_dir = $tmp/plugins|" "$CONF" >"$tmp/conf/auditd.conf"
chmod 600 "$tmp/conf/auditd.conf"
for k in log_file max_log_file max_log_file_action plugin_dir; do
	grep -q "^$k = " "$tmp/conf/auditd.conf" || echo "$k = $(
		case $k in log_file) echo "$LOG" ;; max_log_file) echo 4096 ;; max_log_file_action) echo IGNORE ;;
		plugin_dir) echo "$tmp/plugins" ;; esac)" >>"$tmp/conf/auditd.conf"
done
conf_of() { awk -F' *= *' -v k="$1" '$1 == k { print $2 }' "$tmp/conf/auditd.conf"; }

hz=$(getconf CLK_TCK)
khz=$( (zcat /proc/config.gz 2>/dev/null || cat "/boot/config-$(uname -r)" 2>/dev/null) | sed -n 's/^CONFIG_HZ=//p')
. "$(dirname "$0")/lib.sh"   # median
ms_of_jiffies() { awk -v j="$1" -v hz="${khz:-0}" 'BEGIN { if (hz > 0) printf "%.0f", j * 1000 / hz; else print "?" }'; }
cpu_of() { awk -v hz="$hz" '{ print ($14 + $15) / hz }' "/proc/$1/stat"; }

start_auditd() {
	rm -f "$LOG"
	# shellcheck disable=SC2086 # $enable_arg is empty or two words
	auditd -n $enable_arg -c "$tmp/conf" >"$tmp/auditd.out" 2>&1 &
	apid=$!
	i=0
	until [ "$(aus pid)" = "$apid" ] && grep -q '^type=DAEMON_START' "$LOG" 2>/dev/null; do
		kill -0 "$apid" 2>/dev/null || { cat "$tmp/auditd.out" >&2; apid=""; die "auditd did not start"; }
		i=$((i + 1))
		[ "$i" -lt 200 ] || die "auditd did not register with the kernel within 10 s"
		sleep 0.05
	done
}
stop_auditd() {
	kill -TERM "$apid"
	wait "$apid" || true
	apid=""
	restore_enabled
}
start_sca() {
	rm -f "$TRACE"
	"$SCA" record -o "$TRACE" --source audit 2>"$tmp/rec.log" &
	spid=$!
	until grep -q recording "$tmp/rec.log" 2>/dev/null; do
		kill -0 "$spid" 2>/dev/null || { cat "$tmp/rec.log" >&2; spid=""; die "sca record did not start"; }
		sleep 0.05
	done
}
stop_sca() {
	kill -INT "$spid"
	wait "$spid"
	spid=""
}
# Wait until the kernel's audit queue is empty and audit.log has stopped
# growing (at most 15 s); sca's trace is flushed at least once a second.
settle() {
	sleep 1.5
	prev=""
	i=0
	while [ "$i" -lt 50 ]; do
		cur="$(aus backlog) $(stat -c %s "$LOG" 2>/dev/null || echo -)"
		[ "${cur%% *}" = 0 ] && [ "$cur" = "$prev" ] && return 0
		prev=$cur
		i=$((i + 1))
		sleep 0.3
	done
}

label() {
	case $1 in
	none) echo "no recorder" ;;
	auditd) echo "auditd -> audit.log" ;;
	sca) echo "sca record -o" ;;
	both) echo "auditd + sca record" ;;
	esac
}

# one CONFIG ROUND: a run; appends to $tmp/res.CONFIG:
#   gen_s a_got a_Bpe a_nspe s_got s_Bpe s_nspe lost_delta wait_jiffies s_lost
one() {
	cfg=$1
	case $cfg in auditd | both) start_auditd ;; esac
	case $cfg in sca | both) start_sca ;; esac
	lost0=$(aus lost)
	wait0=$(aus backlog_wait_time_actual)
	t0=$(date +%s%N)
	pid=$("$GEN" -n "$N" | awk '{ print $2 }')
	t1=$(date +%s%N)
	settle
	lost1=$(aus lost)
	wait1=$(aus backlog_wait_time_actual)
	acpu=0 scpu=0
	[ -z "$apid" ] || acpu=$(cpu_of "$apid")
	[ -z "$spid" ] || scpu=$(cpu_of "$spid")
	[ -z "$apid" ] || stop_auditd
	[ -z "$spid" ] || stop_sca
	a_got=- a_Bpe=- a_ns=- s_got=- s_Bpe=- s_ns=- s_lost=-
	if [ "$cfg" = auditd ] || [ "$cfg" = both ]; then
		a_got=$(grep -c "^type=SECCOMP msg=audit([^)]*): .* pid=$pid comm=" "$LOG" || true)
		a_lines=$(wc -l <"$LOG")
		a_Bpe=$(awk -v b="$(wc -c <"$LOG")" -v n="$a_lines" 'BEGIN { printf "%.1f", b / n }')
		a_ns=$(awk -v c="$acpu" -v n="$a_lines" 'BEGIN { printf "%.0f", c * 1e9 / n }')
	fi
	if [ "$cfg" = sca ] || [ "$cfg" = both ]; then
		s_got=$("$SCA" analyze "$TRACE" --format csv \
			--sql "SELECT count(*) FROM ev WHERE pid = $pid AND syscall = 'getppid'" 2>/dev/null | tail -n 1 | tr -d '\r')
		s_all=$(sed -n 's/^sca record: \([0-9]*\) events, \([0-9]*\) lost.*/\1/p' "$tmp/rec.log")
		s_lost=$(sed -n 's/^sca record: \([0-9]*\) events, \([0-9]*\) lost.*/\2/p' "$tmp/rec.log")
		s_Bpe=$(awk -v b="$(wc -c <"$TRACE")" -v n="$s_all" 'BEGIN { printf "%.3f", n ? b / n : 0 }')
		s_ns=$(awk -v c="$scpu" -v n="$s_all" 'BEGIN { printf "%.0f", n ? c * 1e9 / n : 0 }')
	fi
	gen_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	echo "$gen_s $a_got $a_Bpe $a_ns $s_got $s_Bpe $s_ns $((lost1 - lost0)) $((wait1 - wait0)) $s_lost" >>"$tmp/res.$cfg"
	if [ "$cfg" = both ] && [ "$2" = "$ROUNDS" ]; then
		mv "$LOG" "$tmp/keep/audit.log"
		mv "$TRACE" "$tmp/keep/r.trace"
		keep_pid=$pid
	fi
	rm -f "$LOG" "$TRACE"
	awk -v r="$2" -v R="$ROUNDS" -v c="$cfg" -v g="$gen_s" -v n="$N" -v ag="$a_got" -v ab="$a_Bpe" -v an="$a_ns" \
	    -v sg="$s_got" -v sb="$s_Bpe" -v sn="$s_ns" -v sl="$s_lost" -v l="$((lost1 - lost0))" \
	    -v w="$(ms_of_jiffies $((wait1 - wait0)))" 'BEGIN {
		printf "  round %d/%d  %-6s  gen %6.3f s %8.0f ev/s", r, R, c, g, n / g
		if (ag != "-") printf "  | auditd %d/%d %6.1f B/ev %6d ns/ev", ag, n, ab, an
		if (sg != "-") printf "  | sca %d/%d %6.3f B/ev %5d ns/ev lost %d", sg, n, sb, sn, sl
		printf "  | kernel lost +%d, backlog wait +%s ms\n", l, w }'
}

comma() { awk -v x="$1" 'BEGIN { s = sprintf("%d", x); o = ""; while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) } print s o }'; }

echo "auditd side by side: sh bench/bench_auditd.sh $B $N $ROUNDS (as root)"
echo "  $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)), kernel $(uname -r), CONFIG_HZ=${khz:-?}"
echo "  auditd $(auditctl -v 2>&1 | awk '{ print $NF }') (auditd.conf: $CONF with log_file, max_log_file = $(conf_of max_log_file),"
echo "  max_log_file_action = $(conf_of max_log_file_action) and an empty plugin_dir; log_format = $(conf_of log_format),"
echo "  flush = $(conf_of flush), freq = $(conf_of freq); no audit rules loaded)"
echo "  kernel audit: enabled $orig_enabled, backlog_limit $(aus backlog_limit), backlog_wait_time $(aus backlog_wait_time) jiffies,"
echo "  lost $(aus lost); seccomp actions_logged: $(cat /proc/sys/kernel/seccomp/actions_logged)"
echo "  generator: logspam -n $N (N logged getppid calls); $ROUNDS rounds, order rotating"
echo

cfgs="none auditd sca both"
for r in $(seq "$ROUNDS"); do
	for cfg in $cfgs; do one "$cfg" "$r"; done
	cfgs="$(echo "$cfgs" | cut -d' ' -f2-) $(echo "$cfgs" | cut -d' ' -f1)"
done
echo

col() { awk -v c="$1" '{ print $c }' "$tmp/res.$2" | median; }
# captured, as "median / N" and whether every round had it
cap() {
	awk -v c="$1" -v n="$N" '{ v = $c; if (v < mn || NR == 1) mn = v; if (v > mx || NR == 1) mx = v }
		END { if (mn == mx) printf "%d %d same\n", mn, n; else printf "%d %d %d\n", mn, n, mx }' "$tmp/res.$2" |
		while read -r a n b; do
			if [ "$b" = same ]; then
				printf '%s / %s each round' "$(comma "$a")" "$(comma "$n")"
			else
				printf '%s to %s / %s' "$(comma "$a")" "$(comma "$b")" "$(comma "$n")"
			fi
		done
}
base=$(col 1 none)
ratio() { awk -v a="$1" -v b="$base" 'BEGIN { printf "%.2fx", a / b }'; }
sumcol() { awk -v c="$1" '{ s += $c } END { print s + 0 }' "$tmp/res.$2"; }
row() { printf '| %-22s | %-22s | %-8s | %-60s | %-13s | %-15s | %-11s | %-12s |\n' "$@"; }
range() { awk -v c="$1" '{ v = $c; if (v < mn || NR == 1) mn = v; if (v > mx || NR == 1) mx = v }
	END { printf "%.3f..%.3f", mn, mx }' "$tmp/res.$2"; }

echo "medians of $ROUNDS rounds; bytes and CPU per event are over all the records each recorder wrote:"
echo
row "configuration" "gen time (min..max)" "slowdown" "captured / generated (generator's pid)" "bytes/event" "recorder CPU/ev" "kernel lost" "backlog wait"
row "---" "---" "---" "---" "---" "---" "---" "---"
for cfg in none auditd sca both; do
	g=$(col 1 "$cfg")
	lost=$(sumcol 8 "$cfg")
	wait=$(ms_of_jiffies "$(col 9 "$cfg")")
	case $cfg in
	none) capt="" bpe="" cpu="" ;;
	auditd)
		capt="auditd $(cap 2 auditd)"
		bpe="$(col 3 auditd) (text)"
		cpu="$(col 4 auditd) ns" ;;
	sca)
		capt="sca $(cap 5 sca)"
		bpe="$(col 6 sca)"
		cpu="$(col 7 sca) ns" ;;
	both)
		capt="auditd $(cap 2 both), sca $(cap 5 both)"
		bpe="$(col 3 both); $(col 6 both)"
		cpu="$(col 4 both); $(col 7 both) ns" ;;
	esac
	row "$(label "$cfg")" "$(printf '%.3f s' "$g") ($(range 1 "$cfg"))" "$(ratio "$g")" "$capt" "$bpe" "$cpu" "+$lost total" "${wait} ms"
done
echo
echo "gen time: the generator's wall time; slowdown: against no recorder; kernel lost: the audit 'lost'"
echo "counter's growth summed over the rounds; backlog wait: the median growth of backlog_wait_time_actual,"
echo "the time tasks slept in audit_log_start() because more than backlog_limit records were queued for"
echo "auditd (it counts every task that made audit records meanwhile, not only the generator)."
s_lost_total=$(awk '$10 != "-" { s += $10 } END { print s + 0 }' "$tmp/res.sca" "$tmp/res.both")
echo "sca record's own lost count (receive-buffer overruns), summed over its runs: $s_lost_total"
echo

# ---- what the numbers say about auditd ----------------------------------------
mincol() { awk -v c="$1" '{ if ($c < m || NR == 1) m = $c } END { print m }' "$tmp/res.$2"; }
echo "notes:"
a_min=$(mincol 2 both)
s_min=$(mincol 5 both)
if [ "$a_min" = "$N" ] && [ "$s_min" = "$N" ]; then
	echo "  - both at once: auditd's unicast copy and sca's multicast copy each held every one of the"
	echo "    generator's $(comma "$N") records, in every round"
else
	echo "  - both at once: in the worst round auditd held $(comma "$a_min") and sca $(comma "$s_min") of $(comma "$N")"
fi
awk -v w="$(ms_of_jiffies "$(col 9 auditd)")" -v g="$(col 1 auditd)" -v bl="$(aus backlog_limit)" \
    -v wn="$(ms_of_jiffies "$(col 9 none)")" -v ws="$(ms_of_jiffies "$(col 9 sca)")" 'BEGIN {
	printf "  - auditd throttles the workload: with it, tasks slept %.0f ms in audit_log_start() (median)\n", w
	printf "    while the generator ran %.3f s: the queue to auditd stayed over backlog_limit (%d) and\n", g, bl
	printf "    the kernel made the generator wait for auditd (no recorder: %s ms; sca alone: %s ms)\n", wn, ws }'
lost_a=$(sumcol 8 auditd)
lost_b=$(sumcol 8 both)
a_min1=$(mincol 2 auditd)
lost_all=$((lost_a + lost_b))
if [ "$lost_all" -eq 0 ]; then
	echo "  - the kernel's audit 'lost' counter did not grow in the runs with auditd"
elif [ "$a_min1" = "$N" ] && [ "$a_min" = "$N" ]; then
	echo "  - the kernel's audit 'lost' counter grew by $lost_all in the runs with auditd ($(sumcol 8 none) without"
	echo "    it, $(sumcol 8 sca) with sca alone), yet audit.log held all the generator's records every time:"
	echo "    the lost ones were other tasks' (made where the kernel cannot wait, they are dropped instead)"
else
	echo "  - the kernel's audit 'lost' counter grew by $lost_all in the runs with auditd, and audit.log missed"
	echo "    some of the generator's records (worst round: $(comma "$a_min1") of $(comma "$N") alone)"
fi
echo

# ---- the same question: count per syscall -----------------------------------
KLOG=$tmp/keep/audit.log
KTRACE=$tmp/keep/r.trace
lines=$(wc -l <"$KLOG")
kseccomp=$(grep -c '^type=SECCOMP ' "$KLOG" || true)
echo "count per syscall, on the audit.log ($(comma "$lines") lines, $(awk -v b="$(wc -c <"$KLOG")" 'BEGIN { printf "%.1f MB", b / 1e6 }'))"
echo "and the trace ($(comma "$(wc -c <"$KTRACE")") bytes) kept from round $ROUNDS's 'both' run (generator pid $keep_pid):"
if [ "$lines" -gt "$AUDIT_FULL_MAX" ]; then
	head -n "$AUDIT_LINES" "$KLOG" >"$tmp/keep/part.log"
	ALOG=$tmp/keep/part.log
	echo "  aureport and ausearch run on the FIRST $(comma "$AUDIT_LINES") LINES only: on all $(comma "$lines") their time"
	echo "  would be minutes (it grows faster than the log; above AUDIT_FULL_MAX=$AUDIT_FULL_MAX lines the cut applies)"
else
	ALOG=$KLOG
fi
aseccomp=$(grep -c '^type=SECCOMP ' "$ALOG" || true)

run() {
	lbl=$1
	shift
	t0=$(date +%s%N)
	"$@" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; die "failed: $*"; }
	t1=$(date +%s%N)
	wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	echo "$wall" >>"$tmp/q.$lbl"
}
runs() {
	lbl=$1
	shift
	for r in $(seq "$QRUNS"); do
		run "$lbl" "$@"
		[ "$(awk -v w="$wall" 'BEGIN { print (w > 10) }')" -eq 0 ] || break
	done
	printf '    %s s (%s)\n' "$(median <"$tmp/q.$lbl")" \
		"$(awk 'END { print NR }' "$tmp/q.$lbl" | awk '{ print ($1 > 1 ? "median of " $1 " runs" : "1 run") }')"
}

echo
echo "  aureport --syscall --summary -if LOG   ($(comma "$aseccomp") SECCOMP records)"
runs arep aureport --syscall --summary -if "$ALOG"
awk '$1 ~ /^[0-9]+$/ && NF == 2 { a = a (a == "" ? "" : ", ") $1 " of syscall " $2 }
	END { print "    answer: " a "\n    (syscall numbers, no names; no split by arch or action)" }' "$tmp/out"

echo "  ausearch -m SECCOMP -if LOG --raw | awk (count per arch, syscall, code)   (same lines)"
cat >"$tmp/count.awk" <<'EOF'
{
	sub(/\035.*/, "") # log_format = ENRICHED: the interpretations after a GS
	k = ""
	for (i = 1; i <= NF; i++)
		if ($i ~ /^(arch|syscall|code)=/)
			k = k " " $i
	c[k]++
}
END { for (k in c) print c[k] k }
EOF
# shellcheck disable=SC2016 # the inner shell's
runs asearch sh -c 'ausearch -m SECCOMP -if "$1" --raw | awk -f "$2"' sh "$ALOG" "$tmp/count.awk"
sed 's/^/    answer: /' "$tmp/out"

echo "  sca analyze TRACE --by syscall   (every event of the trace)"
runs sca "$SCA" analyze "$KTRACE" --by syscall
grep -v '^#' "$tmp/out" | sed 's/^/    answer: /'

echo "  sca record --import LOG -o T && sca analyze T --by syscall   (the same lines as aureport)"
# shellcheck disable=SC2016
runs scaimp sh -c 'rm -f "$3" && "$1" record --import "$2" -o "$3" 2>/dev/null && "$1" analyze "$3" --by syscall' sh "$SCA" "$ALOG" "$tmp/keep/imp.trace"
grep -v '^#' "$tmp/out" | sed 's/^/    answer: /'
echo

q() { median <"$tmp/q.$1"; }
qrow() { printf '| %-52s | %-28s | %-9s |\n' "$@"; }
sca_events=$("$SCA" analyze "$KTRACE" --format csv --sql 'SELECT count(*) FROM ev' 2>/dev/null | tail -n 1 | tr -d '\r')
if [ "$ALOG" = "$KLOG" ]; then what="all $(comma "$aseccomp")"; else what="$(comma "$aseccomp") (first $(comma "$AUDIT_LINES") lines)"; fi
# shellcheck disable=SC2016 # backquotes for Markdown
{
qrow "count per syscall" "events read" "time"
qrow "---" "---" "---"
qrow '`aureport --syscall --summary -if audit.log`' "$what" "$(q arep) s"
qrow '`ausearch -m SECCOMP -if audit.log --raw` \| awk' "$what" "$(q asearch) s"
qrow '`sca analyze TRACE --by syscall`' "all $(comma "$sca_events")" "$(q sca) s"
qrow '`sca record --import audit.log` + `sca analyze`' "$what" "$(q scaimp) s"
}
echo
echo "(the audit.log holds $(comma "$kseccomp") SECCOMP records in all; the trace $(comma "$sca_events") events)"
