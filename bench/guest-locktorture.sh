#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# guest-locktorture.sh: run the kernel's own locktorture in the VM (busybox
# sh, as root) as a peer of counterlab's spinlock and mutex rows: for each
# lock type, load locktorture.ko with LT_WRITERS writer kthreads and no
# readers, let it run LT_SECONDS, unload it, read the final statistics it
# prints at unload ("Writes:  Total: N  Max/Min: A/B  Fail: F") and print
#
#   locktorture type=spin_lock writers=2 seconds=10 elapsed_s=10.02
#   acquisitions=N per_sec=N max=A min=B fail=0          (one line per type)
#
# elapsed_s runs from the "Start of test" to the "End of test" printk
# (printk timestamps); per_sec is acquisitions / elapsed_s. A Fail count
# other than 0, an "End of test" other than SUCCESS or a missing statistics
# line exits 1.
#
#   bench/locktorture-build   # puts torture.ko and locktorture.ko in
#                               # build/locktorture/guest
#   vm/run --cpus 2 --files build/locktorture/guest -- \
#           "LT_SECONDS=10; $(cat bench/guest-locktorture.sh)"
#
# Settings (shell variables or environment): LT_WRITERS (default: nproc),
# LT_SECONDS (default 10), LT_TYPES (default "spin_lock mutex_lock"),
# LT_DIR (where the .ko files are, default /).
#
# Parameters: 6.1's locktorture has nwriters_stress, nreaders_stress,
# stat_interval, shutdown_secs, onoff_interval, onoff_holdoff, stutter,
# shuffle_interval, verbose and torture_type. Its defaults would get in the
# way: stutter=5 halts all writers every other 5 jiffies, shuffle_interval=3
# moves the kthreads between CPUs every 3 jiffies, stat_interval=60 adds a
# statistics kthread; all three are set to 0 (off), as are shutdown_secs
# (no power-off) and onoff_interval (no CPU hotplug). nreaders_stress=0 is
# a no-op for these two types (they have no read side). verbose=0 keeps
# only the start, statistics and end lines.
#
# What locktorture measures is not a bare lock/unlock: in 6.1
# (kernel/locking/locktorture.c) each writer kthread runs at nice 19 and
# per acquisition, with W writers, draws 3-4 pseudo-random numbers and:
#   - before locking, 1 in 2^20: sleeps a jiffy (4 ms at Debian's HZ=250);
#   - spin_lock, holding the lock (torture_spin_lock_write_delay):
#     1 in 200000*W: mdelay(100), a 100 ms hold to force contention;
#     1 in 4*W: udelay(2), a 2 us hold "to emulate likely code";
#     1 in 20000*W: torture_preempt_schedule() (a no-op under a spinlock).
#     On average ~0.5/W us of udelay + ~0.5/W us of mdelay per
#     acquisition, comparable to the lock itself;
#   - mutex_lock, holding the lock (torture_mutex_delay): 1 in 200000*W:
#     mdelay(500), otherwise mdelay(20): EVERY acquisition holds the mutex
#     for 20 ms, so mutex_lock can never exceed ~50 acquisitions/s whatever
#     W is: it measures mdelay(20), not the mutex;
#   - after unlocking: stutter_wait(), i.e. cond_resched_tasks_rcu_qs().
# Compare its acquisitions/s with counterlab's Mops/s with that in mind.
set -eu

LT_WRITERS=${LT_WRITERS:-$(nproc)}
LT_SECONDS=${LT_SECONDS:-10}
LT_TYPES=${LT_TYPES:-spin_lock mutex_lock}
LT_DIR=${LT_DIR:-/}
LT_DIR=${LT_DIR%/}
log=/tmp/locktorture.dmesg

fail() {
	echo "locktorture: $*" >&2
	exit 1
}

case "$LT_WRITERS" in ''|*[!0-9]*|0) fail "LT_WRITERS wants a positive number, not '$LT_WRITERS'" ;; esac
case "$LT_SECONDS" in ''|*[!0-9]*|0) fail "LT_SECONDS wants a positive number, not '$LT_SECONDS'" ;; esac
[ -r "$LT_DIR/locktorture.ko" ] ||
	fail "no $LT_DIR/locktorture.ko (bench/locktorture-build, vm-run --files)"

# No torture.ko when the kernel has CONFIG_TORTURE_TEST=y (built in).
if [ -r "$LT_DIR/torture.ko" ] && ! grep -q '^torture ' /proc/modules; then
	insmod "$LT_DIR/torture.ko"
fi

status=0
for type in $LT_TYPES; do
	dmesg -c > /dev/null
	insmod "$LT_DIR/locktorture.ko" torture_type="$type" \
		nwriters_stress="$LT_WRITERS" nreaders_stress=0 \
		stat_interval=0 shutdown_secs=0 onoff_interval=0 \
		stutter=0 shuffle_interval=0 verbose=0 ||
		fail "insmod locktorture.ko torture_type=$type failed"
	sleep "$LT_SECONDS"
	rmmod locktorture
	dmesg > "$log"
	# [ 6.960399] Writes:  Total: 4949160  Max/Min: 2484191/2464969   Fail: 0
	line=$(awk -v type="$type" -v w="$LT_WRITERS" -v s="$LT_SECONDS" '
		function stamp(l) {
			sub(/^\[ */, "", l)
			sub(/\].*/, "", l)
			return l + 0
		}
		/-torture:--- Start of test/ { t0 = stamp($0) }
		/-torture:--- End of test/ {
			t1 = stamp($0)
			end = $0
			sub(/.*End of test: /, "", end)
			sub(/:.*/, "", end)
		}
		/Writes: +Total:/ {
			for (i = 1; i < NF; i++) {
				if ($i == "Total:")
					total = $(i + 1)
				if ($i == "Max/Min:")
					maxmin = $(i + 1)
				if ($i == "Fail:")
					failed = $(i + 1)
			}
		}
		END {
			if (total == "" || failed == "" || t1 <= t0)
				exit 1
			split(maxmin, m, "/")
			el = t1 - t0
			printf "locktorture type=%s writers=%d seconds=%d elapsed_s=%.2f acquisitions=%s per_sec=%.0f max=%s min=%s fail=%s end=%s\n",
				type, w, s, el, total, total / el, m[1], m[2], failed, end
		}' "$log") || {
		cat "$log" >&2
		fail "type=$type: no statistics line in dmesg"
	}
	echo "$line"
	case "$line" in
	*" fail=0 end=SUCCESS") ;;
	*) status=1 ;;
	esac
done
if [ -r "$LT_DIR/torture.ko" ]; then
	rmmod torture
fi
exit $status
