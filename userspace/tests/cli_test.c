// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the counterlab CLI, no kernel needed: option parsing, the
 * results parser on real and malformed text, the JSON and CSV output, the
 * userspace mirror's exactness, and the all-or-nothing configuration
 * write against a stand-in debugfs directory. kselftest_harness.h, TAP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "cl.h"
#include "litmus.h"

/* A real results file: make demo, 2 threads, QEMU TCG. */
static const char real[] =
	"run=2 threads=2 iterations=1000000 cpus=2 pin=1\n"
	"kind            expected      actual        lost          elapsed_ns   ns_per_op  mops       thread_min_ns thread_max_ns retries\n"
	"plain           2000000       1089475       910525        4365180            4.37     458.17 4118150       4309330       0\n"
	"atomic          2000000       2000000       0             59874470          59.87      33.40 58388400      59813180      0\n"
	"cmpxchg         2000000       2000000       0             109681760        109.68      18.23 105343240     109661720     629051\n"
	"atomic64        2000000       2000000       0             68303800          68.30      29.28 68045800      68284520      0\n";

#define HDR "run=1 threads=1 iterations=10 cpus=2 pin=1\n"
#define COLS "kind expected actual lost elapsed_ns ns_per_op mops thread_min_ns thread_max_ns retries\n"
/* The measurement columns and header keys, appended. */
#define COLS_PART "kind expected actual lost elapsed_ns ns_per_op mops thread_min_ns thread_max_ns retries ops_min ops_max\n"
#define HDRD "run=1 threads=2 iterations=10 cpus=2 pin=1 kernel=x preempt=none duration_ms=100 trials=3\n"
#define COLSX "kind expected actual lost elapsed_ns ns_per_op mops thread_min_ns thread_max_ns retries ops_min ops_max start_skew_ns end_skew_ns nspo_min nspo_max trial chunk ended_by\n"

