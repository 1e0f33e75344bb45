#!/usr/bin/env python3
"""Reliability tests of the real indexer and searcher (issue 7): crash safety, clean stops,
readers during writes, two writers, hostile corpora and hostile queries.

Run by CTest, one case per invocation: reliability_test.py CASE. Paths come from the
environment (INDEXER, SEARCHER, INDEX_DUMP, XAPIAN_CHECK, CORPUS, WORK_DIR);
CITE_RELIABILITY_SCALE (1 by default, smaller in Debug and sanitizer builds) scales the
generated corpora; CITE_CRASH_SEED replays a crash test. Every corpus is generated here, and every expectation is computed here from the
bytes written (paragraph ranges, UTF-8 error offsets), never copied from program output.
The generators write one-line paragraphs between blank lines, so each non-blank line is one
paragraph (README, "Paragraphs", rule 3).
"""

import hashlib
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

INDEXER = os.environ["INDEXER"]
SEARCHER = os.environ["SEARCHER"]
INDEX_DUMP = os.environ["INDEX_DUMP"]
XAPIAN_CHECK = os.environ["XAPIAN_CHECK"]
CORPUS = os.environ["CORPUS"]
WORK_DIR = os.environ["WORK_DIR"]
SCALE = float(os.environ.get("CITE_RELIABILITY_SCALE", "1"))
REDUCED = SCALE < 1  # Debug and sanitizer builds: smaller corpora, no memory bound


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def log(message):
    print(message, flush=True)


class Workspace:
    """A fresh directory per case, removed afterwards unless CITE_KEEP_TEMP is set."""

    def __init__(self, name, base=WORK_DIR):
        self.path = tempfile.mkdtemp(prefix=name + "-", dir=base)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if os.environ.get("CITE_KEEP_TEMP"):
            log(f"kept {self.path}")
        else:
            shutil.rmtree(self.path, ignore_errors=True)

    def __truediv__(self, name):
        return os.path.join(self.path, name)


def check_no_sanitizer_report(stderr, what):
    text = stderr.decode(errors="replace") if isinstance(stderr, bytes) else stderr
    check("Sanitizer" not in text and "runtime error:" not in text, f"{what}: sanitizer report:\n{text[:4000]}")


def run(args, expect=None, timeout=300, **kwargs):
    proc = subprocess.run(args, capture_output=True, stdin=subprocess.DEVNULL, timeout=timeout, **kwargs)
    name = os.path.basename(str(args[0]))
    check_no_sanitizer_report(proc.stderr, name)
    if expect is not None and proc.returncode != expect:
        raise Failure(f"{name} exited {proc.returncode}, expected {expect}\n"
                      f"stdout: {proc.stdout.decode(errors='replace')[:2000]}\n"
                      f"stderr: {proc.stderr.decode(errors='replace')[:2000]}")
    return proc


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def write_atomically(path, data):
    """Readers (the indexer, the searcher's freshness check) see the old or the new bytes."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".partial", "wb") as f:
        f.write(data)
    os.replace(path + ".partial", path)


def expected_passages(source, data):
    """(source, paragraph, line, start_byte, end_byte, text) of a generated file."""
    out = []
    pos = 0
    for number, raw in enumerate(data.split(b"\n"), start=1):
        text = raw.strip(b" \t\r")
        if text:
            start = pos + len(raw) - len(raw.lstrip(b" \t\r"))
            out.append((source, len(out) + 1, number, start, start + len(text), text.decode("utf-8")))
        pos += len(raw) + 1
    return out


def dump(db, with_terms=False):
    """The database's passages (a list of tuples as expected_passages gives) and file records.
    First the database must pass xapian-check (every B-tree sound, no block both in use and on
    the free list): a rollback once left a database that opened but failed it."""
    run([XAPIAN_CHECK, db], expect=0)
    proc = run([INDEX_DUMP] + (["--terms"] if with_terms else []) + [db], expect=0)
    passages, files = [], {}
    for line in proc.stdout.decode("utf-8").splitlines():
        item = json.loads(line)
        if "passage" in item:
            p = item["passage"]
            key = (p["source"], p["paragraph"], p["line"], p["start_byte"], p["end_byte"], p["text"])
            passages.append((key, item["terms"]) if with_terms else key)
        else:
            files[item["file"]["source"]] = item["file"]
    return passages, files


# --- generated corpora ---------------------------------------------------------------------

_vocab_rng = random.Random(20240607)
VOCAB = ["".join(_vocab_rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(_vocab_rng.randint(2, 10)))
         for _ in range(3000)]
VOCAB += ["corridor", "freight", "tons", "274,200", "$31", "2.76", "U.S.", "multi-vector", "Kazakhstan’s",
          "Beşer", "Straße", "Қазақстан", "中国", "80%", "naïve"]
MARKER = "lighthouse"  # in the first paragraph of every generated article


def article(rng, paragraphs, words_per_paragraph=(3, 12)):
    eol = rng.choice(["\n", "\n", "\r\n"])
    lines = []
    for i in range(paragraphs):
        words = [rng.choice(VOCAB) for _ in range(rng.randint(*words_per_paragraph))]
        if i == 0:
            words.insert(0, MARKER)
        lines.append((" " if rng.random() < 0.1 else "") + " ".join(words) + ".")
    return ((eol + eol).join(lines) + eol).encode("utf-8")


class VersionedCorpus:
    """A corpus directory that remembers every version each file ever had."""

    def __init__(self, root):
        self.root = root
        self.files = {}     # source -> current bytes
        self.history = {}   # source -> {sha256: frozenset of expected passages}
        self.by_hash = {}   # sha256 -> bytes

    def write(self, source, data):
        write_atomically(os.path.join(self.root, source), data)
        self.files[source] = data
        self.history.setdefault(source, {})[sha256(data)] = frozenset(expected_passages(source, data))
        self.by_hash[sha256(data)] = data

    def remove(self, source):
        os.remove(os.path.join(self.root, source))
        del self.files[source]

    def expected_now(self):
        return {p for source, data in self.files.items() for p in expected_passages(source, data)}

    def check_database(self, db, what):
        """Every passage belongs to a file version that existed, each file's passages are
        exactly those of one version (never half of one), and its record names that version."""
        passages, files = dump(db)
        by_source = {}
        for p in passages:
            by_source.setdefault(p[0], set()).add(p)
        check(len(passages) == sum(len(v) for v in by_source.values()), f"{what}: duplicate passages")
        check(set(by_source) <= set(files), f"{what}: passages without a file record: "
                                             f"{sorted(set(by_source) - set(files))[:5]}")
        for source, record in files.items():
            versions = self.history.get(source, {})
            check(record["sha256"] in versions, f"{what}: {source}: the record names a version that never existed")
            got = by_source.get(source, set())
            check(got == versions[record["sha256"]],
                  f"{what}: {source}: {len(got)} passages are not exactly the {len(versions[record['sha256']])} "
                  f"of the version its record names")
            check(record["passages"] == len(got), f"{what}: {source}: record counts {record['passages']} passages")
        return passages, files

    def check_results(self, results, what):
        """Search results cite a version that existed, at its paragraph's range; fresh quotes
        are that version's bytes."""
        for r in results:
            data = self.by_hash.get(r["sha256"])
            check(data is not None and r["sha256"] in self.history.get(r["source"], {}),
                  f"{what}: result {r['citation']} cites an unknown version")
            expected = expected_passages(r["source"], data)
            check(1 <= r["paragraph"] <= len(expected), f"{what}: {r['citation']}: no such paragraph")
            para = expected[r["paragraph"] - 1]
            check((r["start_byte"], r["end_byte"]) == (para[3], para[4]),
                  f"{what}: {r['citation']}: range {r['start_byte']}-{r['end_byte']} is not its paragraph's")
            if r["status"] != "fresh":
                check(not r["evidence"], f"{what}: {r['citation']}: a {r['status']} result has quotes")
                continue
            for ev in r["evidence"]:
                check(para[3] <= ev["start_byte"] <= ev["end_byte"] <= para[4], f"{what}: quote outside paragraph")
                check(data[ev["start_byte"]:ev["end_byte"]].decode("utf-8") == ev["quote"],
                      f"{what}: {r['citation']}: quote differs from the bytes at {ev['start_byte']}-{ev['end_byte']}")


