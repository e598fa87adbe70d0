// SPDX-License-Identifier: GPL-2.0
/*
 * counterlab: the counter kinds. Each kind is one table entry and one hot
 * loop. A loop does one chunk of increments with no indirect call and no
 * lock other than the one it measures; the run engine calls it chunk by
 * chunk and does cond_resched()/kthread_should_stop() between chunks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "counterlab.h"

/*
 * plain: v++ on a shared int with no synchronisation at all. The race is
 * the point: two threads can load the same value and both store value + 1,
 * losing an update. Plain C accesses on purpose (no READ_ONCE/WRITE_ONCE or
 * data_race()) so that KCSAN reports the race as the bug it is. barrier()
 * only stops the compiler from merging the loop into one addition.
 */
static void cl_plain_reset(struct cl_counters *c)
{
	c->plain = 0;
}

static void cl_plain_loop(struct cl_counters *c, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		c->plain++;
		barrier();
	}
}

static s64 cl_plain_read(struct cl_counters *c)
{
	return c->plain;
}

/* atomic: atomic_inc(), a void RMW op: atomic but unordered (atomic_t.txt). */
static void cl_atomic_reset(struct cl_counters *c)
{
	atomic_set(&c->atomic, 0);
}

static void cl_atomic_loop(struct cl_counters *c, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		atomic_inc(&c->atomic);
}

static s64 cl_atomic_read(struct cl_counters *c)
{
	return atomic_read(&c->atomic);
}

/* spinlock: v++ under a spinlock_t, mutual exclusion by busy waiting. */
static void cl_spinlock_reset(struct cl_counters *c)
{
	spin_lock_init(&c->spin_lock);
	c->spin_v = 0;
}

static void cl_spinlock_loop(struct cl_counters *c, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		spin_lock(&c->spin_lock);
		c->spin_v++;
		spin_unlock(&c->spin_lock);
	}
}

static s64 cl_spinlock_read(struct cl_counters *c)
{
	return c->spin_v;
}

/* The table: its order is the run order and the read-back order. */
const struct cl_kind cl_kinds[CL_NR_KINDS] = {
	{ "plain", cl_plain_reset, cl_plain_loop, cl_plain_read },
	{ "atomic", cl_atomic_reset, cl_atomic_loop, cl_atomic_read },
	{ "spinlock", cl_spinlock_reset, cl_spinlock_loop, cl_spinlock_read },
};

static int cl_kind_lookup(const char *name, size_t len, unsigned long *mask)
{
	int i;

	if (len == 3 && !strncmp(name, "all", 3)) {
		*mask |= CL_KINDS_ALL;
		return 0;
	}
	for (i = 0; i < CL_NR_KINDS; i++) {
		if (strlen(cl_kinds[i].name) == len &&
		    !strncmp(cl_kinds[i].name, name, len)) {
			*mask |= BIT(i);
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * cl_kinds_parse() - parse a list of kind names
 * @buf: NUL-terminated names separated by any run of white space or commas
 * @mask: set to the bitmask of the kinds named, untouched on error
 *
 * Return: 0, or -EINVAL for an unknown name or an empty list.
 */
int cl_kinds_parse(const char *buf, unsigned long *mask)
{
	static const char sep[] = " \t\n,";
	unsigned long m = 0;
	size_t len;
	int ret;

	for (buf += strspn(buf, sep); *buf; buf += strspn(buf, sep)) {
		len = strcspn(buf, sep);
		ret = cl_kind_lookup(buf, len, &m);
		if (ret)
			return ret;
		buf += len;
	}
	if (!m)
		return -EINVAL;
	*mask = m;
	return 0;
}

/**
 * cl_kinds_format() - write the names in @mask, in table order
 * @mask: bitmask of kinds
 * @buf: output buffer
 * @size: size of @buf
 *
 * Return: the number of characters written, without the NUL.
 */
int cl_kinds_format(unsigned long mask, char *buf, size_t size)
{
	int i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < CL_NR_KINDS; i++)
		if (mask & BIT(i))
			n += scnprintf(buf + n, size - n, "%s%s",
				       n ? " " : "", cl_kinds[i].name);
	return n;
}
