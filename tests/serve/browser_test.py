#!/usr/bin/env python3
"""The web page of `searcher serve` in headless Chromium (Debian's chromium and chromium-driver,
driven by python3-selenium). Run by CTest, one case per invocation: browser_test.py CASE.

Environment as serve_test.py, plus ARTIFACT_DIR where each view's screenshot is written. A
case exits 77 (skipped) when chromium, chromedriver or selenium is missing. Expectations come
from the corpus files' bytes and the CLI's output, never from the page's own earlier state.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from serve_test import (CORPUS, INDEXER, SEARCHER, WORK_DIR, Server, cli, dated_db, expected_files,  # noqa: E402
                        index, shipped_db)

SKIP = 77
ARTIFACT_DIR = os.environ.get("ARTIFACT_DIR", WORK_DIR)
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:
    # Debian's python3-selenium is installed for the system Python; another python3 first on
    # PATH (a virtualenv) would not see it.
    if os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") and os.path.exists("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv])
    webdriver = None


def browser(profile):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1200,900"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


class Page:
    def __init__(self, server):
        self.base = f"http://127.0.0.1:{server.port}"
        self.profile = tempfile.mkdtemp(prefix="cite-chromium-")
        self.driver = browser(self.profile)

    def open(self, path="/"):
        self.driver.get(self.base + path)

    def wait(self, css, timeout=20):
        return WebDriverWait(self.driver, timeout).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))

    def wait_status(self, timeout=20):
        def done(d):
            text = d.find_element(By.ID, "status").text
            return text and not text.endswith("…")
        WebDriverWait(self.driver, timeout).until(done)
        return self.driver.find_element(By.ID, "status").text

    def all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def shot(self, name):
        os.makedirs(ARTIFACT_DIR, exist_ok=True)
        self.driver.save_screenshot(os.path.join(ARTIFACT_DIR, f"serve-{name}.png"))

    def console_errors(self):
        return [e for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]

    def close(self):
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)


def file_bytes(source):
    with open(os.path.join(CORPUS, source), "rb") as f:
        return f.read()


def case_views():
    db = shipped_db()
    with Server(db) as server:
        page = Page(server)
        try:
            # Type a query after pressing "/" and see results.
            page.open("/")
            page.driver.find_element(By.TAG_NAME, "body").send_keys("/")
            assert page.driver.switch_to.active_element.get_attribute("id") == "q"
            page.driver.switch_to.active_element.send_keys('"31 billion"', Keys.ENTER)
            page.wait(".result")
            page.wait_status()
            page.shot("search")
            assert "q=%2231+billion%22" in page.driver.current_url
            # Each highlighted word equals the file's bytes at the range the result cites.
            quote = page.all(".result blockquote")[0]
            start, end = int(quote.get_attribute("data-start")), int(quote.get_attribute("data-end"))
            source = page.all(".result .view-source")[0].get_attribute("href")
            params = urllib.parse.parse_qs(urllib.parse.urlparse(source).query)
            raw = file_bytes(params["source"][0])
            assert quote.text == raw[start:end].decode()
            marks = [m.text for m in quote.find_elements(By.TAG_NAME, "mark")]
            assert marks == ["$31 billion"], marks
            # The query is a figure, so the mark says it matched as one (docs/searching.md).
            mark = quote.find_elements(By.TAG_NAME, "mark")[0]
            assert mark.get_attribute("class") == "m-figure", mark.get_attribute("class")
            assert mark.get_attribute("title").startswith("figure: 31000000000"), mark.get_attribute("title")
            # A copied citation's content (the button keeps what it copied).
            button = [b for b in page.all(".result button") if b.text == "Copy plain text"][0]
            button.click()
            copied = button.get_attribute("data-copied")
            assert raw[start:end].decode() in copied and f"bytes {start}–{end}" in copied
            # The viewer highlights the quote: the marked text is the file's bytes at the range.
            page.all(".result .view-source")[0].click()
            page.wait("pre.source mark")
            page.shot("source")
            mark_text = "".join(m.text for m in page.all("pre.source mark"))
            assert mark_text == raw[start:end].decode()
            # A permalink restores the view, and the back button returns to the results.
            permalink = page.driver.find_element(By.ID, "permalink").get_attribute("href")
            page.driver.back()
            page.wait(".result")
            page.open(urllib.parse.urlparse(permalink).path + "?" + urllib.parse.urlparse(permalink).query)
            page.wait("pre.source mark")
            assert "".join(m.text for m in page.all("pre.source mark")) == raw[start:end].decode()
            # Mention counts equal the CLI's.
            page.open("/?view=mentions&q=TITR")
            page.wait(".chart")
            page.wait_status()
            page.shot("mentions")
            counts = json.loads(cli(db, "--format", "json", "--count", "TITR"))["mentions"]
            charts = page.all(".chart")
            bars = [(b.get_attribute("aria-label")) for b in charts[0].find_elements(By.CLASS_NAME, "bar")]
            assert bars == [f"{f['source']}: {f['count']}" for f in counts["per_file"]], bars
            aliases = [(b.get_attribute("aria-label")) for b in charts[1].find_elements(By.CLASS_NAME, "bar")]
            assert aliases == [f"{a['alias']}: {a['count']}" for a in counts["per_alias"]], aliases
            assert page.wait_status().startswith(f"{counts['total']} mention(s)")
            # A claim check shows its verdict (the CLI's for the same claim).
            claim = "China–Kazakhstan trade hit $41 billion in 2023"
            page.open("/?" + urllib.parse.urlencode({"view": "check", "q": claim}))
            page.wait(".verdict")
            page.shot("check")
            verdict = json.loads(cli(db, "check", "--format", "json", claim))["claims"][0]["verdict"]
            assert page.all(".verdict")[0].text == "Verdict: " + verdict
            assert not page.driver.find_element(By.ID, "filters").is_displayed()  # search filters only
            page.open("/?" + urllib.parse.urlencode({"view": "quote", "q": "China has become the country's largest trade partner"}))
            page.wait(".verdict")
            page.shot("quote")
            page.open("/?view=facts&q=Middle+Corridor")
            page.wait("table")
            page.shot("facts")
            # Usable at 360 px: nothing wider than the window.
            page.driver.set_window_size(360, 800)
            page.open("/?view=search&q=TITR")
            page.wait(".result")
            width = page.driver.execute_script("return document.documentElement.scrollWidth")
            inner = page.driver.execute_script("return window.innerWidth")
            page.shot("search-360")
            assert width <= inner, (width, inner)
            errors = page.console_errors()
            assert not errors, errors
        finally:
            page.close()


def case_date_range():
    """The date range and order filters: typed into the form, kept in the URL, restored by a link."""
    db = dated_db()
    with Server(db) as server:
        page = Page(server)
        try:
            page.open("/?view=search")
            page.driver.find_element(By.ID, "q").send_keys("grain")
            page.driver.find_element(By.ID, "f-from").send_keys("2023-01")
            page.driver.find_element(By.ID, "f-to").send_keys("2024-06")
            Select(page.driver.find_element(By.ID, "f-sort")).select_by_value("date")
            page.driver.find_element(By.CSS_SELECTOR, "#query-form button[type=submit]").click()
            page.wait(".result")
            page.wait_status()
            page.shot("date-range")
            url = page.driver.current_url
            query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
            assert query["from"] == ["2023-01"] and query["to"] == ["2024-06"] and query["sort"] == ["date"], url
            # The results: the CLI's for the same range and order, and the files the catalog dates within it.
            expected = json.loads(cli(db, "--format", "json", "--sort", "date", "grain date:2023-01..2024-06"))
            citations = [c.text.split(". ", 1)[1] for c in page.all(".result .citation")]
            assert citations == [r["citation"] for r in expected["results"]], (citations, expected["results"])
            assert {r["source"] for r in expected["results"]} == expected_files("2023-01", "2024-06")
            # A link restores the form and the results; the back button returns to the empty form.
            page.open(urllib.parse.urlparse(url).path + "?" + urllib.parse.urlparse(url).query)
            page.wait(".result")
            assert page.driver.find_element(By.ID, "f-from").get_attribute("value") == "2023-01"
            assert page.driver.find_element(By.ID, "f-to").get_attribute("value") == "2024-06"
            assert page.driver.find_element(By.ID, "f-sort").get_attribute("value") == "date"
            assert [c.text.split(". ", 1)[1] for c in page.all(".result .citation")] == citations
            # A wrong date: the API's error, shown in the status line.
            page.open("/?view=search&q=grain&from=2024-13")
            assert "is not a date" in page.wait_status(), page.wait_status()
            # Copy BibTeX: the entry the CLI writes for that one result.
            page.open("/?view=search&q=grain&sort=date-asc")
            page.wait(".result")
            button = [b for b in page.all(".result button") if b.text == "Copy BibTeX"][0]
            button.click()
            WebDriverWait(page.driver, 10).until(lambda d: button.get_attribute("data-copied"))
            bibtex = cli(db, "--format", "bibtex", "--sort", "date-asc", "-n", "1", "grain").decode()
            assert button.get_attribute("data-copied") == bibtex, (button.get_attribute("data-copied"), bibtex)
            errors = page.console_errors()
            assert all("/api/search" in e["message"] and "400" in e["message"] for e in errors), errors
        finally:
            page.close()


HOSTILE = {
    "hostile_a.txt": "The <script>window.__pwned = 1</script> corridor note.\n\n"
                     "An image <img src=x onerror=\"window.__pwned = 2\"> in the corridor.\n",
    "hostile_b.txt": "A [link](javascript:window.__pwned=3) and <a href=\"javascript:window.__pwned=4\">corridor</a>.\n\n"
                     "\"><svg onload=window.__pwned=5> corridor\n",
}


def case_hostile_corpus_is_inert():
    corpus = os.path.join(WORK_DIR, "hostile-corpus")
    shutil.rmtree(corpus, ignore_errors=True)
    os.makedirs(corpus)
    for name, text in HOSTILE.items():
        with open(os.path.join(corpus, name), "w", encoding="utf-8") as f:
            f.write(text)
    with open(os.path.join(corpus, "catalog.json"), "w", encoding="utf-8") as f:
        json.dump({"format_version": 1, "files": {"hostile_a.txt": {
            "title": "<img src=x onerror=window.__pwned=6>", "authors": ["<script>window.__pwned=7</script>"]}}}, f)
    db = os.path.join(WORK_DIR, "hostile.db")
    shutil.rmtree(db, ignore_errors=True)
    index(corpus, db)
    with Server(db) as server:
        page = Page(server)
        try:
            for path in ["/?view=search&q=corridor", "/?view=mentions&q=corridor", "/?view=sources",
                         "/?view=source&source=hostile_a.txt&start=4&end=40", "/?view=source&source=hostile_b.txt",
                         "/?view=facts&q=corridor"]:
                page.open(path)
                page.wait_status()
                time.sleep(0.3)
                assert page.driver.execute_script("return window.__pwned === undefined"), path
                # No element from the corpus: only the page's own tags, and no javascript: link.
                for tag in ("img", "svg", "iframe"):
                    assert not page.all(tag), (path, tag)
                assert len(page.all("script")) == 1, path
                for a in page.all("a"):
                    assert not (a.get_attribute("href") or "").lower().startswith("javascript:"), path
            page.open("/?view=search&q=corridor")
            page.wait(".result")
            page.shot("hostile")
            text = page.driver.find_element(By.ID, "results").text
            assert "<script>window.__pwned = 1</script>" in text or "<img src=x onerror" in text
        finally:
            page.close()


def main():
    if webdriver is None or not os.path.exists(CHROMIUM) or not os.path.exists(CHROMEDRIVER):
        print("skipped: needs chromium, chromium-driver and python3-selenium (scripts/setup)")
        sys.exit(SKIP)
    globals()["case_" + sys.argv[1]]()


if __name__ == "__main__":
    main()
