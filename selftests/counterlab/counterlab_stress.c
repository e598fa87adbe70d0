// SPDX-License-Identifier: GPL-2.0
/*
 * counterlab_stress: torture the debugfs interface and the run engine.
 *
 *   fuzz       random and boundary writes to every writable file, each
 *              checked against a model of the documented parser
 *   concurrent 16 processes changing parameters, starting runs and reading
 *              results at random: one run at a time, every table whole
 *   signals    runs killed by SIGINT, SIGTERM or SIGKILL at random points
 *   unload     rmmod racing with runs, then load/run/unload cycles
 *   hotplug    CPUs going offline and online during pinned and unpinned
 *              runs; a pinned run is never bound to an offline CPU
 *   fault      every kthread creation of a 1024-thread run failed in turn
 *   huge       the largest 32-bit run (INT_MAX increments)
 *
 * Ends with one line of figures, each counted here, and exits 1 when any
 * write disagreed with the model, any exact kind was inexact, a kthread was
 * left behind or the kernel log shows a BUG/WARNING/Oops. --short runs a
 * smaller version (make check).
 */
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#include "counterlab_util.h"

#define NKINDS		11
#define KIND_ATOMIC64	8
#define KIND_EMPTY	10
#define ALL_MASK	((1u << 10) - 1)	/* every kind but empty */
#define FAIL_AT		"/sys/module/counterlab/parameters/fail_kthread_at"

static const char *const kinds[NKINDS] = {
	"plain", "atomic", "spinlock", "atomic_ordered", "atomic_relaxed",
	"cmpxchg", "mutex", "percpu", "atomic64", "raw_spinlock", "empty",
};

static struct {
	long writes, rejected, accepted, mismatches;
	long runs, exact, inexact, aborted, cycles, leftover, hotplug, busy;
	long reads;
} st;

/* What the module should hold: the model. */
static struct {
	uint32_t threads, iterations, mask, pin;
} m;

