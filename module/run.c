// SPDX-License-Identifier: GPL-2.0
/*
 * counterlab: the run engine. A run is one phase per selected kind; a phase
 * creates the kthreads, waits until all of them sit at the start gate,
 * opens the gate, and waits until the last one has finished. Each worker
 * ends itself when it is done (kthread_complete_and_exit()), and the phase
 * waits for every worker's completion before it returns: the workers exit
 * in parallel, never one kthread_stop() after another.
 *
 * An abort (a signal to the controller, the freezer, module exit, a failed
 * kthread creation) is a broadcast: the phase's abort flag, which every
 * worker reads at the gate and between chunks, is set and the gate woken,
 * so all of them stop counting within one chunk and exit. The workers do
 * not wait for the controller to notice: between chunks each also looks
 * at the controller's pending signal (the freezer's included) and at
 * module exit, and the first to see one sets the flag. A controller that
 * 1024 busy kthreads keep from the CPU (it can take seconds before it runs
 * again) so finds them gone. The controller's waits for the gate and the
 * finish are interruptible (a signal or the freezer ends them at once);
 * the only uninterruptible one, for the workers' completions, is bounded
 * by that one chunk.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/utsname.h>
#include <linux/wait.h>

#include "compat.h"
#include "counterlab.h"

/* Size of the results text: a header, the column names, a row per kind. */
#define CL_RESULTS_SIZE		PAGE_SIZE

static struct cl_counters cl_counters;

/* The controller (the writer of "run", or module init) sleeps here. */
static DECLARE_WAIT_QUEUE_HEAD(cl_ctl_wq);

/**
 * struct cl_phase - one kind's phase of a run
 * @kind: the kind measured
 * @iterations: increments per thread
 * @unready: workers that have not reached the start gate yet
 * @unfinished: workers that have not finished their increments yet
 * @gate: workers wait here until @open
 * @open: the start gate is open
 * @abort: stop counting: read by every worker at the gate and between
 *         chunks; set by the controller, or by the first worker that sees
 *         a signal pending for @ctl or module exit
 * @chunk: increments between two checks of @abort
 * @ctl: the controller, which waits for every worker before it returns
 */
struct cl_phase {
	const struct cl_kind *kind;
	u32 iterations;
	atomic_t unready;
	atomic_t unfinished;
	wait_queue_head_t gate;
	bool open;
	bool abort;
	u32 chunk;
	struct task_struct *ctl;
};

/**
 * struct cl_worker - one kthread of a phase
 * @task: the kthread, NULL when not created; not to be used once woken
 *        (the worker ends itself)
 * @phase: the phase it belongs to
 * @done: completed by the worker as it exits
 * @start: when it left the start gate
 * @end: when it finished its last increment
 * @retries: failed attempts its loop reported (CAS retries)
 */
struct cl_worker {
	struct task_struct *task;
	struct cl_phase *phase;
	struct completion done;
	ktime_t start;
	ktime_t end;
	u64 retries;
};

/**
 * struct cl_row - one kind's line in the results
 * @kind: the kind measured
 * @threads: kthreads in the phase
 * @expected: threads * iterations
 * @actual: the counter's value after the phase
 * @elapsed_ns: from just before the gate opened to the last finish
 * @thread_min_ns: the fastest thread's own time, gate to last increment
 * @thread_max_ns: the slowest thread's own time
 * @retries: failed attempts summed over the threads
 */
struct cl_row {
	const struct cl_kind *kind;
	u32 threads;
	u64 expected;
	s64 actual;
	u64 elapsed_ns;
	u64 thread_min_ns;
	u64 thread_max_ns;
	u64 retries;
};

/**
 * cl_config_check() - validate a configuration
 * @cfg: the configuration
 *
 * Return: 0, -ERANGE for a number out of range (including a total past
 * INT_MAX with a 32-bit kind selected), -EINVAL for an empty kind set.
 */
