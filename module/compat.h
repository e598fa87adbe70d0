/* SPDX-License-Identifier: GPL-2.0 */
/*
 * counterlab: every difference between the kernels it is built for
 * (kernels/matrix: 5.10 to 7.3, PREEMPT_RT included). Each guard names the
 * release and the upstream change that needs it; nothing here is used
 * inside a hot loop. To support a new kernel, add its guard here and its
 * row to kernels/matrix. This is the one file where checkpatch's
 * LINUX_VERSION_CODE rule (for code merged into one kernel) is off: an
 * out-of-tree module is built for many.
 */
#ifndef _COUNTERLAB_COMPAT_H
#define _COUNTERLAB_COMPAT_H

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/freezer.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/version.h>

/*
 * cpumask_nth() appeared in v6.0 ("lib/cpumask: add
 * cpumask_nth_{,and,andnot}"); 5.10 walks the mask.
 */
#if KERNEL_VERSION(6, 0, 0) > LINUX_VERSION_CODE
static inline unsigned int cl_cpumask_nth(unsigned int n,
					  const struct cpumask *mask)
{
	unsigned int cpu;

	for_each_cpu(cpu, mask)
		if (!n--)
			return cpu;
	return nr_cpu_ids;
}
#else
#define cl_cpumask_nth(n, mask)	cpumask_nth(n, mask)
#endif

/**
 * cl_preempt_model() - the preemption model this kernel runs with
 *
 * PREEMPT_RT is a build option. Otherwise, with PREEMPT_DYNAMIC the model
 * is chosen at boot (preempt=), read through the accessors of v5.19
 * ("preempt/dynamic: Introduce preemption model accessors"); v6.13 added
 * the lazy model ("sched: Add Lazy preemption model"). Before v5.19 the
 * Kconfig choice is the model.
 *
 * Return: "rt", "full", "lazy", "voluntary" or "none".
 */
static inline const char *cl_preempt_model(void)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		return "rt";
#if KERNEL_VERSION(6, 13, 0) <= LINUX_VERSION_CODE
	if (preempt_model_lazy())
		return "lazy";
#endif
#if KERNEL_VERSION(5, 19, 0) <= LINUX_VERSION_CODE
	if (preempt_model_none())
		return "none";
	if (preempt_model_voluntary())
		return "voluntary";
	return "full";
#else
	if (IS_ENABLED(CONFIG_PREEMPT))
		return "full";
	if (IS_ENABLED(CONFIG_PREEMPT_VOLUNTARY))
		return "voluntary";
	return "none";
#endif
}

/*
 * A worker that ends itself signals its completion and exits in one call,
 * so that no instruction of the module runs after the module may be gone:
 * complete_and_exit() became kthread_complete_and_exit() in v5.17 ("exit:
 * Rename complete_and_exit to kthread_complete_and_exit").
 */
#if KERNEL_VERSION(5, 17, 0) > LINUX_VERSION_CODE
#define cl_complete_and_exit(done, code)	complete_and_exit(done, code)
#else
#define cl_complete_and_exit(done, code)	kthread_complete_and_exit(done, code)
#endif

/*
 * An uninterruptible wait the freezer does not wait for: TASK_FREEZABLE and
 * wait_for_completion_state() came with v6.1's freezer ("freezer,sched:
 * Rewrite core freezer logic"); before, freezer_do_not_count() around the
 * wait, and freezer_count() freezes on the way out.
 */
#if KERNEL_VERSION(6, 1, 0) > LINUX_VERSION_CODE
static inline void cl_wait_for_completion_freezable(struct completion *done)
{
	freezer_do_not_count();
	wait_for_completion(done);
	freezer_count();
}
#else
static inline void cl_wait_for_completion_freezable(struct completion *done)
{
	wait_for_completion_state(done, TASK_UNINTERRUPTIBLE | TASK_FREEZABLE);
}
#endif

#endif /* _COUNTERLAB_COMPAT_H */
