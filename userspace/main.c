// SPDX-License-Identifier: GPL-2.0
/*
 * counterlab: run the module's experiments, the same ones in userspace,
 * compare them and sweep thread counts. See usage() or README.md.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "cl.h"

static const char exits[] =
	"exit status: 0 done; 1 the kernel rejected a value or a run failed;\n"
	"2 bad command line (nothing was changed); 3 not root, debugfs not\n"
	"mounted, the module not loaded or the kernel locked down; 4 a run is\n"
	"already in progress; 5 (sweep) CSV written but no gnuplot to draw the\n"
	"plot; 130 Ctrl-C or another signal (the run was aborted and its\n"
	"threads stopped).\n";

static const char run_opts[] =
	"  -t, --threads N      threads per kind, 1..1024\n"
	"  -n, --iterations N   increments per thread, >= 1\n"
	"  -k, --kinds LIST     kinds, comma or space separated, or all:\n"
	"                       plain atomic spinlock atomic_ordered atomic_relaxed\n"
	"                       cmpxchg mutex percpu atomic64 raw_spinlock\n"
	"                       (and empty)\n"
	"  --no-pin, --pin      let the scheduler place the threads, or pin\n"
	"                       thread i to the i-th CPU (default)\n"
	"  -d, --duration MS    duration mode: every thread counts for MS\n"
	"                       milliseconds (1..60000), all windows aligned;\n"
	"                       0: iterations mode (-n each)\n"
	"  --trials N           run each kind N times back to back (1..100):\n"
	"                       the row is the median trial, nspo_min/nspo_max\n"
	"                       the spread\n"
	"  --repeat N           (run, user, compare) N separate runs (1..100),\n"
	"                       each printed, then the median run per kind\n"
	"  -f, --format FMT     table (default), json or csv\n";

static void usage(FILE *f)
{
	fprintf(f,
		"usage: counterlab COMMAND [options]     (COMMAND --help for its options)\n"
		"\n"
		"  run       set the module's parameters, run, print the results\n"
		"  status    the module's state and configuration\n"
		"  results   print the last finished run's results\n"
		"  user      run the same kinds in userspace (C11 atomics, pthreads)\n"
		"  compare   run both, print them side by side with kernel/user ratios\n"
		"  sweep     run every thread count, write CSV, plot Mops/s\n"
		"  plot      draw a CSV that sweep wrote (e.g. in the VM) as SVG\n"
		"  litmus    litmus tests in the kernel and in userspace (C11): what\n"
		"            relaxed, release/acquire and seq_cst order, seen and counted\n"
		"\n"
		"The kernel commands need root, debugfs at /sys/kernel/debug and the\n"
		"counterlab module loaded (modprobe counterlab).\n\n%s",
		exits);
}

struct cmd {
	const char *name;
	unsigned int allow;
	const char *synopsis;
	const char *text;
	int (*fn)(struct cl_opts *o);
};

static int kernel_begin(void)
{
	int ret = cl_kernel_ready(true);

	if (!ret)
		cl_install_sigint();
	return ret;
}

/*
 * --repeat N: N runs, each table printed as it ends (CSV: rows only after
 * one header), then, for table and JSON, the median run of each kind.
 */
static void print_repeat(const struct cl_table *t, int i, int n,
			 enum cl_format fmt)
{
	if (fmt == CL_FMT_CSV) {
		if (!i)
			cl_csv_header(stdout);
		cl_csv_rows(stdout, &t[i]);
		return;
	}
	if (fmt == CL_FMT_JSON) {
		fputs(i ? ",\n" : "{\"runs\": [\n", stdout);
		cl_table_print(stdout, &t[i], fmt);
		return;
	}
	printf("%srun %d of %d:\n", i ? "\n" : "", i + 1, n);
	cl_table_print(stdout, &t[i], fmt);
}

static void print_median(const struct cl_table *t, int n, enum cl_format fmt)
{
	struct cl_table m;

	if (fmt == CL_FMT_CSV)
		return;
	cl_median_table(t, n, &m);
	if (fmt == CL_FMT_JSON) {
		fputs("],\n\"median\": ", stdout);
		cl_table_print(stdout, &m, fmt);
		fputs("}\n", stdout);
		return;
	}
	printf("\nmedian of %d runs (each kind's median run; nspo_min/nspo_max over every trial of every run):\n",
	       n);
	cl_table_print(stdout, &m, fmt);
}

