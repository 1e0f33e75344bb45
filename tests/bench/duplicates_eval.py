#!/usr/bin/env python3
"""ctest's eval.bbc_duplicates: copies of one story found by the indexer on the BBC News set
(../shared/eval/bbc, or $BBC), against pairs computed here from the files alone:

  strict   byte-identical files (same SHA-256), and same-body files: the same bytes after the
           first line (the headline), whatever the headline;
  variant  the same body up to spacing, case and punctuation (the same sequence of words);
  revised  a revision of one article: at least REVISED_RATIO of the bodies' words align in
           order (difflib's SequenceMatcher ratio over words: longest common blocks, a
           different measure from the index's shingle MinHash).

Every pair of files in one group of `searcher copies --all` is a predicted pair. Recall over
the strict pairs and precision over strict, variant and revised pairs must both be at least
TARGET; precision over the strict pairs alone is printed too (the BBC set holds re-edited
copies of many stories, with typos fixed or a paragraph added, that the strict list misses).
Files that are not UTF-8 are left out: the indexer skips them (it reports each and exits 2).

With --near, also prints every pair of documents the index compares whose estimated
similarity lies within 0.15 of the threshold, with both headlines, for checking by hand.
Exits SKIP_CODE, which ctest reports as skipped, when the data is absent.

Usage: duplicates_eval.py SOURCE_DIR WORK_DIR INDEXER SEARCHER [--near]
"""

import difflib
import hashlib
import itertools
import re
import json
import os
import shutil
import subprocess
import sys

SKIP_CODE = 77  # SKIP_RETURN_CODE in tests/bench/CMakeLists.txt
TARGET = 0.95
REVISED_RATIO = 0.75


def data_dir(source_dir):
    return os.environ.get("BBC") or os.path.join(source_dir, "..", "shared", "eval", "bbc")


def corpus_files(root):
    files = []
    for folder, _, names in os.walk(root):
        for name in names:
            if name.endswith(".txt"):
                files.append(os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/"))
    return sorted(files)


def expected_pairs(root):
    """Pairs (a, b), a < b, of byte-identical or same-body files; and the files left out."""
    by_bytes, by_body, left_out = {}, {}, []
    for name in corpus_files(root):
        with open(os.path.join(root, name), "rb") as f:
            data = f.read()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            left_out.append(name)
            continue
        by_bytes.setdefault(hashlib.sha256(data).digest(), []).append(name)
        newline = data.find(b"\n")
        body = data[newline + 1:] if newline >= 0 else b""
        if body.strip():
            by_body.setdefault(hashlib.sha256(body).digest(), []).append(name)
    pairs = set()
    for groups in (by_bytes, by_body):
        for names in groups.values():
            pairs.update(itertools.combinations(sorted(names), 2))
    return pairs, left_out


def body_words(root, name):
    with open(os.path.join(root, name), encoding="utf-8") as f:
        text = f.read()
    return re.findall(r"\w+", text.split("\n", 1)[1].lower() if "\n" in text else "")


def kind_of_pair(root, a, b, strict):
    """'strict', 'variant', 'revised' or None for a pair of files, decided from their bodies."""
    if (a, b) in strict:
        return "strict"
    wa, wb = body_words(root, a), body_words(root, b)
    if wa == wb:
        return "variant"
    ratio = difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio()
    return "revised" if ratio >= REVISED_RATIO else None


def run(command, **kwargs):
    return subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def predicted_groups(searcher, db):
    result = run([searcher, "copies", "--all", "--format", "json", "--db", db])
    if result.returncode not in (0, 1):
        sys.exit(f"FAIL: searcher copies --all exited {result.returncode}: {result.stderr}")
    return json.loads(result.stdout)["groups"]


def headline(root, name):
    with open(os.path.join(root, name), encoding="utf-8", errors="replace") as f:
        return f.readline().strip()


def main():
    source_dir, work, indexer, searcher = sys.argv[1:5]
    near = "--near" in sys.argv[5:]
    root = data_dir(source_dir)
    if not os.path.isdir(root):
        print(f"SKIPPED: no BBC data at {os.path.abspath(root)} (set BBC to look elsewhere)")
        sys.exit(SKIP_CODE)
    expected, left_out = expected_pairs(root)

    db = os.path.join(work, "bbc-duplicates.db")
    shutil.rmtree(db, ignore_errors=True)
    os.makedirs(work, exist_ok=True)
    built = run([indexer, "--db", db, root])
    # 2: some file was skipped (the ones left out above); anything else is a failure.
    if built.returncode not in (0, 2) or not os.path.isdir(db):
        sys.exit(f"FAIL: indexer exited {built.returncode}: {built.stderr}")

    groups = predicted_groups(searcher, db)
    predicted = set()
    for group in groups:
        names = sorted(m["source"] for m in group["members"])
        predicted.update(itertools.combinations(names, 2))
    kinds = {pair: kind_of_pair(root, *pair, expected) for pair in predicted}
    correct = [pair for pair, kind in kinds.items() if kind]
    strict_precision = len(predicted & expected) / len(predicted) if predicted else 0.0
    precision = len(correct) / len(predicted) if predicted else 0.0
    recall = len(predicted & expected) / len(expected) if expected else 1.0
    count = {k: sum(1 for v in kinds.values() if v == k) for k in ("strict", "variant", "revised", None)}
    print(f"BBC: {len(expected)} strict pairs ({len(left_out)} file(s) not UTF-8 left out: "
          f"{', '.join(left_out)}); {len(predicted)} predicted in {len(groups)} groups: "
          f"{count['strict']} strict, {count['variant']} variant, {count['revised']} revised, {count[None]} none")
    print(f"  recall (strict) {recall:.4f}, precision (strict, variant, revised) {precision:.4f} "
          f"(target {TARGET}); precision against the strict pairs alone {strict_precision:.4f}")
    for (a, b), kind in sorted(kinds.items()):
        if kind != "strict":
            print(f"  predicted, {kind or 'NOT A COPY'}: {a} | {b}: {headline(root, a)!r} / {headline(root, b)!r}")
    for a, b in sorted(expected - predicted):
        print(f"  expected, not predicted: {a} | {b}: {headline(root, a)!r} / {headline(root, b)!r}")

    if near:
        print_near_pairs(searcher, db, root, groups)
    if precision < TARGET or recall < TARGET:
        sys.exit(f"FAIL: precision {precision:.4f} or recall {recall:.4f} below {TARGET}")


def print_near_pairs(searcher, db, root, groups):
    """Every document's group with similarities, for the pairs near the threshold."""
    threshold = None
    seen = set()
    for name in corpus_files(root):
        result = run([searcher, "copies", "--format", "json", "--db", db, name])
        if result.returncode not in (0, 1):
            continue
        report = json.loads(result.stdout)
        threshold = report["threshold"]
        for m in [m for g in report["groups"] for m in g["members"]] + report["near"]:
            s = m["similarity"]
            pair = tuple(sorted((name, m["source"])))
            if m["source"] == name or s is None or pair in seen or abs(s - threshold) > 0.15:
                continue
            seen.add(pair)
            side = "grouped" if s >= threshold else "not grouped"
            print(f"  near threshold, {side} {s:.2f}: {pair[0]} | {pair[1]}: "
                  f"{headline(root, pair[0])!r} / {headline(root, pair[1])!r}")
    print(f"  {len(seen)} pair(s) compared within 0.15 of the threshold {threshold}")


if __name__ == "__main__":
    main()
