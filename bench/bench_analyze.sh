#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Analysis benchmark, on N synthetic events (bench/synth.h, default
# 10,000,000):
#  - load: `sca analyze TRACE --db DB --top 1` (load, commit, a tiny answer):
#    wall time, events/s, max RSS;
#  - query: `sca analyze DB` (--by syscall on the kept database): wall time;
#  - beside it, sqlite3's own `.import --csv` of the same events into the
#    same events table with the same bulk PRAGMAs (both read from
#    analyze/db.c), and sqlite3 answering the same question from that raw
#    table;
#  - where auditd is installed: aureport --syscall --summary and ausearch on
#    the same events as audit.log text, beside sca on the same events (from
#    the trace, and from that audit.log through `sca record --import`).
#    aureport and ausearch take about a minute per 100,000 of these events
#    here, so this part uses AUDIT_SIZES (default "10000 100000") events.
# Prints each run and medians (loads: RUNS runs; queries: QRUNS runs;
# aureport/ausearch: up to QRUNS runs, one only when a run takes over 10 s).
#
#   sh bench/bench_analyze.sh [BUILD_DIR] [N] [RUNS]
#   environment: QRUNS (default 5), AUDIT_SIZES, TMPDIR (scratch files;
#   needs 10 GiB free, default /tmp)
set -eu
B=${1:-build}
N=${2:-10000000}
RUNS=${3:-3}
QRUNS=${QRUNS:-5}
AUDIT_SIZES=${AUDIT_SIZES:-10000 100000}
SRC=$(cd "$(dirname "$0")/.." && pwd)
SCA=$B/sca
SYNTH=$B/bench/synth_trace
EXPORT=$B/bench/trace_export
TIME=/usr/bin/time

die() { echo "bench_analyze: $*" >&2; exit 2; }

for x in "$SCA" "$SYNTH" "$EXPORT"; do
	[ -x "$x" ] || die "$x missing: build first (scripts/build.sh)"
done
[ -x "$TIME" ] || die "$TIME missing (Debian package 'time'; scripts/deps.sh installs it)"
command -v sqlite3 >/dev/null || die "sqlite3 missing (scripts/deps.sh installs it)"

scratch=${TMPDIR:-/tmp}
free_kib=$(df -Pk "$scratch" | awk 'NR == 2 { print $4 }')
[ "$free_kib" -ge $((10 * 1024 * 1024)) ] ||
	die "$scratch has $((free_kib / 1024)) MiB free, needs 10 GiB (set TMPDIR to a roomier place)"
