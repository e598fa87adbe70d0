// SPDX-License-Identifier: GPL-2.0
/*
 * counterlab CLI: sweeps. Runs the kinds at every thread count in the
 * kernel, in userspace or both, writes CSV as it goes (a Ctrl-C keeps
 * what was measured), and draws Mops/s against threads with gnuplot.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cl.h"

/* Is @prog an executable in $PATH? */
static bool in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[1024];
	size_t len;

	while (path && *path) {
		len = strcspn(path, ":");
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)len,
			 len ? path : ".", prog);
		if (!access(buf, X_OK))
			return true;
		path += len + (path[len] == ':');
	}
	return false;
}

/* gnuplot's script: one data block and one line per space and kind. */
static int plot(const char *file, const struct cl_table *t, int n)
{
	static const char *const spaces[] = { "kernel", "user" };
	char series[2][CL_MAX_ROWS];
	int s, k, i, first = 1;
	const struct cl_row *r;
	FILE *gp;

	memset(series, 0, sizeof(series));
	gp = popen("gnuplot", "w");
	if (!gp) {
		perror("counterlab: gnuplot");
		return CL_EXIT_FAIL;
	}
	fprintf(gp, "set terminal svg size 900,560 dynamic background rgb 'white'\n"
		"set output '%s'\n"
		"set title 'counterlab: Mops/s against threads (%u CPUs, %u iterations per thread%s)'\n"
		"set termoption noenhanced\nset xtics 1\n"
		"set xlabel 'threads'\nset ylabel 'Mops/s (log scale)'\n"
		"set logscale y\nset grid\nset key outside right\n",
		file, t[0].cpus, t[0].iterations, t[0].pin ? ", pinned" : "");
	for (s = 0; s < 2; s++) {
		for (k = 0; k < cl_nr_kinds; k++) {
			for (i = 0; i < n; i++) {
				if (strcmp(t[i].space, spaces[s]))
					continue;
				r = cl_table_row(&t[i], cl_kind_info[k].name);
				if (!r || r->mops <= 0)
					continue;
				if (!series[s][k])
					fprintf(gp, "$%s_%s << EOD\n", spaces[s],
						cl_kind_info[k].name);
				series[s][k] = 1;
				fprintf(gp, "%u %.2f\n", t[i].threads, r->mops);
			}
			if (series[s][k])
				fputs("EOD\n", gp);
		}
	}
	fputs("plot ", gp);
	for (s = 0; s < 2; s++)
		for (k = 0; k < cl_nr_kinds; k++) {
			if (!series[s][k])
				continue;
			/* Same colour per kind; userspace dashed. */
			fprintf(gp, "%s$%s_%s with linespoints lc %d dt %d title '%s %s'",
				first ? "" : ", ", spaces[s], cl_kind_info[k].name,
				k + 1, s ? 2 : 1, spaces[s], cl_kind_info[k].name);
			first = 0;
		}
	if (first)
		fputs("1/0 notitle", gp);
	fputc('\n', gp);
	if (pclose(gp)) {
		fprintf(stderr, "counterlab: gnuplot failed to draw %s\n", file);
		return CL_EXIT_FAIL;
	}
	return CL_EXIT_OK;
}

static int one(const struct cl_opts *o, unsigned int threads, int space,
	       struct cl_table *t)
{
	struct cl_opts run = *o;
	int ret;

	run.threads = threads;
	if (space == CL_SPACE_USER)
		return cl_user_run(&run, t);
	ret = cl_kernel_configure(&run, &run);
	if (!ret)
		ret = cl_kernel_run();
	if (!ret)
		ret = cl_kernel_results(t, &run);
	return ret;
}

/**
 * cl_sweep() - the sweep command
 * @o: validated options; kinds, iterations, pin and the thread list set
 *
 * Return: an exit code; the module's configuration is put back after.
 */
