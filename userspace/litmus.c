// SPDX-License-Identifier: GPL-2.0
/*
 * counterlab CLI: the userspace litmus engine, the module's
 * (module/litmus.c) in C11 and pthreads. Two threads, pinned to the first
 * two CPUs this process may use, run a test's trials in batches of
 * CL_LIT_BATCH on fresh variables (x[] and y[] zeroed before each batch),
 * every trial started by a barrier both pass together; after a batch
 * thread 0 counts the final states. Ctrl-C (cl_interrupted) stops both
 * within one trial.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cl.h"
#include "litmus.h"

const char *const cl_lit_verdicts[] = {
	[CL_LIT_NEVER] = "Never",
	[CL_LIT_SOMETIMES] = "Sometimes",
	[CL_LIT_ALWAYS] = "Always",
};

/**
 * struct cond - one conjunct of an exists condition: T:rN=V
 * @thread: T
 * @reg: N
 * @value: V
 */
struct cond {
	int thread;
	int reg;
	int value;
};

/**
 * struct phase - one test's trials
 * @test: the test
 * @cond: its exists condition, @nconds conjuncts
 * @nconds: see @cond
 * @b: the batch memory
 * @trials: trials to run
 * @count: trials per final state (conjunct k's register in bit k)
 * @odd: trials in which such a register held neither 0 nor 1
 * @positive: trials whose final state satisfied the condition
 * @cpu: the CPUs of the two threads
 */
struct phase {
	const struct cl_lit_test *test;
	struct cond cond[CL_LIT_CONDS];
	int nconds;
	struct cl_lit_batch *b;
	unsigned long trials;
	uint64_t count[CL_LIT_STATES];
	uint64_t odd;
	uint64_t positive;
	int cpu[CL_LIT_THREADS];
};

/**
 * struct worker - one of the two threads
 * @ph: its test
 * @me: 0 or 1
 */
struct worker {
	struct phase *ph;
	int me;
};

int cl_lit_user_find(const char *name, size_t len)
{
	int i;

	for (i = 0; i < cl_lit_ntests; i++)
		if (strlen(cl_lit_tests[i]->name) == len &&
		    !strncmp(cl_lit_tests[i]->name, name, len))
			return i;
	return -1;
}

static int parse_exists(const char *s, struct phase *ph)
{
	int t, r, v, used;

	ph->nconds = 0;
	for (;;) {
		if (ph->nconds == CL_LIT_CONDS ||
		    sscanf(s, " %d:r%d=%d%n", &t, &r, &v, &used) != 3 ||
		    t < 0 || t >= CL_LIT_THREADS || r < 0 || r >= CL_LIT_REGS)
			return -EINVAL;
		ph->cond[ph->nconds++] = (struct cond){ t, r, v };
		s += used;
		while (*s == ' ')
			s++;
		if (!*s)
			return 0;
		if (strncmp(s, "/\\", 2))
			return -EINVAL;
		s += 2;
	}
}

static bool stopping(const struct cl_lit_batch *b)
{
	return atomic_load_explicit(&b->abort, memory_order_relaxed) ||
	       atomic_load_explicit(&cl_interrupted, memory_order_relaxed);
}

/* At a batch's edges, with release and acquire (as the module's). */
static bool meet_ordered(struct cl_lit_batch *b, int me, unsigned long t)
{
	atomic_store_explicit(&b->arrive[me].v, t, memory_order_release);
	while (atomic_load_explicit(&b->arrive[!me].v, memory_order_acquire) < t) {
		if (stopping(b)) {
			atomic_store(&b->abort, true);
			return true;
		}
		cl_lit_relax();
	}
	return false;
}

