#!/usr/bin/env python3
"""Tests of `searcher serve` (docs/serve.md) through the real server on a free loopback port.

Run by CTest, one case per invocation: serve_test.py CASE. Paths come from the environment
(INDEXER, SEARCHER, CORPUS, WORK_DIR, SCHEMA_DIR). Each case indexes what it needs, starts the
server with --listen 127.0.0.1:0, reads the port from its first line on stderr, and stops it
with SIGTERM. Expectations come from the CLI run on the same request, the corpus files' bytes
and the OpenAPI document, never from the server's own earlier answers.
"""

import contextlib
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse

import jsonschema

INDEXER = os.environ["INDEXER"]
SEARCHER = os.environ["SEARCHER"]
CORPUS = os.environ["CORPUS"]
WORK_DIR = os.environ["WORK_DIR"]
SCHEMA_DIR = os.environ["SCHEMA_DIR"]


def index(corpus, db):
    subprocess.run([INDEXER, "--db", db, corpus], check=True, capture_output=True)


def shipped_db():
    db = os.path.join(WORK_DIR, "serve-shipped.db")
    index(CORPUS, db)
    return db


class Server:
    """`searcher serve` on a free port; stopped by SIGTERM on leaving the block."""

    def __init__(self, db, *extra):
        self.proc = subprocess.Popen([SEARCHER, "serve", "--db", db, "--listen", "127.0.0.1:0", *extra],
                                     stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline()
        m = re.match(r"searcher: serving http://127\.0\.0\.1:(\d+)/", line)
        assert m, f"no serving line: {line!r}"
        self.port = int(m.group(1))

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        if isinstance(body, str):
            body = body.encode("utf-8")
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        conn.close()
        return r.status, dict(r.getheaders()), data

    def get(self, path, **params):
        query = urllib.parse.urlencode(params, doseq=True)
        return self.request("GET", path + ("?" + query if query else ""))

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        rest = self.proc.stderr.read()
        code = self.proc.wait(timeout=20)
        assert code == 0, f"exit {code}: {rest}"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.stop()


def cli(db, *args):
    """The searcher's stdout for `args` (a subcommand first, if any) on `db`."""
    if args and args[0] in ("quote", "check", "facts", "report"):
        return subprocess.run([SEARCHER, args[0], "--db", db, *args[1:]], capture_output=True).stdout
    return subprocess.run([SEARCHER, "--db", db, *args], capture_output=True).stdout


# (endpoint, parameters, the CLI's arguments for the same request). Filters are query fields
# of the query language: source -> file:, author -> author:"...", joined as "(Q) field:value".
CASES = [
    ("/api/search", {"q": "Middle Corridor"}, ["--format", "json", "Middle Corridor"]),
    ("/api/search", {"q": "trade", "limit": "3", "offset": "2"}, ["--format", "json", "-n", "3", "--offset", "2", "trade"]),
    ("/api/search", {"q": "trade OR tons", "source": "003"}, ["--format", "json", "(trade OR tons) file:003"]),
    ("/api/search", {"q": "China", "literal": "1"}, ["--format", "json", "--literal", "China"]),
    ("/api/search", {"q": "TITR", "format": "csv"}, ["--format", "csv", "TITR"]),
    ("/api/search", {"q": "TITR", "format": "markdown"}, ["--format", "markdown", "TITR"]),
    ("/api/search", {"q": "TITR", "format": "csl-json"}, ["--format", "csl-json", "TITR"]),
    ("/api/search", {"q": "TITR", "format": "jsonl"}, ["--format", "jsonl", "TITR"]),
    ("/api/mentions", {"q": "TITR"}, ["--format", "json", "--all", "TITR"]),
    ("/api/count", {"q": "TITR"}, ["--format", "json", "--count", "TITR"]),
    ("/api/count", {"q": "TITR", "format": "csv"}, ["--format", "csv", "--count", "TITR"]),
    ("/api/quote", {"q": "China has become the country's largest trade partner"},
     ["quote", "--format", "json", "China has become the country's largest trade partner"]),
    ("/api/check", {"claim": "China–Kazakhstan trade hit $41 billion in 2023"},
     ["check", "--format", "json", "China–Kazakhstan trade hit $41 billion in 2023"]),
    ("/api/check", {"claim": "China–Kazakhstan trade hit $31 billion in 2023", "format": "markdown"},
     ["check", "--format", "markdown", "China–Kazakhstan trade hit $31 billion in 2023"]),
    ("/api/facts", {"q": "Middle Corridor tons"}, ["facts", "--format", "json", "Middle Corridor tons"]),
    ("/api/facts", {"q": "Middle Corridor", "limit": "3", "unit": "ton"},
     ["facts", "--format", "json", "--limit", "3", "--unit", "ton", "Middle Corridor"]),
]

CONTENT_TYPES = {"json": "application/json", "jsonl": "application/x-ndjson", "csv": "text/csv",
                 "markdown": "text/markdown", "csl-json": "application/vnd.citationstyles.csl+json"}

CLAIMS = ["China–Kazakhstan trade hit $31 billion in 2023", "Cargo via the Middle Corridor rose to 274,200 tons"]


def case_api_equals_cli():
    db = shipped_db()
    with Server(db) as server:
        for path, params, args in CASES:
            status, headers, body = server.get(path, **params)
            assert status == 200, (path, params, status, body)
            expected = cli(db, *args)
            assert body == expected, f"{path} {params}: server and CLI differ\n{body[:400]!r}\n{expected[:400]!r}"
            fmt = params.get("format", "json")
            assert headers["Content-Type"].startswith(CONTENT_TYPES[fmt]), (fmt, headers["Content-Type"])
        claims_file = os.path.join(WORK_DIR, "serve-claims.txt")
        with open(claims_file, "w", encoding="utf-8") as f:
            f.write("# claims\n\n" + "\n".join(CLAIMS) + "\n")
        for fmt in ("json", "markdown"):
            expected = cli(db, "report", "--format", fmt, claims_file)
            status, _, body = server.request("POST", "/api/report?format=" + fmt,
                                             body=open(claims_file, "rb").read(), headers={"Content-Type": "text/plain"})
            assert status == 200 and body == expected, (fmt, body[:300], expected[:300])
            status, _, body = server.request("POST", "/api/report?format=" + fmt, body=json.dumps({"claims": CLAIMS}),
                                             headers={"Content-Type": "application/json"})
            assert status == 200 and body == expected, fmt
        status, _, body = server.get("/api/version")
        version = subprocess.run([SEARCHER, "--version"], capture_output=True, text=True).stdout
        assert status == 200 and json.loads(body)["version"] == version


def case_sources_and_text():
    """Source ids are the corpus's files; text and passages are the files' own bytes."""
    db = shipped_db()
    files = sorted(f for f in os.listdir(CORPUS) if f.endswith(".txt"))
    with Server(db) as server:
        status, _, body = server.get("/api/sources")
        sources = json.loads(body)
        assert status == 200 and sorted(s["id"] for s in sources["sources"]) == files
        status, _, body = server.get("/api/health")
        assert json.loads(body)["passages"] == sum(s["passages"] for s in sources["sources"])
        for s in sources["sources"]:
            raw = open(os.path.join(CORPUS, s["id"]), "rb").read()
            assert s["sha256"] == hashlib.sha256(raw).hexdigest() and s["bytes"] == len(raw)
            status, _, body = server.get("/api/text", source=s["id"])
            text = json.loads(body)
            assert status == 200 and text["text"].encode() == raw
            assert len(text["passages"]) == s["passages"]
            # Passages: in order, not overlapping, each starting and ending on non-blank bytes.
            ends = [0]
            for p in text["passages"]:
                assert ends[-1] <= p["start_byte"] < p["end_byte"] <= len(raw)
                assert not raw[p["start_byte"]:p["start_byte"] + 1].isspace() and not raw[p["end_byte"] - 1:p["end_byte"]].isspace()
                ends.append(p["end_byte"])
            second = text["passages"][1]
            status, _, body = server.get("/api/passage", source=s["id"], ordinal=second["ordinal"], context=1)
            passage = json.loads(body)
            assert status == 200 and [p["ordinal"] for p in passage["passages"]] == [second["ordinal"] - 1, second["ordinal"], second["ordinal"] + 1]
            for p in passage["passages"]:
                assert raw[p["start_byte"]:p["end_byte"]] == p["text"].encode()
            assert [p["requested"] for p in passage["passages"]] == [False, True, False]


def openapi_validator(doc, component):
    store = {}
    for name in os.listdir(SCHEMA_DIR):
        with open(os.path.join(SCHEMA_DIR, name), encoding="utf-8") as f:
            schema = json.load(f)
        store[schema.get("$id", name)] = schema
    wrapped = {"$schema": "https://json-schema.org/draft/2020-12/schema",
               "$ref": "#/components/schemas/" + component, "components": doc["components"]}
    validators = [jsonschema.Draft202012Validator(wrapped)]
    named = doc["components"]["schemas"][component].get("x-cite-schema")
    if named:
        resolver = jsonschema.RefResolver.from_schema(store[named], store=store)
        validators.append(jsonschema.Draft202012Validator(store[named], resolver=resolver))
    return validators


def case_openapi():
    """Every endpoint's answers validate against /api/openapi.json (and the schema it names)."""
    db = shipped_db()
    with Server(db) as server:
        status, headers, body = server.get("/api/openapi.json")
        assert status == 200 and headers["Content-Type"].startswith("application/json")
        doc = json.loads(body)
        assert doc["openapi"].startswith("3.")
        requests = [("GET", "/api/search?q=TITR", None), ("GET", "/api/mentions?q=TITR", None),
                    ("GET", "/api/count?q=TITR", None), ("GET", "/api/quote?q=" + urllib.parse.quote("largest trade partner"), None),
                    ("GET", "/api/check?claim=" + urllib.parse.quote(CLAIMS[0]), None),
                    ("GET", "/api/facts?q=tons", None), ("POST", "/api/report", "\n".join(CLAIMS)),
                    ("GET", "/api/sources", None), ("GET", "/api/passage?source=003_4a6a91b40eaa168d.txt&ordinal=5", None),
                    ("GET", "/api/text?source=003_4a6a91b40eaa168d.txt", None), ("GET", "/api/version", None),
                    ("GET", "/api/health", None), ("GET", "/api/search?q=%28TITR", None),
                    ("GET", "/api/text?source=nothing.txt", None)]
        seen = set()
        for method, target, body in requests:
            path = target.split("?")[0]
            operation = doc["paths"][path][method.lower()]
            seen.add(path)
            status, _, answer = server.request(method, target, body=body)
            response = operation["responses"][str(status)]
            if "$ref" in response:
                component = "Error"
            else:
                component = response["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
            for validator in openapi_validator(doc, component):
                validator.validate(json.loads(answer))
        assert seen == set(doc["paths"]), set(doc["paths"]) - seen


def case_security():
    db = shipped_db()
    # Off loopback: a token, or --no-auth said explicitly.
    refused = subprocess.run([SEARCHER, "serve", "--db", db, "--listen", "0.0.0.0:0"], capture_output=True, text=True)
    assert refused.returncode == 2 and "--token" in refused.stderr
    with Server(db) as server:
        status, headers, body = server.get("/")
        csp = headers["Content-Security-Policy"]
        assert status == 200 and "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        page = body.decode()
        # No inline script: every <script> has a src and is empty; no on...= handler attributes.
        for m in re.finditer(r"<script\b([^>]*)>(.*?)</script>", page, re.S):
            assert "src=" in m.group(1) and not m.group(2).strip()
        assert not re.search(r"\son[a-z]+\s*=", page, re.I)
        # Only indexed sources, by id: no path reaches a file the index does not name.
        for bad in ["../../../../etc/passwd", "/etc/passwd", "corpus/../../etc/passwd", ""]:
            status, _, _ = server.get("/api/text", source=bad)
            assert status in (400, 404), (bad, status)
        # Limits: query length, results per page, body size.
        assert server.get("/api/search", q="a " * 1500)[0] == 413
        assert server.get("/api/search", q="TITR", limit="1000")[0] == 400
        assert server.get("/api/search", q="TITR", limit="-1")[0] == 400
        assert server.request("POST", "/api/report", body="x" * (2 << 20))[0] == 413
        assert server.request("POST", "/api/report", body="\n".join(["claim 1"] * 500))[0] == 413
        assert server.request("DELETE", "/api/search")[0] in (400, 404, 405)
        assert server.request("GET", "/api/report")[0] == 405
    with Server(db, "--token", "s3cret") as server:
        assert server.get("/api/health")[0] == 401
        assert server.get("/")[0] == 401
        assert server.request("GET", "/api/health", headers={"Authorization": "Bearer wrong"})[0] == 401
        assert server.request("GET", "/api/health", headers={"Authorization": "Bearer s3cret"})[0] == 200
        assert server.get("/login", token="wrong")[0] == 401
        status, headers, _ = server.get("/login", token="s3cret")
        assert status == 302 and "HttpOnly" in headers["Set-Cookie"]
        cookie = headers["Set-Cookie"].split(";")[0]
        assert server.request("GET", "/api/health", headers={"Cookie": cookie})[0] == 200


def case_reindex_while_serving():
    """Requests during re-indexing all succeed, and each answer is one revision's."""
    corpus = os.path.join(WORK_DIR, "serve-reindex-corpus")
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.copytree(CORPUS, corpus)
    db = os.path.join(WORK_DIR, "serve-reindex.db")
    shutil.rmtree(db, ignore_errors=True)
    index(corpus, db)
    base = json.loads(cli(db, "--format", "json", "--count", "TITR"))["mentions"]["total"]
    errors, totals, stop = [], [], threading.Event()
    with Server(db, "--threads", "4") as server:
        def hammer():
            while not stop.is_set():
                status, _, body = server.get("/api/count", q="TITR")
                if status != 200:
                    errors.append((status, body))
                else:
                    totals.append(json.loads(body)["mentions"]["total"])
        threads = [threading.Thread(target=hammer) for _ in range(4)]
        for t in threads:
            t.start()
        for n in range(1, 4):
            with open(os.path.join(corpus, "added.txt"), "w", encoding="utf-8") as f:
                f.write("\n\n".join(["TITR is the route."] * n) + "\n")
            index(corpus, db)
            time.sleep(0.3)
        stop.set()
        for t in threads:
            t.join()
        assert not errors, errors[:3]
        # Every answer is the count of one revision: base, base+1, base+2 or base+3.
        assert set(totals) <= {base, base + 1, base + 2, base + 3}, set(totals)
        status, _, body = server.get("/api/count", q="TITR")
        assert json.loads(body)["mentions"]["total"] == base + 3


# A corpus of dated documents (catalog.json): each file's date, "" for none. The words are the
# same in every file, so that only dates tell them apart.
DATED = {"a.txt": "2019", "b.txt": "2020-12", "c.txt": "2021-01-01", "d.txt": "2023-05", "e.txt": "2024",
         "f.txt": "2024-02-29", "g.txt": "2024-06-30", "h.txt": "", "i.txt": "2025-01"}


def dated_db():
    corpus = os.path.join(WORK_DIR, "dated-corpus")
    shutil.rmtree(corpus, ignore_errors=True)
    os.makedirs(corpus)
    files = {}
    # Texts unlike each other, so that no two are copies of one story (collapsed as one result).
    topics = ["wheat harvest in the northern steppe", "barley prices at the Aktau port", "rail tariffs across the border",
              "river barges on the Volga delta", "storage silos near Kostanay", "a drought in the southern provinces",
              "ferry schedules over the Caspian", "export quotas set by the ministry", "locust swarms in early spring"]
    for (name, date), topic in zip(DATED.items(), topics):
        with open(os.path.join(corpus, name), "w", encoding="utf-8") as f:
            f.write(f"The grain corridor report on {topic}.\n\nIts grain figures for {topic.split()[0]} differ.\n")
        files[name] = {"title": "Report " + name[0], "date": date}
    with open(os.path.join(corpus, "catalog.json"), "w", encoding="utf-8") as f:
        json.dump({"format_version": 1, "files": files}, f)
    db = os.path.join(WORK_DIR, "dated.db")
    shutil.rmtree(db, ignore_errors=True)
    index(corpus, db)
    return db


def day_span(date):
    """The first and last day a date covers, by the calendar module (not the program's code)."""
    import calendar
    parts = [int(x) for x in date.split("-")]
    if len(parts) == 1:
        return (parts[0], 1, 1), (parts[0], 12, 31)
    if len(parts) == 2:
        return (parts[0], parts[1], 1), (parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return tuple(parts), tuple(parts)


def expected_files(date_from, date_to):
    """Files whose whole date lies within [date_from, date_to] (either None: open)."""
    out = set()
    for name, date in DATED.items():
        if not date:
            continue
        first, last = day_span(date)
        if (date_from is None or first >= day_span(date_from)[0]) and (date_to is None or last <= day_span(date_to)[1]):
            out.add(name)
    return out


def case_dates():
    """date: filters and --sort date, in the CLI and the API, against the catalog's dates."""
    db = dated_db()
    ranges = [("2024", "2024", "2024"), ("2023-01..2024-06", "2023-01", "2024-06"), ("..2020", None, "2020"),
              ("2021..", "2021", None), ("2024-02-29", "2024-02-29", "2024-02-29"), ("2020-12..2021-01-01", "2020-12", "2021-01-01")]
    for text, date_from, date_to in ranges:
        want = expected_files(date_from, date_to)
        ranked = json.loads(cli(db, "--format", "json", "-n", "100", "--no-collapse", f"grain date:{text}"))
        assert {r["source"] for r in ranked["results"]} == want, (text, ranked["results"])
        mentions = json.loads(cli(db, "--format", "json", "--all", f"grain date:{text}"))
        assert {r["source"] for r in mentions["results"]} == want, text
        count = json.loads(cli(db, "--format", "json", "--count", f"grain date:{text}"))
        assert count["mentions"]["total"] == 2 * len(want), (text, count["mentions"])
    # Newest first, oldest first: by the first day of each date; undated last.
    dated = sorted((day_span(d)[0], n) for n, d in DATED.items() if d)
    undated = {n for n, d in DATED.items() if not d}
    for order, names in (("date", [n for _, n in reversed(dated)]), ("date-asc", [n for _, n in dated])):
        out = json.loads(cli(db, "--format", "json", "-n", "100", "--no-collapse", "--sort", order, "corridor"))
        got = [r["source"] for r in out["results"]]
        assert got[:len(names)] == names and set(got[len(names):]) == undated, (order, got)
    # Bad dates: exit 2, the message points at the date.
    bad = subprocess.run([SEARCHER, "--db", db, "grain date:2024-13"], capture_output=True, text=True)
    assert bad.returncode == 2 and "query error at character 12" in bad.stderr and "'2024-13' is not a date" in bad.stderr, bad.stderr
    bad = subprocess.run([SEARCHER, "--db", db, "--sort", "newest", "grain"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--sort must be" in bad.stderr
    with Server(db) as server:
        for endpoint, args in (("/api/search", ["--format", "json"]), ("/api/mentions", ["--format", "json", "--all"]),
                               ("/api/count", ["--format", "json", "--count"])):
            for text, _, _ in ranges:
                status, _, body = server.get(endpoint, q="grain", date=text)
                assert status == 200 and body == cli(db, *args, f"(grain) date:{text}"), (endpoint, text)
        for order in ("date", "date-asc"):
            status, _, body = server.get("/api/search", q="corridor", sort=order, limit="20")
            assert status == 200 and body == cli(db, "--format", "json", "-n", "20", "--sort", order, "corridor"), order
        status, _, body = server.get("/api/search", q="grain", date="2024-13")
        assert status == 400 and "'2024-13' is not a date" in json.loads(body)["error"], body
        status, _, body = server.get("/api/search", q="grain date:2024-13")
        assert status == 400 and json.loads(body)["position"] == 12, body
        status, _, body = server.get("/api/search", q="(grain", date="2024")
        assert status == 400 and json.loads(body)["position"] == 1, body
        assert server.get("/api/search", q="grain", sort="newest")[0] == 400
        assert server.get("/api/mentions", q="grain", sort="date")[0] == 400


def case_time_limit():
    """A request past --request-timeout is stopped with a JSON 503; others are unharmed."""
    db = shipped_db()
    with Server(db, "--request-timeout", "0.0005") as server:
        status, headers, body = server.get("/api/mentions", q="the OR a OR of OR in")
        assert status == 503 and headers["Content-Type"].startswith("application/json"), (status, body[:200])
        answer = json.loads(body)
        assert "limit" in answer["error"] and answer["time_limit_seconds"] == 0.0005, answer
        assert server.get("/api/version")[0] == 200
        # The next request gets its handle back in working order.
        status, _, body = server.get("/api/mentions", q="the OR a OR of OR in")
        assert status == 503
    with Server(db) as server:
        status, _, body = server.get("/api/mentions", q="the OR a OR of OR in")
        assert status == 200 and body == cli(db, "--format", "json", "--all", "the OR a OR of OR in")
    bad = subprocess.run([SEARCHER, "serve", "--db", db, "--request-timeout", "0"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--request-timeout" in bad.stderr


def case_stop_finishes_requests_in_flight():
    """SIGTERM while a long report is being answered: that answer is completed, whole and equal
    to the CLI's, and then the server exits 0."""
    db = shipped_db()
    claims = [f"{claim} ({i})" for i in range(200) for claim in CLAIMS][:200]
    claims_file = os.path.join(WORK_DIR, "stop-claims.txt")
    with open(claims_file, "w", encoding="utf-8") as f:
        f.write("\n".join(claims) + "\n")
    expected = cli(db, "report", "--format", "json", claims_file)
    server = Server(db)
    answer = {}

    def ask():
        answer["result"] = server.request("POST", "/api/report?format=json", body="\n".join(claims))
        answer["at"] = time.monotonic()

    asking = threading.Thread(target=ask)
    asking.start()
    time.sleep(0.3)  # the request is sent and being answered (200 claims take seconds)
    stopped_at = time.monotonic()
    server.proc.send_signal(signal.SIGTERM)
    asking.join(timeout=120)
    code = server.proc.wait(timeout=120)
    assert "result" in answer, "no answer"
    status, _, body = answer["result"]
    # The answer came after the signal, or the test proves nothing.
    assert answer["at"] > stopped_at, "the report was answered before the signal: make it longer"
    assert status == 200 and body == expected, (status, body[:200])
    assert code == 0, server.proc.stderr.read()


def main():
    name = sys.argv[1]
    os.makedirs(WORK_DIR, exist_ok=True)
    globals()["case_" + name]()


if __name__ == "__main__":
    main()
