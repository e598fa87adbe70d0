// SPDX-License-Identifier: GPL-2.0
/*
 * counterlab CLI: the results table. Parses the module's results text
 * (columns found by name, every number checked) and prints a table as an
 * aligned table, JSON or CSV; and the kernel/user comparison.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cl.h"

/*
 * The first ten columns are the first contract's; the measurement columns
 * after them came with duration mode and trials (a module without them is
 * read as one trial in iterations mode).
 */
enum col {
	C_KIND, C_EXPECTED, C_ACTUAL, C_LOST, C_ELAPSED, C_NSPO, C_MOPS,
	C_TMIN, C_TMAX, C_RETRIES, C_BASE,
	C_OPS_MIN = C_BASE, C_OPS_MAX, C_START_SKEW, C_END_SKEW, C_NSPO_MIN,
	C_NSPO_MAX, C_TRIAL, C_CHUNK, C_ENDED_BY, C_NR
};

static const char *const col_names[C_NR] = {
	"kind", "expected", "actual", "lost", "elapsed_ns", "ns_per_op",
	"mops", "thread_min_ns", "thread_max_ns", "retries",
	"ops_min", "ops_max", "start_skew_ns", "end_skew_ns", "nspo_min",
	"nspo_max", "trial", "chunk", "ended_by",
};

#define MAX_COLS	32
#define MAX_LINE	1024

static int parse_u64(const char *s, uint64_t *v)
{
	unsigned long long x;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*v = x;
	return 0;
}

static int parse_s64(const char *s, int64_t *v)
{
	long long x;
	char *end;

	if (!isdigit((unsigned char)*s) &&
	    !(*s == '-' && isdigit((unsigned char)s[1])))
		return -1;
	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*v = x;
	return 0;
}

/* "123.45": the module prints hundredths, always two digits. */
static int parse_fixed(const char *s, double *v)
{
	uint64_t whole, frac = 0;
	char buf[32], *dot;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	dot = strchr(buf, '.');
	if (!dot)
		return -1;
	*dot = '\0';
	if (strlen(dot + 1) != 2 || parse_u64(dot + 1, &frac))
		return -1;
	if (parse_u64(buf, &whole))
		return -1;
	*v = (double)whole + (double)frac / 100.0;
	return 0;
}