int cl_sweep(const struct cl_opts *o)
{
	int total = o->nsweep * (o->space == CL_SPACE_BOTH ? 2 : 1);
	bool gnuplot = o->plot && in_path("gnuplot");
	bool tty = isatty(STDERR_FILENO);
	struct cl_opts saved;
	struct cl_table *t;
	int i, s, n = 0, ret = CL_EXIT_OK;
	FILE *csv = stdout;

	if (o->plot && !gnuplot)
		fprintf(stderr, "counterlab: gnuplot not found: the CSV will be written but no plot drawn; install it with: apt-get install gnuplot-nox\n");
	if (o->space & CL_SPACE_KERNEL) {
		ret = cl_kernel_ready(true);
		if (ret)
			return ret;
		if (cl_kernel_config(&saved)) {
			fprintf(stderr, "counterlab: cannot read the module's configuration\n");
			return CL_EXIT_FAIL;
		}
	}
	t = calloc((size_t)total, sizeof(*t));
	if (!t) {
		fprintf(stderr, "counterlab: out of memory\n");
		return CL_EXIT_FAIL;
	}
	if (o->out) {
		csv = fopen(o->out, "w");
		if (!csv) {
			fprintf(stderr, "counterlab: cannot write %s: %m\n", o->out);
			free(t);
			return CL_EXIT_FAIL;
		}
	}
	cl_install_sigint();
	cl_csv_header(csv);
	for (i = 0; i < o->nsweep && ret == CL_EXIT_OK; i++) {
		for (s = CL_SPACE_KERNEL; s <= CL_SPACE_USER; s <<= 1) {
			if (!(o->space & s))
				continue;
			if (tty)
				fprintf(stderr, "\rsweep: %s, %u threads (%d/%d)   ",
					s == CL_SPACE_KERNEL ? "kernel" : "user",
					o->sweep[i], n + 1, total);
			ret = one(o, o->sweep[i], s, &t[n]);
			if (ret)
				break;
			cl_csv_rows(csv, &t[n]);
			fflush(csv);
			n++;
		}
	}
	if (tty)
		fputc('\n', stderr);
	if (o->out && fclose(csv)) {
		fprintf(stderr, "counterlab: writing %s failed: %m\n", o->out);
		ret = ret ? ret : CL_EXIT_FAIL;
	}
	/* Put the configuration back, after any other run has ended. */
	if (o->space & CL_SPACE_KERNEL &&
	    (cl_kernel_wait_idle() || cl_kernel_configure(&saved, NULL))) {
		fprintf(stderr, "counterlab: could not put the module's configuration back\n");
		if (ret == CL_EXIT_OK)
			ret = CL_EXIT_FAIL;
	}
	if (ret == CL_EXIT_INTR)
		fprintf(stderr, "counterlab: interrupted after %d of %d runs; the CSV holds those\n",
			n, total);
	if (ret == CL_EXIT_OK && o->plot)
		ret = gnuplot ? plot(o->plot, t, n) : CL_EXIT_NOPLOT;
	free(t);
	return ret;
}

/**
 * cl_plot_csv() - the plot command: draw a saved sweep
 * @csv: a file sweep wrote
 * @svg: the SVG to draw
 *
 * Return: an exit code.
 */
int cl_plot_csv(const char *csv, const char *svg)
{
	static char text[1 << 20];
	struct cl_table *t;
	char err[256];
	size_t len;
	FILE *f;
	int n, ret;

	f = fopen(csv, "r");
	if (!f) {
		fprintf(stderr, "counterlab: cannot read %s: %m\n", csv);
		return CL_EXIT_FAIL;
	}
	len = fread(text, 1, sizeof(text) - 1, f);
	text[len] = '\0';
	if (!feof(f)) {
		fprintf(stderr, "counterlab: %s is larger than %zu bytes\n", csv,
			sizeof(text) - 1);
		fclose(f);
		return CL_EXIT_FAIL;
	}
	fclose(f);
	t = calloc(2 * CL_SWEEP_MAX, sizeof(*t));
	if (!t) {
		fprintf(stderr, "counterlab: out of memory\n");
		return CL_EXIT_FAIL;
	}
	if (cl_csv_parse(text, t, 2 * CL_SWEEP_MAX, &n, err, sizeof(err))) {
		fprintf(stderr, "counterlab: %s: %s\n", csv, err);
		ret = CL_EXIT_USAGE;
	} else if (!in_path("gnuplot")) {
		fprintf(stderr, "counterlab: gnuplot not found: install it with: apt-get install gnuplot-nox\n");
		ret = CL_EXIT_NOPLOT;
	} else {
		ret = plot(svg, t, n);
	}
	free(t);
	return ret;
}
