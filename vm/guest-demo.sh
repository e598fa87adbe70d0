# Runs inside the VM (vm/run): the default experiment, as a user
# would run it, once with 1 thread and once with a thread per CPU.
set -e
modprobe counterlab
cd /sys/kernel/debug/counterlab
echo "# $(nproc) CPUs; iterations=$(cat iterations) kinds='$(cat kinds)' pin=$(cat pin)"
for t in 1 "$(nproc)"; do
	echo "$t" > threads
	echo "# echo $t > threads; echo 1 > run; cat results"
	echo 1 > run
	cat results
done
