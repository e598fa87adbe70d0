// SPDX-License-Identifier: GPL-2.0
/*
 * counterlab: the counter kinds. Each kind is one table entry and one hot
 * loop. A loop does one chunk of increments with no indirect call and no
 * lock other than the one it measures; the run engine calls it chunk by
 * chunk (CL_CHUNK increments, CL_CHUNK_LOCK for a lock kind) and checks
 * for an abort and does cond_resched() between chunks.
 * Kbuild compiles this file with -funroll-loops: each loop's own compare
 * and branch are spread over 8 increments (all but cmpxchg's retry loop,
 * which gcc leaves rolled), and the empty kind measures what is left of
 * that overhead (the README's harness benchmark).
 *
 * Ordering, after Documentation/atomic_t.txt: void RMW ops (atomic_inc) are
 * unordered; value-returning RMW ops (atomic_fetch_add) are fully ordered;
 * _relaxed variants are unordered. On x86 every RMW op used here is one
 * lock-prefixed instruction, a full barrier either way; arm64 with LSE
 * emits a barrier-free LDADD for the relaxed form and LDADDAL for the
 * ordered one (without LSE: LDXR/STXR against LDXR/STLXR + DMB ISH).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "counterlab.h"

/* The percpu kind's counter: one int per CPU, summed after the phase. */
static DEFINE_PER_CPU(int, cl_percpu);

void cl_counters_reset(struct cl_counters *c)
{
	int cpu;

	memset(c, 0, sizeof(*c));
	spin_lock_init(&c->spin_lock);
	mutex_init(&c->mutex);
	raw_spin_lock_init(&c->raw_lock);
	for_each_possible_cpu(cpu)
		per_cpu(cl_percpu, cpu) = 0;
}

/*
 * plain: v++ on a shared int with no synchronisation (C++: a plain int).
 * The race is the point: two threads can load the same value and both
 * store value + 1, losing an update. Plain C accesses on purpose (no
 * READ_ONCE/WRITE_ONCE or data_race()) so that KCSAN reports the race as
 * the bug it is. barrier() only stops the compiler from merging the loop
 * into one addition.
 */
static u64 cl_plain_loop(struct cl_counters *c, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		c->plain++;
		barrier();
	}
	return 0;
}

static s64 cl_plain_read(struct cl_counters *c)
{
	return c->plain;
}

/* atomic: atomic_inc(), void RMW: atomic, unordered (C++ fetch_add relaxed). */
static u64 cl_atomic_loop(struct cl_counters *c, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		atomic_inc(&c->atomic);
	return 0;
}

static s64 cl_atomic_read(struct cl_counters *c)
{
	return atomic_read(&c->atomic);
}

/*
 * spinlock: v++ under a spinlock_t: busy-waiting mutual exclusion, acq/rel.
 * On PREEMPT_RT a spinlock_t is an rt_mutex: it sleeps (see raw_spinlock).
 */
static u64 cl_spinlock_loop(struct cl_counters *c, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		spin_lock(&c->spin_lock);
		c->spin_v++;
		spin_unlock(&c->spin_lock);
	}
	return 0;
}

static s64 cl_spinlock_read(struct cl_counters *c)
{
	return c->spin_v;
}

/* atomic_ordered: atomic_fetch_add(), fully ordered: at least C++ seq_cst. */
static u64 cl_ordered_loop(struct cl_counters *c, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		atomic_fetch_add(1, &c->ordered);
	return 0;
}

static s64 cl_ordered_read(struct cl_counters *c)
{
	return atomic_read(&c->ordered);
}

/* atomic_relaxed: atomic_fetch_add_relaxed(): unordered (C++ relaxed). */
static u64 cl_relaxed_loop(struct cl_counters *c, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		atomic_fetch_add_relaxed(1, &c->relaxed);
	return 0;
}

static s64 cl_relaxed_read(struct cl_counters *c)
{
	return atomic_read(&c->relaxed);
}

/* cmpxchg: CAS retry loop (C++ compare_exchange_strong); returns failed CASes. */
static u64 cl_cmpxchg_loop(struct cl_counters *c, u32 n)
{
	int old = atomic_read(&c->cas);
	u64 retries = 0;
	u32 i;

	/* A failed try_cmpxchg() leaves the current value in old: retry with it. */
	for (i = 0; i < n; i++, old++) {
		while (!atomic_try_cmpxchg(&c->cas, &old, old + 1))
			retries++;
	}
	return retries;
}

