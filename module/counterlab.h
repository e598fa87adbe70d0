/* SPDX-License-Identifier: GPL-2.0 */
/*
 * counterlab: shared declarations of the module's four parts.
 *
 *   main.c    - module parameters, init and exit
 *   run.c     - the run engine: spawn, start gate, join, timing, results
 *   kinds.c   - the counter kinds: one table entry and one hot loop each
 *   debugfs.c - the /sys/kernel/debug/counterlab/ interface
 *   litmus.c  - the litmus engine and counterlab/litmus/ (litmus.h)
 *   litmus_tests.c - the litmus tests, one table entry each
 *   compat.h  - every difference between the kernels of kernels/matrix
 *
 * To add a kind: add its counter to struct cl_counters, write its hot loop
 * and its table entry in kinds.c, and bump CL_NR_KINDS below.
 */
#ifndef _COUNTERLAB_H
#define _COUNTERLAB_H

#include <linux/cache.h>
#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/limits.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#define CL_NR_KINDS		11
#define CL_KINDS_MASK		((1UL << CL_NR_KINDS) - 1)
#define CL_THREADS_MAX		1024
#define CL_ITERATIONS_DEFAULT	1000000
/* duration_ms: 0 (iterations mode) or up to one minute per trial. */
#define CL_DURATION_MAX_MS	60000
/* trials: back-to-back repetitions of each kind, 1..CL_TRIALS_MAX. */
#define CL_TRIALS_MAX		100
/*
 * Warm-up increments on a thread's private counter between two looks at
 * the check-in barrier: a few hundred nanoseconds, so the window opens for
 * every thread within a few microseconds of the last check-in.
 */
#define CL_WARMUP		64
/* int and atomic_t are 32-bit: such a phase may not count past INT_MAX. */
#define CL_TOTAL_MAX		((u64)INT_MAX)
/* Longest write accepted by a debugfs file, in bytes. */
#define CL_WRITE_MAX		256
/* litmus/tests: every test's name, and then some (all of them: 292). */
#define CL_LIT_WRITE_MAX	4096
/*
 * Increments between two checks for an abort (and cond_resched()). A lock
 * kind checks more often: its increments wait behind up to 1023 others,
 * and on PREEMPT_RT each hand-off sleeps (25 us under TCG), so 4096 of
 * them would keep an aborted run going for seconds.
 */
#define CL_CHUNK		4096
#define CL_CHUNK_LOCK		32
/*
 * A lock that sleeps on PREEMPT_RT (spinlock_t, mutex) checks after every
 * increment there: 32 hand-offs behind 1023 sleeping waiters still kept an
 * aborted 7.3-rt run going for 1.8 s.
 */
#define CL_CHUNK_RT_SLEEPING	1

/**
 * struct cl_counters - the shared counters, one cache line each
 * @plain: plain int, incremented without any synchronisation
 * @atomic: atomic_t for atomic_inc()
 * @spin_lock: the lock around @spin_v
 * @spin_v: int protected by @spin_lock
 * @ordered: atomic_t for atomic_fetch_add()
 * @relaxed: atomic_t for atomic_fetch_add_relaxed()
 * @cas: atomic_t for the atomic_try_cmpxchg() loop
 * @mutex: the sleeping lock around @mutex_v
 * @mutex_v: int protected by @mutex
 * @wide: atomic64_t for atomic64_inc()
 * @raw_lock: the raw spinlock around @raw_v: it spins on every kernel,
 *            PREEMPT_RT included, where a spinlock_t sleeps
 * @raw_v: int protected by @raw_lock
 * @empty_done: iterations done by the empty loop, added once per chunk
 *
 * Only one run exists at a time (cl_run_lock), so one static instance
 * serves every phase; cl_counters_reset() zeroes it before each phase.
 * The percpu kind's counter is a DEFINE_PER_CPU variable in kinds.c.
 */
struct cl_counters {
	int plain ____cacheline_aligned_in_smp;
	atomic_t atomic ____cacheline_aligned_in_smp;
	spinlock_t spin_lock ____cacheline_aligned_in_smp;
	int spin_v;
	atomic_t ordered ____cacheline_aligned_in_smp;
	atomic_t relaxed ____cacheline_aligned_in_smp;
	atomic_t cas ____cacheline_aligned_in_smp;
	struct mutex mutex ____cacheline_aligned_in_smp;
	int mutex_v;
	atomic64_t wide ____cacheline_aligned_in_smp;
	raw_spinlock_t raw_lock ____cacheline_aligned_in_smp;
	int raw_v;
	atomic64_t empty_done ____cacheline_aligned_in_smp;
};

