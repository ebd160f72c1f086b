#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# `sca analyze` as a user runs it: outputs compared with expected files
# (tests/data/analyze/*.out) on generated traces, cross-checked against the
# trace itself; the syscall source's calls beside events; merging, damage,
# --db reuse, refused writes, usage errors.
#
# usage: test_analyze.sh PATH/TO/sca PATH/TO/synth_trace DATA_DIR
# With UPDATE_GOLDEN=1 the expected files are rewritten instead.
set -u
SCA=$1 SYNTH=$2 DATA=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
failed=0 checks=0
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

"$SYNTH" -n 3000 -s 42 -H host-a -o a.trace
"$SYNTH" -n 2000 -s 7 -H host-b -o b.trace
# as the syscall source records it: calls, refusals, calls it lost or could not attribute
"$SYNTH" -n 3000 -s 42 -H host-c -c -U -L -o c.trace

# golden NAME ARGS...: stdout of `sca analyze ARGS` must equal NAME.out
golden() {
	name=$1
	shift
	checks=$((checks + 1))
	rc=0
	"$SCA" analyze "$@" >"$name.got" 2>"$name.err" || rc=$?
	[ "$rc" -eq 0 ] || { cat "$name.err" >&2; fail "$name: exit $rc"; return; }
	if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
		cp "$name.got" "$DATA/analyze/$name.out"
	elif ! diff -u "$DATA/analyze/$name.out" "$name.got" >&2; then
		fail "$name: output differs from $DATA/analyze/$name.out"
	fi
}

golden by_syscall a.trace --top 6
golden by_host_container_csv a.trace b.trace --by host,container --format csv
golden by_namespace_pod_json a.trace b.trace --by namespace,pod --format json
golden events_json a.trace --events --top 4 --format json \
	--columns time,host,pid,tid,comm,arch,syscall,nr,code,runtime.containername,k8s.pod,k8s.namespace
golden events_window a.trace --events --since +10ms --until +10.2ms --columns time,pid,syscall,code
golden filters a.trace --by comm,code --code errno --syscall read,write
golden compat a.trace --by arch,code --comm legacy32
golden sql_csv a.trace --sql "SELECT comm, count(*) AS n FROM ev GROUP BY comm ORDER BY n DESC, comm" --format csv
COLUMNS=48 golden fitted a.trace --by exe,container --top 3
golden calls c.trace --top 6
golden calls_comm_csv c.trace --by comm --format csv
golden calls_json c.trace --by container --format json
golden calls_refused c.trace --code errno,kill --by comm,syscall
golden calls_merged a.trace c.trace --by host

# The calls column sums what the trace holds, per group as in all; calls are
# code allow, and calls without a process belong to no --comm.
checks=$((checks + 1))
total=$("$SCA" analyze c.trace --sql "SELECT sum(count) FROM calls" --format csv 2>/dev/null | tail -1 | tr -d '\r')
by=$("$SCA" analyze c.trace --by comm --format csv 2>/dev/null | awk -F, 'NR > 1 { n += $3 } END { print n }')
allow=$("$SCA" analyze c.trace --by code --code allow --format csv 2>/dev/null | awk -F, 'NR > 1 { print $2 + $3 }')
[ "$total" = 2985 ] && [ "$by" = "$total" ] && [ "$allow" = "$total" ] ||
	fail "calls: $total in the table, $by summed by comm, $allow with --code allow; want 2985"
checks=$((checks + 1))
n=$("$SCA" analyze c.trace --by comm --comm nginx,cron --format csv 2>/dev/null | awk -F, 'NR > 1 { n += $3 } END { print n }')
want=$("$SCA" analyze c.trace --sql "SELECT sum(count) FROM calls_ev WHERE comm IN ('nginx', 'cron')" --format csv 2>/dev/null |
	tail -1 | tr -d '\r')
[ "$n" = "$want" ] && [ "$n" -gt 0 ] || fail "--comm over calls: $n, want $want"
checks=$((checks + 1))
grep -q "^#   syscall source: the kernel did not count 5 calls (lost; their syscalls may be missing)$" calls.got &&
	grep -q "^#   syscall source: 10 calls without a process (the table was full: their syscalls are known, not which process made them)$" calls.got ||
	{ cat calls.got >&2; fail "calls: the header does not say what the syscall source lost"; }

# Cross-check --by syscall against the trace's own events.
checks=$((checks + 1))
"$SCA" analyze a.trace --format csv 2>/dev/null | awk -F, 'NR > 1 { n[$1] += $3 } END { for (s in n) print s, n[s] }' |
	sort >by.txt
