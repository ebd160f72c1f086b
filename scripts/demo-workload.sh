#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The bundled demo workload: a small "service" that does what services do
# (files, a child process or two, a lookup, a short-lived helper), so that
# `sca record -- sh scripts/demo-workload.sh` has something real to learn.
set -eu
work=$(mktemp -d /tmp/sca-demo-XXXXXX)
mkdir "$work/cache"
echo "config: demo" >"$work/cache/app.conf"
cat "$work/cache/app.conf" >/dev/null
ls -l "$work/cache" >/dev/null
for i in 1 2 3; do
	date +%s >"$work/cache/tick.$i"
done
sort "$work/cache/tick.1" "$work/cache/tick.2" | uniq >/dev/null
(sleep 0.01 &) # a helper that outlives its parent for a moment
id -u >/dev/null
rm -rf "$work"
