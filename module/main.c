// SPDX-License-Identifier: GPL-2.0
/*
 * counterlab: make the cost and correctness of shared counters visible.
 *
 * Module parameters set the defaults of the debugfs configuration; autorun=1
 * runs one experiment at load and prints its table to the kernel log.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "counterlab.h"

/* A decimal number, digits only: any other value fails the load, -EINVAL. */
static int cl_param_set_uint(const char *val, const struct kernel_param *kp)
{
	unsigned int v;

	if (!val || !isdigit(*val) || kstrtouint(val, 10, &v))
		return -EINVAL;
	*(unsigned int *)kp->arg = v;
	return 0;
}

static const struct kernel_param_ops cl_uint_ops = {
	.set = cl_param_set_uint,
	.get = param_get_uint,
};

/* threads: 0 is not a value a user may give; it means "not given". */
static int cl_param_set_threads(const char *val, const struct kernel_param *kp)
{
	int ret = cl_param_set_uint(val, kp);

	if (!ret && !*(unsigned int *)kp->arg)
		ret = -EINVAL;
	return ret;
}

static const struct kernel_param_ops cl_threads_ops = {
	.set = cl_param_set_threads,
	.get = param_get_uint,
};

static unsigned int threads;
module_param_cb(threads, &cl_threads_ops, &threads, 0444);
MODULE_PARM_DESC(threads, "kthreads per kind, 1..1024 (default: online CPUs)");

static unsigned int iterations = CL_ITERATIONS_DEFAULT;
module_param_cb(iterations, &cl_uint_ops, &iterations, 0444);
MODULE_PARM_DESC(iterations, "increments per thread, >= 1 (default 1000000)");

static char *kinds = "all";
module_param(kinds, charp, 0444);
MODULE_PARM_DESC(kinds, "kinds to run, separated by spaces or commas (default all)");

static unsigned int pin = 1;
module_param_cb(pin, &cl_uint_ops, &pin, 0444);
MODULE_PARM_DESC(pin, "1: bind thread i to the i-th online CPU; 0: let the scheduler place them");

static unsigned int duration_ms;
module_param_cb(duration_ms, &cl_uint_ops, &duration_ms, 0444);
MODULE_PARM_DESC(duration_ms, "0: iterations mode (default); 1..60000: each thread counts for this long");

static unsigned int trials = 1;
module_param_cb(trials, &cl_uint_ops, &trials, 0444);
MODULE_PARM_DESC(trials, "trials of each kind, 1..100; results show the median (default 1)");

static bool autorun;
module_param(autorun, bool, 0444);
MODULE_PARM_DESC(autorun, "run one experiment at load and log its results");

unsigned int cl_fail_kthread_at;
module_param_named(fail_kthread_at, cl_fail_kthread_at, uint, 0600);
MODULE_PARM_DESC(fail_kthread_at, "fault injection: the Nth kthread creation of each run fails with -ENOMEM (0: off)");

/* A duration run's limit for a 32-bit counter: INT_MAX, lower in a test. */
unsigned int cl_total_max = INT_MAX;

static int cl_param_set_total_max(const char *val, const struct kernel_param *kp)
{
	unsigned int v;

	if (!val || !isdigit(*val) || kstrtouint(val, 10, &v) ||
	    v < CL_THREADS_MAX || v > INT_MAX)
		return -EINVAL;
	WRITE_ONCE(cl_total_max, v);
	return 0;
}

static const struct kernel_param_ops cl_total_max_ops = {
	.set = cl_param_set_total_max,
	.get = param_get_uint,
};

module_param_cb(total_max, &cl_total_max_ops, &cl_total_max, 0600);
MODULE_PARM_DESC(total_max, "test: where a duration run stops a 32-bit counter, 1024..2147483647 (default INT_MAX)");

struct cl_lab cl_lab = {
	.config_lock = __MUTEX_INITIALIZER(cl_lab.config_lock),
	.run_lock = __MUTEX_INITIALIZER(cl_lab.run_lock),
	.state = CL_IDLE,
};

static int __init counterlab_init(void)
{
	struct cl_config cfg = {
		.threads = threads ?: min_t(unsigned int, num_online_cpus(), CL_THREADS_MAX),
		.iterations = iterations,
		.pin = pin,
		.duration_ms = duration_ms,
		.trials = trials,
	};
	int ret;

	ret = pin > 1 ? -EINVAL : cl_kinds_parse(kinds, &cfg.kinds);
	if (!ret)
		ret = cl_config_check(&cfg);
	if (ret) {
		pr_err("bad parameters: threads=%u iterations=%u kinds=\"%s\" pin=%u duration_ms=%u trials=%u\n",
		       threads, iterations, kinds, pin, duration_ms, trials);
		return -EINVAL;
	}
	ret = cl_litmus_init();
	if (ret)
		return ret;
	cl_lab.config = cfg;
	cl_debugfs_init();

	if (autorun) {
		ret = cl_run();
		if (ret)
			pr_warn("autorun failed: %d\n", ret);
		else
			cl_run_log_results();
	}
	return 0;
}

static void __exit counterlab_exit(void)
{
	cl_run_stop();
	cl_debugfs_exit();
	kvfree(cl_lab.results);
	kvfree(cl_lab.trial_results);
	cl_litmus_exit();
}

module_init(counterlab_init);
module_exit(counterlab_exit);

MODULE_AUTHOR("counterlab developers");
MODULE_DESCRIPTION("Shared-counter primitives: lost updates and their cost, measured");
MODULE_LICENSE("GPL");
MODULE_INFO(test, "Y");
