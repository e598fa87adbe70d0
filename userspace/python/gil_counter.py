#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Shared counters in CPython: what the GIL does and does not protect.

counterlab's kernel table, redone with Python's own primitives.  Each kind
lets THREADS workers (threads or processes) increment one shared counter
ITERATIONS times each, opened by a start gate, and reports what was
counted and how long it took:

py_threads_plain    threads doing ``x += 1`` on a module global, no lock.
                    The GIL runs one thread at a time but may switch
                    threads between bytecodes; ``x += 1`` is a load, an add
                    and a store, so a switch between the load and the store
                    loses an update.  ``sys.setswitchinterval`` is set very
                    small to ask for switches as often as possible.  Since
                    CPython 3.10 a switch happens only where the eval loop
                    checks its "eval breaker": on a backward jump or a
                    function entry, never between the load and the store of
                    ``x += 1``, so this kind rarely or never loses updates
                    there (0 on Debian 12's Python 3.11).  That is an
                    implementation detail, not a guarantee.
py_threads_call     the same read-modify-write with a call in the middle
                    (``x = plus_one(x)``): the function entry is a switch
                    point between the load and the store, and updates are
                    lost on every CPython: the GIL never made ``x += 1``
                    atomic.
py_threads_lock     ``with lock: x += 1`` under one ``threading.Lock``.
py_mp_value_nolock  processes doing ``v.value += 1`` on a
                    ``multiprocessing.Value('i')`` in shared memory: the
                    getter and the setter each take the Value's lock, but
                    not the two together, and the processes run in
                    parallel, with no GIL between them.
py_mp_value_lock    ``with v.get_lock(): v.value += 1``.

Columns follow counterlab's: expected = threads x iterations, lost =
expected - actual, elapsed_ns from the opening of the start gate to the
end of the last worker, ns_per_op = elapsed_ns x threads / expected
(perfbook's convention: time per update per worker), mops = expected /
elapsed in millions of updates per second.
"""

import argparse
import multiprocessing
import os
import platform
import sys
import threading
import time

KINDS = ("py_threads_plain", "py_threads_call", "py_threads_lock",
         "py_mp_value_nolock", "py_mp_value_lock")
COLUMNS = ("kind", "expected", "actual", "lost", "elapsed_ns",
           "ns_per_op", "mops")
SWITCH_INTERVAL = 1e-6  # seconds; CPython's default is 5e-3

x = 0  # the shared counter of the thread kinds: a module global


def plus_one(value):
    """Return value + 1 (a function call: a thread switch point)."""
    return value + 1


def _threads_plain(gate, iterations):
    global x
    gate.wait()
    for _ in range(iterations):
        x += 1


def _threads_call(gate, iterations):
    global x
    gate.wait()
    for _ in range(iterations):
        x = plus_one(x)


def _threads_lock(gate, iterations, lock):
    global x
    gate.wait()
    for _ in range(iterations):
        with lock:
            x += 1


def _mp_value_nolock(gate, iterations, value):
    gate.wait()
    for _ in range(iterations):
        value.value += 1


def _mp_value_lock(gate, iterations, value):
    gate.wait()
    lock = value.get_lock()
    for _ in range(iterations):
        with lock:
            value.value += 1


def _gated(workers, gate):
    """Start workers, open the gate, wait for them; return elapsed ns."""
    for worker in workers:
        worker.start()
    gate.wait()
    start = time.perf_counter_ns()
    for worker in workers:
        worker.join()
    return time.perf_counter_ns() - start


def run_threads(kind, threads, iterations):
    """Run one thread kind; return (actual, elapsed_ns)."""
    global x
    x = 0
    gate = threading.Barrier(threads + 1)
    target, extra = {
        "py_threads_plain": (_threads_plain, ()),
        "py_threads_call": (_threads_call, ()),
        "py_threads_lock": (_threads_lock, (threading.Lock(),)),
    }[kind]
    workers = [threading.Thread(target=target,
                                args=(gate, iterations) + extra)
               for _ in range(threads)]
    old = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        elapsed = _gated(workers, gate)
    finally:
        sys.setswitchinterval(old)
    return x, elapsed


def run_processes(kind, threads, iterations):
    """Run one multiprocessing kind; return (actual, elapsed_ns)."""
    value = multiprocessing.Value("i", 0)
    gate = multiprocessing.Barrier(threads + 1)
    target = {
        "py_mp_value_nolock": _mp_value_nolock,
        "py_mp_value_lock": _mp_value_lock,
    }[kind]
    workers = [multiprocessing.Process(target=target,
                                       args=(gate, iterations, value))
               for _ in range(threads)]
    elapsed = _gated(workers, gate)
    for worker in workers:
        if worker.exitcode != 0:
            raise RuntimeError(f"{kind}: a worker exited with status "
                               f"{worker.exitcode}")
    return value.value, elapsed


def run_kind(kind, threads, iterations):
    """Run one kind; return its row as a dict keyed by COLUMNS."""
    if kind.startswith("py_threads_"):
        actual, elapsed = run_threads(kind, threads, iterations)
    else:
        actual, elapsed = run_processes(kind, threads, iterations)
    expected = threads * iterations
    elapsed = max(elapsed, 1)
    return {
        "kind": kind,
        "expected": expected,
        "actual": actual,
        "lost": expected - actual,
        "elapsed_ns": elapsed,
        "ns_per_op": elapsed * threads / expected,
        "mops": expected * 1000 / elapsed,
    }


def positive_int(text):
    """argparse type: a positive decimal integer."""
    try:
        value = int(text, 10)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(
            f"wants a positive integer, not '{text}'")
    return value


def parse_args(argv):
    """Parse the command line; exit 2 with a message when it is bad."""
    parser = argparse.ArgumentParser(
        description="Lost updates and cost of shared counters in CPython: "
                    "threads under the GIL, with and without a Lock, and "
                    "processes on a multiprocessing.Value.")
    parser.add_argument("-t", "--threads", type=positive_int, default=2,
                        help="workers (threads or processes) per kind "
                             "(default 2)")
    parser.add_argument("-n", "--iterations", type=positive_int,
                        default=100000,
                        help="increments per worker (default 100000)")
    parser.add_argument("-k", "--kind", action="append", choices=KINDS,
                        help="run only this kind (repeatable; default: all)")
    parser.add_argument("--format", choices=("table", "csv"),
                        default="table", help="output format")
    return parser.parse_args(argv)


def format_row(row, fmt):
    """Format one row (a dict) or the header (None)."""
    if fmt == "csv":
        if row is None:
            return ",".join(COLUMNS)
        return ",".join([row["kind"], str(row["expected"]),
                         str(row["actual"]), str(row["lost"]),
                         str(row["elapsed_ns"]),
                         f"{row['ns_per_op']:.2f}", f"{row['mops']:.2f}"])
    if row is None:
        return ("%-19s %-13s %-13s %-13s %-13s %10s %10s"
                % COLUMNS).rstrip()
    return ("%-19s %-13d %-13d %-13d %-13d %10.2f %10.2f"
            % (row["kind"], row["expected"], row["actual"], row["lost"],
               row["elapsed_ns"], row["ns_per_op"], row["mops"]))


def main(argv=None):
    """Run the kinds asked for and print their table; return 0."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    kinds = args.kind or KINDS
    if args.format == "table":
        print(f"# python {platform.python_version()} "
              f"({platform.python_implementation()}) "
              f"threads={args.threads} iterations={args.iterations} "
              f"cpus={os.cpu_count()} switchinterval={SWITCH_INTERVAL:g}")
    print(format_row(None, args.format))
    for kind in kinds:
        print(format_row(run_kind(kind, args.threads, args.iterations),
                         args.format), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