int cl_config_check(const struct cl_config *cfg)
{
	u64 total = (u64)cfg->threads * cfg->iterations;

	if (cfg->threads < 1 || cfg->threads > CL_THREADS_MAX ||
	    cfg->iterations < 1)
		return -ERANGE;
	if (!cfg->kinds || (cfg->kinds & ~CL_KINDS_MASK))
		return -EINVAL;
	if (total > CL_TOTAL_MAX &&
	    (cfg->kinds & ~cl_kinds_flagged(CL_KIND_WIDE)))
		return -ERANGE;
	return 0;
}

/*
 * Between chunks: should this worker stop? A signal pending for the
 * controller ends its interruptible waits, so it aborts the run: act on it
 * here at once, for every worker, rather than when the controller next
 * gets a CPU.
 */
static bool cl_aborted(struct cl_phase *ph)
{
	if (READ_ONCE(ph->abort))
		return true;
	if (!signal_pending(ph->ctl) && !READ_ONCE(cl_lab.stopping))
		return false;
	WRITE_ONCE(ph->abort, true);
	return true;
}

static int cl_worker_fn(void *data)
{
	struct cl_worker *w = data;
	struct cl_phase *ph = w->phase;
	u64 (*loop)(struct cl_counters *c, u32 n) = ph->kind->loop;
	u32 left = ph->iterations;
	u64 retries = 0;
	u32 n;

	if (atomic_dec_and_test(&ph->unready))
		wake_up(&cl_ctl_wq);
	wait_event_interruptible(ph->gate, READ_ONCE(ph->open) ||
				 READ_ONCE(ph->abort));

	w->start = ktime_get();
	while (left && !cl_aborted(ph)) {
		n = min_t(u32, left, ph->chunk);
		retries += loop(&cl_counters, n);
		left -= n;
		if (left)
			cond_resched();
	}
	w->end = ktime_get();
	w->retries = retries;	/* once: workers share cache lines */

	/* Fully ordered: our increments and times are seen before the drop. */
	if (atomic_dec_and_test(&ph->unfinished))
		wake_up(&cl_ctl_wq);
	/* Nothing of ours runs after the completion: no kthread_stop(). */
	cl_complete_and_exit(&w->done, 0);
}

/* Wait until @cnt drops to zero; a signal or module exit aborts. */
static int cl_wait_zero(atomic_t *cnt)
{
	int ret;

	ret = wait_event_interruptible(cl_ctl_wq,
				       !atomic_read_acquire(cnt) ||
				       READ_ONCE(cl_lab.stopping));
	if (ret)
		return -EINTR;	/* never -ERESTARTSYS: a restart reruns */
	return READ_ONCE(cl_lab.stopping) ? -EINTR : 0;
}

/*
 * Create the phase's kthreads, sleeping until woken. Thread i is bound to
 * the i-th online CPU, round robin, when @cfg->pin is set.
 */
static int cl_spawn(const struct cl_config *cfg, struct cl_worker *w,
		    unsigned int *spawned)
{
	struct task_struct *t;
	unsigned int cpu;
	u32 i;

	for (i = 0; i < cfg->threads; i++) {
		/* 1024 creations take seconds: a signal stops them too. */
		if (signal_pending(current) || READ_ONCE(cl_lab.stopping))
			return -EINTR;
		if (++*spawned == READ_ONCE(cl_fail_kthread_at))
			return -ENOMEM;	/* fault injection for the selftests */
		t = kthread_create(cl_worker_fn, &w[i], "counterlab/%u", i);
		if (IS_ERR(t))
			return PTR_ERR(t);
		w[i].task = t;
		if (!cfg->pin)
			continue;
		/* Offline CPUs are skipped; none goes away while we bind. */
		cpus_read_lock();
		cpu = cl_cpumask_nth(i % num_online_cpus(), cpu_online_mask);
		if (cpu < nr_cpu_ids)
			kthread_bind(t, cpu);
		cpus_read_unlock();
	}
	return 0;
}

/* Increments between two checks for an abort, for @kind on this kernel. */
static u32 cl_chunk(const struct cl_kind *kind)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT) && (kind->flags & CL_KIND_RT_SLEEPS))
		return CL_CHUNK_RT_SLEEPING;
	return kind->flags & CL_KIND_LOCK ? CL_CHUNK_LOCK : CL_CHUNK;
}

