/* SPDX-License-Identifier: GPL-2.0 */
/*
 * counterlab CLI: the litmus tests, both spaces.
 *
 *   litmus.c       - the userspace engine: the module's (module/litmus.c)
 *                    in C11 and pthreads: two threads pinned to the first
 *                    two allowed CPUs, a barrier per trial, batches of
 *                    fresh variables, final states counted
 *   litmus_tests.c - the userspace tests, C11 <stdatomic.h>: one
 *                    CL_LITMUS() each, as litmus/c11/<name>.litmus
 *   litmus_cmd.c   - "counterlab litmus": options, the module's
 *                    counterlab/litmus/ files, the results parsed and
 *                    printed as a table, JSON or CSV
 */
#ifndef CL_LITMUS_H
#define CL_LITMUS_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CL_LIT_BATCH		4096	/* the module's */
#define CL_LIT_THREADS		2
#define CL_LIT_REGS		2
#define CL_LIT_CONDS		4
#define CL_LIT_STATES		16
#define CL_LIT_TRIALS_MAX	100000000
#define CL_LIT_TRIALS_DEFAULT	1000000
#define CL_LIT_MAX		64	/* tests in one run, both spaces */
#define CL_LIT_LINE		64

/* What the kernel's cpu_relax() is while spinning: PAUSE on x86. */
#if defined(__x86_64__) || defined(__i386__)
#define cl_lit_relax()	__asm__ __volatile__("pause" ::: "memory")
#else
#define cl_lit_relax()	__asm__ __volatile__("" ::: "memory")
#endif

/**
 * struct cl_lit_slot - a counter on a cache line of its own
 * @v: the value
 */
struct cl_lit_slot {
	alignas(CL_LIT_LINE) atomic_ulong v;
};

/**
 * struct cl_lit_batch - the memory one batch of trials runs on
 * @x: variable x of each trial (zeroed per batch)
 * @y: variable y of each trial
 * @r: what each thread's registers read, per trial
 * @z: the counter of the fetch_add tests
 * @arrive: the trials each thread has reached (the per-trial barrier)
 * @n: trials in this batch
 * @base: trials before this batch
 * @abort: stop now (Ctrl-C)
 */
struct cl_lit_batch {
	atomic_int *x;
	atomic_int *y;
	int *r[CL_LIT_THREADS][CL_LIT_REGS];
	alignas(CL_LIT_LINE) atomic_int z;
	struct cl_lit_slot arrive[CL_LIT_THREADS];
	alignas(CL_LIT_LINE) uint32_t n;
	unsigned long base;
	atomic_bool abort;
};

/* The per-trial barrier, as the module's cl_lit_meet(). */
static inline bool cl_lit_meet(struct cl_lit_batch *b, int me, unsigned long i)
{
	unsigned long t = b->base + i + 1;

	atomic_store_explicit(&b->arrive[me].v, t, memory_order_relaxed);
	while (atomic_load_explicit(&b->arrive[!me].v, memory_order_relaxed) < t) {
		if (atomic_load_explicit(&b->abort, memory_order_relaxed))
			return true;
		cl_lit_relax();
	}
	return false;
}

/* One thread's loop: its body once per trial (x, y, z; r0 and r1). */
#define CL_LIT_THREAD(fn, me, body)					\
static void fn(struct cl_lit_batch *b)					\
{									\
	atomic_int *z __attribute__((unused)) = &b->z;			\
	const int who = (me);						\
	uint32_t i;							\
									\
	for (i = 0; i < b->n; i++) {					\
		atomic_int *x __attribute__((unused)) = &b->x[i];	\
		atomic_int *y __attribute__((unused)) = &b->y[i];	\
		int r0 = 0, r1 = 0;					\
									\
		if (cl_lit_meet(b, who, i))				\
			break;						\
		body							\
		b->r[who][0][i] = r0;					\
		b->r[who][1][i] = r1;					\
	}								\
}

enum cl_lit_verdict { CL_LIT_NEVER, CL_LIT_SOMETIMES, CL_LIT_ALWAYS };

/**
 * struct cl_lit_test - one userspace litmus test
 * @thread: the two threads' loops
 * @name: its name, that of litmus/c11/<name>.litmus
 * @model: the C11 verdict for @exists (herd7, c11_orig.cat)
 * @exists: the condition, in herd7's syntax
 */
struct cl_lit_test {
	void (*thread[CL_LIT_THREADS])(struct cl_lit_batch *b);
	const char *name;
	enum cl_lit_verdict model;
	const char *exists;
};

#define CL_LITMUS(id, name_, model_, exists_, p0, p1)			\
	CL_LIT_THREAD(id##_p0, 0, p0)					\
	CL_LIT_THREAD(id##_p1, 1, p1)					\
	static const struct cl_lit_test id = {				\
		.thread = { id##_p0, id##_p1 },				\
		.name = name_,						\
		.model = CL_LIT_##model_,				\
		.exists = exists_,					\
	}

extern const struct cl_lit_test *const cl_lit_tests[];
extern const int cl_lit_ntests;
extern const char *const cl_lit_verdicts[];

/**
 * struct cl_lit_result - one test's outcome, either space
 * @space: "kernel" or "user"
 * @name: the test
 * @model: its verdict, Never, Sometimes or Always
 * @seen: what the trials showed, in the same words
 * @exists: the condition
 * @nstates: final states seen
 * @state: each one, as klitmus7 writes it ("0:r0=0; 1:r0=1;")
 * @count: trials that ended in it
 * @holds: whether the condition holds in it
 * @positive: trials that ended where the condition holds
 * @negative: the others
 * @seconds: how long the test's trials took
 * @forbidden: the model rules out what was seen
 */
struct cl_lit_result {
	char space[8];
	char name[64];
	char model[12];
	char seen[12];
	char exists[96];
	int nstates;
	char state[CL_LIT_STATES][64];
	uint64_t count[CL_LIT_STATES];
	bool holds[CL_LIT_STATES];
	uint64_t positive;
	uint64_t negative;
	double seconds;
	bool forbidden;
};

/* litmus.c */
int cl_lit_user_find(const char *name, size_t len);
int cl_lit_user_run(int test, unsigned long trials, struct cl_lit_result *r);

/* litmus_cmd.c */
int cl_lit_parse_results(const char *text, struct cl_lit_result *r, int max,
			 int *n, char *err, size_t len);
void cl_lit_print(FILE *f, const struct cl_lit_result *r, int n, int format);

#endif /* CL_LITMUS_H */
