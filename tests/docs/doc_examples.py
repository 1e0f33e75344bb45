#!/usr/bin/env python3
"""Every example in README.md and docs/*.md is run, and its output compared with the page.

An example is a fenced code block whose lines start with "$ ": each such line is a command,
and the lines after it, up to the next "$ " line or the end of the block, are what it prints
(stdout and stderr as a terminal shows them, colour off). Commands run with bash from a copy of
the repository's corpus, with the built programs first on PATH and the shipped corpus indexed
into ./index.db (the default --db), so `searcher ...` is what a user types after `scripts/search` has built the
index once; `scripts/search ARGS`, `build/release/indexer/indexer` and
`build/release/searcher/searcher` are read as the programs themselves.

A block right after a line `<!-- example not run: REASON -->` is shown only (benchmark figures
that take minutes and vary by machine).

  doc_examples.py check            compare (CTest)
  doc_examples.py update           rewrite the outputs in the pages from real runs

Environment: INDEXER, SEARCHER, SOURCE_DIR, WORK_DIR.
"""

import difflib
import glob
import os
import re
import shutil
import subprocess
import sys

INDEXER = os.environ["INDEXER"]
SEARCHER = os.environ["SEARCHER"]
SOURCE_DIR = os.environ["SOURCE_DIR"]
WORK_DIR = os.environ["WORK_DIR"]

FENCE = re.compile(r"^(```+|~~~+)")
NOT_RUN = re.compile(r"^<!-- example not run: .+ -->$")
ALIASES = [(re.compile(r"^scripts/search\b"), "searcher"),
           (re.compile(r"\bbuild/release/indexer/indexer\b"), "indexer"),
           (re.compile(r"\bbuild/release/searcher/searcher\b"), "searcher")]


def pages():
    found = [os.path.join(SOURCE_DIR, "README.md")]
    found += sorted(glob.glob(os.path.join(SOURCE_DIR, "docs", "**", "*.md"), recursive=True))
    return found


def examples(lines):
    """(first line index, last line index + 1, [(command, expected output lines, start, end)])
    for every console block of a page."""
    blocks = []
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        skipped = i > 0 and NOT_RUN.match(lines[i - 1].strip())
        end = i + 1
        while end < len(lines) and not lines[end].startswith(fence.group(1)):
            end += 1
        body = lines[i + 1:end]
        if body and body[0].startswith("$ ") and not skipped:
            commands = []
            for offset, line in enumerate(body):
                if line.startswith("$ "):
                    commands.append([line[2:], [], i + 1 + offset + 1, i + 1 + offset + 1])
                else:
                    commands[-1][1].append(line)
                    commands[-1][3] = i + 1 + offset + 1
            blocks.append(commands)
        i = end + 1
    return blocks


def environment():
    bin_dir = os.path.join(WORK_DIR, "bin")
    os.makedirs(bin_dir, exist_ok=True)
    for name, target in (("indexer", INDEXER), ("searcher", SEARCHER)):
        link = os.path.join(bin_dir, name)
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(target, link)
    root = os.path.join(WORK_DIR, "repo")
    if os.path.isdir(root):
        shutil.rmtree(root)
    os.makedirs(root)
    shutil.copytree(os.path.join(SOURCE_DIR, "corpus"), os.path.join(root, "corpus"))
    db = os.path.join(root, "index.db")
    subprocess.run([INDEXER, "--quiet", "--db", db, os.path.join(root, "corpus")], check=True)
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"],
               COLUMNS="100", LC_ALL="C.UTF-8")
    env.pop("CITE_DB", None)
    return root, env


def run(command, root, env):
    for pattern, replacement in ALIASES:
        command = pattern.sub(replacement, command)
    proc = subprocess.run(["bash", "-c", command], cwd=root, env=env, capture_output=True,
                          stdin=subprocess.DEVNULL, text=True)
    output = (proc.stdout + proc.stderr).rstrip("\n")
    return output.split("\n") if output else []


def main(argv):
    if len(argv) != 2 or argv[1] not in ("check", "update"):
        print(__doc__, file=sys.stderr)
        return 2
    root, env = environment()
    failures = 0
    count = 0
    for page in pages():
        with open(page, encoding="utf-8") as f:
            lines = f.read().split("\n")
        replacements = []
        for block in examples(lines):
            for command, expected, start, end in block:
                count += 1
                actual = run(command, root, env)
                wanted = [line.rstrip() for line in expected]
                while wanted and not wanted[-1]:
                    wanted.pop()
                # Trailing blanks are not compared (an editor may strip them), but an update
                # writes the output as printed, so that a page quotes --help byte for byte.
                if [line.rstrip() for line in actual] != wanted:
                    if argv[1] == "update":
                        replacements.append((start, end, actual))
                    else:
                        failures += 1
                        name = os.path.relpath(page, SOURCE_DIR)
                        print(f"{name}:{start}: `{command}` prints something else than the page shows:",
                              file=sys.stderr)
                        stripped = [line.rstrip() for line in actual]
                        for line in list(difflib.unified_diff(wanted, stripped, "page", "actual", lineterm=""))[:40]:
                            print("  " + line, file=sys.stderr)
        if replacements:
            for start, end, actual in sorted(replacements, reverse=True):
                lines[start:end] = actual
            with open(page, "w", encoding="utf-8") as f:
                f.write("\n".join(lines))
            print(f"updated {len(replacements)} example(s) in {os.path.relpath(page, SOURCE_DIR)}")
    if count == 0:
        print("no examples found", file=sys.stderr)
        return 1
    print(f"{count - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