static uint64_t rnd_state = 88172645463325252ull;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static int pick(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

static void mismatch(const char *fmt, const char *file, const char *what)
{
	if (st.mismatches++ < 20) {
		printf("# MISMATCH %s: ", file);
		printf(fmt, what);
		printf("\n");
	}
}

static double now(void);

/* ---- the model of the documented parser ----------------------------- */

/* Digits only, one optional trailing newline: 0, -EINVAL or -ERANGE. */
static int model_u32(const char *b, size_t len, uint32_t *v)
{
	unsigned __int128 acc = 0;
	size_t i = 0;
	bool over = false;

	if (!len || b[0] < '0' || b[0] > '9')
		return -EINVAL;
	for (; i < len && b[i] >= '0' && b[i] <= '9'; i++) {
		acc = acc * 10 + (unsigned int)(b[i] - '0');
		if (acc > UINT64_MAX)
			over = true;
	}
	if (over)
		return -ERANGE;	/* kstrtoull checks overflow before junk */
	if (i < len && b[i] == '\n')
		i++;
	if (i != len)
		return -EINVAL;
	if (acc > UINT32_MAX)
		return -ERANGE;
	*v = (uint32_t)acc;
	return 0;
}

static int model_kinds(const char *b, size_t len, uint32_t *mask)
{
	uint32_t mm = 0;
	size_t i = 0, j;
	int k;

	while (i < len) {
		if (strchr(" \t\n,", b[i])) {
			i++;
			continue;
		}
		for (j = i; j < len && !strchr(" \t\n,", b[j]); j++)
			;
		if (j - i == 3 && !memcmp(b + i, "all", 3)) {
			mm |= ALL_MASK;
		} else {
			for (k = 0; k < NKINDS; k++)
				if (strlen(kinds[k]) == j - i &&
				    !memcmp(b + i, kinds[k], j - i))
					break;
			if (k == NKINDS)
				return -EINVAL;
			mm |= 1u << k;
		}
		i = j;
	}
	if (!mm)
		return -EINVAL;
	*mask = mm;
	return 0;
}

static int model_check(uint32_t t, uint32_t it, uint32_t mask)
{
	if (t < 1 || t > 1024 || it < 1)
		return -ERANGE;
	if ((uint64_t)t * it > INT32_MAX && (mask & ~(1u << KIND_ATOMIC64)))
		return -ERANGE;
	return 0;
}

/* Apply a write to the model; return the errno the module must give. */
static int model_write(const char *file, const char *b, size_t len)
{
	uint32_t v = 0, t = m.threads, it = m.iterations, mask = m.mask;
	int ret;

	if (!len || len > 256 || memchr(b, '\0', len))
		return -EINVAL;
	if (!strcmp(file, "kinds"))
		ret = model_kinds(b, len, &mask);
	else
		ret = model_u32(b, len, &v);
	if (!strcmp(file, "run"))	/* "1" runs, anything else is EINVAL */
		return !ret && v == 1 ? 0 : -EINVAL;
	if (ret)
		return ret;
	if (!strcmp(file, "pin")) {
		if (v > 1)
			return -ERANGE;
		m.pin = v;
		return 0;
	}
	if (!strcmp(file, "threads"))
		t = v;
	else if (!strcmp(file, "iterations"))
		it = v;
	ret = model_check(t, it, mask);
	if (!ret) {
		m.threads = t;
		m.iterations = it;
		m.mask = mask;
	}
	return ret;
}

/* ---- inputs ---------------------------------------------------------- */

static size_t gen_number(char *b, size_t cap)
{
	static const char *const special[] = {
		"0", "1", "2", "1023", "1024", "1025", "2147483647",
		"2147483648", "4294967295", "4294967296",
		"18446744073709551615", "18446744073709551616", "-1", "-0",
		"0x10", "010", "+5", "1e3", "3.0", "",
	};
	static const char *const pre[] = { "", "", "", " ", "\t", "+", "-", "0" };
	static const char *const post[] = {
		"", "", "", "\n", "\n\n", " ", "x", "\t", ",", "\n1",
	};
	char num[32];

	if (pick(3))
		snprintf(num, sizeof(num), "%s", special[pick(20)]);
	else
		snprintf(num, sizeof(num), "%llu",
			 (unsigned long long)(rnd() >> pick(64)));
	return (size_t)snprintf(b, cap, "%s%s%s", pre[pick(8)], num,
				post[pick(10)]);
}

static size_t gen_kinds(char *b, size_t cap)
{
	static const char *const extra[] = {
		"all", "bogus", "Plain", "spin", "", "atomic64x",
	};
	static const char *const sep[] = { " ", ",", "  ", ", ", "\t", "\n" };
	size_t n = 0;
	int i, count = pick(5);

	for (i = 0; i < count && n < cap; i++) {
		const char *w = pick(6) ? kinds[pick(NKINDS)] : extra[pick(6)];

		n += (size_t)snprintf(b + n, cap - n, "%s%s", i ? sep[pick(6)] : "", w);
	}
	if (n < cap && pick(4) == 0)
		n += (size_t)snprintf(b + n, cap - n, "%s", sep[pick(6)]);
	return n < cap ? n : cap - 1;
}

static size_t gen_bytes(char *b, size_t cap)
{
	size_t n = (size_t)pick(300), i;

	if (n > cap)
		n = cap;
	for (i = 0; i < n; i++)
		b[i] = (char)(pick(4) ? ' ' + pick(95) : pick(256));
	return n;
}

static void read_state(char *buf, size_t size)
{
	static const char *const files[] = { "threads", "iterations", "kinds", "pin" };
	size_t n = 0, i;

	for (i = 0; i < 4; i++) {
		cl_read(files[i], buf + n, size - n);
		n += strlen(buf + n);
	}
}

static void model_state(char *buf, size_t size)
{
	size_t n;
	int k;

	n = (size_t)snprintf(buf, size, "%u\n%u\n", m.threads, m.iterations);
	for (k = 0; k < NKINDS; k++)
		if (m.mask & (1u << k))
			n += (size_t)snprintf(buf + n, size - n, "%s%s",
					      buf[n - 1] == '\n' ? "" : " ",
					      kinds[k]);
	snprintf(buf + n, size - n, "\n%u\n", m.pin);
}

static void reset(void)
{
	char n[16];

	cl_write("threads", "1");
	cl_write("iterations", "1000");
	cl_write("kinds", "all");
	cl_write("pin", "1");
	snprintf(n, sizeof(n), "%d", cl_online_cpus());
	cl_write("threads", n);
	m.threads = (uint32_t)cl_online_cpus();
	m.iterations = 1000;
	m.mask = ALL_MASK;
	m.pin = 1;
}

/* Check a finished run's table: every exact kind exact. */
static void account_run(void)
{
	struct cl_results r;
	int i;

	st.runs++;
	if (cl_results(&r)) {
		mismatch("%s", "results", "unparsable after a run");
		return;
	}
	for (i = 0; i < r.nrows; i++) {
		if (!strcmp(r.rows[i].kind, "plain"))
			continue;
		if (cl_row_exact(&r.rows[i])) {
			st.exact++;
		} else {
			st.inexact++;
			printf("# INEXACT %s: %lld of %lld\n", r.rows[i].kind,
			       r.rows[i].actual, r.rows[i].expected);
		}
	}
}

static void fuzz(long n)
{
	static char big[1 << 20];
	static const char *const files[] = {
		"threads", "iterations", "kinds", "pin", "run",
	};
	char buf[512], want[1024], got[1024], path[256];
	typeof(m) saved;
	const char *file;
	size_t len;
	long i;
	int fd, exp, err;

	reset();
	memset(big, '1', sizeof(big));
	for (i = 0; i < n; i++) {
		const char *data = buf;
		int cls = pick(10);

		file = files[pick(5)];
		if (cls == 0) {
			len = pick(2) ? 4096 : sizeof(big);
			data = big;
		} else if (cls <= 2) {
			len = gen_bytes(buf, sizeof(buf));
		} else if (!strcmp(file, "kinds")) {
			len = gen_kinds(buf, sizeof(buf));
		} else {
			len = gen_number(buf, sizeof(buf));
		}
		/* A valid run starts one: only while the runs stay small. */
		if (!strcmp(file, "run") &&
		    (uint64_t)m.threads * m.iterations > 100000 &&
		    model_u32(data, len, &(uint32_t){0}) == 0)
			continue;
		saved = m;
		exp = model_write(file, data, len);
		cl_path(path, sizeof(path), file);
		fd = open(path, O_WRONLY);
		if (fd < 0) {
			mismatch("open: %s", file, strerror(errno));
			continue;
		}
		/* Not seekable: pwrite() fails whatever it holds. */
		if (!pick(8)) {
			err = pwrite(fd, data, len, pick(100)) < 0 ? -errno : 0;
			exp = -ESPIPE;
			m = saved;
		} else {
			err = write(fd, data, len) < 0 ? -errno : 0;
		}
		close(fd);
		st.writes++;
		if (err)
			st.rejected++;
		else
			st.accepted++;
		if (err != exp) {
			snprintf(got, sizeof(got), "%.*s -> %d, model %d",
				 (int)(len < 40 ? len : 40), data, err, exp);
			mismatch("write %s", file, got);
		}
		if (!strcmp(file, "run") && !err)
			account_run();
		read_state(got, sizeof(got));
		model_state(want, sizeof(want));
		if (strcmp(got, want)) {
			mismatch("state after write: %s", file, got);
			reset();
		}
	}
}

/* Wait until status says running (or give up after 10 s). */
static bool wait_running(void)
{
	char buf[64];
	int i;

	for (i = 0; i < 10000; i++) {
		if (cl_get("status", buf, sizeof(buf)) > 0 &&
		    !strncmp(buf, "running", 7))
			return true;
		usleep(1000);
	}
	return false;
}

static void small_exact_run(void)
{
	cl_write("iterations", "1000");
	cl_write("kinds", "all");
	if (cl_run() == 0)
		account_run();
	else
		mismatch("%s", "run", "a small run after an abort failed");
}

static void signals(int n)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGKILL };
	char buf[64], t[16];
	pid_t pid;
	int i, status;

	for (i = 0; i < n; i++) {
		reset();
		snprintf(t, sizeof(t), "%d", INT32_MAX / (2 * cl_online_cpus()));
		cl_write("iterations", t);
		snprintf(t, sizeof(t), "%d", 2 * cl_online_cpus());
		cl_write("threads", t);
		cl_write("kinds", pick(2) ? "spinlock mutex" : "cmpxchg percpu");
		pid = fork();
		if (!pid) {
			cl_run();
			_exit(0);
		}
		if (!wait_running())
			mismatch("%s", "status", "the run never started");
		usleep((useconds_t)pick(200000));
		kill(pid, sigs[pick(3)]);
		waitpid(pid, &status, 0);
		if (cl_get("status", buf, sizeof(buf)) <= 0 ||
		    strncmp(buf, "aborted", 7))
			mismatch("after a signal: %s", "status", buf);
		else
			st.aborted++;
		if (cl_kthreads_left())
			st.leftover++;
		small_exact_run();
	}
}

