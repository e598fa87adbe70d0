// SPDX-License-Identifier: GPL-2.0
/*
 * counterlab: the litmus engine and its files, /sys/kernel/debug/counterlab/
 * litmus/.
 *
 * tests (0600): the tests the next run runs, by name ("all": every test
 *     but the busted control)
 * trials (0600): trials per test, 1..100000000
 * run (0200): writing 1 runs them and returns when they are done
 * results (0400): the last finished run, one block per test, in klitmus7's
 *     words: the histogram of final states ("*>" marks those the exists
 *     condition holds for), the model's verdict, "Observation <name>
 *     Never|Sometimes|Always <positive> <negative>", and "ok", or
 *     "FORBIDDEN OUTCOME SEEN" when the model rules out what was seen
 *
 * A test's two threads are kthreads bound to the first two online CPUs.
 * They run the trials in batches of CL_LIT_BATCH: each trial on fresh
 * variables (arrays x[] and y[], zeroed before the batch), each started by
 * a barrier both threads pass together (cl_lit_meet()), so that their
 * bodies overlap as the weak outcomes need. After a batch thread 0 counts
 * the final states, then both look for an abort.
 *
 * The rules of the counter files hold here: validated writes that change
 * nothing when they fail, -EBUSY for a configuration write (of either
 * sort) during a run of either sort, one run at a time (a litmus run and
 * a counter run take the same run lock: -EBUSY), a signal or module exit aborts the run
 * (-EINTR; the threads stop within one trial), nothing is left running.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <linux/utsname.h>
#include <linux/wait.h>

#include "compat.h"
#include "counterlab.h"
#include "litmus.h"

/* Final states a test's histogram holds: 4 registers of 0 or 1. */
#define CL_LIT_STATES		16
/* Room for one test's block of results. */
#define CL_LIT_BLOCK_MAX	2048

static const char * const cl_lit_verdicts[] = {
	[CL_LIT_NEVER] = "Never",
	[CL_LIT_SOMETIMES] = "Sometimes",
	[CL_LIT_ALWAYS] = "Always",
};

/**
 * struct cl_lit_cond - one conjunct of an exists condition: T:rN=V
 * @thread: T
 * @reg: N
 * @value: V
 */
struct cl_lit_cond {
	u8 thread;
	u8 reg;
	int value;
};

/**
 * struct cl_lit_cond_set - a test's exists condition, parsed
 * @n: conjuncts
 * @c: the conjuncts, in their order in the condition
 */
struct cl_lit_cond_set {
	unsigned int n;
	struct cl_lit_cond c[CL_LIT_CONDS];
};

/**
 * struct cl_lit_tally - what one test's trials ended in
 * @count: trials per final state; a state is the registers of the exists
 *         condition, 0 or 1 each, conjunct i in bit i
 * @odd: trials in which such a register held something else
 * @positive: trials whose final state satisfied the exists condition
 */
struct cl_lit_tally {
	u64 count[CL_LIT_STATES];
	u64 odd;
	u64 positive;
};

/**
 * struct cl_lit_config - what the next litmus run does
 * @tests: bitmask of indices into cl_lit_tests[]
 * @trials: trials per test
 */
struct cl_lit_config {
	unsigned long tests;
	u32 trials;
};

/**
 * struct cl_lit_lab - the litmus engine's state; under cl_lab.config_lock
 * @config: the next run's configuration
 * @running: a litmus run is in progress (configuration writes: -EBUSY)
 * @runs: litmus runs started
 * @results: the last finished run's text, or NULL
 * @conds: each test's exists condition, parsed at load
 */
struct cl_lit_lab {
	struct cl_lit_config config;
	bool running;
	unsigned int runs;
	char *results;
	struct cl_lit_cond_set conds[BITS_PER_LONG];
};

static struct cl_lit_lab cl_lit = {
	.config.trials = CL_LIT_TRIALS_DEFAULT,
};

