// SPDX-License-Identifier: GPL-2.0
/*
 * counterlab CLI: option parsing. Every value is checked here, against
 * the module's own rules, before anything is written to the kernel.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cl.h"

/* The module's kinds, in its table order (module/kinds.c). */
const struct cl_kind_info cl_kind_info[] = {
	{ "plain", 0, false },
	{ "atomic", 0, true },
	{ "spinlock", 0, true },
	{ "atomic_ordered", 0, true },
	{ "atomic_relaxed", 0, true },
	{ "cmpxchg", 0, true },
	{ "mutex", 0, true },
	{ "percpu", 0, true },
	{ "atomic64", CL_WIDE, true },
	{ "raw_spinlock", 0, true },
	{ "empty", CL_BY_NAME, true },
};

const int cl_nr_kinds = sizeof(cl_kind_info) / sizeof(cl_kind_info[0]);

/* Put one sentence in @err; return -1 (for "return cl_fail(...)"). */
int cl_fail(char *err, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, n, fmt, ap);
	va_end(ap);
	return -1;
}

unsigned long cl_kinds_all(void)
{
	unsigned long m = 0;
	int i;

	for (i = 0; i < cl_nr_kinds; i++)
		if (!(cl_kind_info[i].flags & CL_BY_NAME))
			m |= 1UL << i;
	return m;
}

int cl_kind_index(const char *name, size_t len)
{
	int i;

	for (i = 0; i < cl_nr_kinds; i++)
		if (strlen(cl_kind_info[i].name) == len &&
		    !strncmp(cl_kind_info[i].name, name, len))
			return i;
	return -1;
}

/* Names separated by commas or spaces, or "all"; as the kinds file. */
int cl_parse_kinds(const char *s, unsigned long *mask, char *err, size_t n)
{
	static const char sep[] = " \t,";
	unsigned long m = 0;
	size_t len;
	int i;

	for (s += strspn(s, sep); *s; s += strspn(s, sep)) {
		len = strcspn(s, sep);
		if (len == 3 && !strncmp(s, "all", 3)) {
			m |= cl_kinds_all();
		} else {
			i = cl_kind_index(s, len);
			if (i < 0)
				return cl_fail(err, n,
					    "unknown kind '%.*s' (kinds: plain atomic spinlock atomic_ordered atomic_relaxed cmpxchg mutex percpu atomic64 raw_spinlock empty, or all)",
					    (int)len, s);
			m |= 1UL << i;
		}
		s += len;
	}
	if (!m)
		return cl_fail(err, n, "no kind given (try -k all)");
	*mask = m;
	return 0;
}

void cl_kinds_string(unsigned long kinds, char *buf, size_t n)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < cl_nr_kinds && used < n; i++)
		if (kinds & (1UL << i))
			used += snprintf(buf + used, n - used, "%s%s",
					 used ? " " : "", cl_kind_info[i].name);
}

/* Decimal digits only, in [min, max]: no sign, no space, no 0x. */
int cl_parse_uint(const char *s, unsigned int min, unsigned int max,
		  unsigned int *v)
{
	unsigned long long x = 0;
	const char *p;

	if (!*s)
		return -1;
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		x = x * 10 + (unsigned int)(*p - '0');
		if (x > max)
			return -1;
	}
	if (x < min)
		return -1;
	*v = (unsigned int)x;
	return 0;
}

