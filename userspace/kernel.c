// SPDX-License-Identifier: GPL-2.0
/*
 * counterlab CLI: the module's debugfs interface. Checks that it can be
 * reached (root, debugfs mounted, module loaded, no lockdown) with one
 * sentence for each way it cannot; writes a configuration all or nothing;
 * starts a run that Ctrl-C aborts cleanly (the module stops its threads
 * when the writer of "run" gets a signal).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "cl.h"

#define DEBUGFS_MAGIC	0x64626720
#define DEBUGFS_ROOT	"/sys/kernel/debug"

/*
 * The module's directory; COUNTERLAB_DEBUGFS overrides it, and then the
 * root and mount checks are skipped (the host tests use a stand-in).
 * COUNTERLAB_LOCKDOWN names the lockdown file (tests). Test-only fault
 * injection: COUNTERLAB_FAIL_WRITE=FILE makes every write of that file
 * fail with EINVAL, as if the module had refused the value.
 */
const char *cl_debugfs = DEBUGFS_ROOT "/counterlab";
atomic_int cl_interrupted;

static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&cl_interrupted, 1);
}

static void on_nudge(int sig)
{
	(void)sig;	/* only there to interrupt the writer's write() */
}

/* No SA_RESTART: a blocked write("run") returns EINTR, the run aborts. */
void cl_install_sigint(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_nudge;
	sigaction(SIGUSR1, &sa, NULL);
}

static void path_of(const char *file, char *buf, size_t n)
{
	snprintf(buf, n, "%s/%s", cl_debugfs, file);
}

/* Lockdown (e.g. Secure Boot) refuses every debugfs file with write bits. */
static bool locked_down(char *mode, size_t n)
{
	const char *file = getenv("COUNTERLAB_LOCKDOWN");
	char buf[128], *open_, *close_;
	FILE *f;

	f = fopen(file ? file : "/sys/kernel/security/lockdown", "r");
	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	open_ = strchr(buf, '[');
	close_ = open_ ? strchr(open_, ']') : NULL;
	if (!close_)
		return false;
	*close_ = '\0';
	snprintf(mode, n, "%s", open_ + 1);
	return strcmp(open_ + 1, "none") != 0;
}

/**
 * cl_kernel_ready() - can the module's files be used?
 * @controls: the command writes or reads the 0600 files (all but results)
 *
 * Return: CL_EXIT_OK, or CL_EXIT_ENV after one sentence on stderr.
 */
int cl_kernel_ready(bool controls)
{
	const char *env = getenv("COUNTERLAB_DEBUGFS");
	struct statfs sfs;
	struct stat st;
	char mode[64];

	if (env && *env) {
		cl_debugfs = env;
	} else {
		if (geteuid() != 0) {
			fprintf(stderr, "counterlab: must be run as root: debugfs is root-only (try sudo counterlab ...)\n");
			return CL_EXIT_ENV;
		}
		if (statfs(DEBUGFS_ROOT, &sfs) || sfs.f_type != DEBUGFS_MAGIC) {
			fprintf(stderr, "counterlab: debugfs is not mounted at %s: mount it with: mount -t debugfs none %s\n",
				DEBUGFS_ROOT, DEBUGFS_ROOT);
			return CL_EXIT_ENV;
		}
	}
	if (stat(cl_debugfs, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "counterlab: the counterlab module is not loaded (no %s): load it with: modprobe counterlab\n",
			cl_debugfs);
		return CL_EXIT_ENV;
	}
	if (controls && locked_down(mode, sizeof(mode))) {
		fprintf(stderr, "counterlab: the kernel is locked down (%s, e.g. by Secure Boot): it refuses counterlab's writable debugfs files; use a test machine without lockdown (only 'counterlab results' and autorun=1 work here)\n",
			mode);
		return CL_EXIT_ENV;
	}
	return CL_EXIT_OK;
}