/* rmmod while runs start, run and end; then load/run/unload cycles. */
static void unload(int races, int cycles)
{
	int i, ret, status;
	double until;
	pid_t pid;

	for (i = 0; i < races; i++) {
		if (!cl_loaded() && cl_load(""))
			mismatch("%s", "load", strerror(errno));
		reset();
		cl_write("iterations", "20000");
		pid = fork();
		if (!pid) {
			double until = now() + 30;

			/* Runs until the files are gone (ENXIO while going). */
			/* Pauses with no file open: a window for rmmod. */
			do {
				ret = cl_run();
				usleep((useconds_t)pick(2000));
			} while (ret != -ENOENT && now() < until);
			if (ret != -ENOENT)
				printf("# MISMATCH runs outlived rmmod: %s\n",
				       strerror(-ret));
			_exit(ret != -ENOENT);
		}
		usleep((useconds_t)pick(300000));
		/* Refused while a file is open, allowed between runs. */
		until = now() + 30;
		do {
			ret = cl_unload();
		} while (ret == -EWOULDBLOCK && now() < until);
		if (ret)
			mismatch("rmmod: %s", "module", strerror(-ret));
		if (cl_loaded())	/* let the runner see ENOENT and stop */
			cl_unload();
		waitpid(pid, &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			st.mismatches++;
		if (cl_kthreads_left())
			st.leftover++;
		st.cycles++;
	}
	for (i = 0; i < cycles; i++) {
		if (cl_loaded() && cl_unload())
			mismatch("%s", "rmmod", "refused with no file open");
		if (cl_load("threads=2 iterations=1000 kinds=atomic,mutex,percpu")) {
			mismatch("%s", "load", "failed");
			continue;
		}
		if (cl_run())
			mismatch("%s", "run", "failed after a load");
		else
			account_run();
		if (cl_unload())
			mismatch("%s", "rmmod", "failed after a run");
		if (cl_kthreads_left())
			st.leftover++;
		st.cycles++;
	}
	if (!cl_loaded())
		cl_load("");
}

/* ---- concurrent controllers ----------------------------------------- */

struct shared {
	long runs, busy, reads, inexact, torn, hotplug, max_live;
	int pause, paused, stop;
};

static struct shared *sh;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void add(long *v, long n)
{
	__atomic_fetch_add(v, n, __ATOMIC_SEQ_CST);
}

/* A results read must be one whole run: consistent rows, in table order. */
static void check_table(void)
{
	struct cl_results r;
	int i, k, last = -1;

	if (cl_results(&r)) {
		if (__atomic_fetch_add(&sh->torn, 1, __ATOMIC_SEQ_CST) < 5)
			printf("# MISMATCH results unparsable\n");
		return;
	}
	add(&sh->reads, 1);
	for (i = 0; i < r.nrows; i++) {
		for (k = 0; k < NKINDS && strcmp(kinds[k], r.rows[i].kind); k++)
			;
		if (k == NKINDS || k <= last ||
		    r.rows[i].expected != r.threads * r.iterations ||
		    r.rows[i].lost != r.rows[i].expected - r.rows[i].actual)
			add(&sh->torn, 1);
		last = k;
		if (k == 0)
			continue;
		if (!cl_row_exact(&r.rows[i]))
			add(&sh->inexact, 1);
	}
}

static void random_kinds(char *b, size_t cap)
{
	uint32_t mask = 0;
	size_t n = 0;
	int k;

	while (!mask)
		mask = (uint32_t)rnd() & ((1u << NKINDS) - 1);
	b[0] = '\0';
	for (k = 0; k < NKINDS; k++)
		if (mask & (1u << k))
			n += (size_t)snprintf(b + n, cap - n, "%s ", kinds[k]);
}

static void controller(double until)
{
	char v[160];
	int ret;

	while (now() < until) {
		switch (pick(8)) {
		case 0:
			snprintf(v, sizeof(v), "%d", 1 + pick(4));
			ret = cl_write("threads", v);
			break;
		case 1:
			snprintf(v, sizeof(v), "%d", 1 + pick(200000));
			ret = cl_write("iterations", v);
			break;
		case 2:
			random_kinds(v, sizeof(v));
			ret = cl_write("kinds", v);
			break;
		case 3:
			ret = cl_write("pin", pick(2) ? "1" : "0");
			break;
		case 4:
		case 5:
			ret = cl_run();
			if (!ret)
				add(&sh->runs, 1);
			break;
		default:
			check_table();
			ret = cl_get("status", v, sizeof(v)) > 0 ? 0 : -EIO;
			break;
		}
		if (ret == -EBUSY) {
			add(&sh->busy, 1);
		} else if (ret) {
			/* no other error is possible */
			if (__atomic_fetch_add(&sh->torn, 1, __ATOMIC_SEQ_CST) < 5)
				printf("# MISMATCH unexpected %s\n", strerror(-ret));
		}
	}
}

/*
 * Live workers: counterlab/<i> tasks without PF_EXITING (0x4). A stopped
 * worker may linger in /proc while it exits, but it has that flag by then:
 * more live workers than one run's threads means two runs at once.
 */
static long live_workers(void)
{
	char path[300], buf[1024], *p, *end;
	unsigned long flags;
	struct dirent *de;
	long n = 0;
	int i;
	DIR *d = opendir("/proc");

	while (d && (de = readdir(d))) {
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		if (cl_read_path(path, buf, sizeof(buf)) <= 0 ||
		    !strstr(buf, "(counterlab/"))
			continue;
		p = strrchr(buf, ')');
		/* after ") state": ppid pgrp session tty_nr tpgid flags */
		for (i = 0; p && i < 7; i++)
			p = strchr(p + 1, ' ');
		if (!p)
			continue;
		flags = strtoul(p, &end, 10);
		if (end != p && !(flags & 0x4))
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

static void monitor(double until)
{
	long n;

	/* Ahead of the 16 controllers, or it would rarely see a run at all. */
	if (nice(-19) == -1 && errno)
		printf("# monitor: cannot raise its priority\n");
	while (now() < until) {
		n = live_workers();
		if (n > __atomic_load_n(&sh->max_live, __ATOMIC_SEQ_CST))
			__atomic_store_n(&sh->max_live, n, __ATOMIC_SEQ_CST);
		usleep(500);
	}
}

static long status_runs(void)
{
	char buf[64], *p;

	if (cl_get("status", buf, sizeof(buf)) <= 0)
		return -1;
	p = strstr(buf, "run=");
	return p ? strtol(p + 4, NULL, 10) : -1;
}

static void concurrent(int procs, int secs)
{
	double until = now() + secs;
	long before, started;
	int i;

	reset();
	cl_write("iterations", "1000");
	if (cl_run())	/* so that every results read below has a table */
		mismatch("%s", "run", "the first run failed");
	else
		account_run();
	memset(sh, 0, sizeof(*sh));
	before = status_runs();
	for (i = 0; i < procs; i++) {
		if (!fork()) {
			rnd_state ^= (uint64_t)getpid() << 20;
			controller(until);
			_exit(0);
		}
	}
	if (!fork()) {
		monitor(until);
		_exit(0);
	}
	while (wait(NULL) > 0)
		;
	started = status_runs() - before;
	/* The controllers ask for at most 4 threads (reset: online CPUs). */
	if (sh->max_live > (cl_online_cpus() > 4 ? cl_online_cpus() : 4)) {
		printf("# MISMATCH %ld workers alive at once: two runs\n",
		       sh->max_live);
		st.mismatches++;
	}
	/* Every run write that got EBUSY started nothing. */
	if (started != sh->runs) {
		printf("# MISMATCH %ld runs started, %ld run writes succeeded\n",
		       started, sh->runs);
		st.mismatches++;
	}
	if (sh->torn) {
		printf("# MISMATCH %ld torn tables or unexpected errors\n", sh->torn);
		st.mismatches += sh->torn;
	}
	/* Exact rows seen in tables read count as reads, not as runs. */
	st.runs += sh->runs;
	st.reads += sh->reads;
	st.inexact += sh->inexact;
	st.busy += sh->busy;
	printf("# concurrent: %d processes x %d s: %ld runs, %ld EBUSY, %ld tables read, at most %ld workers alive\n",
	       procs, secs, sh->runs, sh->busy, sh->reads, sh->max_live);
}

/* ---- CPU hotplug ------------------------------------------------------ */

static int set_online(int cpu, int on)
{
	char path[64];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, on ? "1" : "0", 1) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static void toggler(int ncpus)
{
	int cpu, state[64] = { 0 };

	while (!__atomic_load_n(&sh->stop, __ATOMIC_SEQ_CST)) {
		if (__atomic_load_n(&sh->pause, __ATOMIC_SEQ_CST)) {
			__atomic_store_n(&sh->paused, 1, __ATOMIC_SEQ_CST);
			usleep(1000);
			continue;
		}
		__atomic_store_n(&sh->paused, 0, __ATOMIC_SEQ_CST);
		cpu = 1 + pick(ncpus - 1);
		if (!set_online(cpu, state[cpu])) {
			state[cpu] = !state[cpu];
			add(&sh->hotplug, 1);
		}
		usleep((useconds_t)pick(50000));
	}
	for (cpu = 1; cpu < ncpus; cpu++)
		set_online(cpu, 1);
}

/* Allowed CPUs of kthread counterlab/<i>: one online CPU, never offline. */
static bool placed_online(int threads)
{
	char path[300], buf[4096], name[32], want[16], *p;
	int online[64], n, i, found = 0;
	struct dirent *de;
	DIR *d;

	if (cl_read_path("/sys/devices/system/cpu/online", buf, sizeof(buf)) <= 0)
		return false;
	for (n = 0, p = buf; *p && *p != '\n' && n < 64;) {
		long a = strtol(p, &p, 10), b = a;

		if (*p == '-')
			b = strtol(p + 1, &p, 10);
		while (a <= b && n < 64)
			online[n++] = (int)a++;
		if (*p == ',')
			p++;
	}
	d = opendir("/proc");
	while (d && (de = readdir(d))) {
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		if (cl_read_path(path, name, sizeof(name)) <= 0 ||
		    strncmp(name, "counterlab/", 11))
			continue;
		i = atoi(name + 11);
		snprintf(path, sizeof(path), "/proc/%s/status", de->d_name);
		if (cl_read_path(path, buf, sizeof(buf)) <= 0)
			continue;
		p = strstr(buf, "Cpus_allowed_list:");
		snprintf(want, sizeof(want), "%d\n", online[i % n]);
		if (!p || strncmp(p + 18 + strspn(p + 18, " \t"), want, strlen(want))) {
			printf("# MISMATCH counterlab/%d allowed on %.20s, want %s",
			       i, p ? p + 18 : "?", want);
			found = -1000;
		}
		found++;
	}
	if (d)
		closedir(d);
	return found == threads;
}

static void hotplug(int secs)
{
	int ncpus = cl_online_cpus(), checks = 0;
	double until = now() + secs;
	char t[16];
	pid_t tog, pid;

	if (ncpus < 2 || set_online(1, 1)) {
		printf("# hotplug: skipped (needs 2+ CPUs and cpu1/online)\n");
		return;
	}
	memset(sh, 0, sizeof(*sh));
	tog = fork();
	if (!tog) {
		toggler(ncpus);
		_exit(0);
	}
	while (now() < until) {
		reset();
		snprintf(t, sizeof(t), "%d", 1 + pick(2 * ncpus));
		cl_write("threads", t);
		snprintf(t, sizeof(t), "%d", 20000 + pick(200000));
		cl_write("iterations", t);
		cl_write("pin", pick(2) ? "1" : "0");
		if (cl_run())
			mismatch("%s", "run", "failed during hotplug");
		else
			account_run();
		if (pick(4))
			continue;
		/* Pause the toggler and check where a pinned run lands. */
		__atomic_store_n(&sh->pause, 1, __ATOMIC_SEQ_CST);
		while (!__atomic_load_n(&sh->paused, __ATOMIC_SEQ_CST))
			usleep(1000);
		snprintf(t, sizeof(t), "%d", INT32_MAX / (2 * ncpus));
		cl_write("iterations", t);
		snprintf(t, sizeof(t), "%d", 2 * ncpus);
		cl_write("threads", t);
		cl_write("kinds", "atomic");
		cl_write("pin", "1");
		pid = fork();
		if (!pid) {
			cl_run();
			_exit(0);
		}
		if (wait_running()) {
			int i;

			for (i = 0; i < 1000 && cl_kthreads() < 2 * ncpus; i++)
				usleep(1000);
			if (!placed_online(2 * ncpus))
				mismatch("%s", "placement", "a kthread not on its online CPU");
			checks++;
		}
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		st.aborted++;
		__atomic_store_n(&sh->pause, 0, __ATOMIC_SEQ_CST);
	}
	__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
	waitpid(tog, NULL, 0);
	st.hotplug += sh->hotplug;
	if (cl_kthreads_left())
		st.leftover++;
	printf("# hotplug: %ld CPU state changes over %d CPUs, %d placement checks\n",
	       sh->hotplug, ncpus, checks);
}

/* The largest 32-bit run: INT_MAX percpu increments, no lockup or stall. */
static void huge(void)
{
	char t[16];

	reset();
	cl_write("kinds", "percpu");
	snprintf(t, sizeof(t), "%d", INT32_MAX / cl_online_cpus());
	cl_write("iterations", t);
	if (cl_run())
		mismatch("%s", "run", "the huge run failed");
	else
		account_run();
}

/* Every kthread creation of a 1024-thread run fails in turn: -ENOMEM. */
static void fault(int step)
{
	char buf[64], at[16];
	int fd, n;

	reset();
	cl_write("iterations", "100");
	cl_write("threads", "1024");
	cl_write("kinds", "atomic spinlock");
	for (n = 1; n <= 2048; n += step) {
		snprintf(at, sizeof(at), "%d", n);
		fd = open(FAIL_AT, O_WRONLY);
		if (fd < 0 || write(fd, at, strlen(at)) < 0)
			mismatch("%s", FAIL_AT, "not writable");
		if (fd >= 0)
			close(fd);
		if (cl_run() != -ENOMEM)
			mismatch("%s", "run", "did not fail with ENOMEM");
		else
			st.aborted++;
		if (cl_get("status", buf, sizeof(buf)) <= 0 ||
		    strncmp(buf, "aborted", 7))
			mismatch("after ENOMEM: %s", "status", buf);
		if (cl_kthreads_left())
			st.leftover++;
	}
	fd = open(FAIL_AT, O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "0", 1) < 0)
			mismatch("%s", FAIL_AT, "cannot be reset");
		close(fd);
	}
	if (cl_run() == 0)
		account_run();
	else
		mismatch("%s", "run", "failed after fault injection");
}

/*
 * Lines of the kernel log that are a kernel report (oops_patterns, but the
 * one expected race): oops_scan, installed beside this program, the scan
 * every other reader of the kernel log uses.
 */
static long oopses(void)
{
	char line[512], self[400], cmd[512];
	ssize_t len;
	long n = 0;
	FILE *f;

	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0)
		return 1;
	self[len] = '\0';
	*strrchr(self, '/') = '\0';
	snprintf(cmd, sizeof(cmd), "dmesg | '%s/oops_scan'", self);
	f = popen(cmd, "r");
	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f)) {
		printf("# %s", line);
		n++;
	}
	pclose(f);
	return n;
}