/* One run of @o in @space: the kernel's (configured) or the mirror's. */
static int one_run(struct cl_opts *o, const struct cl_opts *applied,
		   int space, struct cl_table *t)
{
	int ret;

	if (space == CL_SPACE_USER)
		return cl_user_run(o, t);
	ret = cl_kernel_run();
	return ret ? ret : cl_kernel_results(t, applied);
}

static int repeat_runs(struct cl_opts *o, const struct cl_opts *applied,
		       int space)
{
	int i, n = o->repeat ? (int)o->repeat : 1, ret = CL_EXIT_OK;
	struct cl_table *t = calloc((size_t)n, sizeof(*t));

	if (!t) {
		fprintf(stderr, "counterlab: out of memory\n");
		return CL_EXIT_FAIL;
	}
	for (i = 0; i < n && !ret; i++) {
		ret = one_run(o, applied, space, &t[i]);
		if (ret)
			break;
		if (n == 1)
			cl_table_print(stdout, &t[i], o->format);
		else
			print_repeat(t, i, n, o->format);
		fflush(stdout);
	}
	if (!ret && n > 1)
		print_median(t, n, o->format);
	free(t);
	return ret;
}

static int cmd_run(struct cl_opts *o)
{
	struct cl_opts applied;
	int ret = kernel_begin();

	if (!ret)
		ret = cl_kernel_configure(o, &applied);
	if (!ret)
		ret = repeat_runs(o, &applied, CL_SPACE_KERNEL);
	return ret;
}

static int cmd_results(struct cl_opts *o)
{
	struct cl_table t;
	int ret = cl_kernel_ready(false);

	if (!ret)
		ret = cl_kernel_results(&t, NULL);
	if (!ret)
		cl_table_print(stdout, &t, o->format);
	return ret;
}

static int cmd_status(struct cl_opts *o)
{
	char status[128], kinds[512];
	struct cl_opts cur;
	int ret = cl_kernel_ready(true);

	(void)o;
	if (ret)
		return ret;
	if (cl_kernel_read("status", status, sizeof(status)) ||
	    cl_kernel_config(&cur)) {
		fprintf(stderr, "counterlab: cannot read %s\n", cl_debugfs);
		return CL_EXIT_FAIL;
	}
	status[strcspn(status, "\n")] = '\0';
	cl_kinds_string(cur.kinds, kinds, sizeof(kinds));
	printf("status: %s\nthreads: %u\niterations: %u\nkinds: %s\npin: %d\nduration_ms: %ld\ntrials: %u\n",
	       status, cur.threads, cur.iterations, kinds, cur.pin,
	       cur.duration_ms, cur.trials);
	return CL_EXIT_OK;
}

/* Fill what was not given: @base's values. */
static void defaults(struct cl_opts *o, const struct cl_opts *base)
{
	if (!o->threads)
		o->threads = base->threads;
	if (!o->iterations)
		o->iterations = base->iterations;
	if (!o->kinds)
		o->kinds = base->kinds;
	if (o->pin < 0)
		o->pin = base->pin;
	if (o->duration_ms < 0)
		o->duration_ms = base->duration_ms;
	if (!o->trials)
		o->trials = base->trials;
}

static struct cl_opts user_defaults(void)
{
	struct cl_opts d = {
		.threads = cl_online_cpus(),
		.iterations = CL_ITERATIONS_DEFAULT,
		.kinds = cl_kinds_all(),
		.pin = 1,
		.duration_ms = 0,
		.trials = 1,
	};

	if (d.threads > CL_THREADS_MAX)
		d.threads = CL_THREADS_MAX;
	return d;
}

static int check_total(const struct cl_opts *o, unsigned int threads)
{
	char err[256];

	if (cl_check_total(threads, o->iterations, o->kinds, err, sizeof(err))) {
		fprintf(stderr, "counterlab: %s\n", err);
		return CL_EXIT_USAGE;
	}
	return CL_EXIT_OK;
}

