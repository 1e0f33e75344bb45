"""The fact-check evaluation, shared by scripts/eval and the ctest guard (tests/bench/factcheck_guard.py)
so that both measure the same thing: index the BBC News corpus, run a claims file through
`searcher report --format json`, and score the verdicts against the gold ones. Also the BEIR
SciFact claims that state a figure and carry SUPPORT/CONTRADICT labels. A module, not a script.
"""

import collections
import json
import os
import re
import subprocess

VERDICTS = ("supported", "contradicted", "not found")

Claim = collections.namedtuple("Claim", "id text verdict kinds evidence")  # evidence: set of (source, line|None)


def bbc_dir(source_dir):
    """$BBC_CORPUS, else ../shared/eval/bbc beside the repository at `source_dir`."""
    return os.environ.get("BBC_CORPUS") or os.path.join(source_dir, "..", "shared", "eval", "bbc")


def claims_path(source_dir, name="bbc_dev.jsonl"):
    """$BBC_CLAIMS, else ../shared/eval/claims/NAME beside the repository."""
    return os.environ.get("BBC_CLAIMS") or os.path.join(source_dir, "..", "shared", "eval", "claims", name)


def read_bbc_claims(path):
    claims = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            c = json.loads(line)
            evidence = {(e["file"], e["line"]) for e in c["evidence"]}
            claims.append(Claim(c["id"], c["claim"], c["verdict"], tuple(c["kinds"]), evidence))
    return claims


# A figure in a scientific claim: a number standing alone (not part of a name such as "4-PBA",
# "CD4+" or "IL-6"), or a number word.
FIGURE = re.compile(r"(?<![\w+-])\d+(?:[.,]\d+)?(?![\w+-]|\.\w)\s*%?|\b(one|two|three|four|five|six|seven|eight|nine|ten"
                    r"|twice|half|double|hundred|thousand|million|billion|percent)\b", re.IGNORECASE)


def read_scifact_claims(data, split):
    """The claims of `split` (its qrels) that state a figure and whose evidence documents agree on
    one label: SUPPORT -> supported, CONTRADICT -> contradicted; evidence = the documents' ids."""
    judged = set()
    with open(os.path.join(data, "qrels", f"{split}.tsv"), encoding="utf-8") as f:
        next(f)
        judged.update(line.split("\t", 1)[0] for line in f if line.strip())
    claims = []
    with open(os.path.join(data, "queries.jsonl"), encoding="utf-8") as f:
        for line in f:
            q = json.loads(line)
            if q["_id"] not in judged or not q.get("metadata") or not FIGURE.search(q["text"]):
                continue
            labels = {e["label"] for entries in q["metadata"].values() for e in entries}
            if len(labels) != 1:
                continue
            verdict = {"SUPPORT": "supported", "CONTRADICT": "contradicted"}.get(labels.pop())
            if verdict is None:
                continue
            evidence = {(doc, None) for doc in q["metadata"]}
            claims.append(Claim(q["_id"], " ".join(q["text"].split()), verdict, (), evidence))
    return claims


def index_corpus(indexer, corpus, db):
    """Indexes `corpus` into `db` (incremental: an unchanged corpus takes a moment). The BBC
    corpus has one Latin-1 file, which the indexer skips (exit status 2, the rest committed);
    the claims resting on it are scored as they come out."""
    proc = subprocess.run([indexer, "--quiet", "--db", db, corpus], stderr=subprocess.PIPE, text=True)
    if proc.returncode not in (0, 2) or not os.path.isdir(db):
        raise RuntimeError(f"indexing {corpus} failed ({proc.returncode}): {proc.stderr.strip()}")


