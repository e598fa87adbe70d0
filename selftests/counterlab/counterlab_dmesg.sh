#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs last: the kernel log must hold no kernel report (oops_patterns: BUG,
# WARNING, Oops, panic, RCU stall, soft or hard lockup, hung task, UBSAN,
# KASAN, KCSAN, kmemleak) after the counterlab selftests. The one expected
# report, KCSAN on counterlab's plain loop, is dropped by
# allowed_reports.awk (oops_scan does both). Prints KTAP on its own: the
# version line, the plan, one result.
ksft_skip=4
here=$(dirname "$0")

echo "TAP version 13"
echo "1..1"
if [ "$(id -u)" != 0 ]; then
	echo "ok 1 kernel log clean # SKIP not root"
	exit $ksft_skip
fi
if ! log=$(dmesg 2>/dev/null); then
	echo "ok 1 kernel log clean # SKIP cannot read the kernel log"
	exit $ksft_skip
fi
if bad=$(echo "$log" | "$here/oops_scan"); then
	echo "$bad" | sed 's/^/# /'
	echo "not ok 1 kernel log clean"
	exit 1
fi
echo "ok 1 kernel log clean"
