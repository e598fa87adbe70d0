// SPDX-License-Identifier: GPL-2.0
/*
 * counterlab: the litmus tests, one CL_LITMUS() each (see litmus.h).
 *
 * The store buffering (SB), message passing (MP) and load buffering (LB)
 * shapes, unordered and ordered, under the names of the kernel's own
 * tools/memory-model/litmus-tests/ files; then SB asked of each counter
 * primitive: does the increment between the store and the load order them?
 * The verdict of each is herd7's with the kernel's model (make
 * litmus-model checks the table against litmus/<name>.litmus and herd7).
 *
 * Registers hold what a thread read (r0, r1); a test's exists condition
 * names the final state the model rules on.
 */
#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>

#include "litmus.h"

/* this_cpu_inc()'s counter: each CPU increments its own. */
static DEFINE_PER_CPU(int, cl_lit_pcpu);

/* SB: each thread stores one variable, then loads the other. */
CL_LITMUS(sb_poonceonces, "SB+poonceonces", SOMETIMES, "0:r0=0 /\\ 1:r0=0", 0,
	  { WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y); },
	  { WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); });

CL_LITMUS(sb_fencembonceonces, "SB+fencembonceonces", NEVER, "0:r0=0 /\\ 1:r0=0", 0,
	  { WRITE_ONCE(*x, 1); smp_mb(); r0 = READ_ONCE(*y); },	/* under test */
	  { WRITE_ONCE(*y, 1); smp_mb(); r0 = READ_ONCE(*x); });	/* under test */

/* Release and acquire order the other way round only: not enough here. */
CL_LITMUS(sb_poreleaseacquires, "SB+poreleaseacquires", SOMETIMES, "0:r0=0 /\\ 1:r0=0", 0,
	  { smp_store_release(x, 1); r0 = smp_load_acquire(y); },	/* under test */
	  { smp_store_release(y, 1); r0 = smp_load_acquire(x); });	/* under test */

/*
 * The negative control, like locktorture's lock_busted: it claims
 * SB+fencembonceonces's verdict without its smp_mb()s, so the check that a
 * Never test never shows its outcome must fail on it. Only by name.
 */
CL_LITMUS(sb_busted, "SB+fencembonceonces-busted", NEVER, "0:r0=0 /\\ 1:r0=0",
	  CL_LIT_BY_NAME,
	  { WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y); },
	  { WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); });

/* MP: one thread writes data then a flag; the other reads them back. */
CL_LITMUS(mp_poonceonces, "MP+poonceonces", SOMETIMES, "1:r0=1 /\\ 1:r1=0", 0,
	  { WRITE_ONCE(*x, 1); WRITE_ONCE(*y, 1); },
	  { r0 = READ_ONCE(*y); r1 = READ_ONCE(*x); });

CL_LITMUS(mp_fencewmbonceonce_fencermbonceonce,
	  "MP+fencewmbonceonce+fencermbonceonce", NEVER, "1:r0=1 /\\ 1:r1=0", 0,
	  { WRITE_ONCE(*x, 1); smp_wmb(); WRITE_ONCE(*y, 1); },	/* under test */
	  { r0 = READ_ONCE(*y); smp_rmb(); r1 = READ_ONCE(*x); });	/* under test */

CL_LITMUS(mp_pooncerelease_poacquireonce, "MP+pooncerelease+poacquireonce",
	  NEVER, "1:r0=1 /\\ 1:r1=0", 0,
	  { WRITE_ONCE(*x, 1); smp_store_release(y, 1); },	/* under test */
	  { r0 = smp_load_acquire(y); r1 = READ_ONCE(*x); });	/* under test */

/* LB: each thread loads one variable, then stores the other. */
CL_LITMUS(lb_poonceonces, "LB+poonceonces", SOMETIMES, "0:r0=1 /\\ 1:r0=1", 0,
	  { r0 = READ_ONCE(*x); WRITE_ONCE(*y, 1); },
	  { r0 = READ_ONCE(*y); WRITE_ONCE(*x, 1); });

CL_LITMUS(lb_fencembonceonce_ctrlonceonce, "LB+fencembonceonce+ctrlonceonce",
	  NEVER, "0:r0=1 /\\ 1:r0=1", 0,
	  { r0 = READ_ONCE(*x); if (r0) WRITE_ONCE(*y, 1); },
	  { r0 = READ_ONCE(*y); smp_mb(); WRITE_ONCE(*x, 1); });	/* under test */

