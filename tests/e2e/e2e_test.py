#!/usr/bin/env python3
"""End-to-end tests of the real indexer and searcher binaries on the shipped corpus.

Run by CTest, one case per invocation: e2e_test.py CASE. Paths come from the environment
(INDEXER, SEARCHER, CORPUS, SHIPPED_DB, WORK_DIR). Every expectation is computed here from
the corpus files' bytes (or written from reading them), never copied from program output.
"""

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

INDEXER = os.environ["INDEXER"]
SEARCHER = os.environ["SEARCHER"]
CORPUS = os.environ["CORPUS"]
SHIPPED_DB = os.environ["SHIPPED_DB"]
WORK_DIR = os.environ["WORK_DIR"]

F000 = "000_0303309b31980e84.txt"
F002 = "002_963a1b5bd11c85ad.txt"
F003 = "003_4a6a91b40eaa168d.txt"
F004 = "004_1c0e81e84614d3ea.txt"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def run(args, expect_code=None):
    proc = subprocess.run(args, capture_output=True, stdin=subprocess.DEVNULL)
    if expect_code is not None and proc.returncode != expect_code:
        raise Failure(f"{args} exited {proc.returncode}, expected {expect_code}\n"
                      f"stdout: {proc.stdout.decode(errors='replace')[:2000]}\n"
                      f"stderr: {proc.stderr.decode(errors='replace')[:2000]}")
    return proc


def search(*args, db=SHIPPED_DB, code=0):
    return run([SEARCHER, "--db", db, *args], expect_code=code)


def search_json(*args, db=SHIPPED_DB, code=0):
    return json.loads(search("--format", "json", *args, db=db, code=code).stdout)


def file_bytes(name, root=CORPUS):
    with open(os.path.join(root, name), "rb") as f:
        return f.read()


def line_of(data, offset):
    return data.count(b"\n", 0, offset) + 1


