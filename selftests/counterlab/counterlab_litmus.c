// SPDX-License-Identifier: GPL-2.0
/*
 * counterlab_litmus: the litmus engine (counterlab/litmus/).
 *
 * Every test the kernel's memory model says Never shows its outcome 0
 * times in LITMUS_TRIALS (10^6) trials: a hard assertion, the hardware
 * must obey. SB+poonceonces shows its store-buffering outcome at least
 * once (when a run of 10^6 never does, the test skips with the count: a
 * racy outcome is not asserted unless the run guarantees it). The busted
 * control (SB+fencembonceonces without its smp_mb()s) must make that same
 * Never check fail. Then the files' rules: bad input changes nothing,
 * -EBUSY for any configuration write during a run of either sort, counter
 * and litmus runs never overlap, a signal
 * aborts a run at once and leaves nothing behind.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "counterlab_util.h"

#define LITMUS_TRIALS	1000000
#define LIT(file)	"litmus/" file

/**
 * struct lit_block - one test's results, as counterlab/litmus/results says
 * @name: the test
 * @model: "Never", "Sometimes" or "Always"
 * @seen: the Observation's word
 * @positive: trials that ended in the exists condition's state
 * @negative: the others
 * @verdict: "ok" or "FORBIDDEN OUTCOME SEEN"
 */
struct lit_block {
	char name[64];
	char model[16];
	char seen[16];
	long long positive;
	long long negative;
	char verdict[32];
};

/* The block of @name in @text; 0, or -1 when it is not there whole. */
static int lit_block(const char *text, const char *name, struct lit_block *b)
{
	char head[96], obs[128];
	const char *p, *q, *end;

	memset(b, 0, sizeof(*b));
	snprintf(head, sizeof(head), "Test %s\n", name);
	p = strstr(text, head);
	if (!p)
		return -1;
	end = strstr(p, "\n\n");
	if (!end)
		return -1;
	snprintf(b->name, sizeof(b->name), "%s", name);
	q = strstr(p, "\nModel ");
	if (!q || q > end || sscanf(q, "\nModel %15s", b->model) != 1)
		return -1;
	snprintf(obs, sizeof(obs), "\nObservation %s ", name);
	q = strstr(p, obs);
	if (!q || q > end ||
	    sscanf(q + strlen(obs), "%15s %lld %lld", b->seen, &b->positive,
		   &b->negative) != 3)
		return -1;
	/* The verdict is the block's last line. */
	for (q = end; q > p && q[-1] != '\n'; q--)
		;
	snprintf(b->verdict, sizeof(b->verdict), "%.*s", (int)(end - q), q);
	return 0;
}

/*
 * The check a Never test must pass: the model said Never, not one trial
 * showed the outcome, and the engine's own verdict is "ok".
 */
static bool lit_never_holds(const struct lit_block *b)
{
	return !strcmp(b->model, "Never") && !b->positive &&
	       !strcmp(b->seen, "Never") && !strcmp(b->verdict, "ok");
}

/* Run @tests for @trials each; the results' text into @buf. */
static int lit_run(const char *tests, long long trials, char *buf, size_t size)
{
	int ret;

	ret = cl_write(LIT("tests"), tests);
	if (!ret)
		ret = cl_set_num(LIT("trials"), trials);
	if (!ret)
		ret = cl_write(LIT("run"), "1");
	if (!ret && cl_read(LIT("results"), buf, size) <= 0)
		ret = -EIO;
	return ret;
}

static char text[65536];

FIXTURE(model) {};

FIXTURE_VARIANT(model) {
	const char *name;
	const char *model;	/* the LKMM verdict, herd7's (litmus/) */
	bool shows;		/* the outcome shows on x86: asserted, or skip */
};

FIXTURE_VARIANT_ADD(model, SB_poonceonces) {
	.name = "SB+poonceonces", .model = "Sometimes", .shows = true };
FIXTURE_VARIANT_ADD(model, SB_fencembonceonces) {
	.name = "SB+fencembonceonces", .model = "Never" };
FIXTURE_VARIANT_ADD(model, SB_poreleaseacquires) {
	.name = "SB+poreleaseacquires", .model = "Sometimes" };
FIXTURE_VARIANT_ADD(model, MP_poonceonces) {
	.name = "MP+poonceonces", .model = "Sometimes" };