"$SCA" inspect --events a.trace | awk '/^[0-9][0-9][0-9][0-9]-/ { n[$6]++ } END { for (s in n) print s, n[s] }' |
	sort >ev.txt
diff by.txt ev.txt >&2 || fail "--by syscall counts differ from the trace's events"
checks=$((checks + 1))
n=$("$SCA" analyze a.trace b.trace --sql "SELECT count(*) FROM ev" --format csv 2>/dev/null | tail -1 | tr -d '\r')
[ "$n" = 5000 ] || fail "two traces merged: $n events, want 5000"

# A directory is its *.trace files in name order (not hidden ones, not
# subdirectories): the same answer as naming them.
checks=$((checks + 1))
mkdir -p dir/sub.trace
cp b.trace dir/2.trace
cp a.trace dir/1.trace
cp a.trace dir/.hidden.trace
echo "not a trace" >dir/notes.txt
"$SCA" analyze dir/1.trace dir/2.trace --by host,comm >named.out 2>/dev/null || fail "analyze two named traces"
rc=0
"$SCA" analyze dir --by host,comm >dir.out 2>dir.err || rc=$?
[ "$rc" -eq 0 ] || { cat dir.err >&2; fail "analyze DIR: exit $rc"; }
cmp -s named.out dir.out || { diff named.out dir.out >&2; fail "analyze DIR differs from its files named"; }
checks=$((checks + 1))
rc=0
"$SCA" analyze dir/sub.trace >/dev/null 2>err || rc=$?
[ "$rc" -eq 1 ] && [ "$(wc -l <err)" -eq 1 ] && grep -q "dir/sub.trace: a directory without \*.trace files" err ||
	{ cat err >&2; fail "a directory without traces: exit $rc"; }

# A truncated trace loads what is intact and says what was skipped.
checks=$((checks + 1))
size=$(wc -c <a.trace)
head -c $((size - 200)) a.trace >cut.trace
rc=0
"$SCA" analyze cut.trace --by comm >cut.out 2>cut.err || rc=$?
[ "$rc" -eq 0 ] || fail "truncated trace: exit $rc"
grep -q "^# trace cut.trace: host host-a, 0 events, 0 lost, not closed cleanly" cut.out &&
	grep -q "^#   damage: truncated at offset" cut.out || { cat cut.out >&2; fail "truncated trace: no damage in the header"; }

# --db keeps the database; reusing it answers the same without reloading.
checks=$((checks + 1))
"$SCA" analyze a.trace b.trace --db kept.db --by comm >direct.out 2>/dev/null || fail "--db: load failed"
[ -f kept.db ] && [ ! -e kept.db.tmp ] || fail "--db: kept.db missing or kept.db.tmp left behind"
"$SCA" analyze kept.db --by comm >reused.out 2>/dev/null || fail "--db: reuse failed"
cmp -s direct.out reused.out || fail "--db: reused answer differs"
checks=$((checks + 1))
rc=0
"$SCA" analyze kept.db a.trace >/dev/null 2>err || rc=$?
[ "$rc" -eq 2 ] || fail "a database with traces beside it: exit $rc, want 2"

# Queries cannot write, reach files or the library, whatever they try; each
# refusal is one line naming what was refused.
while IFS='|' read -r q word; do
	checks=$((checks + 1))
	rc=0
	"$SCA" analyze kept.db --sql "$q" >/dev/null 2>err || rc=$?
	[ "$rc" -eq 1 ] && [ "$(wc -l <err)" -eq 1 ] && grep -q "^sca analyze: --sql: .*$word" err ||
		{ cat err >&2; fail "--sql '$q': exit $rc, want 1 and one line naming '$word'"; }
done <<'EOF'
DELETE FROM events|not DELETE
DROP TABLE events|not DROP TABLE
INSERT INTO meta VALUES ('x', 'y')|not INSERT
WITH x AS (SELECT 1) UPDATE meta SET value = 'x'|not UPDATE
PRAGMA query_only = OFF|PRAGMA query_only is not allowed
ATTACH DATABASE 'evil.db' AS evil|not ATTACH
DETACH DATABASE main|not DETACH
SELECT 1; DELETE FROM events|one statement at a time
CREATE TEMP TABLE t(x)|not CREATE TEMP TABLE
VACUUM INTO 'vacuum.db'|not VACUUM
SELECT hex(fts3_tokenizer('simple'))|function fts3_tokenizer() is not allowed
SELECT fts3_tokenizer('x', x'4141414141414141')|function fts3_tokenizer() is not allowed
SELECT load_extension('./evil.so')|function load_extension() is not allowed
PRAGMA user_version|PRAGMA user_version is not allowed
SELECT * FROM pragma_user_version|PRAGMA user_version is not allowed
EOF
checks=$((checks + 1))
n=$("$SCA" analyze kept.db --sql "SELECT count(*) FROM events" --format csv 2>/dev/null | tail -1 | tr -d '\r')
[ "$n" = 5000 ] && [ ! -e evil.db ] && [ ! -e vacuum.db ] || fail "the database changed after refused writes ($n events)"

