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
	grep -E 'BUG:|WARNING:|Oops|Call Trace|soft lockup|hard LOCKUP|hung_task|blocked for more than|rcu_.*detected stall|self-detected stall|general protection fault|UBSAN:|KASAN:|KCSAN:|possible circular locking|possible recursive locking|inconsistent lock state|unreferenced object|suspected memory leak')
if [ -n "$bad" ]; then
	echo "$bad" | sed 's/^/# /'
	echo "not ok 1 kernel log clean"
	exit 1
fi
echo "ok 1 kernel log clean"