static int cmd_user(struct cl_opts *o)
{
	struct cl_opts d = user_defaults();
	int ret;

	defaults(o, &d);
	ret = check_total(o, o->threads);
	if (ret)
		return ret;
	cl_install_sigint();
	ret = repeat_runs(o, NULL, CL_SPACE_USER);
	if (ret == CL_EXIT_INTR)
		fprintf(stderr, "counterlab: interrupted: the userspace run was stopped\n");
	return ret;
}

/*
 * The same method on both sides: the kernel's configuration (duration,
 * trials included) is the mirror's; with --repeat, each side's median run.
 */
static int cmd_compare(struct cl_opts *o)
{
	int i, n = o->repeat ? (int)o->repeat : 1;
	struct cl_table *k = NULL, *u = NULL, km, um;
	struct cl_opts cur;
	int ret = kernel_begin();

	if (ret)
		return ret;
	if (cl_kernel_config(&cur)) {
		fprintf(stderr, "counterlab: cannot read the module's configuration\n");
		return CL_EXIT_FAIL;
	}
	defaults(o, &cur);
	ret = check_total(o, o->threads);
	if (!ret)
		ret = cl_kernel_configure(o, &cur);
	k = calloc((size_t)n, sizeof(*k));
	u = calloc((size_t)n, sizeof(*u));
	if (!ret && (!k || !u)) {
		fprintf(stderr, "counterlab: out of memory\n");
		ret = CL_EXIT_FAIL;
	}
	/* Kernel and user runs alternate, so both see the same machine. */
	for (i = 0; i < n && !ret; i++) {
		ret = one_run(o, &cur, CL_SPACE_KERNEL, &k[i]);
		if (!ret)
			ret = one_run(o, NULL, CL_SPACE_USER, &u[i]);
	}
	if (ret == CL_EXIT_INTR)
		fprintf(stderr, "counterlab: interrupted\n");
	if (!ret) {
		cl_median_table(k, n, &km);
		cl_median_table(u, n, &um);
		cl_compare_print(stdout, &km, &um, o->format);
	}
	free(k);
	free(u);
	return ret;
}

static int cmd_sweep(struct cl_opts *o)
{
	struct cl_opts d = user_defaults();
	unsigned int i, max = 0;
	int ret;

	o->threads = 0;
	defaults(o, &d);
	if (!o->nsweep) {
		for (i = 1; i <= 2 * cl_online_cpus() && i <= CL_SWEEP_MAX; i++)
			o->sweep[o->nsweep++] = i;
	}
	for (i = 0; i < (unsigned int)o->nsweep; i++)
		if (o->sweep[i] > max)
			max = o->sweep[i];
	ret = check_total(o, max);
	return ret ? ret : cl_sweep(o);
}

static const char *plot_args[2];

static int cmd_plot(struct cl_opts *o)
{
	(void)o;
	return cl_plot_csv(plot_args[0], plot_args[1]);
}