# Reading the schema is a read, even through a pragma with an argument;
# comments and blanks may follow the one statement.
checks=$((checks + 1))
"$SCA" analyze kept.db --sql "PRAGMA table_info(events)" --format csv 2>/dev/null | grep -q "^2,serial,INTEGER" ||
	fail "PRAGMA table_info refused"
for q in "SELECT 1; -- c" "SELECT 1 /* c */ ;
 " "SELECT name FROM pragma_table_info('events') LIMIT 1"; do
	checks=$((checks + 1))
	"$SCA" analyze kept.db --sql "$q" >/dev/null 2>err || { cat err >&2; fail "--sql '$q' refused"; }
done

# Every query docs/schema.md shows runs as it says: its refusal, word for
# word, or rows under the columns it shows (their widths depend on the data).
doc=$DATA/../../docs/schema.md
tab=$(printf '\t')
awk -v tab="$tab" '
	q != "" && /^#/ { next }
	q != "" { print q tab (/^(```|\$ )/ ? "" : $0); q = "" }
	/^\$ build\/sca analyze [^ ]* --sql "/ { q = $0; sub(/^\$ build\/sca analyze [^ ]* --sql "/, "", q); sub(/"$/, "", q) }
' "$doc" >doc.tsv
checks=$((checks + 1))
[ "$(wc -l <doc.tsv)" -ge 20 ] || fail "only $(wc -l <doc.tsv) queries found in $doc"
squeeze() { tr -s ' ' | sed 's/^ //; s/ $//'; }
while IFS="$tab" read -r q want; do
	checks=$((checks + 1))
	rc=0
	"$SCA" analyze kept.db --sql "$q" >doc.out 2>doc.err || rc=$?
	case $want in
	"sca analyze: "*)
		[ "$rc" -eq 1 ] && [ "$(cat doc.err)" = "$want" ] ||
			{ cat doc.err >&2; fail "docs/schema.md: '$q': exit $rc, want 1 and '$want'"; } ;;
	*)
		got=$(grep -v '^#' doc.out | head -1 | squeeze)
		[ "$rc" -eq 0 ] && [ "$got" = "$(echo "$want" | squeeze)" ] ||
			{ cat doc.err >&2; fail "docs/schema.md: '$q': exit $rc, columns '$got', want '$want'"; } ;;
	esac
done <doc.tsv
checks=$((checks + 1))
[ ! -e copy.db ] || fail "docs/schema.md: a refused query wrote copy.db"

# Failures: one line, exit 1, no database left half-written.
checks=$((checks + 1))
rc=0
"$SCA" analyze a.trace missing.trace --db half.db >/dev/null 2>err || rc=$?
[ "$rc" -eq 1 ] && [ "$(wc -l <err)" -eq 1 ] && grep -q "missing.trace: No such file" err || fail "missing trace: exit $rc"
[ ! -e half.db ] && [ ! -e half.db.tmp ] || fail "missing trace: a database was left behind"
echo "hello" >text.trace
checks=$((checks + 1))
rc=0
"$SCA" analyze text.trace >/dev/null 2>err || rc=$?
[ "$rc" -eq 1 ] && grep -q "text.trace: not an sca trace" err || fail "not a trace: exit $rc"
checks=$((checks + 1))
rc=0
"$SCA" analyze a.trace --sql "SELEC nonsense" >/dev/null 2>err || rc=$?
[ "$rc" -eq 1 ] || fail "bad SQL: exit $rc"
for args in "--by frob" "--events --sql x" "--by comm --events" "--format xml" "--top 0" \
	"--since yesterday" "--columns pid" "--events --columns nope" "--pid x" "--sql x --top 3" \
	"--sql x --syscall read"; do
	checks=$((checks + 1))
	rc=0
	# shellcheck disable=SC2086
	"$SCA" analyze a.trace $args >/dev/null 2>err || rc=$?
	[ "$rc" -eq 2 ] && [ "$(wc -l <err)" -eq 1 ] || { cat err >&2; fail "analyze $args: exit $rc, want 2 and one line"; }
done

if [ "$failed" -ne 0 ]; then
	echo "test_analyze: $failed of $checks checks FAILED" >&2
	exit 1
fi
echo "test_analyze: all $checks checks passed"
