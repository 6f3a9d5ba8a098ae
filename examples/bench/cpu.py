#!/usr/bin/env python3
"""Contention on a shared machine: how much CPU *other* processes use.

  cpu.py wait [--max S] [--below CORES]   wait (up to S seconds) until other processes use < CORES
  cpu.py run OUT.json -- CMD ARGS...      run CMD, sampling once a second the CPU that processes
                                          outside CMD's process tree used; write a summary to
                                          OUT.json and exit with CMD's status

Busy time comes from /proc/stat (all CPUs), the command's own time from /proc/<pid>/stat of it
and its descendants (the JMH forks), so "foreign" is everything else: colleagues' builds.
"""
import json
import os
import subprocess
import sys
import time

TCK = os.sysconf("SC_CLK_TCK")


def busy_jiffies():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return v[0] + v[1] + v[2] + v[5] + v[6] + v[7]


def proc_table():
    """pid -> (ppid, utime+stime+cutime+cstime jiffies)."""
    t = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                s = f.read()
        except OSError:
            continue
        rest = s[s.rfind(")") + 2:].split()
        # rest[0] = state, rest[1] = ppid, utime = rest[11], stime = rest[12], cutime 13, cstime 14
        t[int(d)] = (int(rest[1]), int(rest[11]) + int(rest[12]) + int(rest[13]) + int(rest[14]))
    return t


def tree_jiffies(root, table, seen):
    """CPU of root and its live descendants; remembers the last value of every pid seen so that
    a fork that has exited (and been reaped into cutime) is not counted twice or lost."""
    kids = {}
    for pid, (ppid, _) in table.items():
        kids.setdefault(ppid, []).append(pid)
    stack, total = [root], 0
    while stack:
        p = stack.pop()
        if p in table:
            seen[p] = table[p][1]
        stack.extend(kids.get(p, []))
    return sum(seen.values())


def cmd_wait(max_s=60.0, below=0.25, window=1.0):
    t0 = time.time()
    me = os.getpid()
    while True:
        b0, o0 = busy_jiffies(), os.times()
        time.sleep(window)
        own = (os.times().user + os.times().system) - (o0.user + o0.system)
        foreign = max(0.0, (busy_jiffies() - b0) / TCK - own) / window
        if foreign < below or time.time() - t0 >= max_s:
            print(f"cpu: other processes use {foreign:.2f} cores (waited {time.time() - t0:.0f}s)", flush=True)
            return


def cmd_run(out, cmd):
    proc = subprocess.Popen(cmd)
    seen = {}
    samples = []
    b_prev, o_prev, t_prev = busy_jiffies(), tree_jiffies(proc.pid, proc_table(), seen), time.time()
    while proc.poll() is None:
        time.sleep(1.0)
        b, o, t = busy_jiffies(), tree_jiffies(proc.pid, proc_table(), seen), time.time()
        foreign = max(0.0, ((b - b_prev) - (o - o_prev)) / TCK) / max(t - t_prev, 1e-3)
        samples.append(round(foreign, 3))
        b_prev, o_prev, t_prev = b, o, t
    rc = proc.wait()
    summary = {
        "cmd": cmd[:3],
        "seconds": len(samples),
        "foreign_cores_mean": round(sum(samples) / len(samples), 3) if samples else 0.0,
        "foreign_cores_max": max(samples) if samples else 0.0,
        "share_of_seconds_with_foreign_over_0.5": round(sum(1 for s in samples if s > 0.5) / len(samples), 3) if samples else 0.0,
        "loadavg_end": os.getloadavg(),
        "samples": samples,
    }
    with open(out, "w") as f:
        json.dump(summary, f)
    return rc


def main(argv):
    if len(argv) >= 1 and argv[0] == "wait":
        max_s, below = 60.0, 0.25
        i = 1
        while i < len(argv):
            if argv[i] == "--max":
                max_s = float(argv[i + 1]); i += 2
            elif argv[i] == "--below":
                below = float(argv[i + 1]); i += 2
            else:
                raise SystemExit("cpu.py wait: unknown option " + argv[i])
        cmd_wait(max_s, below)
        return 0
    if len(argv) >= 3 and argv[0] == "run" and "--" in argv:
        k = argv.index("--")
        return cmd_run(argv[1], argv[k + 1:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
