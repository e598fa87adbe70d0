// SPDX-License-Identifier: GPL-2.0
/*
 * counterlab CLI: "counterlab litmus": the litmus tests in the kernel (the
 * module's counterlab/litmus/ files), in userspace (litmus.c, C11), or
 * both; the results parsed into struct cl_lit_result and printed as a
 * table, JSON or CSV. Exit 1 when a test showed an outcome its model
 * forbids.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cl.h"
#include "litmus.h"

static const char litmus_usage[] =
	"usage: counterlab litmus [-t TESTS] [-n TRIALS] [--space kernel|user|both]\n"
	"                         [-f table|json|csv]\n"
	"\n"
	"Run litmus tests: two threads on two CPUs, a barrier before each trial,\n"
	"every final state counted. In the kernel (the module's tests, named as\n"
	"the kernel's tools/memory-model/litmus-tests/, and SB around each\n"
	"counter primitive; verdicts of the Linux kernel memory model) and in\n"
	"userspace (C11 <stdatomic.h> tests; verdicts of C11). Prints the model's\n"
	"verdict, what was seen and how often, and \"FORBIDDEN OUTCOME SEEN\" when\n"
	"a test showed what its model rules out (exit 1).\n"
	"\n"
	"  -t, --tests LIST     test names, comma or space separated, or all\n"
	"                       (default); with --space both a name of a\n"
	"                       userspace test runs there, any other in the kernel\n"
	"  -n, --trials N       trials per test, 1..100000000 (default 1000000)\n"
	"  --space SPACE        kernel, user or both (default)\n"
	"  -f, --format FMT     table (default), json or csv\n"
	"\n"
	"Userspace tests:";

/**
 * struct lit_opts - the litmus command's options
 * @tests: the -t list as given, or "all"
 * @trials: trials per test
 * @space: CL_SPACE_*
 * @format: CL_FMT_*
 */
struct lit_opts {
	char tests[1024];
	unsigned int trials;
	enum cl_space space;
	enum cl_format format;
};

