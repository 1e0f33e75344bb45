// Paragraph segmentation, exact byte ranges, source checks, the catalog and JSON Lines.
// Expected ranges are found in the test's own text with std::string::find.

#include "cite/error.hpp"
#include "cite/passage/alias_file.hpp"
#include "cite/passage/catalog.hpp"
#include "cite/passage/corpus_reader.hpp"
#include "cite/passage/paragraph_splitter.hpp"
#include "cite/passage/source_text.hpp"

#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace cite::passage;

namespace {

std::vector<std::string> paragraphs(const std::string& text, std::size_t start = 0) {
    std::vector<std::string> out;
    for (const Paragraph& p : split_paragraphs(text, start)) out.push_back(text.substr(p.bytes.begin, p.bytes.size()));
    return out;
}

std::vector<std::uint32_t> lines(const std::string& text, std::size_t start = 0) {
    std::vector<std::uint32_t> out;
    for (const Paragraph& p : split_paragraphs(text, start)) out.push_back(p.line);
    return out;
}

const std::string wrapped_a =
    "It was the best of times, it was the worst of times, it was the age of\n"
    "wisdom, it was the age of foolishness, it was the epoch of belief, it\n"
    "was the epoch of incredulity.";
const std::string wrapped_b =
    "There were a king with a large jaw and a queen with a plain face, on the\n"
    "throne of England.";

}  // namespace

TEST_CASE("Every non-blank line of unwrapped text is a paragraph", "[passage]") {
    const std::string text = "Title line\nTitle line\nBy Someone\n" + std::string(300, 'x') + "\nShort\n";
    CHECK(paragraphs(text) == std::vector<std::string>{"Title line", "Title line", "By Someone", std::string(300, 'x'), "Short"});
    CHECK(lines(text) == std::vector<std::uint32_t>{1, 2, 3, 4, 5});
}

TEST_CASE("Blank lines separate paragraphs; white-space-only lines are blank", "[passage]") {
    const std::string text = "First one.\n\n\n  Second, indented.  \n \t\n\u00A0\nThird.";
    CHECK(paragraphs(text) == std::vector<std::string>{"First one.", "Second, indented.", "Third."});
    CHECK(lines(text) == std::vector<std::uint32_t>{1, 4, 7});
}

TEST_CASE("A hard-wrapped block is one paragraph with its line breaks", "[passage]") {
    const std::string text = wrapped_a + "\n\n" + wrapped_b + "\n";
    CHECK(paragraphs(text) == std::vector<std::string>{wrapped_a, wrapped_b});
    CHECK(lines(text) == std::vector<std::uint32_t>{1, 5});
}

TEST_CASE("Short lines and lists are not taken for wrapped text", "[passage]") {
    CHECK(paragraphs("382\nViews\n1\nCrossRef citations to date\n").size() == 4);
    const std::string list = "Shopping list for the whole week, to be read twice:\n"
                             "- eggs and a great deal of flour for the bread\n"
                             "- milk, butter and some other things as well";
    CHECK(paragraphs(list).size() == 3);
}

TEST_CASE("CRLF line ends: CR is not part of a paragraph, wrapped ones keep inner CRLF", "[passage]") {
    std::string crlf_wrapped = wrapped_a;
    for (std::size_t pos = 0; (pos = crlf_wrapped.find('\n', pos)) != std::string::npos; pos += 2)
        crlf_wrapped.replace(pos, 1, "\r\n");
    const std::string text = "Heading\r\n\r\n" + crlf_wrapped + "\r\n\r\nLast\r\n";
    const auto got = paragraphs(text);
    REQUIRE(got.size() == 3);
    CHECK(got[0] == "Heading");
    CHECK(got[1] == crlf_wrapped);
    CHECK(got[2] == "Last");
    CHECK(lines(text) == std::vector<std::uint32_t>{1, 3, 7});
}

