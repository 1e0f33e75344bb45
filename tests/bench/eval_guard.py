#!/usr/bin/env python3
"""ctest's eval.scifact_train: a ranking-quality regression guard. Runs scripts/eval's
pipeline (scripts/scifact.py) on the SciFact *train* split with this build's binaries and
fails when nDCG@10 is more than TOLERANCE below the figure docs/ranking.md states on its line
"SciFact train nDCG@10: 0.xxxx" (section "Ranking"). Exits SKIP_CODE, which ctest reports as
skipped, when the SciFact data is absent.

Usage: eval_guard.py SOURCE_DIR WORK_DIR INDEXER SEARCHER EVALUATE
"""

import os
import re
import sys

SKIP_CODE = 77  # SKIP_RETURN_CODE in tests/bench/CMakeLists.txt
TOLERANCE = 0.01
# The line "SciFact train nDCG@10: 0.6800", also bold, in backticks or as a table row.
README_FIGURE = re.compile(r"^[\s|*_`]*SciFact train nDCG@10[\s|*_`:]*([01](?:\.\d+)?)\b", re.MULTILINE)


def readme_figure(readme):
    with open(readme, encoding="utf-8") as f:
        found = README_FIGURE.findall(f.read())
    if len(found) != 1:
        sys.exit(f"FAIL: expected one line 'SciFact train nDCG@10: 0.xxxx' in {readme}, found {len(found)}")
    return float(found[0])


def main():
    source_dir, work, indexer, searcher, evaluator = sys.argv[1:6]
    sys.dont_write_bytecode = True
    sys.path.insert(0, os.path.join(source_dir, "scripts"))
    import scifact

    expected = readme_figure(os.path.join(source_dir, "docs", "ranking.md"))
    data = scifact.data_dir(source_dir)
    missing = scifact.missing_file(data)
    if missing:
        where = ("the directory $SCIFACT names" if os.environ.get("SCIFACT") else
                 "../shared/eval/scifact beside the source directory; set SCIFACT to look elsewhere")
        print(f"SKIPPED: no SciFact data: {os.path.abspath(missing)} not found ({where})")
        sys.exit(SKIP_CODE)
    binaries = scifact.Binaries(indexer, searcher, evaluator)
    scifact.prepare_index(binaries, data, work)
    figures = scifact.run_split(binaries, data, work, "train")
    floor = round(expected - TOLERANCE, 4)  # 0.68 - 0.01 is 0.67000000000000004
    print(f"SciFact train: {figures['queries']} queries, nDCG@10 {figures['ndcg']:.4f} "
          f"(docs/ranking.md {expected:.4f}, floor {floor:.4f}), R@100 {figures['recall']:.4f}")
    if figures["ndcg"] < floor:
        sys.exit(f"FAIL: nDCG@10 {figures['ndcg']:.4f} < {floor:.4f}; the ranking got worse on train "
                 "(if that is intended, re-measure with scripts/eval and update docs/ranking.md)")


if __name__ == "__main__":
    main()
