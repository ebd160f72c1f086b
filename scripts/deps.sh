#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Install every Debian package sca's build, tests, benchmarks and demo need.
# Idempotent: does nothing when all are present; runs `apt-get update` first
# only when something is missing.
set -eu

PKGS="build-essential cmake pkg-config clang libclang-rt-dev llvm bpftool
libbpf-dev libelf-dev zlib1g-dev libzstd-dev libsqlite3-dev libseccomp-dev
libjansson-dev libyaml-dev libcmocka-dev sqlite3 valgrind zstd
runc crun busybox-static jq strace util-linux auditd time qemu-system-x86 cpio
scdoc groff-base man-db python3-yaml python3-jsonschema dpkg-dev lintian libcap2-bin"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "scripts/deps.sh: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi

echo "scripts/deps.sh: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
