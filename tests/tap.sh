# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# TAP for the host test scripts, sourced after setting TAP_PREFIX:
#   tap_ok NAME STATUS [WHY]  "ok N PREFIX: NAME" when STATUS is 0, else
#                             WHY as a "# " line and "not ok N PREFIX: NAME"
#   tap_skip NAME WHY         "ok N PREFIX: NAME # SKIP WHY"
#   tap_end                   the plan "1..N"; status 1 when any failed
n=0
fails=0

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
	echo "1..$n"
	[ "$fails" = 0 ]
}
