# Runs inside the VM (tests/host/test-cli-vm): the counterlab CLI against the
# module. Prints "=== NAME rc=N" after each step's output; the host checks
# the statuses and parses the JSON back.
PATH=/usr/local/bin:$PATH
step() {	# NAME CMD...: run it, print its output and status
	name=$1
	shift
	"$@" > /tmp/out 2>&1
	rc=$?
	cat /tmp/out
	echo "=== $name rc=$rc"
}
step not_loaded counterlab status
modprobe counterlab
step run_json counterlab run -t 2 -n 100000 -k all -f json
step status counterlab status
step results_csv counterlab results -f csv
step compare_json counterlab compare -t 2 -n 100000 -f json
step compare_table counterlab compare -t 1 -n 100000 -k atomic,percpu
step threads_before cat /sys/kernel/debug/counterlab/threads
step bad_threads counterlab run -t 2000
step threads_kept cat /sys/kernel/debug/counterlab/threads
# The module refuses a value (test-only fault injection: the CLI's write
# of pin fails as if refused): what was written before is put back.
D=/sys/kernel/debug/counterlab
step config_before cat $D/threads $D/iterations $D/kinds $D/pin
step refused_write env COUNTERLAB_FAIL_WRITE=pin counterlab run -t 1 -n 777 -k atomic --no-pin
step config_after cat $D/threads $D/iterations $D/kinds $D/pin
# A long run in the background; a second one meets EBUSY and changes
# nothing; Ctrl-C (SIGINT) then aborts the first.
counterlab run -t 2 -n 1500000000 -k atomic64 > /tmp/bg 2>&1 &
bg=$!
i=0
until grep -q running /sys/kernel/debug/counterlab/status || [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
step busy counterlab run -t 1 -n 5 -k plain
step busy_kept cat /sys/kernel/debug/counterlab/threads /sys/kernel/debug/counterlab/iterations
kill -INT $bg
wait $bg
rc=$?
cat /tmp/bg
echo "=== ctrl_c rc=$rc"
step status_aborted cat /sys/kernel/debug/counterlab/status
sleep 1
step no_kthreads_left sh -c 'ps | grep -c "[c]ounterlab/"'
step litmus_json counterlab litmus -n 100000 -f json
# A long litmus run in the background: Ctrl-C aborts it (130), no thread
# is left, and the last finished run's results stay.
counterlab litmus --space kernel -t SB+poonceonces -n 100000000 > /tmp/bg 2>&1 &
bg=$!
i=0
until [ "$(cat /proc/[0-9]*/comm 2>/dev/null | grep -c '^counterlab/lit')" = 2 ] || [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
step litmus_busy counterlab run -t 1 -n 5 -k plain
kill -INT $bg
wait $bg
rc=$?
cat /tmp/bg
echo "=== litmus_ctrl_c rc=$rc"
sleep 1
step litmus_no_kthreads_left sh -c 'ps | grep -c "[c]ounterlab/"'
step litmus_results_kept sh -c 'grep -c "^Test " /sys/kernel/debug/counterlab/litmus/results'
step sweep_kernel counterlab sweep --space kernel --threads 1,2 -k atomic,percpu -n 100000
step sweep_restored cat /sys/kernel/debug/counterlab/threads /sys/kernel/debug/counterlab/iterations /sys/kernel/debug/counterlab/kinds
umount /sys/kernel/debug
step no_debugfs counterlab status
mount -t debugfs debugfs /sys/kernel/debug
rmmod counterlab
step unloaded counterlab results
