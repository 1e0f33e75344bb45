// Source readers (passage/source_reader.hpp): the choice of reader, legacy encodings, saved web
// pages (main text and metadata), exclude patterns. Expected texts are written out in the test
// from the input's own bytes, never taken from the program's output.

#include "cite/error.hpp"
#include "cite/passage/corpus_inputs.hpp"
#include "cite/passage/html_extractor.hpp"
#include "cite/passage/source_reader.hpp"
#include "cite/passage/text_decoding.hpp"

#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace cite::passage;

namespace {

// ISO-8859-1 to UTF-8 by the definition of both: a byte is its code point.
std::string latin1_to_utf8(std::string_view latin1) {
    std::string out;
    for (const char ch : latin1) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

const char* const article_page = R"(<!DOCTYPE html>
<html><head><title>Rail freight grows | Example News</title>
<meta property="og:title" content="Rail freight grows">
<link rel="canonical" href="https://news.example.org/rail-freight">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Rail freight on the Middle Corridor grows", "datePublished": "2024-03-05T10:00:00Z",
 "author": [{"@type": "Person", "name": "Ann Writer"}, {"@type": "Person", "name": "Bo Reporter"}],
 "publisher": {"@type": "Organization", "name": "Example News"}}</script>
<meta name="citation_doi" content="10.1234/example.5678">
<style>p { color: red }</style></head>
<body>
<nav class="menu"><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav>
<header class="site-header"><a href="/">Example News</a></header>
<div id="main"><article class="post-content">
<h1>Rail freight on the Middle Corridor grows</h1>
<p>Freight volumes on the Trans-Caspian route rose sharply in 2023, officials said, as shippers looked for ways around the northern route &amp; its delays.</p>
<p>Kazakhstan, Azerbaijan and Georgia agreed to cut transit times, simplify customs, and build new terminals at the ports of Aktau, Baku and Poti.</p>
<p>The first line of an address<br>and its second line, which belong to one paragraph in the page, with commas, as such.</p>
<div class="share-buttons"><a href="#">Share</a> <a href="#">Tweet</a></div>
</article></div>
<aside class="sidebar"><h3>Related</h3><ul><li><a href="/a">Another story about rail, ports and trade</a></li></ul></aside>
<footer class="footer">Copyright Example News. All rights reserved, everywhere, forever.</footer>
<script>var tracking = "Freight volumes";</script>
</body></html>)";

}  // namespace

TEST_CASE("A reader is chosen by content, then by name", "[sources]") {
    CHECK(reader_for("notes.txt", "Plain text.\n") == &text_reader());
    CHECK(reader_for("page.txt", "  <!DOCTYPE html><html><body>x</body></html>") == &html_reader());
    CHECK(reader_for("page.html", "<p>fragment</p>") == &html_reader());
    CHECK(reader_for("PAGE.HTM", "") == &html_reader());
    CHECK(reader_for("picture.png", "\x89PNG\r\n\x1a\n") == nullptr);
    CHECK(reader_for("book.epub", "PK\x03\x04") == &container_reader(ContainerKind::epub));
    CHECK(reader_for("draft.DOCX", "PK\x03\x04") == &container_reader(ContainerKind::docx));
    CHECK(reader_for("sheet.xlsx", "PK\x03\x04") == nullptr);  // a zip of another kind
    // EPUB and ODT name their kind in a first, stored "mimetype" entry (30-byte local header).
    const std::string epub_head = std::string("PK\x03\x04") + std::string(26, '\0') + "mimetypeapplication/epub+zip";
    CHECK(reader_for("book.zip", epub_head) == &container_reader(ContainerKind::epub));
    CHECK(reader_for("report.txt", "%PDF-1.7\n%\xE2\xE3") == &pdf_reader());
    CHECK(reader_for("report.pdf", "<!DOCTYPE html><html>") == &html_reader());
    CHECK(reader_for("damaged.pdf", "garbage") == &pdf_reader());  // named with its reason when read
}

