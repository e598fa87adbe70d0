# SPDX-License-Identifier: GPL-2.0
# Filter a kernel log: drop the one report counterlab expects, the KCSAN
# data race between two instances of its plain-counter loop (the race it
# exists to show), from its BUG line to the closing ===== line. Every other
# line passes through to the BUG/WARNING/lockdep scan. Used by
# scripts/vm-run on the console and by counterlab_dmesg.sh in the guest.
/BUG: KCSAN: data-race in cl_plain_loop \[counterlab\] \/ cl_plain_loop \[counterlab\]/ {
	skip = 1
	next
}
skip && /^(\[ *[0-9.]+\] )?=+$/ { skip = 0; next }
!skip
