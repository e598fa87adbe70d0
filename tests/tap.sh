# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# TAP for the host test scripts, sourced after setting TAP_PREFIX:
#   tap_start                 from here on, the script's output is held
#   tap_ok NAME STATUS [WHY]  "ok N PREFIX: NAME" when STATUS is 0, else
#                             WHY as a "# " line and "not ok N PREFIX: NAME"
#   tap_skip NAME WHY         "ok N PREFIX: NAME # SKIP WHY"
#   tap_end                   prints "TAP version 13", the plan "1..N" and
#                             what was held, in that order (the plan first,
#                             as kselftest.h and kunit.py's parser want it);
#                             status 1 when any failed
n=0
fails=0
TAP_HELD=

tap_start() {
	TAP_HELD=$(mktemp)
	exec 3>&1 >"$TAP_HELD"
}

tap_ok() {
	n=$((n + 1))
	if [ "$2" = 0 ]; then
		echo "ok $n $TAP_PREFIX: $1"
	else
		[ -z "${3:-}" ] || echo "# $3"
		echo "not ok $n $TAP_PREFIX: $1"
		fails=$((fails + 1))
	fi
}

tap_skip() {
	n=$((n + 1))
	echo "ok $n $TAP_PREFIX: $1 # SKIP $2"
}

tap_end() {
	if [ -n "$TAP_HELD" ]; then
		exec 1>&3 3>&-
		echo "TAP version 13"
		echo "1..$n"
		cat "$TAP_HELD"
		rm -f "$TAP_HELD"
		TAP_HELD=
	else
		echo "1..$n"
	fi
	[ "$fails" = 0 ]
}
