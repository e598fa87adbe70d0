/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the counterlab selftests: debugfs access, results
 * parsing by column name, module loading and kthread accounting.
 */
#ifndef COUNTERLAB_UTIL_H
#define COUNTERLAB_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define CL_DIR		"/sys/kernel/debug/counterlab"
#define CL_MAX_ROWS	64
#define CL_BUF		16384

struct cl_row {
	char kind[32];
	long long expected, actual, lost, elapsed_ns;
	char ns_per_op[32], mops[32];	/* as printed: exactly 2 decimals */
	long long thread_min_ns, thread_max_ns, retries;
	/* The measurement columns (appended): -1 / "" when absent. */
	long long ops_min, ops_max, start_skew_ns, end_skew_ns, trial, chunk;
	char nspo_min[32], nspo_max[32], ended_by[32];
};

struct cl_results {
	long long run, threads, iterations, cpus, pin;
	long long duration_ms, trials;	/* -1 when absent */
	int nrows;
	struct cl_row rows[CL_MAX_ROWS];
};

static inline void cl_path(char *buf, size_t size, const char *file)
{
	snprintf(buf, size, "%s/%s", CL_DIR, file);
}

/* Write @len bytes of @val to @file in one write(). Return 0 or -errno. */
static inline int cl_write_len(const char *file, const char *val, size_t len)
{
	char path[256];
	ssize_t n;
	int fd, err = 0;

	cl_path(path, sizeof(path), file);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	close(fd);
	return err;
}

static inline int cl_write(const char *file, const char *val)
{
	return cl_write_len(file, val, strlen(val));
}

/* Read a whole file into @buf (NUL-terminated). Return length or -errno. */
static inline int cl_read_path(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(fd);
	return len;
}

static inline int cl_read(const char *file, char *buf, size_t size)
{
	char path[256];

	cl_path(path, sizeof(path), file);
	return cl_read_path(path, buf, size);
}

/* The value of a one-line file, without its newline. */
static inline int cl_get(const char *file, char *buf, size_t size)
{
	int n = cl_read(file, buf, size);

	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return n;
}

/* Start a run; return 0 or -errno of the write. */
static inline int cl_run(void)
{
	return cl_write("run", "1");
}