/* Read a whole file into @buf; -errno on failure. */
int cl_kernel_read(const char *file, char *buf, size_t size)
{
	char path[512];
	size_t used = 0;
	ssize_t got;
	int fd, err;

	path_of(file, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (used + 1 < size) {
		got = read(fd, buf + used, size - 1 - used);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err = -errno;
			close(fd);
			return err;
		}
		if (!got)
			break;
		used += (size_t)got;
	}
	buf[used] = '\0';
	close(fd);
	return 0;
}

/* One write() of @value; -errno on failure. */
static int write_file(const char *file, const char *value)
{
	const char *fail = getenv("COUNTERLAB_FAIL_WRITE");
	char path[512];
	ssize_t got;
	int fd, err = 0;

	if (fail && !strcmp(fail, file))
		return -EINVAL;
	path_of(file, path, sizeof(path));
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	got = write(fd, value, strlen(value));
	if (got < 0)
		err = -errno;
	else if ((size_t)got != strlen(value))
		err = -EIO;
	close(fd);
	return err;
}

/* One write() of @value to the module's @file; -errno on failure. */
int cl_kernel_write(const char *file, const char *value)
{
	return write_file(file, value);
}

static bool cl_kernel_has(const char *file)
{
	char path[512];

	path_of(file, path, sizeof(path));
	return !access(path, F_OK);
}

static int read_uint(const char *file, unsigned int *v)
{
	char buf[64];
	int err = cl_kernel_read(file, buf, sizeof(buf));

	if (err)
		return err;
	buf[strcspn(buf, "\n")] = '\0';
	return cl_parse_uint(buf, 0, UINT32_MAX, v) ? -EPROTO : 0;
}

/**
 * cl_kernel_config() - read the module's current configuration
 * @o: its threads, iterations, kinds and pin are set
 *
 * Return: 0 or -errno (-EPROTO for text that does not parse).
 */
int cl_kernel_config(struct cl_opts *o)
{
	char buf[512], err[256];
	unsigned int pin;
	int ret;

	unsigned int duration_ms;

	memset(o, 0, sizeof(*o));
	ret = read_uint("threads", &o->threads);
	if (!ret)
		ret = read_uint("iterations", &o->iterations);
	if (!ret)
		ret = read_uint("pin", &pin);
	/* A module older than duration mode: iterations, one trial. */
	duration_ms = 0;
	o->trials = 1;
	if (!ret && cl_kernel_has("duration_ms"))
		ret = read_uint("duration_ms", &duration_ms);
	if (!ret && cl_kernel_has("trials"))
		ret = read_uint("trials", &o->trials);
	if (!ret)
		ret = cl_kernel_read("kinds", buf, sizeof(buf));
	if (ret)
		return ret;
	buf[strcspn(buf, "\n")] = '\0';
	if (cl_parse_kinds(buf, &o->kinds, err, sizeof(err)) || pin > 1 ||
	    duration_ms > CL_DURATION_MAX_MS || o->trials < 1 ||
	    o->trials > CL_TRIALS_MAX)
		return -EPROTO;
	o->pin = (int)pin;
	o->duration_ms = duration_ms;
	return 0;
}

/*
 * The parameters a configuration has, in a fixed order: the first four
 * are bound by the INT_MAX total rule (plan() orders them); duration_ms
 * and trials are free, written after them.
 */
enum { P_THREADS, P_ITERATIONS, P_KINDS, P_PIN, P_BOUND,
       P_DURATION = P_BOUND, P_TRIALS, P_NR };
static const char *const pnames[P_NR] = {
	"threads", "iterations", "kinds", "pin", "duration_ms", "trials",
};

static void pvalue(const struct cl_opts *o, int p, char *val, size_t n)
{
	switch (p) {
	case P_THREADS:
		snprintf(val, n, "%u", o->threads);
		break;
	case P_ITERATIONS:
		snprintf(val, n, "%u", o->iterations);
		break;
	case P_KINDS:
		cl_kinds_string(o->kinds, val, n);
		break;
	case P_PIN:
		snprintf(val, n, "%d", o->pin);
		break;
	case P_DURATION:
		snprintf(val, n, "%ld", o->duration_ms);
		break;
	default:
		snprintf(val, n, "%u", o->trials);
		break;
	}
}

