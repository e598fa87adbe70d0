// SPDX-License-Identifier: GPL-2.0
/*
 * counterlab: the debugfs interface, /sys/kernel/debug/counterlab/.
 *
 * threads, iterations, kinds, pin, duration_ms, trials (0600): what the
 *     next run does
 * run (0200): writing 1 starts a run and returns when it ends
 * status (0400): "<state> run=<n>"
 * results (0400): the last finished run's table, a row per kind (its
 *     median trial)
 * trial_results (0400): the same table with a row per trial
 * litmus/: the litmus engine's files (litmus.c)
 *
 * Every bad write fails with -EINVAL or -ERANGE and changes nothing; a
 * configuration write during a run (a litmus run too) fails with -EBUSY
 * before its value is even looked at. One write() or writev() call is one value, whatever its
 * segments: the writable files have .write_iter (the full proxy of
 * debugfs_create_file() passes only .write, one segment at a time), so
 * they are made with debugfs_create_file_unsafe(): their files are only
 * removed at module exit, which an open file holds off (.owner).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "counterlab.h"

static struct dentry *cl_dir;

/**
 * struct cl_param - one configuration file
 * @name: the file name
 * @set: parse @buf into @cfg; range checks are left to cl_config_check()
 * @show: print the current value from @cfg
 */
struct cl_param {
	const char *name;
	int (*set)(struct cl_config *cfg, const char *buf);
	void (*show)(struct seq_file *m, const struct cl_config *cfg);
};

/*
 * Copy one write call, all its segments, of 1..@max bytes into a
 * NUL-terminated buffer; a NUL inside the write is junk like any other.
 */
char *cl_copy_write_max(struct iov_iter *from, size_t max)
{
	size_t len = iov_iter_count(from);
	char *buf;

	if (!len || len > max)
		return ERR_PTR(-EINVAL);
	buf = kmalloc(len + 1, GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	if (copy_from_iter(buf, len, from) != len) {
		kfree(buf);
		return ERR_PTR(-EFAULT);
	}
	buf[len] = '\0';
	if (strlen(buf) != len) {
		kfree(buf);
		return ERR_PTR(-EINVAL);
	}
	return buf;
}

/* A decimal number, digits only (no sign), with one optional newline. */
static int cl_parse_u32(const char *buf, u32 *v)
{
	if (!isdigit(buf[0]))
		return -EINVAL;
	return kstrtou32(buf, 10, v);
}

static int cl_set_threads(struct cl_config *cfg, const char *buf)
{
	return cl_parse_u32(buf, &cfg->threads);
}

static int cl_set_iterations(struct cl_config *cfg, const char *buf)
{
	return cl_parse_u32(buf, &cfg->iterations);
}

static int cl_set_kinds(struct cl_config *cfg, const char *buf)
{
	return cl_kinds_parse(buf, &cfg->kinds);
}

static int cl_set_duration_ms(struct cl_config *cfg, const char *buf)
{
	return cl_parse_u32(buf, &cfg->duration_ms);
}

static int cl_set_trials(struct cl_config *cfg, const char *buf)
{
	return cl_parse_u32(buf, &cfg->trials);
}

static int cl_set_pin(struct cl_config *cfg, const char *buf)
{
	u32 v;
	int ret;

	ret = cl_parse_u32(buf, &v);
	if (ret)
		return ret;
	if (v > 1)
		return -ERANGE;
	cfg->pin = v;
	return 0;
}

static void cl_show_threads(struct seq_file *m, const struct cl_config *cfg)
{
	seq_printf(m, "%u\n", cfg->threads);
}

static void cl_show_iterations(struct seq_file *m, const struct cl_config *cfg)
{
	seq_printf(m, "%u\n", cfg->iterations);
}

static void cl_show_kinds(struct seq_file *m, const struct cl_config *cfg)
{
	char buf[CL_WRITE_MAX];

	cl_kinds_format(cfg->kinds, buf, sizeof(buf));
	seq_printf(m, "%s\n", buf);
}

static void cl_show_pin(struct seq_file *m, const struct cl_config *cfg)
{
	seq_printf(m, "%d\n", cfg->pin);
}

static void cl_show_duration_ms(struct seq_file *m, const struct cl_config *cfg)
{
	seq_printf(m, "%u\n", cfg->duration_ms);
}

static void cl_show_trials(struct seq_file *m, const struct cl_config *cfg)
{
	seq_printf(m, "%u\n", cfg->trials);
}

static const struct cl_param cl_params[] = {
	{ "threads", cl_set_threads, cl_show_threads },
	{ "iterations", cl_set_iterations, cl_show_iterations },
	{ "kinds", cl_set_kinds, cl_show_kinds },
	{ "pin", cl_set_pin, cl_show_pin },
	{ "duration_ms", cl_set_duration_ms, cl_show_duration_ms },
	{ "trials", cl_set_trials, cl_show_trials },
};

static int cl_param_show(struct seq_file *m, void *v)
{
	const struct cl_param *p = m->private;

	mutex_lock(&cl_lab.config_lock);
	p->show(m, &cl_lab.config);
	mutex_unlock(&cl_lab.config_lock);
	return 0;
}

/*
 * Not seekable: every write() is one whole value, pwrite() and lseek() fail
 * with -ESPIPE (nonseekable_open(), with no .llseek: the same on every
 * kernel, before and after v6.12 took no_llseek away).
 */
static int cl_param_open(struct inode *inode, struct file *file)
{
	int ret = single_open(file, cl_param_show, inode->i_private);

	return ret ? ret : nonseekable_open(inode, file);
}

static ssize_t cl_param_write(struct kiocb *iocb, struct iov_iter *from)
{
	struct seq_file *m = iocb->ki_filp->private_data;
	const struct cl_param *p = m->private;
	size_t len = iov_iter_count(from);
	struct cl_config cfg;
	char *buf;
	int ret;

	/* Copied before the lock: a faulting user page must not hold it. */
	buf = cl_copy_write_max(from, CL_WRITE_MAX);
	mutex_lock(&cl_lab.config_lock);
	if (cl_lab.state == CL_RUNNING || cl_litmus_running()) {
		ret = -EBUSY;	/* before the value is looked at */
		goto unlock;
	}
	if (IS_ERR(buf)) {
		ret = PTR_ERR(buf);
		goto unlock;
	}
	cfg = cl_lab.config;
	ret = p->set(&cfg, buf);
	if (!ret)
		ret = cl_config_check(&cfg);
	if (!ret)
		cl_lab.config = cfg;
unlock:
	mutex_unlock(&cl_lab.config_lock);
	if (!IS_ERR(buf))
		kfree(buf);
	return ret ? ret : len;
}

static const struct file_operations cl_param_fops = {
	.owner = THIS_MODULE,
	.open = cl_param_open,
	.read = seq_read,
	.write_iter = cl_param_write,
	.release = single_release,
};

/* An open run file whose write a signal interrupted: see cl_run_write(). */
static char cl_run_spent;

/*
 * A run write that a signal interrupted fails with -EINTR and spends its
 * open file: a retry on it (busybox's echo retries on EINTR) fails with
 * -ECANCELED and starts nothing, so one interrupted write is one aborted
 * run. Open the file again to run again. Shared by litmus/run (@run).
 */
ssize_t cl_run_file_write(struct kiocb *iocb, struct iov_iter *from,
			  int (*run)(void))
{
	struct file *file = iocb->ki_filp;
	size_t len = iov_iter_count(from);
	char *buf;
	u32 v;
	int ret;

	if (READ_ONCE(file->private_data) == &cl_run_spent)
		return -ECANCELED;
	buf = cl_copy_write_max(from, CL_WRITE_MAX);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = cl_parse_u32(buf, &v);
	kfree(buf);
	if (ret || v != 1)
		return -EINVAL;
	ret = run();
	if (ret == -EINTR)
		WRITE_ONCE(file->private_data, &cl_run_spent);
	return ret ? ret : len;
}

static ssize_t cl_run_write(struct kiocb *iocb, struct iov_iter *from)
{
	return cl_run_file_write(iocb, from, cl_run);
}

static const struct file_operations cl_run_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.write_iter = cl_run_write,
};