tmp=$(mktemp -d "$scratch/bench_analyze.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# The events table and the bulk-load PRAGMAs exactly as sca uses them.
pragmas=$(sed -n '/^static int setup_bulk/,/^}/p' "$SRC/analyze/db.c" | grep -o 'PRAGMA [a-z_]*=[^;]*;' || true)
create=$(sed -n '/"CREATE TABLE events(/,/);/p' "$SRC/analyze/db.c" | sed 's/^[[:space:]]*"//; s/\\n"$//')
cols=$(echo "$create" | tr '\n' ' ' | sed 's/.*events(//; s/).*//' |
	awk -F, '{ for (i = 1; i <= NF; i++) { split($i, w, " "); printf "%s%s", (i > 1 ? "," : ""), w[1] } }')
[ -n "$pragmas" ] || die "no PRAGMAs found in setup_bulk() of analyze/db.c"
[ "$cols" = "trace_id,time_ns,serial,process,tid,arch,nr,code,sig,ip,compat" ] ||
	die "analyze/db.c's events columns are now ($cols): update bench/trace_export.c"

. "$(dirname "$0")/lib.sh"   # median

# run LABEL CMD...: run CMD once (stdout to $tmp/out, stderr to $tmp/err),
# set $wall (s) and $rss (max RSS, KiB), and append "wall rss" to
# $tmp/LABEL. A shell pipeline goes in as: sh -c '...'.
run() {
	lbl=$1
	shift
	t0=$(date +%s%N)
	if ! "$TIME" -o "$tmp/rss" -f %M "$@" >"$tmp/out" 2>"$tmp/err"; then
		echo "bench_analyze: failed: $*" >&2
		cat "$tmp/err" >&2
		exit 1
	fi
	t1=$(date +%s%N)
	wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
	rss=$(tail -n 1 "$tmp/rss")
	echo "$wall $rss" >>"$tmp/$lbl"
}

col() { awk -v c="$1" '{ print $c }' "$tmp/$2" | median; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
size() { awk -v b="$(wc -c <"$1")" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }

# Runs of a slow tool: up to QRUNS, but only one when a run takes over 10 s.
run_slow() {
	lbl=$1
	shift
	for r in $(seq "$QRUNS"); do
		run "$lbl" "$@"
		printf '    run %d: %9.3f s   max RSS %s\n' "$r" "$wall" "$(mib "$rss")"
		[ "$(awk -v w="$wall" 'BEGIN { print (w > 10) }')" -eq 0 ] || break
	done
}

runs_of() { wc -l <"$tmp/$1" | tr -d ' '; }

echo "sca analyze benchmark: sh bench/bench_analyze.sh $B $N $RUNS (QRUNS=$QRUNS, AUDIT_SIZES=\"$AUDIT_SIZES\")"
echo "  $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)),"
echo "  kernel $(uname -r), SQLite $(sqlite3 --version | awk '{ print $1 }'), scratch $scratch ($((free_kib / 1024 / 1024)) GiB free)"
echo

# ---- the trace --------------------------------------------------------------
T=$tmp/n.trace
run gen "$SYNTH" -n "$N" -o "$T"
echo "trace: $N synthetic events (bench/synth.h) written in $wall s, $(size "$T")"
echo

# ---- load ---------------------------------------------------------------------
DB=$tmp/sca.db
echo "load: sca analyze TRACE --db DB --top 1   (load, commit, a one-row answer; $RUNS runs)"
for r in $(seq "$RUNS"); do
	rm -f "$DB"
	sync
	run load "$SCA" analyze "$T" --db "$DB" --top 1
	awk -v r="$r" -v w="$wall" -v n="$N" -v k="$rss" 'BEGIN {
		printf "  run %d: %8.3f s   %10.0f events/s   max RSS %.1f MiB\n", r, w, n / w, k / 1024 }'
done
got=$("$SCA" analyze "$DB" --format csv --sql 'SELECT count(*) FROM events' 2>/dev/null | tail -n 1 | tr -d '\r')
[ "$got" = "$N" ] || die "sca's database holds $got events, not $N"
load_s=$(col 1 load)
load_rss=$(col 2 load)
db_bytes=$(wc -c <"$DB")
awk -v w="$load_s" -v n="$N" -v k="$load_rss" -v b="$db_bytes" 'BEGIN {
	printf "  median: %.3f s = %.0f events/s (target >= 1,000,000: %s), max RSS %.1f MiB; database %.1f MB\n",
		w, n / w, (n / w >= 1e6 ? "met" : "NOT MET"), k / 1024, b / 1e6 }'
echo

# ---- query --------------------------------------------------------------------
echo "query: sca analyze DB   (--by syscall, the default, on the kept database; $QRUNS runs)"
for r in $(seq "$QRUNS"); do
	run query "$SCA" analyze "$DB"
	printf '  run %d: %8.3f s   max RSS %s\n' "$r" "$wall" "$(mib "$rss")"
done
rows=$(($(grep -vc '^#' "$tmp/out") - 1))
query_s=$(col 1 query)
awk -v w="$query_s" -v rows="$rows" 'BEGIN {
	printf "  median: %.3f s (target < 1 s: %s); %d rows, the first:\n", w, w < 1 ? "met" : "NOT MET", rows }'
grep -v '^#' "$tmp/out" | head -n 4 | sed 's/^/    /'
echo

