// SPDX-License-Identifier: GPL-2.0
/*
 * counterlab CLI: the userspace mirror of the module's kinds, in C11
 * <stdatomic.h> and pthreads. The shape is the module's (module/run.c,
 * module/kinds.c): one hot loop per kind, called once per chunk of 4096
 * increments through the table (never an indirect call inside the loop);
 * one counter per cache line; workers wait at a sleeping start gate; the
 * clock starts just before the gate opens and stops at the last finish;
 * thread i is pinned to the i-th allowed CPU. So a kernel/user ratio
 * compares the primitives, not two different harnesses. The gate and
 * the end are futexes, as the module's are wait queues.
 *
 * To add a kind: a counter in struct counters, a loop and a read below,
 * an entry in kinds[], and the name in cl_kind_info[] (options.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cl.h"

#define CHUNK	4096	/* the module's CL_CHUNK */
#define LINE	64

/* What the kernel's barrier() is: a compiler barrier. */
#define barrier()	__asm__ __volatile__("" ::: "memory")
/* What the kernel's cpu_relax() is while spinning: PAUSE on x86. */
#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax()	__asm__ __volatile__("pause" ::: "memory")
#else
#define cpu_relax()	barrier()
#endif
/*
 * Use @v, as far as the compiler knows: the module's atomic_fetch_add()
 * is "lock xadd" whether or not its result is used; a C11 fetch_add whose
 * result is dropped may become "lock add". Keeping it keeps the xadd.
 */
#define use(v)		__asm__ __volatile__("" : : "r"(v))

/**
 * struct counters - the shared counters, one cache line each
 *
 * As struct cl_counters in the module; percpu's slots are per thread.
 * @plain is a plain int incremented by several threads: a data race, on
 * purpose (as in the module), the lost updates are what it shows.
 */
struct counters {
	alignas(LINE) int plain;
	alignas(LINE) atomic_int atomic;
	alignas(LINE) pthread_spinlock_t spin;
	int spin_v;
	alignas(LINE) atomic_int ordered;
	alignas(LINE) atomic_int relaxed;
	alignas(LINE) atomic_int cas;
	alignas(LINE) pthread_mutex_t mutex;
	int mutex_v;
	alignas(LINE) atomic_llong wide;
	alignas(LINE) atomic_int raw;
	int raw_v;
	alignas(LINE) atomic_llong empty_done;
};

/* percpu: a padded slot per thread; only its owner writes it. */
struct slot {
	alignas(LINE) atomic_int v;
};

static struct counters counters;
static struct slot *slots;
static int nslots;
static _Thread_local atomic_int *my_slot;

/* plain: v++, no synchronisation: loses updates under concurrency. */
static uint64_t plain_loop(struct counters *c, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		c->plain++;
		barrier();
	}
	return 0;
}

static int64_t plain_read(struct counters *c)
{
	return c->plain;
}

/* atomic: what atomic_inc() is: fetch_add, relaxed, result unused (lock add). */
static uint64_t atomic_loop(struct counters *c, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		atomic_fetch_add_explicit(&c->atomic, 1, memory_order_relaxed);
	return 0;
}

static int64_t atomic_read_(struct counters *c)
{
	return atomic_load(&c->atomic);
}

/* spinlock: v++ under a pthread spinlock (busy-waiting). */
static uint64_t spinlock_loop(struct counters *c, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		pthread_spin_lock(&c->spin);
		c->spin_v++;
		pthread_spin_unlock(&c->spin);
	}
	return 0;
}

static int64_t spinlock_read(struct counters *c)
{
	return c->spin_v;
}

/* atomic_ordered: fetch_add seq_cst, C++ counter++ on std::atomic (xadd). */
static uint64_t ordered_loop(struct counters *c, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		use(atomic_fetch_add(&c->ordered, 1));
	return 0;
}

static int64_t ordered_read(struct counters *c)
{
	return atomic_load(&c->ordered);
}

/* atomic_relaxed: fetch_add relaxed (atomic_fetch_add_relaxed(), xadd). */
static uint64_t relaxed_loop(struct counters *c, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		use(atomic_fetch_add_explicit(&c->relaxed, 1,
					      memory_order_relaxed));
	return 0;
}