static void count_batch(struct phase *ph)
{
	const struct cl_lit_batch *b = ph->b;
	unsigned int state;
	bool odd, holds;
	uint32_t i;
	int k, v;

	for (i = 0; i < b->n; i++) {
		state = 0;
		odd = false;
		holds = true;
		for (k = 0; k < ph->nconds; k++) {
			v = b->r[ph->cond[k].thread][ph->cond[k].reg][i];
			if (v != 0 && v != 1)
				odd = true;
			state |= (unsigned int)(v & 1) << k;
			holds &= v == ph->cond[k].value;
		}
		if (odd)
			ph->odd++;
		else
			ph->count[state]++;
		ph->positive += holds;
	}
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	struct phase *ph = w->ph;
	struct cl_lit_batch *b = ph->b;
	void (*body)(struct cl_lit_batch *b) = ph->test->thread[w->me];
	unsigned long done = 0, seq = 0;
	cpu_set_t set;
	uint32_t n;

	CPU_ZERO(&set);
	CPU_SET(ph->cpu[w->me], &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	while (done < ph->trials && !stopping(b)) {
		n = ph->trials - done < CL_LIT_BATCH ? ph->trials - done :
						       CL_LIT_BATCH;
		if (meet_ordered(b, w->me, ++seq))
			break;
		if (w->me == 0) {
			b->n = n;
			b->base = seq + 1;	/* the next meet's */
		}
		if (meet_ordered(b, w->me, ++seq))
			break;
		body(b);
		seq += n;
		if (meet_ordered(b, w->me, ++seq))
			break;
		if (w->me == 0) {
			count_batch(ph);
			memset(b->x, 0, n * sizeof(*b->x));
			memset(b->y, 0, n * sizeof(*b->y));
		}
		done += n;
	}
	if (done < ph->trials)
		atomic_store(&b->abort, true);
	return NULL;
}

/* The first two CPUs this process may run on; -1 with fewer. */
static int two_cpus(int cpu[CL_LIT_THREADS])
{
	cpu_set_t set;
	int c, k = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -1;
	for (c = 0; c < CPU_SETSIZE && k < CL_LIT_THREADS; c++)
		if (CPU_ISSET(c, &set))
			cpu[k++] = c;
	return k == CL_LIT_THREADS ? 0 : -1;
}

static void fill_result(const struct phase *ph, double seconds,
			struct cl_lit_result *r)
{
	const struct cl_lit_test *t = ph->test;
	uint64_t negative = ph->trials - ph->positive;
	unsigned int state;
	size_t len;
	int k;

	memset(r, 0, sizeof(*r));
	snprintf(r->space, sizeof(r->space), "user");
	snprintf(r->name, sizeof(r->name), "%s", t->name);
	snprintf(r->model, sizeof(r->model), "%s", cl_lit_verdicts[t->model]);
	snprintf(r->exists, sizeof(r->exists), "%s", t->exists);
	snprintf(r->seen, sizeof(r->seen), "%s",
		 cl_lit_verdicts[!ph->positive ? CL_LIT_NEVER :
				 !negative ? CL_LIT_ALWAYS : CL_LIT_SOMETIMES]);
	for (state = 0; state < (1U << ph->nconds); state++) {
		if (!ph->count[state])
			continue;
		len = 0;
		r->holds[r->nstates] = true;
		for (k = 0; k < ph->nconds; k++) {
			len += snprintf(r->state[r->nstates] + len,
					sizeof(r->state[0]) - len, "%s%d:r%d=%u;",
					k ? " " : "", ph->cond[k].thread,
					ph->cond[k].reg, (state >> k) & 1);
			if ((int)((state >> k) & 1) != ph->cond[k].value)
				r->holds[r->nstates] = false;
		}
		r->count[r->nstates++] = ph->count[state];
	}
	r->positive = ph->positive;
	r->negative = negative;
	r->seconds = seconds;
	r->forbidden = (t->model == CL_LIT_NEVER && ph->positive) ||
		       (t->model == CL_LIT_ALWAYS && negative);
}

/*
 * Run test @test for @trials trials. Return 0, -EINTR (Ctrl-C), -ENODEV
 * (fewer than two CPUs), -ENOMEM or a pthread error.
 */
int cl_lit_user_run(int test, unsigned long trials, struct cl_lit_result *r)
{
	struct worker w[CL_LIT_THREADS];
	pthread_t tid[CL_LIT_THREADS];
	struct timespec t0, t1;
	struct cl_lit_batch *b;
	struct phase *ph;
	int i, k, ret = 0, started = 0;

	ph = calloc(1, sizeof(*ph));
	b = aligned_alloc(CL_LIT_LINE, (sizeof(*b) + CL_LIT_LINE - 1) /
				       CL_LIT_LINE * CL_LIT_LINE);
	if (!ph || !b) {
		free(ph);
		free(b);
		return -ENOMEM;
	}
	memset(b, 0, sizeof(*b));
	b->x = calloc(CL_LIT_BATCH, sizeof(*b->x));
	b->y = calloc(CL_LIT_BATCH, sizeof(*b->y));
	for (i = 0; i < CL_LIT_THREADS; i++)
		for (k = 0; k < CL_LIT_REGS; k++)
			b->r[i][k] = calloc(CL_LIT_BATCH, sizeof(int));
	ph->test = cl_lit_tests[test];
	ph->b = b;
	ph->trials = trials;
	if (!b->x || !b->y)
		ret = -ENOMEM;
	for (i = 0; i < CL_LIT_THREADS; i++)
		for (k = 0; k < CL_LIT_REGS; k++)
			if (!b->r[i][k])
				ret = -ENOMEM;
	if (!ret && parse_exists(ph->test->exists, ph))
		ret = -EINVAL;
	if (!ret && two_cpus(ph->cpu))
		ret = -ENODEV;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; !ret && i < CL_LIT_THREADS; i++) {
		w[i] = (struct worker){ ph, i };
		ret = -pthread_create(&tid[i], NULL, worker_fn, &w[i]);
		if (!ret)
			started++;
	}
	if (ret)
		atomic_store(&b->abort, true);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!ret && atomic_load(&b->abort))
		ret = -EINTR;
	if (!ret)
		fill_result(ph, (t1.tv_sec - t0.tv_sec) +
			    (t1.tv_nsec - t0.tv_nsec) / 1e9, r);
	free(b->x);
	free(b->y);
	for (i = 0; i < CL_LIT_THREADS; i++)
		for (k = 0; k < CL_LIT_REGS; k++)
			free(b->r[i][k]);
	free(b);
	free(ph);
	return ret;
}
