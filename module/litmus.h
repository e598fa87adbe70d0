/* SPDX-License-Identifier: GPL-2.0 */
/*
 * counterlab: the litmus engine's declarations, shared by litmus.c (the
 * engine and its debugfs files) and litmus_tests.c (the tests).
 *
 * A litmus test is two threads, each a short body of the kernel's own
 * primitives, run on two CPUs at once many times over; each run ("trial")
 * ends in a final state, the values its registers read, and the test's
 * "exists" condition says which final states are the interesting one. The
 * Linux kernel memory model (tools/memory-model/, run by herd7) says
 * whether that outcome can happen: Never, Sometimes or Always.
 *
 * To add a test: one CL_LITMUS() entry in litmus_tests.c (its two bodies,
 * in herd7's C as in the .litmus file) and the same test as
 * litmus/<name>.litmus, with its verdict in a "Result:" line; make
 * litmus-model checks that herd7 agrees with both.
 */
#ifndef _COUNTERLAB_LITMUS_H
#define _COUNTERLAB_LITMUS_H

#include <linux/atomic.h>
#include <linux/cache.h>
#include <linux/compiler.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/* Trials between two looks at a signal (and cond_resched()). */
#define CL_LIT_BATCH		4096
#define CL_LIT_THREADS		2
/* Registers per thread: r0 and r1. */
#define CL_LIT_REGS		2
/* Conjuncts of an exists condition. */
#define CL_LIT_CONDS		4
#define CL_LIT_TRIALS_MAX	100000000
#define CL_LIT_TRIALS_DEFAULT	1000000

/**
 * enum cl_lit_verdict - what the model says of the exists condition
 * @CL_LIT_NEVER: no execution ends in such a state
 * @CL_LIT_SOMETIMES: some executions do, some do not
 * @CL_LIT_ALWAYS: every execution does
 */
enum cl_lit_verdict { CL_LIT_NEVER, CL_LIT_SOMETIMES, CL_LIT_ALWAYS };

/**
 * struct cl_lit_slot - a counter on a cache line of its own
 * @v: the value
 */
struct cl_lit_slot {
	unsigned long v ____cacheline_aligned_in_smp;
};

/**
 * struct cl_lit_batch - the memory one batch of trials runs on
 * @x: variable x of each trial (CL_LIT_BATCH of them, zeroed per batch)
 * @y: variable y of each trial
 * @r: what each thread's registers read, per trial
 * @z: the counter of the counter-primitive tests (its value is not looked at)
 * @s: the lock of the spinlock test
 * @arrive: the trials each thread has reached (the per-trial barrier)
 * @n: trials in this batch
 * @base: trials before this batch
 * @abort: stop now: set by the controller, or by a thread that sees a
 *         signal for the controller or module exit
 */
struct cl_lit_batch {
	int *x;
	int *y;
	int *r[CL_LIT_THREADS][CL_LIT_REGS];
	atomic_t z ____cacheline_aligned_in_smp;
	spinlock_t s ____cacheline_aligned_in_smp;
	struct cl_lit_slot arrive[CL_LIT_THREADS];
	u32 n ____cacheline_aligned_in_smp;
	unsigned long base;
	bool abort;
};

/* Spins of a waiting thread between two cond_resched(). */
#define CL_LIT_SPINS		65536

/*
 * The per-trial barrier: thread @me reaches trial @i and waits until the
 * other has too, so the two run each trial's bodies at the same moment
 * (within a cache line's transfer). True when the run is aborted. A long
 * wait yields now and then: should a CPU go offline, the two threads may
 * share the other, and without preemption the waiter would never let
 * its partner run.
 */
static __always_inline bool cl_lit_meet(struct cl_lit_batch *b, int me,
					unsigned long i)
{
	unsigned long t = b->base + i + 1;
	unsigned int spins = 0;

	WRITE_ONCE(b->arrive[me].v, t);
	while (READ_ONCE(b->arrive[!me].v) < t) {
		if (READ_ONCE(b->abort))
			return true;
		if (!(++spins % CL_LIT_SPINS))
			cond_resched();
		cpu_relax();
	}
	return false;
}

/*
 * One thread of a test: its body, run once per trial of the batch, between
 * the barrier and the store of its registers. The body is herd7's C: x, y
 * (int *), z (atomic_t *), s (spinlock_t *), registers r0 and r1.
 */
#define CL_LIT_THREAD(fn, me, body)					\
static void fn(struct cl_lit_batch *b)					\
{									\
	atomic_t *z __maybe_unused = &b->z;				\
	spinlock_t *s __maybe_unused = &b->s;				\
	const int who = (me);						\
	u32 i;								\
									\
	for (i = 0; i < b->n; i++) {					\
		int *x __maybe_unused = &b->x[i];			\
		int *y __maybe_unused = &b->y[i];			\
		int r0 = 0, r1 = 0;					\
									\
		if (cl_lit_meet(b, who, i))				\
			break;						\
		body							\
		b->r[who][0][i] = r0;					\
		b->r[who][1][i] = r1;					\
	}								\
}

/* Test flags. */
#define CL_LIT_BY_NAME	BIT(0)	/* not part of "all": the busted control */

/**
 * struct cl_lit_test - one litmus test
 * @thread: the two threads' loops (CL_LIT_THREAD())
 * @name: its name, that of its .litmus file (the kernel's own names for
 *        the kernel's own tests)
 * @model: the LKMM verdict for @exists (herd7 with linux-kernel.cfg)
 * @exists: the condition, in herd7's syntax as in the .litmus file, e.g.
 *          "0:r0=0 /\ 1:r0=0"
 * @flags: CL_LIT_*
 */
struct cl_lit_test {
	void (*thread[CL_LIT_THREADS])(struct cl_lit_batch *b);
	const char *name;
	enum cl_lit_verdict model;
	const char *exists;
	unsigned int flags;
};

/*
 * A test: its two threads' bodies (each one brace-enclosed block) and its
 * table entry, the struct cl_lit_test @id; litmus_tests.c lists it in
 * cl_lit_tests[].
 */
#define CL_LITMUS(id, name_, model_, exists_, flags_, p0, p1)		\
	CL_LIT_THREAD(id##_p0, 0, p0)					\
	CL_LIT_THREAD(id##_p1, 1, p1)					\
									\
	static const struct cl_lit_test id = {				\
		.name = name_,						\
		.model = CL_LIT_##model_,				\
		.exists = exists_,					\
		.flags = flags_,					\
		.thread = { id##_p0, id##_p1 },				\
	}

extern const struct cl_lit_test * const cl_lit_tests[];
extern const unsigned int cl_lit_ntests;

#endif /* _COUNTERLAB_LITMUS_H */
