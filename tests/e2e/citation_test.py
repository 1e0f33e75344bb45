#!/usr/bin/env python3
"""End-to-end tests of the citation formats (docs/citations.md) with their real consumers.

Run by CTest, one case per invocation: citation_test.py CASE. Paths come from the environment
(INDEXER, SEARCHER, CORPUS, SHIPPED_DB, WORK_DIR, DATA_DIR; BBC, else ../shared/eval/bbc from
the source tree). CSL-JSON is validated against the CSL 1.0.2 schema (DATA_DIR/csl-data.json)
with python3-jsonschema; pandoc (Debian's) renders the Markdown and reads the BibTeX and
BibLaTeX back. Expectations come from the corpus bytes, the catalog and the formats' rules,
never from the program's own output. A case needing the BBC corpus exits 77 without it.
"""

import datetime
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile

import jsonschema

INDEXER = os.environ["INDEXER"]
SEARCHER = os.environ["SEARCHER"]
CORPUS = os.environ["CORPUS"]
SHIPPED_DB = os.environ["SHIPPED_DB"]
WORK_DIR = os.environ["WORK_DIR"]
DATA_DIR = os.environ["DATA_DIR"]
BBC = os.environ.get("BBC") or os.path.join(os.path.dirname(CORPUS), "..", "shared", "eval", "bbc")
SKIP = 77

# The RIS tags of the RIS format specification (Research Information Systems, the tag list
# Zotero, EndNote and Mendeley import).
RIS_TAGS = set("""TY A1 A2 A3 A4 AB AD AN AU AV BT C1 C2 C3 C4 C5 C6 C7 C8 CA CN CP CT CY DA DB DO DP
ED EP ET ID IS J1 J2 JA JF JO KW L1 L2 L3 L4 LA LB LK M1 M2 M3 N1 N2 NV OP PB PP PY RI RN RP SE SN SP
ST T1 T2 T3 TA TI TT U1 U2 U3 U4 U5 UR VL VO Y1 Y2 ER""".split())
RIS_TYPES = set("""ABST ADVS AGGR ANCIENT ART BILL BLOG BOOK CASE CHAP CHART CLSWK COMP CONF CPAPER CTLG
DATA DBASE DICT EBOOK ECHAP EDBOOK EJOUR ELEC ENCYC EQUA FIGURE GEN GOVDOC GRANT HEAR ICOMM INPR JFULL
JOUR LEGAL MANSCPT MAP MGZN MPCT MULTI MUSIC NEWS PAMP PAT PCOMM RPRT SER SLIDE SOUND STAND STAT THES
UNBILL UNPB VIDEO""".split())


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def run(args, code=0, cwd=None, env=None):
    proc = subprocess.run(args, capture_output=True, stdin=subprocess.DEVNULL, cwd=cwd,
                          env=None if env is None else {**os.environ, **env})
    if code is not None and proc.returncode != code:
        raise Failure(f"{args} exited {proc.returncode}, expected {code}\n"
                      f"stdout: {proc.stdout.decode(errors='replace')[:2000]}\n"
                      f"stderr: {proc.stderr.decode(errors='replace')[:2000]}")
    return proc


def schema():
    with open(os.path.join(DATA_DIR, "csl-data.json"), encoding="utf-8") as f:
        return json.load(f)


def validate_csl(items, what):
    try:
        jsonschema.validate(items, schema())
    except jsonschema.ValidationError as e:
        raise Failure(f"{what}: not valid CSL-JSON: {e.message} at {list(e.absolute_path)}")


