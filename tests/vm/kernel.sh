#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# kernel.sh CACHE_DIR: make sure a Debian distribution kernel (the one
# linux-image-amd64 points to) is unpacked in CACHE_DIR, and print the path
# of its vmlinuz on stdout.
#
# Idempotent: once CACHE_DIR/vmlinuz exists nothing is downloaded again.
# `apt-get update` runs only when the download fails with the current package
# lists. Only boot/ (vmlinuz, config) is unpacked: the features
# the VM tests need (BPF, BTF, kprobes, fentry, audit) are built into the
# kernel, so its modules are not needed.
#
# CACHE_DIR belongs in the build tree (e.g. build/vm-cache); it holds the
# two .deb files (~70 MB) and the unpacked boot/ files.
#
# Exit status: 0 with the path printed; 1 with a one-line reason on stderr
# when the kernel cannot be had (no apt-get, no archive, not root for an
# update, ...).
set -eu

if [ $# -ne 1 ]; then
	echo "usage: kernel.sh CACHE_DIR" >&2
	exit 2
fi
mkdir -p "$1"
cache=$(cd "$1" && pwd)

say() { echo "kernel.sh: $*" >&2; }
die() { say "$*"; exit 1; }

if [ -f "$cache/vmlinuz" ]; then
	echo "$cache/vmlinuz"
	exit 0
fi

for t in apt-get dpkg-deb tar; do
	command -v "$t" >/dev/null 2>&1 || die "$t not found: cannot fetch the Debian kernel"
done

# One fetch at a time per cache (two VM tests may start together).
if command -v flock >/dev/null 2>&1; then
	exec 9>"$cache/.lock"
	flock 9
	if [ -f "$cache/vmlinuz" ]; then
		echo "$cache/vmlinuz"
		exit 0
	fi
fi

cd "$cache"
dl="$cache/download"
rm -rf "$dl"
mkdir -p "$dl"
# apt-get download as root warns that the _apt user cannot write here
# unless it can; let it.
chmod 0777 "$dl" 2>/dev/null || true

# fetch PKG: apt-get download PKG into $dl; on failure update the lists
# once (root only) and retry.
updated=0
fetch() {
	if (cd "$dl" && apt-get download -q "$1" >"$cache/apt.log" 2>&1); then
		return 0
	fi
	if [ "$updated" -eq 0 ] && [ "$(id -u)" -eq 0 ]; then
		updated=1
		say "apt-get download $1 failed; running apt-get update"
		apt-get update -qq >>"$cache/apt.log" 2>&1 || true
		(cd "$dl" && apt-get download -q "$1" >>"$cache/apt.log" 2>&1) && return 0
	fi
	die "cannot download $1: $(grep -E '^(E|W):' "$cache/apt.log" | head -1)"
}

say "downloading the Debian kernel into $cache"
fetch linux-image-amd64
meta=$(ls "$dl"/linux-image-amd64_*.deb)
# Depends: linux-image-6.1.0-NN-amd64 (= VERSION)
pkg=$(dpkg-deb -f "$meta" Depends | tr ',|' '\n' | sed -n 's/^ *\(linux-image-[0-9][^ ]*\).*/\1/p' | head -1)
[ -n "$pkg" ] || die "no versioned kernel package in the Depends of $(basename "$meta")"
fetch "$pkg"
deb=$(ls "$dl"/"$pkg"_*.deb)

# Unpack boot/ only (dpkg-deb -x would unpack ~400 MB of modules too).
rm -rf "$cache/root"
mkdir -p "$cache/root"
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$cache/root" ./boot ||
	die "cannot unpack boot/ from $(basename "$deb")"
vml=$(ls "$cache"/root/boot/vmlinuz-* 2>/dev/null | head -1)
[ -n "$vml" ] || die "$(basename "$deb") has no boot/vmlinuz-*"
release=${vml##*/vmlinuz-}

mv "$dl"/*.deb "$cache"/
rmdir "$dl" 2>/dev/null || true
# boot/System.map is a stub in Debian's package (the real one is in -dbg).
[ -f "$cache/root/boot/config-$release" ] && ln -sf "root/boot/config-$release" "$cache/config"
echo "$release" >"$cache/release"
# Last: vmlinuz present means the cache is complete.
ln -sf "root/boot/vmlinuz-$release" "$cache/vmlinuz"
say "kernel $release ($pkg) ready"
echo "$cache/vmlinuz"
