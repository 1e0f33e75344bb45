"""The SciFact evaluation pipeline, shared by scripts/eval, scripts/ranking-grid and the ctest
quality guard (tests/bench/eval_guard.py) so that all three measure the same thing:
unpack the corpus, index it, write a split's claims, search every claim, score the run with
the C++ evaluator (tests/bench/evaluate.cpp). A module, not a script.
"""

import collections
import gzip
import json
import os
import subprocess

# How claims are searched. Everything measured goes through this one list: change it here
# (and re-measure the README's figures), not in one caller.
SEARCHER_FLAGS = ["--literal", "--ranking", "score", "--format", "trec", "--limit", "100"]

K_NDCG = 10
K_RECALL = 100

Binaries = collections.namedtuple("Binaries", "indexer searcher evaluate")


def build_binaries(build_dir):
    """The executables of a CMake build directory (e.g. build/release)."""
    return Binaries(os.path.join(build_dir, "indexer", "indexer"), os.path.join(build_dir, "searcher", "searcher"),
                    os.path.join(build_dir, "tests", "bench", "evaluate"))


def data_dir(source_dir):
    """$SCIFACT, else ../shared/eval/scifact beside the repository at `source_dir`."""
    return os.environ.get("SCIFACT") or os.path.join(source_dir, "..", "shared", "eval", "scifact")


def missing_file(data):
    """The first SciFact file absent from `data`, or None when all are there."""
    for name in ("corpus.jsonl.gz", "queries.jsonl", os.path.join("qrels", "train.tsv"),
                 os.path.join("qrels", "test.tsv")):
        if not os.path.isfile(os.path.join(data, name)):
            return os.path.join(data, name)
    return None


def qrels_path(data, split):
    return os.path.join(data, "qrels", f"{split}.tsv")


def prepare_index(binaries, data, work):
    """Unpacks the corpus to work/scifact.jsonl (once) and indexes it into work/scifact.db.
    Incremental: an unchanged corpus takes a moment; a changed analyzer re-indexes it all."""
    os.makedirs(work, exist_ok=True)
    corpus = os.path.join(work, "scifact.jsonl")
    if not os.path.exists(corpus):
        # Through a temporary name: an interrupted unpack must not pass for the corpus.
        with gzip.open(os.path.join(data, "corpus.jsonl.gz"), "rb") as src, open(corpus + ".new", "wb") as dst:
            dst.write(src.read())
        os.replace(corpus + ".new", corpus)
    subprocess.run([binaries.indexer, "--quiet", "--db", os.path.join(work, "scifact.db"), corpus], check=True)


def write_queries(data, work, split):
    """work/SPLIT.tsv, 'ID<TAB>CLAIM' for every claim judged in the split (runs of white space
    folded to one space); returns its path."""
    judged = set()
    with open(qrels_path(data, split), encoding="utf-8") as f:
        next(f)  # the BEIR header
        judged.update(line.split("\t", 1)[0] for line in f if line.strip())
    queries = os.path.join(work, f"{split}.tsv")
    with open(os.path.join(data, "queries.jsonl"), encoding="utf-8") as f, \
            open(queries, "w", encoding="utf-8") as out:
        for line in f:
            q = json.loads(line)
            if q["_id"] in judged:
                out.write(q["_id"] + "\t" + " ".join(q["text"].split()) + "\n")
    return queries


def evaluate(binaries, data, split, run):
    """Scores the TREC run file `run` against the split's qrels:
    {"queries": N, "ndcg": nDCG@10, "recall": R@100}."""
    proc = subprocess.run([binaries.evaluate, "--qrels", qrels_path(data, split), "--k-ndcg", str(K_NDCG),
                           "--k-recall", str(K_RECALL), run], check=True, capture_output=True, text=True)
    figures = dict(line.split() for line in proc.stdout.splitlines())
    return {"queries": int(figures["queries"]), "ndcg": float(figures[f"nDCG@{K_NDCG}"]),
            "recall": float(figures[f"R@{K_RECALL}"])}


def run_split(binaries, data, work, split, extra_flags=()):
    """Searches the split's claims in work/scifact.db (prepare_index first) with
    SEARCHER_FLAGS + `extra_flags` and scores the run, kept as work/SPLIT.trec."""
    queries = write_queries(data, work, split)
    run = os.path.join(work, f"{split}.trec")
    with open(run, "w", encoding="utf-8") as out:
        subprocess.run([binaries.searcher, "--db", os.path.join(work, "scifact.db"), "--batch", queries,
                        *SEARCHER_FLAGS, *extra_flags], stdout=out, check=True)
    return evaluate(binaries, data, split, run)