/* Split @line (modified) on blanks into at most @max tokens. */
static int split(char *line, char **tok, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return n;
		if (n == max)
			return -1;
		tok[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

static int next_line(const char **text, char *buf, size_t size)
{
	const char *p = *text, *nl;
	size_t len;

	if (!*p)
		return 0;
	nl = strchr(p, '\n');
	len = nl ? (size_t)(nl - p) : strlen(p);
	if (len >= size)
		return -1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	*text = nl ? nl + 1 : p + len;
	return 1;
}

static int parse_header(char *line, struct cl_table *t, char *err, size_t n)
{
	static const char *const keys[] = {
		"run", "threads", "iterations", "cpus", "pin",
		"duration_ms", "trials",
	};
	unsigned int *dst[] = {
		&t->run, &t->threads, &t->iterations, &t->cpus, NULL,
		&t->duration_ms, &t->trials,
	};
	const int nkeys = 7, nrequired = 5;
	unsigned int seen = 0, v;
	char *tok[MAX_COLS], *eq;
	int i, k, ntok;

	t->duration_ms = 0;	/* an older module's: iterations, one trial */
	t->trials = 1;
	ntok = split(line, tok, MAX_COLS);
	for (i = 0; i < ntok; i++) {
		eq = strchr(tok[i], '=');
		if (!eq)
			return cl_fail(err, n, "line 1: '%s' is not key=value", tok[i]);
		*eq = '\0';
		for (k = 0; k < nkeys; k++)
			if (!strcmp(tok[i], keys[k]))
				break;
		if (k == nkeys)
			continue;	/* a newer module's key: ignored */
		if (cl_parse_uint(eq + 1, 0, UINT32_MAX, &v))
			return cl_fail(err, n, "line 1: %s='%s' is not a number",
				    keys[k], eq + 1);
		if (dst[k])
			*dst[k] = v;
		else
			t->pin = v != 0;
		seen |= 1U << k;
	}
	for (k = 0; k < nrequired; k++)
		if (!(seen & (1U << k)))
			return cl_fail(err, n, "line 1: no %s= in the header", keys[k]);
	if (t->trials < 1 || t->trials > CL_TRIALS_MAX)
		return cl_fail(err, n, "line 1: trials=%u is not 1..%d", t->trials,
			       CL_TRIALS_MAX);
	return 0;
}

static int parse_row(char **tok, const int *where, struct cl_row *r, int line,
		     char *err, size_t n)
{
	const char *k = tok[where[C_KIND]];
	const char *p;
	int c;

	if (strlen(k) >= CL_KIND_LEN)
		return cl_fail(err, n, "line %d: kind name too long", line);
	for (p = k; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    *p != '_')
			return cl_fail(err, n, "line %d: bad kind name '%s'", line, k);
	strcpy(r->kind, k);
	for (c = C_EXPECTED; c < C_NR; c++) {
		const char *s;
		int bad;

		if (where[c] < 0)
			continue;	/* a measurement column of a newer module */
		s = tok[where[c]];
		switch (c) {
		case C_ACTUAL:
			bad = parse_s64(s, &r->actual);
			break;
		case C_LOST:
			bad = parse_s64(s, &r->lost);
			break;
		case C_NSPO:
			bad = parse_fixed(s, &r->ns_per_op);
			break;
		case C_MOPS:
			bad = parse_fixed(s, &r->mops);
			break;
		case C_EXPECTED:
			bad = parse_u64(s, &r->expected);
			break;
		case C_ELAPSED:
			bad = parse_u64(s, &r->elapsed_ns);
			break;
		case C_TMIN:
			bad = parse_u64(s, &r->thread_min_ns);
			break;
		case C_TMAX:
			bad = parse_u64(s, &r->thread_max_ns);
			break;
		case C_RETRIES:
			bad = parse_u64(s, &r->retries);
			break;
		case C_OPS_MIN:
			bad = parse_u64(s, &r->ops_min);
			break;
		case C_OPS_MAX:
			bad = parse_u64(s, &r->ops_max);
			break;
		case C_START_SKEW:
			bad = parse_u64(s, &r->start_skew_ns);
			break;
		case C_END_SKEW:
			bad = parse_u64(s, &r->end_skew_ns);
			break;
		case C_NSPO_MIN:
			bad = parse_fixed(s, &r->nspo_min);
			break;
		case C_NSPO_MAX:
			bad = parse_fixed(s, &r->nspo_max);
			break;
		case C_TRIAL:
			bad = parse_u64(s, &r->trial);
			break;
		case C_CHUNK:
			bad = parse_u64(s, &r->chunk);
			break;
		default:	/* C_ENDED_BY */
			bad = strcmp(s, "iterations") && strcmp(s, "duration") &&
			      strcmp(s, "int_max");
			if (bad)
				return cl_fail(err, n, "line %d: ended_by '%s' is not iterations, duration or int_max",
					       line, s);
			snprintf(r->ended_by, sizeof(r->ended_by), "%s", s);
			break;
		}
		if (bad)
			return cl_fail(err, n, "line %d: %s '%s' is not a number",
				    line, col_names[c], s);
	}
	if (r->lost != (int64_t)r->expected - r->actual)
		return cl_fail(err, n, "line %d: lost %lld is not expected - actual",
			    line, (long long)r->lost);
	if (r->thread_min_ns > r->thread_max_ns)
		return cl_fail(err, n, "line %d: thread_min_ns > thread_max_ns", line);
	/* The phase runs from before the gate opens to the last finish. */
	if (r->thread_max_ns > r->elapsed_ns)
		return cl_fail(err, n, "line %d: thread_max_ns > elapsed_ns", line);
	if (where[C_OPS_MIN] < 0)
		return 0;
	if (r->ops_min > r->ops_max)
		return cl_fail(err, n, "line %d: ops_min > ops_max", line);
	if (r->nspo_min > r->ns_per_op || r->ns_per_op > r->nspo_max)
		return cl_fail(err, n, "line %d: ns_per_op is not within nspo_min..nspo_max",
			       line);
	return 0;
}

/* The measurement columns of a row from a module that has none. */
static void base_only(struct cl_row *r, unsigned int iterations)
{
	r->ops_min = r->ops_max = iterations;
	r->nspo_min = r->nspo_max = r->ns_per_op;
	r->trial = 1;
	snprintf(r->ended_by, sizeof(r->ended_by), "iterations");
}

/* The new row t->rows[t->nrows] against its table: one per kind. */
static int check_row(const struct cl_table *t, int line, char *err, size_t n)
{
	const struct cl_row *r = &t->rows[t->nrows];
	int i;

	/* Duration mode: each thread counted what it did. */
	if (!t->duration_ms &&
	    r->expected != (uint64_t)t->threads * t->iterations)
		return cl_fail(err, n, "line %d: expected %llu is not threads x iterations",
			       line, (unsigned long long)r->expected);
	if (t->duration_ms &&
	    (r->expected < t->threads * r->ops_min ||
	     r->expected > t->threads * r->ops_max))
		return cl_fail(err, n, "line %d: expected %llu is not within threads x ops_min..ops_max",
			       line, (unsigned long long)r->expected);
	if (!t->duration_ms && strcmp(r->ended_by, "iterations"))
		return cl_fail(err, n, "line %d: ended_by %s in iterations mode",
			       line, r->ended_by);
	if (t->duration_ms && !strcmp(r->ended_by, "iterations"))
		return cl_fail(err, n, "line %d: ended_by iterations in duration mode",
			       line);
	if (r->trial < 1 || r->trial > t->trials)
		return cl_fail(err, n, "line %d: trial %llu is not 1..%u", line,
			       (unsigned long long)r->trial, t->trials);
	for (i = 0; i < t->nrows; i++)
		if (!strcmp(t->rows[i].kind, r->kind))
			return cl_fail(err, n, "line %d: kind %s twice", line,
				       r->kind);
	return 0;
}

/**
 * cl_table_parse() - parse the module's results text
 * @text: the text, NUL-terminated
 * @t: filled in (space "kernel")
 * @err, @n: one sentence saying what is wrong, with its line
 *
 * Return: 0, or -1 when the text is not a results table.
 */
int cl_table_parse(const char *text, struct cl_table *t, char *err, size_t n)
{
	char line[MAX_LINE], *tok[MAX_COLS];
	int where[C_NR], ntok, ncols, c, i, ln = 1, got, ext = 0;

	memset(t, 0, sizeof(*t));
	t->space = "kernel";
	if (next_line(&text, line, sizeof(line)) != 1)
		return cl_fail(err, n, "no results (no run has finished yet?)");
	if (parse_header(line, t, err, n))
		return -1;
	ln++;
	if (next_line(&text, line, sizeof(line)) != 1)
		return cl_fail(err, n, "line 2: no column names");
	ncols = split(line, tok, MAX_COLS);
	if (ncols < 0)
		return cl_fail(err, n, "line 2: too many columns");
	for (c = 0; c < C_NR; c++) {
		where[c] = -1;
		for (i = 0; i < ncols; i++) {
			if (strcmp(tok[i], col_names[c]))
				continue;
			if (where[c] >= 0)
				return cl_fail(err, n, "line 2: column '%s' twice",
					       col_names[c]);
			where[c] = i;
		}
		if (where[c] < 0 && c < C_BASE)
			return cl_fail(err, n, "line 2: no column '%s'", col_names[c]);
		ext += where[c] >= 0 && c >= C_BASE;
	}
	/* The measurement columns come all together, or none. */
	if (ext && ext != C_NR - C_BASE)
		return cl_fail(err, n, "line 2: some measurement columns (ops_min .. ended_by) but not all");
	while ((got = next_line(&text, line, sizeof(line))) == 1) {
		ln++;
		ntok = split(line, tok, MAX_COLS);
		if (ntok == 0)
			continue;
		if (ntok != ncols)
			return cl_fail(err, n, "line %d: %d fields, the header has %d",
				    ln, ntok, ncols);
		if (t->nrows == CL_MAX_ROWS)
			return cl_fail(err, n, "line %d: more than %d rows", ln,
				    CL_MAX_ROWS);
		memset(&t->rows[t->nrows], 0, sizeof(t->rows[t->nrows]));
		if (parse_row(tok, where, &t->rows[t->nrows], ln, err, n))
			return -1;
		if (!ext)
			base_only(&t->rows[t->nrows], t->iterations);
		if (check_row(t, ln, err, n))
			return -1;
		t->nrows++;
	}
	if (got < 0)
		return cl_fail(err, n, "line %d: too long", ln + 1);
	if (!t->nrows)
		return cl_fail(err, n, "no rows after the column names");
	return 0;
}

const struct cl_row *cl_table_row(const struct cl_table *t, const char *kind)
{
	int i;

	for (i = 0; i < t->nrows; i++)
		if (!strcmp(t->rows[i].kind, kind))
			return &t->rows[i];
	return NULL;
}

/* Every cell of a row as text, in col_names order. */
static void cells(const struct cl_row *r, char out[C_NR][32])
{
	snprintf(out[C_KIND], 32, "%s", r->kind);
	snprintf(out[C_EXPECTED], 32, "%llu", (unsigned long long)r->expected);
	snprintf(out[C_ACTUAL], 32, "%lld", (long long)r->actual);
	snprintf(out[C_LOST], 32, "%lld", (long long)r->lost);
	snprintf(out[C_ELAPSED], 32, "%llu", (unsigned long long)r->elapsed_ns);
	snprintf(out[C_NSPO], 32, "%.2f", r->ns_per_op);
	snprintf(out[C_MOPS], 32, "%.2f", r->mops);
	snprintf(out[C_TMIN], 32, "%llu", (unsigned long long)r->thread_min_ns);
	snprintf(out[C_TMAX], 32, "%llu", (unsigned long long)r->thread_max_ns);
	snprintf(out[C_RETRIES], 32, "%llu", (unsigned long long)r->retries);
	snprintf(out[C_OPS_MIN], 32, "%llu", (unsigned long long)r->ops_min);
	snprintf(out[C_OPS_MAX], 32, "%llu", (unsigned long long)r->ops_max);
	snprintf(out[C_START_SKEW], 32, "%llu", (unsigned long long)r->start_skew_ns);
	snprintf(out[C_END_SKEW], 32, "%llu", (unsigned long long)r->end_skew_ns);
	snprintf(out[C_NSPO_MIN], 32, "%.2f", r->nspo_min);
	snprintf(out[C_NSPO_MAX], 32, "%.2f", r->nspo_max);
	snprintf(out[C_TRIAL], 32, "%llu", (unsigned long long)r->trial);
	snprintf(out[C_CHUNK], 32, "%llu", (unsigned long long)r->chunk);
	snprintf(out[C_ENDED_BY], 32, "%s", r->ended_by);
}


static void print_aligned(FILE *f, const struct cl_table *t)
{
	char cell[CL_MAX_ROWS][C_NR][32];
	int w[C_NR], i, c;

	for (c = 0; c < C_NR; c++)
		w[c] = (int)strlen(col_names[c]);
	for (i = 0; i < t->nrows; i++) {
		cells(&t->rows[i], cell[i]);
		for (c = 0; c < C_NR; c++)
			if ((int)strlen(cell[i][c]) > w[c])
				w[c] = (int)strlen(cell[i][c]);
	}
	fprintf(f, "space=%s", t->space);
	if (t->run)
		fprintf(f, " run=%u", t->run);
	fprintf(f, " threads=%u iterations=%u cpus=%u pin=%d duration_ms=%u trials=%u\n",
		t->threads, t->iterations, t->cpus, t->pin, t->duration_ms,
		t->trials);
	/* Names left-aligned, the rest right-aligned. */
	for (c = 0; c < C_NR; c++)
		fprintf(f, "%s%*s", c ? "  " : "", c ? w[c] : -w[c],
			col_names[c]);
	fputc('\n', f);
	for (i = 0; i < t->nrows; i++) {
		for (c = 0; c < C_NR; c++)
			fprintf(f, "%s%*s", c ? "  " : "", c ? w[c] : -w[c],
				cell[i][c]);
		fputc('\n', f);
	}
}

static void print_json_table(FILE *f, const struct cl_table *t,
			     const char *indent)
{
	char cell[C_NR][32];
	int i, c;

	fprintf(f, "{\"space\": \"%s\", \"run\": %u, \"threads\": %u, \"iterations\": %u, \"cpus\": %u, \"pin\": %s, \"duration_ms\": %u, \"trials\": %u, \"rows\": [",
		t->space, t->run, t->threads, t->iterations, t->cpus,
		t->pin ? "true" : "false", t->duration_ms, t->trials);
	for (i = 0; i < t->nrows; i++) {
		cells(&t->rows[i], cell);
		fprintf(f, "%s\n%s  {\"kind\": \"%s\"", i ? "," : "", indent,
			cell[C_KIND]);
		for (c = C_EXPECTED; c < C_NR; c++)
			fprintf(f, c == C_ENDED_BY ? ", \"%s\": \"%s\"" : ", \"%s\": %s",
				col_names[c], cell[c]);
		fputc('}', f);
	}
	fprintf(f, "\n%s]}", indent);
}

/* The first sixteen fields are the first CSV's; the rest are appended. */
#define CSV_HEADER_BASE "space,run,threads,iterations,cpus,pin,kind,expected,actual,lost,elapsed_ns,ns_per_op,mops,thread_min_ns,thread_max_ns,retries"
#define CSV_HEADER CSV_HEADER_BASE ",ops_min,ops_max,start_skew_ns,end_skew_ns,nspo_min,nspo_max,trial,chunk,ended_by,duration_ms,trials"
#define CSV_LEAD	6	/* space .. pin */

void cl_csv_header(FILE *f)
{
	fputs(CSV_HEADER "\n", f);
}

void cl_csv_rows(FILE *f, const struct cl_table *t)
{
	char cell[C_NR][32];
	int i, c;

	for (i = 0; i < t->nrows; i++) {
		cells(&t->rows[i], cell);
		fprintf(f, "%s,%u,%u,%u,%u,%d", t->space, t->run, t->threads,
			t->iterations, t->cpus, t->pin);
		for (c = 0; c < C_NR; c++)
			fprintf(f, ",%s", cell[c]);
		fprintf(f, ",%u,%u\n", t->duration_ms, t->trials);
	}
}

void cl_table_print(FILE *f, const struct cl_table *t, enum cl_format fmt)
{
	switch (fmt) {
	case CL_FMT_JSON:
		print_json_table(f, t, "");
		fputc('\n', f);
		break;
	case CL_FMT_CSV:
		cl_csv_header(f);
		cl_csv_rows(f, t);
		break;
	default:
		print_aligned(f, t);
		break;
	}
}

/* kernel / user ns_per_op; 0 when userspace measured 0 (too fast). */
static double ratio(const struct cl_row *k, const struct cl_row *u)
{
	return u->ns_per_op > 0 ? k->ns_per_op / u->ns_per_op : 0;
}

/* nspo_max / nspo_min over the trials; 0 when too fast to measure. */
static double spread(const struct cl_row *r)
{
	return r->nspo_min > 0 ? r->nspo_max / r->nspo_min : 0;
}

/**
 * cl_median_table() - each kind's median run of @n runs of one method
 * @runs: the runs' tables, same configuration, same kinds
 * @n: how many (>= 1)
 * @m: @runs[0]'s header (run 0 when @n > 1: a summary, not a run), and
 *     for each kind the row of its median run by ns_per_op (the lower
 *     middle one for an even @n), nspo_min and nspo_max over every trial
 *     of every run
 */
void cl_median_table(const struct cl_table *runs, int n, struct cl_table *m)
{
	const struct cl_row *rows[CL_REPEAT_MAX] = { NULL }, *tmp;
	int i, j, k;

	*m = runs[0];
	if (n < 2 || n > CL_REPEAT_MAX)
		return;
	m->run = 0;
	for (k = 0; k < m->nrows; k++) {
		for (i = 0; i < n; i++) {
			rows[i] = cl_table_row(&runs[i], runs[0].rows[k].kind);
			if (!rows[i])
				rows[i] = &runs[0].rows[k];
			/* insertion sort by ns_per_op, stable */
			for (j = i; j > 0 && rows[j - 1]->ns_per_op > rows[j]->ns_per_op; j--) {
				tmp = rows[j];
				rows[j] = rows[j - 1];
				rows[j - 1] = tmp;
			}
		}
		m->rows[k] = *rows[(n - 1) / 2];
		for (i = 0; i < n; i++) {
			if (rows[i]->nspo_min < m->rows[k].nspo_min)
				m->rows[k].nspo_min = rows[i]->nspo_min;
			if (rows[i]->nspo_max > m->rows[k].nspo_max)
				m->rows[k].nspo_max = rows[i]->nspo_max;
		}
	}
}

/**
 * cl_compare_print() - kernel and userspace side by side
 * @f: where to print
 * @k: the kernel's table
 * @u: the userspace mirror's table, same configuration
 * @fmt: output format
 *
 * One line per kind both measured, with ratio = kernel / user ns_per_op.
 */
void cl_compare_print(FILE *f, const struct cl_table *k,
		      const struct cl_table *u, enum cl_format fmt)
{
	const struct cl_row *kr, *ur;
	int i, first = 1;

	if (fmt == CL_FMT_JSON) {
		fputs("{\"kernel\": ", f);
		print_json_table(f, k, "");
		fputs(",\n\"user\": ", f);
		print_json_table(f, u, "");
		fputs(",\n\"ratios\": [", f);
	} else if (fmt == CL_FMT_CSV) {
		fputs("kind,threads,iterations,kernel_ns_per_op,user_ns_per_op,ratio,kernel_mops,user_mops,kernel_lost,user_lost,kernel_nspo_min,kernel_nspo_max,user_nspo_min,user_nspo_max,duration_ms,trials\n",
		      f);
	} else {
		fprintf(f, "threads=%u iterations=%u cpus=%u pin=%d duration_ms=%u trials=%u; ratio = kernel / user ns_per_op; spread = nspo_max / nspo_min\n",
			k->threads, k->iterations, k->cpus, k->pin,
			k->duration_ms, k->trials);
		fprintf(f, "%-15s %12s %12s %8s %12s %12s %12s %12s %13s %11s\n",
			"kind", "kernel_ns_op", "user_ns_op", "ratio",
			"kernel_mops", "user_mops", "kernel_lost", "user_lost",
			"kernel_spread", "user_spread");
	}
	for (i = 0; i < k->nrows; i++) {
		kr = &k->rows[i];
		ur = cl_table_row(u, kr->kind);
		if (!ur)
			continue;
		if (fmt == CL_FMT_JSON) {
			fprintf(f, "%s\n  {\"kind\": \"%s\", \"kernel_ns_per_op\": %.2f, \"user_ns_per_op\": %.2f, \"ratio\": %.3f, \"kernel_spread\": %.3f, \"user_spread\": %.3f}",
				first ? "" : ",", kr->kind, kr->ns_per_op,
				ur->ns_per_op, ratio(kr, ur), spread(kr),
				spread(ur));
		} else if (fmt == CL_FMT_CSV) {
			fprintf(f, "%s,%u,%u,%.2f,%.2f,%.3f,%.2f,%.2f,%lld,%lld,%.2f,%.2f,%.2f,%.2f,%u,%u\n",
				kr->kind, k->threads, k->iterations,
				kr->ns_per_op, ur->ns_per_op, ratio(kr, ur),
				kr->mops, ur->mops, (long long)kr->lost,
				(long long)ur->lost, kr->nspo_min, kr->nspo_max,
				ur->nspo_min, ur->nspo_max, k->duration_ms,
				k->trials);
		} else {
			fprintf(f, "%-15s %12.2f %12.2f %8.2f %12.2f %12.2f %12lld %12lld %13.2f %11.2f\n",
				kr->kind, kr->ns_per_op, ur->ns_per_op,
				ratio(kr, ur), kr->mops, ur->mops,
				(long long)kr->lost, (long long)ur->lost,
				spread(kr), spread(ur));
		}
		first = 0;
	}
	if (fmt == CL_FMT_JSON)
		fputs("\n]}\n", f);
}

/**
 * cl_csv_parse() - read back what cl_csv_header() and cl_csv_rows() wrote
 * @text: the CSV, NUL-terminated
 * @t: tables, one per (space, run, threads) in order of appearance
 * @max: room in @t
 * @n: tables filled
 * @err, @len: one sentence with the line number
 *
 * Return: 0 or -1.
 */
int cl_csv_parse(const char *text, struct cl_table *t, int max, int *n,
		 char *err, size_t len)
{
	char line[MAX_LINE], *tok[MAX_COLS], *p;
	int where[C_NR], ntok, ln = 1, c, i, nfields, nlead;
	unsigned int v[7] = { 0 };
	struct cl_table *cur = NULL;
	struct cl_row *r;
	bool ext;

	*n = 0;
	if (next_line(&text, line, sizeof(line)) != 1 ||
	    (strcmp(line, CSV_HEADER) && strcmp(line, CSV_HEADER_BASE)))
		return cl_fail(err, len, "line 1: not a counterlab CSV header");
	/* An older CSV has the first sixteen fields only. */
	ext = !strcmp(line, CSV_HEADER);
	for (c = 0; c < C_NR; c++)
		where[c] = ext || c < C_BASE ? CSV_LEAD + c : -1;
	nfields = ext ? CSV_LEAD + C_NR + 2 : CSV_LEAD + C_BASE;
	nlead = ext ? 7 : 5;	/* the numbers that make a run's identity */
	v[6] = 1;		/* trials of an older CSV */
	while (next_line(&text, line, sizeof(line)) == 1) {
		ln++;
		if (!*line)
			continue;
		ntok = 0;
		for (p = line; ntok < MAX_COLS; p++) {
			tok[ntok++] = p;
			p = strchr(p, ',');
			if (!p)
				break;
			*p = '\0';
		}
		if (ntok != nfields)
			return cl_fail(err, len, "line %d: %d fields, want %d", ln,
				    ntok, nfields);
		if (strcmp(tok[0], "kernel") && strcmp(tok[0], "user"))
			return cl_fail(err, len, "line %d: space '%s' is not kernel or user",
				    ln, tok[0]);
		for (i = 0; i < nlead; i++) {
			/* run .. pin, then duration_ms and trials at the end */
			const char *f = i < 5 ? tok[1 + i] : tok[CSV_LEAD + C_NR + i - 5];

			if (cl_parse_uint(f, 0, UINT32_MAX, &v[i]))
				return cl_fail(err, len, "line %d: field %d '%s' is not a number",
					    ln, i < 5 ? i + 2 : CSV_LEAD + C_NR + i - 4, f);
		}
		if (!cur || strcmp(cur->space, tok[0]) || cur->run != v[0] ||
		    cur->threads != v[1] || cur->iterations != v[2] ||
		    cur->cpus != v[3] || cur->pin != (v[4] != 0) ||
		    cur->duration_ms != v[5] || cur->trials != v[6]) {
			if (*n == max)
				return cl_fail(err, len, "line %d: more than %d runs",
					    ln, max);
			if (v[6] < 1 || v[6] > CL_TRIALS_MAX)
				return cl_fail(err, len, "line %d: trials %u is not 1..%d",
					       ln, v[6], CL_TRIALS_MAX);
			cur = &t[(*n)++];
			memset(cur, 0, sizeof(*cur));
			cur->space = strcmp(tok[0], "kernel") ? "user" : "kernel";
			cur->run = v[0];
			cur->threads = v[1];
			cur->iterations = v[2];
			cur->cpus = v[3];
			cur->pin = v[4] != 0;
			cur->duration_ms = v[5];
			cur->trials = v[6];
		}
		if (cur->nrows == CL_MAX_ROWS)
			return cl_fail(err, len, "line %d: more than %d rows", ln,
				    CL_MAX_ROWS);
		r = &cur->rows[cur->nrows];
		memset(r, 0, sizeof(*r));
		if (parse_row(tok, where, r, ln, err, len))
			return -1;
		if (!ext)
			base_only(r, cur->iterations);
		if (check_row(cur, ln, err, len))
			return -1;
		cur->nrows++;
	}
	if (!*n)
		return cl_fail(err, len, "no rows after the header");
	return 0;
}
