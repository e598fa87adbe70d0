// SPDX-License-Identifier: GPL-2.0
/*
 * counterlab: the run engine. A run is one phase per selected kind and
 * trial; a phase creates the kthreads, waits until all of them sit at the
 * start gate, opens the gate, and waits until the last one has finished.
 *
 * The timed window is aligned, as refscale's warm-up is: out of the gate,
 * each worker checks in at a spin barrier and does untimed increments on a
 * private counter until every worker has checked in; only then does its
 * window open, for all of them within a few microseconds (start_skew_ns).
 * In iterations mode each does its iterations. In duration mode
 * (duration_ms > 0) each increments until the phase's shared stop flag,
 * and counts what it did, as perfbook's count benchmarks run for a fixed
 * time. The worker whose check-in opens the window sets the deadline,
 * duration_ms later; between chunks every worker reads the stop flag and,
 * in the last two ticks before the deadline (jiffies say when; and about
 * every millisecond in any case), the clock; the first
 * past the deadline sets the flag; pinned threads on CPUs of their own
 * all stop at their first chunk boundary
 * after it: within one chunk of each other (end_skew_ns), and no thread
 * counts alone. A worker never starts a chunk once the flag is set or the
 * deadline passed (it looks again when cond_resched() gives it the CPU
 * back). Why not the alternatives, measured under TCG: a timer that sets
 * the flag, or the tick that moves jiffies, interrupts one worker's CPU
 * for as long as the interrupt takes (20-70 us, more than a chunk of the
 * cheap kinds: 18 of 45 two-thread trials ended more than a chunk apart);
 * ktime_get() in every chunk reads the clocksource, there the HPET, an
 * emulated MMIO access serialised with the other vCPUs (it made the
 * harness 26% of a plain increment), so it is read in the last two ticks
 * only; local_clock(), cheaper, strays up to a tick from ktime_get() with
 * an unstable TSC (TCG's): windows came out 2.5 ms short of 100 ms. The
 * window itself is timed with ktime_get(), at its start and its end. (Not
 * jiffies alone to say when: a kernel with periodic ticks loses ticks when
 * its CPUs fall behind, as the KCSAN kernels do under TCG, and its jiffies
 * lag: 100 ms windows ran 150-240 ms.) A 32-bit counter
 * stops at INT_MAX in all (each thread at its share): the row says
 * ended_by int_max. Each thread's own count gives ops_min and ops_max,
 * locktorture's fairness figures. Each kind runs its trials back to back;
 * its row is the median trial, with the spread (nspo_min, nspo_max), and
 * trial_results keeps every trial's row.
 *
 * Each worker
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
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/utsname.h>
#include <linux/wait.h>

#include "compat.h"
#include "counterlab.h"

static struct cl_counters cl_counters;

/* The controller (the writer of "run", or module init) sleeps here. */
static DECLARE_WAIT_QUEUE_HEAD(cl_ctl_wq);

/**
 * struct cl_phase - one trial of one kind
 * @kind: the kind measured
 * @iterations: increments per thread (iterations mode)
 * @duration_ms: 0, or how long the window stays open (duration mode)
 * @cap: increments one thread may do in duration mode: its share of
 *       INT_MAX for a 32-bit counter, U64_MAX for a 64-bit one
 * @unready: workers that have not reached the start gate yet
 * @unarrived: workers that have not checked in at the window's barrier
 * @unfinished: workers that have not finished their increments yet
 * @gate: workers wait here until @open (crowded ones until @window too)
 * @open: the start gate is open
 * @crowded: more workers than CPUs to run them at once (or not pinned):
 *           a worker waits for the window asleep, not spinning
 * @abort: stop counting: read by every worker at the gate and between
 *         chunks; set by the controller, or by the first worker that sees
 *         a signal pending for @ctl or module exit
 * @window: the window is open: every worker has checked in (set with
 *          release after @deadline)
 * @deadline: duration mode: when the window closes
 * @near: the jiffy from which workers read the clock after every chunk (two
 *        ticks before @deadline)
 * @stop: duration mode: the window is over; set by the first worker past
 *        @deadline, or by the first to reach @cap (then @capped is set too)
 * @capped: a worker reached @cap
 * @chunk: increments between two checks of @abort and @stop
 * @ctl: the controller, which waits for every worker before it returns
 */