/**
 * struct cl_lit_thread - one of a test's two kthreads
 * @task: the kthread
 * @done: completed as its last act
 * @me: 0 or 1: which body it runs, on which CPU
 * @phase: the run it belongs to
 */
struct cl_lit_thread {
	struct task_struct *task;
	struct completion done;
	int me;
	struct cl_lit_phase *phase;
};

/**
 * struct cl_lit_phase - one test's trials
 * @test: the test
 * @conds: its exists condition
 * @b: the batch memory
 * @trials: trials to run
 * @tally: their final states (thread 0 counts them)
 * @gate: the threads wait here until @open or @abort
 * @open: go
 * @unfinished: threads still running
 * @ctl: the controller, whose signal aborts the run
 */
struct cl_lit_phase {
	const struct cl_lit_test *test;
	const struct cl_lit_cond_set *conds;
	struct cl_lit_batch *b;
	unsigned long trials;
	struct cl_lit_tally tally;
	wait_queue_head_t gate;
	bool open;
	atomic_t unfinished;
	struct task_struct *ctl;
};

static DECLARE_WAIT_QUEUE_HEAD(cl_lit_ctl_wq);
/* kthreads created in this run (fail_kthread_at counts them). */
static unsigned int cl_lit_spawned;

/* "T:rN=V" conjuncts joined by "/\": the exists conditions of the table. */
static int cl_lit_parse_exists(const char *s, struct cl_lit_cond_set *set)
{
	unsigned int t, r, used;
	int v;

	set->n = 0;
	for (;;) {
		if (set->n == CL_LIT_CONDS ||
		    sscanf(s, " %u:r%u=%d%n", &t, &r, &v, &used) != 3 ||
		    t >= CL_LIT_THREADS || r >= CL_LIT_REGS)
			return -EINVAL;
		set->c[set->n++] = (struct cl_lit_cond){ t, r, v };
		s = skip_spaces(s + used);
		if (!*s)
			return 0;
		if (strncmp(s, "/\\", 2))
			return -EINVAL;
		s += 2;
	}
}

/* Count batch @b's trials into @tally. */
static void cl_lit_count(const struct cl_lit_cond_set *conds,
			 const struct cl_lit_batch *b, struct cl_lit_tally *tally)
{
	unsigned int k, state;
	bool odd, holds;
	u32 i;
	int v;

	for (i = 0; i < b->n; i++) {
		state = 0;
		odd = false;
		holds = true;
		for (k = 0; k < conds->n; k++) {
			v = b->r[conds->c[k].thread][conds->c[k].reg][i];
			if (v != 0 && v != 1)
				odd = true;
			state |= (v & 1) << k;
			holds &= v == conds->c[k].value;
		}
		if (odd)
			tally->odd++;
		else
			tally->count[state]++;
		tally->positive += holds;
	}
}

/* Stop: a signal for the controller or module exit; tell the other too. */
static bool cl_lit_aborted(struct cl_lit_phase *ph)
{
	if (READ_ONCE(ph->b->abort))
		return true;
	if (!signal_pending(ph->ctl) && !READ_ONCE(cl_lab.stopping))
		return false;
	WRITE_ONCE(ph->b->abort, true);
	return true;
}

/*
 * The two threads meet at the start and the end of every batch with
 * release and acquire (thread 0's zeroed arrays before the batch, thread
 * 1's registers after it), and at every trial in between (cl_lit_meet()).
 */
static bool cl_lit_meet_ordered(struct cl_lit_batch *b, int me,
				unsigned long t)
{
	unsigned int spins = 0;

	smp_store_release(&b->arrive[me].v, t);	/* our batch's memory */
	while (smp_load_acquire(&b->arrive[!me].v) < t) {	/* the other's */
		if (READ_ONCE(b->abort) || READ_ONCE(cl_lab.stopping))
			return true;
		if (!(++spins % CL_LIT_SPINS))
			cond_resched();
		cpu_relax();
	}
	return false;
}