/* The module refuses a 32-bit kind whose total would pass INT_MAX. */
/* @s's index in @names (@n of them), or -1. */
static int name_index(const char *const *names, int n, const char *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

/* --format's value: 0, or -1 when it is none of table, json, csv. */
int cl_parse_format(const char *s, enum cl_format *f)
{
	static const char *const names[] = { "table", "json", "csv" };
	int i = name_index(names, 3, s);

	if (i < 0)
		return -1;
	*f = (enum cl_format)i;		/* CL_FMT_TABLE, _JSON, _CSV */
	return 0;
}

/* --space's value: 0, or -1 when it is none of kernel, user, both. */
int cl_parse_space(const char *s, enum cl_space *sp)
{
	static const char *const names[] = { "kernel", "user", "both" };
	int i = name_index(names, 3, s);

	if (i < 0)
		return -1;
	*sp = (enum cl_space)(i + 1);	/* CL_SPACE_KERNEL, _USER, _BOTH */
	return 0;
}

int cl_check_total(unsigned int threads, unsigned int iterations,
		   unsigned long kinds, char *err, size_t n)
{
	unsigned long long total = (unsigned long long)threads * iterations;
	int i;

	if (total <= CL_TOTAL_MAX)
		return 0;
	for (i = 0; i < cl_nr_kinds; i++)
		if ((kinds & (1UL << i)) && !(cl_kind_info[i].flags & CL_WIDE))
			return cl_fail(err, n,
				    "threads x iterations = %llu passes %llu, the most a 32-bit counter (kind %s) can hold; lower -n or use -k atomic64",
				    total, CL_TOTAL_MAX, cl_kind_info[i].name);
	return 0;
}

/* "1,2,4" or "1-8" or a mix: thread counts for a sweep, in order given. */
static int parse_list(const char *s, struct cl_opts *o, char *err, size_t n)
{
	char buf[512], *tok, *save, *dash;
	unsigned int a, b, t;

	if (strlen(s) >= sizeof(buf))
		return cl_fail(err, n, "--threads list too long");
	strcpy(buf, s);
	o->nsweep = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		dash = strchr(tok, '-');
		if (dash)
			*dash = '\0';
		if (cl_parse_uint(tok, 1, CL_THREADS_MAX, &a) ||
		    (dash && cl_parse_uint(dash + 1, a, CL_THREADS_MAX, &b)))
			return cl_fail(err, n,
				    "--threads wants counts 1..%d like 1,2,4 or 1-8, not '%s'",
				    CL_THREADS_MAX, s);
		if (!dash)
			b = a;
		for (t = a; t <= b; t++) {
			if (o->nsweep == CL_SWEEP_MAX)
				return cl_fail(err, n,
					    "--threads: at most %d thread counts",
					    CL_SWEEP_MAX);
			o->sweep[o->nsweep++] = t;
		}
	}
	if (!o->nsweep)
		return cl_fail(err, n, "--threads wants counts like 1,2,4, not '%s'", s);
	return 0;
}

enum { OPT_NO_PIN = 256, OPT_PIN, OPT_SPACE, OPT_PLOT, OPT_TRIALS, OPT_REPEAT };

/**
 * cl_parse_opts() - parse a command's options
 * @argc, @argv: the command's arguments, argv[0] being the command
 * @cmd: the command's name, for messages
 * @allow: CL_OPT_* the command takes
 * @o: filled in; fields not given keep "not given" values
 * @err, @n: the one-sentence error
 *
 * Return: 0, 1 for --help, -1 on a bad option (message in @err).
 */