TEST_CASE("Byte ranges are exact, after a BOM too", "[passage]") {
    const std::string body = "Beşer — first.\n\nKazakhstan’s second “paragraph”.\n";
    const std::string text = "\xEF\xBB\xBF" + body;
    REQUIRE(utf8_bom_length(text) == 3);
    const auto paras = split_paragraphs(text, 3);
    REQUIRE(paras.size() == 2);
    CHECK(paras[0].bytes.begin == 3);
    CHECK(paras[0].bytes.end == text.find(".\n") + 1);
    CHECK(paras[1].bytes.begin == text.find("Kazakhstan"));
    CHECK(text.substr(paras[1].bytes.begin, paras[1].bytes.size()) == "Kazakhstan’s second “paragraph”.");
    CHECK(paras[1].line == 3);
}

TEST_CASE("Empty and blank text has no paragraphs", "[passage]") {
    CHECK(split_paragraphs("").empty());
    CHECK(split_paragraphs("\n\n  \n").empty());
}

TEST_CASE("check_text rejects what cannot be quoted exactly", "[passage]") {
    auto [bytes, message] = GENERATE(table<std::string, std::string>({
        {std::string("ab\0cd", 5), "NUL byte at byte offset 2"},
        {"\xFF\xFEh\0i\0", "UTF-16"},
        {std::string("\0\0\xFE\xFF\0\0\0h", 8), "UTF-16 or UTF-32"},  // UTF-32BE (was "binary data")
        {"good\xC3(", "invalid UTF-8 at byte offset 4"},
    }));
    CAPTURE(message);
    REQUIRE_THROWS_AS(check_text(bytes), cite::CorpusError);
    REQUIRE_THROWS_WITH(check_text(bytes), Catch::Contains(message));
    CHECK_NOTHROW(check_text("Beşer\r\n"));
}

TEST_CASE("Text files are read whole, binary ones refused from their first block", "[passage]") {
    cite::test::TempDir dir;
    // 200 KiB of text over several read blocks comes back byte for byte.
    std::string text;
    for (std::size_t i = 0; text.size() < (200U << 10); ++i) text += "line " + std::to_string(i) + " Beşer\n";
    CHECK(read_text_file_bytes(dir.write("big.txt", text)) == text);
    CHECK(read_file_bytes(dir.write("big2.txt", text)) == text);
    // A NUL in the first block: refused before the rest is read. A UTF-32 mark is not: such
    // text is decoded (text_decoding.hpp), NUL bytes and all.
    std::string binary(std::string("\x7F" "ELF\0", 5) + std::string(300U << 10, 'x'));
    REQUIRE_THROWS_WITH(read_text_file_bytes(dir.write("a.bin.txt", binary)),
                        Catch::Contains("binary data (NUL byte at byte offset 4)"));
    CHECK(read_text_file_bytes(dir.write("u32.txt", std::string("\0\0\xFE\xFF\0\0\0h", 8))).size() == 8);
    // A NUL beyond the first block is check_text's to find, over the whole text.
    std::string late(100U << 10, 'a');
    late += '\0';
    CHECK(read_text_file_bytes(dir.write("late.txt", late)).size() == late.size());
    REQUIRE_THROWS_WITH(check_text(late), Catch::Contains("NUL byte at byte offset " + std::to_string(100U << 10)));
    REQUIRE_THROWS_AS(read_text_file_bytes(dir.path() / "missing.txt"), cite::CorpusError);
    dir.write("catalog.json/inside.txt", "x");
    REQUIRE_THROWS_WITH(read_file_bytes(dir.path() / "catalog.json"), Catch::Contains("is a directory, not a file"));
}

