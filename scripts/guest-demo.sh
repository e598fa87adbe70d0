# Runs inside the VM (scripts/vm-run): the default experiment, as a user would.
set -e
modprobe counterlab
cd /sys/kernel/debug/counterlab
echo "# $(nproc) CPUs; threads=$(cat threads) iterations=$(cat iterations) kinds='$(cat kinds)' pin=$(cat pin)"
echo "# echo 1 > /sys/kernel/debug/counterlab/run"
echo 1 > run
echo "# cat status; cat results"
cat status results