FIXTURE_VARIANT_ADD(model, MP_fencewmbonceonce_fencermbonceonce) {
	.name = "MP+fencewmbonceonce+fencermbonceonce", .model = "Never" };
FIXTURE_VARIANT_ADD(model, MP_pooncerelease_poacquireonce) {
	.name = "MP+pooncerelease+poacquireonce", .model = "Never" };
FIXTURE_VARIANT_ADD(model, LB_poonceonces) {
	.name = "LB+poonceonces", .model = "Sometimes" };
FIXTURE_VARIANT_ADD(model, LB_fencembonceonce_ctrlonceonce) {
	.name = "LB+fencembonceonce+ctrlonceonce", .model = "Never" };
FIXTURE_VARIANT_ADD(model, LB_poacquireonce_pooncerelease) {
	.name = "LB+poacquireonce+pooncerelease", .model = "Never" };
FIXTURE_VARIANT_ADD(model, SB_atomic_inc) {
	.name = "SB+atomic_inc", .model = "Sometimes" };
FIXTURE_VARIANT_ADD(model, SB_atomic_fetch_add_relaxed) {
	.name = "SB+atomic_fetch_add_relaxed", .model = "Sometimes" };
FIXTURE_VARIANT_ADD(model, SB_atomic_fetch_add) {
	.name = "SB+atomic_fetch_add", .model = "Never" };
FIXTURE_VARIANT_ADD(model, SB_atomic_try_cmpxchg) {
	.name = "SB+atomic_try_cmpxchg", .model = "Never" };
FIXTURE_VARIANT_ADD(model, SB_spinlock) {
	.name = "SB+spinlock", .model = "Never" };
FIXTURE_VARIANT_ADD(model, SB_this_cpu_inc) {
	.name = "SB+this_cpu_inc", .model = "Sometimes" };

FIXTURE_SETUP(model)
{
	if (cl_online_cpus() < 2)
		SKIP(return, "one CPU: a litmus test needs two");
}

FIXTURE_TEARDOWN(model)
{
	cl_write(LIT("tests"), "all");
	cl_set_num(LIT("trials"), LITMUS_TRIALS);
}

TEST_F_TIMEOUT(model, trials, 300)
{
	struct lit_block b;

	ASSERT_EQ(0, lit_run(variant->name, LITMUS_TRIALS, text, sizeof(text)));
	ASSERT_EQ(0, lit_block(text, variant->name, &b)) {
		TH_LOG("no whole block for %s in:\n%s", variant->name, text);
	}
	TH_LOG("%s: model %s, seen %s: %lld of %lld trials", b.name, b.model,
	       b.seen, b.positive, b.positive + b.negative);
	ASSERT_EQ(LITMUS_TRIALS, b.positive + b.negative);
	ASSERT_STREQ(variant->model, b.model);
	if (!strcmp(variant->model, "Never")) {
		EXPECT_TRUE(lit_never_holds(&b)) {
			TH_LOG("%s: forbidden, seen %lld times, verdict \"%s\"",
			       b.name, b.positive, b.verdict);
		}
	} else {
		ASSERT_STREQ("ok", b.verdict);
	}
	if (variant->shows && !b.positive) {
		/* Racy: ten times the trials once more before giving up. */
		ASSERT_EQ(0, lit_run(variant->name, 10LL * LITMUS_TRIALS, text,
				     sizeof(text)));
		ASSERT_EQ(0, lit_block(text, variant->name, &b));
		TH_LOG("%s, once more: %lld of %lld trials", b.name,
		       b.positive, b.positive + b.negative);
		if (!b.positive)
			SKIP(return, "%s: the outcome did not show in %lld trials",
			     b.name, b.negative + LITMUS_TRIALS);
		ASSERT_STREQ("ok", b.verdict);
	}
	ASSERT_EQ(0, cl_kthreads_left());
}

/*
 * The negative control: the busted variant claims Never without the
 * barrier, and the check every Never test passes fails on it whenever the
 * outcome shows (a racy outcome: when it does not show in 10^6 trials,
 * skip with the count).
 */
FIXTURE(busted) {};

FIXTURE_SETUP(busted)
{
	if (cl_online_cpus() < 2)
		SKIP(return, "one CPU: a litmus test needs two");
}

