#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Installing sca: `cmake --install` puts the binary, man pages, completion
# and docs in the standard places, and `cpack` builds a .deb whose Depends
# name the Debian package of every shared library the binary loads; the .deb
# passes lintian and, unpacked into a scratch root (dpkg -x), runs.
# usage: test_package.sh BUILD_DIR VERSION FORTIFIED (1 if the build uses
# _FORTIFY_SOURCE, as CMakeLists.txt decides)
set -u
BUILD=$1
VERSION=$2
FORTIFIED=$3

fail() { echo "FAIL: $*" >&2; exit 1; }
for t in cpack dpkg-deb dpkg-shlibdeps readelf bash man gzip lintian; do
	command -v "$t" >/dev/null || { echo "SKIP: $t missing (scripts/deps.sh installs it)"; exit 77; }
done

tmp=$(mktemp -d /tmp/sca-pkg-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# the installed layout, for both an install prefix and the package root
check_tree() {
	root=$1
	for f in bin/sca share/man/man1/sca.1.gz share/man/man1/sca-record.1.gz \
		share/man/man1/sca-analyze.1.gz share/man/man1/sca-profile-gen.1.gz \
		share/man/man1/sca-inspect.1.gz share/man/man1/sca-doctor.1.gz \
		share/man/man5/sca-trace.5.gz \
		share/bash-completion/completions/sca share/doc/sca/format.md \
		share/doc/sca/kubernetes.md share/doc/sca/copyright share/doc/sca/changelog.gz \
		share/doc/sca/CHANGELOG.md \
		share/doc/sca/examples/sca-daemonset.yaml share/doc/sca/examples/sca-learn-daemonset.yaml \
		share/doc/sca/examples/crio-seccomp.jq share/doc/sca/examples/Dockerfile; do
		[ -s "$root/$f" ] || fail "$root: $f not installed"
	done
	out=$("$root/bin/sca" version) || fail "$root/bin/sca version failed"
	[ "$(echo "$out" | head -n1)" = "sca $VERSION" ] || fail "$root/bin/sca version printed: $out"
	bash -n "$root/share/bash-completion/completions/sca" || fail "completion does not parse"
	for f in "$root"/share/man/man*/*.gz "$root/share/doc/sca/changelog.gz"; do
		gzip -t "$f" || fail "$f is not gzip"
	done
	MANWIDTH=80 man -l "$root/share/man/man1/sca-record.1.gz" 2>&1 | grep -q -- "--rotate-time" ||
		fail "installed sca-record.1.gz does not render"
	gzip -dc "$root/share/doc/sca/changelog.gz" | head -n1 | grep -q "^sca ($VERSION) " ||
		fail "changelog.gz does not start with sca ($VERSION)"
	grep -q "^## $VERSION " "$root/share/doc/sca/CHANGELOG.md" || fail "CHANGELOG.md has no $VERSION entry"
}

cmake --install "$BUILD" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log" >&2; fail "cmake --install failed"; }
check_tree "$tmp/prefix"
echo "ok: cmake --install --prefix"

cpack --config "$BUILD/CPackConfig.cmake" -G DEB -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1 ||
	{ cat "$tmp/cpack.log" >&2; fail "cpack failed"; }
deb=$(ls "$tmp"/pkg/sca_"$VERSION"_*.deb 2>/dev/null)
[ -n "$deb" ] && [ "$(echo "$deb" | wc -l)" -eq 1 ] || { ls -R "$tmp/pkg" >&2; fail "no single sca_${VERSION}_*.deb"; }

[ "$(dpkg-deb -f "$deb" Package)" = sca ] || fail "Package is not sca"
[ "$(dpkg-deb -f "$deb" Version)" = "$VERSION" ] || fail "Version is not $VERSION"
deps=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $deps"
echo "$deps" | grep -q -- '-dev' && fail "Depends names a -dev package: $deps"
# every library the binary links directly (DT_NEEDED; the rest come with
# those) must come from a package in Depends
readelf -d "$BUILD/sca" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' >"$tmp/needed"
[ "$(wc -l <"$tmp/needed")" -ge 5 ] || fail "readelf found only: $(cat "$tmp/needed")"
while read -r soname; do
	lib=$(ldd "$BUILD/sca" | awk -v s="$soname" '$1 == s { print $3 }')
	[ -n "$lib" ] || fail "ldd does not resolve $soname"
	pkg=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null ||
		dpkg -S "/usr$lib" 2>/dev/null || dpkg -S "${lib#/usr}" 2>/dev/null)
	pkg=$(echo "$pkg" | head -n1 | cut -d: -f1)
	[ -n "$pkg" ] || fail "no package owns $lib"
	echo "$deps" | tr ',' '\n' | sed 's/^ *//; s/ .*//' | grep -qx "$pkg" ||
		fail "$soname ($lib) is from $pkg, which Depends lacks: $deps"
	echo "ok: $soname from $pkg"
done <"$tmp/needed"

# nothing outside /usr, nothing of the build or tests
dpkg-deb -c "$deb" | awk '{ print $6 }' >"$tmp/files"
grep -v '^\./usr/' "$tmp/files" | grep -vx './' && fail "files outside /usr"
grep -E 'seed|logspam|bench|test' "$tmp/files" && fail "test or bench files in the package"

# Debian policy, as lintian checks it: compressed man pages and changelog,
# a stripped binary, a copyright file ... Errors and warnings fail; only the
# placeholder Maintainer (-DSCA_DEB_MAINTAINER sets a real one) may pass.
lintian --fail-on error,warning --suppress-tags bogus-mail-host,bogus-mail-host-in-debian-changelog "$deb" >"$tmp/lintian.log" 2>&1 ||
	{ cat "$tmp/lintian.log" >&2; fail "lintian $(basename "$deb")"; }
echo "ok: lintian passes (errors and warnings fail; the placeholder Maintainer aside)"
# and the binary is hardened as Debian's are (these are info-level tags);
# FORTIFY only where the build turns it on: optimized, no sanitizer
tags=hardening-no-relro,hardening-no-bindnow,hardening-no-pie fortify=""
if [ "$FORTIFIED" = 1 ]; then
	tags=$tags,hardening-no-fortify-functions fortify=", fortified functions"
else
	echo "note: a sanitized or unoptimized build: FORTIFY_SOURCE is off, not checked"
fi
lintian -I --tags "$tags" "$deb" 2>&1 | grep '^[EWI]:' >"$tmp/hardening.log" &&
	{ cat "$tmp/hardening.log" >&2; fail "the binary is not hardened"; }
echo "ok: hardened: full RELRO, BIND_NOW, PIE$fortify"

dpkg -x "$deb" "$tmp/root" || fail "dpkg -x failed"
readelf -S "$tmp/root/usr/bin/sca" | grep -q '\.debug_info' && fail "the packaged binary keeps .debug_info"
check_tree "$tmp/root/usr"
echo "PASS: $(basename "$deb") ($(wc -l <"$tmp/files") entries) unpacks and runs: $("$tmp/root/usr/bin/sca" version | head -n1)"
