#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs last: the kernel log must hold no BUG, WARNING, Oops, Call Trace,
# lockup, hung task, lockdep or KASAN report and no suspected leak after the
# counterlab selftests. The one expected report, KCSAN on counterlab's
# plain loop, is filtered out by allowed_reports.awk.
ksft_skip=4
here=$(dirname "$0")

if [ "$(id -u)" != 0 ]; then
	echo "# SKIP: not root"
	exit $ksft_skip
fi
log=$(dmesg 2>/dev/null) || { echo "# SKIP: cannot read the kernel log"; exit $ksft_skip; }
bad=$(echo "$log" | awk -f "$here/allowed_reports.awk" |
	grep -E 'BUG:|WARNING:|Oops|Call Trace|soft lockup|hard LOCKUP|blocked for more than|general protection fault|KASAN:|KCSAN:|possible circular locking|inconsistent lock state|suspected memory leak')
if [ -n "$bad" ]; then
	echo "$bad" | sed 's/^/# /'
	echo "not ok 1 kernel log clean"
	exit 1
fi
echo "ok 1 kernel log clean"
