#!/usr/bin/env python3
"""The layering check (scripts/check-layering) on the source tree, and on a copy given one
include against the order, which it must reject.

  layering_test.py order|detects_back_edge     (environment: SOURCE_DIR)
"""
import os
import shutil
import subprocess
import sys
import tempfile

SOURCE_DIR = os.environ["SOURCE_DIR"]
SCRIPT = os.path.join(SOURCE_DIR, "scripts", "check-layering")


def check_tree(root):
    return subprocess.run([sys.executable, SCRIPT, root], capture_output=True, text=True)


def case_order():
    result = check_tree(SOURCE_DIR)
    print(result.stdout + result.stderr, end="")
    return result.returncode


def case_detects_back_edge():
    """analysis, first in the order, made to include output: exit 1, naming the file and line."""
    with tempfile.TemporaryDirectory() as root:
        shutil.copytree(os.path.join(SOURCE_DIR, "core"), os.path.join(root, "core"))
        shutil.copytree(os.path.join(SOURCE_DIR, "docs"), os.path.join(root, "docs"))
        victim = os.path.join(root, "core", "src", "analysis", "utf8.cpp")
        with open(victim, encoding="utf-8") as f:
            lines = f.read().split("\n")
        lines.insert(1, '#include "cite/output/result_sink.hpp"')
        with open(victim, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        result = check_tree(root)
        expected = "core/src/analysis/utf8.cpp:2: analysis includes output"
        if result.returncode != 1 or expected not in result.stderr:
            print(f"FAIL: exit {result.returncode}, stderr: {result.stderr!r}; expected {expected!r}")
            return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(globals()["case_" + sys.argv[1]]())