static int cl_lit_thread_fn(void *data)
{
	struct cl_lit_thread *th = data;
	struct cl_lit_phase *ph = th->phase;
	struct cl_lit_batch *b = ph->b;
	void (*body)(struct cl_lit_batch *b) = ph->test->thread[th->me];
	unsigned long done = 0;
	/* The barrier's count: trials, plus two per batch for its edges. */
	unsigned long seq = 0;
	u32 n;

	wait_event_interruptible(ph->gate, READ_ONCE(ph->open) ||
				 READ_ONCE(b->abort));
	while (done < ph->trials && !cl_lit_aborted(ph)) {
		n = min_t(unsigned long, CL_LIT_BATCH, ph->trials - done);
		if (cl_lit_meet_ordered(b, th->me, ++seq))
			break;
		/* Both see the same n and base: set before the meet above. */
		if (th->me == 0) {
			WRITE_ONCE(b->n, n);
			WRITE_ONCE(b->base, seq + 1);	/* the next meet's */
		}
		if (cl_lit_meet_ordered(b, th->me, ++seq))
			break;
		body(b);
		seq += n;
		if (cl_lit_meet_ordered(b, th->me, ++seq))
			break;
		if (th->me == 0) {
			cl_lit_count(ph->conds, b, &ph->tally);
			memset(b->x, 0, n * sizeof(*b->x));
			memset(b->y, 0, n * sizeof(*b->y));
		}
		done += n;
		cond_resched();
	}
	if (done < ph->trials)
		WRITE_ONCE(b->abort, true);	/* the other may be waiting */
	if (atomic_dec_and_test(&ph->unfinished))
		wake_up(&cl_lit_ctl_wq);
	cl_complete_and_exit(&th->done, 0);
}

static void cl_lit_batch_free(struct cl_lit_batch *b)
{
	int t, r;

	if (!b)
		return;
	kvfree(b->x);
	kvfree(b->y);
	for (t = 0; t < CL_LIT_THREADS; t++)
		for (r = 0; r < CL_LIT_REGS; r++)
			kvfree(b->r[t][r]);
	kvfree(b);
}

static bool cl_lit_batch_ok(const struct cl_lit_batch *b)
{
	int t, r;

	if (!b->x || !b->y)
		return false;
	for (t = 0; t < CL_LIT_THREADS; t++)
		for (r = 0; r < CL_LIT_REGS; r++)
			if (!b->r[t][r])
				return false;
	return true;
}

static struct cl_lit_batch *cl_lit_batch_alloc(void)
{
	struct cl_lit_batch *b;
	int t, r;

	b = kvzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return NULL;
	b->x = kvcalloc(CL_LIT_BATCH, sizeof(int), GFP_KERNEL);
	b->y = kvcalloc(CL_LIT_BATCH, sizeof(int), GFP_KERNEL);
	for (t = 0; t < CL_LIT_THREADS; t++)
		for (r = 0; r < CL_LIT_REGS; r++)
			b->r[t][r] = kvcalloc(CL_LIT_BATCH, sizeof(int), GFP_KERNEL);
	if (!cl_lit_batch_ok(b)) {
		cl_lit_batch_free(b);
		return NULL;
	}
	return b;
}

