#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# `sca profile-gen --base` with Docker's and podman's default profiles: the
# includes/excludes runc, crun and the SPO CRD cannot read are resolved
# (--caps, --kernel, --target), never dropped; no name is both refused and
# allowed; only the arches the recording used are written; bad options.
#
# usage: test_profile_gen_base.sh PATH/TO/sca PATH/TO/synth_trace DATA_DIR
set -u
SCA=$1 SYNTH=$2 DATA=$3
UP=$DATA/profiles/upstream
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
failed=0 checks=0
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
check() { checks=$((checks + 1)); }

"$SYNTH" -n 3000 -s 42 -H host-a -o a.trace

# both NAME... in FILE (OCI JSON): names refused and allowed without conditions
both() {
	jq -r '[.syscalls[] | select((.args // []) == [] and .includes == null and .excludes == null)] as $u
	  | ([$u[] | select(.action == "SCMP_ACT_ALLOW" or .action == "SCMP_ACT_LOG") | .names[]] | unique) as $a
	  | ([$u[] | select(.action != "SCMP_ACT_ALLOW" and .action != "SCMP_ACT_LOG") | .names[]] | unique) as $d
	  | $a[] | select(. as $n | $d | index([$n]))' "$1"
}
# action NAME FILE: the actions of the rules that name NAME, sorted, one line
action() {
	jq -r --arg n "$1" '[.syscalls[] | select(.names | index([$n])) | .action + "/" + ((.errnoRet // "") | tostring)] | sort | join(" ")' "$2"
}

# ---- Docker's default for runc (the default target) -----------------
check
"$SCA" profile-gen a.trace --base "$UP/moby-default.json" --kernel 5.10 -o m.json 2>m.err || fail "moby: exit $?"
grep -q '"includes"\|"excludes"\|"archMap"' m.json && fail "moby for runc: includes/excludes or archMap written"
[ -z "$(both m.json)" ] || fail "moby for runc: refused and allowed: $(both m.json)"
for n in mount umount2 unshare setns bpf init_module reboot syslog; do
	[ -z "$(action $n m.json)" ] || fail "moby for runc: $n is $(action $n m.json) without its capability"
done
[ "$(action clone3 m.json)" = "SCMP_ACT_ERRNO/38" ] || fail "moby for runc: clone3 is $(action clone3 m.json)"
[ "$(jq -c .architectures m.json)" = '["SCMP_ARCH_X86_64","SCMP_ARCH_X86"]' ] ||
	fail "moby for runc: architectures $(jq -c .architectures m.json)"
grep -q '^sca profile-gen: resolved includes caps CAP_DAC_READ_SEARCH, CAP_SYS_ADMIN, .*: 14 rules left out, 0 kept (none granted; --caps to grant)$' m.err ||
	fail "moby: no line says the includes caps resolved"
grep -q '^sca profile-gen: resolved includes minKernel 4.8: 0 rules left out, 1 kept (for kernel 5.10 of --kernel)$' m.err ||
	fail "moby: no line says minKernel resolved for --kernel"
grep -q "architectures: 2 of the base's 15 written" m.err || fail "moby: the arches left out are not said"

# granted CAP_SYS_ADMIN, clone3 and unshare are allowed, reboot still not
check
"$SCA" profile-gen a.trace --base "$UP/moby-default.json" --caps CAP_SYS_ADMIN,CAP_NET_RAW -o ma.json 2>/dev/null ||
	fail "moby --caps: exit $?"
[ "$(action clone3 ma.json)" = "SCMP_ACT_ALLOW/" ] || fail "moby --caps CAP_SYS_ADMIN: clone3 is $(action clone3 ma.json)"
[ "$(action unshare ma.json)" = "SCMP_ACT_ALLOW/" ] || fail "moby --caps CAP_SYS_ADMIN: unshare is $(action unshare ma.json)"
[ -z "$(action reboot ma.json)" ] || fail "moby --caps CAP_SYS_ADMIN: reboot allowed"

# the SPO output has none of it either
check
"$SCA" profile-gen a.trace --base "$UP/moby-default.json" --format spo -o m.yaml 2>/dev/null || fail "moby spo: exit $?"
grep -q 'includes/excludes left out\|archMap flattened\|LOONGARCH\|RISCV' m.yaml && fail "moby spo: conditions dropped or arches flattened"
grep -q '^  - unshare$' m.yaml && fail "moby spo: unshare allowed"

# --target docker keeps them for Docker and podman
check
"$SCA" profile-gen a.trace --base "$UP/moby-default.json" --target docker -o md.json 2>md.err || fail "docker: exit $?"
grep -q '"includes"' md.json || fail "--target docker: includes left out"
grep -q 'resolved' md.err && fail "--target docker: something resolved"

# ---- podman's default: 24 names refused and allowed once conditions go
check
"$SCA" profile-gen a.trace --base "$UP/podman-seccomp.json" -o p.json 2>p.err || fail "podman: exit $?"
[ -z "$(both p.json)" ] || fail "podman for runc: refused and allowed: $(both p.json)"
[ "$(action setns p.json)" = "SCMP_ACT_ERRNO/1" ] || fail "podman for runc: setns is $(action setns p.json)"
grep -q 'both refused and allowed by the base without conditions: refused (setns)' p.err ||
	fail "podman: the refusal that won is not said"

# ---- a base's words are printed escaped -------------------------------
# a name that is no syscall and an arch word, each with a terminal escape
# in it (JSON's \u001b): every note says them escaped, none raw
check
esc=$(printf '\033')
cat >evil.json <<'EOF'
{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
 {"names": ["read", "x\u001b]0;pwn"], "action": "SCMP_ACT_ALLOW"},
 {"names": ["write"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64\u001b[2J"]}}]}
EOF
"$SCA" profile-gen a.trace --base evil.json -o evil-out.json 2>evil.err || fail "a base with escapes: exit $?"
if grep -q "$esc" evil.err || ! grep -q 'x\\x1b\]0;pwn' evil.err || ! grep -q 'amd64\\x1b\[2J' evil.err; then
	cat -v evil.err >&2
	fail "a base's names printed raw"
fi

# ---- bad options -----------------------------------------------------
for bad in "--caps CAP_NOPE" "--caps ," "--kernel six" "--target crun" "--format spo --target docker"; do
	check
	# shellcheck disable=SC2086
	"$SCA" profile-gen a.trace --base "$UP/moby-default.json" $bad >/dev/null 2>bad.err
	rc=$?
	[ "$rc" -eq 2 ] || fail "profile-gen $bad: exit $rc, not 2"
done

if [ "$failed" -gt 0 ]; then
	echo "$failed of $checks checks failed" >&2
	exit 1
fi
echo "PASS: $checks checks"