static s64 cl_cmpxchg_read(struct cl_counters *c)
{
	return atomic_read(&c->cas);
}

/* mutex: v++ under a struct mutex, a sleeping lock (std::mutex + lock_guard). */
static u64 cl_mutex_loop(struct cl_counters *c, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		mutex_lock(&c->mutex);
		c->mutex_v++;
		mutex_unlock(&c->mutex);
	}
	return 0;
}

static s64 cl_mutex_read(struct cl_counters *c)
{
	return c->mutex_v;
}

/* percpu: this_cpu_inc(), one slot per CPU, one preempt-safe insn on x86. */
static u64 cl_percpu_loop(struct cl_counters *c, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		this_cpu_inc(cl_percpu);
	return 0;
}

static s64 cl_percpu_read(struct cl_counters *c)
{
	s64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(cl_percpu, cpu);
	return sum;
}

/* atomic64: atomic64_inc(), unordered, 64-bit (std::atomic<int64_t> relaxed). */
static u64 cl_atomic64_loop(struct cl_counters *c, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		atomic64_inc(&c->wide);
	return 0;
}

static s64 cl_atomic64_read(struct cl_counters *c)
{
	return atomic64_read(&c->wide);
}

/*
 * raw_spinlock: v++ under a raw_spinlock_t, which spins on every kernel
 * (on PREEMPT_RT too, where spinlock_t sleeps); preemption is off inside.
 */
static u64 cl_raw_spinlock_loop(struct cl_counters *c, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		raw_spin_lock(&c->raw_lock);
		c->raw_v++;
		raw_spin_unlock(&c->raw_lock);
	}
	return 0;
}

static s64 cl_raw_spinlock_read(struct cl_counters *c)
{
	return c->raw_v;
}

/*
 * empty: the same loop with no increment at all, to measure what the
 * harness itself costs. It counts the iterations it ran once per chunk.
 */
static u64 cl_empty_loop(struct cl_counters *c, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		barrier();
	atomic64_add(n, &c->empty_done);
	return 0;
}

static s64 cl_empty_read(struct cl_counters *c)
{
	return atomic64_read(&c->empty_done);
}

/* The table: its order is the run order and the read-back order. */
const struct cl_kind cl_kinds[CL_NR_KINDS] = {
	{ "plain", 0, cl_plain_loop, cl_plain_read },
	{ "atomic", 0, cl_atomic_loop, cl_atomic_read },
	{ "spinlock", CL_KIND_LOCK | CL_KIND_RT_SLEEPS, cl_spinlock_loop, cl_spinlock_read },
	{ "atomic_ordered", 0, cl_ordered_loop, cl_ordered_read },
	{ "atomic_relaxed", 0, cl_relaxed_loop, cl_relaxed_read },
	{ "cmpxchg", 0, cl_cmpxchg_loop, cl_cmpxchg_read },
	{ "mutex", CL_KIND_LOCK | CL_KIND_RT_SLEEPS, cl_mutex_loop, cl_mutex_read },
	{ "percpu", 0, cl_percpu_loop, cl_percpu_read },
	{ "atomic64", CL_KIND_WIDE, cl_atomic64_loop, cl_atomic64_read },
	{ "raw_spinlock", CL_KIND_LOCK, cl_raw_spinlock_loop, cl_raw_spinlock_read },
	{ "empty", CL_KIND_BY_NAME, cl_empty_loop, cl_empty_read },
};

/**
 * cl_kinds_flagged() - the kinds that have @flag
 * @flag: a CL_KIND_* flag
 *
 * Return: the bitmask of those kinds.
 */
unsigned long cl_kinds_flagged(unsigned int flag)
{
	unsigned long mask = 0;
	int i;

	for (i = 0; i < CL_NR_KINDS; i++)
		if (cl_kinds[i].flags & flag)
			mask |= BIT(i);
	return mask;
}

static int cl_kind_lookup(const char *name, size_t len, unsigned long *mask)
{
	int i;

	if (len == 3 && !strncmp(name, "all", 3)) {
		*mask |= CL_KINDS_MASK & ~cl_kinds_flagged(CL_KIND_BY_NAME);
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
 */
void cl_kinds_format(unsigned long mask, char *buf, size_t size)
{
	int i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < CL_NR_KINDS; i++)
		if (mask & BIT(i))
			n += scnprintf(buf + n, size - n, "%s%s",
				       n ? " " : "", cl_kinds[i].name);
}