static int cl_phase(const struct cl_config *cfg, const struct cl_kind *kind,
		    struct cl_worker *w, unsigned int *spawned,
		    struct cl_row *row)
{
	struct cl_phase ph = {
		.kind = kind,
		.iterations = cfg->iterations,
		.unready = ATOMIC_INIT(cfg->threads),
		.unfinished = ATOMIC_INIT(cfg->threads),
		.chunk = cl_chunk(kind),
		.ctl = current,
	};
	ktime_t t0, t_end;
	u32 i, woken = 0;
	int ret;

	init_waitqueue_head(&ph.gate);
	memset(w, 0, cfg->threads * sizeof(*w));
	for (i = 0; i < cfg->threads; i++) {
		w[i].phase = &ph;
		init_completion(&w[i].done);
	}
	cl_counters_reset(&cl_counters);

	ret = cl_spawn(cfg, w, spawned);
	if (ret) {
		if (ret != -EINTR)
			pr_warn("cannot create kthread for %s: %d\n", kind->name, ret);
		goto stop;
	}
	woken = cfg->threads;
	for (i = 0; i < cfg->threads; i++)
		wake_up_process(w[i].task);
	ret = cl_wait_zero(&ph.unready);
	if (ret)
		goto stop;

	t0 = ktime_get();
	WRITE_ONCE(ph.open, true);
	wake_up_all(&ph.gate);
	ret = cl_wait_zero(&ph.unfinished);
	/* Workers that saw the signal first may all have ended already. */
	if (!ret && READ_ONCE(ph.abort))
		ret = -EINTR;
	if (ret)
		goto stop;

	row->kind = kind;
	row->threads = cfg->threads;
	row->expected = (u64)cfg->threads * cfg->iterations;
	row->actual = kind->read(&cl_counters);
	row->thread_min_ns = U64_MAX;
	row->thread_max_ns = 0;
	row->retries = 0;
	t_end = t0;
	for (i = 0; i < cfg->threads; i++) {
		u64 ns = ktime_to_ns(ktime_sub(w[i].end, w[i].start));

		row->thread_min_ns = min(row->thread_min_ns, ns);
		row->thread_max_ns = max(row->thread_max_ns, ns);
		row->retries += w[i].retries;
		t_end = max(t_end, w[i].end);
	}
	/* The phase ends with the last finish: elapsed >= every thread. */
	row->elapsed_ns = ktime_to_ns(ktime_sub(t_end, t0));
stop:
	if (ret) {
		/* The broadcast: every worker stops counting at once. */
		WRITE_ONCE(ph.abort, true);
		wake_up_all(&ph.gate);
	}
	/* Created but never started (creation failed): start them to end. */
	for (i = woken; i < cfg->threads && w[i].task; i++)
		wake_up_process(w[i].task);
	/*
	 * They exit in parallel; each wait is bounded by one chunk, and
	 * freezable: the freezer need not wait for the kthreads to go.
	 */
	t0 = ktime_get();
	for (i = 0; i < cfg->threads && w[i].task; i++)
		cl_wait_for_completion_freezable(&w[i].done);
	if (ret)
		pr_info("%s: %u workers stopped in %lld us\n", kind->name, i,
			ktime_us_delta(ktime_get(), t0));
	return ret;
}

/* a * b / c in hundredths, rounded half up (c > 0). */
static u64 cl_centi(u64 a, u64 b, u64 c)
{
	return (mul_u64_u64_div_u64(a, b * 1000, c) + 5) / 10;
}

