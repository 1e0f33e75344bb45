#!/usr/bin/env python3
"""Document readers (issue 26; docs/indexing.md): PDF, DOCX, ODT and EPUB files indexed as their
text layers, checked against expectations derived independently of the indexer:

- PDF words per page against `pdftotext` (poppler-utils), page by page;
- DOCX and EPUB words against an independent read of the zip's XML with Python's zipfile and
  ElementTree (w:t text outside w:del; the spine's XHTML chapters);
- every quote of a search result equals the `indexer --extract` layer at its byte range, and a
  PDF quote is on the page it names (the layer's pages are separated by form feeds);
- damaged, encrypted-with-password, scanned and zip-bomb files are named with their reason and
  skipped, and the rest of the corpus is indexed.

Environment: INDEXER, SEARCHER, WORK_DIR; DOCUMENTS (else ../shared/eval/documents next to the
corpus directory CORPUS). Cases needing the documents exit 77 (skipped) without them.
"""
import collections
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile

INDEXER = os.environ["INDEXER"]
SEARCHER = os.environ["SEARCHER"]
WORK_DIR = os.environ["WORK_DIR"]
CORPUS = os.environ.get("CORPUS", "corpus")
DOCUMENTS = os.environ.get("DOCUMENTS") or os.path.join(os.path.dirname(os.path.abspath(CORPUS)), "..", "shared",
                                                        "eval", "documents")
SKIP = 77


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(str(message)[:2000])


def run(args, expect_code=None):
    proc = subprocess.run(args, capture_output=True, timeout=600)
    if expect_code is not None:
        check(proc.returncode == expect_code,
              f"{args}: exit {proc.returncode}, expected {expect_code}\n{proc.stderr.decode(errors='replace')}")
    return proc


def need_documents():
    if not os.path.isdir(DOCUMENTS) or shutil.which("pdftotext") is None:
        print(f"skipped: no {DOCUMENTS} or no pdftotext", file=sys.stderr)
        sys.exit(SKIP)


def words(text):
    return collections.Counter(re.findall(r"\w+", text.lower()))


def f1(expected, got):
    common = sum((expected & got).values())
    p = common / max(sum(got.values()), 1)
    r = common / max(sum(expected.values()), 1)
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def extract(path):
    return run([INDEXER, "--extract", path], expect_code=0).stdout


def pdfs():
    folder = os.path.join(DOCUMENTS, "pdf")
    return [os.path.join(folder, f) for f in sorted(os.listdir(folder)) if f.endswith(".pdf") and "scanned" not in f]


def case_pdf_words_match_pdftotext():
    """Each PDF's layer has pdftotext's pages, and per page the same words (token F1 >= 0.98 over
    the document: running headers, footers and page numbers are all it may leave out)."""
    need_documents()
    for path in pdfs():
        reference = run(["pdftotext", "-enc", "UTF-8", path, "-"], expect_code=0).stdout.decode()
        ref_pages = reference.split("\f")[:-1]  # pdftotext ends every page with a form feed
        layer = extract(path).decode()
        pages = layer.split("\f")
        check(len(pages) == len(ref_pages), f"{path}: {len(pages)} pages, pdftotext {len(ref_pages)}")
        total_ref, total_got = collections.Counter(), collections.Counter()
        for n, (ref, got) in enumerate(zip(ref_pages, pages), 1):
            ref_words, got_words = words(ref), words(got)
            # Nothing that is not on the page: every word of ours is on pdftotext's same page.
            check(not (got_words - ref_words), f"{path} p.{n}: words not on the page: {got_words - ref_words}")
            total_ref += ref_words
            total_got += got_words
        score = f1(total_ref, total_got)
        check(score >= 0.98, f"{path}: token F1 {score:.3f} against pdftotext")
    scanned = os.path.join(DOCUMENTS, "pdf", "scanned-huckfinn-p22-no-text-layer.pdf")
    proc = run([INDEXER, "--extract", scanned], expect_code=2)
    check(b"no text layer" in proc.stderr and b"scanned-huckfinn" in proc.stderr, proc.stderr)