# ---- sqlite3 .import -------------------------------------------------------
CSV=$tmp/events.csv
SQ=$tmp/import.db
run csv "$EXPORT" -f csv "$T" "$CSV"
echo "sqlite3 .import: the same events as CSV rows of the events table ($(size "$CSV"), made by"
echo "  trace_export in $wall s, not counted below), imported by the sqlite3 shell with:"
{
	echo "$pragmas"
	echo "$create"
	echo ".import --csv $CSV events"
} >"$tmp/import.sql"
sed 's/^/    /' "$tmp/import.sql"
echo "  ($RUNS runs)"
for r in $(seq "$RUNS"); do
	rm -f "$SQ"
	sync
	run import sqlite3 -batch "$SQ" ".read $tmp/import.sql"
	awk -v r="$r" -v w="$wall" -v n="$N" -v k="$rss" 'BEGIN {
		printf "  run %d: %8.3f s   %10.0f events/s   max RSS %.1f MiB\n", r, w, n / w, k / 1024 }'
done
rm -f "$CSV"
got=$(sqlite3 "$SQ" 'SELECT count(*) FROM events')
[ "$got" = "$N" ] || die "sqlite3 imported $got events, not $N"
import_s=$(col 1 import)
awk -v s="$import_s" -v w="$load_s" -v n="$N" -v k="$(col 2 import)" -v b="$(wc -c <"$SQ")" 'BEGIN {
	printf "  median: %.3f s = %.0f events/s, max RSS %.1f MiB; database %.1f MB\n", s, n / s, k / 1024, b / 1e6
	printf "  side by side: sca load %.3f s (events, processes, roll-up, names, index)\n", w
	printf "                sqlite3 .import %.3f s (the events table alone)\n", s
	printf "                sqlite3 / sca = %.2f: sca is %s\n", s / w,
		w <= s ? "not slower (target met)" : "SLOWER (target NOT MET)" }'
echo

q="SELECT arch, nr, code, count(*), count(DISTINCT process), min(time_ns), max(time_ns) FROM events GROUP BY arch, nr, code ORDER BY arch, nr, code"
echo "for reference, sqlite3 answering --by syscall's question from the imported raw events:"
echo "  sqlite3 DB '$q'   ($RUNS runs)"
for r in $(seq "$RUNS"); do
	run raw sqlite3 -csv "$SQ" "$q"
	printf '  run %d: %8.3f s   max RSS %s\n' "$r" "$wall" "$(mib "$rss")"
done
tr -d '\r' <"$tmp/out" >"$tmp/raw.csv"
"$SCA" analyze "$DB" --format csv --sql "SELECT arch, nr, code, sum(n), count(DISTINCT process), min(first_ns), max(last_ns) FROM counts GROUP BY arch, nr, code ORDER BY arch, nr, code" 2>/dev/null |
	tail -n +2 | tr -d '\r' >"$tmp/sca.csv"
if cmp -s "$tmp/raw.csv" "$tmp/sca.csv"; then same="the same"; else same="DIFFERENT"; fi
printf '  median: %.3f s (sca: %.3f s); counts, processes, first and last times per (arch, syscall, code): %s as sca'"'"'s\n' \
	"$(col 1 raw)" "$query_s" "$same"
rm -f "$SQ" "$DB" "$tmp/raw.csv" "$tmp/sca.csv"
echo

# ---- auditd's tools ------------------------------------------------------------
if ! command -v aureport >/dev/null || ! command -v ausearch >/dev/null; then
	echo "auditd comparison: skipped (aureport/ausearch not installed: Debian package auditd)"
	exit 0