int cl_parse_opts(int argc, char **argv, const char *cmd, unsigned int allow,
		  struct cl_opts *o, char *err, size_t n)
{
	static const struct option longopts[] = {
		{ "threads", required_argument, NULL, 't' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "kinds", required_argument, NULL, 'k' },
		{ "no-pin", no_argument, NULL, OPT_NO_PIN },
		{ "pin", no_argument, NULL, OPT_PIN },
		{ "format", required_argument, NULL, 'f' },
		{ "space", required_argument, NULL, OPT_SPACE },
		{ "output", required_argument, NULL, 'o' },
		{ "plot", required_argument, NULL, OPT_PLOT },
		{ "duration", required_argument, NULL, 'd' },
		{ "trials", required_argument, NULL, OPT_TRIALS },
		{ "repeat", required_argument, NULL, OPT_REPEAT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int need, v;
	int c;

	memset(o, 0, sizeof(*o));
	o->pin = -1;
	o->duration_ms = -1;
	o->space = CL_SPACE_BOTH;
	optind = 0;	/* GNU: start afresh (the tests parse many times) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:t:n:k:f:o:d:h", longopts,
				NULL)) != -1) {
		switch (c) {
		case 't': case 'n': case 'k': case OPT_NO_PIN: case OPT_PIN:
		case 'd': case OPT_TRIALS:
			need = c == 't' && (allow & CL_OPT_SWEEP) ?
			       CL_OPT_SWEEP : CL_OPT_RUN;
			break;
		case 'f':
			need = CL_OPT_FORMAT;
			break;
		case OPT_SPACE: case 'o': case OPT_PLOT:
			need = CL_OPT_SWEEP;
			break;
		case OPT_REPEAT:
			need = CL_OPT_REPEAT;
			break;
		case 'h':
			return 1;
		case ':':
			return cl_fail(err, n, "%s: option '%s' needs a value",
				    cmd, argv[optind - 1]);
		default:
			/* A long option's optopt is its value (>= 256). */
			if (optopt > 0 && optopt < 256)
				return cl_fail(err, n, "%s: unknown option '-%c' (see %s --help)",
					    cmd, optopt, cmd);
			return cl_fail(err, n, "%s: unknown option '%s' (see %s --help)",
				    cmd, argv[optind - 1], cmd);
		}
		if (!(allow & need))
			return cl_fail(err, n, "%s: option '%s' does not apply here (see %s --help)",
				    cmd, argv[optind - 1], cmd);
		switch (c) {
		case 't':
			if (allow & CL_OPT_SWEEP) {
				if (parse_list(optarg, o, err, n))
					return -1;
			} else if (cl_parse_uint(optarg, 1, CL_THREADS_MAX,
						 &o->threads)) {
				return cl_fail(err, n, "%s: threads must be a number 1..%d, not '%s'",
					    cmd, CL_THREADS_MAX, optarg);
			}
			break;
		case 'n':
			if (cl_parse_uint(optarg, 1, UINT32_MAX, &o->iterations))
				return cl_fail(err, n, "%s: iterations must be a number 1..%u, not '%s'",
					    cmd, UINT32_MAX, optarg);
			break;
		case 'k':
			if (cl_parse_kinds(optarg, &o->kinds, err, n))
				return -1;
			break;
		case 'd':
			if (cl_parse_uint(optarg, 0, CL_DURATION_MAX_MS, &v))
				return cl_fail(err, n, "%s: --duration is milliseconds 0..%d (0: iterations mode), not '%s'",
					    cmd, CL_DURATION_MAX_MS, optarg);
			o->duration_ms = v;
			break;
		case OPT_TRIALS:
			if (cl_parse_uint(optarg, 1, CL_TRIALS_MAX, &o->trials))
				return cl_fail(err, n, "%s: --trials must be a number 1..%d, not '%s'",
					    cmd, CL_TRIALS_MAX, optarg);
			break;
		case OPT_REPEAT:
			if (cl_parse_uint(optarg, 1, CL_REPEAT_MAX, &o->repeat))
				return cl_fail(err, n, "%s: --repeat must be a number 1..%d, not '%s'",
					    cmd, CL_REPEAT_MAX, optarg);
			break;
		case OPT_NO_PIN:
			o->pin = 0;
			break;
		case OPT_PIN:
			o->pin = 1;
			break;
		case 'f':
			if (cl_parse_format(optarg, &o->format))
				return cl_fail(err, n, "%s: --format is table, json or csv, not '%s'",
					    cmd, optarg);
			break;
		case OPT_SPACE:
			if (cl_parse_space(optarg, &o->space))
				return cl_fail(err, n, "%s: --space is kernel, user or both, not '%s'",
					    cmd, optarg);
			break;
		case 'o':
			o->out = optarg;
			break;
		case OPT_PLOT:
			o->plot = optarg;
			break;
		}
	}
	if (optind < argc)
		return cl_fail(err, n, "%s: unexpected argument '%s' (see %s --help)",
			    cmd, argv[optind], cmd);
	if (o->threads && o->iterations && o->kinds &&
	    cl_check_total(o->threads, o->iterations, o->kinds, err, n))
		return -1;
	return 0;
}