TEST_CASE("sha256_hex matches the standard test vector", "[passage]") {
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("Catalog entries are read; errors name the file", "[passage]") {
    cite::test::TempDir dir;
    const auto file = dir.write("catalog.json", R"({"format_version": 1, "files": {
        "a.txt": {"title": "A title", "authors": ["Ann Author", "Bo Writer"], "publisher": "P", "date": "2024-07-09"},
        "b.txt": {"title": "B", "author": "Single Name"}}})");
    const Catalog catalog = Catalog::load(file);
    REQUIRE(catalog.size() == 2);
    REQUIRE(catalog.find("a.txt") != nullptr);
    CHECK(catalog.find("a.txt")->authors == std::vector<std::string>{"Ann Author", "Bo Writer"});
    CHECK(catalog.find("a.txt")->date == "2024-07-09");
    CHECK(catalog.find("b.txt")->authors == std::vector<std::string>{"Single Name"});
    CHECK(catalog.find("c.txt") == nullptr);

    const auto bad = dir.write("bad/catalog.json", R"({"files": {"a.txt": {"title": 5}}})");
    REQUIRE_THROWS_WITH(Catalog::load(bad), Catch::Contains(bad.string()));
}

TEST_CASE("A title is derived from the first non-blank line", "[passage]") {
    CHECK(derive_title("\xEF\xBB\xBF\n  \n  The Title  \nbody") == "The Title");
    CHECK(derive_title("") == "");
    const std::string long_line(150, 'x');
    CHECK(derive_title(long_line + "şş" + long_line).size() <= 200);
}

TEST_CASE("Directory listing is sorted, skips hidden files, the root README and the corpus's own files", "[passage]") {
    cite::test::TempDir dir;
    dir.write("b.txt", "b");
    dir.write("a/z.md", "z");
    dir.write("A.TXT", "A");
    dir.write("README.md", "about the corpus");
    dir.write("sub/README.md", "an article named README");
    dir.write("readme.txt", "about the corpus, in lower case");
    dir.write("readmeow.txt", "an article whose name starts like README");
    dir.write(".hidden/x.txt", "x");
    dir.write("notes.pdf", "not text");
    const auto listing = list_corpus_directory(dir.path());
    std::vector<std::string> sources;
    for (const auto& f : listing.files) sources.push_back(f.source);
    dir.write("catalog.json", R"({"files": {}})");
    CHECK(sources == std::vector<std::string>{"A.TXT", "a/z.md", "b.txt", "notes.pdf", "readmeow.txt", "sub/README.md"});
    CHECK_THROWS_AS(list_corpus_directory(dir.path() / "missing"), cite::CorpusError);
}

TEST_CASE("JSON Lines records are read; bad lines are reported with their number", "[passage]") {
    const std::string jsonl =
        "{\"_id\": \"d1\", \"title\": \"T1\", \"text\": \"Para one.\\n\\nPara two.\"}\n"
        "not json\n"
        "{\"_id\": 42, \"text\": \"numeric id\", \"authors\": [\"A B\"]}\n"
        "{\"title\": \"no id\", \"text\": \"x\"}\n"
        "\n"
        "{\"_id\": \"d1\", \"text\": \"duplicate\"}\n";
    std::vector<JsonlRecord> records;
    std::vector<std::size_t> bad_lines;
    read_jsonl(jsonl, [&](JsonlRecord&& r) { records.push_back(std::move(r)); },
               [&](std::size_t line, const std::string&) { bad_lines.push_back(line); });
    REQUIRE(records.size() == 2);
    CHECK(records[0].id == "d1");
    CHECK(records[0].meta.title == "T1");
    CHECK(records[0].text == "Para one.\n\nPara two.");
    CHECK(records[1].id == "42");
    CHECK(records[1].meta.authors == std::vector<std::string>{"A B"});
    CHECK(records[1].line == 3);
    CHECK(bad_lines == std::vector<std::size_t>{2, 4, 6});
}