/* kmemleak's unreferenced objects after two scans, -1 without kmemleak. */
static long leaks(void)
{
	char line[512];
	long n = 0;
	FILE *f;

	if (access("/sys/kernel/debug/kmemleak", F_OK))
		return -1;
	sleep(6);
	if (system("echo scan > /sys/kernel/debug/kmemleak; "
		   "echo scan > /sys/kernel/debug/kmemleak"))
		return 1;
	f = fopen("/sys/kernel/debug/kmemleak", "r");
	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "unreferenced object"))
			n++;
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	bool shrt = argc > 1 && !strcmp(argv[1], "--short");

	if (argc > 1 && !strcmp(argv[1], "--live")) {
		printf("%ld\n", live_workers());
		return 0;
	}
	const char *why = cl_unavailable_for(true);	/* it reloads */
	char lkbuf[24];
	long lk, oo;
	bool bad;

	if (why) {
		printf("TAP version 13\n1..0 # SKIP %s\n", why);
		return 4;
	}
	/* KTAP of its own: one result, the figures as a diagnostic line. */
	printf("TAP version 13\n1..1\n");
	/* Whatever hangs, the runner's timeout is not the only way out. */
	alarm(shrt ? 600 : 1500);
	rnd_state ^= (uint64_t)time(NULL);
	printf("# seed %llu\n", (unsigned long long)rnd_state);
	setvbuf(stdout, NULL, _IOLBF, 0);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 1;

	fuzz(shrt ? 2000 : 12000);
	printf("# fuzz: %ld writes, %ld mismatches\n", st.writes, st.mismatches);
	concurrent(16, shrt ? 3 : 30);
	signals(shrt ? 10 : 50);
	printf("# signals: %ld aborted\n", st.aborted);
	unload(shrt ? 5 : 20, shrt ? 20 : 100);
	printf("# unload: %ld cycles\n", st.cycles);
	hotplug(shrt ? 5 : 40);
	fault(shrt ? 511 : 127);
	printf("# fault: %ld aborted in all\n", st.aborted);
	if (!shrt)
		huge();
	reset();
	cl_write("iterations", "1000000");

	lk = leaks();
	oo = oopses();
	printf("# stress: writes=%ld rejected=%ld accepted=%ld runs=%ld exact=%ld inexact=%ld aborted=%ld busy=%ld reads=%ld cycles=%ld hotplug=%ld mismatches=%ld leaks=%s oops=%ld leftover_kthreads=%ld\n",
	       st.writes, st.rejected, st.accepted, st.runs, st.exact,
	       st.inexact, st.aborted, st.busy, st.reads, st.cycles, st.hotplug,
	       st.mismatches, lk < 0 ? "n/a" : (snprintf(lkbuf, sizeof(lkbuf),
	       "%ld", lk), lkbuf), oo, st.leftover);
	bad = st.mismatches || st.inexact || st.leftover || lk > 0 || oo;
	printf("%s 1 stress%s\n", bad ? "not ok" : "ok", shrt ? " --short" : "");
	return bad ? 1 : 0;
}