static void pset(struct cl_opts *dst, const struct cl_opts *src, int p)
{
	switch (p) {
	case P_THREADS:
		dst->threads = src->threads;
		break;
	case P_ITERATIONS:
		dst->iterations = src->iterations;
		break;
	case P_KINDS:
		dst->kinds = src->kinds;
		break;
	case P_PIN:
		dst->pin = src->pin;
		break;
	case P_DURATION:
		dst->duration_ms = src->duration_ms;
		break;
	default:
		dst->trials = src->trials;
		break;
	}
}

static bool pdiffers(const struct cl_opts *a, const struct cl_opts *b, int p)
{
	char x[512], y[512];

	pvalue(a, p, x, sizeof(x));
	pvalue(b, p, y, sizeof(y));
	return strcmp(x, y) != 0;
}

/*
 * An order for writing the parameters that differ, such that after each
 * write the module's configuration is one it accepts (the INT_MAX total
 * rule): every permutation of the 4 it binds is tried, and duration_ms
 * and trials follow. Return how many (0: nothing differs); @order may be
 * NULL.
 */
static int plan(const struct cl_opts *from, const struct cl_opts *to,
		int *order);

/**
 * cl_config_plan() - the files cl_kernel_configure() writes, in order
 * @from: the module's configuration
 * @to: the one wanted (valid)
 * @names: filled with up to P_NR (6) file names
 *
 * Return: how many.
 */
int cl_config_plan(const struct cl_opts *from, const struct cl_opts *to,
		   const char **names)
{
	int order[P_NR], i, n = plan(from, to, order);

	for (i = 0; i < n; i++)
		names[i] = pnames[order[i]];
	return n;
}

static int plan(const struct cl_opts *from, const struct cl_opts *to,
		int *order)
{
	static const int perms[24][4] = {
		{0, 1, 2, 3}, {0, 1, 3, 2}, {0, 2, 1, 3}, {0, 2, 3, 1},
		{0, 3, 1, 2}, {0, 3, 2, 1}, {1, 0, 2, 3}, {1, 0, 3, 2},
		{1, 2, 0, 3}, {1, 2, 3, 0}, {1, 3, 0, 2}, {1, 3, 2, 0},
		{2, 0, 1, 3}, {2, 0, 3, 1}, {2, 1, 0, 3}, {2, 1, 3, 0},
		{2, 3, 0, 1}, {2, 3, 1, 0}, {3, 0, 1, 2}, {3, 0, 2, 1},
		{3, 1, 0, 2}, {3, 1, 2, 0}, {3, 2, 0, 1}, {3, 2, 1, 0},
	};
	struct cl_opts cur;
	char err[256];
	int i, k, n;
	bool ok;

	for (i = 0; i < 24; i++) {
		cur = *from;
		ok = true;
		n = 0;
		for (k = 0; k < P_BOUND && ok; k++) {
			if (!pdiffers(from, to, perms[i][k]))
				continue;
			pset(&cur, to, perms[i][k]);
			ok = !cl_check_total(cur.threads, cur.iterations,
					     cur.kinds, err, sizeof(err));
			if (order)
				order[n] = perms[i][k];
			n++;
		}
		if (!ok)
			continue;
		for (k = P_BOUND; k < P_NR; k++) {
			if (!pdiffers(from, to, k))
				continue;
			if (order)
				order[n] = k;
			n++;
		}
		return n;
	}
	return -1;	/* cannot happen: both ends are valid, kinds last works */
}

/*
 * Write @to over *@cur, in an order the module accepts at every step;
 * *@cur follows each write that took effect, so on failure it is what the
 * module holds, and *@failed the parameter refused.
 */
