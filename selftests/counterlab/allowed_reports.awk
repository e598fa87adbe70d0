# SPDX-License-Identifier: GPL-2.0
# Filter a kernel log: drop the reports counterlab expects. Every other
# line passes through to the BUG/WARNING/lockdep scan. Used by
# vm/run on the console and by counterlab_dmesg.sh and
# counterlab_stress in the guest. Two reports are expected:
#
#  - the KCSAN data race between two instances of counterlab's plain
#    counter loop: the race counterlab exists to show;
#  - KCSAN's report on the kernel's own mutex spinning queue, the plain read
#    of node->next in osq_wait_next() (kernel/locking/osq_lock.c), raised
#    when counterlab's mutex kthreads contend. It is in the kernel, not in
#    counterlab, and benign: any non-zero value of that load will do (see
#    "locking/osq_lock: mark an intentional data race", Qian Cai, LKML,
#    2020-01-31, which marks it data_race()); neither 6.1 nor 7.3 marks it.
#
# The report's shape is 6.1's and 7.3's alike (7.3 adds a ret_from_fork_asm
# frame, "UID:" on the CPU line and a "Tainted: [O]=..." line after it).
# A report is dropped only when every line of it, up to its closing =====
# line and at most 40 lines, is one such a report is made of, with
# counterlab's kthreads and functions in it. Anything else (another CPU's
# WARNING printed in between, a frame from elsewhere, a report whose end
# was lost) prints the report, header included, for the scan to see.
{ sub(/\r$/, "") }	# the serial console ends lines with \r\n

function flush() {
	if (held != "")
		printf "%s", held
	held = ""
	skip = 0
}

# The plain race: both sides known ("in A / B"), or one side at unknown
# origin ("in A+off/len").
/BUG: KCSAN: data-race in cl_plain_loop( \[counterlab\] \/ cl_plain_loop \[counterlab\]|\+0x[0-9a-f]+\/0x[0-9a-f]+ \[counterlab\])$/ {
	flush()
	skip = 40
	frames = "^ (cl_plain_loop|cl_worker_fn)\\+0x[0-9a-f]+\\/0x[0-9a-f]+ \\[counterlab\\]$"
	held = $0 "\n"
	next
}

# The osq race, as KCSAN names it: one or both sides in osq_*().
/BUG: KCSAN: data-race in osq_(lock|unlock|wait_next)(\+0x[0-9a-f]+\/0x[0-9a-f]+)?( \/ osq_(lock|unlock|wait_next))?$/ {
	flush()
	skip = 40
	frames = "^ ((osq_(lock|unlock|wait_next)|__mutex_lock|__mutex_lock_slowpath|mutex_lock|mutex_lock_nested|mutex_optimistic_spin)\\+0x[0-9a-f]+\\/0x[0-9a-f]+|(cl_mutex_loop|cl_worker_fn)\\+0x[0-9a-f]+\\/0x[0-9a-f]+ \\[counterlab\\])$"
	held = $0 "\n"
	next
}

skip {
	line = $0
	sub(/^\[ *[0-9]+\.[0-9]+\] ?/, "", line)
	skip--
	if (line ~ /^=+$/) {
		held = ""
		skip = 0
		next
	}
	if (line == "" ||
	    line ~ /^(race at unknown origin, with )?(read|write)( \((marked|reordered)\))? to 0x[0-9a-f]+ of [0-9]+ bytes by task [0-9]+ on cpu [0-9]+:$/ ||
	    line ~ frames ||
	    line ~ /^ (kthread|ret_from_fork|ret_from_fork_asm)\+0x[0-9a-f]+\/0x[0-9a-f]+$/ ||
	    line ~ /^value changed: 0x[0-9a-f]+ -> 0x[0-9a-f]+$/ ||
	    line ~ /^Reported by Kernel Concurrency Sanitizer on:$/ ||
	    line ~ /^CPU: [0-9]+ (UID: [0-9]+ )?PID: [0-9]+ Comm: counterlab\/[0-9]+ / ||
	    line ~ /^Tainted: \[[A-Z]\]=[A-Z_]+(, \[[A-Z]\]=[A-Z_]+)*$/ ||
	    line ~ /^Hardware name: /) {
		held = held $0 "\n"
		if (skip == 0)
			flush()	# 40 lines and no end: not a report we know
		next
	}
	flush()
}

{ print }

END { flush() }
