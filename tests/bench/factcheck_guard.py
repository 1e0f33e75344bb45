#!/usr/bin/env python3
"""ctest's eval.factcheck_bbc: a fact-check precision guard. Runs scripts/eval's fact-check
pipeline (scripts/factcheck.py) over the BBC dev claims (../shared/eval/claims/bbc_dev.jsonl,
120 claims with gold verdicts, on the BBC News corpus in ../shared/eval/bbc) with this build's
binaries and fails when a verdict's precision, the recall of "supported" or "contradicted",
or the share of absent-subject claims answered "not found" falls below its floor. The floors
sit a margin (about 0.05) below the figures measured (docs/fact-checking.md); the exact figures
are the benchmark's (scripts/eval). Exits SKIP_CODE, which ctest reports as skipped, when the
data is absent.

Usage: factcheck_guard.py SOURCE_DIR WORK_DIR INDEXER SEARCHER
"""

import os
import sys

SKIP_CODE = 77  # SKIP_RETURN_CODE in tests/bench/CMakeLists.txt
FLOORS = {
    ("supported", "precision"): 0.95,
    ("contradicted", "precision"): 0.92,
    ("supported", "recall"): 0.75,
    ("contradicted", "recall"): 0.75,
}
ABSENT_SUBJECT_FLOOR = 0.95


def main():
    source_dir, work, indexer, searcher = sys.argv[1:5]
    sys.dont_write_bytecode = True
    sys.path.insert(0, os.path.join(source_dir, "scripts"))
    import factcheck

    bbc = factcheck.bbc_dir(source_dir)
    claims_file = factcheck.claims_path(source_dir)
    if not os.path.isdir(bbc) or not os.path.isfile(claims_file):
        print(f"SKIP: no BBC corpus or claims ({bbc}, {claims_file}); set BBC_CORPUS and BBC_CLAIMS to look "
              "elsewhere")
        sys.exit(SKIP_CODE)
    os.makedirs(work, exist_ok=True)
    db = os.path.join(work, "bbc.db")
    factcheck.index_corpus(indexer, bbc, db)
    claims = factcheck.read_bbc_claims(claims_file)
    results = factcheck.check_claims(searcher, db, claims, work, "bbc_dev")
    score = factcheck.score(claims, results)
    factcheck.print_score("BBC dev", score, sys.stdout)
    failures = []
    for (verdict, measure), floor in FLOORS.items():
        value = score["per_verdict"][verdict][measure]
        if value is None or value < floor:
            failures.append(f"{verdict} {measure} {value} < {floor}")
    absent = score["absent_subject_not_found"]
    if absent is None or absent < ABSENT_SUBJECT_FLOOR:
        failures.append(f"absent-subject claims not found {absent} < {ABSENT_SUBJECT_FLOOR}")
    for c, r in factcheck.mistakes(claims, results):
        print(f"  {c.id}: gold {c.verdict!r}, given {r['verdict']!r}: {c.text}")
    if failures:
        sys.exit("FAIL: " + "; ".join(failures))
    print("OK")


if __name__ == "__main__":
    main()