static int64_t relaxed_read(struct counters *c)
{
	return atomic_load(&c->relaxed);
}

/* cmpxchg: compare_exchange_weak retry loop; returns the failed CASes. */
static uint64_t cmpxchg_loop(struct counters *c, uint32_t n)
{
	int old = atomic_load_explicit(&c->cas, memory_order_relaxed);
	uint64_t retries = 0;
	uint32_t i;

	/* A failed CAS leaves the current value in old: retry with it. */
	for (i = 0; i < n; i++, old++) {
		while (!atomic_compare_exchange_weak(&c->cas, &old, old + 1))
			retries++;
	}
	return retries;
}

static int64_t cmpxchg_read(struct counters *c)
{
	return atomic_load(&c->cas);
}

/* mutex: v++ under a pthread mutex (sleeps when contended). */
static uint64_t mutex_loop(struct counters *c, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		pthread_mutex_lock(&c->mutex);
		c->mutex_v++;
		pthread_mutex_unlock(&c->mutex);
	}
	return 0;
}

static int64_t mutex_read(struct counters *c)
{
	return c->mutex_v;
}

/*
 * percpu: this thread's own padded slot, a relaxed load and store (no
 * atomic RMW: nobody else writes it), like this_cpu_inc()'s one
 * unlocked increment. Summed after the phase.
 */
static uint64_t percpu_loop(struct counters *c, uint32_t n)
{
	atomic_int *s = my_slot;
	uint32_t i;

	(void)c;
	for (i = 0; i < n; i++)
		atomic_store_explicit(s, atomic_load_explicit(s, memory_order_relaxed) + 1,
				      memory_order_relaxed);
	return 0;
}

static int64_t percpu_read(struct counters *c)
{
	int64_t sum = 0;
	int i;

	(void)c;
	for (i = 0; i < nslots; i++)
		sum += atomic_load(&slots[i].v);
	return sum;
}

/* atomic64: a 64-bit relaxed fetch_add (atomic64_inc()). */
static uint64_t atomic64_loop(struct counters *c, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		atomic_fetch_add_explicit(&c->wide, 1, memory_order_relaxed);
	return 0;
}

static int64_t atomic64_read(struct counters *c)
{
	return atomic_load(&c->wide);
}

/*
 * raw_spinlock: v++ under a test-and-test-and-set spin lock on a C11 atomic
 * (acquire exchange, release store): it spins whatever the scheduler does,
 * as raw_spinlock_t does in the kernel, PREEMPT_RT included.
 */
static uint64_t raw_spinlock_loop(struct counters *c, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		while (atomic_exchange_explicit(&c->raw, 1, memory_order_acquire))
			while (atomic_load_explicit(&c->raw, memory_order_relaxed))
				cpu_relax();
		c->raw_v++;
		atomic_store_explicit(&c->raw, 0, memory_order_release);
	}
	return 0;
}

static int64_t raw_spinlock_read(struct counters *c)
{
	return c->raw_v;
}

/* empty: the loop without the increment: the harness's own cost. */
static uint64_t empty_loop(struct counters *c, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		barrier();
	atomic_fetch_add(&c->empty_done, n);
	return 0;
}

static int64_t empty_read(struct counters *c)
{
	return atomic_load(&c->empty_done);
}

/* In cl_kind_info[] order. */
static const struct {
	uint64_t (*loop)(struct counters *c, uint32_t n);
	int64_t (*read)(struct counters *c);
} kinds[] = {
	{ plain_loop, plain_read },
	{ atomic_loop, atomic_read_ },
	{ spinlock_loop, spinlock_read },
	{ ordered_loop, ordered_read },
	{ relaxed_loop, relaxed_read },
	{ cmpxchg_loop, cmpxchg_read },
	{ mutex_loop, mutex_read },
	{ percpu_loop, percpu_read },
	{ atomic64_loop, atomic64_read },
	{ raw_spinlock_loop, raw_spinlock_read },
	{ empty_loop, empty_read },
};

