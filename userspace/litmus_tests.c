// SPDX-License-Identifier: GPL-2.0
/*
 * counterlab CLI: the userspace litmus tests, C11 <stdatomic.h>, one
 * CL_LITMUS() each (litmus.h). The same shapes as the module's (SB, MP,
 * LB, and SB around a counter increment) in the seed's own language:
 * memory_order_relaxed, release/acquire and seq_cst loads, stores, fences
 * and fetch_adds. Their verdicts are C11's: herd7 with the C11 model
 * (c11_orig.cat) checks each against litmus/c11/<name>.litmus (make
 * litmus-model).
 */
#include <stdatomic.h>

#include "litmus.h"

#define RLX	memory_order_relaxed
#define ACQ	memory_order_acquire
#define REL	memory_order_release
#define SC	memory_order_seq_cst

/* SB: each thread stores one variable, then loads the other. */
CL_LITMUS(sb_relaxed, "SB+relaxed", SOMETIMES, "0:r0=0 /\\ 1:r0=0",
	  { atomic_store_explicit(x, 1, RLX); r0 = atomic_load_explicit(y, RLX); },
	  { atomic_store_explicit(y, 1, RLX); r0 = atomic_load_explicit(x, RLX); });

/* Release and acquire do not order a store before a later load. */
CL_LITMUS(sb_release_acquire, "SB+release_acquire", SOMETIMES, "0:r0=0 /\\ 1:r0=0",
	  { atomic_store_explicit(x, 1, REL); r0 = atomic_load_explicit(y, ACQ); },
	  { atomic_store_explicit(y, 1, REL); r0 = atomic_load_explicit(x, ACQ); });

/* seq_cst: one total order of all four accesses, so never 0 and 0. */
CL_LITMUS(sb_seq_cst, "SB+seq_cst", NEVER, "0:r0=0 /\\ 1:r0=0",
	  { atomic_store_explicit(x, 1, SC); r0 = atomic_load_explicit(y, SC); },
	  { atomic_store_explicit(y, 1, SC); r0 = atomic_load_explicit(x, SC); });

CL_LITMUS(sb_fence_seq_cst, "SB+fence_seq_cst", NEVER, "0:r0=0 /\\ 1:r0=0",
	  {
		atomic_store_explicit(x, 1, RLX);
		atomic_thread_fence(SC);
		r0 = atomic_load_explicit(y, RLX);
	  },
	  {
		atomic_store_explicit(y, 1, RLX);
		atomic_thread_fence(SC);
		r0 = atomic_load_explicit(x, RLX);
	  });

/* MP: data then flag, read back flag then data. */
CL_LITMUS(mp_relaxed, "MP+relaxed", SOMETIMES, "1:r0=1 /\\ 1:r1=0",
	  { atomic_store_explicit(x, 1, RLX); atomic_store_explicit(y, 1, RLX); },
	  { r0 = atomic_load_explicit(y, RLX); r1 = atomic_load_explicit(x, RLX); });

CL_LITMUS(mp_release_acquire, "MP+release_acquire", NEVER, "1:r0=1 /\\ 1:r1=0",
	  { atomic_store_explicit(x, 1, RLX); atomic_store_explicit(y, 1, REL); },
	  { r0 = atomic_load_explicit(y, ACQ); r1 = atomic_load_explicit(x, RLX); });

/* LB: each thread loads one variable, then stores the other. */
CL_LITMUS(lb_relaxed, "LB+relaxed", SOMETIMES, "0:r0=1 /\\ 1:r0=1",
	  { r0 = atomic_load_explicit(x, RLX); atomic_store_explicit(y, 1, RLX); },
	  { r0 = atomic_load_explicit(y, RLX); atomic_store_explicit(x, 1, RLX); });

CL_LITMUS(lb_acquire_release, "LB+acquire_release", NEVER, "0:r0=1 /\\ 1:r0=1",
	  { r0 = atomic_load_explicit(x, ACQ); atomic_store_explicit(y, 1, REL); },
	  { r0 = atomic_load_explicit(y, ACQ); atomic_store_explicit(x, 1, REL); });

/*
 * SB around the counter: fetch_add(1) on z between a relaxed store and a
 * relaxed load. Relaxed keeps the increment atomic and orders nothing
 * else; seq_cst (or any release-acquire RMW) makes the second increment
 * read from the first and synchronize with it, so that thread sees the
 * first's store.
 */
CL_LITMUS(sb_fetch_add_relaxed, "SB+fetch_add_relaxed", SOMETIMES, "0:r0=0 /\\ 1:r0=0",
	  {
		atomic_store_explicit(x, 1, RLX);
		r1 = atomic_fetch_add_explicit(z, 1, RLX);
		r0 = atomic_load_explicit(y, RLX);
	  },
	  {
		atomic_store_explicit(y, 1, RLX);
		r1 = atomic_fetch_add_explicit(z, 1, RLX);
		r0 = atomic_load_explicit(x, RLX);
	  });

CL_LITMUS(sb_fetch_add_seq_cst, "SB+fetch_add_seq_cst", NEVER, "0:r0=0 /\\ 1:r0=0",
	  {
		atomic_store_explicit(x, 1, RLX);
		r1 = atomic_fetch_add_explicit(z, 1, SC);
		r0 = atomic_load_explicit(y, RLX);
	  },
	  {
		atomic_store_explicit(y, 1, RLX);
		r1 = atomic_fetch_add_explicit(z, 1, SC);
		r0 = atomic_load_explicit(x, RLX);
	  });

/* The table: "all" and the results follow this order. */
const struct cl_lit_test *const cl_lit_tests[] = {
	&sb_relaxed,
	&sb_release_acquire,
	&sb_seq_cst,
	&sb_fence_seq_cst,
	&mp_relaxed,
	&mp_release_acquire,
	&lb_relaxed,
	&lb_acquire_release,
	&sb_fetch_add_relaxed,
	&sb_fetch_add_seq_cst,
};

const int cl_lit_ntests = sizeof(cl_lit_tests) / sizeof(cl_lit_tests[0]);