static int parse(int argc, char **argv, struct lit_opts *o, char *err,
		 size_t n)
{
	static const struct option longopts[] = {
		{ "tests", required_argument, NULL, 't' },
		{ "trials", required_argument, NULL, 'n' },
		{ "space", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	snprintf(o->tests, sizeof(o->tests), "all");
	o->trials = CL_LIT_TRIALS_DEFAULT;
	o->space = CL_SPACE_BOTH;
	o->format = CL_FMT_TABLE;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":t:n:f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (strlen(optarg) >= sizeof(o->tests) ||
			    !optarg[strspn(optarg, " ,")])
				return cl_fail(err, n, "--tests: a list of test names, or all");
			snprintf(o->tests, sizeof(o->tests), "%s", optarg);
			break;
		case 'n':
			if (cl_parse_uint(optarg, 1, CL_LIT_TRIALS_MAX, &o->trials))
				return cl_fail(err, n, "--trials: 1..%d, not '%s'",
					       CL_LIT_TRIALS_MAX, optarg);
			break;
		case 's':
			if (cl_parse_space(optarg, &o->space))
				return cl_fail(err, n, "litmus: --space is kernel, user or both, not '%s'",
					       optarg);
			break;
		case 'f':
			if (cl_parse_format(optarg, &o->format))
				return cl_fail(err, n, "litmus: --format is table, json or csv, not '%s'",
					       optarg);
			break;
		case 'h':
			return 1;
		case ':':
			return cl_fail(err, n, "%s needs a value", argv[optind - 1]);
		default:
			return cl_fail(err, n, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cl_fail(err, n, "unexpected argument '%s'", argv[optind]);
	return 0;
}

/*
 * Split the -t list: userspace names into @user (a bitmask over
 * cl_lit_tests[]), the others into @kernel (text for litmus/tests). "all"
 * is all of both.
 */
static int split_tests(const struct lit_opts *o, unsigned long *user,
		       char *kernel, size_t size, char *err, size_t n)
{
	static const char sep[] = " \t\n,";
	const char *s = o->tests;
	size_t len, used = 0;
	int i;

	*user = 0;
	kernel[0] = '\0';
	for (s += strspn(s, sep); *s; s += strspn(s, sep)) {
		len = strcspn(s, sep);
		if (len == 3 && !strncmp(s, "all", 3)) {
			*user = (1UL << cl_lit_ntests) - 1;
			used += snprintf(kernel + used, size - used, "%sall",
					 used ? " " : "");
		} else if (o->space != CL_SPACE_KERNEL &&
			   (i = cl_lit_user_find(s, len)) >= 0) {
			*user |= 1UL << i;
		} else if (o->space == CL_SPACE_USER) {
			return cl_fail(err, n, "no userspace litmus test '%.*s' (counterlab litmus --help lists them)",
				       (int)len, s);
		} else {
			used += snprintf(kernel + used, size - used, "%s%.*s",
					 used ? " " : "", (int)len, s);
		}
		if (used >= size)
			return cl_fail(err, n, "--tests: too long");
		s += len;
	}
	return 0;
}

/* "Test NAME": the module's blocks, as module/litmus.c writes them. */
int cl_lit_parse_results(const char *text, struct cl_lit_result *r, int max,
			 int *n, char *err, size_t len)
{
	const char *p = text, *end;
	struct cl_lit_result *b;
	char name[64], line[256];
	unsigned long long c, pos, neg;
	const char *gt;
	double secs;
	char mark;
	size_t l;

	*n = 0;
	if (strncmp(p, "litmus run=", 11))
		return cl_fail(err, len, "litmus results: no \"litmus run=\" header");
	while ((p = strstr(p, "\nTest ")) != NULL) {
		if (*n == max)
			return cl_fail(err, len, "litmus results: more than %d tests", max);
		b = &r[(*n)++];
		memset(b, 0, sizeof(*b));
		snprintf(b->space, sizeof(b->space), "kernel");
		end = strstr(p + 1, "\n\n");
		if (!end || sscanf(p, "\nTest %63s", b->name) != 1)
			return cl_fail(err, len, "litmus results: a block cut short");
		for (p = strchr(p + 1, '\n'); p && p < end; p = strchr(p + 1, '\n')) {
			l = strcspn(p + 1, "\n");
			if (l >= sizeof(line))
				return cl_fail(err, len, "litmus results: a line too long");
			memcpy(line, p + 1, l);
			line[l] = '\0';
			gt = strchr(line, '>');
			if (gt && sscanf(line, "%llu %c", &c, &mark) == 2 &&
			    gt[-1] == mark && (mark == '*' || mark == ':')) {
				if (b->nstates == CL_LIT_STATES)
					return cl_fail(err, len, "%s: too many states", b->name);
				snprintf(b->state[b->nstates], sizeof(b->state[0]), "%s",
					 gt + 1);
				b->holds[b->nstates] = mark == '*';
				b->count[b->nstates++] = c;
			} else if (!strncmp(line, "Condition exists (", 18)) {
				if (l < 20 || line[l - 1] != ')')
					return cl_fail(err, len, "%s: a bad Condition line", b->name);
				snprintf(b->exists, sizeof(b->exists), "%.*s",
					 (int)(l - 19), line + 18);
			} else if (sscanf(line, "Model %11s", b->model) == 1) {
				continue;
			} else if (sscanf(line, "Observation %63s %11s %llu %llu",
					  name, b->seen, &pos, &neg) == 4) {
				b->positive = pos;
				b->negative = neg;
			} else if (sscanf(line, "Time %63s %lf", name, &secs) == 2) {
				b->seconds = secs;
			} else if (!strcmp(line, "FORBIDDEN OUTCOME SEEN")) {
				b->forbidden = true;
			}
		}
		if (!b->model[0] || !b->seen[0] || !b->exists[0])
			return cl_fail(err, len, "litmus results: %s: no Model, Observation or Condition line",
				       b->name);
		p = end;
	}
	return 0;
}

/* @s as a JSON string. */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static double per_second(const struct cl_lit_result *r)
{
	return r->seconds > 0 ? (r->positive + r->negative) / r->seconds : 0;
}

void cl_lit_print(FILE *f, const struct cl_lit_result *r, int n, int format)
{
	int i, k;

	if (format == CL_FMT_CSV)
		fprintf(f, "space,test,model,seen,positive,negative,trials,seconds,per_second,verdict\n");
	else if (format == CL_FMT_JSON)
		fprintf(f, "[\n");
	else
		fprintf(f, "%-7s %-38s %-10s %-10s %10s %11s %12s  %s\n", "space",
			"test", "model", "seen", "positive", "trials",
			"trials/s", "verdict");
	for (i = 0; i < n; i++) {
		const struct cl_lit_result *t = &r[i];
		const char *v = t->forbidden ? "FORBIDDEN OUTCOME SEEN" : "ok";

		if (format == CL_FMT_CSV) {
			fprintf(f, "%s,%s,%s,%s,%llu,%llu,%llu,%.2f,%.0f,%s\n",
				t->space, t->name, t->model, t->seen,
				(unsigned long long)t->positive,
				(unsigned long long)t->negative,
				(unsigned long long)(t->positive + t->negative),
				t->seconds, per_second(t), v);
		} else if (format == CL_FMT_JSON) {
			fprintf(f, "  {\"space\": \"%s\", \"test\": ", t->space);
			json_str(f, t->name);
			fprintf(f, ", \"model\": \"%s\", \"seen\": \"%s\", \"exists\": ",
				t->model, t->seen);
			json_str(f, t->exists);
			fprintf(f, ",\n");
			fprintf(f, "   \"positive\": %llu, \"negative\": %llu, \"seconds\": %.2f, \"per_second\": %.0f, \"verdict\": \"%s\",\n   \"states\": {",
				(unsigned long long)t->positive,
				(unsigned long long)t->negative, t->seconds,
				per_second(t), v);
			for (k = 0; k < t->nstates; k++) {
				fprintf(f, "%s", k ? ", " : "");
				json_str(f, t->state[k]);
				fprintf(f, ": %llu", (unsigned long long)t->count[k]);
			}
			fprintf(f, "}}%s\n", i + 1 < n ? "," : "");
		} else {
			fprintf(f, "%-7s %-38s %-10s %-10s %10llu %11llu %12.0f  %s\n",
				t->space, t->name, t->model, t->seen,
				(unsigned long long)t->positive,
				(unsigned long long)(t->positive + t->negative),
				per_second(t), v);
		}
	}
	if (format == CL_FMT_JSON)
		fprintf(f, "]\n");
}

static int run_kernel(const char *tests, unsigned int trials,
		      struct cl_lit_result *r, int max, int *n)
{
	static char text[CL_LIT_MAX * 2048];
	char val[32], err[256] = "";
	unsigned int run, got;
	int ret;

	ret = cl_kernel_ready(true);
	if (ret)
		return ret;
	ret = cl_kernel_write("litmus/tests", tests);
	if (ret == -ENOENT) {
		fprintf(stderr, "counterlab: this module has no litmus engine (counterlab/litmus/)\n");
		return CL_EXIT_ENV;
	}
	if (ret == -EINVAL) {
		fprintf(stderr, "counterlab: the module has no litmus test among '%s' (cat %s/litmus/tests after writing all)\n",
			tests, cl_debugfs);
		return CL_EXIT_USAGE;
	}
	if (!ret) {
		snprintf(val, sizeof(val), "%u", trials);
		ret = cl_kernel_write("litmus/trials", val);
	}
	if (ret == -EBUSY) {
		fprintf(stderr, "counterlab: a litmus run is in progress (EBUSY): wait for it to end\n");
		return CL_EXIT_BUSY;
	}
	if (ret) {
		fprintf(stderr, "counterlab: the module refused the litmus configuration: %s\n",
			strerror(-ret));
		return CL_EXIT_FAIL;
	}
	ret = cl_kernel_run_file("litmus/run");
	if (ret)
		return ret;
	ret = cl_kernel_read("litmus/results", text, sizeof(text));
	if (ret) {
		fprintf(stderr, "counterlab: cannot read the litmus results: %s\n",
			strerror(-ret));
		return CL_EXIT_FAIL;
	}
	if (cl_lit_parse_results(text, r, max, n, err, sizeof(err))) {
		fprintf(stderr, "counterlab: cannot read the litmus results: %s\n", err);
		return CL_EXIT_FAIL;
	}
	/* Another writer between our configuration and our run: not ours. */
	if (sscanf(text, "litmus run=%u trials=%u", &run, &got) != 2 ||
	    got != trials) {
		fprintf(stderr, "counterlab: the litmus results are not of this run's configuration (another writer?): try again\n");
		return CL_EXIT_FAIL;
	}
	return 0;
}

int cl_cmd_litmus(int argc, char **argv)
{
	static struct cl_lit_result r[CL_LIT_MAX];
	char kernel[1024], err[512];
	struct lit_opts o;
	unsigned long user;
	int i, n = 0, k = 0, ret;
	bool forbidden = false;

	ret = parse(argc, argv, &o, err, sizeof(err));
	if (!ret)
		ret = split_tests(&o, &user, kernel, sizeof(kernel), err, sizeof(err));
	if (ret == 1) {
		printf("%s", litmus_usage);
		for (i = 0; i < cl_lit_ntests; i++)
			printf("%s%s", i % 4 ? " " : "\n  ", cl_lit_tests[i]->name);
		printf("\n\nKernel tests: cat /sys/kernel/debug/counterlab/litmus/tests\n");
		return CL_EXIT_OK;
	}
	if (ret) {
		fprintf(stderr, "counterlab: %s\n", err);
		return CL_EXIT_USAGE;
	}
	cl_install_sigint();
	if ((o.space & CL_SPACE_KERNEL) && kernel[0]) {
		ret = run_kernel(kernel, o.trials, r, CL_LIT_MAX - cl_lit_ntests, &n);
		if (ret)
			return ret;
	}
	if (o.space & CL_SPACE_USER) {
		for (i = 0; i < cl_lit_ntests; i++) {
			if (!(user & (1UL << i)))
				continue;
			ret = cl_lit_user_run(i, o.trials, &r[n + k]);
			if (ret == -EINTR) {
				fprintf(stderr, "counterlab: interrupted: the userspace litmus run stopped\n");
				return CL_EXIT_INTR;
			}
			if (ret) {
				fprintf(stderr, "counterlab: userspace litmus test %s: %s\n",
					cl_lit_tests[i]->name, strerror(-ret));
				return CL_EXIT_FAIL;
			}
			k++;
		}
	}
	cl_lit_print(stdout, r, n + k, o.format);
	for (i = 0; i < n + k; i++)
		forbidden |= r[i].forbidden;
	return forbidden ? CL_EXIT_FAIL : CL_EXIT_OK;
}