_Static_assert(sizeof(kinds) / sizeof(kinds[0]) == 11,
	       "one loop per kind of cl_kind_info[]");

/**
 * struct phase - one kind's phase (struct cl_phase in the module)
 * @loop: the kind's hot loop
 * @iterations: increments per thread, read by the workers after @open
 * @unready: workers not at the gate yet; the last one wakes the controller
 * @unfinished: workers not finished yet; the last one wakes the controller
 * @open: the gate: 0 closed, 1 open
 *
 * The waits are futexes, like the module's wait queues: opening the gate
 * wakes every worker at once, and none takes a lock on its way out.
 */
struct phase {
	uint64_t (*loop)(struct counters *c, uint32_t n);
	uint32_t iterations;
	atomic_int unready;
	atomic_int unfinished;
	atomic_int open;
};

/* Sleep while *@word is @val (or return at once if it is not). */
static void futex_wait(atomic_int *word, int val)
{
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake_all(atomic_int *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

/* Wait until *@word is 0. */
static void wait_zero(atomic_int *word)
{
	int v;

	while ((v = atomic_load(word)) != 0)
		futex_wait(word, v);
}

/* Count *@word down; the last one out wakes the waiter. */
static void count_down(atomic_int *word)
{
	if (atomic_fetch_sub(word, 1) == 1)
		futex_wake_all(word);
}

/**
 * struct worker - one thread of a phase
 * @thread: the pthread
 * @phase: the phase
 * @index: its slot in slots[]
 * @start, @end: gate to last increment, CLOCK_MONOTONIC ns
 * @retries: failed CASes its loop reported
 */
struct worker {
	pthread_t thread;
	struct phase *phase;
	int index;
	uint64_t start;
	uint64_t end;
	uint64_t retries;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	struct phase *ph = w->phase;
	uint64_t (*loop)(struct counters *c, uint32_t n) = ph->loop;
	uint64_t retries = 0;
	uint32_t left, n;

	my_slot = &slots[w->index].v;
	count_down(&ph->unready);
	while (!atomic_load(&ph->open))
		futex_wait(&ph->open, 0);
	left = ph->iterations;	/* 0 when the phase was called off */

	w->start = now_ns();
	while (left && !atomic_load_explicit(&cl_interrupted, memory_order_relaxed)) {
		n = left < CHUNK ? left : CHUNK;
		retries += loop(&counters, n);
		left -= n;
	}
	w->end = now_ns();
	w->retries = retries;
	/* seq_cst: our increments and times are seen before the count. */
	count_down(&ph->unfinished);
	return NULL;
}

/* The CPUs this process may run on; thread i goes to the i-th of them. */
static int allowed_cpus(int *cpus, int max)
{
	cpu_set_t set;
	int cpu, n = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 0;
	for (cpu = 0; cpu < CPU_SETSIZE && n < max; cpu++)
		if (CPU_ISSET(cpu, &set))
			cpus[n++] = cpu;
	return n;
}

unsigned int cl_online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned int)n : 1;
}

static void reset(void)
{
	int i;

	pthread_spin_destroy(&counters.spin);
	pthread_mutex_destroy(&counters.mutex);
	memset(&counters, 0, sizeof(counters));
	pthread_spin_init(&counters.spin, PTHREAD_PROCESS_PRIVATE);
	pthread_mutex_init(&counters.mutex, NULL);
	for (i = 0; i < nslots; i++)
		atomic_store(&slots[i].v, 0);
}

/* a * b / c rounded to hundredths, as the module's cl_centi(). */
static double centi(uint64_t a, uint64_t b, uint64_t c)
{
	return (double)(((unsigned __int128)a * b * 1000 / c + 5) / 10) / 100.0;
}