/* One test: two kthreads on the first two online CPUs, every trial. */
static int cl_lit_phase(struct cl_lit_phase *ph)
{
	struct cl_lit_thread th[CL_LIT_THREADS] = {};
	struct cl_lit_batch *b = ph->b;
	unsigned int cpu;
	int i, ret = 0;

	memset(b->x, 0, CL_LIT_BATCH * sizeof(*b->x));
	memset(b->y, 0, CL_LIT_BATCH * sizeof(*b->y));
	b->arrive[0].v = 0;
	b->arrive[1].v = 0;
	b->abort = false;
	atomic_set(&b->z, 0);
	spin_lock_init(&b->s);
	init_waitqueue_head(&ph->gate);
	atomic_set(&ph->unfinished, CL_LIT_THREADS);

	for (i = 0; i < CL_LIT_THREADS; i++) {
		th[i].me = i;
		th[i].phase = ph;
		init_completion(&th[i].done);
		if (++cl_lit_spawned == READ_ONCE(cl_fail_kthread_at)) {
			ret = -ENOMEM;	/* fault injection for the selftests */
			break;
		}
		th[i].task = kthread_create(cl_lit_thread_fn, &th[i],
					    "counterlab/lit%d", i);
		if (IS_ERR(th[i].task)) {
			ret = PTR_ERR(th[i].task);
			th[i].task = NULL;
			break;
		}
		/* The i-th online CPU; none goes away while we bind. */
		cpus_read_lock();
		cpu = cl_cpumask_nth(i, cpu_online_mask);
		if (cpu < nr_cpu_ids)
			kthread_bind(th[i].task, cpu);
		cpus_read_unlock();
		if (cpu >= nr_cpu_ids) {
			ret = -ENODEV;	/* a CPU went offline since the check */
			break;
		}
	}
	if (ret) {
		/* Started only to end: they see the abort at the gate. */
		WRITE_ONCE(b->abort, true);
		for (i = 0; i < CL_LIT_THREADS && th[i].task; i++)
			wake_up_process(th[i].task);
		for (i = 0; i < CL_LIT_THREADS && th[i].task; i++)
			cl_wait_for_completion_freezable(&th[i].done);
		return ret;
	}
	for (i = 0; i < CL_LIT_THREADS; i++)
		wake_up_process(th[i].task);
	WRITE_ONCE(ph->open, true);
	wake_up_all(&ph->gate);
	if (wait_event_interruptible(cl_lit_ctl_wq,
				     !atomic_read_acquire(&ph->unfinished) ||
				     READ_ONCE(cl_lab.stopping)))
		ret = -EINTR;
	if (READ_ONCE(cl_lab.stopping) || READ_ONCE(b->abort))
		ret = -EINTR;
	if (ret) {
		WRITE_ONCE(b->abort, true);	/* the broadcast */
		wake_up_all(&ph->gate);
	}
	/* Each stops within one trial (or one batch's count). */
	for (i = 0; i < CL_LIT_THREADS; i++)
		cl_wait_for_completion_freezable(&th[i].done);
	return ret;
}

/* "0:r0=1; 1:r0=0;": the registers of state @state, as klitmus7 shows them. */
static size_t cl_lit_format_state(char *buf, size_t size,
				  const struct cl_lit_cond_set *conds,
				  unsigned int state)
{
	size_t len = 0;
	unsigned int k;

	for (k = 0; k < conds->n; k++)
		len += scnprintf(buf + len, size - len, "%s%u:r%u=%u;",
				 k ? " " : "", conds->c[k].thread,
				 conds->c[k].reg, (state >> k) & 1);
	return len;
}

/* True when state @state satisfies the exists condition. */
static bool cl_lit_holds(const struct cl_lit_cond_set *conds,
			 unsigned int state)
{
	unsigned int k;

	for (k = 0; k < conds->n; k++)
		if (((state >> k) & 1) != conds->c[k].value)
			return false;
	return true;
}