fi
echo "auditd comparison ($(aureport -v 2>&1 | head -n 1)) on the first n of the same events as"
echo "  audit.log lines (raw format, trace_export -f audit), at n = $(echo "$AUDIT_SIZES" | tr -s ' ' | sed 's/ /, /g'):"
echo "  aureport's and ausearch's time grows faster than n (about a minute each for 100,000 of"
echo "  these events on a 2-core machine), so n stays well under $N here (AUDIT_SIZES sets it)."
for n in $AUDIT_SIZES; do
	AT=$tmp/a.trace
	LOG=$tmp/audit.log
	IT=$tmp/imported.trace
	for f in arep asearch sca_trace sca_import sca_import_q; do rm -f "$tmp/$f"; done
	"$SYNTH" -n "$n" -o "$AT"
	"$EXPORT" -f audit "$AT" "$LOG" 2>/dev/null
	echo
	awk -v n="$n" -v b="$(wc -c <"$LOG")" -v t="$(wc -c <"$AT")" 'BEGIN {
		printf "n = %d events: audit.log %.1f MB (%.1f bytes/event), trace %.2f MB\n", n, b / 1e6, b / n, t / 1e6 }'

	echo "  aureport --syscall --summary -if audit.log   (count per syscall)"
	run_slow arep aureport --syscall --summary -if "$LOG"
	counted=$(awk '$1 ~ /^[0-9]+$/ && NF == 2 { s += $1 } END { print s + 0 }' "$tmp/out")
	zero=$(grep -c ' syscall=0 ' "$LOG" || true)
	if [ $((counted + zero)) -eq "$n" ] && [ "$zero" -gt 0 ]; then
		echo "    counted $counted of $n events: the $zero of syscall 0 (read) are left out; no split by arch or action"
	else
		echo "    counted $counted of $n events"
	fi

	echo "  ausearch -m SECCOMP -if audit.log --raw | wc -l   (extraction only, no counting)"
	# shellcheck disable=SC2016 # $1 is the inner shell's
	run_slow asearch sh -c 'ausearch -m SECCOMP -if "$1" --raw | wc -l' sh "$LOG"
	echo "    $(tr -d ' ' <"$tmp/out") lines out"

	for r in $(seq "$QRUNS"); do
		run sca_trace "$SCA" analyze "$AT"
		run sca_import "$SCA" record --force --import "$LOG" -o "$IT"
		run sca_import_q "$SCA" analyze "$IT"
	done
	awk -v a="$(col 1 sca_trace)" -v b="$(col 1 sca_import)" -v c="$(col 1 sca_import_q)" \
	    -v ra="$(col 2 sca_trace)" -v rb="$(col 2 sca_import)" -v rc="$(col 2 sca_import_q)" -v q="$QRUNS" 'BEGIN {
		printf "  sca analyze TRACE   (load into a temporary database + --by syscall; median of %d)\n", q
		printf "    %.3f s   max RSS %.1f MiB\n", a, ra / 1024
		printf "  sca record --import audit.log -o T; sca analyze T   (from the same text; median of %d)\n", q
		printf "    %.3f s + %.3f s = %.3f s   max RSS %.1f MiB\n", b, c, b + c, (rb > rc ? rb : rc) / 1024
	}'
	awk -v ar="$(col 1 arep)" -v as="$(col 1 asearch)" -v a="$(col 1 sca_trace)" \
	    -v t="$(awk -v b="$(col 1 sca_import)" -v c="$(col 1 sca_import_q)" 'BEGIN { print b + c }')" \
	    -v nar="$(runs_of arep)" -v nas="$(runs_of asearch)" 'BEGIN {
		printf "  side by side (aureport: %s, ausearch: %s):\n",
			(nar > 1 ? "median of " nar " runs" : "1 run"), (nas > 1 ? "median of " nas " runs" : "1 run")
		printf "    aureport --syscall --summary  %9.3f s   %7.1fx sca from the trace, %7.1fx sca from audit.log\n", ar, ar / a, ar / t
		printf "    ausearch -m SECCOMP | wc -l   %9.3f s   %7.1fx sca from the trace, %7.1fx sca from audit.log\n", as, as / a, as / t
		printf "    sca (trace)                   %9.3f s\n", a
		printf "    sca (audit.log)               %9.3f s\n", t
	}'
	rm -f "$AT" "$LOG" "$IT"
done