FIXTURE_TEARDOWN(busted)
{
	cl_write(LIT("tests"), "all");
	cl_set_num(LIT("trials"), LITMUS_TRIALS);
}

/* 10^7 trials take a minute on a KCSAN kernel under TCG: 300 s. */
TEST_F_TIMEOUT(busted, fails_the_never_check, 300)
{
	static const char busted[] = "SB+fencembonceonces-busted";
	struct lit_block b;

	ASSERT_EQ(0, lit_run(busted, LITMUS_TRIALS, text, sizeof(text)));
	ASSERT_EQ(0, lit_block(text, busted, &b));
	TH_LOG("%s: model %s, seen %lld of %lld trials, verdict \"%s\"",
	       busted, b.model, b.positive, b.positive + b.negative, b.verdict);
	ASSERT_STREQ("Never", b.model);
	if (!b.positive) {
		/* Racy: ten times the trials once more before giving up. */
		ASSERT_EQ(0, lit_run(busted, 10LL * LITMUS_TRIALS, text,
				     sizeof(text)));
		ASSERT_EQ(0, lit_block(text, busted, &b));
		if (!b.positive)
			SKIP(return, "the outcome did not show in %lld trials",
			     b.negative + LITMUS_TRIALS);
	}
	ASSERT_STREQ("FORBIDDEN OUTCOME SEEN", b.verdict);
	ASSERT_FALSE(lit_never_holds(&b));
}

/* "all" is every test but the control, in table order; reads back so. */
TEST(all_is_every_test_but_the_control)
{
	char buf[4096];

	ASSERT_EQ(0, cl_write(LIT("tests"), "all"));
	ASSERT_LT(0, cl_get(LIT("tests"), buf, sizeof(buf)));
	ASSERT_NE(NULL, strstr(buf, "SB+poonceonces SB+fencembonceonces "));
	ASSERT_NE(NULL, strstr(buf, "SB+this_cpu_inc"));
	ASSERT_EQ(NULL, strstr(buf, "busted"));
	/* Its own output is a value it takes (longer than 256 bytes). */
	ASSERT_LT(256, strlen(buf));
	ASSERT_EQ(0, cl_write(LIT("tests"), buf));
	ASSERT_EQ(0, cl_write(LIT("tests"), "MP+poonceonces,SB+poonceonces\n"));
	ASSERT_LT(0, cl_get(LIT("tests"), buf, sizeof(buf)));
	ASSERT_STREQ("SB+poonceonces MP+poonceonces", buf);
	ASSERT_EQ(0, cl_write(LIT("tests"), "all"));
}

FIXTURE(input) {
	char tests[4096];
	char trials[64];
};

FIXTURE_VARIANT(input) {
	const char *file;
	const char *value;
	int err;
};

FIXTURE_VARIANT_ADD(input, tests_unknown) {
	.file = "tests", .value = "SB+nosuch", .err = -EINVAL };
FIXTURE_VARIANT_ADD(input, tests_one_unknown) {
	.file = "tests", .value = "SB+poonceonces SB+nosuch", .err = -EINVAL };
FIXTURE_VARIANT_ADD(input, tests_empty) {
	.file = "tests", .value = "\t\n", .err = -EINVAL };
FIXTURE_VARIANT_ADD(input, tests_prefix) {
	.file = "tests", .value = "SB+poonce", .err = -EINVAL };
FIXTURE_VARIANT_ADD(input, trials_zero) {
	.file = "trials", .value = "0", .err = -ERANGE };
FIXTURE_VARIANT_ADD(input, trials_too_many) {
	.file = "trials", .value = "100000001", .err = -ERANGE };
FIXTURE_VARIANT_ADD(input, trials_negative) {
	.file = "trials", .value = "-1", .err = -EINVAL };
FIXTURE_VARIANT_ADD(input, trials_junk) {
	.file = "trials", .value = "1000x", .err = -EINVAL };
FIXTURE_VARIANT_ADD(input, trials_overflow) {
	.file = "trials", .value = "99999999999999999999", .err = -EINVAL };
FIXTURE_VARIANT_ADD(input, run_two) {
	.file = "run", .value = "2", .err = -EINVAL };
