#!/usr/bin/env python3
"""Reads JMH logs of runs with -XX:+PrintCompilation -XX:+PrintInlining and reports, for every
method of the generated classes (and the runtime helpers they call) that ran: its bytecode size,
the highest tier it was compiled at on its own, where C2 inlined it, and every refusal
(COMPILE SKIPPED, "too big", "hot method too big", ...).

  jit_report.py LOG... [--pattern REGEX]

A method counts as JIT-compiled when C2 compiled it (tier 4) or inlined it into a C2-compiled caller.
Exit status 1 if a method that ran was neither.
"""
import argparse
import collections
import re
import sys

COMP = re.compile(r"^\s*\d+\s+\d+\s+([%sbn!]*)\s*(\d)\s+(\S+::\S+)\s+(?:@\s*\d+\s+)?\((\d+) bytes\)(.*)$")
# C2's inlining verdicts (C1 prints "inline" without "(hot)" and "callee is too large")
C2_VERDICT = re.compile(r"\(hot\)|hot method too big|^too big|already compiled into|DesiredMethodLimit|"
                        r"NodeCountInliningCutoff|inlining too deep|recursive inlining|intrinsic|unloaded signature")
INL = re.compile(r"^[\s|]*@\s*\d+\s+(\S+::\S+)\s+\((\d+) bytes\)\s+(.*?)\s*$")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("logs", nargs="+")
    ap.add_argument("--pattern", default=r"UnrolledBenchModels_|dev\.unroll\.internal\.")
    a = ap.parse_args()
    pat = re.compile(a.pattern)
    level = collections.defaultdict(int)
    size = {}
    skipped = collections.defaultdict(set)
    verdicts = collections.defaultdict(collections.Counter)
    deopt = collections.Counter()
    for path in a.logs:
        with open(path, errors="replace") as f:
            for line in f:
                m = COMP.match(line)
                if m:
                    flags, lvl, meth, nbytes, rest = m.groups()
                    if not pat.search(meth):
                        continue
                    size[meth] = int(nbytes)
                    if "made not entrant" in rest:
                        deopt[meth] += 1
                    elif "COMPILE SKIPPED" in rest or "skipped" in rest.lower():
                        skipped[meth].add(rest.strip())
                    else:
                        level[meth] = max(level[meth], int(lvl))
                    continue
                m = INL.match(line)
                if m and pat.search(m.group(1)):
                    meth, nbytes, verdict = m.groups()
                    size.setdefault(meth, int(nbytes))
                    verdict = re.sub(r"\s+", " ", verdict)
                    verdicts[meth][verdict + (" [C2]" if C2_VERDICT.search(verdict) else " [C1]")] += 1
    bad = []
    rows = []
    for meth in sorted(size):
        inlined_c2 = any(v.endswith("[C2]") and v.startswith("inline") for v in verdicts[meth])
        ok = level.get(meth, 0) == 4 or inlined_c2
        if not ok:
            bad.append(meth)
        refusals = sorted({v for v in verdicts[meth] if not v.startswith("inline") and v.endswith("[C2]")})
        rows.append((meth, size[meth], level.get(meth, 0), inlined_c2, refusals, sorted(skipped[meth]), deopt[meth], ok))
    print(f"{'method':86s} {'bytes':>6s} tier C2-inlined  ok  notes")
    for meth, nb, lvl, inl, refusals, sk, de, ok in rows:
        notes = []
        if refusals:
            notes.append("C2 did not inline it at some call sites: " + "; ".join(r[:-5] for r in refusals))
        if sk:
            notes.append("COMPILE SKIPPED: " + "; ".join(sk))
        if de:
            notes.append(f"made not entrant {de}x")
        print(f"{meth:86s} {nb:6d} {lvl:4d} {'yes' if inl else 'no':>10s} {'yes' if ok else 'NO':>4s}  {' | '.join(notes)}")
    print()
    if bad:
        print(f"NOT JIT-compiled by C2 ({len(bad)}): " + ", ".join(bad))
        return 1
    print(f"every one of the {len(rows)} generated and runtime methods that ran was compiled by C2 (tier 4) or inlined into C2 code")
    return 0


if __name__ == "__main__":
    sys.exit(main())
