// SPDX-License-Identifier: GPL-2.0
/*
 * reportgen: make the kernel print one of its real reports, for the tests
 * of the one scan every kernel log goes through (selftests/counterlab/
 * oops_patterns, oops_scan). Never part of counterlab: built and loaded
 * only in a test guest by tests/reportgen/record and tests/host/test-vm-run.
 *
 *   insmod reportgen.ko report=warn        WARNING: CPU: ... at ...
 *   insmod reportgen.ko report=atomic      BUG: scheduling while atomic
 *   insmod reportgen.ko report=oops        BUG: kernel NULL pointer
 *                                          dereference, Oops: ...
 *   insmod reportgen.ko report=lockup      watchdog: BUG: soft lockup and
 *                                          rcu: INFO: rcu_... stall (secs=
 *                                          seconds with preemption off,
 *                                          after asking for a grace period
 *                                          in that region; boot with
 *                                          watchdog_thresh=2 and
 *                                          rcupdate.rcu_cpu_stall_timeout=3)
 *   insmod reportgen.ko report=hung        INFO: task insmod:N blocked for
 *                                          more than N seconds (secs=
 *                                          seconds asleep uninterruptibly;
 *                                          set hung_task_timeout_secs first)
 *
 *   insmod reportgen.ko report=leak        kmemleak: unreferenced object
 *                                          (a kmalloc() forgotten; scan
 *                                          /sys/kernel/debug/kmemleak)
 *   insmod reportgen.ko report=oob         BUG: KASAN: slab-out-of-bounds
 *                                          (one byte past a kmalloc(16))
 *
 * The load fails with -EAGAIN once the report is out (oops: the insmod
 * dies), so nothing stays loaded.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/version.h>
#include <linux/preempt.h>
#include <linux/string.h>

static char *report = "";
module_param(report, charp, 0400);
MODULE_PARM_DESC(report, "warn, atomic, oops, lockup, hung, leak or oob");

static unsigned int secs = 12;
module_param(secs, uint, 0400);
MODULE_PARM_DESC(secs, "how long lockup and hung last (seconds)");

static struct rcu_head gp_head;
static bool gp_done;

static void reportgen_gp_done(struct rcu_head *head)
{
	WRITE_ONCE(gp_done, true);
}

/* In an IPI: a callback queued here has its grace period started here. */
static void reportgen_ask_gp(void *unused)
{
#if KERNEL_VERSION(6, 2, 0) <= LINUX_VERSION_CODE
	call_rcu_hurry(&gp_head, reportgen_gp_done);	/* not lazily */
#else
	call_rcu(&gp_head, reportgen_gp_done);
#endif
}

static int __init reportgen_init(void)
{
	int *volatile null = NULL;
	volatile size_t past = 16;
	char *buf;

	pr_info("report=%s secs=%u\n", report, secs);
	if (!strcmp(report, "warn")) {
		WARN_ON(1);
	} else if (!strcmp(report, "atomic")) {
		preempt_disable();
		msleep(1);
		preempt_enable();
	} else if (!strcmp(report, "oops")) {
		*null = 1;
	} else if (!strcmp(report, "lockup")) {
		unsigned int other;

		/*
		 * Ask for a grace period from inside the region that keeps
		 * it from ending (one asked for before it would be over
		 * before the region began), and on another CPU: this one's
		 * RCU core cannot run (on PREEMPT_RT it is a kthread), so it
		 * would not start the grace period before the region ends.
		 */
		preempt_disable();
		other = cpumask_any_but(cpu_online_mask, smp_processor_id());
		if (other < nr_cpu_ids)
			smp_call_function_single(other, reportgen_ask_gp, NULL, 1);
		else
			reportgen_ask_gp(NULL);
		mdelay(secs * 1000);
		preempt_enable();
		rcu_barrier();	/* the callback is module code */
		pr_info("grace period %s\n", READ_ONCE(gp_done) ? "over" : "lost");
	} else if (!strcmp(report, "leak")) {
		void *p = kmalloc(64, GFP_KERNEL);

		pr_info("leaking %p\n", p);	/* forgotten: kmemleak reports it */
	} else if (!strcmp(report, "oob")) {
		buf = kmalloc(16, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		buf[past] = 1;
		kfree(buf);
	} else if (!strcmp(report, "hung")) {
		msleep(secs * 1000);
	} else {
		return -EINVAL;
	}
	return -EAGAIN;
}

module_init(reportgen_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Real kernel reports for counterlab's log scan tests");
MODULE_INFO(test, "Y");