static int write_config(struct cl_opts *cur, const struct cl_opts *to,
			int *failed, char *val, size_t n)
{
	int order[P_NR], count, i, ret;

	count = plan(cur, to, order);
	if (count < 0)
		return -ERANGE;
	for (i = 0; i < count; i++) {
		*failed = order[i];
		pvalue(to, order[i], val, n);
		ret = write_file(pnames[order[i]], val);
		if (ret)
			return ret;
		pset(cur, to, order[i]);
	}
	return 0;
}

static const char *why(int err)
{
	switch (err) {
	case -ERANGE:
		return "out of range (threads 1..1024; threads x iterations at most 2147483647 unless only atomic64 runs; duration_ms 0..60000; trials 1..100)";
	case -EINVAL:
		return "not a value the module accepts";
	default:
		return strerror(-err);
	}
}

/**
 * cl_kernel_wait_idle() - wait until no run is in progress
 *
 * Return: 0, or -EINTR when Ctrl-C came first.
 */
int cl_kernel_wait_idle(void)
{
	const struct timespec tick = { 0, 100 * 1000 * 1000 };
	char status[128];
	bool said = false;

	while (!cl_kernel_read("status", status, sizeof(status)) &&
	       !strncmp(status, "running", 7)) {
		if (atomic_load(&cl_interrupted))
			return -EINTR;
		if (!said)
			fprintf(stderr, "counterlab: waiting for the run in progress to end (Ctrl-C to stop waiting)\n");
		said = true;
		nanosleep(&tick, NULL);
	}
	return 0;
}

/**
 * cl_kernel_configure() - set the options given, all or nothing
 * @o: the options; fields not given keep the module's values
 * @applied: if not NULL, the configuration now in effect
 *
 * Only the parameters that change are written, in an order the module
 * accepts at every step. When the module refuses one (or a run starts in
 * between: EBUSY), those already written are put back.
 *
 * Return: CL_EXIT_OK, CL_EXIT_BUSY, CL_EXIT_USAGE (a total no 32-bit
 * counter holds), or CL_EXIT_FAIL (after a sentence).
 */
int cl_kernel_configure(const struct cl_opts *o, struct cl_opts *applied)
{
	struct cl_opts old, want, cur;
	char val[512], err[256];
	int failed = 0, ret;

	ret = cl_kernel_config(&old);
	if (ret) {
		fprintf(stderr, "counterlab: cannot read the module's configuration: %s\n",
			strerror(-ret));
		return CL_EXIT_FAIL;
	}
	want = old;
	if (o->threads)
		want.threads = o->threads;
	if (o->iterations)
		want.iterations = o->iterations;
	if (o->kinds)
		want.kinds = o->kinds;
	if (o->pin >= 0)
		want.pin = o->pin;
	if (o->duration_ms >= 0)
		want.duration_ms = o->duration_ms;
	if (o->trials)
		want.trials = o->trials;
	if (cl_check_total(want.threads, want.iterations, want.kinds, err,
			   sizeof(err))) {
		fprintf(stderr, "counterlab: %s\n", err);
		return CL_EXIT_USAGE;
	}
	cur = old;
	ret = write_config(&cur, &want, &failed, val, sizeof(val));
	if (!ret) {
		if (applied)
			*applied = want;
		return CL_EXIT_OK;
	}
	if (ret == -EBUSY)
		fprintf(stderr, "counterlab: a run is already in progress (EBUSY): wait for it to end, then try again\n");
	else
		fprintf(stderr, "counterlab: the module rejected %s=%s: %s\n",
			pnames[failed], val, why(ret));
	/* Put back what was written: after the other run, on EBUSY. */
	if (!plan(&cur, &old, NULL) ||
	    ((ret != -EBUSY || !cl_kernel_wait_idle()) &&
	     !write_config(&cur, &old, &failed, val, sizeof(val))))
		return ret == -EBUSY ? CL_EXIT_BUSY : CL_EXIT_FAIL;
	fprintf(stderr, "counterlab: putting the previous configuration back failed at %s: check %s\n",
		pnames[failed], cl_debugfs);
	return CL_EXIT_FAIL;
}

