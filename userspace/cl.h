/* SPDX-License-Identifier: GPL-2.0 */
/*
 * counterlab CLI: shared declarations.
 *
 *   main.c    - the commands: run, status, results, user, compare, sweep
 *   options.c - option parsing and validation (nothing touches the kernel
 *               before the options are known to be good)
 *   table.c   - the results table: parse the kernel's text, print it as
 *               an aligned table, JSON or CSV
 *   kernel.c  - the debugfs interface of the module
 *   mirror.c  - the same kinds in userspace, C11 atomics and pthreads
 *   sweep.c   - thread-count sweeps, CSV and the gnuplot plot (also of a
 *               saved CSV: the plot command)
 *   litmus*.c - the litmus command, both spaces (litmus.h)
 */
#ifndef CL_H
#define CL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Limits shared with the module (module/counterlab.h). */
#define CL_THREADS_MAX		1024
#define CL_TOTAL_MAX		2147483647ULL	/* INT_MAX: 32-bit counters */
#define CL_ITERATIONS_DEFAULT	1000000
#define CL_DURATION_MAX_MS	60000	/* duration_ms: 0 or up to a minute */
#define CL_TRIALS_MAX		100	/* trials per kind */
#define CL_REPEAT_MAX		100	/* --repeat: runs */
#define CL_MAX_ROWS		16
#define CL_KIND_LEN		32
#define CL_SWEEP_MAX		64

/* Exit codes (documented in --help and README). */
enum cl_exit {
	CL_EXIT_OK = 0,
	CL_EXIT_FAIL = 1,	/* the kernel rejected a value, a run failed */
	CL_EXIT_USAGE = 2,	/* bad command line; nothing was touched */
	CL_EXIT_ENV = 3,	/* not root, no debugfs, module not loaded */
	CL_EXIT_BUSY = 4,	/* a run is already in progress */
	CL_EXIT_NOPLOT = 5,	/* sweep: CSV written, but no gnuplot */
	CL_EXIT_INTR = 130,	/* Ctrl-C: the run was aborted cleanly */
};

enum cl_format { CL_FMT_TABLE, CL_FMT_JSON, CL_FMT_CSV };
enum cl_space { CL_SPACE_KERNEL = 1, CL_SPACE_USER = 2, CL_SPACE_BOTH = 3 };

/* Kind flags, as in the module. */
#define CL_WIDE		0x1	/* 64-bit counter: no INT_MAX limit */
#define CL_BY_NAME	0x2	/* not part of "all" */

/**
 * struct cl_kind_info - a kind both spaces know, in the module's order
 * @name: its name in the kinds file and the results
 * @flags: CL_WIDE, CL_BY_NAME
 * @exact: no update may be lost
 */
struct cl_kind_info {
	const char *name;
	unsigned int flags;
	bool exact;
};

extern const struct cl_kind_info cl_kind_info[];
extern const int cl_nr_kinds;

/**
 * struct cl_opts - a command's options, validated
 * @threads: threads per kind, 0 when not given
 * @iterations: increments per thread, 0 when not given
 * @kinds: bitmask over cl_kind_info[], 0 when not given
 * @pin: 1 pin, 0 --no-pin, -1 not given
 * @duration_ms: duration mode's window, 0 iterations mode, -1 not given
 * @trials: trials per kind, 0 when not given
 * @repeat: runs of run or compare, 0 when not given (one run)
 * @format: output format
 * @space: sweep: which spaces
 * @sweep: sweep: the thread counts, @nsweep of them (0: default)
 * @nsweep: see @sweep
 * @out: sweep: CSV file, NULL for stdout
 * @plot: sweep: SVG file, NULL for none
 */
struct cl_opts {
	unsigned int threads;
	unsigned int iterations;
	unsigned long kinds;
	int pin;
	long duration_ms;
	unsigned int trials;
	unsigned int repeat;
	enum cl_format format;
	enum cl_space space;
	unsigned int sweep[CL_SWEEP_MAX];
	int nsweep;
	const char *out;
	const char *plot;
};

/**
 * struct cl_row - one kind's line of a results table
 *
 * The module's columns; ns_per_op is elapsed x threads / expected
 * (perfbook's convention), mops is expected / elapsed in microseconds.
 * Then the measurement columns: each thread's fewest and most increments,
 * the spread of the window starts and ends, the spread of ns_per_op over
 * the trials, which trial this is (the median one in a results row), the
 * chunk between two looks at the stop flag, and what ended the windows
 * ("iterations", "duration" or "int_max").
 */
