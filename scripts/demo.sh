#!/bin/sh
# Demo: build sca, then show what this version does.
set -eu
cd "$(dirname "$0")/.."

sh scripts/build.sh

echo
echo "$ build/sca version"
build/sca version
echo
echo "$ build/sca help"
build/sca help