static const struct cmd cmds[] = {
	{ "run", CL_OPT_RUN | CL_OPT_FORMAT | CL_OPT_REPEAT,
	  "run [-t N] [-n N | -d MS] [-k KINDS] [--no-pin] [--trials N] [--repeat N]\n"
	  "                 [-f table|json|csv]",
	  "Set the module's parameters (those given; the others keep their\n"
	  "values), start a run, wait for it and print its results. Ctrl-C\n"
	  "aborts the run: the module stops its threads.\n", cmd_run },
	{ "status", 0, "status",
	  "Print the module's state (idle, running, done, aborted), the number\n"
	  "of runs, and the configuration of the next run.\n", cmd_status },
	{ "results", CL_OPT_FORMAT, "results [-f table|json|csv]",
	  "Print the last finished run's results.\n", cmd_results },
	{ "user", CL_OPT_RUN | CL_OPT_FORMAT | CL_OPT_REPEAT,
	  "user [-t N] [-n N | -d MS] [-k KINDS] [--no-pin] [--trials N] [--repeat N]\n"
	  "                 [-f table|json|csv]",
	  "Run the kinds in userspace: C11 <stdatomic.h> and pthreads, the\n"
	  "module's loop shape, start gate, aligned windows and columns.\n"
	  "Defaults: one thread per online CPU, 1000000 iterations, all kinds,\n"
	  "pinned, one trial. No root needed.\n",
	  cmd_user },
	{ "compare", CL_OPT_RUN | CL_OPT_FORMAT | CL_OPT_REPEAT,
	  "compare [-t N] [-n N | -d MS] [-k KINDS] [--no-pin] [--trials N] [--repeat N]\n"
	  "                 [-f table|json|csv]",
	  "Run the kinds in the kernel, then in userspace with the same\n"
	  "configuration and method (duration, trials), and print both with\n"
	  "ratio = kernel / user ns_per_op; with --repeat N, kernel and user\n"
	  "runs alternate N times and each side's median run is compared.\n",
	  cmd_compare },
	{ "sweep", CL_OPT_RUN | CL_OPT_SWEEP,
	  "sweep [-k KINDS] [-n N | -d MS] [--trials N] [--threads 1,2,4|1-8]\n"
	  "                  [--space kernel|user|both]\n"
	  "                  [--no-pin] [-o FILE.csv] [--plot FILE.svg]",
	  "Run the kinds at every thread count (default 1 .. 2 x online CPUs) in\n"
	  "the kernel, userspace or both (default); print CSV (or write it to -o\n"
	  "FILE); with --plot draw Mops/s (log scale) against threads, one line\n"
	  "per kind and space, with gnuplot (apt-get install gnuplot-nox). The\n"
	  "module's configuration is put back afterwards. Progress goes to\n"
	  "stderr when it is a terminal.\n\n"
	  "  -k, --kinds LIST     kinds (default all), as for run\n"
	  "  -n, --iterations N   increments per thread (default 1000000)\n"
	  "  -d, --duration MS    duration mode, as for run\n"
	  "  --trials N           trials per kind, as for run\n"
	  "  -t, --threads LIST   thread counts: 1,2,4 or 1-8 or both mixed\n"
	  "  --space SPACE        kernel, user or both (default)\n"
	  "  --no-pin             let the scheduler place the threads\n"
	  "  -o, --output FILE    write the CSV to FILE, not stdout\n"
	  "  --plot FILE          draw FILE (SVG) with gnuplot\n", cmd_sweep },
	{ "plot", 0, "plot FILE.csv FILE.svg",
	  "Draw Mops/s against threads from a CSV that sweep wrote, as sweep\n"
	  "--plot does (gnuplot).\n", cmd_plot },
};

int main(int argc, char **argv)
{
	const struct cmd *c = NULL;
	struct cl_opts o;
	char err[512];
	size_t i;
	int ret;

	if (argc < 2) {
		usage(stderr);
		return CL_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return CL_EXIT_OK;
	}
	if (!strcmp(argv[1], "litmus"))
		return cl_cmd_litmus(argc - 1, argv + 1);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			c = &cmds[i];
	if (!c) {
		fprintf(stderr, "counterlab: unknown command '%s' (commands: run status results user compare sweep plot litmus)\n",
			argv[1]);
		return CL_EXIT_USAGE;
	}
	if (c->fn == cmd_plot && argc == 4 && argv[2][0] != '-' &&
	    argv[3][0] != '-') {
		plot_args[0] = argv[2];
		plot_args[1] = argv[3];
		return cmd_plot(NULL);
	}
	if (c->fn == cmd_plot && (argc != 3 || (strcmp(argv[2], "-h") &&
						strcmp(argv[2], "--help")))) {
		fprintf(stderr, "counterlab: plot wants two files: plot FILE.csv FILE.svg\n");
		return CL_EXIT_USAGE;
	}
	ret = cl_parse_opts(argc - 1, argv + 1, c->name, c->allow, &o, err,
			    sizeof(err));

	if (ret == 1) {
		printf("usage: counterlab %s\n\n%s", c->synopsis, c->text);
		if (c->allow & CL_OPT_FORMAT)
			printf("\n%s", run_opts);
		printf("\n%s", exits);
		return CL_EXIT_OK;
	}
	if (ret) {
		fprintf(stderr, "counterlab: %s\n", err);
		return CL_EXIT_USAGE;
	}
	return c->fn(&o);
}