static int status_show(struct seq_file *m, void *v)
{
	static const char * const names[] = {
		[CL_IDLE] = "idle",
		[CL_RUNNING] = "running",
		[CL_DONE] = "done",
		[CL_ABORTED] = "aborted",
	};

	mutex_lock(&cl_lab.config_lock);
	seq_printf(m, "%s run=%u\n", names[cl_lab.state], cl_lab.runs);
	mutex_unlock(&cl_lab.config_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

static int results_show(struct seq_file *m, void *v)
{
	mutex_lock(&cl_lab.config_lock);
	if (cl_lab.results)
		seq_puts(m, cl_lab.results);
	mutex_unlock(&cl_lab.config_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(results);

static int trial_results_show(struct seq_file *m, void *v)
{
	mutex_lock(&cl_lab.config_lock);
	if (cl_lab.trial_results)
		seq_puts(m, cl_lab.trial_results);
	mutex_unlock(&cl_lab.config_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(trial_results);

void cl_debugfs_init(void)
{
	int i;

	cl_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	for (i = 0; i < ARRAY_SIZE(cl_params); i++)
		debugfs_create_file_unsafe(cl_params[i].name, 0600, cl_dir,
					   (void *)&cl_params[i], &cl_param_fops);
	debugfs_create_file_unsafe("run", 0200, cl_dir, NULL, &cl_run_fops);
	debugfs_create_file("status", 0400, cl_dir, NULL, &status_fops);
	debugfs_create_file("results", 0400, cl_dir, NULL, &results_fops);
	debugfs_create_file("trial_results", 0400, cl_dir, NULL,
			    &trial_results_fops);
	cl_litmus_debugfs_init(cl_dir);
}

void cl_debugfs_exit(void)
{
	debugfs_remove_recursive(cl_dir);
}
