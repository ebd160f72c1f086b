# SPDX-License-Identifier: BSD-2-Clause
# Shared by the benchmark scripts (sourced; POSIX sh).

# median: the median of the numbers on stdin, one per line (the mean of the
# middle two for an even count).
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