static void cl_format(char *buf, unsigned int run, const struct cl_config *cfg,
		      unsigned int cpus, const struct cl_row *rows, int nrows)
{
	const struct cl_row *r;
	u64 elapsed, nspo, mops;
	size_t n;
	int i;

	n = scnprintf(buf, CL_RESULTS_SIZE,
		      "run=%u threads=%u iterations=%u cpus=%u pin=%d kernel=%s preempt=%s\n"
		      "%-15s %-13s %-13s %-13s %-12s %-10s %-10s %-13s %-13s %s\n",
		      run, cfg->threads, cfg->iterations, cpus, cfg->pin,
		      init_utsname()->release, cl_preempt_model(),
		      "kind", "expected", "actual", "lost", "elapsed_ns",
		      "ns_per_op", "mops", "thread_min_ns", "thread_max_ns",
		      "retries");
	for (i = 0; i < nrows; i++) {
		r = &rows[i];
		elapsed = max_t(u64, r->elapsed_ns, 1);
		/* perfbook's convention: ns per update per thread. */
		nspo = cl_centi(elapsed, r->threads, r->expected);
		/* updates per microsecond of wall time */
		mops = cl_centi(r->expected, 1000, elapsed);
		n += scnprintf(buf + n, CL_RESULTS_SIZE - n,
			       "%-15s %-13llu %-13lld %-13lld %-12llu %7llu.%02llu %7llu.%02llu %-13llu %-13llu %llu\n",
			       r->kind->name, r->expected, r->actual,
			       (s64)r->expected - r->actual, r->elapsed_ns,
			       nspo / 100, nspo % 100, mops / 100, mops % 100,
			       r->thread_min_ns, r->thread_max_ns, r->retries);
	}
}

static int cl_run_phases(const struct cl_config *cfg, unsigned int run,
			 char *text)
{
	unsigned int cpus = num_online_cpus();
	struct cl_row rows[CL_NR_KINDS];
	unsigned int spawned = 0;
	struct cl_worker *w;
	int i, nrows = 0;
	int ret = 0;

	w = kcalloc(cfg->threads, sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	for (i = 0; i < CL_NR_KINDS; i++) {
		if (!(cfg->kinds & BIT(i)))
			continue;
		ret = cl_phase(cfg, &cl_kinds[i], w, &spawned, &rows[nrows]);
		if (ret)
			break;
		nrows++;
	}
	kfree(w);
	if (!ret)
		cl_format(text, run, cfg, cpus, rows, nrows);
	return ret;
}

/**
 * cl_run() - run one experiment with the current configuration
 *
 * Return: 0 when every phase finished, -EBUSY when a run is in progress,
 * -EINTR when a signal or module exit aborted it, or the error that
 * stopped a kthread from being created. Nothing is left running.
 */
int cl_run(void)
{
	struct cl_config cfg;
	unsigned int run;
	char *text;
	int ret;

	if (!mutex_trylock(&cl_lab.run_lock))
		return -EBUSY;

	text = kzalloc(CL_RESULTS_SIZE, GFP_KERNEL);
	mutex_lock(&cl_lab.config_lock);
	cfg = cl_lab.config;
	run = ++cl_lab.runs;
	cl_lab.state = CL_RUNNING;
	mutex_unlock(&cl_lab.config_lock);

	ret = text ? cl_run_phases(&cfg, run, text) : -ENOMEM;

	mutex_lock(&cl_lab.config_lock);
	if (ret) {
		cl_lab.state = CL_ABORTED;
	} else {
		cl_lab.state = CL_DONE;
		swap(cl_lab.results, text);
	}
	mutex_unlock(&cl_lab.config_lock);
	mutex_unlock(&cl_lab.run_lock);

	if (ret)
		pr_info("run %u aborted: %d\n", run, ret);
	kfree(text);
	return ret;
}

/* Print the last results table to the kernel log, one line per record. */
void cl_run_log_results(void)
{
	const char *p, *nl;

	mutex_lock(&cl_lab.config_lock);
	for (p = cl_lab.results; p && *p; p = nl + 1) {
		nl = strchrnul(p, '\n');
		pr_info("%.*s\n", (int)(nl - p), p);
		if (!*nl)
			break;
	}
	mutex_unlock(&cl_lab.config_lock);
}

/* Module exit: abort any run in progress and wait until it has ended. */
void cl_run_stop(void)
{
	WRITE_ONCE(cl_lab.stopping, true);
	wake_up_all(&cl_ctl_wq);
	mutex_lock(&cl_lab.run_lock);
	mutex_unlock(&cl_lab.run_lock);
}