/* One test's block of results. */
static size_t cl_lit_format(char *buf, size_t size,
			    const struct cl_lit_phase *ph, u64 ns)
{
	const struct cl_lit_test *t = ph->test;
	const struct cl_lit_tally *ta = &ph->tally;
	enum cl_lit_verdict seen;
	unsigned int state, states = 0;
	u64 negative = ph->trials - ta->positive;
	bool forbidden;
	size_t len;

	for (state = 0; state < (1U << ph->conds->n); state++)
		states += !!ta->count[state];
	seen = !ta->positive ? CL_LIT_NEVER :
	       !negative ? CL_LIT_ALWAYS : CL_LIT_SOMETIMES;
	forbidden = (t->model == CL_LIT_NEVER && ta->positive) ||
		    (t->model == CL_LIT_ALWAYS && negative);

	len = scnprintf(buf, size, "Test %s\nHistogram (%u states)\n",
			t->name, states);
	for (state = 0; state < (1U << ph->conds->n); state++) {
		if (!ta->count[state])
			continue;
		len += scnprintf(buf + len, size - len, "%-10llu %c>",
				 ta->count[state],
				 cl_lit_holds(ph->conds, state) ? '*' : ':');
		len += cl_lit_format_state(buf + len, size - len, ph->conds,
					   state);
		len += scnprintf(buf + len, size - len, "\n");
	}
	if (ta->odd)
		len += scnprintf(buf + len, size - len,
				 "%-10llu other values\n", ta->odd);
	len += scnprintf(buf + len, size - len,
			 "Condition exists (%s)\nModel %s\nObservation %s %s %llu %llu\nTime %s %llu.%02llu\n%s\n\n",
			 t->exists, cl_lit_verdicts[t->model], t->name,
			 cl_lit_verdicts[seen], ta->positive, negative,
			 t->name, ns / NSEC_PER_SEC,
			 (ns % NSEC_PER_SEC) / (NSEC_PER_SEC / 100),
			 forbidden ? "FORBIDDEN OUTCOME SEEN" : "ok");
	return len;
}

/* Every selected test, in table order; the text on success. */
static int cl_lit_run_tests(const struct cl_lit_config *cfg, unsigned int run,
			    char **text)
{
	size_t size = CL_LIT_BLOCK_MAX * (hweight_long(cfg->tests) + 1);
	struct cl_lit_phase *ph;
	struct cl_lit_batch *b;
	size_t len;
	ktime_t t0;
	unsigned int i;
	int ret = 0;

	*text = kvzalloc(size, GFP_KERNEL);
	ph = kzalloc(sizeof(*ph), GFP_KERNEL);
	b = cl_lit_batch_alloc();
	if (!*text || !ph || !b) {
		ret = -ENOMEM;
		goto out;
	}
	len = scnprintf(*text, size, "litmus run=%u trials=%u cpus=%u kernel=%s preempt=%s\n\n",
			run, cfg->trials, num_online_cpus(),
			init_utsname()->release, cl_preempt_model());
	cl_lit_spawned = 0;
	for (i = 0; i < cl_lit_ntests; i++) {
		if (!(cfg->tests & BIT(i)))
			continue;
		memset(ph, 0, sizeof(*ph));
		ph->test = cl_lit_tests[i];
		ph->conds = &cl_lit.conds[i];
		ph->b = b;
		ph->trials = cfg->trials;
		ph->ctl = current;
		t0 = ktime_get();
		ret = cl_lit_phase(ph);
		if (ret)
			goto out;
		len += cl_lit_format(*text + len, size - len, ph,
				     ktime_to_ns(ktime_sub(ktime_get(), t0)));
	}
out:
	cl_lit_batch_free(b);
	kfree(ph);
	if (ret) {
		kvfree(*text);
		*text = NULL;
	}
	return ret;
}

/**
 * cl_litmus_run() - run the selected litmus tests
 *
 * Return: 0 when every test finished, -EBUSY when a run (litmus or
 * counter) is in progress, -ENODEV with fewer than two online CPUs,
 * -EINTR when a signal or module exit aborted it, -ENOMEM. Nothing is left
 * running; the results are those of the last finished run.
 */