TEST_CASE("JSON Lines errors name the field at fault", "[passage]") {
    // The library's own messages said "key 'text' not found" or "type must be string, but is
    // number", naming no field; a null or object id was indexed as "null" or its JSON.
    auto [line, message] = GENERATE(table<std::string, std::string>({
        {R"({"_id": "d1"})", "missing \"text\""},
        {R"({"text": "x"})", "missing \"_id\""},
        {R"({"_id": "d1", "text": 123})", "\"text\" must be a string, not number"},
        {R"({"_id": null, "text": "x"})", "\"_id\" must be a string or a whole number, not null"},
        {R"({"_id": {"a": 1}, "text": "x"})", "\"_id\" must be a string or a whole number, not object"},
        {R"({"_id": 1.5, "text": "x"})", "\"_id\" must be a string or a whole number, not number"},
        {R"({"_id": "d1", "text": "x", "title": 7})", "\"title\" must be a string, not number"},
        {R"({"_id": "d1", "text": "x", "date": 2024})", "\"date\" must be a string, not number"},
        {R"({"_id": "d1", "text": "x", "authors": [1]})", "\"authors\" must be a string or a list of strings"},
    }));
    CAPTURE(line);
    std::vector<std::string> errors;
    read_jsonl(line, [](JsonlRecord&&) {}, [&](std::size_t, const std::string& e) { errors.push_back(e); });
    REQUIRE(errors.size() == 1);
    CHECK(errors.front() == message);
}

TEST_CASE("A JSON Lines file in UTF-16 is refused whole, by its byte-order mark", "[passage]") {
    // Each line failed as "invalid UTF-8 at byte offset 0 of the line". read_jsonl itself
    // reports line by line and never throws (fuzz_jsonl holds it to that); its callers check
    // the mark first.
    const std::string utf16("\xFF\xFE{\0\"\0", 6);
    REQUIRE_THROWS_WITH(check_byte_order_mark(utf16), Catch::Contains("UTF-16 or UTF-32 text (byte-order mark at byte offset 0)"));
    std::size_t errors = 0;
    CHECK_NOTHROW(read_jsonl(utf16, [](JsonlRecord&&) {}, [&](std::size_t, const std::string&) { ++errors; }));
    CHECK(errors == 1);
    CHECK_NOTHROW(check_byte_order_mark("{\"_id\": 1}"));
}

TEST_CASE("Catalog type errors name the entry and the field", "[passage]") {
    cite::test::TempDir dir;
    const auto file = dir.write("catalog.json", R"({"files": {"a.txt": {"title": 42}}})");
    REQUIRE_THROWS_WITH(Catalog::load(file), Catch::Contains("entry \"a.txt\": \"title\" must be a string, not number"));
}

TEST_CASE("Alias groups of several files must not share a name", "[passage]") {
    const auto first = parse_alias_groups("Middle Corridor | TITR\n", "a/aliases.conf");
    auto both = first;
    for (auto g : parse_alias_groups("titr | Tirana\nBRI | Belt and Road\n", "b/aliases.conf")) both.push_back(g);
    REQUIRE_THROWS_WITH(check_disjoint_alias_groups(both),
                        Catch::Contains("'titr' is in two alias groups, 'Middle Corridor | TITR' and 'titr | Tirana'"));
    CHECK_NOTHROW(check_disjoint_alias_groups(first));
    auto twice = first;  // the same group in two corpora's files is no conflict
    for (auto g : parse_alias_groups("titr | middle corridor\n", "b/aliases.conf")) twice.push_back(g);
    CHECK_NOTHROW(check_disjoint_alias_groups(twice));
    CHECK_NOTHROW(check_disjoint_alias_groups(parse_alias_groups("A | B\nC | D\n", "c/aliases.conf")));
}

TEST_CASE("Alias files: one group per line, errors name the line", "[passage]") {
    const auto groups = parse_alias_groups(
        "# comment\n\nMiddle Corridor | Trans-Caspian International Transport Route|TITR\r\n  BRI |Belt and Road Initiative\n",
        "aliases.conf");
    REQUIRE(groups.size() == 2);
    CHECK(groups[0] == AliasGroup{"Middle Corridor", "Trans-Caspian International Transport Route", "TITR"});
    CHECK(groups[1] == AliasGroup{"BRI", "Belt and Road Initiative"});

    auto [text, message] = GENERATE(table<std::string, std::string>({
        {"lonely name\n", "aliases.conf:1: an alias group needs at least two names"},
        {"a | b\n\nc | | d\n", "aliases.conf:3: empty alias name"},
        {"a | b\nB | c\n", "aliases.conf:2: 'B' is already in the group on line 1"},
        {"a | \xFF\n", "invalid UTF-8"},
    }));
    CAPTURE(text);
    REQUIRE_THROWS_AS(parse_alias_groups(text, "aliases.conf"), cite::CorpusError);
    REQUIRE_THROWS_WITH(parse_alias_groups(text, "aliases.conf"), Catch::Contains(message));
}