def fold(text):
    """Case- and diacritic-insensitive form, for checking highlights independently."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def check_result_is_exact(result, root=CORPUS):
    """Every quote and highlight is at its byte range in the file; the paragraph too."""
    data = file_bytes(result["source"], root)
    para = data[result["start_byte"]:result["end_byte"]]
    check(para.strip() == para and para, f"paragraph range of {result['citation']} is not trimmed text")
    check(result["line"] >= line_of(data, result["start_byte"]), "line before the paragraph")
    for ev in result["evidence"]:
        quote = data[ev["start_byte"]:ev["end_byte"]].decode("utf-8")
        check(quote == ev["quote"], f"{result['citation']}: quote differs from file bytes {ev['start_byte']}-{ev['end_byte']}")
        check(ev["line"] == line_of(data, ev["start_byte"]), f"{result['citation']}: wrong line {ev['line']}")
        check(result["start_byte"] <= ev["start_byte"] <= ev["end_byte"] <= result["end_byte"], "quote outside paragraph")
        for h in ev["highlights"]:
            check(ev["start_byte"] <= h["start_byte"] < h["end_byte"] <= ev["end_byte"], "highlight outside quote")


def highlighted(result, root=CORPUS):
    data = file_bytes(result["source"], root)
    return [data[h["start_byte"]:h["end_byte"]].decode("utf-8")
            for ev in result["evidence"] for h in ev["highlights"]]


# --- cases -------------------------------------------------------------------------------

def case_index_shipped_corpus():
    shutil.rmtree(SHIPPED_DB, ignore_errors=True)
    proc = run([INDEXER, "--db", SHIPPED_DB, CORPUS], expect_code=0)
    out = proc.stdout.decode()
    check("5 added" in out, f"summary should say 5 added: {out}")
    again = run([INDEXER, "--db", SHIPPED_DB, CORPUS], expect_code=0).stdout.decode()
    check("5 unchanged" in again and "0 passages written" in again, f"second run should change nothing: {again}")


def case_middle_corridor_phrase():
    doc = search_json("--limit", "100", "--no-aliases", '"Middle Corridor"')
    # Which files say "Middle Corridor" (any case, any white space between the words)?
    expected_files = set()
    expected_passages = 0
    for name in sorted(os.listdir(CORPUS)):
        if not name.endswith(".txt"):
            continue
        text = file_bytes(name).decode("utf-8")
        for line in text.split("\n"):
            if re.search(r"middle\s+corridor", line, re.IGNORECASE):
                expected_files.add(name)
                expected_passages += 1
    check({F000, F003, F004} <= expected_files, "the corpus itself changed?")
    got_files = {r["source"] for r in doc["results"]}
    check(got_files == expected_files, f"files {sorted(got_files)} != {sorted(expected_files)}")
    check(len(doc["results"]) == expected_passages, f"{len(doc['results'])} passages, expected {expected_passages}")
    check(doc["total_matches"] == expected_passages and doc["total_exact"], "total_matches")
    for r in doc["results"]:
        check_result_is_exact(r)
        words = highlighted(r)
        check(words and all(re.fullmatch(r"middle\s+corridor", w, re.IGNORECASE) for w in words),
              f"{r['citation']}: highlights {words}")
    curly = search_json("--limit", "100", "--no-aliases", "“Middle Corridor”")
    check([r["citation"] for r in curly["results"]] == [r["citation"] for r in doc["results"]],
          "curly-quoted phrase should give the same results")


def case_dollar_31_billion():
    doc = search_json('"$31 billion"')
    check(len(doc["results"]) == 1, f"expected one passage, got {len(doc['results'])}")
    r = doc["results"][0]
    check(r["source"] == F003, r["source"])
    check_result_is_exact(r)
    data = file_bytes(F003)
    at = data.find(b"$31 billion in 2023")
    check(at >= 0, "corpus lacks the sentence")
    sentence_start = data.rfind(b". ", 0, at) + 2
    sentence_end = data.find(b". ", at) + 1
    ev = r["evidence"][0]
    check((ev["start_byte"], ev["end_byte"]) == (sentence_start, sentence_end),
          f"quote range {ev['start_byte']}-{ev['end_byte']} != sentence {sentence_start}-{sentence_end}")
    check(highlighted(r) == ["$31 billion"], highlighted(r))


def case_tons_paragraph_range():
    data = file_bytes(F003)
    at = data.find(b"274,200 tons")
    begin, end = data.rfind(b"\n", 0, at) + 1, data.find(b"\n", at)
    doc = search_json('"274,200 tons"')
    check(len(doc["results"]) == 1, "one passage")
    r = doc["results"][0]
    check((r["source"], r["start_byte"], r["end_byte"]) == (F003, begin, end), f"range {r['start_byte']}-{r['end_byte']}")
    check(r["line"] == line_of(data, begin), "line")
    check(highlighted(r) == ["274,200 tons"], highlighted(r))


def case_beser_byline():
    doc = search_json("Beser")
    data = file_bytes(F000)
    byline = "By Meymet Enes Beşer".encode()
    at = data.find(byline)
    r = doc["results"][0]
    check(r["source"] == F000, r["source"])
    check(r["start_byte"] == at and r["end_byte"] == at + len(byline), "byline byte range")
    check(r["line"] == line_of(data, at), "byline line")
    # Non-blank lines before it, plus one: its paragraph number.
    check(r["paragraph"] == sum(1 for l in data[:at].split(b"\n") if l.strip()) + 1, "byline paragraph")
    check(highlighted(r) == ["Beşer"], highlighted(r))
    check(r["authors"] == ["Meymet Enes Beşer"], "authors from the catalog")


def case_analyzer_equivalences():
    def passages(query):
        return {(r["source"], r["paragraph"]) for r in search_json("--limit", "500", query)["results"]}

    # (file, paragraph) of every non-blank line of corpus/ matching `pattern`, case ignored.
    def paragraphs_matching(pattern):
        found = set()
        for name in sorted(os.listdir(CORPUS)):
            if name.endswith(".txt"):
                paras = [l for l in file_bytes(name).decode().split("\n") if l.strip() and l.strip("\u00a0 \t\r")]
                found |= {(name, i) for i, p in enumerate(paras, 1) if re.search(pattern, p, re.IGNORECASE)}
        return found

    # Every line with the hyphenated or the joined spelling.
    expected = paragraphs_matching(r"multi-?vector")
    check(passages("multivector") == expected, "multivector should find both spellings")
    check(passages("multi-vector") == expected, "multi-vector should find both spellings")
    check(passages("274200") == passages('"274,200"') == {(F003, 7)}, "274200 = 274,200")
    check(passages("Kazakhstan's") == passages("Kazakhstan’s") == passages("Kazakhstan"), "possessives")
    check(passages('"Kazakhstan\'s foreign policy"') == passages('"Kazakhstan’s foreign policy"'), "apostrophes in phrases")

    # British and American spellings (corpus/ has both "neighbours" and "neighbors"): a word
    # finds every paragraph with either; a quoted phrase keeps the spelling it was given.
    british, american = paragraphs_matching(r"\bneighbours?\b"), paragraphs_matching(r"\bneighbors?\b")
    check(british and american and not british & american, "corpus/ should have each spelling in its own paragraphs")
    check(passages("neighbors") == passages("neighbours") == british | american, "neighbours = neighbors")
    check(passages('"neighbors"') == american and passages('"neighbours"') == british, "phrases keep their spelling")


def case_all_words_first():
    doc = search_json("--limit", "200", "corridor tons")
    results = doc["results"]
    # Passages with both words (by their stored paragraph text) must all come first.
    def has_both(r):
        text = fold(file_bytes(r["source"])[r["start_byte"]:r["end_byte"]].decode())
        return "corridor" in text and re.search(r"\btons?\b", text) is not None
    flags = [has_both(r) for r in results]
    check(any(flags) and not all(flags), "need both kinds of passages for this test")
    first_partial = flags.index(False)
    check(all(flags[:first_partial]) and not any(flags[first_partial:]), f"all-words passages not first: {flags}")


def case_weighting_options():
    """--weighting and its parameters reach the ranking; an unset title weight is the one the
    README gives for the model."""
    def scores(*args):
        return [(r["source"], r["paragraph"], r["score"])
                for r in search_json("--ranking", "score", "-n", "20", *args, "corridor tons")["results"]]
    ineb2, bm25 = scores(), scores("--weighting", "bm25")
    check(ineb2 and bm25 and ineb2 != bm25, "ineb2 and bm25 score alike")
    check(scores("--ineb2-c", "2") != ineb2, "--ineb2-c ignored")
    check(scores("--weighting", "bm25", "--bm25-k1", "0.5") != bm25, "--bm25-k1 ignored")
    check(scores("--title-weight", "0.3") == ineb2, "ineb2's default title weight is not 0.3")
    check(scores("--weighting", "bm25", "--title-weight", "0.45") == bm25, "bm25's default title weight is not 0.45")
    check(scores("--title-weight", "0.45") != ineb2, "--title-weight ignored")


def case_filters():
    def sources(query):
        return {r["source"] for r in search_json("--limit", "500", query)["results"]}

    check(sources("Kazakhstan file:003") == {F003}, "file: filter")
    check(sources("title:Balancing") == {F003}, "title: filter")
    check(sources("author:Beser") == {F000}, "author: filter")
    check(sources("publisher:Fakti") == {F002}, "publisher: filter")
    check(sources("Kazakhstan -file:003") & {F003} == set(), "negated file filter")
    # Filters combined in parentheses filter the group too (they matched every passage of
    # those files, as if they were one of "some of the words").
    grouped = search_json("--limit", "500", "Kazakhstan (file:003 OR file:004)")["results"]
    check({r["source"] for r in grouped} <= {F003, F004}, "grouped file filters keep their files")
    def passage_bytes(r):
        with open(os.path.join(CORPUS, r["source"]), "rb") as f:
            return f.read()[r["start_byte"]:r["end_byte"]]
    check(grouped and all(b"kazakhstan" in passage_bytes(r).lower() for r in grouped),
          "grouped file filters keep the word")
    check(len(grouped) == len(search_json("--limit", "500", "Kazakhstan AND (file:003 OR file:004)")["results"]),
          "grouped file filters as AND")


def case_operators():
    def count(query):
        return search_json("--limit", "500", query)["total_matches"]

    a, b = count("ASEAN"), count("Kazakhstan")
    both = count("ASEAN AND Kazakhstan")
    either = count("ASEAN OR Kazakhstan")
    check(both + count("ASEAN NOT Kazakhstan") == a, "AND + NOT partition ASEAN")
    check(either == a + b - both, "inclusion-exclusion for OR")
    check(count("ASEAN -Kazakhstan") == count("ASEAN NOT Kazakhstan"), "-word = NOT")
    check(count("(ASEAN OR TITR) AND Kazakhstan") <= both + count("TITR AND Kazakhstan"), "parentheses")
    near = search_json("--limit", "50", "--no-aliases", '"Middle Corridor" NEAR/20 tons')["results"]
    check(near and all(r["source"] in (F003, F004) for r in near), "NEAR over a phrase")
    for r in near:
        check_result_is_exact(r)


def case_limit_offset():
    full = search_json("--limit", "6", "Kazakhstan")["results"]
    page = search_json("--limit", "2", "--offset", "3", "Kazakhstan")["results"]
    check([r["citation"] for r in page] == [r["citation"] for r in full[3:5]], "offset/limit page")
    check([r["rank"] for r in page] == [4, 5], "ranks count the offset")


def case_formats():
    query = '"Middle Corridor"'
    doc = search_json(query)
    check(len(doc["results"]) >= 2, "need several results")
    n = len(doc["results"])
    # jsonl: begin, one line per result with the same fields, end.
    lines = [json.loads(l) for l in search("--format", "jsonl", query).stdout.decode().splitlines()]
    check(lines[0]["type"] == "begin" and lines[-1]["type"] == "end", "jsonl framing")
    results = [l for l in lines if l["type"] == "result"]
    check(len(results) == n, "jsonl result count")
    for a, b in zip(results, doc["results"]):
        b = dict(b, type="result")
        check(a == b, f"jsonl and json differ for {b['citation']}")
    # csv: a real CSV reader, quotes match the file.
    rows = list(csv.DictReader(io.StringIO(search("--format", "csv", query).stdout.decode("utf-8"), newline="")))
    check(len(rows) >= n, "csv rows")
    for row in rows:
        data = file_bytes(row["source"])
        check(data[int(row["start_byte"]):int(row["end_byte"])].decode() == row["quote"], "csv quote bytes")
    # markdown: a block quote and a citation per result.
    md = search("--format", "markdown", query).stdout.decode()
    check(md.count("\n> ") + md.startswith("> ") >= n, "markdown block quotes")
    check("**Middle Corridor**" in md, "markdown highlight")
    check(f"`{F003}` ¶" in md, "markdown citation")
    # csl-json: one item per source (issue 28), its cited paragraphs in custom data, catalog metadata.
    items = json.loads(search("--format", "csl-json", query).stdout)
    sources = list(dict.fromkeys(r["source"] for r in doc["results"]))
    check([i["custom"]["source"] for i in items] == sources, "csl-json: one item per source")
    for item in items:
        rs = [r for r in doc["results"] if r["source"] == item["custom"]["source"]]
        check([p["paragraph"] for p in item["custom"]["paragraphs"]] == [r["paragraph"] for r in rs], "csl paragraphs")
        check(item["title"] == rs[0]["title"] and "locator" not in item, "csl title")
    # text: grep-style citation with paragraph and line, «» when piped.
    text = search(query).stdout.decode()
    first = doc["results"][0]
    check(f"{first['source']} ¶{first['paragraph']} l.{first['evidence'][0]['line']}" in text, "text citation")
    check("«Middle Corridor»" in text and "\033[" not in text, "piped text marks matches with «»")
    colored = search("--color", "always", query).stdout.decode()
    check("\033[" in colored and "«" not in colored, "colour when asked")


def case_exit_codes():
    proc = search("zzyzxnotaword", code=1)
    # The word that matched nothing is named (docs/searching.md), then the summary.
    lines = proc.stdout.decode().strip().splitlines()
    check(lines[-1:] == ["no results"] and lines[0].startswith("no passage holds 'zzyzxnotaword'"),
          f"no-match output: {lines}")
    proc = search("--no-such-flag", "x", code=2)
    check(b"searcher:" in proc.stderr, "usage error message")
    proc = search('"unbalanced', code=2)
    check(b"character 1" in proc.stderr and b"unterminated quote" in proc.stderr, proc.stderr)
    proc = search("a", "OR", code=2)
    check(b"character 3" in proc.stderr, proc.stderr)
    missing = os.path.join(WORK_DIR, "no-such-db")
    proc = search("x", db=missing, code=2)
    check(b"indexer --db" in proc.stderr, "missing index says how to build it")
    proc = run([INDEXER, "--db", os.path.join(WORK_DIR, "x.db"), os.path.join(WORK_DIR, "no-such-corpus")], expect_code=2)
    check(b"does not exist" in proc.stderr, proc.stderr)
    for args, message in ((["--weighting", "tfidf"], b"--weighting must be ineb2 or bm25"),
                          (["--bm25-k1", "1.2"], b"apply to --weighting bm25"),
                          (["--weighting", "bm25", "--ineb2-c", "1"], b"applies to --weighting ineb2"),
                          (["--ineb2-c", "0"], b"--ineb2-c must be a finite number > 0"),
                          (["--ineb2-c", "inf"], b"--ineb2-c must be a finite number > 0"),
                          (["--title-weight", "nan"], b"--title-weight must be a finite number >= 0"),
                          (["--ranking", "bm25"], b"--ranking must be all-first or score"),
                          # Boost read "-1" into an unsigned count as its largest value.
                          (["-n", "-1"], b"'-1' for option '--limit' is not a whole number"),
                          (["--offset", "-1"], b"'-1' for option '--offset' is not a whole number"),
                          (["--limit", "1e3"], b"'1e3' for option '--limit' is not a whole number"),
                          (["--offset", "18446744073709551616"], b"for option '--offset' is not a whole number"),
                          # A count has no TREC or CSL-JSON form: it printed nothing, exit 0.
                          (["--count", "--format", "trec"], b"--count writes text, json, jsonl, csv or markdown"),
                          (["--count", "--format", "csl-json"], b"--count writes text, json, jsonl, csv or markdown")):
        proc = search(*args, "corridor", code=2)
        check(message in proc.stderr, f"{args}: {proc.stderr!r}")
    check(run([SEARCHER, "--help"], expect_code=0).stdout.startswith(b"Usage: searcher"), "searcher --help")
    check(run([INDEXER, "--help"], expect_code=0).stdout.startswith(b"Usage: indexer"), "indexer --help")


def case_skipped_file_and_staleness():
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        corpus = os.path.join(tmp, "corpus")
        shutil.copytree(CORPUS, corpus)
        with open(os.path.join(corpus, "broken.txt"), "wb") as f:
            f.write(b"valid start \x81 invalid")  # no encoding holds this as text
        db = os.path.join(tmp, "db")
        proc = run([INDEXER, "--db", db, corpus], expect_code=2)
        check(b"broken.txt: skipped: invalid UTF-8 at byte offset 12" in proc.stderr, proc.stderr)
        check(search_json('"$31 billion"', db=db)["results"][0]["status"] == "fresh", "fresh before the edit")
        # Edit the file after indexing: the searcher must not quote bytes the file no longer holds.
        path = os.path.join(corpus, F003)
        os.chmod(path, 0o644)
        with open(path, "ab") as f:
            f.write(b"\nAppended later.\n")
        r = search_json('"$31 billion"', db=db)["results"][0]
        check(r["status"] == "stale" and r["evidence"] == [], f"stale result: {r['status']}")
        check(b"quote withheld" in search('"$31 billion"', db=db).stdout, "text says the quote is withheld")
        os.remove(path)
        check(search_json('"$31 billion"', db=db)["results"][0]["status"] == "missing", "missing file")


LEFT_OUT_REASON = {"stale": "changed since it was indexed", "missing": "no longer exists or cannot be read"}


def check_left_out_notice(proc, source, status):
    """stderr names the file left out, says why, and says to re-run the indexer."""
    err = proc.stderr.decode()
    check(f"{source} {LEFT_OUT_REASON[status]}" in err and "re-run the indexer" in err, f"notice: {err!r}")


def case_stale_and_missing_sources_give_no_verdict():
    """quote, check, report and facts judge only files that still hold what was indexed: a file
    changed or deleted since indexing is left out of the verdict, and the output says so."""
    original = file_bytes(F003)
    wording = "bilateral trade hitting $31 billion in 2023"
    claim31 = "China–Kazakhstan trade hit $31 billion in 2023"
    claim41 = "China–Kazakhstan trade hit $41 billion in 2023"
    check(original.count(wording.encode()) == 1 and original.count(b"$31 billion") == 1, "test bug: 003's wording")
    fresh_wording = "Kazakhstan is the only country in the region with the ESP status"
    check(fresh_wording.encode() in file_bytes(F004), "test bug: 004's wording")
    others = [n for n in shipped_texts() if n != F003]
    check(not any(b"$41 billion" in file_bytes(n) for n in others), "test bug: no other file states $41 billion")
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        corpus = os.path.join(tmp, "corpus")
        shutil.copytree(CORPUS, corpus)
        db = os.path.join(tmp, "db")
        run([INDEXER, "--db", db, corpus], expect_code=0)
        claims = os.path.join(tmp, "claims.txt")
        with open(claims, "w", encoding="utf-8") as f:
            f.write(f"{claim31}\n{claim41}\n")

        def sub(command, *args, code=None, fmt="json"):
            proc = run([SEARCHER, command, "--db", db, "--format", fmt, *args], expect_code=code)
            return (json.loads(proc.stdout) if fmt == "json" else proc.stdout.decode()), proc

        doc, proc = sub("quote", wording, code=0)
        check(doc["verdict"] == "exact" and doc["left_out"] == [] and proc.stderr == b"", "fresh: exact, nothing left out")

        path = os.path.join(corpus, F003)
        os.chmod(path, 0o644)
        edited = original.replace(b"$31 billion", b"$41 billion")
        with open(path, "wb") as f:
            f.write(edited)
        check(wording.encode() not in edited, "test bug: the edit removes the wording")

        for status in ("stale", "missing"):
            if status == "missing":
                os.remove(path)
            left_out = [{"source": F003, "status": status, "reason": LEFT_OUT_REASON[status]}]
            # quote: the wording is only in the index's copy of 003, so it is not found.
            doc, proc = sub("quote", wording, code=1)
            check(doc["verdict"] == "not found" and doc["matches"] == [], f"{status}: quote {doc['verdict']}")
            check(doc["left_out"] == left_out, f"{status}: quote left_out {doc['left_out']}")
            check_left_out_notice(proc, F003, status)
            text, proc = sub("quote", wording, code=1, fmt="text")
            check(text.startswith("not found:") and F003 not in text, f"{status}: quote text {text!r}")
            check_left_out_notice(proc, F003, status)
            md, proc = sub("quote", wording, code=1, fmt="markdown")
            check(f"`{F003}` {LEFT_OUT_REASON[status]}" in md, f"{status}: quote markdown {md!r}")
            jsonl, _ = sub("quote", wording, code=1, fmt="jsonl")
            check(json.loads(jsonl)["left_out"] == left_out, f"{status}: quote jsonl")
            # A file that did not change still gives its verdict, and nothing is left out.
            doc, proc = sub("quote", fresh_wording, code=0)
            check(doc["verdict"] == "exact" and doc["matches"][0]["source"] == F004 and doc["left_out"] == [],
                  f"{status}: fresh quote {doc['verdict']}")
            check(proc.stderr == b"", f"{status}: no notice for a fresh verdict: {proc.stderr!r}")

            # check: 003 neither supports the $31 claim nor contradicts the $41 one.
            for claim in (claim31, claim41):
                doc, proc = sub("check", claim, code=1)
                c = doc["claims"][0]
                check(c["verdict"] not in ("supported", "contradicted"), f"{status}: {claim}: {c['verdict']}")
                check(all(e["source"] != F003 for e in c["evidence"]), f"{status}: {claim}: 003 cited")
                check(c["left_out"] == left_out, f"{status}: {claim}: left_out {c['left_out']}")
                check_left_out_notice(proc, F003, status)
                text, proc = sub("check", claim, code=1, fmt="text")
                check("verdict: supported" not in text and "verdict: contradicted" not in text and F003 not in text,
                      f"{status}: check text {text!r}")
                check_left_out_notice(proc, F003, status)

            # report: the same verdicts, and each claim names the file left out.
            doc, proc = sub("report", claims, code=0)
            check(all(c["verdict"] not in ("supported", "contradicted") for c in doc["claims"]),
                  f"{status}: report verdicts {[c['verdict'] for c in doc['claims']]}")
            check(all(c["left_out"] == left_out for c in doc["claims"]), f"{status}: report left_out")
            md, proc = sub("report", claims, code=0, fmt="markdown")
            check(md.count(f"`{F003}` {LEFT_OUT_REASON[status]}") == 2 and "## Sources" not in md,
                  f"{status}: report markdown {md!r}")
            check_left_out_notice(proc, F003, status)

            # facts: no figure read from the index's copy of 003.
            doc, proc = sub("facts", '"$31 billion"', code=1)
            check(doc["units"] == [] and doc["passages"] == 0 and doc["left_out"] == left_out, f"{status}: facts")
            check_left_out_notice(proc, F003, status)
            lines = sub("facts", '"$31 billion"', code=1, fmt="jsonl")[0].splitlines()
            check(json.loads(lines[-1])["left_out"] == left_out, f"{status}: facts jsonl end line")

            # --all: the mention's place stays (marked), its text is withheld, as a ranked quote is.
            [r] = search_json("--all", '"$31 billion"', db=db)["results"]
            at = original.find(b"$31 billion")
            check(r["status"] == status and r["evidence"] == [] and r["mention"]["text"] is None, f"{status}: --all {r}")
            check((r["mention"]["start_byte"], r["mention"]["end_byte"]) == (at, at + len(b"$31 billion")),
                  f"{status}: --all keeps the indexed position")
            text = search("--all", '"$31 billion"', db=db).stdout.decode()
            check("$31 billion" not in text and "quote withheld" in text, f"{status}: --all text {text!r}")
            # Ranked search as before: the hit, marked, without its quote.
            r = search_json('"$31 billion"', db=db)["results"][0]
            check(r["status"] == status and r["evidence"] == [], f"{status}: ranked {r['status']}")


def escaped(path):
    """A path as the indexer names it in a message: each byte that is not part of well-formed
    UTF-8 written as \\xHH. Python's surrogateescape decoding marks exactly those bytes."""
    return "".join(f"\\x{ord(c) - 0xDC00:02X}" if 0xDC80 <= ord(c) <= 0xDCFF else c
                   for c in path.decode("utf-8", "surrogateescape"))