def sha256_of(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def check_csl_provenance(items, root, what):
    """Each item's custom data: the file's hash, and every quote at its byte range."""
    for item in items:
        custom = item["custom"]
        path = os.path.join(root, custom["source"])
        check(custom["sha256"] == sha256_of(path), f"{what}: sha256 of {custom['source']}")
        with open(path, "rb") as f:
            data = f.read()
        check(custom["paragraphs"], f"{what}: {item['id']} cites no paragraph")
        for p in custom["paragraphs"]:
            for q in p["quotes"]:
                check(data[q["start_byte"]:q["end_byte"]] == q["quote"].encode(), f"{what}: quote bytes of {item['id']}")
                check(q["line"] == data.count(b"\n", 0, q["start_byte"]) + 1, f"{what}: quote line of {item['id']}")


def read_claims(path):
    with open(path, encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip() and not l.lstrip().startswith("#")]


def report(db, claims_file, fmt, tmp, extra=()):
    return run([SEARCHER, "report", "--db", db, "--format", fmt, *extra, claims_file]).stdout


def cited_sources_json(db, claims_file):
    """The distinct files a report cites, from its JSON form: the evidence the Markdown quotes
    (supporting or with a differing figure, at most three per claim, as documented)."""
    doc = json.loads(run([SEARCHER, "report", "--db", db, "--format", "json", claims_file]).stdout)
    cited = []
    for claim in doc["claims"]:
        shown = [e for e in claim["evidence"]
                 if e["supports"] or any(c["status"] == "differs" for c in e["comparisons"])][:3]
        cited += [(e["source"], e["paragraph"]) for e in shown]
    return doc, cited


CITATION = re.compile(r"\[@([A-Za-z0-9_](?:[A-Za-z0-9_]|[-:./](?=[A-Za-z0-9_]))*), para (\d+)\]")


def check_pandoc_report(db, root, claims_file, tmp, what):
    """report --format pandoc: one bibliography entry per distinct source cited, each citation
    rendered by pandoc --citeproc with its paragraph; a DOCX too."""
    doc, cited = cited_sources_json(db, claims_file)
    check(len(doc["claims"]) == len(read_claims(claims_file)), f"{what}: every claim reported")
    check(cited, f"{what}: the report cites nothing")
    bib = os.path.join(tmp, "refs.json")
    md = report(db, claims_file, "pandoc", tmp, ["--bibliography", bib]).decode()
    check(md.startswith("---\nbibliography: '" + bib + "'\n"), f"{what}: front matter names the bibliography")
    citations = CITATION.findall(md)
    check(len(citations) == len(cited), f"{what}: {len(citations)} citations, {len(cited)} quoted passages")
    with open(bib, encoding="utf-8") as f:
        items = json.load(f)
    validate_csl(items, what)
    check_csl_provenance(items, root, what)
    # One item per distinct source, keyed as the Markdown cites them, paragraphs as cited.
    by_key = {item["id"]: item for item in items}
    check(len(by_key) == len(items), f"{what}: duplicate ids")
    check(sorted(i["custom"]["source"] for i in items) == sorted(set(s for s, _ in cited)),
          f"{what}: bibliography sources {sorted(i['custom']['source'] for i in items)} vs cited {sorted(set(s for s, _ in cited))}")
    check(set(by_key) == set(k for k, _ in citations), f"{what}: cited keys and bibliography ids differ")
    for (key, para), (source, paragraph) in zip(citations, cited):
        check(by_key[key]["custom"]["source"] == source and int(para) == paragraph,
              f"{what}: [@{key}, para {para}] should cite {source} ¶{paragraph}")
        check(paragraph in [p["paragraph"] for p in by_key[key]["custom"]["paragraphs"]], f"{what}: paragraph list")
    md_path = os.path.join(tmp, "report.md")
    with open(md_path, "w", encoding="utf-8") as f:
        f.write(md)
    html = run(["pandoc", "--citeproc", "--wrap=none", "-s", md_path, "-t", "html"], cwd=tmp).stdout.decode()
    entries = re.findall(r'<div id="ref-([^"]+)" class="csl-entry"', html)
    check(sorted(entries) == sorted(by_key), f"{what}: rendered bibliography {entries} vs {sorted(by_key)}")
    # (Author 2024, para 5): the title of an item without author is an inner <span>.
    spans = re.findall(r'<span class="citation" data-cites="([^"]+)">\((.*?)\)</span>', html)
    check(len(spans) == len(citations), f"{what}: {len(spans)} rendered citations, {len(citations)} written")
    for (key, text), (want_key, para) in zip(spans, citations):
        check(key == want_key and re.search(rf"para\.? {para}\b", text), f"{what}: citation {text!r} lacks para {para}")
    docx = os.path.join(tmp, "report.docx")
    run(["pandoc", "--citeproc", md_path, "-o", docx], cwd=tmp)
    check(os.path.getsize(docx) > 0, f"{what}: empty DOCX")
    with zipfile.ZipFile(docx) as z:
        body = z.read("word/document.xml").decode()
    check(len(re.findall(r"para\.? \d", body)) >= len(citations), f"{what}: the DOCX shows every locator")
    return items


def case_pandoc_report_shipped():
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        check_pandoc_report(SHIPPED_DB, CORPUS, os.path.join(DATA_DIR, "shipped_claims.txt"), tmp, "shipped corpus")


def case_pandoc_report_bbc():
    if not os.path.isdir(os.path.join(BBC, "business")):
        print(f"skipped: no BBC corpus at {BBC}")
        sys.exit(SKIP)
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        db = os.path.join(tmp, "bbc.db")
        # One file of the corpus is not UTF-8: the indexer skips it (exit 2) and commits the rest.
        run([INDEXER, "--quiet", "--db", db, BBC], code=None)
        items = check_pandoc_report(db, BBC, os.path.join(DATA_DIR, "bbc_claims.txt"), tmp, "BBC")
        # No catalog: keys come from the titles (first line), unique across the whole corpus.
        for item in items:
            with open(os.path.join(BBC, item["custom"]["source"]), encoding="utf-8") as f:
                title = f.readline().strip()
            check(item["title"] == title, f"BBC: title of {item['id']}")


def case_csl_json_one_item_per_source():
    query = "Kazakhstan"
    results = json.loads(run([SEARCHER, "--db", SHIPPED_DB, "--format", "json", "--limit", "30", query]).stdout)["results"]
    items = json.loads(run([SEARCHER, "--db", SHIPPED_DB, "--format", "csl-json", "--limit", "30", query]).stdout)
    validate_csl(items, "search csl-json")
    check_csl_provenance(items, CORPUS, "search csl-json")
    sources = []
    for r in results:
        if r["source"] not in sources:
            sources.append(r["source"])
    check([i["custom"]["source"] for i in items] == sources, "one item per source, in order of first citation")
    for item in items:
        paras = [r["paragraph"] for r in results if r["source"] == item["custom"]["source"]]
        check([p["paragraph"] for p in item["custom"]["paragraphs"]] == paras, f"paragraphs of {item['id']}")
        check("locator" not in item and "label" not in item, "the locator belongs to the citation")
    with open(os.path.join(CORPUS, "catalog.json"), encoding="utf-8") as f:
        catalog = json.load(f)["files"]
    for item in items:
        meta = catalog[item["custom"]["source"]]
        check(item["title"] == meta["title"], f"title of {item['id']}")
        names = [a.split() for a in meta["authors"]]
        check(item.get("author", []) == [{"family": n[-1], "given": " ".join(n[:-1])} for n in names],
              f"authors of {item['id']}")
        if meta["date"]:
            check(item["issued"]["date-parts"] == [[int(x) for x in meta["date"].split("-")]], f"date of {item['id']}")
        check(item["type"] == ("article-newspaper" if meta["container_title"] else "article"), f"type of {item['id']}")


def write_catalog_corpus(tmp):
    """Three short articles and a catalog using every citation field; two share a title."""
    root = os.path.join(tmp, "corpus")
    os.makedirs(root)
    texts = {
        "a.txt": "Solar output rose\n\nSolar farms produced 12% more power in 2023.\n\nThe grid took it all.\n",
        "b.txt": "Solar output rose\n\nSolar panels got cheaper: 30% in two years.\n",
        "c.txt": "Wind report\n\nWind turbines produced 8% more power, a record.\n",
    }
    for name, text in texts.items():
        with open(os.path.join(root, name), "w", encoding="utf-8") as f:
            f.write(text)
    catalog = {"format_version": 1, "files": {
        "a.txt": {"title": "Solar output rose", "authors": ["Ana María Pérez"], "date": "2023-05-04",
                  "container_title": "Energy & Grid {Weekly}", "publisher": "Grid Media",
                  "url": "https://example.org/solar?id=1&x=2", "doi": "10.1234/solar.1",
                  "accessed": "2024-01-02", "language": "en-GB", "type": "article-magazine"},
        "b.txt": {"title": "Solar output rose", "authors": ["Ana María Pérez"], "date": "2023-06"},
        "c.txt": {"title": "Wind report 100% renewable_now", "authors": ["International Energy Agency"],
                  "date": "2022", "type": "report", "id": "iea-wind-2022", "url": "https://example.org/wind"},
    }}
    with open(os.path.join(root, "catalog.json"), "w", encoding="utf-8") as f:
        json.dump(catalog, f, ensure_ascii=False)
    db = os.path.join(tmp, "db")
    run([INDEXER, "--quiet", "--db", db, root])
    return root, db, catalog


def case_catalog_fields_and_keys():
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        root, db, catalog = write_catalog_corpus(tmp)
        items = json.loads(run([SEARCHER, "--db", db, "--format", "csl-json", "power OR panels"]).stdout)
        validate_csl(items, "catalog corpus")
        check_csl_provenance(items, root, "catalog corpus")
        by_source = {i["custom"]["source"]: i for i in items}
        check(sorted(by_source) == ["a.txt", "b.txt", "c.txt"], f"sources {sorted(by_source)}")
        # Keys by the documented rule: family-year-first content word; the catalog's id as given;
        # b.txt has a.txt's key, and a.txt comes first by path.
        check(by_source["a.txt"]["id"] == "perez-2023-solar", by_source["a.txt"]["id"])
        check(by_source["b.txt"]["id"] == "perez-2023-solar-b", by_source["b.txt"]["id"])
        check(by_source["c.txt"]["id"] == "iea-wind-2022", by_source["c.txt"]["id"])
        a = by_source["a.txt"]
        meta = catalog["files"]["a.txt"]
        check(a["type"] == "article-magazine" and a["URL"] == meta["url"] and a["DOI"] == meta["doi"]
              and a["language"] == "en-GB" and a["accessed"] == {"date-parts": [[2024, 1, 2]]}
              and a["container-title"] == meta["container_title"] and a["publisher"] == "Grid Media", f"a.txt item {a}")
        check(a["author"] == [{"family": "Pérez", "given": "Ana María"}], a["author"])
        c = by_source["c.txt"]
        # CSL names: an organisation's name is one literal name (docs/citations.md).
        check(c["type"] == "report" and c["author"] == [{"literal": "International Energy Agency"}] and
              c["URL"] == "https://example.org/wind", f"c.txt item {c}")
        check("accessed" not in by_source["b.txt"], "b.txt has no URL, so no access date")
        # A URL without an access date: the day the text was read (SOURCE_DATE_EPOCH fixes it),
        # computed here from the epoch; a name written "Family, Given" splits at the comma.
        epoch = 1700000000
        day = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
        dated = json.loads(json.dumps(catalog))
        dated["files"]["b.txt"]["authors"] = ["García Pérez, Ana María"]
        with open(os.path.join(root, "catalog.json"), "w", encoding="utf-8") as f:
            json.dump(dated, f, ensure_ascii=False)
        db2 = os.path.join(tmp, "db-epoch")
        run([INDEXER, "--quiet", "--db", db2, root], env={"SOURCE_DATE_EPOCH": str(epoch)})
        again = {i["custom"]["source"]: i for i in
                 json.loads(run([SEARCHER, "--db", db2, "--format", "csl-json", "power OR panels"]).stdout)}
        check(again["c.txt"].get("accessed") == {"date-parts": [[day.year, day.month, day.day]]}, again["c.txt"])
        check(again["a.txt"]["accessed"] == {"date-parts": [[2024, 1, 2]]}, "the catalog's access date is kept")
        check(again["b.txt"]["author"] == [{"family": "García Pérez", "given": "Ana María"}], again["b.txt"]["author"])
        # A bad type or id in the catalog is refused, naming the file.
        for field, value in (("type", "blog"), ("id", "bad key!")):
            bad = json.loads(json.dumps(catalog))
            bad["files"]["a.txt"][field] = value
            with open(os.path.join(root, "catalog.json"), "w", encoding="utf-8") as f:
                json.dump(bad, f)
            proc = run([INDEXER, "--db", os.path.join(tmp, "bad" + field), root], code=2)
            check(b"catalog.json" in proc.stderr and f'"{field}"'.encode() in proc.stderr, proc.stderr)


def pandoc_csl(path, fmt):
    return json.loads(run(["pandoc", "-f", fmt, "-t", "csljson", path]).stdout)


def comparable(item, with_day=True):
    dates = item.get("issued", {}).get("date-parts")
    return (item["id"], item.get("title"), item.get("author", []), dates, item.get("URL"), item.get("DOI"))


def check_bibtex_round_trip(db, args, what, tmp):
    ours = json.loads(run([SEARCHER, "--db", db, "--format", "csl-json", *args]).stdout)
    check(ours, f"{what}: no sources")
    for fmt in ("biblatex", "bibtex"):
        path = os.path.join(tmp, f"refs.{fmt}.bib")
        with open(path, "wb") as f:
            f.write(run([SEARCHER, "--db", db, "--format", fmt, *args]).stdout)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        check(len(re.findall(r"^@\w+\{", text, re.M)) == len(ours), f"{what} {fmt}: one entry per source")
        back = {i["id"]: i for i in pandoc_csl(path, fmt)}
        check(sorted(back) == sorted(i["id"] for i in ours), f"{what} {fmt}: keys {sorted(back)}")
        for item in ours:
            theirs = back[item["id"]]
            check(comparable(theirs) == comparable(item), f"{what} {fmt}: {comparable(theirs)} != {comparable(item)}")
            # The locator has no BibTeX field: every cited paragraph is in the annotation.
            note = theirs.get("annote", "")
            for p in item["custom"]["paragraphs"]:
                check(f"para {p['paragraph']}" in note, f"{what} {fmt}: para {p['paragraph']} not in {note!r}")
            check(item["custom"]["sha256"] in note, f"{what} {fmt}: sha256 not in the annotation")


def case_bibtex_round_trip():
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        check_bibtex_round_trip(SHIPPED_DB, ["--limit", "30", "Kazakhstan"], "shipped", tmp)
        root, db, _ = write_catalog_corpus(tmp)
        check_bibtex_round_trip(db, ["power OR panels"], "catalog corpus", tmp)


def case_ris_tags():
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        root, db, catalog = write_catalog_corpus(tmp)
        for args, dbpath in ((["power OR panels"], db), (["--limit", "30", "Kazakhstan"], SHIPPED_DB)):
            ours = json.loads(run([SEARCHER, "--db", dbpath, "--format", "csl-json", *args]).stdout)
            raw = run([SEARCHER, "--db", dbpath, "--format", "ris", *args]).stdout.decode()
            check(raw.endswith("\r\n") and "\n" not in raw.replace("\r\n", ""), "CRLF line endings")
            records, current = [], None
            for line in raw.split("\r\n")[:-1]:
                if line == "":
                    check(current is None, "a blank line only between records")
                    continue
                m = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
                check(m, f"not a RIS line: {line!r}")
                tag, value = m.groups()
                check(tag in RIS_TAGS, f"unknown RIS tag {tag}")
                if tag == "TY":
                    check(current is None, "TY inside a record")
                    check(value in RIS_TYPES, f"unknown RIS type {value}")
                    current = []
                check(current is not None, f"{tag} outside a record")
                current.append((tag, value))
                if tag == "ER":
                    check(value == "", "ER has no value")
                    records.append(current)
                    current = None
            check(current is None, "the last record ends with ER")
            check(len(records) == len(ours), f"{len(records)} records, {len(ours)} sources")
            for rec, item in zip(records, ours):
                fields = {}
                for tag, value in rec:
                    fields.setdefault(tag, []).append(value)
                check(fields["ID"] == [item["id"]] and fields.get("TI") == [item["title"]], f"record {fields}")
                want_authors = [a["literal"] if "literal" in a else f"{a['family']}, {a['given']}"
                                for a in item.get("author", [])]
                check(fields.get("AU", []) == want_authors, f"authors {fields.get('AU')}")
                notes = fields["N1"]
                check(len(notes) == 1 + len(item["custom"]["paragraphs"]), "a note per cited paragraph")
                for note, p in zip(notes[1:], item["custom"]["paragraphs"]):
                    check(note.startswith(f"para {p['paragraph']}, line {p['line']}"), note)
                    for q in p["quotes"]:
                        check(f"bytes {q['start_byte']}–{q['end_byte']}" in note, note)
        raw = run([SEARCHER, "--db", db, "--format", "ris", "output"]).stdout.decode()
        meta = catalog["files"]["a.txt"]
        for line in ("TY  - MGZN", "ID  - perez-2023-solar", f"UR  - {meta['url']}", f"DO  - {meta['doi']}",
                     "Y2  - 2024/01/02", "LA  - en-GB", "DA  - 2023/05/04", "PY  - 2023", "AU  - Pérez, Ana María",
                     f"T2  - {meta['container_title']}", "PB  - Grid Media"):
            check(line + "\r\n" in raw, f"{line!r} not in the RIS")


def case_citation_usage_errors():
    proc = run([SEARCHER, "--db", SHIPPED_DB, "--format", "pandoc", "Kazakhstan"], code=2)
    check(b"--format pandoc needs --bibliography FILE" in proc.stderr, proc.stderr)
    proc = run([SEARCHER, "--db", SHIPPED_DB, "--bibliography", "x.json", "Kazakhstan"], code=2)
    check(b"--bibliography applies to --format pandoc" in proc.stderr, proc.stderr)
    proc = run([SEARCHER, "facts", "--db", SHIPPED_DB, "--format", "pandoc", "Kazakhstan"], code=2)
    check(b"facts does not write the format 'pandoc'" in proc.stderr, proc.stderr)
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        unwritable = os.path.join(tmp, "no", "such", "dir", "refs.json")
        proc = run([SEARCHER, "--db", SHIPPED_DB, "--format", "pandoc", "--bibliography", unwritable, "Kazakhstan"], code=2)
        check(f"cannot write the bibliography '{unwritable}'".encode() in proc.stderr, proc.stderr)


def case_pandoc_search():
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        bib = os.path.join(tmp, "refs.json")
        md = run([SEARCHER, "--db", SHIPPED_DB, "--format", "pandoc", "--bibliography", bib, "--limit", "12",
                  '"Middle Corridor"']).stdout.decode()
        results = json.loads(run([SEARCHER, "--db", SHIPPED_DB, "--format", "json", "--limit", "12",
                                  '"Middle Corridor"']).stdout)["results"]
        citations = CITATION.findall(md)
        check([int(p) for _, p in citations] == [r["paragraph"] for r in results], "a citation per result")
        with open(bib, encoding="utf-8") as f:
            items = json.load(f)
        validate_csl(items, "pandoc search")
        check(len(items) == len({r["source"] for r in results}), "one item per source")
        provenance = re.findall(r"<!-- source (\S+), sha256 ([0-9a-f]{64}); para (\d+), line (\d+), bytes ([0-9–, ]+) -->", md)
        check(len(provenance) == len(results), "a provenance comment per result")
        for (source, sha, para, line, _), r in zip(provenance, results):
            check((source, int(para), int(line)) == (r["source"], r["paragraph"], r["line"]) and
                  sha == sha256_of(os.path.join(CORPUS, source)), f"provenance of {source} ¶{para}")
        md_path = os.path.join(tmp, "search.md")
        with open(md_path, "w", encoding="utf-8") as f:
            f.write(md)
        html = run(["pandoc", "--citeproc", "--wrap=none", md_path, "-t", "html"], cwd=tmp).stdout.decode()
        check(len(re.findall(r'class="csl-entry"', html)) == len(items), "each source once in the rendered list")


CASES = {name[len("case_"):]: fn for name, fn in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        sys.exit(f"usage: citation_test.py {{{','.join(CASES)}}}")
    try:
        CASES[sys.argv[1]]()
    except Failure as e:
        print(f"FAILED {sys.argv[1]}: {e}", file=sys.stderr)
        sys.exit(1)
    print(f"passed {sys.argv[1]}")