TEST_CASE("A Latin-1 text file is converted; its byte ranges point into the converted text", "[sources]") {
    cite::test::TempDir dir;
    const std::string latin1 =
        "Chelsea sack Mutu\n\nChelsea have sacked Adrian Mutu after he failed a drugs test. The 25-year-old "
        "tested positive for a banned substance in October. Chelsea have decided to write off a possible transfer "
        "fee for Mutu, a \xA3" "15.8m signing from Parma last season, and the caf\xE9 owner was na\xEFve.\n";
    const auto path = dir.write("article.txt", latin1);
    const SourceContent content = text_reader().read(SourceFile{path, "article.txt", nullptr});
    const std::string utf8 = latin1_to_utf8(latin1);
    CHECK(content.layer == utf8);
    CHECK(content.extractor == decoded_text_extractor);
    CHECK(content.sha256.size() == 64);
    CHECK(content.bytes == latin1.size());
    REQUIRE(content.documents.size() == 1);
    const auto& passages = content.documents[0].passages;
    REQUIRE(passages.size() == 2);
    CHECK(passages[0].text == "Chelsea sack Mutu");
    for (const Passage& p : passages) CHECK(content.layer.substr(p.bytes.begin, p.bytes.size()) == p.text);
    CHECK(passages[1].text.find("\xC2\xA3" "15.8m") != std::string::npos);  // £ is two bytes in UTF-8
    CHECK(text_layer(path) == utf8);
}

TEST_CASE("UTF-8 text keeps its own bytes; UTF-16 is decoded by its byte-order mark", "[sources]") {
    cite::test::TempDir dir;
    const auto utf8 = dir.write("a.txt", "Caf\xC3\xA9 one.\n\nTwo.\n");
    const SourceContent plain = text_reader().read(SourceFile{utf8, "a.txt", nullptr});
    CHECK(plain.layer.empty());
    CHECK(plain.extractor.empty());
    CHECK(text_layer(utf8) == "Caf\xC3\xA9 one.\n\nTwo.\n");

    std::string utf16 = "\xFF\xFE";
    for (const char c : std::string("Hello world.\n\nSecond.\n")) {
        utf16 += c;
        utf16 += '\0';
    }
    const DecodedText decoded = decode_text(utf16);
    CHECK(decoded.utf8 == "Hello world.\n\nSecond.\n");
    CHECK(decoded.found_by == "byte-order mark");
}

TEST_CASE("Bytes whose encoding cannot be determined are refused, naming the first bad byte", "[sources]") {
    // 0x81 is undefined in windows-1252 and a control character in ISO-8859-1: no text holds it.
    CHECK_THROWS_WITH(decode_text("valid start \x81 invalid"), Catch::Contains("invalid UTF-8 at byte offset 12"));
    CHECK_THROWS_WITH(decode_text(std::string("ab\xFF\0cd", 6)), Catch::Contains("binary data"));
}

TEST_CASE("An HTML page's declared charset is read", "[sources]") {
    CHECK(declared_html_charset("<html><head><meta charset=\"windows-1252\">") == "windows-1252");
    CHECK(declared_html_charset("<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=ISO-8859-1\">") ==
          "iso-8859-1");
    CHECK(declared_html_charset("<html><body>no declaration</body></html>").empty());
    const std::string page = "<html><head><meta charset=\"windows-1252\"></head><body><p>Caf\xE9 \x93quoted\x94</p></body></html>";
    const DecodedText decoded = decode_text(page, declared_html_charset(page));
    CHECK(decoded.found_by == "declared");
    // windows-1252: 0x93 and 0x94 are curly double quotes, U+201C and U+201D.
    CHECK(decoded.utf8.find("Caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D") != std::string::npos);
}