static int parse_args(const char *line, unsigned int allow, struct cl_opts *o,
		      char *err, size_t n)
{
	char buf[512], *argv[32], *save, *tok;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (tok = strtok_r(buf, " ", &save); tok && argc < 31;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	return cl_parse_opts(argc, argv, argv[0], allow, o, err, n);
}

#define RUN_ALLOW	(CL_OPT_RUN | CL_OPT_FORMAT | CL_OPT_REPEAT)
#define SWEEP_ALLOW	(CL_OPT_RUN | CL_OPT_SWEEP)

TEST(options_run_all_given)
{
	struct cl_opts o;
	char err[256] = "";

	ASSERT_EQ(0, parse_args("run -t 4 -n 250 -k plain,mutex --no-pin -f json",
				RUN_ALLOW, &o, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(4, o.threads);
	EXPECT_EQ(250, o.iterations);
	EXPECT_EQ((1UL << 0) | (1UL << 6), o.kinds);
	EXPECT_EQ(0, o.pin);
	EXPECT_EQ(CL_FMT_JSON, o.format);
}

TEST(options_defaults_are_not_given)
{
	struct cl_opts o;
	char err[256] = "";

	ASSERT_EQ(0, parse_args("run", RUN_ALLOW, &o, err, sizeof(err)));
	EXPECT_EQ(0, o.threads);
	EXPECT_EQ(0, o.iterations);
	EXPECT_EQ(0, o.kinds);
	EXPECT_EQ(-1, o.pin);
	EXPECT_EQ(-1, o.duration_ms);
	EXPECT_EQ(0, o.trials);
	EXPECT_EQ(0, o.repeat);
	EXPECT_EQ(CL_FMT_TABLE, o.format);
}

TEST(options_measurement)
{
	struct cl_opts o;
	char err[256] = "";

	ASSERT_EQ(0, parse_args("run -d 500 --trials 7 --repeat 3", RUN_ALLOW,
				&o, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(500, o.duration_ms);
	EXPECT_EQ(7, o.trials);
	EXPECT_EQ(3, o.repeat);
	ASSERT_EQ(0, parse_args("user --duration 0 --trials 100", RUN_ALLOW, &o,
				err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(0, o.duration_ms);
	EXPECT_EQ(100, o.trials);
	ASSERT_EQ(0, parse_args("sweep -d 60000 --trials 1", SWEEP_ALLOW, &o,
				err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(60000, o.duration_ms);
}

TEST(options_long_forms_and_all)
{
	struct cl_opts o;
	char err[256] = "";

	ASSERT_EQ(0, parse_args("user --threads 1024 --iterations 4294967295 --kinds atomic64 --format csv",
				RUN_ALLOW, &o, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(1024, o.threads);
	EXPECT_EQ(4294967295U, o.iterations);
	EXPECT_EQ(CL_FMT_CSV, o.format);
	ASSERT_EQ(0, parse_args("user -k all", RUN_ALLOW, &o, err, sizeof(err)));
	EXPECT_EQ(cl_kinds_all(), o.kinds);
	EXPECT_EQ(0, o.kinds & (1UL << cl_kind_index("empty", 5)));
}

TEST(options_sweep_list)
{
	struct cl_opts o;
	char err[256] = "";

	ASSERT_EQ(0, parse_args("sweep --threads 1,2,4-6 --space user -o x.csv --plot x.svg",
				SWEEP_ALLOW, &o, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(5, o.nsweep);
	EXPECT_EQ(1, o.sweep[0]);
	EXPECT_EQ(4, o.sweep[2]);
	EXPECT_EQ(6, o.sweep[4]);
	EXPECT_EQ(CL_SPACE_USER, o.space);
	EXPECT_STREQ("x.csv", o.out);
	EXPECT_STREQ("x.svg", o.plot);
}

TEST(options_help)
{
	struct cl_opts o;
	char err[256];

	EXPECT_EQ(1, parse_args("run --help", RUN_ALLOW, &o, err, sizeof(err)));
	EXPECT_EQ(1, parse_args("sweep -h", SWEEP_ALLOW, &o, err, sizeof(err)));
}

/* Every bad command line: refused with a sentence naming the problem. */
FIXTURE(bad_option) {
};

FIXTURE_VARIANT(bad_option) {
	const char *args;
	unsigned int allow;
	const char *says;
};

#define BAD(name, a, al, s) \
	FIXTURE_VARIANT_ADD(bad_option, name) { .args = a, .allow = al, .says = s }

BAD(threads_zero, "run -t 0", RUN_ALLOW, "threads must be a number 1..1024");
BAD(threads_too_many, "run -t 1025", RUN_ALLOW, "not '1025'");
BAD(threads_negative, "run -t -1", RUN_ALLOW, "not '-1'");
BAD(threads_hex, "run -t 0x4", RUN_ALLOW, "not '0x4'");
BAD(threads_space, "run -t 4x", RUN_ALLOW, "not '4x'");
BAD(iterations_zero, "run -n 0", RUN_ALLOW, "iterations must be");
BAD(iterations_past_u32, "run -n 4294967296", RUN_ALLOW, "not '4294967296'");
BAD(kind_unknown, "run -k plain,bogus", RUN_ALLOW, "unknown kind 'bogus'");
BAD(kind_empty, "run -k ,", RUN_ALLOW, "no kind given");
BAD(total_32bit, "run -t 3 -n 1000000000 -k atomic", RUN_ALLOW, "32-bit counter (kind atomic)");
BAD(format_bad, "run -f xml", RUN_ALLOW, "--format is table, json or csv");
BAD(missing_value, "run -t", RUN_ALLOW, "needs a value");
BAD(unknown_long, "run --bogus", RUN_ALLOW, "unknown option '--bogus'");
BAD(unknown_short, "run -x", RUN_ALLOW, "unknown option '-x'");
BAD(extra_arg, "run 4", RUN_ALLOW, "unexpected argument '4'");
BAD(status_takes_no_t, "status -t 2", 0, "does not apply here");
BAD(results_takes_no_n, "results -n 2", CL_OPT_FORMAT, "does not apply here");
BAD(sweep_no_format, "sweep -f csv", SWEEP_ALLOW, "does not apply here");
BAD(sweep_space_bad, "sweep --space moon", SWEEP_ALLOW, "--space is kernel, user or both");
BAD(sweep_list_bad, "sweep --threads 1,,x", SWEEP_ALLOW, "--threads wants counts");
BAD(sweep_range_down, "sweep --threads 4-2", SWEEP_ALLOW, "--threads wants counts");
BAD(sweep_range_huge, "sweep --threads 1-1025", SWEEP_ALLOW, "--threads wants counts");
BAD(sweep_too_many, "sweep --threads 1-65", SWEEP_ALLOW, "at most 64");
BAD(duration_past_max, "run -d 60001", RUN_ALLOW, "--duration is milliseconds 0..60000");
BAD(duration_word, "run --duration 1s", RUN_ALLOW, "not '1s'");
BAD(duration_negative, "run -d -5", RUN_ALLOW, "not '-5'");
BAD(trials_zero, "run --trials 0", RUN_ALLOW, "--trials must be a number 1..100");
BAD(trials_101, "run --trials 101", RUN_ALLOW, "not '101'");
BAD(repeat_zero, "run --repeat 0", RUN_ALLOW, "--repeat must be a number 1..100");
BAD(repeat_not_for_sweep, "sweep --repeat 2", SWEEP_ALLOW, "does not apply here");
BAD(duration_not_for_results, "results -d 5", CL_OPT_FORMAT, "does not apply here");

FIXTURE_SETUP(bad_option) {}
FIXTURE_TEARDOWN(bad_option) {}

TEST_F(bad_option, refused)
{
	struct cl_opts o;
	char err[256] = "";

	EXPECT_EQ(-1, parse_args(variant->args, variant->allow, &o, err,
				 sizeof(err)));
	EXPECT_NE(NULL, strstr(err, variant->says)) TH_LOG("said: %s", err);
}

TEST(parse_real_results)
{
	struct cl_table t;
	char err[256] = "";
	const struct cl_row *r;

	ASSERT_EQ(0, cl_table_parse(real, &t, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(2, t.run);
	EXPECT_EQ(2, t.threads);
	EXPECT_EQ(1000000, t.iterations);
	EXPECT_EQ(2, t.cpus);
	EXPECT_EQ(1, t.pin);
	ASSERT_EQ(4, t.nrows);
	r = cl_table_row(&t, "plain");
	ASSERT_NE(NULL, r);
	EXPECT_EQ(2000000, r->expected);
	EXPECT_EQ(1089475, r->actual);
	EXPECT_EQ(910525, r->lost);
	EXPECT_EQ(4365180, r->elapsed_ns);
	EXPECT_EQ(437, (int)(r->ns_per_op * 100 + 0.5));
	EXPECT_EQ(45817, (int)(r->mops * 100 + 0.5));
	r = cl_table_row(&t, "cmpxchg");
	ASSERT_NE(NULL, r);
	EXPECT_EQ(629051, r->retries);
	EXPECT_EQ(105343240, r->thread_min_ns);
	EXPECT_EQ(109661720, r->thread_max_ns);
	EXPECT_EQ(NULL, cl_table_row(&t, "mutex"));
}

TEST(parse_columns_by_name)
{
	static const char moved[] = HDR
		"retries kind mops actual expected lost elapsed_ns ns_per_op thread_min_ns thread_max_ns newcol\n"
		"3 cmpxchg 1.50 10 10 0 100 10.00 90 100 x\n";
	struct cl_table t;
	char err[256] = "";

	ASSERT_EQ(0, cl_table_parse(moved, &t, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(1, t.nrows);
	EXPECT_STREQ("cmpxchg", t.rows[0].kind);
	EXPECT_EQ(3, t.rows[0].retries);
	EXPECT_EQ(150, (int)(t.rows[0].mops * 100 + 0.5));
}

FIXTURE(bad_results) {
};

FIXTURE_VARIANT(bad_results) {
	const char *text;
	const char *says;
};

#define BADR(name, txt, s) \
	FIXTURE_VARIANT_ADD(bad_results, name) { .text = txt, .says = s }

BADR(empty, "", "no results");
BADR(header_only, HDR, "no column names");
BADR(no_rows, HDR COLS, "no rows");
BADR(header_missing_key, "run=1 threads=1 iterations=10 pin=1\n" COLS
     "atomic 10 10 0 100 10.00 0.10 90 100 0\n", "no cpus=");
BADR(header_not_kv, "run 1\n" COLS, "not key=value");
BADR(header_bad_number, "run=x threads=1 iterations=10 cpus=2 pin=1\n" COLS,
     "run='x' is not a number");
BADR(column_missing, HDR "kind expected actual lost elapsed_ns ns_per_op mops thread_min_ns thread_max_ns\n",
     "no column 'retries'");
BADR(short_row, HDR COLS "atomic 10 10 0 100 10.00 0.10 90 100\n",
     "line 3: 9 fields, the header has 10");
BADR(bad_number, HDR COLS "atomic 10 1O 0 100 10.00 0.10 90 100 0\n",
     "line 3: actual '1O' is not a number");
BADR(negative_expected, HDR COLS "atomic -10 10 0 100 10.00 0.10 90 100 0\n",
     "expected '-10'");
BADR(bad_fixed, HDR COLS "atomic 10 10 0 100 10.0 0.10 90 100 0\n",
     "ns_per_op '10.0'");
BADR(lost_inconsistent, HDR COLS "plain 10 7 2 100 10.00 0.10 90 100 0\n",
     "lost 2 is not expected - actual");
BADR(min_above_max, HDR COLS "atomic 10 10 0 100 10.00 0.10 100 90 0\n",
     "thread_min_ns > thread_max_ns");
BADR(bad_kind, HDR COLS "Atomic! 10 10 0 100 10.00 0.10 90 100 0\n",
     "bad kind name");
BADR(overflow, HDR COLS "atomic 99999999999999999999 10 0 100 10.00 0.10 90 100 0\n",
     "expected '99999999999999999999'");
BADR(fixed_no_decimals, HDR COLS "atomic 10 10 0 100 10 0.10 90 100 0\n",
     "ns_per_op '10'");
BADR(thread_past_elapsed, HDR COLS "atomic 10 10 0 100 10.00 0.10 90 101 0\n",
     "thread_max_ns > elapsed_ns");
BADR(expected_not_product, HDR COLS "atomic 11 11 0 100 10.00 0.10 90 100 0\n",
     "expected 11 is not threads x iterations");
BADR(kind_twice, HDR COLS "atomic 10 10 0 100 10.00 0.10 90 100 0\n"
     "atomic 10 10 0 100 10.00 0.10 90 100 0\n", "line 4: kind atomic twice");
BADR(column_twice, HDR "kind expected actual lost elapsed_ns ns_per_op mops thread_min_ns thread_max_ns retries mops\n",
     "column 'mops' twice");
BADR(some_measurement_columns, HDR COLS_PART "atomic 10 10 0 100 10.00 0.10 90 100 0 5 5\n",
     "some measurement columns");
BADR(ops_min_above_max, HDRD COLSX "atomic 10 10 0 100 20.00 0.10 90 100 0 6 4 1 2 19.00 21.00 1 4096 duration\n",
     "ops_min > ops_max");
BADR(nspo_outside_spread, HDRD COLSX "atomic 10 10 0 100 20.00 0.10 90 100 0 5 5 1 2 21.00 22.00 1 4096 duration\n",
     "not within nspo_min..nspo_max");
BADR(ended_by_unknown, HDRD COLSX "atomic 10 10 0 100 20.00 0.10 90 100 0 5 5 1 2 19.00 21.00 1 4096 timer\n",
     "ended_by 'timer'");
BADR(expected_past_ops, HDRD COLSX "atomic 11 11 0 100 18.18 0.11 90 100 0 5 5 1 2 17.00 21.00 1 4096 duration\n",
     "not within threads x ops_min..ops_max");
BADR(trial_past_trials, HDRD COLSX "atomic 10 10 0 100 20.00 0.10 90 100 0 5 5 1 2 19.00 21.00 4 4096 duration\n",
     "trial 4 is not 1..3");
BADR(iterations_in_duration_mode, HDRD COLSX "atomic 10 10 0 100 20.00 0.10 90 100 0 5 5 1 2 19.00 21.00 1 4096 iterations\n",
     "ended_by iterations in duration mode");
BADR(duration_in_iterations_mode, HDR COLSX "atomic 10 10 0 100 10.00 0.10 90 100 0 10 10 1 2 10.00 10.00 1 4096 duration\n",
     "ended_by duration in iterations mode");
BADR(trials_zero, "run=1 threads=1 iterations=10 cpus=2 pin=1 trials=0\n" COLS,
     "trials=0 is not 1..100");

FIXTURE_SETUP(bad_results) {}
FIXTURE_TEARDOWN(bad_results) {}

TEST_F(bad_results, refused)
{
	struct cl_table t;
	char err[256] = "";

	EXPECT_EQ(-1, cl_table_parse(variant->text, &t, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, variant->says)) TH_LOG("said: %s", err);
}

static char *print_table(const struct cl_table *t, enum cl_format fmt)
{
	static char *buf;
	static size_t len;
	FILE *f;

	buf = NULL;
	f = open_memstream(&buf, &len);

	cl_table_print(f, t, fmt);
	fclose(f);
	return buf;
}

static const char one_row[] = "run=7 threads=2 iterations=5 cpus=2 pin=0\n" COLS
	"plain 10 7 3 1000 200.00 0.01 400 900 0\n";

TEST(json_output)
{
	struct cl_table t;
	char err[256], *out;

	ASSERT_EQ(0, cl_table_parse(one_row, &t, err, sizeof(err)));
	out = print_table(&t, CL_FMT_JSON);
	/* An older module's table: one trial, iterations mode. */
	EXPECT_STREQ("{\"space\": \"kernel\", \"run\": 7, \"threads\": 2, \"iterations\": 5, \"cpus\": 2, \"pin\": false, \"duration_ms\": 0, \"trials\": 1, \"rows\": [\n"
		     "  {\"kind\": \"plain\", \"expected\": 10, \"actual\": 7, \"lost\": 3, \"elapsed_ns\": 1000, \"ns_per_op\": 200.00, \"mops\": 0.01, \"thread_min_ns\": 400, \"thread_max_ns\": 900, \"retries\": 0, \"ops_min\": 5, \"ops_max\": 5, \"start_skew_ns\": 0, \"end_skew_ns\": 0, \"nspo_min\": 200.00, \"nspo_max\": 200.00, \"trial\": 1, \"chunk\": 0, \"ended_by\": \"iterations\"}\n"
		     "]}\n", out);
	free(out);
}

TEST(csv_output)
{
	struct cl_table t;
	char err[256], *out;

	ASSERT_EQ(0, cl_table_parse(one_row, &t, err, sizeof(err)));
	out = print_table(&t, CL_FMT_CSV);
	EXPECT_STREQ("space,run,threads,iterations,cpus,pin,kind,expected,actual,lost,elapsed_ns,ns_per_op,mops,thread_min_ns,thread_max_ns,retries,ops_min,ops_max,start_skew_ns,end_skew_ns,nspo_min,nspo_max,trial,chunk,ended_by,duration_ms,trials\n"
		     "kernel,7,2,5,2,0,plain,10,7,3,1000,200.00,0.01,400,900,0,5,5,0,0,200.00,200.00,1,0,iterations,0,1\n", out);
	free(out);
}

TEST(table_output_aligned)
{
	struct cl_table t;
	char err[256], *out, *l1, *l2, *l3;

	ASSERT_EQ(0, cl_table_parse(real, &t, err, sizeof(err)));
	out = print_table(&t, CL_FMT_TABLE);
	l1 = strndup(out, strcspn(out, "\n"));
	EXPECT_STREQ("space=kernel run=2 threads=2 iterations=1000000 cpus=2 pin=1 duration_ms=0 trials=1",
		     l1);
	free(l1);
	l2 = strchr(out, '\n') + 1;
	l3 = strchr(l2, '\n') + 1;
	/* Every line as long as the column names' line: aligned. */
	EXPECT_EQ(strchr(l2, '\n') - l2, strchr(l3, '\n') - l3);
	EXPECT_NE(NULL, strstr(out, "910525"));
	free(out);
}

TEST(compare_ratio)
{
	struct cl_table k, u;
	char err[256], *buf = NULL;
	size_t len = 0;
	FILE *f;

	ASSERT_EQ(0, cl_table_parse(one_row, &k, err, sizeof(err)));
	u = k;
	u.space = "user";
	u.rows[0].ns_per_op = 50.0;
	f = open_memstream(&buf, &len);
	cl_compare_print(f, &k, &u, CL_FMT_CSV);
	fclose(f);
	EXPECT_STREQ("kind,threads,iterations,kernel_ns_per_op,user_ns_per_op,ratio,kernel_mops,user_mops,kernel_lost,user_lost,kernel_nspo_min,kernel_nspo_max,user_nspo_min,user_nspo_max,duration_ms,trials\n"
		     "plain,2,5,200.00,50.00,4.000,0.01,0.01,3,3,200.00,200.00,200.00,200.00,0,1\n", buf);
	free(buf);
}

TEST(csv_read_back)
{
	struct cl_table k, u, t[4];
	char err[256] = "", *buf = NULL;
	size_t len = 0;
	FILE *f;
	int n;

	ASSERT_EQ(0, cl_table_parse(real, &k, err, sizeof(err)));
	u = k;
	u.space = "user";
	u.run = 0;
	u.cpus = 4;
	f = open_memstream(&buf, &len);
	cl_csv_header(f);
	cl_csv_rows(f, &k);
	cl_csv_rows(f, &u);
	fclose(f);
	ASSERT_EQ(0, cl_csv_parse(buf, t, 4, &n, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(2, n);
	EXPECT_STREQ("kernel", t[0].space);
	EXPECT_STREQ("user", t[1].space);
	EXPECT_EQ(4, t[1].cpus);
	ASSERT_EQ(4, t[0].nrows);
	EXPECT_EQ(0, memcmp(&k.rows, &t[0].rows, sizeof(k.rows[0]) * 4));
	EXPECT_EQ(-1, cl_csv_parse(buf, t, 1, &n, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "more than 1 runs"));
	free(buf);
}

FIXTURE(bad_csv) {
};

FIXTURE_VARIANT(bad_csv) {
	const char *text;
	const char *says;
};

#define CSVH "space,run,threads,iterations,cpus,pin,kind,expected,actual,lost,elapsed_ns,ns_per_op,mops,thread_min_ns,thread_max_ns,retries\n"

FIXTURE_VARIANT_ADD(bad_csv, not_ours) { "a,b\n1,2\n", "not a counterlab CSV header" };
FIXTURE_VARIANT_ADD(bad_csv, empty) { CSVH, "no rows" };
FIXTURE_VARIANT_ADD(bad_csv, short_line) { CSVH "user,0,1,5,2,1,plain,5,5,0\n", "line 2: 10 fields, want 16" };
FIXTURE_VARIANT_ADD(bad_csv, bad_space) { CSVH "moon,0,1,5,2,1,plain,5,5,0,9,1.80,0.56,9,9,0\n", "space 'moon'" };
FIXTURE_VARIANT_ADD(bad_csv, bad_threads) { CSVH "user,0,x,5,2,1,plain,5,5,0,9,1.80,0.56,9,9,0\n", "field 3 'x'" };
FIXTURE_VARIANT_ADD(bad_csv, bad_lost) { CSVH "user,0,1,5,2,1,plain,5,5,1,9,1.80,0.56,9,9,0\n", "lost 1 is not expected - actual" };

FIXTURE_SETUP(bad_csv) {}
FIXTURE_TEARDOWN(bad_csv) {}

TEST_F(bad_csv, refused)
{
	struct cl_table t[2];
	char err[256] = "";
	int n;

	EXPECT_EQ(-1, cl_csv_parse(variant->text, t, 2, &n, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, variant->says)) TH_LOG("said: %s", err);
}

/* The userspace mirror: every exact kind exact, plain never above. */
FIXTURE(mirror) {
	struct cl_table t;
};

FIXTURE_VARIANT(mirror) {
	const char *kind;
	unsigned int threads;
	int pin;
};

#define MIRROR(k, th, p) \
	FIXTURE_VARIANT_ADD(mirror, k##_##th##t_pin##p) { .kind = #k, .threads = th, .pin = p }

MIRROR(plain, 2, 1);
MIRROR(atomic, 2, 1);
MIRROR(spinlock, 2, 1);
MIRROR(atomic_ordered, 2, 1);
MIRROR(atomic_relaxed, 2, 1);
MIRROR(cmpxchg, 2, 1);
MIRROR(mutex, 2, 1);
MIRROR(percpu, 2, 1);
MIRROR(atomic64, 2, 1);
MIRROR(raw_spinlock, 2, 1);
MIRROR(empty, 2, 1);
MIRROR(atomic, 5, 0);
MIRROR(mutex, 5, 0);
MIRROR(percpu, 5, 0);
MIRROR(cmpxchg, 5, 0);

FIXTURE_SETUP(mirror)
{
	struct cl_opts o = {
		.threads = variant->threads,
		.iterations = 200000,
		.pin = variant->pin,
	};
	int k = cl_kind_index(variant->kind, strlen(variant->kind));

	ASSERT_LE(0, k);
	o.kinds = 1UL << k;
	ASSERT_EQ(CL_EXIT_OK, cl_user_run(&o, &self->t));
}

FIXTURE_TEARDOWN(mirror) {}

TEST_F(mirror, counts)
{
	const struct cl_row *r = &self->t.rows[0];
	int k = cl_kind_index(variant->kind, strlen(variant->kind));

	ASSERT_EQ(1, self->t.nrows);
	EXPECT_STREQ(variant->kind, r->kind);
	EXPECT_EQ((uint64_t)variant->threads * 200000, r->expected);
	if (cl_kind_info[k].exact)
		EXPECT_EQ((int64_t)r->expected, r->actual);
	EXPECT_LE(r->actual, (int64_t)r->expected);
	EXPECT_GT(r->actual, 0);
	EXPECT_EQ(r->lost, (int64_t)r->expected - r->actual);
	EXPECT_LE(r->thread_min_ns, r->thread_max_ns);
	EXPECT_GE(r->elapsed_ns, r->thread_max_ns);
	if (strcmp(variant->kind, "cmpxchg"))
		EXPECT_EQ(0, r->retries);
	EXPECT_STREQ("user", self->t.space);
}

TEST(mirror_runs_kinds_in_module_order)
{
	struct cl_opts o = { .threads = 1, .iterations = 1000, .pin = 1 };
	struct cl_table t;
	int i;

	o.kinds = cl_kinds_all();
	ASSERT_EQ(CL_EXIT_OK, cl_user_run(&o, &t));
	ASSERT_EQ(cl_nr_kinds - 1, t.nrows);	/* every kind but empty */
	for (i = 0; i < t.nrows; i++)
		EXPECT_STREQ(cl_kind_info[i].name, t.rows[i].kind);
}

/* A stand-in for the module's directory: regular files. */
FIXTURE(fake_debugfs) {
	char dir[64];
	char lockdown[96];
};

static void put(const char *dir, const char *file, const char *v)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	fputs(v, f);
	fclose(f);
}

static char *get(const char *dir, const char *file)
{
	static char buf[128];
	char path[128];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	if (!f)
		return "";
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

FIXTURE_SETUP(fake_debugfs)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/cl_fake.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	put(self->dir, "threads", "2\n");
	put(self->dir, "iterations", "5\n");
	put(self->dir, "kinds", "plain atomic\n");
	put(self->dir, "pin", "1\n");
	put(self->dir, "status", "done run=3\n");
	put(self->dir, "results", one_row);
	put(self->dir, "lockdown", "[none] integrity confidentiality\n");
	snprintf(self->lockdown, sizeof(self->lockdown), "%s/lockdown",
		 self->dir);
	setenv("COUNTERLAB_DEBUGFS", self->dir, 1);
	setenv("COUNTERLAB_LOCKDOWN", self->lockdown, 1);
}

FIXTURE_TEARDOWN(fake_debugfs)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
	unsetenv("COUNTERLAB_DEBUGFS");
	unsetenv("COUNTERLAB_LOCKDOWN");
	unsetenv("COUNTERLAB_FAIL_WRITE");
}

TEST_F(fake_debugfs, reads_config_and_results)
{
	struct cl_opts o;
	struct cl_table t;

	ASSERT_EQ(CL_EXIT_OK, cl_kernel_ready(true));
	ASSERT_EQ(0, cl_kernel_config(&o));
	EXPECT_EQ(2, o.threads);
	EXPECT_EQ(5, o.iterations);
	EXPECT_EQ(3, o.kinds);
	EXPECT_EQ(1, o.pin);
	ASSERT_EQ(CL_EXIT_OK, cl_kernel_results(&t, NULL));
	EXPECT_EQ(7, t.run);
}

/* The results must be of the configuration we ran, else say so. */
TEST_F(fake_debugfs, results_of_another_run)
{
	struct cl_opts mine = { .threads = 2, .iterations = 5, .pin = 0,
				.kinds = 1, .duration_ms = 0, .trials = 1 };
	struct cl_table t;

	ASSERT_EQ(CL_EXIT_OK, cl_kernel_ready(true));
	EXPECT_EQ(CL_EXIT_OK, cl_kernel_results(&t, &mine));
	mine.iterations = 6;
	EXPECT_EQ(CL_EXIT_FAIL, cl_kernel_results(&t, &mine));
	mine.iterations = 5;
	mine.kinds = 3;
	EXPECT_EQ(CL_EXIT_FAIL, cl_kernel_results(&t, &mine));
	/* Another method is another run too. */
	mine.kinds = 1;
	mine.trials = 3;
	EXPECT_EQ(CL_EXIT_FAIL, cl_kernel_results(&t, &mine));
	mine.trials = 1;
	mine.duration_ms = 100;
	EXPECT_EQ(CL_EXIT_FAIL, cl_kernel_results(&t, &mine));
}

/* Lockdown refuses writable debugfs files: say so, exit 3. */
TEST_F(fake_debugfs, lockdown_is_an_environment_error)
{
	put(self->dir, "lockdown", "none [integrity] confidentiality\n");
	EXPECT_EQ(CL_EXIT_ENV, cl_kernel_ready(true));
	EXPECT_EQ(CL_EXIT_OK, cl_kernel_ready(false));
}

TEST_F(fake_debugfs, configure_writes_given_values)
{
	struct cl_opts o = { .threads = 4, .pin = -1 }, applied;

	/* Only what changes is written: iterations may not be touched. */
	put(self->dir, "iterations", "5\n");
	ASSERT_EQ(CL_EXIT_OK, cl_kernel_ready(true));
	setenv("COUNTERLAB_FAIL_WRITE", "iterations", 1);
	ASSERT_EQ(CL_EXIT_OK, cl_kernel_configure(&o, &applied));
	EXPECT_STREQ("4\n", get(self->dir, "threads"));
	EXPECT_STREQ("5\n", get(self->dir, "iterations"));
	EXPECT_STREQ("1\n", get(self->dir, "pin"));
	EXPECT_EQ(4, applied.threads);
	EXPECT_EQ(5, applied.iterations);
	EXPECT_EQ(3, applied.kinds);
}

/*
 * The module refuses pin (fault injection): what was written before it,
 * threads and iterations, is put back.
 */
TEST_F(fake_debugfs, rejected_value_changes_nothing)
{
	struct cl_opts o = { .threads = 8, .iterations = 7, .pin = 0 };

	ASSERT_EQ(CL_EXIT_OK, cl_kernel_ready(true));
	setenv("COUNTERLAB_FAIL_WRITE", "pin", 1);
	EXPECT_EQ(CL_EXIT_FAIL, cl_kernel_configure(&o, NULL));
	EXPECT_STREQ("2\n", get(self->dir, "threads"));
	EXPECT_STREQ("5\n", get(self->dir, "iterations"));
	EXPECT_STREQ("plain atomic\n", get(self->dir, "kinds"));
	EXPECT_STREQ("1\n", get(self->dir, "pin"));
}

/* Apply @names in order from @from to @to: every step must be legal. */
static int plan_legal(struct cl_opts from, const struct cl_opts *to,
		      const char **names, int n)
{
	char err[256];
	int i;

	for (i = 0; i < n; i++) {
		if (!strcmp(names[i], "threads"))
			from.threads = to->threads;
		else if (!strcmp(names[i], "iterations"))
			from.iterations = to->iterations;
		else if (!strcmp(names[i], "kinds"))
			from.kinds = to->kinds;
		else if (!strcmp(names[i], "duration_ms"))
			from.duration_ms = to->duration_ms;
		else if (!strcmp(names[i], "trials"))
			from.trials = to->trials;
		else
			from.pin = to->pin;
		if (cl_check_total(from.threads, from.iterations, from.kinds,
				   err, sizeof(err)))
			return 0;
	}
	return from.threads == to->threads &&
	       from.iterations == to->iterations &&
	       from.kinds == to->kinds && from.pin == to->pin &&
	       from.duration_ms == to->duration_ms && from.trials == to->trials;
}

/* Only what changes is written, in an order legal at every step. */
TEST(config_plan)
{
	struct cl_opts from = { .threads = 2, .iterations = 300000000,
				.kinds = 3, .pin = 1 };
	struct cl_opts to = from;
	const char *names[6];
	int n;

	EXPECT_EQ(0, cl_config_plan(&from, &to, names));
	/* duration_ms and trials are free: written after the bound four. */
	to.duration_ms = 100;
	to.trials = 3;
	to.threads = 8;
	to.iterations = 1;
	ASSERT_EQ(4, cl_config_plan(&from, &to, names));
	EXPECT_STREQ("iterations", names[0]);
	EXPECT_STREQ("duration_ms", names[2]);
	EXPECT_STREQ("trials", names[3]);
	EXPECT_TRUE(plan_legal(from, &to, names, 4));
	to = from;
	/* 8 x 300000000 passes INT_MAX: iterations must go down first. */
	to.threads = 8;
	to.iterations = 1;
	ASSERT_EQ(2, cl_config_plan(&from, &to, names));
	EXPECT_STREQ("iterations", names[0]);
	EXPECT_TRUE(plan_legal(from, &to, names, 2));
	/* 64-bit only with 3e9 in all <-> a 32-bit kind, both ways. */
	from = (struct cl_opts){ .threads = 1, .iterations = 3000000000U,
				 .kinds = 1UL << 8, .pin = 1 };
	to = (struct cl_opts){ .threads = 2, .iterations = 1000000000,
			       .kinds = 1UL << 1, .pin = 0 };
	n = cl_config_plan(&from, &to, names);
	ASSERT_EQ(4, n);
	EXPECT_TRUE(plan_legal(from, &to, names, n));
	n = cl_config_plan(&to, &from, names);
	ASSERT_EQ(4, n);
	EXPECT_TRUE(plan_legal(to, &from, names, n));
	/* The naive order (threads, iterations, kinds) is not legal. */
	names[0] = "threads";
	names[1] = "iterations";
	names[2] = "kinds";
	EXPECT_FALSE(plan_legal(to, &from, names, 3));
}

TEST_F(fake_debugfs, bad_text_is_an_error)
{
	struct cl_opts o;

	ASSERT_EQ(CL_EXIT_OK, cl_kernel_ready(true));
	put(self->dir, "threads", "many\n");
	EXPECT_EQ(-EPROTO, cl_kernel_config(&o));
	put(self->dir, "threads", "2\n");
	put(self->dir, "results", "garbage\n");
	EXPECT_EQ(CL_EXIT_FAIL, cl_kernel_results(&(struct cl_table){ 0 }, NULL));
}

/* Duration mode's table: expected is what the threads did. */
TEST(parse_duration_results)
{
	static const char text[] = HDRD COLSX
		"atomic 12 12 0 100 16.67 0.12 90 100 0 5 7 3 4 15.00 18.00 2 4096 duration\n"
		"mutex 8 8 0 100 25.00 0.08 90 100 0 4 4 3 4 25.00 25.00 3 32 int_max\n";
	struct cl_table t;
	char err[256] = "";
	const struct cl_row *r;

	ASSERT_EQ(0, cl_table_parse(text, &t, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(100, t.duration_ms);
	EXPECT_EQ(3, t.trials);
	r = cl_table_row(&t, "atomic");
	ASSERT_NE(NULL, r);
	EXPECT_EQ(12, r->expected);
	EXPECT_EQ(5, r->ops_min);
	EXPECT_EQ(7, r->ops_max);
	EXPECT_EQ(3, r->start_skew_ns);
	EXPECT_EQ(4, r->end_skew_ns);
	EXPECT_EQ(1500, (int)(r->nspo_min * 100 + 0.5));
	EXPECT_EQ(1800, (int)(r->nspo_max * 100 + 0.5));
	EXPECT_EQ(2, r->trial);
	EXPECT_EQ(4096, r->chunk);
	EXPECT_STREQ("duration", r->ended_by);
	EXPECT_STREQ("int_max", cl_table_row(&t, "mutex")->ended_by);
}

/* An older CSV (sixteen fields) still reads, as one trial of iterations. */
TEST(csv_read_old)
{
	static const char old[] =
		"space,run,threads,iterations,cpus,pin,kind,expected,actual,lost,elapsed_ns,ns_per_op,mops,thread_min_ns,thread_max_ns,retries\n"
		"kernel,7,2,5,2,0,plain,10,7,3,1000,200.00,0.01,400,900,0\n";
	struct cl_table t[1];
	char err[256] = "";
	int n;

	ASSERT_EQ(0, cl_csv_parse(old, t, 1, &n, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(1, n);
	EXPECT_EQ(1, t[0].trials);
	EXPECT_EQ(0, t[0].duration_ms);
	EXPECT_EQ(5, t[0].rows[0].ops_max);
	EXPECT_STREQ("iterations", t[0].rows[0].ended_by);
}

/* The median of runs: each kind's middle run, the spread of them all. */
TEST(median_of_runs)
{
	struct cl_table runs[4], m;
	char err[256];
	static const double nspo[4] = { 30.0, 10.0, 40.0, 20.0 };
	int i;

	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, cl_table_parse(one_row, &runs[i], err, sizeof(err)));
		runs[i].run = 10 + i;
		runs[i].rows[0].ns_per_op = nspo[i];
		runs[i].rows[0].nspo_min = nspo[i] - 1;
		runs[i].rows[0].nspo_max = nspo[i] + 1;
		runs[i].rows[0].elapsed_ns = 1000 + i;
	}
	cl_median_table(runs, 3, &m);
	EXPECT_EQ(0, m.run);
	EXPECT_EQ(1000, m.rows[0].elapsed_ns);	/* 30 is the middle of 30 10 40 */
	EXPECT_EQ(900, (int)(m.rows[0].nspo_min * 100 + 0.5));
	EXPECT_EQ(4100, (int)(m.rows[0].nspo_max * 100 + 0.5));
	cl_median_table(runs, 4, &m);
	EXPECT_EQ(1003, m.rows[0].elapsed_ns);	/* the lower middle: 20 */
	cl_median_table(runs, 1, &m);
	EXPECT_EQ(10, m.run);
	EXPECT_EQ(1000, m.rows[0].elapsed_ns);
}

/* The mirror in duration mode: exact, counted, aligned, ended by time. */
FIXTURE(mirror_duration) {
	struct cl_table t;
};

FIXTURE_VARIANT(mirror_duration) {
	const char *kind;
	unsigned int threads;
};

#define MIRROR_D(k, th) \
	FIXTURE_VARIANT_ADD(mirror_duration, k##_##th##t) { .kind = #k, .threads = th }

MIRROR_D(atomic, 1);
MIRROR_D(atomic, 2);
MIRROR_D(spinlock, 2);
MIRROR_D(atomic_ordered, 2);
MIRROR_D(atomic_relaxed, 2);
MIRROR_D(cmpxchg, 2);
MIRROR_D(mutex, 2);
MIRROR_D(percpu, 2);
MIRROR_D(atomic64, 2);
MIRROR_D(raw_spinlock, 2);
MIRROR_D(mutex, 5);
MIRROR_D(atomic, 5);

FIXTURE_SETUP(mirror_duration)
{
	struct cl_opts o = {
		.threads = variant->threads,
		.iterations = 1,
		.pin = 1,
		.duration_ms = 100,
		.trials = 3,
	};
	int k = cl_kind_index(variant->kind, strlen(variant->kind));

	ASSERT_LE(0, k);
	o.kinds = 1UL << k;
	ASSERT_EQ(CL_EXIT_OK, cl_user_run(&o, &self->t));
}

FIXTURE_TEARDOWN(mirror_duration) {}

TEST_F(mirror_duration, counts)
{
	const struct cl_row *r = &self->t.rows[0];

	ASSERT_EQ(1, self->t.nrows);
	EXPECT_EQ(100, self->t.duration_ms);
	EXPECT_EQ(3, self->t.trials);
	EXPECT_STREQ("duration", r->ended_by);
	EXPECT_EQ((int64_t)r->expected, r->actual);
	EXPECT_LE(r->ops_min, r->ops_max);
	EXPECT_LE(variant->threads * r->ops_min, r->expected);
	EXPECT_GE(variant->threads * r->ops_max, r->expected);
	EXPECT_LE(100000000ULL, r->elapsed_ns);
	EXPECT_GE(r->elapsed_ns, r->thread_max_ns);
	EXPECT_LE(r->nspo_min, r->ns_per_op);
	EXPECT_LE(r->ns_per_op, r->nspo_max);
	EXPECT_LE(1, r->trial);
	EXPECT_GE(3, r->trial);
	EXPECT_LE(r->start_skew_ns, r->elapsed_ns);
	EXPECT_LE(r->end_skew_ns, r->elapsed_ns);
	TH_LOG("%s x%u: %llu ops (%llu..%llu), start skew %llu ns, end skew %llu ns",
	       r->kind, variant->threads, (unsigned long long)r->expected,
	       (unsigned long long)r->ops_min, (unsigned long long)r->ops_max,
	       (unsigned long long)r->start_skew_ns,
	       (unsigned long long)r->end_skew_ns);
}

/* Duration mode stops a 32-bit counter at its share of the limit. */
TEST(mirror_duration_int_max)
{
	struct cl_opts o = { .threads = 2, .iterations = 1, .pin = 1,
			     .duration_ms = 60000, .trials = 1 };
	struct cl_table t;
	int k;

	setenv("COUNTERLAB_TOTAL_MAX", "100000", 1);
	o.kinds = 1UL << cl_kind_index("atomic", 6);
	ASSERT_EQ(CL_EXIT_OK, cl_user_run(&o, &t));
	EXPECT_STREQ("int_max", t.rows[0].ended_by);
	EXPECT_EQ(50000, t.rows[0].ops_max);
	EXPECT_GE(100000, t.rows[0].expected);
	EXPECT_EQ((int64_t)t.rows[0].expected, t.rows[0].actual);
	EXPECT_GT(60000000000ULL, t.rows[0].elapsed_ns);
	/* atomic64 is not limited: it counts until the stop. */
	k = cl_kind_index("atomic64", 8);
	o.kinds = 1UL << k;
	o.duration_ms = 50;
	ASSERT_EQ(CL_EXIT_OK, cl_user_run(&o, &t));
	EXPECT_STREQ("duration", t.rows[0].ended_by);
	unsetenv("COUNTERLAB_TOTAL_MAX");
}

TEST_F(fake_debugfs, configure_writes_duration_and_trials)
{
	struct cl_opts o = { .pin = -1, .duration_ms = 250, .trials = 7 }, applied;

	/* Regular files: a write leaves what it did not overwrite. */
	put(self->dir, "duration_ms", "0");
	put(self->dir, "trials", "1");
	ASSERT_EQ(CL_EXIT_OK, cl_kernel_ready(true));
	ASSERT_EQ(CL_EXIT_OK, cl_kernel_configure(&o, &applied));
	EXPECT_STREQ("250", get(self->dir, "duration_ms"));
	EXPECT_STREQ("7", get(self->dir, "trials"));
	EXPECT_STREQ("2\n", get(self->dir, "threads"));
	EXPECT_EQ(250, applied.duration_ms);
	EXPECT_EQ(7, applied.trials);
	/* Not given: kept. */
	o = (struct cl_opts){ .pin = -1, .duration_ms = -1 };
	setenv("COUNTERLAB_FAIL_WRITE", "duration_ms", 1);
	ASSERT_EQ(CL_EXIT_OK, cl_kernel_configure(&o, &applied));
	EXPECT_EQ(250, applied.duration_ms);
}

/* A module older than duration mode: read as iterations, one trial. */
TEST_F(fake_debugfs, older_module_has_no_duration)
{
	struct cl_opts o;

	ASSERT_EQ(CL_EXIT_OK, cl_kernel_ready(true));
	ASSERT_EQ(0, cl_kernel_config(&o));
	EXPECT_EQ(0, o.duration_ms);
	EXPECT_EQ(1, o.trials);
}

TEST(module_not_loaded)
{
	setenv("COUNTERLAB_DEBUGFS", "/nonexistent/counterlab", 1);
	EXPECT_EQ(CL_EXIT_ENV, cl_kernel_ready(true));
	EXPECT_EQ(CL_EXIT_ENV, cl_kernel_ready(false));
	unsetenv("COUNTERLAB_DEBUGFS");
}

/* A real counterlab/litmus/results: Debian's 6.1, 2 vCPUs, QEMU TCG. */
static const char real_litmus[] =
	"litmus run=1 trials=100000 cpus=2 kernel=6.1.0-57-amd64 preempt=voluntary\n"
	"\n"
	"Test SB+fencembonceonces\n"
	"Histogram (3 states)\n"
	"50086      :>0:r0=1; 1:r0=0;\n"
	"49895      :>0:r0=0; 1:r0=1;\n"
	"19         :>0:r0=1; 1:r0=1;\n"
	"Condition exists (0:r0=0 /\\ 1:r0=0)\n"
	"Model Never\n"
	"Observation SB+fencembonceonces Never 0 100000\n"
	"Time SB+fencembonceonces 0.08\n"
	"ok\n"
	"\n"
	"Test SB+poreleaseacquires\n"
	"Histogram (4 states)\n"
	"39         *>0:r0=0; 1:r0=0;\n"
	"49934      :>0:r0=1; 1:r0=0;\n"
	"50014      :>0:r0=0; 1:r0=1;\n"
	"13         :>0:r0=1; 1:r0=1;\n"
	"Condition exists (0:r0=0 /\\ 1:r0=0)\n"
	"Model Sometimes\n"
	"Observation SB+poreleaseacquires Sometimes 39 99961\n"
	"Time SB+poreleaseacquires 0.06\n"
	"ok\n"
	"\n";

TEST(litmus_parse_real_results)
{
	struct cl_lit_result r[4];
	char err[256];
	int n;

	ASSERT_EQ(0, cl_lit_parse_results(real_litmus, r, 4, &n, err, sizeof(err))) {
		TH_LOG("%s", err);
	}
	ASSERT_EQ(2, n);
	EXPECT_STREQ("kernel", r[0].space);
	EXPECT_STREQ("SB+fencembonceonces", r[0].name);
	EXPECT_STREQ("Never", r[0].model);
	EXPECT_STREQ("Never", r[0].seen);
	EXPECT_EQ(0, r[0].positive);
	EXPECT_EQ(100000, r[0].negative);
	EXPECT_EQ(3, r[0].nstates);
	EXPECT_FALSE(r[0].forbidden);
	EXPECT_STREQ("0:r0=0 /\\ 1:r0=0", r[0].exists);
	EXPECT_STREQ("SB+poreleaseacquires", r[1].name);
	EXPECT_EQ(39, r[1].positive);
	EXPECT_EQ(4, r[1].nstates);
	EXPECT_TRUE(r[1].holds[0]);
	EXPECT_STREQ("0:r0=0; 1:r0=0;", r[1].state[0]);
	EXPECT_EQ(39, r[1].count[0]);
	EXPECT_FALSE(r[1].holds[1]);
	EXPECT_GT(0.07, r[1].seconds);
}

TEST(litmus_forbidden_is_read)
{
	static const char text[] =
		"litmus run=2 trials=10 cpus=2 kernel=x preempt=none\n\n"
		"Test SB+fencembonceonces-busted\nHistogram (2 states)\n"
		"1          *>0:r0=0; 1:r0=0;\n9          :>0:r0=1; 1:r0=0;\n"
		"Condition exists (0:r0=0 /\\ 1:r0=0)\nModel Never\n"
		"Observation SB+fencembonceonces-busted Sometimes 1 9\n"
		"Time SB+fencembonceonces-busted 0.00\nFORBIDDEN OUTCOME SEEN\n\n";
	struct cl_lit_result r[1];
	char err[256];
	int n;

	ASSERT_EQ(0, cl_lit_parse_results(text, r, 1, &n, err, sizeof(err)));
	ASSERT_EQ(1, n);
	EXPECT_TRUE(r[0].forbidden);
	EXPECT_STREQ("Sometimes", r[0].seen);
}

FIXTURE(bad_litmus) {};
FIXTURE_VARIANT(bad_litmus) {
	const char *text;
	const char *err;
};
FIXTURE_VARIANT_ADD(bad_litmus, no_header) {
	"Test SB+x\nModel Never\n\n", "no \"litmus run=\" header" };
FIXTURE_VARIANT_ADD(bad_litmus, cut_short) {
	"litmus run=1 trials=1 cpus=2 kernel=x preempt=none\n\nTest SB+x\nModel Never\n",
	"a block cut short" };
FIXTURE_VARIANT_ADD(bad_litmus, no_observation) {
	"litmus run=1 trials=1 cpus=2 kernel=x preempt=none\n\nTest SB+x\n"
	"Condition exists (0:r0=0)\nModel Never\nok\n\n",
	"SB+x: no Model, Observation or Condition line" };
FIXTURE_VARIANT_ADD(bad_litmus, state_without_gt) {
	"litmus run=1 trials=1 cpus=2 kernel=x preempt=none\n\nTest SB+x\n"
	"Histogram (1 states)\n7 *\nCondition exists\nModel Never\nok\n\n",
	"SB+x: no Model, Observation or Condition line" };
FIXTURE_VARIANT_ADD(bad_litmus, condition_unclosed) {
	"litmus run=1 trials=1 cpus=2 kernel=x preempt=none\n\nTest SB+x\n"
	"Condition exists (0:r0=0\nModel Never\nok\n\n",
	"SB+x: a bad Condition line" };
FIXTURE_SETUP(bad_litmus) {}
FIXTURE_TEARDOWN(bad_litmus) {}

TEST_F(bad_litmus, refused)
{
	struct cl_lit_result r[2];
	char err[256] = "";
	int n;

	EXPECT_NE(0, cl_lit_parse_results(variant->text, r, 2, &n, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, variant->err)) {
		TH_LOG("error: %s", err);
	}
}

/*
 * The userspace mirror on this host: a test C11 says Never shows its
 * outcome 0 times (the hardware must obey), and every run is whole.
 */
TEST(litmus_user_never_tests_never)
{
	struct cl_lit_result r;
	int i, ret;

	for (i = 0; i < cl_lit_ntests; i++) {
		if (cl_lit_tests[i]->model != CL_LIT_NEVER)
			continue;
		ret = cl_lit_user_run(i, 100000, &r);
		if (ret == -ENODEV)
			SKIP(return, "fewer than two CPUs");
		ASSERT_EQ(0, ret);
		EXPECT_EQ(100000, r.positive + r.negative);
		EXPECT_EQ(0, r.positive) {
			TH_LOG("%s: forbidden by C11, seen %llu times", r.name,
			       (unsigned long long)r.positive);
		}
		EXPECT_FALSE(r.forbidden);
	}
}

/* SB with relaxed accesses shows 0 and 0 on x86 (or: skip with the count). */
TEST(litmus_user_sb_relaxed_shows)
{
	struct cl_lit_result r;
	int i = cl_lit_user_find("SB+relaxed", 10);
	int ret;

	ASSERT_LE(0, i);
	ret = cl_lit_user_run(i, 1000000, &r);
	if (ret == -ENODEV)
		SKIP(return, "fewer than two CPUs");
	ASSERT_EQ(0, ret);
	EXPECT_STREQ("Sometimes", r.model);
	EXPECT_FALSE(r.forbidden);
	if (!r.positive)
		SKIP(return, "0/0 did not show in %llu trials",
		     (unsigned long long)r.negative);
	EXPECT_STREQ("Sometimes", r.seen);
}

TEST_HARNESS_MAIN
