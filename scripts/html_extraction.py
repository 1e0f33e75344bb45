#!/usr/bin/env python3
"""Main-text extraction from saved web pages, scored against Mozilla Readability's test pages.

For each page folder in ../shared/eval/html/readability/ (or $READABILITY_PAGES): runs
`indexer --extract source.html` and compares its words with the text of expected.html, as
token-level precision, recall and F1 over multisets of lower-cased words (\\w+), per page and
the mean over all pages. Metadata: `indexer --extract-metadata source.html` against
expected-metadata.json where it gives a value: the title (white space collapsed), the byline
(authors joined by ", "; a leading "By " and case ignored) and the published date (its
YYYY-MM-DD part). Prints one line a page, then the means.

Usage: scripts/html_extraction.py [--indexer PATH] [--pages DIR] [--quiet]
"""

import argparse
import collections
import html.parser
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORD = re.compile(r"\w+", re.UNICODE)


class TextOf(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.parts.append(" ")

    def handle_endtag(self, tag):
        self.parts.append(" ")


def html_text(markup):
    parser = TextOf()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def tokens(text):
    return [w.lower() for w in WORD.findall(text)]


def prf(found, expected):
    a, b = collections.Counter(found), collections.Counter(expected)
    common = sum((a & b).values())
    if not a and not b:
        return 1.0, 1.0, 1.0
    p = common / sum(a.values()) if a else 0.0
    r = common / sum(b.values()) if b else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def norm(s):
    return " ".join((s or "").split())


def byline_key(s):
    s = norm(s).lower()
    return s[3:] if s.startswith("by ") else s


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--indexer", default=os.path.join(ROOT, "build", "ci", "indexer", "indexer"))
    ap.add_argument("--pages", default=os.environ.get("READABILITY_PAGES",
                                                      os.path.join(ROOT, "..", "shared", "eval", "html", "readability")))
    ap.add_argument("--quiet", action="store_true", help="only the means")
    args = ap.parse_args()
    if not os.path.isdir(args.pages):
        sys.exit(f"html_extraction: no pages at {args.pages}")
    f1s, ps, rs = [], [], []
    agree = {"title": [0, 0], "byline": [0, 0], "date": [0, 0]}
    for name in sorted(os.listdir(args.pages)):
        folder = os.path.join(args.pages, name)
        source = os.path.join(folder, "source.html")
        if not os.path.isfile(source):
            continue
        with open(os.path.join(folder, "expected.html"), encoding="utf-8") as f:
            expected = tokens(html_text(f.read()))
        run = subprocess.run([args.indexer, "--extract", source], capture_output=True)
        found = tokens(run.stdout.decode("utf-8", "replace")) if run.returncode == 0 else []
        p, r, f1 = prf(found, expected)
        ps.append(p), rs.append(r), f1s.append(f1)
        with open(os.path.join(folder, "expected-metadata.json"), encoding="utf-8") as f:
            want = json.load(f)
        meta_run = subprocess.run([args.indexer, "--extract-metadata", source], capture_output=True)
        meta = json.loads(meta_run.stdout) if meta_run.returncode == 0 else {}
        marks = []
        checks = {
            "title": (want.get("title"), norm(meta.get("title")), norm),
            "byline": (want.get("byline"), ", ".join(meta.get("authors", [])), byline_key),
            "date": (want.get("publishedTime"), meta.get("date", ""), lambda s: (s or "")[:10]),
        }
        for field, (expected_value, value, key) in checks.items():
            if not expected_value:
                continue
            agree[field][1] += 1
            ok = key(expected_value) == key(value)
            agree[field][0] += ok
            if not ok:
                marks.append(f"{field}: {value!r} != {expected_value!r}")
        if not args.quiet:
            print(f"{name:45s} P {p:.3f} R {r:.3f} F1 {f1:.3f}" + ("  " + "; ".join(marks) if marks else ""))
    n = len(f1s)
    print(f"pages {n}: mean precision {sum(ps)/n:.3f}, recall {sum(rs)/n:.3f}, F1 {sum(f1s)/n:.3f}")
    total = [0, 0]
    for field, (ok, count) in agree.items():
        total[0] += ok
        total[1] += count
        print(f"{field}: {ok}/{count} agree ({100*ok/max(count,1):.0f}%)")
    print(f"metadata: {total[0]}/{total[1]} agree ({100*total[0]/max(total[1],1):.0f}%)")


if __name__ == "__main__":
    main()
