# SPDX-License-Identifier: GPL-2.0
# Filter a kernel log: drop the one report counterlab expects, the KCSAN
# data race between two instances of its plain-counter loop (the race it
# exists to show). Every other line passes through to the BUG/WARNING/
# lockdep scan. Used by scripts/vm-run on the console and by
# counterlab_dmesg.sh and counterlab_stress in the guest.
#
# Inside the report only the lines a KCSAN report of that race is made of
# are dropped, at most 40 of them, until its closing ===== line: anything
# else (another CPU's WARNING printed in between, a report whose end was
# lost) ends the skipping and is printed.
{ sub(/\r$/, "") }	# the serial console ends lines with \r\n

# Both sides known ("in A / B"), or one side at unknown origin ("in A+off/len").
/BUG: KCSAN: data-race in cl_plain_loop( \[counterlab\] \/ cl_plain_loop \[counterlab\]|\+0x[0-9a-f]+\/0x[0-9a-f]+ \[counterlab\])$/ {
	skip = 40
	next
}

skip {
	line = $0
	sub(/^\[ *[0-9]+\.[0-9]+\] ?/, "", line)
	skip--
	if (line ~ /^=+$/) {
		skip = 0
		next
	}
	if (line == "" ||
	    line ~ /^(race at unknown origin, with )?(read|write)( \(marked\))? to 0x[0-9a-f]+ of [0-9]+ bytes by task [0-9]+ on cpu [0-9]+:$/ ||
	    line ~ /^ (cl_plain_loop|cl_worker_fn)\+0x[0-9a-f]+\/0x[0-9a-f]+ \[counterlab\]$/ ||
	    line ~ /^ (kthread|ret_from_fork)\+0x[0-9a-f]+\/0x[0-9a-f]+$/ ||
	    line ~ /^value changed: 0x[0-9a-f]+ -> 0x[0-9a-f]+$/ ||
	    line ~ /^Reported by Kernel Concurrency Sanitizer on:$/ ||
	    line ~ /^CPU: [0-9]+ PID: [0-9]+ Comm: counterlab\/[0-9]+ / ||
	    line ~ /^Hardware name: /)
		next
	skip = 0
}

{ print }
