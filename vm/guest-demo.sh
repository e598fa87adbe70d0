# Runs inside the VM (vm/run): the default experiment, as a user would
# run it, once with 1 thread and once with a thread per CPU, measured in
# duration mode (every thread counts for 250 ms, windows aligned), 7
# trials of each kind: each row is the median trial.
set -e
modprobe counterlab
cd /sys/kernel/debug/counterlab
echo 250 > duration_ms
echo 7 > trials
echo "# $(nproc) CPUs; duration_ms=$(cat duration_ms) trials=$(cat trials) kinds='$(cat kinds)' pin=$(cat pin)"
for t in 1 "$(nproc)"; do
	echo "$t" > threads
	echo "# echo $t > threads; echo 1 > run; cat results"
	echo 1 > run
	cat results
done