static int phase(const struct cl_opts *o, int k, struct worker *w,
		 const int *cpus, int ncpus, struct cl_row *row)
{
	struct phase ph = {
		.loop = kinds[k].loop,
		.iterations = o->iterations,
	};
	pthread_attr_t attr;
	uint64_t t0, t_end, ns;
	unsigned int i, made = 0;
	cpu_set_t set;
	int ret = 0;

	atomic_init(&ph.unready, (int)o->threads);
	atomic_init(&ph.unfinished, (int)o->threads);
	atomic_init(&ph.open, 0);
	reset();
	for (i = 0; i < o->threads; i++) {
		w[i] = (struct worker){ .phase = &ph, .index = (int)i };
		pthread_attr_init(&attr);
		if (o->pin && ncpus) {
			CPU_ZERO(&set);
			CPU_SET(cpus[i % (unsigned int)ncpus], &set);
			pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
		}
		ret = pthread_create(&w[i].thread, &attr, worker_fn, &w[i]);
		pthread_attr_destroy(&attr);
		if (ret)
			break;
		made++;
	}

	if (ret) {
		/* Those made wait at the gate; let them run an empty phase. */
		ph.iterations = 0;
		atomic_fetch_sub(&ph.unfinished, (int)(o->threads - made));
	} else {
		wait_zero(&ph.unready);
	}
	t0 = now_ns();
	atomic_store(&ph.open, 1);
	futex_wake_all(&ph.open);
	wait_zero(&ph.unfinished);
	for (i = 0; i < made; i++)
		pthread_join(w[i].thread, NULL);
	if (ret) {
		fprintf(stderr, "counterlab: cannot create thread %u: %s\n",
			made, strerror(ret));
		return CL_EXIT_FAIL;
	}
	if (atomic_load(&cl_interrupted))
		return CL_EXIT_INTR;

	memset(row, 0, sizeof(*row));
	snprintf(row->kind, sizeof(row->kind), "%s", cl_kind_info[k].name);
	row->expected = (uint64_t)o->threads * o->iterations;
	row->actual = kinds[k].read(&counters);
	row->lost = (int64_t)row->expected - row->actual;
	row->thread_min_ns = UINT64_MAX;
	t_end = t0;
	for (i = 0; i < o->threads; i++) {
		ns = w[i].end - w[i].start;
		if (ns < row->thread_min_ns)
			row->thread_min_ns = ns;
		if (ns > row->thread_max_ns)
			row->thread_max_ns = ns;
		row->retries += w[i].retries;
		if (w[i].end > t_end)
			t_end = w[i].end;
	}
	row->elapsed_ns = t_end - t0;
	ns = row->elapsed_ns ? row->elapsed_ns : 1;
	row->ns_per_op = centi(ns, o->threads, row->expected);
	row->mops = centi(row->expected, 1000, ns);
	return CL_EXIT_OK;
}

/**
 * cl_user_run() - run the selected kinds in userspace
 * @o: threads, iterations, kinds and pin, all given
 * @t: the table, space "user"
 *
 * Return: CL_EXIT_OK, CL_EXIT_INTR on Ctrl-C, CL_EXIT_FAIL.
 */
int cl_user_run(const struct cl_opts *o, struct cl_table *t)
{
	int cpus[CL_THREADS_MAX], ncpus, k, ret = CL_EXIT_OK;
	struct worker *w;

	memset(t, 0, sizeof(*t));
	t->space = "user";
	t->threads = o->threads;
	t->iterations = o->iterations;
	t->cpus = cl_online_cpus();
	t->pin = o->pin;
	ncpus = allowed_cpus(cpus, CL_THREADS_MAX);
	w = calloc(o->threads, sizeof(*w));
	slots = aligned_alloc(LINE, o->threads * sizeof(*slots));
	if (!w || !slots) {
		free(w);
		free(slots);
		slots = NULL;
		fprintf(stderr, "counterlab: out of memory\n");
		return CL_EXIT_FAIL;
	}
	nslots = (int)o->threads;
	memset(slots, 0, o->threads * sizeof(*slots));
	for (k = 0; k < cl_nr_kinds && ret == CL_EXIT_OK; k++) {
		if (!(o->kinds & (1UL << k)))
			continue;
		ret = phase(o, k, w, cpus, ncpus, &t->rows[t->nrows]);
		if (ret == CL_EXIT_OK)
			t->nrows++;
	}
	free(w);
	free(slots);
	slots = NULL;
	nslots = 0;
	return ret;
}