TEST_CASE("A web page gives its article's paragraphs, without navigation, asides or footers", "[sources]") {
    const HtmlPage page = extract_html(article_page);
    std::vector<std::string> paragraphs;
    for (const auto& r : page.paragraphs) paragraphs.push_back(page.text.substr(r.begin, r.size()));
    const std::vector<std::string> expected = {
        "Freight volumes on the Trans-Caspian route rose sharply in 2023, officials said, as shippers looked for "
        "ways around the northern route & its delays.",
        "Kazakhstan, Azerbaijan and Georgia agreed to cut transit times, simplify customs, and build new terminals "
        "at the ports of Aktau, Baku and Poti.",
        "The first line of an address\nand its second line, which belong to one paragraph in the page, with "
        "commas, as such."};
    CHECK(paragraphs == expected);
    // Paragraphs are separated by a blank line: the layer is their concatenation.
    CHECK(page.text == expected[0] + "\n\n" + expected[1] + "\n\n" + expected[2]);
    for (const char* furniture : {"Home", "Related", "Copyright", "Tweet", "tracking", "color"})
        CHECK(page.text.find(furniture) == std::string::npos);
}

TEST_CASE("A web page's metadata comes from JSON-LD, citation tags and the canonical link", "[sources]") {
    const HtmlPage page = extract_html(article_page);
    CHECK(page.meta.title == "Rail freight on the Middle Corridor grows");
    CHECK(page.meta.authors == std::vector<std::string>{"Ann Writer", "Bo Reporter"});
    CHECK(page.meta.date == "2024-03-05");
    CHECK(page.meta.url == "https://news.example.org/rail-freight");
    CHECK(page.meta.doi == "10.1234/example.5678");

    const HtmlPage scholarly = extract_html(
        "<html><head><title>x</title><meta name=\"citation_title\" content=\"On Trade\">"
        "<meta name=\"citation_author\" content=\"Lee, A.\"><meta name=\"citation_author\" content=\"Kim, B.\">"
        "<meta name=\"citation_publication_date\" content=\"2021/06/01\">"
        "<meta name=\"citation_journal_title\" content=\"Journal of Routes\">"
        "<meta name=\"DC.publisher\" content=\"Route Press\"></head><body><p>Text.</p></body></html>");
    CHECK(scholarly.meta.title == "On Trade");
    CHECK(scholarly.meta.authors == std::vector<std::string>{"Lee, A.", "Kim, B."});
    CHECK(scholarly.meta.date == "2021");  // "2021/06/01" is not ISO: the year is certain
    CHECK(scholarly.meta.container_title == "Journal of Routes");
    CHECK(scholarly.meta.publisher == "Route Press");
}

TEST_CASE("A web page's byline follows Readability's rules", "[sources]") {
    const std::string body =
        "<body><article><h1>T</h1><p>A paragraph long enough to be the article, with commas, words and more "
        "words, so that it scores as the main text of this small page.</p></article>";
    // article:author is read from a property (og:article:author too), never from a name.
    const HtmlPage by_property = extract_html(
        "<html><head><meta property=\"og:article:author\" content=\"BBC News\"></head>" + body + "</body></html>");
    CHECK(by_property.meta.authors == std::vector<std::string>{"BBC News"});
    const HtmlPage by_name = extract_html(
        "<html><head><meta name=\"article:author\" content=\"Meta Name\"></head>" + body +
        "<p class=\"byline\">Page Byline</p></body></html>");
    CHECK(by_name.meta.authors.empty());
    CHECK(by_name.byline == "Page Byline");
    // A profile URL is no name; an author tag with a URL beside the name is kept as written.
    const HtmlPage profile = extract_html(
        "<html><head><meta property=\"article:author\" content=\"https://example.org/u/1\"></head>" + body + "</body></html>");
    CHECK(profile.meta.authors.empty());
    const HtmlPage with_url = extract_html(
        "<html><head><meta name=\"author\" content=\"Ann Lee (http://example.org/ann/)\"></head>" + body + "</body></html>");
    CHECK(with_url.meta.authors == std::vector<std::string>{"Ann Lee (http://example.org/ann/)"});
    // A byline inside an aside, which the extractor drops, is still found (its itemprop=name).
    const HtmlPage in_aside = extract_html(
        "<html><head></head>" + body +
        "<aside><p><span itemprop=\"author\"><span itemprop=\"name\">Nicolas P</span> \u2014</span></p></aside></body></html>");
    CHECK(in_aside.byline == "Nicolas P");
}