TEST_CASE("Catalog citation fields (issue 28): read, CSL spellings accepted, checked", "[passage]") {
    cite::test::TempDir dir;
    const auto file = dir.write("catalog.json", R"({"files": {
        "a.txt": {"title": "A", "url": "https://example.org/a", "doi": "10.1/x", "accessed": "2024-01-02",
                  "language": "en-GB", "type": "report", "id": "a-key"},
        "b.txt": {"title": "B", "URL": "https://example.org/b", "DOI": "10.1/y", "container-title": "Site"},
        "c.txt": {"title": "C"}}})");
    const Catalog catalog = Catalog::load(file);
    const auto* a = catalog.find("a.txt");
    REQUIRE(a != nullptr);
    CHECK(a->url == "https://example.org/a");
    CHECK(a->doi == "10.1/x");
    CHECK(a->accessed == "2024-01-02");
    CHECK(a->language == "en-GB");
    CHECK(a->type == "report");
    CHECK(a->id == "a-key");
    const auto* b = catalog.find("b.txt");
    REQUIRE(b != nullptr);
    CHECK(b->url == "https://example.org/b");
    CHECK(b->doi == "10.1/y");
    CHECK(b->container_title == "Site");

    // Written only when set: an entry without them serializes as before they existed.
    CHECK(nlohmann::json(*catalog.find("c.txt")).dump() ==
          R"({"authors":[],"container_title":"","date":"","publisher":"","title":"C"})");
    CHECK(nlohmann::json(*a).at("id") == "a-key");
    CHECK(nlohmann::json(*a).get<cite::passage::DocumentMeta>() == *a);

    const auto bad_type = dir.write("t/catalog.json", R"({"files": {"a.txt": {"type": "blog"}}})");
    REQUIRE_THROWS_WITH(Catalog::load(bad_type), Catch::Contains("\"type\" must be a CSL item type"));
    const auto bad_id = dir.write("i/catalog.json", R"({"files": {"a.txt": {"id": "a--b"}}})");
    REQUIRE_THROWS_WITH(Catalog::load(bad_id), Catch::Contains("\"id\" \"a--b\" cannot be a citation key"));
    const auto twice = dir.write("d/catalog.json", R"({"files": {"a.txt": {"id": "k"}, "b.txt": {"id": "k"}}})");
    REQUIRE_THROWS_WITH(Catalog::load(twice), Catch::Contains("\"id\" \"k\" is given to \"a.txt\" too"));
}

TEST_CASE("Citation keys: ASCII letters, digits, _ and inner - : . /", "[passage]") {
    for (const auto* good : {"a", "smith2020", "a-b", "a:b.c/d", "_x", "9lives", "A_B"}) {
        CAPTURE(good);
        CHECK(cite::passage::is_valid_citation_key(good));
    }
    for (const auto* bad : {"", "-a", "a-", "a--b", "a b", "a,b", "ä", "a{b}", "a@b"}) {
        CAPTURE(bad);
        CHECK_FALSE(cite::passage::is_valid_citation_key(bad));
    }
    CHECK_FALSE(cite::passage::is_valid_citation_key(std::string(101, 'a')));
    CHECK(cite::passage::is_csl_type("article-newspaper"));
    CHECK(cite::passage::is_csl_type("webpage"));
    CHECK_FALSE(cite::passage::is_csl_type("online"));
}