FIXTURE_VARIANT_ADD(input, run_junk) {
	.file = "run", .value = "go", .err = -EINVAL };

FIXTURE_SETUP(input)
{
	ASSERT_LT(0, cl_read(LIT("tests"), self->tests, sizeof(self->tests)));
	ASSERT_LT(0, cl_read(LIT("trials"), self->trials, sizeof(self->trials)));
}

FIXTURE_TEARDOWN(input) {}

/* A bad value fails and changes nothing, neither the file nor the results. */
TEST_F(input, refused)
{
	char file[64], tests[4096], trials[64], before[4096], after[4096];

	snprintf(file, sizeof(file), "litmus/%s", variant->file);
	cl_read(LIT("results"), before, sizeof(before));
	EXPECT_EQ(variant->err, cl_write(file, variant->value));
	ASSERT_LT(0, cl_read(LIT("tests"), tests, sizeof(tests)));
	ASSERT_LT(0, cl_read(LIT("trials"), trials, sizeof(trials)));
	cl_read(LIT("results"), after, sizeof(after));
	EXPECT_STREQ(self->tests, tests);
	EXPECT_STREQ(self->trials, trials);
	EXPECT_STREQ(before, after);
}

/* One writev() is one value, whatever its segments. */
TEST(writev_is_one_value)
{
	struct iovec two[] = { { "12", 2 }, { "345\n", 4 } };
	struct iovec three[] = { { "SB+poon", 7 }, { "ceonces ", 8 },
				 { "MP+poonceonces\n", 15 } };
	char path[256], buf[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/litmus/trials", CL_DIR);
	fd = open(path, O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(6, writev(fd, two, 2));
	close(fd);
	ASSERT_LT(0, cl_get(LIT("trials"), buf, sizeof(buf)));
	ASSERT_STREQ("12345", buf);
	snprintf(path, sizeof(path), "%s/litmus/tests", CL_DIR);
	fd = open(path, O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(30, writev(fd, three, 3));
	close(fd);
	ASSERT_LT(0, cl_get(LIT("tests"), buf, sizeof(buf)));
	ASSERT_STREQ("SB+poonceonces MP+poonceonces", buf);
	ASSERT_EQ(0, cl_write(LIT("tests"), "all"));
	ASSERT_EQ(0, cl_set_num(LIT("trials"), LITMUS_TRIALS));
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void handler(int sig)
{
	(void)sig;
}

/* A child that runs a long litmus run: exits with its write's errno. */
static pid_t long_litmus_run(void)
{
	struct sigaction sa = { .sa_handler = handler };
	pid_t child = fork();
	int ret;

	if (child)
		return child;
	sigaction(SIGINT, &sa, NULL);
	ret = cl_write(LIT("run"), "1");
	_exit(ret == -EINTR ? EINTR : ret ? 100 : 0);
}

/* Until the run's two kthreads are there (10 s at most). */
static bool litmus_running(void)
{
	double until = now_s() + 10;

	while (now_s() < until) {
		if (cl_kthreads() == 2)
			return true;
		cl_sleep_ms(5);
	}
	return false;
}

FIXTURE(busy) {
	pid_t child;
	char results[65536];
};

FIXTURE_SETUP(busy)
{
	if (cl_online_cpus() < 2)
		SKIP(return, "one CPU: a litmus test needs two");
	ASSERT_EQ(0, cl_write(LIT("tests"), "SB+poonceonces"));
	ASSERT_EQ(0, cl_set_num(LIT("trials"), 100000));
	ASSERT_EQ(0, cl_write(LIT("run"), "1"));
	ASSERT_LT(0, cl_read(LIT("results"), self->results,
			     sizeof(self->results)));
	ASSERT_EQ(0, cl_set_num(LIT("trials"), 100000000));
	self->child = long_litmus_run();
	ASSERT_LE(0, self->child);
	ASSERT_TRUE(litmus_running());
}

FIXTURE_TEARDOWN(busy)
{
	if (self->child > 0) {
		kill(self->child, SIGKILL);
		waitpid(self->child, NULL, 0);
	}
	cl_kthreads_left();
	cl_write(LIT("tests"), "all");
	cl_set_num(LIT("trials"), LITMUS_TRIALS);
}

/*
 * During a litmus run: its configuration writes fail with -EBUSY, so do a
 * second litmus run and a counter run; then SIGINT aborts it at once
 * (-EINTR), nothing is left running, the results are the last finished
 * run's, and the next run is whole.
 */
TEST_F_TIMEOUT(busy, refused_then_aborted, 120)
{
	char tests[4096], results[65536];
	int status = -1;
	double t, until;

	EXPECT_EQ(-EBUSY, cl_write(LIT("trials"), "1000"));
	EXPECT_EQ(-EBUSY, cl_write(LIT("tests"), "all"));
	EXPECT_EQ(-EBUSY, cl_write(LIT("run"), "1"));
	EXPECT_EQ(-EBUSY, cl_run());
	EXPECT_EQ(-EBUSY, cl_write("threads", "1"));
	EXPECT_EQ(-EBUSY, cl_write("kinds", "atomic"));
	ASSERT_LT(0, cl_get(LIT("tests"), tests, sizeof(tests)));
	EXPECT_STREQ("SB+poonceonces", tests);

	t = now_s();
	ASSERT_EQ(0, kill(self->child, SIGINT));
	until = t + 2;
	while (now_s() < until &&
	       waitpid(self->child, &status, WNOHANG) != self->child)
		cl_sleep_ms(2);
	t = now_s() - t;
	TH_LOG("SIGINT: the litmus run's writer returned in %.3f s", t);
	ASSERT_GT(2.0, t);
	self->child = 0;
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == EINTR) {
		TH_LOG("writer status %#x", status);
	}
	ASSERT_EQ(0, cl_kthreads_left());
	ASSERT_LT(0, cl_read(LIT("results"), results, sizeof(results)));
	ASSERT_STREQ(self->results, results);
	ASSERT_EQ(0, cl_set_num(LIT("trials"), 1000));
	ASSERT_EQ(0, cl_write(LIT("run"), "1"));
	ASSERT_LT(0, cl_read(LIT("results"), results, sizeof(results)));
	ASSERT_NE(NULL, strstr(results, "Observation SB+poonceonces "));
	ASSERT_NE(NULL, strstr(results, "litmus run="));
}

/* SIGKILL reaps the writer at once too, and leaves nothing behind. */
TEST_F_TIMEOUT(busy, sigkill, 120)
{
	int status = -1;
	double t, until;

	t = now_s();
	ASSERT_EQ(0, kill(self->child, SIGKILL));
	until = t + 2;
	while (now_s() < until &&
	       waitpid(self->child, &status, WNOHANG) != self->child)
		cl_sleep_ms(2);
	t = now_s() - t;
	TH_LOG("SIGKILL: the litmus run's writer reaped in %.3f s", t);
	ASSERT_GT(2.0, t);
	self->child = 0;
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(0, cl_kthreads_left());
}

/* A counter run in progress: a litmus run gets -EBUSY, changes nothing. */
TEST(litmus_run_during_counter_run)
{
	char before[65536], after[65536];
	pid_t child;
	int i, status = 0;

	cl_read(LIT("results"), before, sizeof(before));
	ASSERT_EQ(0, cl_reset_defaults());
	ASSERT_EQ(0, cl_write("kinds", "atomic"));
	ASSERT_EQ(0, cl_write("duration_ms", "3000"));
	child = fork();
	ASSERT_LE(0, child);
	if (!child)
		_exit(cl_run() ? 1 : 0);
	for (i = 0; i < 1000 && cl_kthreads() < cl_online_cpus(); i++)
		cl_sleep_ms(5);
	ASSERT_EQ(0, waitpid(child, &status, WNOHANG)) {
		TH_LOG("the counter run ended at once: status %#x", status);
	}
	ASSERT_LE(cl_online_cpus(), cl_kthreads());
	EXPECT_EQ(-EBUSY, cl_write(LIT("run"), "1"));
	EXPECT_EQ(-EBUSY, cl_write(LIT("trials"), "7"));
	EXPECT_EQ(-EBUSY, cl_write(LIT("tests"), "SB+poonceonces"));
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	cl_read(LIT("results"), after, sizeof(after));
	EXPECT_STREQ(before, after);
	ASSERT_EQ(0, cl_reset_defaults());
}

int main(int argc, char **argv)
{
	cl_skip_if(cl_unavailable());
	return test_harness_run(argc, argv);
}