/* The writer thread of cl_kernel_run(). */
struct runner {
	const char *file;
	int ret;
	atomic_int done;
};

static void *run_writer(void *arg)
{
	struct runner *r = arg;

	r->ret = write_file(r->file, "1");
	atomic_store(&r->done, 1);
	return NULL;
}

/**
 * cl_kernel_run() - start a run and wait until it ends
 *
 * The blocking write("run") happens in a thread of its own; this thread
 * watches for Ctrl-C and then interrupts the writer with SIGUSR1 until it
 * returns, so a signal that lands just before the write() is not lost:
 * the module then aborts the run and stops its kthreads.
 *
 * Return: CL_EXIT_OK, CL_EXIT_BUSY, CL_EXIT_INTR (a signal aborted the
 * run), or CL_EXIT_FAIL.
 */
int cl_kernel_run(void)
{
	return cl_kernel_run_file("run");
}

/* The same for another run file (litmus/run). */
int cl_kernel_run_file(const char *file)
{
	const struct timespec tick = { 0, 20 * 1000 * 1000 };
	struct runner r = { .file = file };
	sigset_t block, old;
	pthread_t t;
	int ret;

	if (atomic_load(&cl_interrupted))
		return CL_EXIT_INTR;
	/* The writer gets only SIGUSR1; SIGINT and SIGTERM come here. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	ret = pthread_create(&t, NULL, run_writer, &r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret) {
		fprintf(stderr, "counterlab: cannot start the run: %s\n",
			strerror(ret));
		return CL_EXIT_FAIL;
	}
	while (!atomic_load(&r.done)) {
		if (atomic_load(&cl_interrupted))
			pthread_kill(t, SIGUSR1);
		nanosleep(&tick, NULL);
	}
	pthread_join(t, NULL);

	if (!r.ret)
		return CL_EXIT_OK;
	if (r.ret == -EBUSY) {
		fprintf(stderr, "counterlab: a run is already in progress (EBUSY): wait for it to end, then try again\n");
		return CL_EXIT_BUSY;
	}
	if (r.ret == -EINTR) {
		fprintf(stderr, "counterlab: interrupted: the kernel run was aborted and its threads stopped\n");
		return CL_EXIT_INTR;
	}
	fprintf(stderr, "counterlab: the run failed: %s (see dmesg)\n",
		strerror(-r.ret));
	return CL_EXIT_FAIL;
}

/**
 * cl_kernel_results() - read and parse the results file
 * @t: the table
 * @want: if not NULL, the configuration the table must have been run
 *        with (else another controller's run replaced ours)
 *
 * Return: CL_EXIT_OK or CL_EXIT_FAIL.
 */
int cl_kernel_results(struct cl_table *t, const struct cl_opts *want)
{
	static char buf[16384];
	unsigned long kinds = 0;
	char err[256];
	int i, k, ret;

	ret = cl_kernel_read("results", buf, sizeof(buf));
	if (ret) {
		fprintf(stderr, "counterlab: cannot read results: %s\n",
			strerror(-ret));
		return CL_EXIT_FAIL;
	}
	if (cl_table_parse(buf, t, err, sizeof(err))) {
		fprintf(stderr, "counterlab: results: %s\n", err);
		return CL_EXIT_FAIL;
	}
	if (!want)
		return CL_EXIT_OK;
	for (i = 0; i < t->nrows; i++) {
		k = cl_kind_index(t->rows[i].kind, strlen(t->rows[i].kind));
		if (k >= 0)
			kinds |= 1UL << k;
	}
	if (t->threads != want->threads || t->iterations != want->iterations ||
	    t->pin != want->pin || kinds != want->kinds ||
	    t->duration_ms != want->duration_ms || t->trials != want->trials) {
		fprintf(stderr, "counterlab: the results are of another run (run %u, threads=%u iterations=%u): another controller ran in between\n",
			t->run, t->threads, t->iterations);
		return CL_EXIT_FAIL;
	}
	return CL_EXIT_OK;
}
