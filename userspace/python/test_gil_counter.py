# SPDX-License-Identifier: GPL-2.0
"""Tests of gil_counter.py: exact locked kinds, bounded unlocked kinds,
its table and CSV output, and exit status 2 on bad options.

Run: python3 -m unittest discover -s userspace/python
(tests/host/test-python runs the same tests and prints TAP).
"""

import csv
import io
import os
import subprocess
import sys
import unittest

import gil_counter

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "gil_counter.py")
THREADS = 2
ITERATIONS = 20000
LOCKED = ("py_threads_lock", "py_mp_value_lock")
UNLOCKED = ("py_threads_plain", "py_threads_call", "py_mp_value_nolock")


def run_script(*args):
    """Run gil_counter.py with args; return the CompletedProcess."""
    return subprocess.run([sys.executable, SCRIPT, *args],
                          capture_output=True, text=True, timeout=300,
                          check=False)


class TestKinds(unittest.TestCase):
    """What each kind counts."""

    def check_row(self, row, kind):
        self.assertEqual(row["kind"], kind)
        self.assertEqual(row["expected"], THREADS * ITERATIONS)
        self.assertEqual(row["lost"], row["expected"] - row["actual"])
        self.assertGreater(row["elapsed_ns"], 0)
        self.assertAlmostEqual(row["ns_per_op"],
                               row["elapsed_ns"] * THREADS / row["expected"])

    def test_locked_kinds_are_exact(self):
        for kind in LOCKED:
            with self.subTest(kind=kind):
                row = gil_counter.run_kind(kind, THREADS, ITERATIONS)
                self.check_row(row, kind)
                self.assertEqual(row["actual"], row["expected"])
                self.assertEqual(row["lost"], 0)

    def test_unlocked_kinds_lose_but_never_add(self):
        for kind in UNLOCKED:
            with self.subTest(kind=kind):
                row = gil_counter.run_kind(kind, THREADS, ITERATIONS)
                self.check_row(row, kind)
                self.assertLessEqual(row["actual"], row["expected"])
                self.assertGreater(row["actual"], 0)

    def test_switch_interval_is_restored(self):
        before = gil_counter.sys.getswitchinterval()
        gil_counter.run_kind("py_threads_plain", THREADS, 1000)
        self.assertEqual(gil_counter.sys.getswitchinterval(), before)


class TestCommandLine(unittest.TestCase):
    """Options, output formats and exit status."""

    def test_csv_has_a_row_per_kind(self):
        res = run_script("-t", "2", "-n", "1000", "--format", "csv")
        self.assertEqual(res.returncode, 0, res.stderr)
        rows = list(csv.DictReader(io.StringIO(res.stdout)))
        self.assertEqual(tuple(r["kind"] for r in rows), gil_counter.KINDS)
        for row in rows:
            self.assertEqual(int(row["expected"]), 2000)
            self.assertEqual(int(row["lost"]),
                             int(row["expected"]) - int(row["actual"]))

    def test_table_has_the_kernel_columns(self):
        res = run_script("-t", "1", "-n", "1000", "-k", "py_threads_lock")
        self.assertEqual(res.returncode, 0, res.stderr)
        lines = res.stdout.splitlines()
        self.assertTrue(lines[0].startswith("# python "))
        self.assertEqual(tuple(lines[1].split()), gil_counter.COLUMNS)
        fields = lines[2].split()
        self.assertEqual(fields[:4], ["py_threads_lock", "1000", "1000", "0"])

    def test_bad_options_exit_2(self):
        bad = (["-t", "0"], ["-t", "-1"], ["-t", "two"], ["-n", "0"],
               ["-n", "1.5"], ["-n", ""], ["--format", "xml"],
               ["-k", "nosuch"], ["--nosuch"])
        for args in bad:
            with self.subTest(args=args):
                res = run_script(*args)
                self.assertEqual(res.returncode, 2)
                self.assertEqual(res.stdout, "")
                self.assertIn("error:", res.stderr)


if __name__ == "__main__":
    unittest.main()