def search_validator():
    """docs/schema/search.schema.json's validator, as tests/docs/schema_test.py builds it."""
    os.environ.setdefault("SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    sys.path.insert(0, os.path.join(os.environ["SOURCE_DIR"], "tests", "docs"))
    import schema_test
    return schema_test.validators()["search"]


def first_unique_word(pages):
    """A word found on exactly one page of pdftotext's output, and only once: (word, page)."""
    counts = collections.Counter()
    where = {}
    for n, page in enumerate(pages, 1):
        for w in re.findall(r"[A-Za-z]{9,}", page):
            counts[w.lower()] += 1
            where[w.lower()] = n
    for w, c in counts.items():
        if c == 1 and where[w] > 1:
            return w, where[w]
    raise Failure("no unique word")


def case_pdf_quotes_name_their_page():
    """A search result from a PDF names the page pdftotext finds its word on, its quote is the
    layer at its byte range and on that page, and page labels are the document's (the Silk Road
    article's /PageLabels run 74-85 for physical pages 1-12, per the documents' README)."""
    need_documents()
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        corpus = os.path.join(tmp, "corpus")
        os.makedirs(corpus)
        names = ["kz-https-interception-imc2020.pdf", "silkroad-journal-yatsenko-turkic-costume-2013.pdf"]
        for name in names:
            shutil.copy(os.path.join(DOCUMENTS, "pdf", name), corpus)
        db = os.path.join(tmp, "db")
        run([INDEXER, "--db", db, corpus], expect_code=0)
        for name in names:
            ref_pages = run(["pdftotext", os.path.join(corpus, name), "-"], expect_code=0).stdout.decode().split("\f")
            word, page = first_unique_word(ref_pages)
            out = json.loads(run([SEARCHER, "--db", db, "--format", "json", word], expect_code=0).stdout)
            hits = [r for r in out["results"] if r["source"] == name]
            check(hits, f"{word}: {out}")
            hit = hits[0]
            schema_errors = list(search_validator().iter_errors(out))
            check(not schema_errors, f"docs/schema/search.schema.json: {[(list(e.path), e.message) for e in schema_errors[:3]]}")
            check(hit["page"] == page, f"{name}: '{word}' on page {page} per pdftotext: {hit}")
            layer = extract(os.path.join(corpus, name))
            check(hit["extractor"].startswith("pdf-") and len(hit["layer_sha256"]) == 64, hit)
            import hashlib
            check(hashlib.sha256(layer).hexdigest() == hit["layer_sha256"], "layer_sha256 is the --extract layer's")
            page_start = sum(len(p) + 1 for p in layer.split(b"\f")[:page - 1])
            page_end = page_start + len(layer.split(b"\f")[page - 1])
            for e in hit["evidence"]:
                check(layer[e["start_byte"]:e["end_byte"]] == e["quote"].encode(), f"quote at its range: {e}")
                check(page_start <= e["start_byte"] and e["end_byte"] <= page_end, f"quote on page {page}: {e}")
            if name.startswith("silkroad"):
                check(hit["page_label"] == str(73 + page), f"label of page {page}: {hit}")
                check(f"p. {73 + page}" in hit["citation"], hit["citation"])
            else:
                check(hit["page_label"] is None and f"p. {page}" in hit["citation"], hit)
            md = run([SEARCHER, "--db", db, "--format", "pandoc", "--bibliography", os.path.join(tmp, "refs.json"), word],
                     expect_code=0).stdout.decode()
            expected_page = str(73 + page) if name.startswith("silkroad") else str(page)
            check(re.search(r"\[@[^\],]+, p\. " + expected_page + r"\]", md), md)


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_words(path):
    """w:t text of the body, footnotes and endnotes, leaving out deleted text (w:del)."""
    text = []
    with zipfile.ZipFile(path) as z:
        for part in ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml"):
            if part not in z.namelist():
                continue
            root = ET.fromstring(z.read(part))
            deleted = {id(t) for d in root.iter(W + "del") for t in d.iter()}
            for p in root.iter(W + "p"):  # runs joined as they are, paragraphs apart
                text.append("".join(t.text or "" for t in p.iter(W + "t") if id(t) not in deleted))
    return words(" ".join(text))


BLOCKS = {"br", "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "tr", "blockquote", "pre", "section",
          "figcaption", "dt", "dd", "hr", "table", "ul", "ol"}


def epub_words(path):
    """The text of the spine's XHTML chapters' bodies, in spine order."""
    with zipfile.ZipFile(path) as z:
        container = ET.fromstring(z.read("META-INF/container.xml"))
        opf_path = next(e.get("full-path") for e in container.iter() if e.tag.endswith("rootfile"))
        opf = ET.fromstring(z.read(opf_path))
        base = os.path.dirname(opf_path)
        items = {e.get("id"): e.get("href") for e in opf.iter() if e.tag.endswith("}item")}
        text = []
        for ref in (e for e in opf.iter() if e.tag.endswith("}itemref") and e.get("linear") != "no"):
            name = os.path.normpath(os.path.join(base, items[ref.get("idref")])).replace(os.sep, "/")
            root = ET.fromstring(z.read(name))
            body = next(e for e in root.iter() if e.tag.endswith("}body"))
            for e in body.iter():  # as a browser renders it: a break or block parts words, inline tags do not
                if e.tag.split("}")[-1] in BLOCKS:
                    e.tail = "\n" + (e.tail or "")
                    e.text = "\n" + (e.text or "")
            text += ["".join(body.itertext())]
    return words(" ".join(text))


def one_line(text):
    return " ".join(t for t in re.split(r"[ \t\n\r]+", text) if t)


def epub_chapters(path):
    """[(title, words)] for each spine item read (linear != "no"), in spine order: its title
    from the EPUB 3 nav's toc links, else the NCX's navPoints, else its first h1-h6 ("" when
    none); its words as epub_words reads them."""
    ops, ncx_ns = "{http://www.idpf.org/2007/ops}", "{http://www.daisy.org/z3986/2005/ncx/}"
    with zipfile.ZipFile(path) as z:
        container = ET.fromstring(z.read("META-INF/container.xml"))
        opf_path = next(e.get("full-path") for e in container.iter() if e.tag.endswith("rootfile"))
        opf = ET.fromstring(z.read(opf_path))

        def part(folder, href):
            href = urllib.parse.unquote(href.split("#")[0])
            return os.path.normpath(os.path.join(folder, href)).replace(os.sep, "/")

        base = os.path.dirname(opf_path)
        items = {e.get("id"): e for e in opf.iter() if e.tag.endswith("}item")}
        titles = {}
        nav = next((e.get("href") for e in items.values() if "nav" in (e.get("properties") or "").split()), None)
        if nav:
            nav_path = part(base, nav)
            navs = [e for e in ET.fromstring(z.read(nav_path)).iter() if e.tag.endswith("}nav")]
            toc = next((n for n in navs if "toc" in (n.get(ops + "type") or "").split()), navs[0] if navs else None)
            for a in (toc.iter() if toc is not None else ()):
                if a.tag.endswith("}a") and a.get("href"):
                    titles.setdefault(part(os.path.dirname(nav_path), a.get("href")), one_line("".join(a.itertext())))
        spine = next(e for e in opf.iter() if e.tag.endswith("}spine"))
        if spine.get("toc") in items:
            ncx_path = part(base, items[spine.get("toc")].get("href"))
            for point in ET.fromstring(z.read(ncx_path)).iter(ncx_ns + "navPoint"):
                label, content = point.find(f"{ncx_ns}navLabel/{ncx_ns}text"), point.find(ncx_ns + "content")
                if content is not None and content.get("src"):
                    titles.setdefault(part(os.path.dirname(ncx_path), content.get("src")),
                                      one_line("".join(label.itertext())) if label is not None else "")
        chapters = []
        for ref in (e for e in spine if e.tag.endswith("}itemref") and e.get("linear") != "no"):
            name = part(base, items[ref.get("idref")].get("href"))
            root = ET.fromstring(z.read(name))
            heading = next((e for e in root.iter() if re.fullmatch(r"h[1-6]", e.tag.split("}")[-1])), None)
            title = titles.get(name, one_line("".join(heading.itertext())) if heading is not None else "")
            body = next(e for e in root.iter() if e.tag.endswith("}body"))
            chapters.append((title, words(" ".join(body.itertext()))))
    return chapters


def case_epub_chapters():
    """An EPUB passage names its chapter: every result's `chapter` is a spine item (from 1)
    whose words hold the quote's (a passage never crosses a chapter), its `chapter_title` the
    item's table-of-contents entry or first heading (null when none), and the text, Markdown and
    pandoc outputs give "chap. N" (pandoc's citation locator "[@key, chap. N]"). Queries: the longest word of each of a book's first chapters."""
    need_documents()
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        corpus = os.path.join(tmp, "corpus")
        os.makedirs(corpus)
        books = {}
        for name in sorted(os.listdir(os.path.join(DOCUMENTS, "epub"))):
            if name.endswith(".epub"):
                shutil.copy(os.path.join(DOCUMENTS, "epub", name), corpus)
                books[name] = epub_chapters(os.path.join(corpus, name))
        db = os.path.join(tmp, "db")
        run([INDEXER, "--db", db, corpus], expect_code=0)
        seen = collections.defaultdict(set)
        for name, chapters in books.items():
            queries = []
            for _, chapter_words in chapters[:8]:
                long_words = sorted((w for w in chapter_words if len(w) >= 5 and w.isalpha()), key=lambda w: (-len(w), w))
                if long_words:
                    queries.append(long_words[0])
            for word in queries:
                out = json.loads(run([SEARCHER, "--db", db, "--format", "json", "--limit", "50", word]).stdout or b"{}")
                for hit in out.get("results", []):
                    chapters = books[hit["source"]]
                    check(1 <= hit.get("chapter", 0) <= len(chapters), f"{hit['source']}: chapter {hit.get('chapter')}")
                    title, chapter_words = chapters[hit["chapter"] - 1]
                    check(hit["chapter_title"] == (title or None),
                          f"{hit['source']} chapter {hit['chapter']}: title {hit['chapter_title']!r}, expected {title!r}")
                    for e in hit["evidence"]:
                        check(not (words(e["quote"]) - chapter_words),
                              f"{hit['source']}: quote {e['quote']!r} not in chapter {hit['chapter']}")
                    seen[hit["source"]].add(hit["chapter"])
                    check("page" not in hit, f"{hit['source']}: a page for an EPUB passage")
        check(all(seen.get(name) for name in books), f"books without a checked result: {set(books) - {k for k, v in seen.items() if v}}")
        check(any(len(c) > 1 for c in seen.values()), f"results from one chapter per book only: {dict(seen)}")
        # The locator in the human-readable formats, for one result.
        name, chapters = next(iter(books.items()))
        word = sorted((w for _, cw in chapters for w in cw if len(w) >= 5 and w.isalpha()), key=lambda w: (-len(w), w))[0]
        hit = json.loads(run([SEARCHER, "--db", db, "--format", "json", "--limit", "1", word]).stdout)["results"][0]
        bibliography = os.path.join(tmp, "refs.json")
        for fmt in ("text", "markdown", "pandoc"):
            extra = ["--bibliography", bibliography] if fmt == "pandoc" else []
            out = run([SEARCHER, "--db", db, "--format", fmt, "--limit", "1", word] + extra, expect_code=0).stdout.decode()
            check(f"chap. {hit['chapter']}" in out, f"--format {fmt}: no 'chap. {hit['chapter']}' in\n{out}")
        check(re.search(r"\[@[^\]]*, chap\. %d\]" % hit["chapter"], out), f"pandoc citation with a chapter locator:\n{out}")
        print(f"chapters checked: { {k: sorted(v) for k, v in seen.items()} }")


def case_docx_and_epub_words():
    """DOCX: the same words as the document's w:t runs (tracked deletions left out: the pandoc
    test's accepted text); EPUB: the chapters' words (recall >= 0.95: the HTML extractor may drop
    navigation inside a chapter), nothing that is not in them."""
    need_documents()
    for path in sorted(os.path.join(DOCUMENTS, "docx", f) for f in os.listdir(os.path.join(DOCUMENTS, "docx"))
                       if f.endswith(".docx")):
        expected, got = docx_words(path), words(extract(path).decode())
        check(f1(expected, got) >= 0.98, f"{path}: F1 {f1(expected, got):.3f}; missing {expected - got}; extra {got - expected}")
    layer = extract(os.path.join(DOCUMENTS, "docx", "pandoc-track_changes_deletion.docx")).decode()
    check(layer.strip() == "This is a text with a deletion.", layer)  # pandoc's _accept.native
    for path in sorted(os.path.join(DOCUMENTS, "epub", f) for f in os.listdir(os.path.join(DOCUMENTS, "epub"))
                       if f.endswith(".epub")):
        expected, got = epub_words(path), words(extract(path).decode())
        common = sum((expected & got).values())
        check(common / max(sum(expected.values()), 1) >= 0.95, f"{path}: recall {common / sum(expected.values()):.3f}")
        check(not (got - expected), f"{path}: words not in the chapters: {got - expected}")


W_XMLNS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
ODT_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"')


def docx(paragraphs, styles):
    """A DOCX without document properties: `paragraphs` (pPr XML, text), `styles` (id, name, pPr XML)."""
    body = "".join(f"<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>" for ppr, text in paragraphs)
    style_xml = "".join(f'<w:style w:type="paragraph" w:styleId="{i}"><w:name w:val="{n}"/><w:pPr>{ppr}</w:pPr></w:style>'
                        for i, n, ppr in styles)
    return zip_bytes([("[Content_Types].xml", "<Types/>"),
                      ("word/document.xml", f"<w:document {W_XMLNS}><w:body>{body}</w:body></w:document>"),
                      ("word/styles.xml", f"<w:styles {W_XMLNS}>{style_xml}</w:styles>")])


def odt(blocks, automatic_styles):
    """An ODT without meta.xml: `blocks` (XML of text:p/text:h), `automatic_styles` (name, parent)."""
    styles = "".join(f'<style:style style:name="{n}" style:family="paragraph" style:parent-style-name="{p}"/>'
                     for n, p in automatic_styles)
    content = (f"<office:document-content {ODT_NS}><office:automatic-styles>{styles}</office:automatic-styles>"
               f"<office:body><office:text>{''.join(blocks)}</office:text></office:body></office:document-content>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content)
    return buf.getvalue()


def case_heading_styles():
    """DOCX and ODT heading paragraphs: each its own passage, and without a title in the
    document properties the first Title-style paragraph is the title, else the first level-1
    heading. DOCX styles by their name in word/styles.xml (ids are localised: "Titel",
    "berschrift1"), or an outline level in the paragraph or its style; ODT by text:h's
    outline level and the Title style an automatic style derives from."""
    files = {
        # A level-1 heading first, then a Title-style paragraph: the Title wins.
        "titled.docx": (docx([("", "Opening words of the draft."),
                              ('<w:pStyle w:val="berschrift1"/>', "Erste Kapitel"),
                              ('<w:pStyle w:val="Titel"/>', "Der Titel"),
                              ("", "The quick zebra jumps.")],
                             [("berschrift1", "heading 1", ""), ("Titel", "Title", "")]), "Der Titel"),
        # No Title style: the first level-1 heading, by the paragraph's own outline level (0 =
        # level 1) after a level-2 one by its style's outline level.
        "outlined.docx": (docx([("", "Opening words of the memo."),
                                ('<w:pStyle w:val="Sub"/>', "A level two heading"),
                                ('<w:outlineLvl w:val="0"/>', "The Memo Heading"),
                                ("", "The quick zebra sleeps.")],
                               [("Sub", "Zwischentitel", '<w:outlineLvl w:val="1"/>')]), "The Memo Heading"),
        "titled.odt": (odt(['<text:p text:style-name="Standard">Opening words of the report.</text:p>',
                            '<text:h text:outline-level="1">First Section</text:h>',
                            '<text:p text:style-name="P1">The Report Title</text:p>',
                            '<text:p text:style-name="Standard">The quick zebra runs.</text:p>'],
                           [("P1", "Title")]), "The Report Title"),
        "headed.odt": (odt(['<text:p>Opening words of the note.</text:p>',
                            '<text:h text:outline-level="2">Minor Section</text:h>',
                            '<text:h text:outline-level="1">Major Section</text:h>',
                            '<text:p>The quick zebra rests.</text:p>'], []), "Major Section"),
    }
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        corpus = os.path.join(tmp, "corpus")
        os.makedirs(corpus)
        for name, (data, _) in files.items():
            with open(os.path.join(corpus, name), "wb") as f:
                f.write(data)
        db = os.path.join(tmp, "db")
        run([INDEXER, "--db", db, corpus], expect_code=0)
        out = json.loads(run([SEARCHER, "--db", db, "--format", "json", "--limit", "10", "zebra"], expect_code=0).stdout)
        titles = {hit["source"]: hit["title"] for hit in out["results"]}
        check(titles == {name: title for name, (_, title) in files.items()}, f"titles: {titles}")
        for name, (_, title) in files.items():
            layer = extract(os.path.join(corpus, name)).decode()
            check(f"\n\n{title}\n\n" in layer, f"{name}: the heading {title!r} is not its own paragraph:\n{layer}")


def zip_bytes(entries, compression=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in entries:
            z.writestr(name, data)
    return buf.getvalue()


def case_hostile_documents():
    """Each bad file is named with its reason and skipped, the rest is indexed and committed, and the
    exit code is 2 (docs/indexing.md: bad input is named and skipped)."""
    docx_body = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
                 b'2006/main"><w:body><w:p><w:r><w:t>zzgoodword in a small document</w:t></w:r></w:p></w:body>'
                 b'</w:document>')
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        corpus = os.path.join(tmp, "corpus")
        os.makedirs(corpus)
        bad = {
            # 200 MiB of zeros deflate to about 200 KiB: refused by its ratio before inflating.
            "bomb.docx": (zip_bytes([("word/document.xml", b"\0" * (200 << 20))]), "zip bomb?"),
            "many.epub": (zip_bytes([(f"f{i}", b"") for i in range(10_001)], zipfile.ZIP_STORED), "zip bomb?"),
            "notzip.docx": (b"this is not a zip archive at all\n", "not a zip archive"),
            "nodoc.docx": (zip_bytes([("other.xml", b"<a/>")]), "word/document.xml"),
            "badxml.docx": (zip_bytes([("word/document.xml", b"<w:document><w:p>")]), "not well-formed"),
            "truncated.pdf": (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "not a readable PDF"),
            "empty.pdf": (b"", "not a readable PDF"),
        }
        for name, (data, _) in bad.items():
            with open(os.path.join(corpus, name), "wb") as f:
                f.write(data)
        with open(os.path.join(corpus, "good.docx"), "wb") as f:
            f.write(zip_bytes([("word/document.xml", docx_body)]))
        # A web page named .pdf is read as the page it is.
        with open(os.path.join(corpus, "page.pdf"), "wb") as f:
            f.write(b"<!DOCTYPE html><html><head><title>T</title></head><body><article><p>zzpageword is in a "
                    b"web page that was saved with the wrong name, as happens.</p></article></body></html>")
        db = os.path.join(tmp, "db")
        proc = run([INDEXER, "--db", db, corpus], expect_code=2)
        err = proc.stderr.decode()
        for name, (_, reason) in bad.items():
            check(any(name in line and reason in line for line in err.splitlines()), f"{name}: '{reason}' in {err}")
        for word, source in (("zzgoodword", "good.docx"), ("zzpageword", "page.pdf")):
            out = json.loads(run([SEARCHER, "--db", db, "--format", "json", word], expect_code=0).stdout)
            check([r["source"] for r in out["results"]] == [source], out)


# The WICG text directive grammar: TextDirectiveExplicitChar is an ASCII letter or digit or one of
# these; every other byte of the UTF-8 text is percent-encoded (so '-', ',' and '&' are).
EXPLICIT = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!$'()*+./:;=?@_~")


def directive_part(text):
    return "".join(chr(b) if b in EXPLICIT else "%%%02X" % b for b in " ".join(text.split()).encode())


def case_links_open_at_the_quote():
    """A web page with a canonical URL: every quote of a result links to the live page at the
    quote (a text fragment, with the words around it only when the quote's text stands twice in
    the page), JSON carries a W3C TextQuoteSelector with the quote and its context, and every
    quote is the `indexer --extract` layer at its byte range. A PDF given a URL by the catalog
    links to its page (`#page=N`) when ../shared/eval/documents is there."""
    url = "https://example.org/news/story?id=7&lang=en"
    repeated = "Prices rose again, a spokesman said."
    page = f"""<!DOCTYPE html><html><head><title>Grain prices</title>
<link rel="canonical" href="{url}"></head><body><article><h1>Grain prices</h1>
<p>The grain market opened early on Monday in Astana, where traders met before dawn. {repeated}
Wheat sold for more than it had in years, and barley followed.</p>
<p>By noon the mood had changed across the exchange floor and the traders were worried. {repeated}
Nobody expected the harvest to be this poor in the north.</p>
<p>A self-styled “bread council” — farmers, millers &amp; bakers — met at the café to talk it over,
and its chair called the season the worst since the drought of the nineties.</p>
</article></body></html>"""
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        corpus = os.path.join(tmp, "corpus")
        os.makedirs(corpus)
        with open(os.path.join(corpus, "grain.html"), "w", encoding="utf-8") as f:
            f.write(page)
        with_pdf = os.path.isdir(DOCUMENTS)
        pdf_name = "kz-https-interception-imc2020.pdf"
        pdf_url = "https://example.org/reports/interception.pdf"
        if with_pdf:
            shutil.copy(os.path.join(DOCUMENTS, "pdf", pdf_name), corpus)
            with open(os.path.join(corpus, "catalog.json"), "w", encoding="utf-8") as f:
                json.dump({"format_version": 1, "files": {pdf_name: {"url": pdf_url}}}, f)
        db = os.path.join(tmp, "db")
        run([INDEXER, "--db", db, corpus], expect_code=0)
        layer = extract(os.path.join(corpus, "grain.html"))
        check(layer.count(repeated.encode()) == 2, "the page's layer holds the repeated sentence twice")

        def results(query, fmt="json"):
            return run([SEARCHER, "--db", db, "--format", fmt, query], expect_code=0).stdout.decode()

        seen = {"repeated": 0, "unique": 0}
        for query in ("spokesman", "bakers council"):
            out = json.loads(results(query))
            schema_errors = list(search_validator().iter_errors(out))
            check(not schema_errors, f"search schema: {[(list(e.path), e.message) for e in schema_errors[:3]]}")
            for hit in (r for r in out["results"] if r["source"] == "grain.html"):
                check(hit["url"] == url, hit)
                for e in hit["evidence"]:
                    check(layer[e["start_byte"]:e["end_byte"]] == e["quote"].encode(), f"quote at its range: {e}")
                    check(e["selector"] == {"type": "TextQuoteSelector", "exact": e["quote"], "prefix": e["prefix"],
                                            "suffix": e["suffix"]}, e)
                    twice = layer.count(e["quote"].encode()) > 1
                    want = url + "#:~:text="
                    if twice:
                        seen["repeated"] += 1
                        want += (directive_part(e["prefix"]) + "-," if e["prefix"].strip() else "")
                        want += directive_part(e["quote"])
                        want += (",-" + directive_part(e["suffix"]) if e["suffix"].strip() else "")
                    else:
                        seen["unique"] += 1
                        want += directive_part(e["quote"])
                    check(e["link"] == want, f"link {e['link']!r}, expected {want!r}")
                    if "bakers" in e["quote"]:
                        check("%2D" in e["link"] and "%26" in e["link"] and "%E2%80%94" in e["link"], e["link"])
        check(seen["repeated"] >= 2 and seen["unique"] >= 1, f"quotes seen: {seen}")
        md = results("bakers council", "markdown")
        check("[open at the quote](<" + url + "#:~:text=" in md, md)
        text = results("bakers council", "text")
        check(any(line.strip().startswith(url + "#:~:text=") for line in text.splitlines()), text)
        if with_pdf:
            ref_pages = run(["pdftotext", os.path.join(corpus, pdf_name), "-"], expect_code=0).stdout.decode().split("\f")
            word, page_no = first_unique_word(ref_pages)
            out = json.loads(results(word))
            hits = [r for r in out["results"] if r["source"] == pdf_name]
            check(hits and hits[0]["page"] == page_no, f"{word} on page {page_no}: {out}")
            for e in hits[0]["evidence"]:
                check(e["link"] == f"{pdf_url}#page={page_no}", e)
            csl = json.loads(results(word, "csl-json"))
            check([item["URL"] for item in csl] == [pdf_url], csl)


def case_every_quote_is_its_layer():
    """Every quote of every result from the documents' web pages, DOCX, EPUB and PDF files is
    the `indexer --extract` layer at its byte range, its layer_sha256 is that layer's, and a PDF
    quote lies on the page its result names (pages split at the layer's form feeds). Queries:
    three long words of each file's own layer, so every file is searched."""
    need_documents()
    import hashlib
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        corpus = os.path.join(tmp, "corpus")
        os.makedirs(corpus)
        files = []
        for sub, ext in (("html", ".html"), ("docx", ".docx"), ("epub", ".epub")):
            for name in sorted(os.listdir(os.path.join(DOCUMENTS, sub))):
                if name.endswith(ext):
                    shutil.copy(os.path.join(DOCUMENTS, sub, name), corpus)
                    files.append(name)
        for name in ("kz-sge-legal-provisions-2017.pdf", "silkroad-journal-yatsenko-turkic-costume-2013.pdf"):
            shutil.copy(os.path.join(DOCUMENTS, "pdf", name), corpus)
            files.append(name)
        db = os.path.join(tmp, "db")
        run([INDEXER, "--db", db, corpus], expect_code=0)
        layers = {name: extract(os.path.join(corpus, name)) for name in files}
        checked = collections.Counter()
        for name in files:
            long_words = sorted(set(re.findall(r"[A-Za-z]{10,}", layers[name].decode())), key=lambda w: (-len(w), w))[:3]
            for word in long_words:
                out = json.loads(run([SEARCHER, "--db", db, "--format", "json", "--limit", "50", word]).stdout or b"{}")
                for hit in out.get("results", []):
                    layer = layers[hit["source"]]
                    check(hit["layer_sha256"] == hashlib.sha256(layer).hexdigest(), f"{hit['source']}: layer_sha256")
                    for e in hit["evidence"]:
                        check(layer[e["start_byte"]:e["end_byte"]] == e["quote"].encode(),
                              f"{hit['source']}: quote at {e['start_byte']}-{e['end_byte']}: {e['quote']!r}")
                        if hit["source"].endswith(".pdf"):
                            pages = layer.split(b"\f")
                            start = sum(len(p) + 1 for p in pages[:hit["page"] - 1])
                            check(start <= e["start_byte"] and e["end_byte"] <= start + len(pages[hit["page"] - 1]),
                                  f"{hit['source']}: quote on page {hit['page']}: {e}")
                        checked[os.path.splitext(hit["source"])[1]] += 1
        check(all(checked[ext] > 0 for ext in (".html", ".docx", ".epub", ".pdf")), f"quotes checked: {checked}")
        print(f"quotes checked against the layer: {dict(checked)}")


CASES = {name[len("case_"):]: fn for name, fn in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        sys.exit(f"usage: documents_test.py {{{','.join(CASES)}}}")
    try:
        CASES[sys.argv[1]]()
    except Failure as e:
        print(f"FAILED {sys.argv[1]}: {e}", file=sys.stderr)
        sys.exit(1)
    print(f"passed {sys.argv[1]}")