struct cl_phase {
	const struct cl_kind *kind;
	u32 iterations;
	u32 duration_ms;
	u64 cap;
	atomic_t unready;
	atomic_t unarrived;
	atomic_t unfinished;
	wait_queue_head_t gate;
	bool open;
	bool crowded;
	bool abort;
	bool window;
	ktime_t deadline;
	unsigned long near;
	bool stop;
	bool capped;
	u32 chunk;
	struct task_struct *ctl;
};

/**
 * struct cl_worker - one kthread of a phase
 * @task: the kthread, NULL when not created; not to be used once woken
 *        (the worker ends itself)
 * @phase: the phase it belongs to
 * @done: completed by the worker as it exits
 * @start: when its window opened (every worker had checked in)
 * @end: when it finished its last increment
 * @ops: increments it did in its window
 * @retries: failed attempts its loop reported (CAS retries)
 */
struct cl_worker {
	struct task_struct *task;
	struct cl_phase *phase;
	struct completion done;
	ktime_t start;
	ktime_t end;
	u64 ops;
	u64 retries;
};

/* Why a phase's windows ended: the ended_by column. */
enum cl_end { CL_END_ITERATIONS, CL_END_DURATION, CL_END_INT_MAX };

static const char * const cl_end_names[] = {
	[CL_END_ITERATIONS] = "iterations",
	[CL_END_DURATION] = "duration",
	[CL_END_INT_MAX] = "int_max",
};

/**
 * struct cl_row - one trial's line in the results
 * @kind: the kind measured
 * @threads: kthreads in the phase
 * @expected: the increments the threads did: threads * iterations in
 *            iterations mode, the sum of their counts in duration mode
 * @actual: the counter's value after the phase
 * @elapsed_ns: from the first window's start to the last window's end
 * @thread_min_ns: the fastest thread's own window, start to last increment
 * @thread_max_ns: the slowest thread's own window
 * @retries: failed attempts summed over the threads
 * @ops_min: the fewest increments one thread did
 * @ops_max: the most increments one thread did
 * @start_skew_ns: the spread of the threads' window starts
 * @end_skew_ns: the spread of the threads' window ends
 * @nspo: ns_per_op in hundredths
 * @nspo_min: the lowest @nspo of the kind's trials
 * @nspo_max: the highest @nspo of the kind's trials
 * @trial: the trial's number, from 1 (in results: the median trial's)
 * @chunk: increments between two looks at the stop and abort flags
 * @ended_by: see enum cl_end
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
	u64 ops_min;
	u64 ops_max;
	u64 start_skew_ns;
	u64 end_skew_ns;
	u64 nspo;
	u64 nspo_min;
	u64 nspo_max;
	u32 trial;
	u32 chunk;
	enum cl_end ended_by;
};

/**
 * cl_config_check() - validate a configuration
 * @cfg: the configuration
 *
 * Return: 0, -ERANGE for a number out of range (including a total past
 * INT_MAX with a 32-bit kind selected, which duration mode does not lift),
 * -EINVAL for an empty kind set.
 */