/* Write @val to any file; 0 or -errno. */
static inline int cl_write_file(const char *path, const char *val)
{
	int fd, ret = 0;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static inline int cl_set_num(const char *file, long long v)
{
	char val[32];

	snprintf(val, sizeof(val), "%lld", v);
	return cl_write(file, val);
}

/* "<state> run=<n>": return n and copy the state, or -1. */
static inline long long cl_status(char *state, size_t size)
{
	char buf[128], *sp;

	if (cl_get("status", buf, sizeof(buf)) <= 0)
		return -1;
	sp = strstr(buf, " run=");
	if (!sp)
		return -1;
	*sp = '\0';
	snprintf(state, size, "%.31s", buf);
	return strtoll(sp + 5, NULL, 10);
}

static inline void cl_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static inline int cl_online_cpus(void)
{
	return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

/* A PREEMPT_RT kernel says so in its version string (uname -v). */
static inline bool cl_kernel_is_rt(void)
{
	struct utsname u;

	return !uname(&u) && strstr(u.version, "PREEMPT_RT");
}

/* Find @col among the whitespace-separated names in @hdr; -1 if absent. */
static inline int cl_column(const char *hdr, const char *col)
{
	char copy[512], *tok, *save;
	int i = 0;

	snprintf(copy, sizeof(copy), "%s", hdr);
	for (tok = strtok_r(copy, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save), i++)
		if (!strcmp(tok, col))
			return i;
	return -1;
}

static inline int cl_parse_header(char *line, struct cl_results *r)
{
	static const char *const keys[] = {
		"run", "threads", "iterations", "cpus", "pin",
		"duration_ms", "trials",
	};
	long long *vals[] = {
		&r->run, &r->threads, &r->iterations, &r->cpus, &r->pin,
		&r->duration_ms, &r->trials,
	};
	const unsigned int required = 0x1f;	/* the first five */
	char *tok, *save, *eq;
	unsigned int seen = 0, k;

	r->duration_ms = -1;
	r->trials = -1;
	for (tok = strtok_r(line, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		eq = strchr(tok, '=');
		if (!eq)
			return -1;
		*eq = '\0';
		for (k = 0; k < ARRAY_SIZE(keys); k++) {
			if (!strcmp(tok, keys[k])) {
				*vals[k] = strtoll(eq + 1, NULL, 10);
				seen |= 1u << k;
			}
		}
	}
	return (seen & required) == required ? 0 : -1;
}

/*
 * Parse the results file (or trial_results) by column name: later columns
 * may be appended. The first ten must be there; the measurement columns
 * are read when present. Return 0, or -1 when it is empty or malformed.
 */
static inline int cl_results_parse(char *text, struct cl_results *r)
{
	static const char *const cols[] = {
		"kind", "expected", "actual", "lost", "elapsed_ns",
		"ns_per_op", "mops", "thread_min_ns", "thread_max_ns",
		"retries",
		"ops_min", "ops_max", "start_skew_ns", "end_skew_ns",
		"nspo_min", "nspo_max", "trial", "chunk", "ended_by",
	};
	enum { NCOLS = ARRAY_SIZE(cols), NREQUIRED = 10 };
	char *line, *save, *tok, *tsave, hdr[512];
	int idx[NCOLS], i, c, found, want = 0;

	memset(r, 0, sizeof(*r));
	line = strtok_r(text, "\n", &save);
	if (!line || cl_parse_header(line, r))
		return -1;
	line = strtok_r(NULL, "\n", &save);
	if (!line)
		return -1;
	snprintf(hdr, sizeof(hdr), "%s", line);
	for (c = 0; c < NCOLS; c++) {
		idx[c] = cl_column(hdr, cols[c]);
		if (idx[c] < 0 && c < NREQUIRED)
			return -1;
		want += idx[c] >= 0;
	}
	while ((line = strtok_r(NULL, "\n", &save))) {
		long long *nums[NCOLS] = { NULL };
		char *strs[NCOLS] = { NULL };
		struct cl_row *row;

		if (r->nrows == CL_MAX_ROWS)
			return -1;
		row = &r->rows[r->nrows++];
		row->ops_min = -1;
		row->ops_max = -1;
		row->start_skew_ns = -1;
		row->end_skew_ns = -1;
		row->trial = -1;
		row->chunk = -1;
		strs[0] = row->kind;
		nums[1] = &row->expected;
		nums[2] = &row->actual;
		nums[3] = &row->lost;
		nums[4] = &row->elapsed_ns;
		strs[5] = row->ns_per_op;
		strs[6] = row->mops;
		nums[7] = &row->thread_min_ns;
		nums[8] = &row->thread_max_ns;
		nums[9] = &row->retries;
		nums[10] = &row->ops_min;
		nums[11] = &row->ops_max;
		nums[12] = &row->start_skew_ns;
		nums[13] = &row->end_skew_ns;
		strs[14] = row->nspo_min;
		strs[15] = row->nspo_max;
		nums[16] = &row->trial;
		nums[17] = &row->chunk;
		strs[18] = row->ended_by;
		found = 0;
		i = 0;
		for (tok = strtok_r(line, " \t", &tsave); tok;
		     tok = strtok_r(NULL, " \t", &tsave), i++) {
			for (c = 0; c < NCOLS; c++) {
				if (i != idx[c])
					continue;
				if (strs[c])
					snprintf(strs[c], 32, "%s", tok);
				else
					*nums[c] = strtoll(tok, NULL, 10);
				found++;
			}
		}
		if (found != want)
			return -1;
	}
	return 0;
}

static inline int cl_results(struct cl_results *r)
{
	char buf[CL_BUF];

	if (cl_read("results", buf, sizeof(buf)) <= 0)
		return -1;
	return cl_results_parse(buf, r);
}

static inline const struct cl_row *cl_row_of(const struct cl_results *r,
					     const char *kind)
{
	int i;

	for (i = 0; i < r->nrows; i++)
		if (!strcmp(r->rows[i].kind, kind))
			return &r->rows[i];
	return NULL;
}

/*
 * The exactness check every exact kind must pass. The negative control
 * shows that it flags a plain counter that lost updates.
 */
static inline bool cl_row_exact(const struct cl_row *row)
{
	return row->actual == row->expected && row->lost == 0;
}

/* True when every kind named in @kinds (space separated) has an exact row. */
static inline bool cl_kinds_exact(const struct cl_results *r, const char *kinds)
{
	char copy[256], *tok, *save;
	const struct cl_row *row;

	snprintf(copy, sizeof(copy), "%s", kinds);
	for (tok = strtok_r(copy, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		row = cl_row_of(r, tok);
		if (!row || !cl_row_exact(row))
			return false;
	}
	return true;
}

/* Number of live kthreads named counterlab/<i>. */
static inline int cl_kthreads(void)
{
	char path[300], comm[64];
	struct dirent *de;
	int count = 0;
	DIR *d;

	d = opendir("/proc");
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		if (cl_read_path(path, comm, sizeof(comm)) > 0 &&
		    !strncmp(comm, "counterlab/", 11))
			count++;
	}
	closedir(d);
	return count;
}

/*
 * kthread_stop() returns once a worker has exited, but its task stays in
 * /proc a little longer until it is reaped: wait up to two seconds for the
 * count to drop to zero, and return what is left then.
 */
static inline int cl_kthreads_left(void)
{
	int i, n = cl_kthreads();

	for (i = 0; n > 0 && i < 200; i++) {
		usleep(10000);
		n = cl_kthreads();
	}
	return n;
}

static inline bool cl_loaded(void)
{
	return access("/sys/module/counterlab", F_OK) == 0;
}

/* Path of counterlab.ko: $COUNTERLAB_KO, else as modules.dep lists it; or -1. */
static inline int cl_module_path(char *buf, size_t size)
{
	char path[300], *line = NULL, *colon;
	size_t cap = 0, len;
	struct utsname u;
	int ret = -1;
	FILE *f;

	line = getenv("COUNTERLAB_KO");
	if (line && *line) {
		snprintf(buf, size, "%s", line);
		return access(buf, R_OK) ? -1 : 0;
	}
	line = NULL;
	if (uname(&u))
		return -1;
	snprintf(path, sizeof(path), "/lib/modules/%s/modules.dep", u.release);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (ret && getline(&line, &cap, f) > 0) {
		colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		len = strlen(line);
		if (len < 14 || strcmp(line + len - 14, "/counterlab.ko"))
			continue;
		if (line[0] == '/')
			snprintf(buf, size, "%s", line);
		else
			snprintf(buf, size, "/lib/modules/%s/%s", u.release, line);
		ret = 0;
	}
	free(line);
	fclose(f);
	return ret;
}

/* Load counterlab.ko with @params. Return 0 or -errno of finit_module. */
static inline int cl_load(const char *params)
{
	char path[512];
	int fd, ret = 0;

	if (cl_module_path(path, sizeof(path)))
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, params, 0))
		ret = -errno;
	close(fd);
	return ret;
}

/* Unload counterlab without waiting. Return 0 or -errno. */
static inline int cl_unload(void)
{
	if (syscall(SYS_delete_module, "counterlab", O_NONBLOCK))
		return -errno;
	return 0;
}

/*
 * Why a program cannot run here, or NULL when it can. Every program decides
 * the same way: root is needed; a counterlab already loaded, by modprobe
 * or by insmod, is used as it is; one not loaded is loaded from its .ko
 * (cl_module_path(): $COUNTERLAB_KO, else modules.dep), and without one the
 * program skips and says why. With @reload (counterlab_lifecycle and
 * counterlab_stress unload it and load it again, with parameters) the .ko
 * must be found even when the module is loaded.
 */
static inline const char *cl_unavailable_for(bool reload)
{
	char path[512];
	bool have_ko = !cl_module_path(path, sizeof(path));
	static const char insmoded[] =
		"loaded by insmod, and these tests reload it: set COUNTERLAB_KO=<its .ko>";
	static const char no_ko[] =
		"no counterlab.ko (not in modules.dep): set COUNTERLAB_KO=<its .ko>";
	static const char not_loaded[] =
		"counterlab not loaded, no counterlab.ko: insmod it or set COUNTERLAB_KO";

	if (geteuid())
		return "not root";
	if (reload && !have_ko)
		return cl_loaded() ? insmoded : no_ko;
	if (!cl_loaded() && !have_ko)
		return not_loaded;
	if (!cl_loaded() && cl_load(""))
		return "counterlab.ko cannot be loaded";
	if (access(CL_DIR, F_OK))
		return "no " CL_DIR " (is debugfs mounted?)";
	return NULL;
}

static inline const char *cl_unavailable(void)
{
	return cl_unavailable_for(false);
}

/*
 * A program's first step: when @why says it cannot run here, it prints
 * its KTAP header and skips (exit 4) with the reason.
 */
static inline void cl_skip_if(const char *why)
{
	if (!why)
		return;
	ksft_print_header();
	ksft_exit_skip("%s\n", why);
}

/*
 * Back to the load-time defaults, so that every test starts from the same
 * configuration; a run left by a test the harness killed may still be
 * stopping: wait for it (up to a minute). Return 0, -EBUSY when it is
 * still running, or the -errno of the write that failed.
 */
static inline int cl_reset_defaults(void)
{
	static const char *const files[][2] = {
		{ "threads", "1" }, { "iterations", "1000000" }, { "kinds", "all" },
		{ "pin", "1" }, { "duration_ms", "0" }, { "trials", "1" },
	};
	char state[32] = "";
	size_t i;
	int ret;

	for (i = 0; i < 6000; i++) {
		cl_status(state, sizeof(state));
		if (strcmp(state, "running"))
			break;
		cl_sleep_ms(10);
	}
	if (!strcmp(state, "running"))
		return -EBUSY;
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		ret = cl_write(files[i][0], files[i][1]);
		if (ret)
			return ret;
	}
	return cl_set_num("threads", cl_online_cpus());
}

/* Append every kernel log message after @fd's position to @out. */
static inline void cl_read_kmsg(int fd, char *out, size_t size)
{
	char rec[2048], *msg;
	size_t n = strlen(out);
	ssize_t len;

	for (;;) {
		errno = 0;
		len = read(fd, rec, sizeof(rec) - 1);
		if (len < 0 && errno == EPIPE)
			continue;	/* records were overwritten: go on */
		if (len <= 0)
			break;		/* EAGAIN: nothing more */
		rec[len] = '\0';
		msg = strchr(rec, ';');
		if (msg && n + 1 < size) {
			snprintf(out + n, size - n, "%s", msg + 1);
			n += strlen(out + n);	/* never past size - 1 */
		}
	}
}

/* Open /dev/kmsg positioned after the newest record; -1 on error. */
static inline int cl_kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

#endif /* COUNTERLAB_UTIL_H */
