// SPDX-License-Identifier: GPL-2.0
/*
 * counterlab CLI: the userspace mirror of the module's kinds, in C11
 * <stdatomic.h> and pthreads. The shape is the module's (module/run.c,
 * module/kinds.c): one hot loop per kind, called once per chunk of 4096
 * increments (32 for a lock) through the table (never an indirect call
 * inside the loop); one counter per cache line; workers wait at a
 * sleeping start gate, then check in at a spin barrier doing untimed
 * increments on a private counter until all are in, so their timed
 * windows open together; in duration mode the controller sets a stop
 * flag duration_ms after the window opened and each thread counts what it
 * did; a 32-bit counter stops at its share of INT_MAX; trials back to
 * back, the median trial reported; thread i is pinned to the i-th allowed
 * CPU. So a kernel/user ratio compares the primitives, not two different
 * harnesses. The gate and the end are futexes, as the module's are wait
 * queues.
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

#define CHUNK		4096	/* the module's CL_CHUNK */
#define CHUNK_LOCK	32	/* and CL_CHUNK_LOCK */
#define WARMUP		64	/* CL_WARMUP */
#define LINE		64

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

/* In cl_kind_info[] order; the chunk is the module's for that kind. */
static const struct {
	uint64_t (*loop)(struct counters *c, uint32_t n);
	int64_t (*read)(struct counters *c);
	uint32_t chunk;
} kinds[] = {
	{ plain_loop, plain_read, CHUNK },
	{ atomic_loop, atomic_read_, CHUNK },
	{ spinlock_loop, spinlock_read, CHUNK_LOCK },
	{ ordered_loop, ordered_read, CHUNK },
	{ relaxed_loop, relaxed_read, CHUNK },
	{ cmpxchg_loop, cmpxchg_read, CHUNK },
	{ mutex_loop, mutex_read, CHUNK_LOCK },
	{ percpu_loop, percpu_read, CHUNK },
	{ atomic64_loop, atomic64_read, CHUNK },
	{ raw_spinlock_loop, raw_spinlock_read, CHUNK_LOCK },
	{ empty_loop, empty_read, CHUNK },
};

_Static_assert(sizeof(kinds) / sizeof(kinds[0]) == 11,
	       "one loop per kind of cl_kind_info[]");

/**
 * struct phase - one trial of one kind (struct cl_phase in the module)
 * @loop: the kind's hot loop
 * @chunk: increments between two looks at @stop and Ctrl-C
 * @iterations: increments per thread (iterations mode)
 * @duration_ms: 0, or how long the window stays open
 * @cap: duration mode: increments one thread may do (its share of
 *       INT_MAX for a 32-bit counter)
 * @crowded: more threads than CPUs (or not pinned): give the CPU away
 *           while waiting at the barrier
 * @unready: workers not at the gate yet; the last one wakes the controller
 * @unarrived: workers not checked in at the barrier; the last one records
 *             @open_ns and wakes the controller
 * @unfinished: workers not finished yet; the last one wakes the controller
 * @open: the gate: 0 closed, 1 open
 * @abort: stop now (a thread could not be created)
 * @stop: duration mode: the window is over (the controller, or a thread
 *        at @cap, which also sets @capped)
 * @capped: a thread reached @cap
 * @open_ns: when the window opened
 *
 * The waits are futexes, like the module's wait queues: opening the gate
 * wakes every worker at once, and none takes a lock on its way out.
 */
struct phase {
	uint64_t (*loop)(struct counters *c, uint32_t n);
	uint32_t chunk;
	uint32_t iterations;
	uint32_t duration_ms;
	uint64_t cap;
	bool crowded;
	atomic_int unready;
	atomic_int unarrived;
	atomic_int unfinished;
	atomic_int open;
	atomic_int abort;
	atomic_int stop;
	atomic_int capped;
	_Atomic uint64_t open_ns;
};