int cl_litmus_run(void)
{
	struct cl_lit_config cfg;
	char *text = NULL;
	unsigned int run;
	int ret;

	if (!mutex_trylock(&cl_lab.run_lock))
		return -EBUSY;
	if (num_online_cpus() < CL_LIT_THREADS) {
		mutex_unlock(&cl_lab.run_lock);
		return -ENODEV;
	}
	mutex_lock(&cl_lab.config_lock);
	cfg = cl_lit.config;
	run = ++cl_lit.runs;
	cl_lit.running = true;
	mutex_unlock(&cl_lab.config_lock);

	ret = cl_lit_run_tests(&cfg, run, &text);

	mutex_lock(&cl_lab.config_lock);
	cl_lit.running = false;
	if (!ret)
		swap(cl_lit.results, text);
	mutex_unlock(&cl_lab.config_lock);
	mutex_unlock(&cl_lab.run_lock);
	if (ret)
		pr_info("litmus run %u aborted: %d\n", run, ret);
	kvfree(text);
	return ret;
}

/* Names separated by spaces, tabs, newlines or commas, or "all". */
static int cl_lit_parse_tests(const char *buf, unsigned long *mask)
{
	static const char sep[] = " \t\n,";
	unsigned long m = 0;
	unsigned int i;
	size_t len;

	for (buf += strspn(buf, sep); *buf; buf += strspn(buf, sep)) {
		len = strcspn(buf, sep);
		if (len == 3 && !strncmp(buf, "all", 3)) {
			for (i = 0; i < cl_lit_ntests; i++)
				if (!(cl_lit_tests[i]->flags & CL_LIT_BY_NAME))
					m |= BIT(i);
		} else {
			for (i = 0; i < cl_lit_ntests; i++)
				if (strlen(cl_lit_tests[i]->name) == len &&
				    !strncmp(buf, cl_lit_tests[i]->name, len))
					break;
			if (i == cl_lit_ntests)
				return -EINVAL;
			m |= BIT(i);
		}
		buf += len;
	}
	if (!m)
		return -EINVAL;
	*mask = m;
	return 0;
}

static int cl_lit_set_tests(struct cl_lit_config *cfg, const char *buf)
{
	return cl_lit_parse_tests(buf, &cfg->tests);
}

static int cl_lit_set_trials(struct cl_lit_config *cfg, const char *buf)
{
	u32 v;

	if (!isdigit(buf[0]) || kstrtou32(buf, 10, &v))
		return -EINVAL;
	if (!v || v > CL_LIT_TRIALS_MAX)
		return -ERANGE;
	cfg->trials = v;
	return 0;
}

static void cl_lit_show_tests(struct seq_file *m, const struct cl_lit_config *cfg)
{
	unsigned int i;
	bool first = true;

	for (i = 0; i < cl_lit_ntests; i++) {
		if (!(cfg->tests & BIT(i)))
			continue;
		seq_printf(m, "%s%s", first ? "" : " ", cl_lit_tests[i]->name);
		first = false;
	}
	seq_putc(m, '\n');
}

static void cl_lit_show_trials(struct seq_file *m, const struct cl_lit_config *cfg)
{
	seq_printf(m, "%u\n", cfg->trials);
}

/**
 * struct cl_lit_param - one configuration file of litmus/
 * @name: the file name
 * @set: parse @buf (NUL-terminated) into @cfg
 * @show: print the current value
 */
struct cl_lit_param {
	const char *name;
	int (*set)(struct cl_lit_config *cfg, const char *buf);
	void (*show)(struct seq_file *m, const struct cl_lit_config *cfg);
};

static const struct cl_lit_param cl_lit_params[] = {
	{ "tests", cl_lit_set_tests, cl_lit_show_tests },
	{ "trials", cl_lit_set_trials, cl_lit_show_trials },
};

static int cl_lit_param_show(struct seq_file *m, void *v)
{
	const struct cl_lit_param *p = m->private;

	mutex_lock(&cl_lab.config_lock);
	p->show(m, &cl_lit.config);
	mutex_unlock(&cl_lab.config_lock);
	return 0;
}

static int cl_lit_param_open(struct inode *inode, struct file *file)
{
	int ret = single_open(file, cl_lit_param_show, inode->i_private);

	return ret ? ret : nonseekable_open(inode, file);
}