def generate_versioned(root, rng, small_files, paragraphs, large_files=0, large_paragraphs=0,
                       words_per_paragraph=(3, 12)):
    corpus = VersionedCorpus(root)
    for i in range(small_files):
        source = f"sub{i % 3}/a{i:03}.txt" if i % 4 == 0 else f"a{i:03}.txt"
        corpus.write(source, article(rng, rng.randint(paragraphs // 2, paragraphs * 3 // 2), words_per_paragraph))
    for i in range(large_files):
        corpus.write(f"a{(i + 1) * small_files // (large_files + 1):03}_large.txt", article(rng, large_paragraphs))
    return corpus


def index(db, root, expect=0, quiet=True):
    start = time.monotonic()
    proc = run([INDEXER, "--db", db] + (["--quiet"] if quiet else []) + [root], expect=expect)
    return time.monotonic() - start, proc


def search_json(db, *args, expect=0):
    proc = run([SEARCHER, "--db", db, "--format", "json", *args], expect=expect, timeout=120)
    return json.loads(proc.stdout) if proc.stdout else None


# --- cases ---------------------------------------------------------------------------------

def case_crash_kill_random():
    """SIGKILL at random points: the database opens, holds only whole file versions that
    existed, can be searched, and the next run yields exactly a clean index's passages."""
    seed = int(os.environ.get("CITE_CRASH_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    log(f"seed {seed} (CITE_CRASH_SEED={seed} replays it)")
    with Workspace("crash") as ws:
        root, db = ws / "corpus", ws / "db"
        paragraphs = max(60, int(250 * SCALE))
        corpus = generate_versioned(root, rng, small_files=max(20, int(150 * SCALE)), paragraphs=paragraphs,
                                    large_files=2, large_paragraphs=max(1100, int(3000 * SCALE)))
        clean_seconds, _ = index(db, root)
        corpus.check_database(db, "first clean index")
        total = len(corpus.expected_now())
        log(f"{len(corpus.files)} files, {total} passages, clean index {clean_seconds:.2f} s")

        kills = 6 if not REDUCED else 4
        killed, finished = [], 0
        for round_number in range(1, kills + 1):
            # New versions of about a third of the files, some deleted, some new.
            for source in list(corpus.files):
                if rng.random() < 0.3:
                    large = source.endswith("_large.txt")
                    corpus.write(source, article(rng, len(expected_passages(source, corpus.files[source]))
                                                 if large else rng.randint(paragraphs // 2, paragraphs * 3 // 2)))
            for source in rng.sample(sorted(corpus.files), 3):
                if not source.endswith("_large.txt"):
                    corpus.remove(source)
            for _ in range(3):
                corpus.write(f"new{round_number}_{rng.randrange(10**6):06}.txt",
                             article(rng, rng.randint(paragraphs // 2, paragraphs * 3 // 2)))

            proc = subprocess.Popen([INDEXER, "--db", db, "--quiet", root], stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            delay = rng.uniform(0.02, 0.45) * clean_seconds  # a re-index of a third takes about half
            time.sleep(delay)
            if proc.poll() is None:
                proc.kill()
                killed.append(round(delay, 2))
            else:
                finished += 1
            _, stderr = proc.communicate()
            check_no_sanitizer_report(stderr, "indexer")
            check(proc.returncode in (0, -signal.SIGKILL),
                  f"round {round_number}: indexer exited {proc.returncode}: {stderr.decode(errors='replace')}")

            what = f"after the kill in round {round_number} ({delay:.2f} s)"
            corpus.check_database(db, what)
            doc = search_json(db, "--limit", "50", MARKER)
            check(doc["results"], f"{what}: the search found nothing")
            corpus.check_results(doc["results"], what)

        seconds, _ = index(db, root)
        recovered, _ = corpus.check_database(db, "after the completing run")
        check(set(recovered) == corpus.expected_now(), "the completing run did not yield the corpus's passages")
        clean_db = ws / "clean.db"
        index(clean_db, root)
        with_terms, _ = dump(db, with_terms=True)
        clean_terms, clean_files = dump(clean_db, with_terms=True)
        check(sorted(with_terms) == sorted(clean_terms), "recovered and clean databases differ (passages or terms)")
        check({s: f["sha256"] for s, f in dump(db)[1].items()} == {s: f["sha256"] for s, f in clean_files.items()},
              "recovered and clean databases have different file records")
        log(f"{kills} rounds: killed at {killed} s, {finished} finished before the kill; "
            f"completing run {seconds:.2f} s; {len(recovered)} passages, identical to a clean index")


def case_signal_stop():
    """SIGINT and SIGTERM: the file in progress is rolled back, the finished ones committed,
    the indexer says so and ends by the signal (the shell sees 130 or 143)."""
    rng = random.Random(11)
    with Workspace("signal") as ws:
        root, db = ws / "corpus", ws / "db"
        big = max(6000, int(20000 * SCALE))
        # In sorted order: eight small files, the big one, eight more.
        before_big = [f"s{i:02}.txt" for i in range(8)]
        sources = before_big + ["s_big.txt"] + [f"t{i:02}.txt" for i in range(8)]
        corpus = VersionedCorpus(root)

        def write_version():
            for source in sources:
                corpus.write(source, article(rng, big if source == "s_big.txt" else 40))
            return dict(corpus.files)

        v0 = write_version()
        seconds, _ = index(db, root)
        log(f"{big}-paragraph file among 16 small ones: clean index {seconds:.2f} s")

        for sig, quiet in ((signal.SIGINT, False), (signal.SIGTERM, True)):
            before = dict(corpus.files)
            after = write_version()
            proc = subprocess.Popen([INDEXER, "--db", db] + (["--quiet"] if quiet else []) + [root],
                                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            time.sleep(0.4 * seconds)  # the small files take a few percent: this is inside s_big.txt
            check(proc.poll() is None, f"the indexer finished in under {0.4 * seconds:.2f} s; cannot test a stop")
            sent = time.monotonic()
            proc.send_signal(sig)
            stdout, stderr = proc.communicate(timeout=120)
            latency = time.monotonic() - sent
            check_no_sanitizer_report(stderr, "indexer")
            name = signal.Signals(sig).name
            err = stderr.decode()
            check(proc.returncode == -sig, f"{name}: exit {proc.returncode}, expected death by {name}\n{err}")
            expected_message = (f"indexer: stopped by {name}: 8 files done and committed, "
                                f"{os.path.join(root, 's_big.txt')} rolled back (left as it was before this run), "
                                f"9 files left as they were, no vanished file removed; "
                                f"run the indexer again to finish\n")
            check(err == expected_message, f"{name}: stderr was {err!r}, expected {expected_message!r}")
            check(quiet == (stdout == b""), f"{name}: summary line {stdout!r} (quiet: {quiet})")
            check(latency < max(2.0, seconds / 4), f"{name}: took {latency:.2f} s to stop")

            passages, files = corpus.check_database(db, f"after {name}")
            for source in sources:
                want = after if source in before_big else before
                check(files[source]["sha256"] == sha256(want[source]),
                      f"after {name}: {source} should hold its {'new' if want is after else 'previous'} version")
            index(db, root)
            passages, _ = corpus.check_database(db, f"after the run completing {name}")
            check(set(passages) == corpus.expected_now(), f"the run after {name} did not complete the index")
            log(f"{name}: stopped {latency:.2f} s after the signal; 8 files committed, s_big.txt rolled back")
        check(v0 != corpus.files, "versions did not change")


def case_two_indexers():
    """A second indexer on the same database fails at once with a clear message and exit 2;
    the first completes."""
    rng = random.Random(22)
    with Workspace("two") as ws:
        root, db = ws / "corpus", ws / "db"
        corpus = generate_versioned(root, rng, small_files=max(20, int(80 * SCALE)), paragraphs=300)
        first = subprocess.Popen([INDEXER, "--db", db, "--quiet", root], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # The database directory appears once the first holds the write lock.
        deadline = time.monotonic() + 60
        while not os.path.exists(os.path.join(db, "iamglass")):
            check(first.poll() is None and time.monotonic() < deadline, "the first indexer never opened the database")
            time.sleep(0.005)
        start = time.monotonic()
        second = run([INDEXER, "--db", db, root], expect=2, timeout=60)
        waited = time.monotonic() - start
        still_running = first.poll() is None
        check(second.stderr.decode() == f"indexer: database '{db}' is locked: another indexer is writing to it\n",
              f"second indexer said {second.stderr!r}")
        check(second.stdout == b"", "the second indexer printed a summary")
        check(waited < 5, f"the second indexer took {waited:.2f} s to give up")
        check(still_running, "the first indexer finished before the second started; corpus too small to test")
        out, err = first.communicate(timeout=300)
        check_no_sanitizer_report(err, "first indexer")
        check(first.returncode == 0, f"the first indexer exited {first.returncode}: {err.decode()}")
        passages, _ = corpus.check_database(db, "after both")
        check(set(passages) == corpus.expected_now(), "the first indexer did not index the whole corpus")
        log(f"second indexer refused in {waited:.3f} s; first completed {len(passages)} passages")


def case_two_indexers_new_database():
    """A new database of a large corpus is built as two shards in DB.staging and then merged
    into DB ("Indexing"). A second indexer is refused at once, naming DB, while the shards are
    built and while they are merged; the first completes. The lock used to be let go before
    the merge: a second indexer then merged into the same folder, and both failed with
    DatabaseCorruptError or "Couldn't write new rev file"."""
    if (os.cpu_count() or 1) < 2:
        log("skipped: one core, so a new database is built by one writer")
        return
    rng = random.Random(23)
    with Workspace("newdb") as ws:
        root, db = ws / "corpus", ws / "db"
        # Over the 4 MB from which a new database gets two writers, at any scale: 48 files of
        # about 250 paragraphs of 500 bytes (long paragraphs: fewer passages to write and check).
        corpus = generate_versioned(root, rng, small_files=48, paragraphs=250, words_per_paragraph=(60, 100))
        size = sum(len(data) for data in corpus.files.values())
        check(size > 5_000_000, f"test bug: the corpus holds {size} bytes, too few for two writers")
        first = subprocess.Popen([INDEXER, "--db", db, "--quiet", root], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        staging = db + ".staging"
        # The stub is written once both shards exist; the merge's output folder appears as the
        # merge starts. A second indexer is started the moment each appears.
        for moment, sign in (("building the shards", os.path.join(staging, "XAPIANDB")),
                             ("merging them", os.path.join(staging, "merged"))):
            deadline = time.monotonic() + 120
            while not os.path.exists(sign):
                check(first.poll() is None and time.monotonic() < deadline, f"the first indexer never started {moment}")
                time.sleep(0.002)
            start = time.monotonic()
            second = run([INDEXER, "--db", db, root], timeout=120)
            waited = time.monotonic() - start
            check(first.poll() is None, f"the first indexer finished before the second was refused while {moment}; "
                                        f"corpus too small to test")
            check((second.returncode, second.stderr.decode(), second.stdout) ==
                  (2, f"indexer: database '{db}' is locked: another indexer is writing to it\n", b""),
                  f"second indexer while {moment}: exit {second.returncode}, said {second.stderr!r}")
            check(waited < 5, f"the second indexer took {waited:.2f} s to give up while {moment}")
            log(f"refused in {waited:.3f} s while {moment}")
        out, err = first.communicate(timeout=300)
        check_no_sanitizer_report(err, "first indexer")
        check(first.returncode == 0, f"the first indexer exited {first.returncode}: {err.decode()}")
        check(not os.path.exists(staging), "the staging folder is left")
        passages, _ = corpus.check_database(db, "after both")
        check(set(passages) == corpus.expected_now(), "the first indexer did not index the whole corpus")
        log(f"{size / 1e6:.1f} MB; the first completed {len(passages)} passages")


def toggle_corpus(root, files):
    """30 files with two versions each, differing in paragraph count and lengths."""
    corpus = VersionedCorpus(root)

    def version(f, v):
        lines = []
        for j in range(1, 12 + (f * 7 + v * 5) % 11):
            filler = " Trucks and trains waited at the border." * ((f + j + v * 3) % 6)
            lines.append(f"File {f} version{v} paragraph {j}: the corridor carried {100 * j + f} tons of freight."
                         + filler)
        return ("\n\n".join(lines) + "\n").encode()

    versions = {f"f{100 + f}.txt": (version(f, 0), version(f, 1)) for f in range(files)}
    for source, (v0, v1) in versions.items():
        corpus.write(source, v1)  # into the history
        corpus.write(source, v0)
    return corpus, versions


def case_readers_during_writes():
    """Searches (the searcher binary, --batch holding the index open) while an indexer
    re-indexes and commits again and again: every answer is consistent, none fails."""
    with Workspace("readers") as ws:
        root, db = ws / "corpus", ws / "db"
        corpus, versions = toggle_corpus(root, 30)
        index(db, root)
        queries = ["corridor", '"corridor carried"', "freight NEAR/3 tons", "version1 OR border",
                   "trucks -version0", "paragraph 7", "tons freight corridor", "file:f11* corridor"]
        batch = ws / "queries.tsv"
        with open(batch, "w") as f:
            for i in range(60):
                f.write(f"q{i}\t{queries[i % len(queries)]}\n")

        rounds = max(6, int(25 * SCALE))
        rng = random.Random(33)
        state = {source: 0 for source in versions}
        commits = []
        errors = []

        def writer():
            try:
                for _ in range(rounds):
                    for source in rng.sample(sorted(versions), 10):
                        state[source] ^= 1
                        corpus.write(source, versions[source][state[source]])
                    index(db, root)
                    commits.append(time.monotonic())
            except Exception as e:  # reported by the main thread
                errors.append(e)

        thread = threading.Thread(target=writer)
        thread.start()
        batches = results = quotes = 0
        while thread.is_alive() or batches == 0:
            proc = run([SEARCHER, "--db", db, "--format", "jsonl", "--limit", "20", "--batch", batch],
                       expect=0, timeout=120)
            batches += 1
            for line in proc.stdout.decode("utf-8").splitlines():
                item = json.loads(line)
                if item["type"] == "result":
                    corpus.check_results([item], f"batch {batches}")
                    results += 1
                    quotes += len(item["evidence"])
            check(proc.stderr == b"", f"searcher complained: {proc.stderr.decode()[:2000]}")
        thread.join()
        if errors:
            raise errors[0]
        check(len(commits) == rounds, "the writer did not finish its rounds")
        log(f"{rounds} indexer runs committed while {batches} batches of 60 queries ran: "
            f"{results} results and {quotes} quotes checked")


def case_hostile_corpus():
    """Bad files are skipped with a named reason, the run finishes, nothing else is lost,
    and memory stays bounded."""
    with Workspace("hostile") as ws:
        root, db = ws / "corpus", ws / "db"
        os.makedirs(root)

        def put(name, data):
            path = os.path.join(root, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            return path

        good = {
            "plain.txt": b"The hostile corpus keeps this one: zebracorn.\n",
            "name with spaces.txt": b"Spaces in the name: quokkaline.\n",
            "\u00fcn\u00efc\u00f6d\u00e9 \u540d\u524d.txt": "Non-ASCII name: narwhalite.\n".encode(),
            "/".join(f"level_{i:02}" for i in range(100)) + "/deep.txt": b"Deep down: axolotlium.\n",
        }
        for name, data in good.items():
            put(name, data)
        # Invalid UTF-8 that no legacy encoding reads as text either (docs/sources.md): each
        # holds a byte that is a C1 control character or undefined in every 8-bit encoding
        # ICU's detector may guess (0x81), or looks like UTF-8 to it.
        bad_utf8 = {
            "bad_invalid.txt": b"ok \x81 no\n",
            "bad_overlong.txt": b"over \xc0\xaf long\n",
            "bad_overlong3.txt": b"\xe0\x80\xaf three bytes\n",
            "bad_surrogate.txt": b"lone \xed\xa0\x80 surrogate\n",
            "bad_truncated.txt": b"cut \xe2\x82 \x81\x81\x8f\x90",
            "bad_above_max.txt": b"\xf4\x90\x80\x80 above U+10FFFF\n",
        }
        expected_warnings = set()
        for name, data in bad_utf8.items():
            path = put(name, data)
            try:
                data.decode("utf-8")
                raise Failure(f"{name} is valid UTF-8")
            except UnicodeDecodeError as e:
                expected_warnings.add(f"indexer: {path}: skipped: invalid UTF-8 at byte offset {e.start}")
        # A name that is not UTF-8 (it used to abort the run): named with its bad byte escaped.
        bad_name = b"bad_name_\xff.txt"
        with open(os.path.join(os.fsencode(root), bad_name), "wb") as f:
            f.write(b"Good text under a bad name.\n")
        shown = bad_name.decode("utf-8", "backslashreplace").replace("\\xff", "\\xFF")
        offset = bad_name.index(b"\xff")
        expected_warnings.add(f"indexer: {os.path.join(root, shown)}: skipped: invalid UTF-8 in its path "
                              f"'{shown}' at byte offset {offset}")
        nul = b"nul\x00byte\n"
        nul_at = nul.index(b"\x00")
        expected_warnings.add(f"indexer: {put('bad_nul.txt', nul)}: skipped: binary data "
                              f"(NUL byte at byte offset {nul_at})")
        # UTF-16 with a byte-order mark is decoded and indexed (docs/sources.md).
        for name, data in (("utf16le.txt", "\ufeffUTF-16 text\n".encode("utf-16-le")),
                           ("utf16be.txt", "\ufeffUTF-16 text\n".encode("utf-16-be"))):
            put(name, data)
        # Links: a loop between two names, one whose target is gone, and a directory loop
        # (links to directories are not followed).
        os.symlink("loop_b.txt", os.path.join(root, "loop_a.txt"))
        os.symlink("loop_a.txt", os.path.join(root, "loop_b.txt"))
        os.symlink("gone.txt", os.path.join(root, "dangling.txt"))
        os.symlink(".", os.path.join(root, "self"))
        for name, why in (("loop_a.txt", "Too many levels of symbolic links"),
                          ("loop_b.txt", "Too many levels of symbolic links"),
                          ("dangling.txt", "No such file or directory")):
            path = os.path.join(root, name)
            expected_warnings.add(f"indexer: {path}: skipped: cannot open '{path}': {why}")
        if os.geteuid() != 0:
            path = put("unreadable.txt", b"Nobody reads this.\n")
            os.chmod(path, 0)
            expected_warnings.add(f"indexer: {path}: skipped: cannot open '{path}': Permission denied")

        # A 20 MB line and a 100,000-paragraph file (smaller under the sanitizers).
        line_bytes = int(20_000_000 * SCALE)
        rng = random.Random(44)
        chunk = " ".join(rng.choice(VOCAB) for _ in range(170_000)).encode()
        long_line = (chunk + b" ") * (line_bytes // (len(chunk) + 1)) + b"wombatite\n"
        put("line20mb.txt", long_line)
        paragraphs = int(100_000 * SCALE)
        many = "".join(f"Paragraph {i} of many.\n\n" for i in range(1, paragraphs + 1)).encode()
        put("many.txt", many)
        # Sorted last, so it is removed after the listing, while the big files are indexed.
        vanishing = put("zzz_vanishing.txt", b"Here when listed, gone when read.\n")
        expected_warnings.add(f"indexer: {vanishing}: skipped: cannot open '{vanishing}': No such file or directory")

        stderr_path = ws / "stderr.txt"
        # An existing (empty) database directory: one writer, which opens the database right
        # after the listing. A new database of this size would be built as two shards in
        # DB.staging first, and no moment there says "listed, not yet read".
        os.makedirs(db)
        start = time.monotonic()
        with open(stderr_path, "wb") as err:
            proc = subprocess.Popen([INDEXER, "--db", db, root], stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=err)
            while not os.path.exists(os.path.join(db, "iamglass")):  # the listing is done
                check(proc.poll() is None, "the indexer ended before opening the database")
                time.sleep(0.002)
            os.remove(vanishing)
            stdout = proc.stdout.read()
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - start
        peak_mb = usage.ru_maxrss / 1024
        stderr = open(stderr_path, "rb").read()
        check_no_sanitizer_report(stderr, "indexer")
        check(proc.returncode == 2, f"indexer exited {proc.returncode}, expected 2")
        # The reason an encoding was not guessed follows the first bad byte: not compared.
        warnings = set(line.split(", and its encoding cannot be determined")[0] for line in stderr.decode().splitlines())
        check(warnings == expected_warnings,
              f"warnings differ:\n unexpected {sorted(warnings - expected_warnings)}\n"
              f" missing {sorted(expected_warnings - warnings)}")
        skipped = len(expected_warnings)
        check(f", {skipped} skipped files;" in stdout.decode(), f"summary: {stdout.decode()}")

        passages, files = dump(db)
        check(set(files) == set(good) | {"line20mb.txt", "many.txt", "utf16le.txt", "utf16be.txt"},
              f"indexed files {sorted(files)}")
        by_source = {}
        for p in passages:
            by_source.setdefault(p[0], []).append(p)
        for name, data in good.items():
            check(sorted(by_source[name]) == expected_passages(name, data), f"{name}: wrong passages")
        check(len(by_source["many.txt"]) == paragraphs, f"many.txt: {len(by_source['many.txt'])} passages")
        check(sorted(by_source["many.txt"])[-1] == expected_passages("many.txt", many)[-1], "many.txt: last passage")
        (line,) = by_source["line20mb.txt"]
        check(line[3:5] == (0, len(long_line) - 1), "line20mb.txt: the line is not one whole passage")

        for word, name in (("zebracorn", "plain.txt"), ("quokkaline", "name with spaces.txt"),
                           ("narwhalite", "\u00fcn\u00efc\u00f6d\u00e9 \u540d\u524d.txt"),
                           ("axolotlium", [n for n in good if n.endswith("deep.txt")][0]), ("wombatite", "line20mb.txt")):
            doc = search_json(db, word)
            check([r["source"] for r in doc["results"]] == [name], f"{word}: found in {[r['source'] for r in doc['results']]}")
            data = open(os.path.join(root, name), "rb").read()
            for ev in doc["results"][0]["evidence"]:
                check(data[ev["start_byte"]:ev["end_byte"]].decode() == ev["quote"], f"{word}: quote is not the bytes")
        doc = search_json(db, f'"Paragraph {paragraphs} of many"')
        check([(r["source"], r["paragraph"], r["line"]) for r in doc["results"]] ==
              [("many.txt", paragraphs, 2 * paragraphs - 1)], "the last of many paragraphs")

        # Again: the bad files are skipped again, nothing is lost or re-indexed.
        _, again = index(db, root, expect=2, quiet=False)
        check("0 added, 0 updated" in again.stdout.decode() and "0 removed" in again.stdout.decode(),
              f"second run: {again.stdout.decode()}")
        check(sorted(dump(db)[0]) == sorted(passages), "the second run changed the passages")

        largest = max(len(long_line), len(many))
        log(f"indexed in {seconds:.1f} s; peak RSS of the indexer {peak_mb:.0f} MB "
            f"(largest file {largest / 1e6:.1f} MB; {paragraphs} paragraphs in one file); {skipped} files skipped")
        if not REDUCED:  # smaller files there, and ASan's shadow memory and quarantine skew RSS
            check(peak_mb < 1024, f"peak RSS {peak_mb:.0f} MB is over 1 GB")

    unprivileged_directory_check()


def unprivileged_directory_check():
    """An unreadable file is skipped by name, and an unreadable directory keeps its passages
    (it used to look deleted). Permissions do not bind root, so as root this runs the indexer
    as 'nobody' (setpriv)."""
    as_user = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            log("skipped the permission check: running as root without setpriv")
            return
        as_user = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    with Workspace("perm", base=tempfile.gettempdir()) as ws:
        os.chmod(ws.path, 0o755)
        root, db = ws / "corpus", ws / "db"
        os.makedirs(os.path.join(root, "locked"))
        for name, text in (("a.txt", "Readable."), ("locked/in.txt", "Inside."), ("z.txt", "After.")):
            with open(os.path.join(root, name), "w") as f:
                f.write(text + "\n")
        secret = os.path.join(root, "secret.txt")
        with open(secret, "w") as f:
            f.write("Secret.\n")
        os.makedirs(db)
        indexer = INDEXER
        if as_user:
            # A copy 'nobody' can run wherever the build tree is (e.g. under /root).
            indexer = shutil.copy(INDEXER, ws / "indexer")
            os.chmod(indexer, 0o755)
            for dirpath, dirnames, filenames in os.walk(ws.path):
                for n in dirnames + filenames + [""]:
                    shutil.chown(os.path.join(dirpath, n), "nobody", "nogroup")
        os.chmod(secret, 0)
        first = run(as_user + [indexer, "--db", db, "--quiet", root], expect=2)
        check(first.stderr.decode() == f"indexer: {secret}: skipped: cannot open '{secret}': Permission denied\n",
              f"unreadable file: {first.stderr.decode()}")
        locked = os.path.join(root, "locked")
        os.chmod(locked, 0)
        try:
            second = run(as_user + [indexer, "--db", db, "--quiet", root], expect=2)
        finally:
            os.chmod(locked, 0o755)  # so that the workspace can be removed
        check(f"indexer: {root}: cannot list '{locked}': Permission denied\n" in second.stderr.decode()
              and "no passages were removed" in second.stderr.decode(), f"unreadable directory: {second.stderr.decode()}")
        passages, _ = dump(db)
        check(sorted(p[0] for p in passages) == ["a.txt", "locked/in.txt", "z.txt"],
              f"passages after the unreadable directory: {sorted(p[0] for p in passages)}")
        # A database its user cannot write is not "locked" (it used to be reported so).
        os.chmod(db, 0o555)
        try:
            third = run(as_user + [indexer, "--db", db, "--quiet", root], expect=2)
        finally:
            os.chmod(db, 0o755)
        check(third.stderr.decode() == f"indexer: database '{db}' is not writable: Permission denied\n",
              f"read-only database: {third.stderr.decode()}")
        log("unreadable file skipped by name; unreadable directory reported, its passages kept; read-only "
            "database reported" + (" (as nobody)" if as_user else ""))


def case_hostile_queries():
    """Hostile queries get a clear error (exit 2, the message says what is wrong) or a
    sensible result, and never a crash or a hang."""
    with Workspace("queries") as ws:
        db = ws / "db"
        index(db, CORPUS)
        words = lambda n: " ".join(f"w{i}" for i in range(n))
        cases = [
            # (name, arguments, allowed exit codes, text the error must contain)
            ("deep parentheses", ["(" * 20000 + "corridor" + ")" * 20000], {2}, "nested more than 100 deep"),
            ("deep '-(' nesting", ["corridor " + "-(" * 20000 + "x"], {2}, "nested more than 100 deep"),
            ("a NOT chain", ["corridor " + " ".join(f"NOT w{i}" for i in range(5000))], {2}, "more than 1000"),
            ("a '-' chain", ["corridor " + " ".join(f"-w{i}" for i in range(5000))], {2}, "more than 1000"),
            ("NEAR chain with changing gaps", [" ".join(f"w{i} NEAR/{i % 9}" for i in range(3000)) + " x"], {2},
             "more than 1000"),
            ("thousands of words", [words(10000)], {2}, "too many words in the query (at most 1024)"),
            ("thousands of literal words", ["--literal", words(10000)], {2}, "too many words"),
            ("a thousand words", [words(1000) + " corridor"], {0}, ""),
            ("a pasted claim, literal", ["--literal", "The Middle Corridor " * 300], {0}, ""),
            ("a thousand ORs, --all", ["--all", " OR ".join(["corridor", "tons"] * 400)], {0}, ""),
            ("a 100 KB word", ["a" * 100_000], {2}, "nothing searchable"),
            ("a long phrase", ['"' + "middle corridor " * 2000 + '"'], {2}, "too many words"),
            ("unbalanced parenthesis", ["(Middle OR Corridor"], {2}, "missing ')'"),
            ("stray parenthesis", ["Middle) Corridor"], {2}, "unexpected ')'"),
            ("unbalanced quote", ['"Middle Corridor'], {2}, "unterminated quote"),
            ("unbalanced curly quote", ["\u201cMiddle Corridor"], {2}, "unterminated quote"),
            ("only stopwords", ["the of and"], {0}, ""),
            ("only punctuation", ["!!! ??? ... ,,, ;;"], {2}, "nothing searchable"),
            ("a lone dash", ["corridor - !!!"], {0}, ""),
            ("only excluded words", ["--", "-corridor -tons"], {2}, "only excluded words"),
            ("an empty query", [""], {2}, ""),
            ("white space only", [" \t\u00a0 "], {2}, ""),
            ("control characters", ["corridor \x01\x07 \x1b[31m tons\x7f"], {0, 1}, ""),
            ("tab and CR", ["corridor\ttons\r"], {0}, ""),
            ("invalid UTF-8", [b"corridor \xff tons"], {2}, "query error at character 10: invalid UTF-8"),
            ("an overlong encoding", [b"\xc0\xafcorridor"], {2}, "invalid UTF-8"),
            ("a lone surrogate", [b"corridor \xed\xa0\x80"], {2}, "invalid UTF-8"),
            ("a huge NEAR gap", ["corridor NEAR/99999999999 tons"], {2}, "NEAR/n"),
            ("an empty field", ["title:"], {2}, "title: needs"),
            ("a glob of stars", ["file:" + "*a" * 2000 + " corridor"], {1}, ""),
            ("operators only", ["AND OR NOT NEAR"], {2}, "needs a word"),
        ]
        batch = ws / "hostile.tsv"
        with open(batch, "wb") as f:
            f.write(b"nul\tcorridor\x00tons\n")
            f.write(b"bad\tcorridor \xfe\n")
            f.write(b"crlf\tcorridor\r\n")
            f.write(b"huge\t" + words(30000).encode() + b"\n")
            f.write(b"deep\t" + b"(" * 100_000 + b"\n")
            f.write(b"ok\tcorridor\n")
        jsonl = ws / "hostile.jsonl"
        with open(jsonl, "wb") as f:
            f.write(b'{"_id": "1", "text": "corridor"}\n{broken\n[1, 2]\n{"_id": 2}\n{"_id": "3", "text": "tons"}\n')
        cases += [
            ("a batch of hostile lines", ["--batch", batch], {0, 2}, "too many words"),
            ("a JSONL batch with garbage", ["--batch", jsonl], {0, 2}, ""),
        ]
        slowest = (0, "")
        limit = 30 if not REDUCED else 90
        for name, args, codes, message in cases:
            start = time.monotonic()
            try:
                proc = run([SEARCHER, "--db", db, "--limit", "5", *args], timeout=limit)
            except subprocess.TimeoutExpired:
                raise Failure(f"{name}: no answer within {limit} s")
            seconds = time.monotonic() - start
            slowest = max(slowest, (seconds, name))
            err = proc.stderr.decode(errors="replace")
            check(proc.returncode >= 0, f"{name}: killed by signal {-proc.returncode}")
            check(proc.returncode in codes, f"{name}: exit {proc.returncode}, expected {sorted(codes)}: {err[:500]}")
            check(message in err, f"{name}: the message does not say {message!r}: {err[:500]}")
            if proc.returncode == 2:
                check(err.startswith("searcher: "), f"{name}: unclear error: {err[:500]}")
        batch_err = run([SEARCHER, "--db", db, "--batch", batch]).stderr.decode(errors="replace")
        for qid, what in (("bad", "invalid UTF-8"), ("huge", "too many words"), ("deep", "parentheses nested")):
            lines = [l for l in batch_err.splitlines() if l.startswith(f"searcher: query {qid}: query error at character ")]
            check(len(lines) == 1 and what in lines[0], f"batch: query {qid} should fail with {what!r}: {batch_err[:1000]}")
        log(f"{len(cases)} hostile queries answered; slowest {slowest[1]!r} in {slowest[0]:.2f} s")


# --- watch mode ----------------------------------------------------------------------------

def sources_mentioning(db, word):
    """The files whose passages mention WORD now, by an exhaustive listing (exit 0 or 1)."""
    proc = run([SEARCHER, "--db", db, "--format", "json", "--all", word], timeout=60)
    check(proc.returncode in (0, 1), f"searcher --all {word} exited {proc.returncode}: {proc.stderr[:500]}")
    return {r["source"] for r in json.loads(proc.stdout)["results"]}


def wait_until(predicate, what, timeout=30):
    """Seconds until PREDICATE held; fails after TIMEOUT (generous: the machine may be loaded)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.05)
    raise Failure(f"{what}: not seen within {timeout} s")


class SearcherLoop(threading.Thread):
    """A reader searching the whole time: every call must succeed (exit 0 or 1), never fail."""

    def __init__(self, db):
        super().__init__(daemon=True)
        self.db, self.calls, self.errors, self.running = db, 0, [], True

    def run(self):
        while self.running:
            proc = subprocess.run([SEARCHER, "--db", self.db, MARKER], capture_output=True, stdin=subprocess.DEVNULL)
            self.calls += 1
            if proc.returncode not in (0, 1):
                self.errors.append(proc.stderr.decode(errors="replace")[:500])
            time.sleep(0.02)


def watch_scenario(mode):
    """indexer --watch (MODE: inotify or polling) on a corpus changed in every way a user or an
    editor changes one, with a searcher looping; then a stop in the middle of a burst of new
    files. The index must follow each change, and end equal to a clean index of the final state."""
    with Workspace("watch") as ws:
        root, db, clean = ws / "corpus", ws / "watch.db", ws / "clean.db"
        corpus = generate_versioned(root, random.Random(11), small_files=max(8, int(40 * SCALE)), paragraphs=6)
        args = [INDEXER, "--db", db, "--watch"] + (["--poll", "0.2"] if mode == "polling" else []) + [root]
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        reader = None
        try:
            first = proc.stdout.readline().decode()
            second = proc.stdout.readline().decode()
            check(first.startswith("indexed ") and second.startswith("watching "),
                  f"{mode}: the first run and the watch line: {first!r} {second!r}")
            check((mode == "polling") == ("polling" in second), f"{mode}: watching by {second!r}")
            reader = SearcherLoop(db)
            reader.start()
            latencies = {}

            corpus.write("new/fresh.txt", b"zebrafinch one.\n")
            latencies["added"] = wait_until(lambda: sources_mentioning(db, "zebrafinch") == {"new/fresh.txt"},
                                            f"{mode}: a new file in a new folder")
            path = os.path.join(root, "new/fresh.txt")
            with open(path, "ab") as f:
                f.write(b"\nquokka two.\n")
            with open(path, "rb") as f:
                data = f.read()
            corpus.files["new/fresh.txt"] = data
            corpus.history["new/fresh.txt"][sha256(data)] = frozenset(expected_passages("new/fresh.txt", data))
            corpus.by_hash[sha256(data)] = data
            latencies["appended"] = wait_until(lambda: sources_mentioning(db, "quokka") == {"new/fresh.txt"},
                                               f"{mode}: an appended paragraph")
            os.rename(path, os.path.join(root, "new/renamed.txt"))
            corpus.files["new/renamed.txt"] = corpus.files.pop("new/fresh.txt")
            corpus.history["new/renamed.txt"] = {sha256(data): frozenset(expected_passages("new/renamed.txt", data))}
            latencies["renamed"] = wait_until(lambda: sources_mentioning(db, "quokka") == {"new/renamed.txt"},
                                              f"{mode}: a renamed file")
            corpus.remove("new/renamed.txt")
            latencies["removed"] = wait_until(lambda: not sources_mentioning(db, "quokka"), f"{mode}: a removed file")
            # An editor's save: the new text goes to a hidden temporary file, renamed over the old.
            target = sorted(corpus.files)[0]
            edited = corpus.files[target] + b"\npangolin three.\n"
            temporary = os.path.join(root, os.path.dirname(target), "." + os.path.basename(target) + ".swp")
            with open(temporary, "wb") as f:
                f.write(edited)
            os.replace(temporary, os.path.join(root, target))
            corpus.files[target] = edited
            corpus.history[target][sha256(edited)] = frozenset(expected_passages(target, edited))
            corpus.by_hash[sha256(edited)] = edited
            latencies["saved"] = wait_until(lambda: sources_mentioning(db, "pangolin") == {target},
                                            f"{mode}: an editor's atomic save")
            log(f"{mode}: seconds from a change to a search that sees it: "
                + ", ".join(f"{k} {v:.2f}" for k, v in latencies.items()))

            # A burst of new files, and a stop in the middle of it.
            rng = random.Random(5)
            for i in range(max(10, int(60 * SCALE))):
                corpus.write(f"burst/b{i:03}.txt", article(rng, 30))
            time.sleep(0.6)
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=120)
            check(proc.returncode == -signal.SIGTERM, f"{mode}: exit {proc.returncode} after SIGTERM: {err[:500]}")
            check(b"SIGTERM" in err, f"{mode}: no word of the stop: {err[:500]}")
        finally:
            if reader:
                reader.running = False
                reader.join()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        check(reader.calls > 0 and not reader.errors, f"{mode}: searcher failed while watching: {reader.errors[:2]}")
        # Nothing committed is lost, nothing is half a version; a normal run then finishes.
        corpus.check_database(db, f"{mode}: after the stop")
        index(db, root)
        index(clean, root)
        watched, watched_files = corpus.check_database(db, f"{mode}: finished")
        fresh, fresh_files = dump(clean)
        check(sorted(watched) == sorted(fresh), f"{mode}: the watched index differs from a clean index")
        check({s: f["sha256"] for s, f in watched_files.items()} == {s: f["sha256"] for s, f in fresh_files.items()},
              f"{mode}: file records differ from a clean index's")


def case_watch_inotify():
    watch_scenario("inotify")


def case_watch_polling():
    watch_scenario("polling")


def main():
    if len(sys.argv) != 2 or f"case_{sys.argv[1]}" not in globals():
        cases = sorted(n[5:] for n in globals() if n.startswith("case_"))
        print(f"usage: {sys.argv[0]} CASE\ncases: {' '.join(cases)}", file=sys.stderr)
        return 2
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # killed indexers leave no core files
    try:
        globals()[f"case_{sys.argv[1]}"]()
    except Failure as e:
        print(f"FAIL: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
