// SPDX-License-Identifier: GPL-2.0
/*
 * counterlab_lifecycle: loading and unloading counterlab.ko.
 *
 * Bad module parameters fail the load with EINVAL; parameters set the
 * debugfs defaults; autorun=1 logs the results table; load/run/unload
 * cycles leave nothing behind; rmmod is refused while a file is open.
 * Ends with the module loaded with its defaults. Exits 4 (skip) without
 * root or without the module installed.
 */
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "counterlab_util.h"

FIXTURE(module) {};

FIXTURE_SETUP(module)
{
	if (cl_loaded())
		ASSERT_EQ(0, cl_unload());
}

FIXTURE_TEARDOWN(module)
{
	if (!cl_loaded())
		cl_load("");
}

FIXTURE_VARIANT(module) {
	const char *params;
};

FIXTURE_VARIANT_ADD(module, threads_1025) { "threads=1025" };
FIXTURE_VARIANT_ADD(module, threads_not_a_number) { "threads=abc" };
FIXTURE_VARIANT_ADD(module, threads_0) { "threads=0" };
FIXTURE_VARIANT_ADD(module, threads_plus_sign) { "threads=+2" };
FIXTURE_VARIANT_ADD(module, iterations_past_32_bits) { "iterations=4294967296" };
FIXTURE_VARIANT_ADD(module, iterations_0) { "iterations=0" };
FIXTURE_VARIANT_ADD(module, total_past_int_max) {
	"threads=2 iterations=1073741824" };
FIXTURE_VARIANT_ADD(module, kinds_unknown) { "kinds=plain,bogus" };
FIXTURE_VARIANT_ADD(module, past_int_max_32bit_kind) {
	"kinds=atomic64,mutex threads=1 iterations=3000000000" };
FIXTURE_VARIANT_ADD(module, kinds_empty) { "kinds=" };
FIXTURE_VARIANT_ADD(module, pin_2) { "pin=2" };

TEST_F(module, bad_params_fail_load)
{
	ASSERT_EQ(-EINVAL, cl_load(variant->params));
	ASSERT_FALSE(cl_loaded());
	ASSERT_NE(0, access(CL_DIR, F_OK));
}

static void expect_value(struct __test_metadata *_metadata, const char *file,
			 const char *want)
{
	char got[256];

	ASSERT_GE(cl_get(file, got, sizeof(got)), 0);
	EXPECT_STREQ(want, got) {
		TH_LOG("%s", file);
	}
}

TEST(defaults_after_load)
{
	char ncpu[16];

	if (cl_loaded())
		ASSERT_EQ(0, cl_unload());
	ASSERT_EQ(0, cl_load(""));
	snprintf(ncpu, sizeof(ncpu), "%d", cl_online_cpus());
	expect_value(_metadata, "threads", ncpu);
	expect_value(_metadata, "iterations", "1000000");
	expect_value(_metadata, "kinds", "plain atomic spinlock atomic_ordered atomic_relaxed cmpxchg mutex percpu atomic64 raw_spinlock");
	expect_value(_metadata, "pin", "1");
	expect_value(_metadata, "status", "idle run=0");
	expect_value(_metadata, "results", "");
}

TEST(params_set_defaults)
{
	if (cl_loaded())
		ASSERT_EQ(0, cl_unload());
	ASSERT_EQ(0, cl_load("threads=3 iterations=500 kinds=spinlock,atomic pin=0"));
	expect_value(_metadata, "threads", "3");
	expect_value(_metadata, "iterations", "500");
	expect_value(_metadata, "kinds", "atomic spinlock");
	expect_value(_metadata, "pin", "0");
	ASSERT_EQ(0, cl_unload());
	ASSERT_EQ(0, cl_load(""));
}

/* atomic64 alone may count past INT_MAX from the load on. */
TEST(params_atomic64_past_int_max)
{
	if (cl_loaded())
		ASSERT_EQ(0, cl_unload());
	ASSERT_EQ(0, cl_load("kinds=atomic64 threads=2 iterations=3000000000"));
	expect_value(_metadata, "kinds", "atomic64");
	expect_value(_metadata, "iterations", "3000000000");
	ASSERT_EQ(0, cl_unload());
	ASSERT_EQ(0, cl_load(""));
}

TEST(autorun_logs_table)
{
	char log[65536] = "", results[CL_BUF], want[512], *line, *save;
	const struct cl_row *row;
	struct cl_results r;
	int fd;

	if (cl_loaded())
		ASSERT_EQ(0, cl_unload());
	fd = cl_kmsg_open();
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, cl_load("autorun=1 threads=2 iterations=1000 kinds=atomic,spinlock"));
	cl_read_kmsg(fd, log, sizeof(log));
	close(fd);

	expect_value(_metadata, "status", "done run=1");
	ASSERT_GT(cl_read("results", results, sizeof(results)), 0);
	ASSERT_NE(NULL, strstr(results, "run=1 threads=2 iterations=1000 "));
	/* Every line of the table is in the log, as "counterlab: <line>". */
	for (line = strtok_r(results, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		snprintf(want, sizeof(want), "counterlab: %s\n", line);
		EXPECT_NE(NULL, strstr(log, want)) {
			TH_LOG("not in the kernel log: %s", want);
		}
	}
	ASSERT_EQ(0, cl_results(&r));
	ASSERT_EQ(2, r.nrows);
	row = cl_row_of(&r, "atomic");
	ASSERT_NE(NULL, row);
	EXPECT_TRUE(cl_row_exact(row));
	EXPECT_EQ(2000, row->actual);
	ASSERT_EQ(0, cl_unload());
}

/* autorun's run fails (a kthread cannot be created): the load succeeds. */
TEST(autorun_failure_still_loads)
{
	if (cl_loaded())
		ASSERT_EQ(0, cl_unload());
	ASSERT_EQ(0, cl_load("autorun=1 fail_kthread_at=2 threads=2 iterations=1000"));
	expect_value(_metadata, "status", "aborted run=1");
	expect_value(_metadata, "results", "");
	ASSERT_EQ(0, cl_kthreads_left());
	ASSERT_EQ(0, cl_unload());
}

TEST(load_run_unload_cycles)
{
	struct cl_results r;
	int cycle;

	if (cl_loaded())
		ASSERT_EQ(0, cl_unload());
	for (cycle = 0; cycle < 3; cycle++) {
		ASSERT_EQ(0, cl_load("threads=2 iterations=1000 kinds=atomic,spinlock"));
		ASSERT_EQ(0, cl_run());
		ASSERT_EQ(0, cl_results(&r));
		ASSERT_EQ(1, r.run);
		ASSERT_TRUE(cl_kinds_exact(&r, "atomic spinlock"));
		ASSERT_EQ(0, cl_unload());
		ASSERT_FALSE(cl_loaded());
		ASSERT_NE(0, access(CL_DIR, F_OK));
		ASSERT_EQ(0, cl_kthreads_left());
	}
}

TEST(rmmod_refused_while_open)
{
	char path[256];
	int fd;

	if (!cl_loaded())
		ASSERT_EQ(0, cl_load(""));
	cl_path(path, sizeof(path), "status");
	fd = open(path, O_RDONLY);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(-EWOULDBLOCK, cl_unload());
	EXPECT_TRUE(cl_loaded());
	close(fd);
	ASSERT_EQ(0, cl_unload());
	ASSERT_EQ(0, cl_load(""));
}

int main(int argc, char **argv)
{
	cl_skip_if(cl_unavailable_for(true));
	return test_harness_run(argc, argv);
}