static ssize_t cl_lit_param_write(struct kiocb *iocb, struct iov_iter *from)
{
	struct seq_file *m = iocb->ki_filp->private_data;
	const struct cl_lit_param *p = m->private;
	size_t len = iov_iter_count(from);
	struct cl_lit_config cfg;
	char *buf;
	int ret;

	buf = cl_copy_write_max(from, CL_LIT_WRITE_MAX);	/* before the lock */
	mutex_lock(&cl_lab.config_lock);
	if (cl_lit.running || cl_lab.state == CL_RUNNING) {
		ret = -EBUSY;	/* before the value is looked at */
		goto unlock;
	}
	if (IS_ERR(buf)) {
		ret = PTR_ERR(buf);
		goto unlock;
	}
	cfg = cl_lit.config;
	ret = p->set(&cfg, buf);
	if (!ret)
		cl_lit.config = cfg;
unlock:
	mutex_unlock(&cl_lab.config_lock);
	if (!IS_ERR(buf))
		kfree(buf);
	return ret ? ret : len;
}

static const struct file_operations cl_lit_param_fops = {
	.owner = THIS_MODULE,
	.open = cl_lit_param_open,
	.read = seq_read,
	.write_iter = cl_lit_param_write,
	.release = single_release,
};

/* As the counter run file: an interrupted write spends its open file. */
static ssize_t cl_lit_run_write(struct kiocb *iocb, struct iov_iter *from)
{
	return cl_run_file_write(iocb, from, cl_litmus_run);
}

static const struct file_operations cl_lit_run_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.write_iter = cl_lit_run_write,
};

static int cl_lit_results_show(struct seq_file *m, void *v)
{
	mutex_lock(&cl_lab.config_lock);
	if (cl_lit.results)
		seq_puts(m, cl_lit.results);
	mutex_unlock(&cl_lab.config_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(cl_lit_results);

/* Module exit: a litmus controller waiting for its threads looks again. */
void cl_litmus_wake(void)
{
	wake_up_all(&cl_lit_ctl_wq);
}

/* A litmus run is in progress; under cl_lab.config_lock. */
bool cl_litmus_running(void)
{
	return cl_lit.running;
}

/**
 * cl_litmus_init() - parse the table's conditions; select "all"
 *
 * Return: 0, or -EINVAL when a table entry is malformed (a bug: the load
 * fails and says which).
 */
int cl_litmus_init(void)
{
	unsigned int i;

	BUILD_BUG_ON(CL_LIT_CONDS > 4);	/* states fit CL_LIT_STATES */
	if (cl_lit_ntests > BITS_PER_LONG)
		return -EINVAL;
	for (i = 0; i < cl_lit_ntests; i++) {
		if (cl_lit_parse_exists(cl_lit_tests[i]->exists, &cl_lit.conds[i])) {
			pr_err("litmus test %s: bad exists condition \"%s\"\n",
			       cl_lit_tests[i]->name, cl_lit_tests[i]->exists);
			return -EINVAL;
		}
	}
	return cl_lit_parse_tests("all", &cl_lit.config.tests);
}

/* The litmus/ directory under @parent. */
void cl_litmus_debugfs_init(struct dentry *parent)
{
	struct dentry *dir = debugfs_create_dir("litmus", parent);
	int i;

	for (i = 0; i < ARRAY_SIZE(cl_lit_params); i++)
		debugfs_create_file_unsafe(cl_lit_params[i].name, 0600, dir,
					   (void *)&cl_lit_params[i],
					   &cl_lit_param_fops);
	debugfs_create_file_unsafe("run", 0200, dir, NULL, &cl_lit_run_fops);
	debugfs_create_file("results", 0400, dir, NULL, &cl_lit_results_fops);
}

void cl_litmus_exit(void)
{
	kvfree(cl_lit.results);
	cl_lit.results = NULL;
}
