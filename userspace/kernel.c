// SPDX-License-Identifier: GPL-2.0
/*
 * counterlab CLI: the module's debugfs interface. Checks that it can be
 * reached (root, debugfs mounted, module loaded) with one sentence for
 * each way it cannot; writes a configuration all or nothing; starts a run
 * that Ctrl-C aborts cleanly (the module stops its threads on a signal).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "cl.h"

#define DEBUGFS_MAGIC	0x64626720
#define DEBUGFS_ROOT	"/sys/kernel/debug"

/* The module's directory; COUNTERLAB_DEBUGFS overrides it (tests). */
const char *cl_debugfs = DEBUGFS_ROOT "/counterlab";
volatile int cl_interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	cl_interrupted = 1;
}

/* No SA_RESTART: a blocked write("run") returns EINTR, the run aborts. */
void cl_install_sigint(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void path_of(const char *file, char *buf, size_t n)
{
	snprintf(buf, n, "%s/%s", cl_debugfs, file);
}

/**
 * cl_kernel_ready() - can the module's files be used?
 *
 * Return: CL_EXIT_OK, or CL_EXIT_ENV after one sentence on stderr.
 */
int cl_kernel_ready(void)
{
	const char *env = getenv("COUNTERLAB_DEBUGFS");
	struct statfs sfs;
	struct stat st;

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
	char path[512];
	ssize_t got;
	int fd, err = 0;

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

	ret = read_uint("threads", &o->threads);
	if (!ret)
		ret = read_uint("iterations", &o->iterations);
	if (!ret)
		ret = read_uint("pin", &pin);
	if (!ret)
		ret = cl_kernel_read("kinds", buf, sizeof(buf));
	if (ret)
		return ret;
	buf[strcspn(buf, "\n")] = '\0';
	if (cl_parse_kinds(buf, &o->kinds, err, sizeof(err)))
		return -EPROTO;
	o->pin = pin != 0;
	return 0;
}

static const char *const steps[] = {
	"iterations", "threads", "kinds", "iterations", "pin",
};

/* Write @o's values; on failure *@step is the index in steps[]. */
static int write_all(const struct cl_opts *o, unsigned int *step, char *val,
		     size_t n)
{
	unsigned int i;
	int ret;

	/*
	 * iterations=1 first: every threads value is then within the
	 * module's INT_MAX total, whatever the old iterations were.
	 */
	for (i = 0; i < 5; i++) {
		*step = i;
		if (i == 0)
			snprintf(val, n, "1");
		else if (i == 1)
			snprintf(val, n, "%u", o->threads);
		else if (i == 2)
			cl_kinds_string(o->kinds, val, n);
		else if (i == 3)
			snprintf(val, n, "%u", o->iterations);
		else
			snprintf(val, n, "%d", o->pin);
		ret = write_file(steps[i], val);
		if (ret)
			return ret;
	}
	return 0;
}

static const char *why(int err)
{
	switch (err) {
	case -ERANGE:
		return "out of range (threads 1..1024; threads x iterations at most 2147483647 unless only atomic64 runs)";
	case -EINVAL:
		return "not a value the module accepts";
	default:
		return strerror(-err);
	}
}

/**
 * cl_kernel_configure() - set the options given, all or nothing
 * @o: the options; fields not given keep the module's values
 *
 * On any failure the module's previous configuration is written back.
 *
 * Return: CL_EXIT_OK, CL_EXIT_BUSY, or CL_EXIT_FAIL (after a sentence).
 */
int cl_kernel_configure(const struct cl_opts *o)
{
	struct cl_opts old, want;
	unsigned int step = 0;
	char val[512], err[256];
	int ret;

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
	if (cl_check_total(want.threads, want.iterations, want.kinds, err,
			   sizeof(err))) {
		fprintf(stderr, "counterlab: %s\n", err);
		return CL_EXIT_USAGE;
	}
	ret = write_all(&want, &step, val, sizeof(val));
	if (!ret)
		return CL_EXIT_OK;
	if (ret == -EBUSY)
		fprintf(stderr, "counterlab: a run is already in progress (EBUSY): wait for it to end, then try again\n");
	else
		fprintf(stderr, "counterlab: the module rejected %s=%s: %s\n",
			steps[step], val, why(ret));
	/* A failed first write changed nothing; later ones are undone. */
	if (step > 0 && write_all(&old, &step, val, sizeof(val)))
		fprintf(stderr, "counterlab: restoring the previous configuration failed at %s: check %s\n",
			steps[step], cl_debugfs);
	return ret == -EBUSY ? CL_EXIT_BUSY : CL_EXIT_FAIL;
}

/**
 * cl_kernel_run() - start a run and wait until it ends
 *
 * Return: CL_EXIT_OK, CL_EXIT_BUSY, CL_EXIT_INTR (Ctrl-C: the module
 * aborted the run and stopped its threads), or CL_EXIT_FAIL.
 */
int cl_kernel_run(void)
{
	int ret;

	if (cl_interrupted)
		return CL_EXIT_INTR;
	ret = write_file("run", "1");
	if (!ret)
		return CL_EXIT_OK;
	if (ret == -EBUSY) {
		fprintf(stderr, "counterlab: a run is already in progress (EBUSY): wait for it to end, then try again\n");
		return CL_EXIT_BUSY;
	}
	if (ret == -EINTR && cl_interrupted) {
		fprintf(stderr, "counterlab: interrupted: the kernel run was aborted and its threads stopped\n");
		return CL_EXIT_INTR;
	}
	fprintf(stderr, "counterlab: the run failed: %s (see dmesg)\n",
		strerror(-ret));
	return CL_EXIT_FAIL;
}

/* Read and parse the results file. */
int cl_kernel_results(struct cl_table *t)
{
	static char buf[8192];
	char err[256];
	int ret;

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
	return CL_EXIT_OK;
}