def check_claims(searcher, db, claims, work, name):
    """Runs `claims` through `searcher report --format json`; returns one {"verdict", "cited"}
    per claim, cited = the (source, line) and (record, None) of every evidence passage."""
    os.makedirs(work, exist_ok=True)
    path = os.path.join(work, f"{name}.claims.txt")
    with open(path, "w", encoding="utf-8") as out:
        for c in claims:
            out.write(c.text + "\n")
    proc = subprocess.run([searcher, "report", "--format", "json", "--db", db, path], check=True,
                          capture_output=True, text=True)
    checks = json.loads(proc.stdout)["claims"]
    if len(checks) != len(claims):
        raise RuntimeError(f"{len(claims)} claims sent, {len(checks)} verdicts back")
    results = []
    for check in checks:
        cited = set()
        for e in check["evidence"]:
            lines = {e["line"]} | {s.get("line") for s in e.get("evidence", []) if s.get("line")}
            for line in lines:
                cited.add((e["source"], line))
            if e.get("record"):
                cited.add((e["record"], None))
        results.append({"verdict": check["verdict"], "cited": cited, "check": check})
    return results


def score(claims, results):
    """Precision/recall per verdict, the confusion matrix (gold -> predicted -> count), the
    share of right supported/contradicted verdicts that cite a gold evidence line, and the
    share of absent-subject claims answered "not found"."""
    confusion = {g: {p: 0 for p in VERDICTS} for g in VERDICTS}
    evidence_hits = evidence_total = 0
    absent = absent_nf = 0
    for c, r in zip(claims, results):
        confusion[c.verdict][r["verdict"]] += 1
        if c.verdict != "not found" and r["verdict"] == c.verdict:
            evidence_total += 1
            if any((src, line) in r["cited"] or (src, None) in r["cited"] for src, line in c.evidence):
                evidence_hits += 1
        if "absent_subject" in c.kinds:
            absent += 1
            absent_nf += r["verdict"] == "not found"
    per = {}
    for v in VERDICTS:
        predicted = sum(confusion[g][v] for g in VERDICTS)
        gold = sum(confusion[v].values())
        right = confusion[v][v]
        per[v] = {"precision": right / predicted if predicted else None, "recall": right / gold if gold else None,
                  "predicted": predicted, "gold": gold, "right": right}
    wrong = sum(confusion[g][p] for g in VERDICTS for p in VERDICTS if g != p)
    return {"claims": len(claims), "wrong": wrong, "per_verdict": per, "confusion": confusion,
            "evidence_hit": evidence_hits / evidence_total if evidence_total else None,
            "evidence_right": evidence_total,
            "absent_subject": absent, "absent_subject_not_found": absent_nf / absent if absent else None}


def fmt(x):
    return "  -  " if x is None else f"{x:.2f}"


def print_score(title, s, out):
    print(f"{title}: {s['claims']} claims, {s['wrong']} verdicts wrong", file=out)
    print(f"  {'verdict':<13} {'precision':>9} {'recall':>7} {'given':>6} {'gold':>5}", file=out)
    for v in VERDICTS:
        p = s["per_verdict"][v]
        if p["gold"] == 0 and p["predicted"] == 0:
            continue
        print(f"  {v:<13} {fmt(p['precision']):>9} {fmt(p['recall']):>7} {p['predicted']:>6} {p['gold']:>5}", file=out)
    print(f"  confusion (rows gold, columns given): {'':>0}", file=out)
    print("  " + " " * 14 + "".join(f"{p:>14}" for p in VERDICTS), file=out)
    for g in VERDICTS:
        if sum(s["confusion"][g].values()) == 0:
            continue
        print(f"  {g:<14}" + "".join(f"{s['confusion'][g][p]:>14}" for p in VERDICTS), file=out)
    print(f"  gold evidence cited by the right verdicts: {fmt(s['evidence_hit'])} of {s['evidence_right']}", file=out)
    if s["absent_subject"]:
        print(f"  absent-subject claims \"not found\": {fmt(s['absent_subject_not_found'])} of {s['absent_subject']}",
              file=out)


def mistakes(claims, results):
    """(claim, given verdict) for each wrong verdict, for a look at what went wrong."""
    return [(c, r) for c, r in zip(claims, results) if c.verdict != r["verdict"]]