int cl_config_check(const struct cl_config *cfg)
{
	u64 total = (u64)cfg->threads * cfg->iterations;

	if (cfg->threads < 1 || cfg->threads > CL_THREADS_MAX ||
	    cfg->iterations < 1 || cfg->duration_ms > CL_DURATION_MAX_MS ||
	    cfg->trials < 1 || cfg->trials > CL_TRIALS_MAX)
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

/**
 * struct cl_pace - when a duration-mode worker reads the clock
 * @since: chunks since the last read
 * @every: chunks between two reads outside the last two ticks
 * @last: the last read
 */
struct cl_pace {
	u32 since;
	u32 every;
	ktime_t last;
};

/*
 * Duration mode: the stop flag, set by the first worker past the deadline.
 * The clock is read after every chunk in the last two ticks before it
 * (jiffies, a plain load, say when), and otherwise about every millisecond
 * whatever the ticks do (@pace doubles or halves its chunk count to keep 1-2 ms
 * between reads): a kernel with periodic ticks that falls behind (the
 * KCSAN kernels under TCG) lets its jiffies lag by 100 ms, and a read in
 * every chunk costs what the clocksource costs (ktime_get_coarse() in
 * every chunk, cheaper, still cost 2 points of harness overhead).
 */
static bool cl_window_over(struct cl_phase *ph, struct cl_pace *pace)
{
	ktime_t now;

	if (READ_ONCE(ph->stop))
		return true;
	if (++pace->since < pace->every && time_before(jiffies, ph->near))
		return false;
	now = ktime_get();
	if (ktime_us_delta(now, pace->last) < 1000 && pace->since >= pace->every)
		pace->every = min(pace->every * 2, 1U << 20);
	else if (ktime_us_delta(now, pace->last) > 2000 && pace->every > 1)
		pace->every /= 2;
	pace->since = 0;
	pace->last = now;
	if (ktime_before(now, ph->deadline))
		return false;
	WRITE_ONCE(ph->stop, true);
	return true;
}

/*
 * The window's barrier: check in, then keep doing untimed increments on a
 * private counter until every worker has checked in. The last one in opens
 * the window (in duration mode with its deadline). A crowded worker (more
 * workers than CPUs, or not pinned) waits asleep instead, at the gate's
 * wait queue: spinning, it would keep from the CPU the very workers it
 * waits for (on an EEVDF scheduler a runnable task that calls schedule()
 * keeps its CPU until its slice is spent: 512 of them a CPU kept a
 * 1024-thread run of 7.3-rt from ever opening its window).
 */
static ktime_t cl_check_in(struct cl_phase *ph)
{
	u64 warm = 0;
	ktime_t now;
	int i;

	if (atomic_dec_and_test(&ph->unarrived)) {
		/*
		 * The window opens now: this worker's own start, so no window
		 * is shorter than the duration because of what comes after.
		 */
		now = ktime_get();
		ph->deadline = ktime_add_ms(now, ph->duration_ms);
		ph->near = jiffies + msecs_to_jiffies(ph->duration_ms);
		ph->near -= min(msecs_to_jiffies(ph->duration_ms), 2UL);
		/* Pairs with the acquires below: @deadline is seen with it. */
		smp_store_release(&ph->window, true);
		if (ph->crowded)
			wake_up_all(&ph->gate);
		return now;
	}
	if (ph->crowded) {
		/* The abort broadcast wakes the gate too. */
		wait_event_interruptible(ph->gate, smp_load_acquire(&ph->window) ||
					 READ_ONCE(ph->abort));
		return ktime_get();
	}
	/* Pairs with the release above. */
	while (!smp_load_acquire(&ph->window) && !cl_aborted(ph)) {
		for (i = 0; i < CL_WARMUP; i++) {
			warm++;
			barrier();
		}
		cond_resched();
	}
	return ktime_get();
}

/* Iterations mode: @ph->iterations increments, chunk by chunk. */
static u64 cl_count_iterations(struct cl_phase *ph, u64 *retries)
{
	u64 (*loop)(struct cl_counters *c, u32 n) = ph->kind->loop;
	u32 left = ph->iterations;
	u32 n;

	while (left && !cl_aborted(ph)) {
		n = min_t(u32, left, ph->chunk);
		*retries += loop(&cl_counters, n);
		left -= n;
		if (left)
			cond_resched();
	}
	return ph->iterations - left;
}

/*
 * Duration mode: chunks until the deadline, the stop flag or this thread's
 * cap. A worker that finds the window over when cond_resched() gives it
 * the CPU back does no more increments: its window ends then.
 */
static u64 cl_count_duration(struct cl_phase *ph, u64 *retries)
{
	u64 (*loop)(struct cl_counters *c, u32 n) = ph->kind->loop;
	struct cl_pace pace = { .every = 1, .last = ktime_get() };
	u64 done = 0;
	u32 n;

	for (;;) {
		n = min_t(u64, ph->cap - done, ph->chunk);
		*retries += loop(&cl_counters, n);
		done += n;
		if (done == ph->cap) {
			/* Stop early rather than wrap: every thread stops. */
			WRITE_ONCE(ph->capped, true);
			WRITE_ONCE(ph->stop, true);
			break;
		}
		if (cl_window_over(ph, &pace) || cl_aborted(ph))
			break;
		/* Off the CPU for a while: the window may have closed. */
		if (cond_resched() && cl_window_over(ph, &pace))
			break;
	}
	return done;
}

static int cl_worker_fn(void *data)
{
	struct cl_worker *w = data;
	struct cl_phase *ph = w->phase;
	u64 retries = 0;
	u64 ops;

	if (atomic_dec_and_test(&ph->unready))
		wake_up(&cl_ctl_wq);
	wait_event_interruptible(ph->gate, READ_ONCE(ph->open) ||
				 READ_ONCE(ph->abort));
	w->start = cl_check_in(ph);
	if (ph->duration_ms)
		ops = cl_count_duration(ph, &retries);
	else
		ops = cl_count_iterations(ph, &retries);
	w->end = ktime_get();
	w->ops = ops;		/* once: workers share cache lines */
	w->retries = retries;

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

/* a * b / c in hundredths, rounded half up (c > 0). */
static u64 cl_centi(u64 a, u64 b, u64 c)
{
	return (mul_u64_u64_div_u64(a, b * 1000, c) + 5) / 10;
}

/* A finished trial's row, from its workers' windows. */
static void cl_row_fill(const struct cl_config *cfg, const struct cl_phase *ph,
			const struct cl_worker *w, struct cl_row *row)
{
	ktime_t start_min = w[0].start, start_max = w[0].start;
	ktime_t end_min = w[0].end, end_max = w[0].end;
	u32 i;

	memset(row, 0, sizeof(*row));
	row->kind = ph->kind;
	row->threads = cfg->threads;
	row->actual = ph->kind->read(&cl_counters);
	row->thread_min_ns = U64_MAX;
	row->ops_min = U64_MAX;
	row->chunk = ph->chunk;
	for (i = 0; i < cfg->threads; i++) {
		u64 ns = ktime_to_ns(ktime_sub(w[i].end, w[i].start));

		row->thread_min_ns = min(row->thread_min_ns, ns);
		row->thread_max_ns = max(row->thread_max_ns, ns);
		row->ops_min = min(row->ops_min, w[i].ops);
		row->ops_max = max(row->ops_max, w[i].ops);
		row->expected += w[i].ops;
		row->retries += w[i].retries;
		start_min = min(start_min, w[i].start);
		start_max = max(start_max, w[i].start);
		end_min = min(end_min, w[i].end);
		end_max = max(end_max, w[i].end);
	}
	/* The run ends with the last finish: elapsed >= every thread's own. */
	row->elapsed_ns = ktime_to_ns(ktime_sub(end_max, start_min));
	row->start_skew_ns = ktime_to_ns(ktime_sub(start_max, start_min));
	row->end_skew_ns = ktime_to_ns(ktime_sub(end_max, end_min));
	/* perfbook's convention: ns per update per thread. */
	row->nspo = row->expected ?
		cl_centi(max_t(u64, row->elapsed_ns, 1), row->threads, row->expected) : 0;
	if (!ph->duration_ms)
		row->ended_by = CL_END_ITERATIONS;
	else if (READ_ONCE(ph->capped))
		row->ended_by = CL_END_INT_MAX;
	else
		row->ended_by = CL_END_DURATION;
}

/* One trial of @kind: spawn, gate, barrier, count, reap. */
static int cl_phase(const struct cl_config *cfg, const struct cl_kind *kind,
		    struct cl_worker *w, unsigned int *spawned,
		    struct cl_row *row)
{
	struct cl_phase ph = {
		.kind = kind,
		.iterations = cfg->iterations,
		.duration_ms = cfg->duration_ms,
		.cap = U64_MAX,
		.unready = ATOMIC_INIT(cfg->threads),
		.unarrived = ATOMIC_INIT(cfg->threads),
		.unfinished = ATOMIC_INIT(cfg->threads),
		.crowded = !cfg->pin || cfg->threads > num_online_cpus(),
		.chunk = cl_chunk(kind),
		.ctl = current,
	};
	ktime_t t0;
	u32 i, woken = 0;
	int ret;

	/* Each thread's share of INT_MAX: the sum of the counts never wraps. */
	if (!(kind->flags & CL_KIND_WIDE))
		ph.cap = READ_ONCE(cl_total_max) / cfg->threads;
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

	WRITE_ONCE(ph.open, true);
	wake_up_all(&ph.gate);
	ret = cl_wait_zero(&ph.unfinished);
	/* Workers that saw the signal first may all have ended already. */
	if (!ret && READ_ONCE(ph.abort))
		ret = -EINTR;
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
	if (!ret)
		cl_row_fill(cfg, &ph, w, row);
	return ret;
}

/* The columns: the first ten are the contract of the first issue. */
#define CL_COLUMNS_FMT \
	"%-15s %-13s %-13s %-13s %-12s %-10s %-10s %-13s %-13s %-10s " \
	"%-13s %-13s %-13s %-13s %-10s %-10s %-6s %-6s %s\n"
/* Room for one row, formatted. */
#define CL_ROW_MAX		512

static size_t cl_format_header(char *buf, size_t size, unsigned int run,
			       const struct cl_config *cfg, unsigned int cpus)
{
	return scnprintf(buf, size,
			 "run=%u threads=%u iterations=%u cpus=%u pin=%d kernel=%s preempt=%s duration_ms=%u trials=%u\n"
			 CL_COLUMNS_FMT,
			 run, cfg->threads, cfg->iterations, cpus, cfg->pin,
			 init_utsname()->release, cl_preempt_model(),
			 cfg->duration_ms, cfg->trials,
			 "kind", "expected", "actual", "lost", "elapsed_ns",
			 "ns_per_op", "mops", "thread_min_ns", "thread_max_ns",
			 "retries", "ops_min", "ops_max", "start_skew_ns",
			 "end_skew_ns", "nspo_min", "nspo_max", "trial", "chunk",
			 "ended_by");
}

static size_t cl_format_row(char *buf, size_t size, const struct cl_row *r)
{
	u64 elapsed = max_t(u64, r->elapsed_ns, 1);
	/* updates per microsecond of wall time */
	u64 mops = cl_centi(r->expected, 1000, elapsed);

	return scnprintf(buf, size,
			 "%-15s %-13llu %-13lld %-13lld %-12llu %7llu.%02llu %7llu.%02llu %-13llu %-13llu %-10llu %-13llu %-13llu %-13llu %-13llu %7llu.%02llu %7llu.%02llu %-6u %-6u %s\n",
			 r->kind->name, r->expected, r->actual,
			 (s64)r->expected - r->actual, r->elapsed_ns,
			 r->nspo / 100, r->nspo % 100, mops / 100, mops % 100,
			 r->thread_min_ns, r->thread_max_ns, r->retries,
			 r->ops_min, r->ops_max, r->start_skew_ns,
			 r->end_skew_ns, r->nspo_min / 100, r->nspo_min % 100,
			 r->nspo_max / 100, r->nspo_max % 100, r->trial,
			 r->chunk, cl_end_names[r->ended_by]);
}

/*
 * A kind's row in results: its median trial by ns_per_op (the lower of the
 * two middle ones for an even count, so always a trial that ran), with the
 * spread of all its trials.
 */
static void cl_median(const struct cl_row *trials, u32 n, struct cl_row *row)
{
	u32 order[CL_TRIALS_MAX];
	u64 lo = U64_MAX, hi = 0;
	u32 i, j, t;

	for (i = 0; i < n; i++) {
		lo = min(lo, trials[i].nspo);
		hi = max(hi, trials[i].nspo);
		/* insertion sort, stable: trials are few */
		for (j = i; j > 0 && trials[order[j - 1]].nspo > trials[i].nspo; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	t = order[(n - 1) / 2];
	*row = trials[t];
	row->nspo_min = lo;
	row->nspo_max = hi;
}

static int cl_run_phases(const struct cl_config *cfg, unsigned int run,
			 char **text, char **trial_text)
{
	unsigned int cpus = num_online_cpus();
	int nkinds = hweight_long(cfg->kinds);
	struct cl_row *rows, *trials, *r;
	size_t size, tsize, n, tn;
	unsigned int spawned = 0;
	struct cl_worker *w;
	int i, k = 0, ret = 0;
	u32 t;

	size = CL_ROW_MAX * (2 + nkinds);
	tsize = CL_ROW_MAX * (2 + (size_t)nkinds * cfg->trials);
	w = kvcalloc(cfg->threads, sizeof(*w), GFP_KERNEL);
	rows = kcalloc(nkinds, sizeof(*rows), GFP_KERNEL);
	trials = kvcalloc((size_t)nkinds * cfg->trials, sizeof(*trials), GFP_KERNEL);
	*text = kvzalloc(size, GFP_KERNEL);
	*trial_text = kvzalloc(tsize, GFP_KERNEL);
	if (!w || !rows || !trials || !*text || !*trial_text) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < CL_NR_KINDS && !ret; i++) {
		if (!(cfg->kinds & BIT(i)))
			continue;
		r = &trials[k * cfg->trials];
		for (t = 0; t < cfg->trials && !ret; t++) {
			ret = cl_phase(cfg, &cl_kinds[i], w, &spawned, &r[t]);
			r[t].trial = t + 1;
		}
		if (!ret)
			cl_median(r, cfg->trials, &rows[k]);
		k++;
	}
	if (ret)
		goto out;
	n = cl_format_header(*text, size, run, cfg, cpus);
	tn = cl_format_header(*trial_text, tsize, run, cfg, cpus);
	for (k = 0; k < nkinds; k++) {
		n += cl_format_row(*text + n, size - n, &rows[k]);
		for (t = 0; t < cfg->trials; t++) {
			r = &trials[k * cfg->trials + t];
			r->nspo_min = rows[k].nspo_min;
			r->nspo_max = rows[k].nspo_max;
			tn += cl_format_row(*trial_text + tn, tsize - tn, r);
		}
	}
out:
	kvfree(w);
	kfree(rows);
	kvfree(trials);
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
	char *text = NULL, *trial_text = NULL;
	struct cl_config cfg;
	unsigned int run;
	int ret;

	if (!mutex_trylock(&cl_lab.run_lock))
		return -EBUSY;

	mutex_lock(&cl_lab.config_lock);
	cfg = cl_lab.config;
	run = ++cl_lab.runs;
	cl_lab.state = CL_RUNNING;
	mutex_unlock(&cl_lab.config_lock);

	ret = cl_run_phases(&cfg, run, &text, &trial_text);

	mutex_lock(&cl_lab.config_lock);
	if (ret) {
		cl_lab.state = CL_ABORTED;
	} else {
		cl_lab.state = CL_DONE;
		swap(cl_lab.results, text);
		swap(cl_lab.trial_results, trial_text);
	}
	mutex_unlock(&cl_lab.config_lock);
	mutex_unlock(&cl_lab.run_lock);

	if (ret)
		pr_info("run %u aborted: %d\n", run, ret);
	kvfree(text);
	kvfree(trial_text);
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
	cl_litmus_wake();
	mutex_lock(&cl_lab.run_lock);
	mutex_unlock(&cl_lab.run_lock);
}
