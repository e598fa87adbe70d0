#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# After the runs, aborts and load/unload cycles of the other tests, a
# kmemleak scan finds no leak: none from counterlab, none at all. Skipped
# on kernels without kmemleak (Debian's own has none; the debug kernel has).
# Prints KTAP on its own: the version line, the plan, one result.
ksft_skip=4
kml=/sys/kernel/debug/kmemleak

echo "TAP version 13"
echo "1..1"
if [ "$(id -u)" != 0 ]; then
	echo "ok 1 kmemleak finds no leak # SKIP not root"
	exit $ksft_skip
fi
if [ ! -e $kml ]; then
	echo "ok 1 kmemleak finds no leak # SKIP no $kml (CONFIG_DEBUG_KMEMLEAK)"
	exit $ksft_skip
fi
# kmemleak reports an object only once it is 5 s old: let the last ones age,
# then scan twice (the second scan confirms what the first suspected).
sleep 6
# A kmemleak that switched itself off refuses the scan: that is no pass.
if ! echo scan > $kml || ! echo scan > $kml; then
	echo "not ok 1 kmemleak finds no leak # kmemleak refused to scan"
	exit 1
fi
leaks=$(cat $kml)
ours=$(echo "$leaks" | grep -c counterlab)
all=$(echo "$leaks" | grep -c 'unreferenced object')
echo "# kmemleak: $all unreferenced objects, $ours lines naming counterlab"
if [ "$all" != 0 ]; then
	echo "$leaks" | head -n 60 | sed 's/^/# /'
	echo "not ok 1 kmemleak finds no leak"
	exit 1
fi
echo "ok 1 kmemleak finds no leak"