CL_LITMUS(lb_poacquireonce_pooncerelease, "LB+poacquireonce+pooncerelease",
	  NEVER, "0:r0=1 /\\ 1:r0=1", 0,
	  { r0 = smp_load_acquire(x); WRITE_ONCE(*y, 1); },	/* under test */
	  { r0 = READ_ONCE(*y); smp_store_release(x, 1); });	/* under test */

/*
 * SB with a counter increment between the store and the load, on a third
 * variable z: only a fully ordered RMW (a value-returning one without
 * _relaxed, a successful cmpxchg) orders them (Documentation/atomic_t.txt).
 */
CL_LITMUS(sb_atomic_inc, "SB+atomic_inc", SOMETIMES, "0:r0=0 /\\ 1:r0=0", 0,
	  { WRITE_ONCE(*x, 1); atomic_inc(z); r0 = READ_ONCE(*y); },
	  { WRITE_ONCE(*y, 1); atomic_inc(z); r0 = READ_ONCE(*x); });

CL_LITMUS(sb_atomic_fetch_add_relaxed, "SB+atomic_fetch_add_relaxed",
	  SOMETIMES, "0:r0=0 /\\ 1:r0=0", 0,
	  { WRITE_ONCE(*x, 1); r1 = atomic_fetch_add_relaxed(1, z); r0 = READ_ONCE(*y); },
	  { WRITE_ONCE(*y, 1); r1 = atomic_fetch_add_relaxed(1, z); r0 = READ_ONCE(*x); });

CL_LITMUS(sb_atomic_fetch_add, "SB+atomic_fetch_add", NEVER, "0:r0=0 /\\ 1:r0=0", 0,
	  { WRITE_ONCE(*x, 1); r1 = atomic_fetch_add(1, z); r0 = READ_ONCE(*y); },
	  { WRITE_ONCE(*y, 1); r1 = atomic_fetch_add(1, z); r0 = READ_ONCE(*x); });

/*
 * The cmpxchg kind's increment: a failed try_cmpxchg() leaves the current
 * value in old, the attempt that succeeds is fully ordered.
 */
static __always_inline void cl_lit_cmpxchg_inc(atomic_t *z)
{
	int old = atomic_read(z);

	while (!atomic_try_cmpxchg(z, &old, old + 1))
		cpu_relax();
}

CL_LITMUS(sb_atomic_try_cmpxchg, "SB+atomic_try_cmpxchg", NEVER, "0:r0=0 /\\ 1:r0=0", 0,
	  { WRITE_ONCE(*x, 1); cl_lit_cmpxchg_inc(z); r0 = READ_ONCE(*y); },
	  { WRITE_ONCE(*y, 1); cl_lit_cmpxchg_inc(z); r0 = READ_ONCE(*x); });

CL_LITMUS(sb_spinlock, "SB+spinlock", NEVER, "0:r0=0 /\\ 1:r0=0", 0,
	  { WRITE_ONCE(*x, 1); spin_lock(s); spin_unlock(s); r0 = READ_ONCE(*y); },
	  { WRITE_ONCE(*y, 1); spin_lock(s); spin_unlock(s); r0 = READ_ONCE(*x); });

/* Each CPU's own counter: no RMW another CPU takes part in, no order. */
CL_LITMUS(sb_this_cpu_inc, "SB+this_cpu_inc", SOMETIMES, "0:r0=0 /\\ 1:r0=0", 0,
	  { WRITE_ONCE(*x, 1); this_cpu_inc(cl_lit_pcpu); r0 = READ_ONCE(*y); },
	  { WRITE_ONCE(*y, 1); this_cpu_inc(cl_lit_pcpu); r0 = READ_ONCE(*x); });

/* The table: results and "all" follow this order. */
const struct cl_lit_test * const cl_lit_tests[] = {
	&sb_poonceonces,
	&sb_fencembonceonces,
	&sb_poreleaseacquires,
	&mp_poonceonces,
	&mp_fencewmbonceonce_fencermbonceonce,
	&mp_pooncerelease_poacquireonce,
	&lb_poonceonces,
	&lb_fencembonceonce_ctrlonceonce,
	&lb_poacquireonce_pooncerelease,
	&sb_atomic_inc,
	&sb_atomic_fetch_add_relaxed,
	&sb_atomic_fetch_add,
	&sb_atomic_try_cmpxchg,
	&sb_spinlock,
	&sb_this_cpu_inc,
	&sb_busted,
};

const unsigned int cl_lit_ntests = ARRAY_SIZE(cl_lit_tests);
