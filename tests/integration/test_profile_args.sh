#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Argument-level rules, as users meet them, on the real kernel:
#  1. Sockets: a Python workload's AF_INET and AF_UNIX sockets give socket
#     rules on arg0 (masked 0xffffffff) == 1 or 2, none unconditional; the
#     workload passes --verify, and refused (exit 1, a refusal of socket)
#     when it also opens AF_INET6 or AF_PACKET. With --args none AF_INET6
#     passes: the conditions are what refuses.
#  2. Namespaces: nsprobe's fork/exec and thread learnt; under that profile
#     clone(CLONE_NEWUSER) and unshare(CLONE_NEWUSER) get EPERM, a raw
#     clone3 ENOSYS, and fork/exec and threads (clone3, then libc's
#     fallback to clone) still work. Without the profile, and under the
#     --args none one, the namespace clone succeeds.
#  3. Many starts: the demo workload passes --verify 50 times of 50 under
#     its profile with conditions; a runc container learnt with
#     --all-syscalls --container starts 50 times of 50 under its profile
#     (default errno) with the filter in force. One recording each is
#     enough (measured: 8 container recordings, 50 of 50 starts after each;
#     what differed between them, sched_yield and tgkill of runc's Go init,
#     fails soft under errno). No start is retried.
#  4. crun, when installed, starts the same container 20 times of 20 under
#     the same profile.
set -u
SCA=$1 NSPROBE=$2 WORKLOAD=$3
. "$(dirname "$0")/lib.sh"
need_root
need_containers
[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3"
cd "$tmp" || exit 1

now() {
	date +%s.%N
}

# since T0: seconds from T0 to now, to a tenth
since() {
	echo "$1 $(now)" | awk '{ printf "%.1f", $2 - $1 }'
}

# conds PROFILE NAME: NAME's rules, one compact line each (action and args)
conds() {
	jq -c --arg n "$2" '.syscalls[] | select(.names | index([$n])) | {action, errnoRet, args}' "$1"
}

# ---- 1. sockets -------------------------------------------------------
# w.py [FAMILY...]: an AF_INET and an AF_UNIX socket and a little else,
# then a datagram socket of each FAMILY; a line for each; exits 0, so a
# failed --verify is the profile's refusal, not the workload's status.
cat >w.py <<'EOF'
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
print("AF_INET: ok, port", s.getsockname()[1] > 0)
s.close()
u = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
print("AF_UNIX: ok")
u.close()
os.listdir("/")
with open("/proc/self/status") as f:
    f.read()
for fam in sys.argv[1:]:
    try:
        socket.socket(getattr(socket, fam), socket.SOCK_DGRAM).close()
        print(fam + ": ok")
    except OSError as e:
        print(fam + ": errno", e.errno)
EOF
py=/usr/bin/python3
"$SCA" record -o w.trace -- $py w.py >w.out 2>w.log || { cat w.log >&2; fail "record -- python3 w.py"; }
"$SCA" profile-gen w.trace -o w.json 2>w-gen.log || { cat w-gen.log >&2; fail "profile-gen of the python workload"; }
# every socket rule allows only some families: arg0 & 0xffffffff == 1 or 2
jq -e '[.syscalls[] | select(.names | index(["socket"]))] as $r
	| ($r | length) > 0
	and all($r[]; .action == "SCMP_ACT_ALLOW" and (.args // [] | any(.index == 0)))
	and all($r[].args[] | select(.index == 0); .op == "SCMP_CMP_MASKED_EQ" and .value == 4294967295)
	and ([$r[].args[] | select(.index == 0) | .valueTwo] | unique) == [1, 2]' w.json >/dev/null ||
	{ conds w.json socket >&2; fail "the python workload's socket rules are not arg0 == 1 or 2, masked"; }
fams=$(jq -c '[.syscalls[] | select(.names | index(["socket"])) | .args[] | select(.index == 0) | .valueTwo]
	| unique' w.json)
echo "sockets: socket allowed for arg0 & 0xffffffff in $fams only"
# verify_py OUT ARGS... [-- FAMILY...]: profile-gen w.trace ARGS --verify
# -- python3 w.py FAMILY...; sets rc, stderr in OUT.err, stdout in OUT.out
verify_py() {
	o=$1
	shift
	rc=0
	"$SCA" profile-gen w.trace -o "$o.json" "$@" >"$o.out" 2>"$o.err" || rc=$?
}
verify_py v0 --verify -- $py w.py
[ "$rc" -eq 0 ] && grep -q "; 0 refusals" v0.err ||
	{ cat v0.err >&2; fail "python workload under its profile: --verify exited $rc"; }
for fam in AF_INET6 AF_PACKET; do
	verify_py "v-$fam" --verify -- $py w.py "$fam"
	refusals=$(grep -c -- "--verify: refused:" "v-$fam.err" || true)
	[ "$rc" -eq 1 ] && grep -q -- "--verify: refused: pid [0-9]* python3 socket (errno)" "v-$fam.err" ||
		{ cat "v-$fam.err" >&2; fail "$fam: --verify exited $rc without refusing socket"; }
	# the socket was all that was refused, and the workload saw EPERM
	others=$(grep -- "--verify: refused:" "v-$fam.err" | grep -v " socket (errno)" || true)
	[ -z "$others" ] || { cat "v-$fam.err" >&2; fail "$fam: refusals other than socket"; }
	grep -qx "$fam: errno 1" "v-$fam.out" || { cat "v-$fam.out" >&2; fail "$fam: the workload did not see EPERM"; }
	echo "sockets: $fam refused under --verify (exit $rc, $refusals refusal of socket, EPERM)"
done
"$SCA" profile-gen w.trace --args none -o none.json 2>/dev/null || fail "profile-gen --args none"
jq -e '[.syscalls[] | select(.names | index(["socket"]))] as $r
	| ($r | length) == 1 and $r[0].action == "SCMP_ACT_ALLOW" and ($r[0].args // [] | length) == 0' none.json \
	>/dev/null || { conds none.json socket >&2; fail "--args none: socket is not allowed unconditionally"; }
verify_py vn --args none --verify -- $py w.py AF_INET6
[ "$rc" -eq 0 ] && grep -q "; 0 refusals" vn.err && grep -qx "AF_INET6: ok" vn.out ||
	{ cat vn.err vn.out >&2; fail "--args none: AF_INET6 under --verify exited $rc"; }
echo "sockets: --args none allows socket unconditionally; AF_INET6 passes --verify"

# ---- 2. namespaces ----------------------------------------------------
"$SCA" record -o ns.trace -- "$NSPROBE" learn >ns-learn.out 2>ns-learn.log ||
	{ cat ns-learn.out ns-learn.log >&2; fail "record -- nsprobe learn"; }
"$SCA" profile-gen ns.trace -o ns.json 2>ns-gen.log || { cat ns-gen.log >&2; fail "profile-gen of nsprobe"; }
# clone: arg0 & 0x7e020000 == 0 (no CLONE_NEW* bit) in every rule allowing
# it; clone3 answers ENOSYS (38) and no rule allows it
jq -e '[.syscalls[] | select(.names | index(["clone"]))] as $c
	| [.syscalls[] | select(.names | index(["clone3"]))] as $c3
	| ($c | length) > 0
	and all($c[]; .action == "SCMP_ACT_ALLOW"
		and .args == [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}])
	and ($c3 | length) == 1 and $c3[0].action == "SCMP_ACT_ERRNO" and $c3[0].errnoRet == 38' ns.json >/dev/null ||
	{ conds ns.json clone >&2; conds ns.json clone3 >&2; fail "nsprobe: clone not arg0 & 0x7e020000 == 0, or clone3 not 38"; }
echo "namespaces: clone $(conds ns.json clone | jq -c .args)"
echo "namespaces: clone3 $(conds ns.json clone3 | jq -c '{action, errnoRet}')"
# attack PROFILE OUT: nsprobe attack under PROFILE (none: unconfined); sets rc
attack() {
	rc=0
	if [ "$1" = none ]; then
		"$NSPROBE" attack >"$2" 2>&1 || rc=$?
	else
		"$SCA" record --profile "$1" -o "$2.trace" -- "$NSPROBE" attack >"$2" 2>"$2.log" || rc=$?
	fi
}
# has OUT LINE...: OUT holds each LINE whole
has() {
	o=$1
	shift
	for l in "$@"; do
		grep -qxF "$l" "$o" || { cat "$o" >&2; return 1; }
	done
}
attack ns.json att.out
has att.out "fork+exec /bin/true: ok" "pthread_create: ok" \
	"clone(CLONE_NEWUSER): errno 1 (Operation not permitted)" \
	"unshare(CLONE_NEWUSER): errno 1 (Operation not permitted)" \
	"clone3(0): errno 38 (Function not implemented)" "pthread_create again: ok" &&
	[ "$rc" -eq 0 ] || { cat att.out.log >&2; fail "nsprobe attack under its profile (exit $rc)"; }
sed 's/^/namespaces: under the profile: /' att.out
# the trace holds what the profile refused
"$SCA" inspect --events att.out.trace | awk '/^[0-9][0-9][0-9][0-9]-/ && $7 != "calls" { print $6, $7 }' |
	sort -u >att.refused
for s in clone unshare clone3; do
	grep -q "^$s errno" att.refused || { cat att.refused >&2; fail "nsprobe attack's trace holds no refused $s"; }
done
# without the profile, and under --args none's, the namespace clone succeeds
attack none free.out
has free.out "clone(CLONE_NEWUSER): ok" "unshare(CLONE_NEWUSER): ok" "clone3(0): ok" ||
	fail "nsprobe attack unconfined: the namespace calls failed (exit $rc)"
"$SCA" profile-gen ns.trace --args none -o ns-none.json 2>/dev/null || fail "profile-gen --args none of nsprobe"
attack ns-none.json none.out
has none.out "clone(CLONE_NEWUSER): ok" "clone3(0): ok" "pthread_create again: ok" ||
	fail "nsprobe attack under the --args none profile (exit $rc)"
echo "namespaces: unconfined and under --args none, clone(CLONE_NEWUSER) and clone3 succeed"

# ---- 3. many starts ---------------------------------------------------
# The demo workload, learnt as scripts/demo.sh does, 50 times under --verify.
"$SCA" record -o demo.trace -- sh "$WORKLOAD" >/dev/null 2>demo.log || { cat demo.log >&2; fail "record the demo"; }
"$SCA" profile-gen demo.trace -o demo.json 2>demo-gen.log || { cat demo-gen.log >&2; fail "profile-gen of the demo"; }
n=$(jq '[.syscalls[] | select(.args)] | length' demo.json)
[ "$n" -gt 0 ] || fail "the demo's profile has no conditions"
t0=$(now)
ok=0
i=0
while [ $i -lt 50 ]; do
	i=$((i + 1))
	rc=0
	"$SCA" profile-gen demo.trace -o demo.json --verify -- sh "$WORKLOAD" >/dev/null 2>demo-v.err || rc=$?
	if [ "$rc" -ne 0 ] || ! grep -q "; 0 refusals" demo-v.err; then
		cat demo-v.err >&2
		fail "demo run $i under its profile: --verify exited $rc"
	fi
	ok=$((ok + 1))
done
echo "many starts: demo $ok of 50 under --verify with $n conditioned rules, no refusal, in $(since "$t0") s"

# A runc container learnt while it runs; its profile in config.json.
b=$tmp/bundle
# the workload says whether it runs under a filter (Seccomp: 2)
work='/bin/busybox mkdir -p /tmp/w && /bin/busybox ls / >/dev/null &&
	/bin/busybox grep Seccomp: /proc/self/status && /bin/busybox sh -c "exit 0"'
container_bundle "$b" "$work"
id=sca-args-$$
containers=$id
start_recorder /dev/null learn.log --all-syscalls --container "$id" -o c.trace
runc run --bundle "$b" "$id" </dev/null >learn.out 2>&1 || { cat learn.out >&2; fail "runc run while learning"; }
runc delete -f "$id" >/dev/null 2>&1
stop_recorder
[ "$rec_rc" -eq 0 ] || { cat learn.log >&2; fail "record --all-syscalls --container exited $rec_rc"; }
"$SCA" profile-gen c.trace --container "$id" -o c.json 2>c-gen.log || { cat c-gen.log >&2; fail "profile-gen of the container"; }
jq -e '.defaultAction == "SCMP_ACT_ERRNO"
	and ([.syscalls[] | select(.names | index(["mmap"])) | .args // [] | length > 0] | all and length > 0)
	and ([.syscalls[] | select(.names | index(["clone"])) | .args // [] | length > 0] | all and length > 0)' c.json \
	>/dev/null || { conds c.json mmap >&2; conds c.json clone >&2; fail "the container's profile: mmap or clone unconditional"; }
n=$(jq '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | unique | length' c.json)
echo "many starts: container profile: $n syscalls, conditions on $(jq -r '[.syscalls[] | select(.args) | .names[]] | unique | join(", ")' c.json)"
bundle_seccomp "$b" c.json

# starts NAME N CMD...: start the container N times with the runtime CMD,
# each to exit 0 under the filter (no start is tried again)
starts() {
	what=$1 n=$2
	shift 2
	t0=$(now)
	i=0
	while [ $i -lt "$n" ]; do
		i=$((i + 1))
		c="$id-$what-$i"
		containers=$c     # what may be left when the test stops
		rc=0
		"$@" run --bundle "$b" "$c" </dev/null >run.out 2>&1 || rc=$?
		"$@" delete -f "$c" >/dev/null 2>&1
		[ "$rc" -eq 0 ] && grep -q "^Seccomp:[[:space:]]*2$" run.out ||
			{ cat run.out >&2; fail "$what: start $i of $n under the container's profile exited $rc"; }
	done
	echo "many starts: $what: $n of $n containers exited 0 under the profile in $(since "$t0") s"
}
starts runc 50 runc

# ---- 4. crun ----------------------------------------------------------
if ! command -v crun >/dev/null; then
	echo "note: crun not installed (scripts/deps.sh installs it); part 4 not run"
	echo "PASS: argument-level rules (sockets, namespaces, demo and runc 50 of 50)"
	exit 0
fi
starts crun 20 crun_cmd
echo "PASS: argument-level rules (sockets, namespaces, demo and runc 50 of 50, crun 20 of 20)"
