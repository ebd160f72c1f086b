#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Build sca in build/ (RelWithDebInfo).  Installs missing packages first.
set -eu
cd "$(dirname "$0")/.."

sh scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCA_WERROR=ON
cmake --build build -j"$(nproc)"