TEST_CASE("The HTML reader's passages are byte ranges of its layer; the catalog overrides", "[sources]") {
    cite::test::TempDir dir;
    const auto path = dir.write("saved.txt", article_page);  // a page saved as .txt is still a page
    const auto catalog_path = dir.write("catalog.json", R"({"files": {"saved.txt": {"title": "Catalog title"}}})");
    const Catalog catalog = Catalog::load(catalog_path);
    const SourceReader* reader = reader_for_file(path);
    REQUIRE(reader == &html_reader());
    const SourceContent content = reader->read(SourceFile{path, "saved.txt", &catalog});
    CHECK(content.kind == "html");
    CHECK(content.extractor == html_extractor_version);
    CHECK(content.layer == text_layer(path));
    REQUIRE(content.documents.size() == 1);
    CHECK(content.documents[0].meta.title == "Catalog title");
    CHECK(content.documents[0].meta.authors == std::vector<std::string>{"Ann Writer", "Bo Reporter"});
    REQUIRE(content.documents[0].passages.size() == 3);
    for (const Passage& p : content.documents[0].passages) {
        CHECK(content.layer.substr(p.bytes.begin, p.bytes.size()) == p.text);
        CHECK(p.line == 0);
    }
}

TEST_CASE("Hostile pages: deep nesting, broken markup and size are bounded", "[sources]") {
    std::string deep;
    for (int i = 0; i < 1000; ++i) deep += "<div>";
    deep += "<p>Deep text, with a comma, inside a thousand divisions of the page.</p>";
    const HtmlPage nested = extract_html(deep);  // must return, not overflow the stack
    CHECK(nested.text.size() < deep.size());
    const HtmlPage broken = extract_html("<html><body><p>Unclosed <b>bold <i>text, still read, as a browser would");
    CHECK(broken.text.find("Unclosed bold text, still read") != std::string::npos);
    CHECK(extract_html("").text.empty());
    HtmlLimits small;
    small.max_bytes = 10;
    CHECK_THROWS_AS(extract_html("<p>more than ten bytes</p>", small), cite::CorpusError);
}

TEST_CASE("Exclude patterns match names at any depth, or paths from the root", "[sources]") {
    const std::vector<std::string> patterns = {"*.tmp", "drafts", "archive/2019/*"};
    CHECK(is_excluded("notes.tmp", patterns));
    CHECK(is_excluded("a/b/notes.tmp", patterns));
    CHECK(is_excluded("drafts/x.txt", patterns));
    CHECK(is_excluded("a/drafts/x.txt", patterns));
    CHECK(is_excluded("archive/2019/x.txt", patterns));
    CHECK_FALSE(is_excluded("archive/2020/x.txt", patterns));
    CHECK_FALSE(is_excluded("notes.txt", patterns));
    CHECK_FALSE(is_excluded("drafts.txt", patterns));
}

TEST_CASE("A corpus directory's .citeignore and --exclude leave files out", "[sources]") {
    cite::test::TempDir dir;
    dir.write("keep.txt", "k");
    dir.write("skip.txt", "s");
    dir.write("old/a.txt", "a");
    dir.write("photo.png", "p");
    dir.write(".citeignore", "# comment\nold\n\n");
    const CorpusInputs inputs = resolve_corpus_inputs({dir.path()}, {}, {"skip.*"});
    std::vector<std::string> sources;
    for (const InputFile& f : inputs.files) sources.push_back(f.source);
    CHECK(sources == std::vector<std::string>{"keep.txt", "photo.png"});
}