def first_bad_byte(path):
    try:
        path.decode("utf-8")
    except UnicodeDecodeError as e:
        return e.start
    raise Failure(f"test bug: {path!r} is UTF-8")


def case_non_utf8_names():
    """A file or folder name that is not UTF-8 is named, its bad bytes escaped, and skipped:
    the other files' changes are committed (they were lost) and a new database opens. A corpus
    whose own path is not UTF-8 is refused before any database is created."""
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        corpus = os.path.join(tmp, "corpus")
        shutil.copytree(CORPUS, corpus)
        db = os.path.join(tmp, "db")
        run([INDEXER, "--quiet", "--db", db, corpus], expect_code=0)
        with open(os.path.join(corpus, F000), "ab") as f:
            f.write(b"\nAn edit with zzedit.\n")
        bad_names = [b"sub\xc3(/in.txt", b"zz\xff.txt"]  # sorted, as the indexer walks
        expected = []
        for name in bad_names:
            path = os.path.join(os.fsencode(corpus), name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(b"x\n")
            expected.append(f"indexer: {escaped(path)}: skipped: invalid UTF-8 in its path '{escaped(name)}' "
                            f"at byte offset {first_bad_byte(name)}")
        proc = run([INDEXER, "--db", db, corpus], expect_code=2)
        check(proc.stderr.decode().splitlines() == expected, f"warnings: {proc.stderr!r}")
        check("1 updated" in proc.stdout.decode() and "2 skipped files" in proc.stdout.decode(), proc.stdout)
        check([r["source"] for r in search_json("zzedit", db=db)["results"]] == [F000], "the edit is committed")

        fresh = os.path.join(tmp, "fresh.db")
        run([INDEXER, "--quiet", "--db", fresh, corpus], expect_code=2)
        check([r["source"] for r in search_json("zzedit", db=fresh)["results"]] == [F000], "a new database opens")

        root = os.path.join(os.fsencode(tmp), b"c\xff")
        shutil.copytree(os.fsencode(CORPUS), root)
        refused = os.path.join(tmp, "refused.db")
        proc = run([INDEXER, "--db", refused, root], expect_code=2)
        check(proc.stderr.decode() == f"indexer: corpus '{escaped(root)}': invalid UTF-8 in its absolute path "
                                      f"'{escaped(root)}' at byte offset {first_bad_byte(root)}; the index stores "
                                      f"paths as UTF-8 text, so nothing was indexed\n", f"root: {proc.stderr!r}")
        check(not os.path.exists(refused) and not os.path.exists(refused + ".staging"), "nothing created")


def tree(root):
    """Every path under root with its bytes (None for a directory)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames:
            out[os.path.relpath(os.path.join(dirpath, name), root)] = None
        for name in filenames:
            out[os.path.relpath(os.path.join(dirpath, name), root)] = file_bytes(os.path.join(dirpath, name), "")
    return out


def case_db_must_not_be_the_corpus():
    """--db must be a new or empty directory or a database, outside every corpus: the corpus
    itself used to be taken, and Xapian's files were written among the articles."""
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        corpus = os.path.join(tmp, "corpus")
        shutil.copytree(CORPUS, corpus)
        before = tree(corpus)
        outside = "; give --db a path outside every corpus\n"
        for db, expected in ((corpus, f"indexer: database '{corpus}' is the corpus '{corpus}' itself" + outside),
                             (os.path.join(corpus, "index.db"),
                              f"indexer: database '{os.path.join(corpus, 'index.db')}' is inside the corpus '{corpus}'"
                              + outside)):
            proc = run([INDEXER, "--db", db, corpus], expect_code=2)
            check(proc.stderr.decode() == expected and proc.stdout == b"", f"--db {db}: {proc.stderr!r}")
        check(tree(corpus) == before, "the corpus was written to")
        # A directory of other files is not taken for a database either.
        notes = os.path.join(tmp, "notes")
        os.makedirs(notes)
        with open(os.path.join(notes, "todo.txt"), "wb") as f:
            f.write(b"Not a database.\n")
        proc = run([INDEXER, "--db", notes, corpus], expect_code=2)
        check(proc.stderr.decode() == f"indexer: database '{notes}' is a directory that holds no database (it has "
                                      f"'todo.txt'); give --db a new or empty directory, or a database the indexer "
                                      f"wrote\n", f"--db {notes}: {proc.stderr!r}")
        check(os.listdir(notes) == ["todo.txt"], "the directory was written to")


def case_readme_quotes_help():
    root = os.path.dirname(CORPUS)
    pages = [os.path.join(root, "README.md")] + [os.path.join(root, "docs", name)
                                                 for name in sorted(os.listdir(os.path.join(root, "docs")))]
    readme = "".join(open(page, encoding="utf-8").read() for page in pages if page.endswith(".md"))
    for command in ([INDEXER, "--help"], [SEARCHER, "--help"], [SEARCHER, "quote", "--help"],
                    [SEARCHER, "check", "--help"]):
        text = run(command, expect_code=0).stdout.decode()
        check(text in readme, f"README and docs/ do not quote {' '.join(os.path.basename(c) for c in command)} verbatim")


# --- exhaustive mode and aliases ----------------------------------------------------------

def alias_groups():
    groups = []
    with open(os.path.join(CORPUS, "aliases.conf"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                groups.append([name.strip() for name in line.split("|")])
    return groups


def alias_regex(name):
    """A careful case-insensitive grep for one spelling: whole words, any white space (NBSP,
    line breaks) between words, and a hyphen that may also be written as a space."""
    parts = []
    for word in re.split(r"\s+", name):
        pieces = [re.escape(p) for p in re.split(r"-", word)]
        parts.append(r"[-\u2010\u2011\s]".join(pieces))
    return re.compile(r"(?<![\w.])" + r"[\s\u00a0]+".join(parts) + r"(?![\w]|\.\w)", re.IGNORECASE)


def grep_counts(name):
    counts = {}
    for file in sorted(os.listdir(CORPUS)):
        if file.endswith(".txt"):
            n = len(alias_regex(name).findall(file_bytes(file).decode("utf-8")))
            if n:
                counts[file] = n
    return counts


def case_alias_mentions_match_grep():
    groups = [g for g in alias_groups() if g[0] in ("Middle Corridor", "Belt and Road Initiative",
                                                      "Shanghai Cooperation Organization",
                                                      "Conference on Interaction and Confidence-Building Measures in Asia",
                                                      "Eurasian Economic Union")]
    check(len(groups) == 5, "aliases.conf lacks a group this test expects")
    for group in groups:
        for query in (f'"{group[0]}"', group[-1]):  # the full name and the short form
            doc = search_json("--all", query)
            mentions = doc["mentions"]
            check(mentions["exhaustive"] is True, "summary must say exhaustive")
            by_alias = {a["alias"]: a["count"] for a in mentions["per_alias"]}
            expected_files = defaultdict_int()
            for name in group:
                counts = grep_counts(name)
                check(by_alias.get(name) == sum(counts.values()), f"{name}: {by_alias.get(name)} mentions, grep finds {sum(counts.values())}")
                for file, n in counts.items():
                    expected_files[file] += n
            got_files = {f["source"]: f["count"] for f in mentions["per_file"]}
            check(got_files == dict(expected_files), f"{group[0]} per file {got_files} != {dict(expected_files)}")
            check(mentions["total"] == len(doc["results"]) == sum(expected_files.values()), "total = listed mentions")
            order = [(r["source"], r["mention"]["start_byte"]) for r in doc["results"]]
            check(order == sorted(order), "mentions in corpus order")
            for r in doc["results"]:
                m = r["mention"]
                data = file_bytes(r["source"])
                text = data[m["start_byte"]:m["end_byte"]].decode("utf-8")
                check(text == m["text"], "mention text is the file's bytes")
                # A possessive stays part of the word as written: "SCO’s" is a mention of SCO.
                check(alias_regex(m["alias"]).fullmatch(re.sub(r"[’']s?$", "", text)),
                      f"{text!r} is not a spelling of {m['alias']!r}")
                check(m["line"] == line_of(data, m["start_byte"]), "mention line")
                check_result_is_exact(r)
                check(highlighted(r) == [text], "evidence highlights exactly the mention")


def defaultdict_int():
    from collections import defaultdict
    return defaultdict(int)


def case_batch_queries():
    # Each query's results carry its id (text: a heading; JSONL: the begin record), a query
    # that does not parse is named with its id and character, standard input is "-", and a
    # repeated id is refused before anything runs (a TREC run cannot hold it twice).
    queries = "q1\tTITR\nq2\t\"unbalanced\nq3\tMiddle Corridor\n"
    proc = subprocess.run([SEARCHER, "--db", SHIPPED_DB, "--batch", "-", "-n", "1"], input=queries.encode(),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    check(proc.returncode == 2, f"a bad query makes the batch exit 2: {proc.returncode}")
    text = proc.stdout.decode()
    check(text.startswith("query q1: TITR\n") and "\nquery q3: Middle Corridor\n" in text and "q2" not in text, text)
    check(b"searcher: query q2: query error at character 1: unterminated quote" in proc.stderr, proc.stderr)
    proc = subprocess.run([SEARCHER, "--db", SHIPPED_DB, "--batch", "-", "--format", "jsonl", "-n", "1"],
                          input=b"a\tTITR\nb\ttons\n", stdout=subprocess.PIPE, timeout=60)
    begins = [json.loads(l) for l in proc.stdout.decode().splitlines() if json.loads(l)["type"] == "begin"]
    check([(b["id"], b["query"]) for b in begins] == [("a", "TITR"), ("b", "tons")], begins)
    proc = subprocess.run([SEARCHER, "--db", SHIPPED_DB, "--batch", "-"], input=b"a\tTITR\nb\tx\na\ttons\n",
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    check(proc.returncode == 2 and proc.stdout == b"", proc.returncode)
    check(b"line 3: query id 'a' is already used on line 1" in proc.stderr, proc.stderr)


def case_explain_follows_flags():
    # --explain shows the query as it will be searched: it ignored --no-aliases and --literal.
    def explain(*args):
        return run([SEARCHER, "--db", SHIPPED_DB, "--explain", *args], expect_code=0).stdout.decode().strip()
    with open(os.path.join(CORPUS, "aliases.conf"), encoding="utf-8") as f:
        group = next(line for line in f if line.startswith("Middle Corridor"))
    names = [n.strip().lower().replace("-", " ") for n in group.split("|")]
    expanded = explain('"Middle Corridor"')
    # An acronym name (TITR) is shown case-sensitive: case:TITR.
    check(expanded.startswith("(ALIASES") and all(w in expanded.lower() for n in names for w in n.split()), expanded)
    check(explain("--no-aliases", '"Middle Corridor"') == '"middle corridor"', "--no-aliases")
    check("NOT" in explain("--no-aliases", "corridor NOT tons"), "operators parsed")
    # A word, though an acronym by its capitals: case:NOT, no (NOT ...) node.
    check("(NOT" not in explain("--no-aliases", "--literal", "corridor NOT tons"), "--literal: NOT is a word")


def case_mentions_are_not_substrings():
    # A naive grep finds "6 million tons" twice in 003: once inside "2.76 million tons".
    text = file_bytes(F003).decode("utf-8")
    check(text.count("6 million tons") == 2, "corpus changed?")
    doc = search_json("--all", '"6 million tons"')
    got = [(r["source"], r["mention"]["text"]) for r in doc["results"]]
    # The figure, however it is written, and nothing else: 003's digits and 004's words.
    check(got == [(F003, "6 million tons"), (F004, "six million tons")], got)
    m = doc["results"][0]["mention"]
    check(file_bytes(F003)[m["start_byte"] - 6:m["end_byte"]].decode() == "up to 6 million tons", "the real one")
    check(doc["mentions"]["total"] == 2, "total")


def case_count_and_no_aliases():
    full = search_json("--all", "TITR")["mentions"]
    counted = json.loads(search("--count", "--format", "json", "TITR").stdout)
    check(counted["mentions"] == full and counted["results"] == [], "--count gives the --all summary, no results")
    plain = search_json("--all", "--no-aliases", "TITR")["mentions"]
    check(plain["total"] == sum(grep_counts("TITR").values()) and plain["per_alias"] == [], "--no-aliases")
    text = search("--count", "TITR").stdout.decode()
    check("exhaustive" in text and f"{full['total']} mentions" in text, text)
    search("--all", "zzyzxnotaword", code=1)


def case_mention_formats():
    query = "EAEU"
    doc = search_json("--all", query)
    n = doc["mentions"]["total"]
    check(n >= 3, "need several mentions")
    lines = [json.loads(l) for l in search("--all", "--format", "jsonl", query).stdout.decode().splitlines()]
    check(sum(1 for l in lines if l["type"] == "result") == n and lines[-1]["mentions"]["total"] == n, "jsonl")
    rows = list(csv.DictReader(io.StringIO(search("--all", "--format", "csv", query).stdout.decode(), newline="")))
    check(len(rows) == n, "csv: one row per mention")
    for row in rows:
        data = file_bytes(row["source"])
        check(data[int(row["mention_start_byte"]):int(row["mention_end_byte"])].decode() == row["mention_text"], "csv mention")
    md = search("--all", "--format", "markdown", query).stdout.decode()
    check("exhaustive" in md and md.count("— mention") == n, "markdown")
    items = json.loads(search("--all", "--format", "csl-json", query).stdout)
    check(len(items) == len({r["source"] for r in doc["results"]}), "csl-json: one item per source")
    check(sum(len(i["custom"]["paragraphs"]) for i in items) == len({(r["source"], r["paragraph"]) for r in doc["results"]}),
          "csl-json: each paragraph once")
    text = search("--all", query).stdout.decode()
    check(text.count(" mention «") == n, "text: one block per mention")


def case_synthetic_alias_spellings():
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        corpus = os.path.join(tmp, "corpus")
        os.makedirs(corpus)
        wrapped = ("Shippers say that the freight carried along the Middle\n"
                   "Corridor grew again this year, and traders who use the\n"
                   "“Trans\u2011Caspian International Transport Route” say the TITR’s ports are busy.\n")
        with open(os.path.join(corpus, "a.txt"), "w", encoding="utf-8") as f:
            f.write("A heading\n\n" + wrapped + "\nThe MIDDLE\u00a0CORRIDOR, not a middle-class corridor.\n")
        with open(os.path.join(corpus, "aliases.conf"), "w", encoding="utf-8") as f:
            f.write("Middle Corridor | Trans-Caspian International Transport Route | TITR\n")
        db = os.path.join(tmp, "db")
        run([INDEXER, "--db", db, corpus], expect_code=0)
        doc = search_json("--all", "TITR", db=db)
        by_alias = {a["alias"]: a["count"] for a in doc["mentions"]["per_alias"]}
        check(by_alias == {"Middle Corridor": 2, "Trans-Caspian International Transport Route": 1, "TITR": 1}, by_alias)
        data = file_bytes("a.txt", corpus)
        texts = [r["mention"]["text"] for r in doc["results"]]
        check(texts == ["Middle\nCorridor", "Trans\u2011Caspian International Transport Route", "TITR’s",
                        "MIDDLE\u00a0CORRIDOR"], texts)
        for r in doc["results"]:
            m = r["mention"]
            check(data[m["start_byte"]:m["end_byte"]].decode() == m["text"], "exact bytes")
        check(doc["results"][0]["paragraph"] == 2 and doc["results"][0]["mention"]["line"] == 3, "wrapped paragraph")
        check(doc["results"][1]["mention"]["line"] == 5, "third line of the wrapped paragraph")
        # Changing the alias file changes what the index expands, without touching passages.
        with open(os.path.join(corpus, "aliases.conf"), "w", encoding="utf-8") as f:
            f.write("TITR | Transport Route\n")
        out = run([INDEXER, "--db", db, corpus], expect_code=0).stdout.decode()
        check("0 passages written" in out, out)
        by_alias = {a["alias"]: a["count"] for a in search_json("--all", "TITR", db=db)["mentions"]["per_alias"]}
        check(by_alias == {"TITR": 1, "Transport Route": 1}, by_alias)


# --- quote verification ------------------------------------------------------------------

def quote(*args, db=SHIPPED_DB, code=None):
    proc = run([SEARCHER, "quote", "--db", db, "--format", "json", *args], expect_code=code)
    return json.loads(proc.stdout), proc.returncode


def check_quote_range(doc, file, original, root=CORPUS):
    """The verdict found `original` (the source's own wording) at its exact byte range."""
    data = file_bytes(file, root)
    at = data.find(original.encode())
    check(at >= 0, f"test bug: {original!r} is not in {file}")
    m = doc["matches"][0]
    check((m["source"], m["start_byte"], m["end_byte"]) == (file, at, at + len(original.encode())),
          f"range {m['source']} {m['start_byte']}-{m['end_byte']}, expected {at}-{at + len(original.encode())}")
    check(m["source_text"] == original, m["source_text"])
    check(m["line"] == line_of(data, at), "line")


def case_quote_typography():
    # Exact: copied from the file.
    original = "China has become the country’s largest trade partner"
    doc, code = quote(original, code=0)
    check(doc["verdict"] == "exact" and not doc["matches"][0]["differences"], doc["verdict"])
    check_quote_range(doc, F003, original)
    # ’ typed as '.
    doc, code = quote("China has become the country's largest trade partner", code=0)
    check(doc["verdict"] == "typographic", doc["verdict"])
    check_quote_range(doc, F003, original)
    d = doc["matches"][0]["differences"]
    at = file_bytes(F003).find("country’s".encode())
    check([(x["kind"], x["start_byte"], x["end_byte"]) for x in d] == [("apostrophe", at, at + len("country’s".encode()))], d)
    # “ ” typed as ", inside the quote.
    original = "its own agency in a fast-paced new world order"
    doc, _ = quote('"its own agency in a fast-paced new world order"', code=0)
    check(doc["verdict"] == "exact", "outer quotation marks are not part of the quote")
    original = "Kazakhstan has “always been right in the middle,” connecting"
    doc, _ = quote('Kazakhstan has "always been right in the middle," connecting', code=0)
    check(doc["verdict"] == "typographic", doc["verdict"])
    check_quote_range(doc, F004, original)
    check({x["kind"] for x in doc["matches"][0]["differences"]} == {"quotation mark"}, doc["matches"][0]["differences"])
    # The NBSPs in 003 typed as spaces.
    original = "saw a significant\u00a0increase\u00a0to 274,200 tons in January 2024"
    doc, _ = quote("saw a significant increase to 274,200 tons in January 2024", code=0)
    check(doc["verdict"] == "typographic", doc["verdict"])
    check_quote_range(doc, F003, original)
    check([x["kind"] for x in doc["matches"][0]["differences"]] == ["space", "space"], "two NBSPs")
    # Case differences are typographic unless --case-sensitive.
    doc, _ = quote("CHINA HAS BECOME THE COUNTRY’S LARGEST TRADE PARTNER", code=0)
    check(doc["verdict"] == "typographic", doc["verdict"])
    doc, code = quote("--case-sensitive", "CHINA HAS BECOME THE COUNTRY’S LARGEST TRADE PARTNER")
    check(doc["verdict"] != "typographic" and doc["verdict"] != "exact" and code == 1, doc["verdict"])
    # Digit grouping is typography, and is named so (it was called "diacritics").
    doc, _ = quote("saw a significant increase to 274200 tons in January 2024", code=0)
    check(doc["verdict"] == "typographic", doc["verdict"])
    at = file_bytes(F003).find(b"274,200")
    check([(x["kind"], x["start_byte"]) for x in doc["matches"][0]["differences"] if x["kind"] != "space"]
          == [("digit grouping", at)], doc["matches"][0]["differences"])
    # The analyzer reads these alike, but they are other words, not other typography: a
    # dropped possessive, "%" for "percent". Both were "typographic" (exit 0).
    for changed, word in (("China has become the country largest trade partner", "country"),
                          ("a 147% rise from January 2023", "%")):
        doc, code = quote(changed)
        check(doc["verdict"] == "altered" and code == 1, f"{changed}: {doc['verdict']}")
        ops = [op for op in doc["matches"][0]["diff"] if op["op"] != "equal"]
        check(len(ops) == 1 and ops[0]["quoted"] == word, ops)


def case_quote_ellipsis_and_line_breaks():
    doc, _ = quote("The aim is to reach … by upgrading infrastructure and terminal facilities", code=0)
    check(doc["verdict"] == "exact", doc["verdict"])
    data = file_bytes(F003)
    first = data.find(b"The aim is to reach")
    second = data.find(b"by upgrading infrastructure and terminal facilities")
    parts = [(p["start_byte"], p["end_byte"]) for p in doc["matches"][0]["parts"]]
    check(parts == [(first, first + len(b"The aim is to reach")),
                    (second, second + len(b"by upgrading infrastructure and terminal facilities"))], parts)
    # Words from two passages joined by an ellipsis are not one quote.
    doc, _ = quote("The aim is to reach ... Holding the chairmanship of the SCO", code=1)
    check(doc["verdict"] != "exact" and doc["verdict"] != "typographic", doc["verdict"])
    # A hard-wrapped synthetic file: the quote runs across a line break.
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        corpus = os.path.join(tmp, "corpus")
        os.makedirs(corpus)
        text = ("The committee said that the new freight terminal would open in the spring of next\n"
                "year, and that it would double the capacity of the port for container traffic.\n")
        with open(os.path.join(corpus, "wrapped.txt"), "w", encoding="utf-8") as f:
            f.write(text)
        db = os.path.join(tmp, "db")
        run([INDEXER, "--db", db, corpus], expect_code=0)
        doc, _ = quote("would open in the spring of next year, and that it would double", db=db, code=0)
        check(doc["verdict"] == "typographic", doc["verdict"])
        check_quote_range(doc, "wrapped.txt", "would open in the spring of next\nyear, and that it would double", corpus)
        check([x["kind"] for x in doc["matches"][0]["differences"]] == ["line break"], "line break")


def case_quote_altered_and_not_found():
    # The corridor's capacity target year changed from the corpus's 2027 to 2030.
    doc, code = quote("The aim is to reach an annual throughput capacity of 10 million tons by 2030", code=1)
    check(doc["verdict"] == "altered", doc["verdict"])
    m = doc["matches"][0]
    check(m["source"] == F003 and m["similarity"] >= 0.9, m["similarity"])
    changed = [op for op in m["diff"] if op["op"] != "equal"]
    check(len(changed) == 1 and changed[0]["quoted"] == "2030" and changed[0]["source"] == "2027"
          and changed[0]["number_changed"], changed)
    at = file_bytes(F003).find(b"by 2027") + 3
    check((changed[0]["start_byte"], changed[0]["end_byte"]) == (at, at + 4), "the corpus's number at its bytes")
    text = run([SEARCHER, "quote", "--db", SHIPPED_DB, "The aim is to reach an annual throughput capacity of 10 million tons by 2030"],
               expect_code=1).stdout.decode()
    check("[-!2030-] {+!2027+}" in text, text)
    # Not in the corpus at all.
    doc, _ = quote("The Caspian ferry fleet will triple by the end of the decade", code=1)
    check(doc["verdict"] == "not found" and doc["matches"] == [], doc["verdict"])
    # Every word occurs in 003, never together.
    words = "Russia China Kazakhstan West Europe Asia trade"
    text003 = file_bytes(F003).decode()
    check(all(re.search(rf"\b{w}\b", text003) for w in words.split()), "test bug: words must occur")
    doc, _ = quote(words, code=1)
    check(doc["verdict"] == "not found", doc["verdict"])
    # Formats.
    lines = run([SEARCHER, "quote", "--db", SHIPPED_DB, "--format", "jsonl", words], expect_code=1).stdout.decode().splitlines()
    check(len(lines) == 1 and json.loads(lines[0])["type"] == "quote", "jsonl")
    md = run([SEARCHER, "quote", "--db", SHIPPED_DB, "--format", "markdown",
              "The aim is to reach an annual throughput capacity of 10 million tons by 2030"], expect_code=1).stdout.decode()
    check("**altered**" in md and "~~2030~~ **2027**" in md, md)
    proc = run([SEARCHER, "quote", "--db", SHIPPED_DB, "--format", "csv", "x"], expect_code=2)
    check(b"Try 'searcher quote --help'" in proc.stderr, proc.stderr)  # the subcommand's help
    proc = run([SEARCHER, "report", "--db", SHIPPED_DB, "a.txt", "b.txt"], expect_code=2)
    check(b"report takes one CLAIMS_FILE; 2 were given" in proc.stderr, proc.stderr)


# --- fact-checking -----------------------------------------------------------------------

def check_claim(claim, code=None):
    proc = run([SEARCHER, "check", "--db", SHIPPED_DB, "--format", "json", claim], expect_code=code)
    doc = json.loads(proc.stdout)
    check(len(doc["claims"]) == 1, "one claim")
    return doc["claims"][0]


def check_evidence_is_exact(ev):
    data = file_bytes(ev["source"])
    for span in ev["evidence"]:
        check(data[span["start_byte"]:span["end_byte"]].decode() == span["quote"], "quote at its bytes")
    for c in ev["comparisons"]:
        if c["found"]:
            f = c["found"]
            check(data[f["start_byte"]:f["end_byte"]].decode() == f["text"], "figure at its bytes")
            check(f["line"] == line_of(data, f["start_byte"]), "figure line")


def case_check_true_claims():
    for claim, file, sentence_part in [
        ("China–Kazakhstan trade hit $31 billion in 2023", F003, "$31 billion in 2023"),
        ("Middle Corridor cargo rose 147% in January 2024", F003, "147 percent rise"),
        ("The EU makes up about 30% of Kazakhstan's foreign trade", F002, "30% of the country's foreign trade"),
    ]:
        c = check_claim(claim, code=0)
        check(c["verdict"] == "supported", f"{claim}: {c['verdict']}")
        best = c["evidence"][0]
        check(best["supports"] and best["source"] == file, f"{claim}: {best['source']}")
        data = file_bytes(file)
        check(best["line"] == line_of(data, data.find(sentence_part.encode())), f"{claim}: line {best['line']}")
        check(all(cmp["status"] == "matched" for cmp in best["comparisons"]), best["comparisons"])
        check(any(sentence_part in span["quote"] for span in best["evidence"]), "the sentence is quoted")
        check_evidence_is_exact(best)


def case_check_ranges_and_counterparts():
    # A figure inside the claimed range supports it: "six million tons" (004) and "6 million
    # tons" (003, not the one inside "2.76 million tons") were called "differs".
    c = check_claim("Middle Corridor capacity is between 5 and 7 million tons", code=0)
    check(c["verdict"] == "supported", c["verdict"])
    found = {}
    for ev in c["evidence"]:
        check_evidence_is_exact(ev)
        for cmp in ev["comparisons"]:
            if cmp["status"] == "matched":
                found[ev["source"]] = cmp["found"]["start_byte"]
    d3, d4 = file_bytes(F003), file_bytes(F004)
    check(found.get(F004) == d4.find(b"six million tons"), f"004: {found.get(F004)}")
    # 003 says "up to 6 million tons": a bound, which a range neither matches nor contradicts
    # (nor is the "6 million" inside "2.76 million tons" taken for it).
    check(b"up to 6 million tons" in d3 and F003 not in found, f"003: {found.get(F003)}")

    # Figures are compared at the same time: 004 states "10 million tons by 2030" and supports
    # the claim; 003's "10 million tons by 2027" is another year's target, set against nothing.
    c = check_claim("Kazakhstan aims for 10 million tons by 2030 on the Middle Corridor", code=0)
    check(c["verdict"] == "supported" and all(e["source"] == F004 for e in c["evidence"]), c["verdict"])
    tons = next(cmp for cmp in c["evidence"][0]["comparisons"] if cmp["claimed"]["text"] == "10 million tons")
    check(tons["found"]["start_byte"] == d4.find(b"10 million tons by 2030"), tons)

    # A currency code before the figure: "USD 31 billion" was a bare 31 billion.
    c = check_claim("China-Kazakhstan trade hit USD 31 billion in 2023", code=0)
    money = next(cmp for cmp in c["evidence"][0]["comparisons"] if cmp["claimed"]["text"] == "USD 31 billion")
    check(money["status"] == "matched" and money["found"]["start_byte"] == d3.find(b"$31 billion"), money)

    # Of two figures of the same value, the one among the claim's words: 003 states "$24
    # billion" for trade in 2022 and for 18 years of investment.
    c = check_claim("China invested over $24bn in Kazakhstan over the past 18 years", code=0)
    best = c["evidence"][0]
    money = next(cmp for cmp in best["comparisons"] if cmp["claimed"]["text"] == "$24bn")
    check(money["found"]["start_byte"] == d3.find(b"$24 billion over the past"), money)


def case_check_false_and_unaddressed_claims():
    c = check_claim("China–Kazakhstan trade hit $41 billion in 2023", code=1)
    check(c["verdict"] == "contradicted", c["verdict"])
    ev = next(e for e in c["evidence"] if any(x["status"] == "differs" for x in e["comparisons"]))
    cmp = next(x for x in ev["comparisons"] if x["status"] == "differs")
    check(cmp["claimed"]["value"] == 41e9 and cmp["found"]["text"] == "$31 billion", cmp)
    check_evidence_is_exact(ev)
    c = check_claim("Kazakhstan and Russia have concluded around 500 bilateral agreements", code=1)
    check(c["verdict"] == "contradicted", c["verdict"])
    found = [x["found"]["text"] for e in c["evidence"] for x in e["comparisons"] if x["status"] == "differs"]
    check("300" in found, found)
    c = check_claim("Mongolia exported 5 million tons of coal to Japan", code=1)
    check(c["verdict"] == "not found" and c["evidence"] == [], c["verdict"])
    text = run([SEARCHER, "check", "--db", SHIPPED_DB, "China–Kazakhstan trade hit $41 billion in 2023"],
               expect_code=1).stdout.decode()
    check("contradicted" in text and "$31 billion" in text, text)
    check(b"not a language model" in run([SEARCHER, "check", "--help"], expect_code=0).stdout, "help says what it is")


def case_facts_side_by_side():
    doc = json.loads(run([SEARCHER, "facts", "--db", SHIPPED_DB, "--format", "json", '"Middle Corridor"'],
                         expect_code=0).stdout)
    units = {u["unit"]: u["facts"] for u in doc["units"]}
    tons = [(f["source"], f["text"]) for f in units.get("ton", [])]
    # Both statements of the corridor's 10 million tons target, with their two target years.
    check((F003, "10 million tons") in tons and (F004, "10 million tons") in tons, tons)
    years = {(f["source"], f["text"]) for f in units.get("year", [])}
    check((F003, "2027") in years and (F004, "2030") in years, years)
    for facts in units.values():
        for f in facts:
            data = file_bytes(f["source"])
            check(data[f["start_byte"]:f["end_byte"]].decode() == f["text"], "figure at its bytes")
            sentence = f["evidence"][0]
            check(data[sentence["start_byte"]:sentence["end_byte"]].decode() == sentence["quote"],
                  "sentence at its bytes")
            check(f["text"] in sentence["quote"], "the sentence holds the figure")


def case_report_markdown_citations():
    claims = ["China–Kazakhstan trade hit $31 billion in 2023",
              "China–Kazakhstan trade hit $41 billion in 2023",
              "Mongolia exported 5 million tons of coal to Japan"]
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        path = os.path.join(tmp, "claims.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("# claims to check\n\n" + "\n".join(claims) + "\n")
        md = run([SEARCHER, "report", "--db", SHIPPED_DB, path], expect_code=0).stdout.decode()
        doc = json.loads(run([SEARCHER, "report", "--db", SHIPPED_DB, "--format", "json", path], expect_code=0).stdout)
    check([c["claim"] for c in doc["claims"]] == claims, "json: every claim in order")
    check([c["verdict"] for c in doc["claims"]] == ["supported", "contradicted", "not found"], "json verdicts")
    for claim, verdict in zip(claims, ["supported", "contradicted", "not found"]):
        at = md.find("### " + claim.replace("$", "$"))
        check(at >= 0, f"heading for {claim}")
        check(f"**Verdict: {verdict}**" in md[at:], f"verdict for {claim}")
    sources = md[md.index("## Sources"):]
    cited = re.findall(r"^\[(\d+)\] .*?`([^`]+)` ¶(\d+)(?:, l\.(\d+))? \(bytes (\d+)–(\d+)\)", sources, re.M)
    check(cited, "sources listed")
    for n, source, para, line, start, end in cited:
        quote = file_bytes(source)[int(start):int(end)].decode()
        # The block quote marked [n] is exactly that text, once bold markers and escapes are removed.
        quoted = [re.sub(r"\\(.)", r"\1", q.replace("**", "")) for q in re.findall(rf"^> (.*) \[{n}\]$", md, re.M)]
        check(quoted and all(q == " ".join(quote.split()) for q in quoted), f"[{n}] quote differs from bytes {start}-{end}")
        if line:
            check(int(line) == line_of(file_bytes(source), int(start)), f"[{n}] line")


def case_report_claims_file_encodings():
    # One claims file saved five ways: the same verdicts each time; an invalid UTF-16 file is a
    # file error naming the file, never a query error.
    claims = ["China–Kazakhstan trade hit $31 billion in 2023", "China–Kazakhstan trade hit $41 billion in 2023"]
    text = "\n".join(claims) + "\n"
    encodings = {
        "utf8.txt": text.encode("utf-8"),
        "bom.txt": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "crlf.txt": text.replace("\n", "\r\n").encode("utf-8"),
        "utf16.txt": text.encode("utf-16"),  # with its byte-order mark
        "utf32be.txt": b"\x00\x00\xfe\xff" + text.encode("utf-32-be"),
    }
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        for name, data in encodings.items():
            path = os.path.join(tmp, name)
            with open(path, "wb") as f:
                f.write(data)
            doc = json.loads(run([SEARCHER, "report", "--db", SHIPPED_DB, "--format", "json", path],
                                 expect_code=0).stdout)
            check([c["claim"] for c in doc["claims"]] == claims, f"{name}: claims as written")
            check([c["verdict"] for c in doc["claims"]] == ["supported", "contradicted"], f"{name}: verdicts")
        bad = os.path.join(tmp, "bad16.txt")
        with open(bad, "wb") as f:
            f.write(b"\xff\xfe" + "trade".encode("utf-16-le") + b"\x00\xdc")  # a lone low surrogate
        proc = run([SEARCHER, "report", "--db", SHIPPED_DB, bad], expect_code=2)
        check(b"bad16.txt" in proc.stderr and b"query error" not in proc.stderr, proc.stderr)


def case_quote_number_changed_by_value():
    # 004 writes "six million tons": "6" for "six" is a wording, not a changed number; 003
    # writes "$31 billion": "€31 billion" changes the figure although the digits stay.
    def changes(text):
        doc = json.loads(run([SEARCHER, "quote", "--db", SHIPPED_DB, "--format", "json", text], expect_code=1).stdout)
        check(doc["verdict"] == "altered", doc["verdict"])
        return [(o["quoted"], o["source"], o["number_changed"]) for o in doc["matches"][0]["diff"] if o["op"] != "equal"]
    check(b"capacity across the Middle Corridor is six million tons" in file_bytes(F004), "test bug: 004's wording")
    check(changes("The current transit capacity across the Middle Corridor is 6 million tons") == [("6", "six", False)],
          "six = 6")
    check(b"trade hitting $31 billion in 2023" in file_bytes(F003), "test bug: 003's wording")
    check(changes("bilateral trade hitting €31 billion in 2023") == [("€", "$", True)], "€ != $")


def case_facts_limit_and_unit():
    # Every figure of the corridor's passages, then the first two, then only the years.
    def facts(*extra):
        return json.loads(run([SEARCHER, "facts", "--db", SHIPPED_DB, "--format", "json", *extra, "Middle Corridor"],
                              expect_code=0).stdout)
    everything = facts()
    listed = [f for u in everything["units"] for f in u["facts"]]
    check(everything["figures"] == len(listed) > 2 and not everything["truncated"], everything["figures"])
    two = facts("--limit", "2")
    check(two["figures"] == len(listed) and two["truncated"], two["figures"])
    check(sum(len(u["facts"]) for u in two["units"]) == 2, "two figures listed")
    years = facts("--unit", "year")
    check([u["unit"] for u in years["units"]] == ["year"], [u["unit"] for u in years["units"]])
    check(len(years["units"][0]["facts"]) == sum(len(u["facts"]) for u in everything["units"] if u["unit"] == "year"),
          "every year listed")
    run([SEARCHER, "facts", "--db", SHIPPED_DB, "--limit", "0", "Middle Corridor"], expect_code=2)


# --- shards and remote databases (issue 8) ----------------------------------------------

def fnv1a64(data):
    """FNV-1a, 64 bit, from its specification: the hash that assigns files to shards."""
    h = 0xcbf29ce484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001b3) % (1 << 64)
    return h


def free_loopback_port():
    import socket
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RemoteShard:
    """xapian-tcpsrv serving one database on a free loopback port, stopped on exit (also when
    the test fails). It gets a session of its own: on SIGTERM it signals its process group."""

    def __init__(self, db):
        self.db = db
        self.proc = None
        self.port = None

    def __enter__(self):
        import socket
        import time
        server = shutil.which("xapian-tcpsrv")
        check(server is not None, "xapian-tcpsrv is missing: scripts/setup installs xapian-tools")
        for _ in range(5):  # another process may take the free port first
            self.port = free_loopback_port()
            self.proc = subprocess.Popen([server, "--interface", "127.0.0.1", "--port", str(self.port), "--quiet",
                                          self.db], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, start_new_session=True)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                    return self
                except OSError:
                    time.sleep(0.05)
            self.stop()
        raise Failure("xapian-tcpsrv did not start listening on 127.0.0.1")

    def stop(self):
        import signal
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait()
        self.proc = None

    def __exit__(self, *exc):
        self.stop()
        return False

    @property
    def url(self):
        return f"tcp://127.0.0.1:{self.port}"


def without_db(doc):
    """A search document without the field naming the database: the only one that may differ."""
    return {k: v for k, v in doc.items() if k != "db"}


def build_shard_set(tmp, shards=3):
    db = os.path.join(tmp, "set.db")
    out = run([INDEXER, "--db", db, "--shards", str(shards), CORPUS], expect_code=0).stdout.decode()
    check("5 added" in out, out)
    return db


def shipped_texts():
    return sorted(n for n in os.listdir(CORPUS) if n.endswith(".txt"))


def compare_with_single(dbs, what):
    """Runs the same searches on the single shipped database and on `dbs` (--db arguments);
    everything but the database's name must be identical."""
    def searcher(args, db_args):
        return run([SEARCHER, *db_args, *args])

    ranked = [["-n", "100", '"Middle Corridor"'], ["-n", "50", "Kazakhstan"], ["-n", "200", "corridor tons"],
              ["-n", "2", "--offset", "3", "Kazakhstan"], ["-n", "50", '"Middle Corridor" NEAR/20 tons'],
              ["--ranking", "score", "--literal", "-n", "30", "China trade with Kazakhstan in 2023"],
              ["--weighting", "bm25", "-n", "30", "corridor tons"],
              ["--all", "TITR"], ["--all", '"6 million tons"'], ["--count", "TITR"], ["--all", "--no-aliases", "SCO"]]
    for args in ranked:
        one = searcher(["--format", "json", *args], ["--db", SHIPPED_DB])
        many = searcher(["--format", "json", *args], dbs)
        check(one.returncode == many.returncode == 0, f"{what} {args}: exit {one.returncode} / {many.returncode}: "
                                                     f"{many.stderr.decode()[:500]}")
        a, b = json.loads(one.stdout), json.loads(many.stdout)
        check(without_db(a) == without_db(b), f"{what}: results differ for {args}")
        check(a["results"] or a.get("mentions", {}).get("total"), f"test bug: {args} finds nothing")
        text_one = searcher(args, ["--db", SHIPPED_DB]).stdout
        check(text_one == searcher(args, dbs).stdout, f"{what}: text output differs for {args}")
    subcommands = [["quote", "China has become the country's largest trade partner"],
                   ["quote", "The aim is to reach an annual throughput capacity of 10 million tons by 2030"],
                   ["quote", "The aim is to reach … by upgrading infrastructure and terminal facilities"],
                   ["check", "China–Kazakhstan trade hit $31 billion in 2023"],
                   ["check", "China–Kazakhstan trade hit $41 billion in 2023"],
                   ["facts", '"Middle Corridor"']]
    for command, argument in subcommands:
        one = run([SEARCHER, command, "--db", SHIPPED_DB, "--format", "json", argument])
        many = run([SEARCHER, command, *dbs, "--format", "json", argument])
        check(one.returncode == many.returncode and one.stdout == many.stdout,
              f"{what}: {command} {argument!r} differs: {many.stderr.decode()[:500]}")


def case_shards_local_and_remote():
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        db = build_shard_set(tmp)
        again = run([INDEXER, "--db", db, CORPUS], expect_code=0).stdout.decode()
        check("5 unchanged" in again and "0 passages written" in again, f"a set's re-run is incremental: {again}")
        with open(os.path.join(db, "XAPIANDB"), encoding="utf-8") as f:
            lines = [l for l in f.read().splitlines() if l and not l.startswith("#")]
        check(lines == ["auto shard-0", "auto shard-1", "auto shard-2"], lines)
        shard = [os.path.join(db, f"shard-{k}") for k in range(3)]
        # Every file sits in the shard its path's hash names, computed here.
        for k in range(3):
            got = {r["source"] for r in search_json("--limit", "1000", "file:.txt", db=shard[k])["results"]}
            check(got == {n for n in shipped_texts() if fnv1a64(n.encode()) % 3 == k}, f"shard {k} holds {got}")
        # Xapian's own tools open the whole set by its one path.
        def doc_count(path):
            out = run(["xapian-delve", path], expect_code=0).stdout.decode()
            return int(re.search(r"number of documents = (\d+)", out).group(1))
        check(doc_count(db) == doc_count(SHIPPED_DB), "xapian-delve sees the set as the whole corpus")
        # The set by its stub, and the shards one by one in another order.
        compare_with_single(["--db", db], "the shard set")
        compare_with_single(["--db", shard[2], "--db", shard[0], "--db", shard[1]], "three shards")
        # One shard served over Xapian's remote protocol, on loopback.
        with RemoteShard(shard[1]) as remote:
            dbs = ["--db", shard[0], "--db", remote.url, "--db", shard[2]]
            compare_with_single(dbs, "local + remote shards")
            # The remote shard's passages carry their evidence from what it stores; the files
            # are on this machine too, so they are checked (fresh) and quoted exactly.
            remote_files = {n for n in shipped_texts() if fnv1a64(n.encode()) % 3 == 1}
            served = [r for r in run_json([SEARCHER, *dbs, "--format", "json", "-n", "200", "Kazakhstan"])["results"]
                      if r["source"] in remote_files]
            check(served, "the remote shard contributes results")
            for r in served:
                check(r["status"] == "fresh" and r["evidence"], r["status"])
                check_result_is_exact(r)
            # A stub file listing local and remote shards opens them all by one path.
            stub = os.path.join(tmp, "mixed.stub")
            with open(stub, "w", encoding="utf-8") as f:
                f.write(f"# two local shards and a remote one\nauto set.db/shard-0\nremote 127.0.0.1:{remote.port}\n"
                        "auto set.db/shard-2\n")
            a = without_db(search_json("--all", "TITR"))
            check(a == without_db(search_json("--all", "TITR", db=stub)), "the mixed stub file")
            url = remote.url
        # The server is gone: an error naming it, or partial results that say so.
        proc = run([SEARCHER, "--db", shard[0], "--db", url, "--db", shard[2], "TITR"], expect_code=2)
        check(url.encode() in proc.stderr and proc.stdout == b"", proc.stderr)
        proc = run([SEARCHER, "--db", shard[0], "--db", url, "--db", shard[2], "--allow-partial", "--count", "TITR"],
                   expect_code=0)
        check(f"warning: cannot reach shard '{url}'".encode() in proc.stderr, proc.stderr)
        check(f"partial results: 1 shard could not be searched: {url}".encode() in proc.stderr, proc.stderr)
        out = proc.stdout.decode()
        check(out.endswith(f"partial results: 1 shard could not be searched: {url}\n") and "exhaustive" not in out, out)
        partial = run_json([SEARCHER, "--db", shard[0], "--db", url, "--db", shard[2], "--allow-partial",
                            "--format", "json", "--all", "TITR"])
        full = search_json("--all", "TITR")
        check(partial["missing_shards"] == [url] and partial["mentions"]["exhaustive"] is False, "json says partial")
        remote_files = {n for n in shipped_texts() if fnv1a64(n.encode()) % 3 == 1}
        check(partial["mentions"]["per_file"] == [f for f in full["mentions"]["per_file"] if f["source"] not in remote_files],
              "the other shards' mentions, all of them")


def run_json(args):
    return json.loads(run(args, expect_code=0).stdout)


def case_shards_indexer_rules():
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        db = build_shard_set(tmp)
        proc = run([INDEXER, "--db", db, "--shards", "2", CORPUS], expect_code=2)
        check(b"is a set of 3 shards, not 2" in proc.stderr, proc.stderr)
        proc = run([INDEXER, "--db", SHIPPED_DB, "--shards", "3", CORPUS], expect_code=2)
        check(b"holds a single database" in proc.stderr, proc.stderr)
        proc = run([INDEXER, "--db", os.path.join(tmp, "x.db"), "--shards", "0", CORPUS], expect_code=2)
        check(b"--shards must be" in proc.stderr, proc.stderr)
        # A changed file is re-indexed in its shard only; the set still searches as one.
        corpus = os.path.join(tmp, "corpus")
        shutil.copytree(CORPUS, corpus)
        db2 = os.path.join(tmp, "copy.db")
        run([INDEXER, "--db", db2, "--shards", "2", corpus], expect_code=0)
        with open(os.path.join(corpus, F003), "ab") as f:
            f.write(b"\nA sentence about zanzibarite added later.\n")
        out = run([INDEXER, "--db", db2, corpus], expect_code=0).stdout.decode()
        check("1 updated" in out and "4 unchanged" in out, out)
        hit = search_json("zanzibarite", db=db2)["results"]
        check([r["source"] for r in hit] == [F003] and hit[0]["status"] == "fresh", hit)


def case_shards_remote_unchecked():
    """A remote shard's file need not be on this machine: its passages are quoted from what the
    shard stores and marked unchecked, where a local shard's vanished file is missing."""
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        corpus = os.path.join(tmp, "corpus")
        shutil.copytree(CORPUS, corpus)
        db = os.path.join(tmp, "set.db")
        run([INDEXER, "--db", db, "--shards", "3", corpus], expect_code=0)
        on_remote = {n for n in shipped_texts() if fnv1a64(n.encode()) % 3 == 1}
        shutil.rmtree(corpus)  # the indexing machine's files are not here any more
        with RemoteShard(os.path.join(db, "shard-1")) as remote:
            dbs = ["--db", os.path.join(db, "shard-0"), "--db", remote.url, "--db", os.path.join(db, "shard-2")]
            results = run_json([SEARCHER, *dbs, "--format", "json", "-n", "200", "Kazakhstan"])["results"]
            text = run([SEARCHER, *dbs, "-n", "200", "Kazakhstan"], expect_code=0).stdout.decode()
            # quote: a remote shard's unchecked passage still gives a verdict, quoted from the
            # index; a local shard's vanished file is left out of it.
            remote_wording = "In the wake of the changing framework of international geopolitics"
            check(F000 in on_remote and remote_wording.encode() in file_bytes(F000), "test bug: 000 is remote")
            doc = json.loads(run([SEARCHER, "quote", *dbs, "--format", "json", remote_wording], expect_code=0).stdout)
            check(doc["verdict"] == "exact" and doc["left_out"] == [], f"remote quote: {doc['verdict']}")
            check({m["status"] for m in doc["matches"]} == {"unchecked"}, "remote quote: unchecked")
            local_wording = "bilateral trade hitting $31 billion in 2023"
            check(F003 not in on_remote and local_wording.encode() in file_bytes(F003), "test bug: 003 is local")
            proc = run([SEARCHER, "quote", *dbs, "--format", "json", local_wording], expect_code=1)
            doc = json.loads(proc.stdout)
            check(doc["verdict"] == "not found" and doc["left_out"] == [
                {"source": F003, "status": "missing", "reason": LEFT_OUT_REASON["missing"]}], f"local quote: {doc}")
            check_left_out_notice(proc, F003, "missing")
        check({r["source"] for r in results} & on_remote, "test bug: no result from the remote shard")
        for r in results:
            if r["source"] in on_remote:
                check(r["status"] == "unchecked" and r["evidence"], f"{r['citation']}: {r['status']}")
                check_result_is_exact(r)  # the same bytes as the shipped corpus's copy
            else:
                check(r["status"] == "missing" and r["evidence"] == [], f"{r['citation']}: {r['status']}")
        check("not checked against the file" in text and "the file is missing" in text, "text says which is which")


def case_compact_shards():
    """indexer --merge (what scripts/compact runs) turns a shard set into one database that
    answers like a single one; it never overwrites, and refuses a file indexed twice."""
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        db = build_shard_set(tmp)
        archive = os.path.join(tmp, "archive.db")
        proc = run([INDEXER, "--merge", "--quiet", "--db", archive, db], expect_code=0)
        check(proc.stdout == b"" and proc.stderr == b"", "--quiet merge prints nothing")
        check(os.path.isfile(os.path.join(archive, "iamglass")), "a single glass database")
        compare_with_single(["--db", archive], "the compacted set")
        again = run([INDEXER, "--merge", "--db", archive, db], expect_code=2)
        check(again.stderr.decode() == f"indexer: '{archive}' exists; give a new database path\n",
              f"never overwrites: {again.stderr!r}")
        twice = os.path.join(tmp, "twice.db")
        proc = run([INDEXER, "--merge", "--db", twice, db, archive], expect_code=2)
        check(b"is indexed in more than one of the databases" in proc.stderr, f"a file twice: {proc.stderr!r}")
        check(not os.path.exists(twice) and not os.path.exists(twice + ".merging"), "nothing left by a refused merge")


SAVED_PAGE = b"""<!DOCTYPE html><html><head><title>Ports | Example</title>
<link rel="canonical" href="https://news.example.org/ports"></head><body>
<nav class="menu"><a href="/">Home</a> <a href="/zzmenuword">zzmenuword</a></nav>
<article class="post"><p>The port of Aktau handled zzcargo volumes of 7.2 million tonnes in 2023, officials said, up from 6.1 million.</p>
<p>Further terminals are planned at Kuryk, with rail links, warehouses and a ferry berth, by 2026.</p></article>
<footer class="footer">zzfooterword, all rights reserved, everywhere.</footer></body></html>"""

LATIN1_TEXT = (b"Chelsea have sacked Adrian Mutu after he failed a drugs test. The 25-year-old tested positive "
               b"for a banned substance in October. Chelsea have decided to write off a possible transfer fee for "
               b"Mutu, a \xa315.8m zzsigning from Parma last season, and the caf\xe9 owner was na\xefve.\n")


def case_sources_pages_encodings_unsupported():
    """A saved web page is indexed as its article text: every quote is the --extract layer at its
    byte range, menus and footers are not indexed. A Latin-1 text file is read; an image is
    counted as unsupported without failing the run; --exclude and .citeignore leave files out."""
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        corpus = os.path.join(tmp, "corpus")
        os.makedirs(corpus)
        files = {"page.html": SAVED_PAGE, "latin1.txt": LATIN1_TEXT,
                 "photo.png": b"\x89PNG\r\n\x1a\n\0\0", "draft.txt": b"zzdraftword\n",
                 "old/x.txt": b"zzoldword\n", ".citeignore": b"old\n"}
        for name, data in files.items():
            os.makedirs(os.path.dirname(os.path.join(corpus, name)), exist_ok=True)
            with open(os.path.join(corpus, name), "wb") as f:
                f.write(data)
        db = os.path.join(tmp, "db")
        proc = run([INDEXER, "--verbose", "--db", db, "--exclude", "draft.*", corpus], expect_code=0)
        out = proc.stdout.decode()
        check("2 added" in out and "1 file of unsupported types skipped: 1 .png" in out, out)
        check("photo.png: not indexed" in proc.stderr.decode(), proc.stderr)
        layer = run([INDEXER, "--extract", os.path.join(corpus, "page.html")], expect_code=0).stdout
        check(b"zzmenuword" not in layer and b"zzfooterword" not in layer and b"zzcargo" in layer, layer)
        for word, source in (("zzcargo", "page.html"), ("Kuryk", "page.html")):
            results = search_json(word, db=db)["results"]
            check([r["source"] for r in results] == [source], f"{word}: {results}")
            for e in results[0]["evidence"]:
                check(layer[e["start_byte"]:e["end_byte"]] == e["quote"].encode(), f"quote at its range: {e}")
        for word in ("zzmenuword", "zzfooterword", "zzdraftword", "zzoldword"):
            check(search_json(word, db=db, code=1)["results"] == [], f"{word} is not indexed")
        # Latin-1: the pound sign is found, and quoted from the converted text.
        r = search_json("zzsigning", db=db)["results"][0]
        latin1_layer = run([INDEXER, "--extract", os.path.join(corpus, "latin1.txt")], expect_code=0).stdout
        check(latin1_layer == LATIN1_TEXT.decode("latin-1").encode(), latin1_layer)
        check(latin1_layer[r["start_byte"]:r["end_byte"]].decode() == r["evidence"][0]["quote"] or
              r["evidence"][0]["quote"] in latin1_layer.decode(), r)
        again = run([INDEXER, "--db", db, "--exclude", "draft.*", corpus], expect_code=0)
        check("2 unchanged" in again.stdout.decode(), again.stdout)


CASES = {name[len("case_"):]: fn for name, fn in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        sys.exit(f"usage: e2e_test.py {{{','.join(CASES)}}}")
    try:
        CASES[sys.argv[1]]()
    except Failure as e:
        print(f"FAILED {sys.argv[1]}: {e}", file=sys.stderr)
        sys.exit(1)
    print(f"passed {sys.argv[1]}")