struct cl_row {
	char kind[CL_KIND_LEN];
	uint64_t expected;
	int64_t actual;
	int64_t lost;
	uint64_t elapsed_ns;
	double ns_per_op;
	double mops;
	uint64_t thread_min_ns;
	uint64_t thread_max_ns;
	uint64_t retries;
	uint64_t ops_min;
	uint64_t ops_max;
	uint64_t start_skew_ns;
	uint64_t end_skew_ns;
	double nspo_min;
	double nspo_max;
	uint64_t trial;
	uint64_t chunk;
	char ended_by[CL_KIND_LEN];
};

/**
 * struct cl_table - one run's results
 * @space: "kernel" or "user"
 * @run: the run number (kernel), 0 for userspace
 * @threads, @iterations, @cpus, @pin: the run's configuration
 * @duration_ms, @trials: and its method (0 and 1: iterations, one trial)
 * @nrows: rows used in @rows
 * @rows: one per kind, in the module's order
 */
struct cl_table {
	const char *space;
	unsigned int run;
	unsigned int threads;
	unsigned int iterations;
	unsigned int cpus;
	int pin;
	unsigned int duration_ms;
	unsigned int trials;
	int nrows;
	struct cl_row rows[CL_MAX_ROWS];
};

/* options.c */
int cl_fail(char *err, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int cl_kind_index(const char *name, size_t len);
int cl_parse_kinds(const char *s, unsigned long *mask, char *err, size_t n);
int cl_parse_uint(const char *s, unsigned int min, unsigned int max,
		  unsigned int *v);
int cl_parse_opts(int argc, char **argv, const char *cmd, unsigned int allow,
		  struct cl_opts *o, char *err, size_t n);
int cl_parse_format(const char *s, enum cl_format *f);
int cl_parse_space(const char *s, enum cl_space *sp);
int cl_check_total(unsigned int threads, unsigned int iterations,
		   unsigned long kinds, char *err, size_t n);
void cl_kinds_string(unsigned long kinds, char *buf, size_t n);
unsigned long cl_kinds_all(void);

/* Which options a command takes (cl_parse_opts' allow). */
#define CL_OPT_RUN	0x1	/* -t -n -k --no-pin */
#define CL_OPT_FORMAT	0x2	/* --format */
#define CL_OPT_SWEEP	0x4	/* --threads --space -o --plot */
#define CL_OPT_REPEAT	0x8	/* --repeat */

/* table.c */
int cl_table_parse(const char *text, struct cl_table *t, char *err,
		   size_t n);
void cl_table_print(FILE *f, const struct cl_table *t, enum cl_format fmt);
void cl_csv_header(FILE *f);
void cl_csv_rows(FILE *f, const struct cl_table *t);
void cl_compare_print(FILE *f, const struct cl_table *k,
		      const struct cl_table *u, enum cl_format fmt);
void cl_median_table(const struct cl_table *runs, int n, struct cl_table *m);
int cl_csv_parse(const char *text, struct cl_table *t, int max, int *n,
		 char *err, size_t len);
const struct cl_row *cl_table_row(const struct cl_table *t, const char *kind);

/* kernel.c */
extern const char *cl_debugfs;
extern atomic_int cl_interrupted;
int cl_kernel_ready(bool controls);
int cl_kernel_configure(const struct cl_opts *o, struct cl_opts *applied);
int cl_kernel_config(struct cl_opts *o);
int cl_config_plan(const struct cl_opts *from, const struct cl_opts *to,
		   const char **names);
int cl_kernel_wait_idle(void);
int cl_kernel_run(void);
int cl_kernel_run_file(const char *file);
int cl_kernel_write(const char *file, const char *value);
int cl_kernel_read(const char *file, char *buf, size_t size);
int cl_kernel_results(struct cl_table *t, const struct cl_opts *want);
void cl_install_sigint(void);

/* mirror.c */
int cl_user_run(const struct cl_opts *o, struct cl_table *t);
unsigned int cl_online_cpus(void);

/* litmus_cmd.c */
int cl_cmd_litmus(int argc, char **argv);

/* sweep.c */
int cl_sweep(const struct cl_opts *o);
int cl_plot_csv(const char *csv, const char *svg);

#endif /* CL_H */