/* Kind flags. */
#define CL_KIND_WIDE		BIT(0)	/* 64-bit counter: no INT_MAX limit */
#define CL_KIND_BY_NAME		BIT(1)	/* not part of "all" */
#define CL_KIND_LOCK		BIT(2)	/* a lock: CL_CHUNK_LOCK increments a chunk */
#define CL_KIND_RT_SLEEPS	BIT(3)	/* a lock that sleeps on PREEMPT_RT */

/**
 * struct cl_kind - one counter primitive
 * @name: the name used in the kinds file and in results
 * @flags: CL_KIND_*
 * @loop: the hot loop: do @n increments with no indirect call inside;
 *        returns the failed attempts (CAS retries), 0 for most kinds
 * @read: the counter's value after the phase
 */
struct cl_kind {
	const char *name;
	unsigned int flags;
	u64 (*loop)(struct cl_counters *c, u32 n);
	s64 (*read)(struct cl_counters *c);
};

extern const struct cl_kind cl_kinds[CL_NR_KINDS];

/**
 * struct cl_config - what the next run does
 * @threads: kthreads per kind, 1..CL_THREADS_MAX
 * @iterations: increments per thread, >= 1
 * @kinds: bitmask of indices into cl_kinds[]
 * @pin: bind thread i to the i-th online CPU, round robin
 * @duration_ms: 0: each thread does @iterations increments; N > 0: each
 *               thread increments until a stop flag set N ms after the
 *               window opened, and counts what it did
 * @trials: back-to-back trials of each kind, 1..CL_TRIALS_MAX; the results
 *          row is the median trial (by ns_per_op)
 */
struct cl_config {
	u32 threads;
	u32 iterations;
	unsigned long kinds;
	bool pin;
	u32 duration_ms;
	u32 trials;
};

/**
 * enum cl_state - what the status file reports
 * @CL_IDLE: no run started yet
 * @CL_RUNNING: a run is in progress
 * @CL_DONE: the last run finished; its table is in results
 * @CL_ABORTED: the last run was stopped by a signal, an error or unload
 */
enum cl_state { CL_IDLE, CL_RUNNING, CL_DONE, CL_ABORTED };

/**
 * struct cl_lab - the module's whole state
 * @config_lock: protects @config, @state, @runs and @results; never held
 *               while a run waits, so reads stay responsive during a run
 * @run_lock: held for the duration of one run; a second run gets -EBUSY
 * @config: the configuration of the next run
 * @state: see enum cl_state
 * @runs: number of runs started
 * @results: text of the last finished run's table, or NULL
 * @trial_results: the same table with a row per trial, or NULL
 * @stopping: set by module exit to abort any run
 */
struct cl_lab {
	struct mutex config_lock;	/* see above */
	struct mutex run_lock;		/* see above */
	struct cl_config config;
	enum cl_state state;
	unsigned int runs;
	char *results;
	char *trial_results;
	bool stopping;
};

extern struct cl_lab cl_lab;
extern unsigned int cl_fail_kthread_at;
extern unsigned int cl_total_max;

/* kinds.c */
unsigned long cl_kinds_flagged(unsigned int flag);
void cl_counters_reset(struct cl_counters *c);
int cl_kinds_parse(const char *buf, unsigned long *mask);
void cl_kinds_format(unsigned long mask, char *buf, size_t size);

/* run.c */
int cl_config_check(const struct cl_config *cfg);
int cl_run(void);
void cl_run_log_results(void);
void cl_run_stop(void);

/* debugfs.c */
struct dentry;
struct iov_iter;
struct kiocb;
char *cl_copy_write_max(struct iov_iter *from, size_t max);
ssize_t cl_run_file_write(struct kiocb *iocb, struct iov_iter *from,
			  int (*run)(void));
void cl_debugfs_init(void);
void cl_debugfs_exit(void);

/* litmus.c */
int cl_litmus_init(void);
int cl_litmus_run(void);
bool cl_litmus_running(void);
void cl_litmus_wake(void);
void cl_litmus_debugfs_init(struct dentry *parent);
void cl_litmus_exit(void);

#endif /* _COUNTERLAB_H */