/* Sleep while *@word is @val (or return at once if it is not). */
static void futex_wait(atomic_int *word, int val)
{
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

/* The same, until CLOCK_MONOTONIC reaches @deadline at the latest. */
static void futex_wait_until(atomic_int *word, int val,
			     const struct timespec *deadline)
{
	syscall(SYS_futex, word, FUTEX_WAIT_BITSET_PRIVATE, val, deadline,
		NULL, FUTEX_BITSET_MATCH_ANY);
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
 * @start, @end: its window, CLOCK_MONOTONIC ns
 * @ops: increments it did
 * @retries: failed CASes its loop reported
 */
struct worker {
	pthread_t thread;
	struct phase *phase;
	int index;
	uint64_t start;
	uint64_t end;
	uint64_t ops;
	uint64_t retries;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static bool interrupted(const struct phase *ph)
{
	return atomic_load_explicit(&cl_interrupted, memory_order_relaxed) ||
	       atomic_load_explicit(&ph->abort, memory_order_relaxed);
}

/* The barrier: check in; untimed private increments until all are in. */
static void check_in(struct phase *ph)
{
	uint64_t warm = 0, t = now_ns();
	int i;

	if (atomic_fetch_sub(&ph->unarrived, 1) == 1) {
		atomic_store(&ph->open_ns, t);
		futex_wake_all(&ph->unarrived);
		return;
	}
	while (atomic_load(&ph->unarrived) && !interrupted(ph)) {
		for (i = 0; i < WARMUP; i++) {
			warm++;
			barrier();
		}
		if (ph->crowded)
			sched_yield();
	}
	use(warm);
}

static uint64_t count_iterations(struct phase *ph, uint64_t *retries)
{
	uint64_t (*loop)(struct counters *c, uint32_t n) = ph->loop;
	uint32_t left = ph->iterations, n;

	while (left && !interrupted(ph)) {
		n = left < ph->chunk ? left : ph->chunk;
		*retries += loop(&counters, n);
		left -= n;
	}
	return ph->iterations - left;
}

static uint64_t count_duration(struct phase *ph, uint64_t *retries)
{
	uint64_t (*loop)(struct counters *c, uint32_t n) = ph->loop;
	uint64_t done = 0;
	uint32_t n;

	while (!atomic_load_explicit(&ph->stop, memory_order_relaxed) &&
	       !interrupted(ph)) {
		n = ph->cap - done < ph->chunk ? (uint32_t)(ph->cap - done) : ph->chunk;
		*retries += loop(&counters, n);
		done += n;
		if (done == ph->cap) {
			/* Stop early rather than wrap: every thread stops. */
			atomic_store(&ph->capped, 1);
			atomic_store(&ph->stop, 1);
			futex_wake_all(&ph->stop);
			break;
		}
	}
	return done;
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	struct phase *ph = w->phase;
	uint64_t retries = 0, ops;

	my_slot = &slots[w->index].v;
	count_down(&ph->unready);
	while (!atomic_load(&ph->open))
		futex_wait(&ph->open, 0);
	check_in(ph);

	w->start = now_ns();
	if (ph->duration_ms)
		ops = count_duration(ph, &retries);
	else
		ops = count_iterations(ph, &retries);
	w->end = now_ns();
	w->ops = ops;
	w->retries = retries;
	/* seq_cst: our increments and times are seen before the count. */
	count_down(&ph->unfinished);
	return NULL;
}

/*
 * Duration mode's controller: once the window is open, sleep until
 * duration_ms after it opened (a thread at its cap, or Ctrl-C, wakes it
 * sooner), then set the stop flag.
 */
static void stop_after(struct phase *ph)
{
	uint64_t deadline;
	struct timespec ts;
	int v;

	while ((v = atomic_load(&ph->unarrived)) != 0 && !interrupted(ph))
		futex_wait(&ph->unarrived, v);
	/* The last one in stores the time just after its count. */
	while (!atomic_load(&ph->open_ns) && !interrupted(ph))
		sched_yield();
	deadline = atomic_load(&ph->open_ns) + ph->duration_ms * 1000000ULL;
	ts.tv_sec = (time_t)(deadline / 1000000000ULL);
	ts.tv_nsec = (long)(deadline % 1000000000ULL);
	while (!atomic_load(&ph->stop) && !interrupted(ph) && now_ns() < deadline)
		futex_wait_until(&ph->stop, 0, &ts);
	atomic_store(&ph->stop, 1);
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

/*
 * Where duration mode stops a 32-bit counter: INT_MAX, or for the tests
 * $COUNTERLAB_TOTAL_MAX (1024..INT_MAX), as the module's total_max.
 */
static uint64_t total_max(void)
{
	const char *s = getenv("COUNTERLAB_TOTAL_MAX");
	unsigned int v;

	if (s && !cl_parse_uint(s, CL_THREADS_MAX, (unsigned int)CL_TOTAL_MAX, &v))
		return v;
	return CL_TOTAL_MAX;
}

/* A finished trial's row, from its workers' windows (cl_row_fill()). */
static void fill_row(const struct cl_opts *o, int k, const struct phase *ph,
		     const struct worker *w, struct cl_row *row)
{
	uint64_t start_min = w[0].start, start_max = w[0].start;
	uint64_t end_min = w[0].end, end_max = w[0].end, ns;
	unsigned int i;

	memset(row, 0, sizeof(*row));
	snprintf(row->kind, sizeof(row->kind), "%s", cl_kind_info[k].name);
	row->actual = kinds[k].read(&counters);
	row->thread_min_ns = UINT64_MAX;
	row->ops_min = UINT64_MAX;
	row->chunk = ph->chunk;
	for (i = 0; i < o->threads; i++) {
		ns = w[i].end - w[i].start;
		if (ns < row->thread_min_ns)
			row->thread_min_ns = ns;
		if (ns > row->thread_max_ns)
			row->thread_max_ns = ns;
		if (w[i].ops < row->ops_min)
			row->ops_min = w[i].ops;
		if (w[i].ops > row->ops_max)
			row->ops_max = w[i].ops;
		row->expected += w[i].ops;
		row->retries += w[i].retries;
		start_min = w[i].start < start_min ? w[i].start : start_min;
		start_max = w[i].start > start_max ? w[i].start : start_max;
		end_min = w[i].end < end_min ? w[i].end : end_min;
		end_max = w[i].end > end_max ? w[i].end : end_max;
	}
	row->lost = (int64_t)row->expected - row->actual;
	row->elapsed_ns = end_max - start_min;
	row->start_skew_ns = start_max - start_min;
	row->end_skew_ns = end_max - end_min;
	ns = row->elapsed_ns ? row->elapsed_ns : 1;
	row->ns_per_op = row->expected ? centi(ns, o->threads, row->expected) : 0;
	row->mops = centi(row->expected, 1000, ns);
	row->nspo_min = row->nspo_max = row->ns_per_op;
	snprintf(row->ended_by, sizeof(row->ended_by), "%s",
		 !ph->duration_ms ? "iterations" :
		 atomic_load(&ph->capped) ? "int_max" : "duration");
}

static int phase(const struct cl_opts *o, int k, struct worker *w,
		 const int *cpus, int ncpus, struct cl_row *row)
{
	struct phase ph = {
		.loop = kinds[k].loop,
		.chunk = kinds[k].chunk,
		.iterations = o->iterations,
		.duration_ms = o->duration_ms > 0 ? (uint32_t)o->duration_ms : 0,
		.cap = UINT64_MAX,
		.crowded = !o->pin || !ncpus || o->threads > (unsigned int)ncpus,
	};
	pthread_attr_t attr;
	unsigned int i, made = 0;
	cpu_set_t set;
	int ret = 0;

	/* Each thread's share of INT_MAX: the sum never wraps. */
	if (!(cl_kind_info[k].flags & CL_WIDE))
		ph.cap = total_max() / o->threads;
	atomic_init(&ph.unready, (int)o->threads);
	atomic_init(&ph.unarrived, (int)o->threads);
	atomic_init(&ph.unfinished, (int)o->threads);
	atomic_init(&ph.open, 0);
	atomic_init(&ph.abort, 0);
	atomic_init(&ph.stop, 0);
	atomic_init(&ph.capped, 0);
	atomic_init(&ph.open_ns, 0);
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
		/* Those made wait at the gate: let them out to end at once. */
		atomic_store(&ph.abort, 1);
		atomic_fetch_sub(&ph.unfinished, (int)(o->threads - made));
	} else {
		wait_zero(&ph.unready);
	}
	atomic_store(&ph.open, 1);
	futex_wake_all(&ph.open);
	if (!ret && ph.duration_ms)
		stop_after(&ph);
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
	fill_row(o, k, &ph, w, row);
	return CL_EXIT_OK;
}

/*
 * A kind's row: its median trial by ns_per_op (the lower middle one for an
 * even count), with the spread of all its trials (cl_median() in the
 * module).
 */
static void median(struct cl_row *trials, unsigned int n, struct cl_row *row)
{
	unsigned int order[CL_TRIALS_MAX], i, j;
	double lo = trials[0].ns_per_op, hi = trials[0].ns_per_op;

	for (i = 0; i < n; i++) {
		trials[i].trial = i + 1;
		lo = trials[i].ns_per_op < lo ? trials[i].ns_per_op : lo;
		hi = trials[i].ns_per_op > hi ? trials[i].ns_per_op : hi;
		for (j = i; j > 0 && trials[order[j - 1]].ns_per_op > trials[i].ns_per_op; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	*row = trials[order[(n - 1) / 2]];
	row->nspo_min = lo;
	row->nspo_max = hi;
}

/**
 * cl_user_run() - run the selected kinds in userspace
 * @o: threads, iterations, kinds and pin, all given; duration_ms (< 1:
 *     iterations mode) and trials (0: one)
 * @t: the table, space "user"
 *
 * Return: CL_EXIT_OK, CL_EXIT_INTR on Ctrl-C, CL_EXIT_FAIL.
 */
int cl_user_run(const struct cl_opts *o, struct cl_table *t)
{
	int cpus[CL_THREADS_MAX], ncpus, k, ret = CL_EXIT_OK;
	struct worker *w;

	unsigned int trials = o->trials ? o->trials : 1, i;
	struct cl_row tr[CL_TRIALS_MAX];

	memset(t, 0, sizeof(*t));
	t->space = "user";
	t->threads = o->threads;
	t->iterations = o->iterations;
	t->cpus = cl_online_cpus();
	t->pin = o->pin;
	t->duration_ms = o->duration_ms > 0 ? (unsigned int)o->duration_ms : 0;
	t->trials = trials;
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
		for (i = 0; i < trials && ret == CL_EXIT_OK; i++)
			ret = phase(o, k, w, cpus, ncpus, &tr[i]);
		if (ret == CL_EXIT_OK)
			median(tr, trials, &t->rows[t->nrows++]);
	}
	free(w);
	free(slots);
	slots = NULL;
	nslots = 0;
	return ret;
}
