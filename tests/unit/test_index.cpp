// Building and updating the index: passages match the files' bytes, updates are incremental,
// bad files are skipped with a named reason and the rest is kept.

#include "cite/analysis/analyzer.hpp"
#include "cite/error.hpp"
#include "cite/index/compact.hpp"
#include "cite/index/index_reader.hpp"
#include "cite/index/index_writer.hpp"
#include "cite/index/schema.hpp"
#include "cite/index/shard_set.hpp"
#include "cite/passage/source_text.hpp"

#include "temp_dir.hpp"
#include "test_paths.hpp"
#include "xapian_check.hpp"

#include <catch2/catch.hpp>
#include <xapian.h>

#include <limits>
#include <set>

#include <unistd.h>

using namespace cite;

namespace {

struct RecordingObserver : index::IndexObserver {
    std::vector<std::string> warnings;
    void warning(const std::string& where, const std::string& message) override {
        warnings.push_back(where + ": " + message);
    }
    void progress(const index::IndexProgress&) override {}
};

struct Fixture {
    test::TempDir dir;
    std::filesystem::path corpus = dir.path() / "corpus";
    std::filesystem::path db = dir.path() / "db";
    RecordingObserver observer;

    Fixture() { std::filesystem::create_directories(corpus); }
    void write(const std::string& name, std::string_view bytes) const { dir.write("corpus/" + name, bytes); }
    index::IndexSummary run() { return index::build_index({db, {corpus}}, observer); }

    // "source#para" -> passage text, read back from the database.
    std::map<std::string, std::string> passages() const {
        index::IndexReader reader(db);
        std::map<std::string, std::string> out;
        const auto& xdb = reader.database();
        for (auto it = xdb.postlist_begin(""); it != xdb.postlist_end(""); ++it) {
            const auto p = reader.passage(xdb.get_document(*it));
            out[p.document_key() + "#" + std::to_string(p.ordinal)] = p.text;
        }
        return out;
    }
};

// Lines with something besides spaces, tabs, CR and NBSP (the corpus has an NBSP-only line).
std::size_t count_non_blank_lines(const std::string& text) {
    std::size_t n = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t nl = std::min(text.find('\n', pos), text.size());
        std::string line = text.substr(pos, nl - pos);
        for (std::size_t at; (at = line.find("\xC2\xA0")) != std::string::npos;) line.erase(at, 2);
        if (line.find_first_not_of(" \t\r") != std::string::npos) ++n;
        pos = nl + 1;
    }
    return n;
}

}  // namespace

TEST_CASE("Schema records round-trip", "[index]") {
    const std::string text = "Beşer “quoted” text";
    passage::Passage p{"dir/a.txt", "", 3, 7, {10, 10 + text.size()}, text};
    const auto back = index::parse_passage(index::serialize_passage(p));
    CHECK(back.source == p.source);
    CHECK(back.record.empty());
    CHECK(back.ordinal == 3);
    CHECK(back.line == 7);
    CHECK(back.bytes == p.bytes);
    CHECK(back.text == p.text);
    CHECK(back.page == 0);
    CHECK(index::serialize_passage(p).front() == 1);  // a passage without a page keeps format 1
    passage::Passage paged = p;
    paged.page = 23;
    paged.page_label = "xii";
    const std::string paged_record = index::serialize_passage(paged);
    CHECK(paged_record.front() == 2);
    CHECK(index::parse_passage(paged_record) == paged);
    // A paged record naming page 0 would be written back in format 1: refused (fuzz_records).
    passage::Passage page_zero = paged;
    page_zero.page = 0;
    std::string forged = index::serialize_passage(page_zero);
    forged.front() = 2;
    forged += std::string(1, '\0') + std::string(1, '\0');  // page 0, empty label
    CHECK_THROWS_AS(index::parse_passage(forged), IndexError);
    // A passage with a chapter (EPUB) has format 3; chapter 0 is refused as page 0 is.
    passage::Passage chaptered = p;
    chaptered.chapter = 7;
    chaptered.chapter_title = "Chapter 7. The Chapel.";
    const std::string chaptered_record = index::serialize_passage(chaptered);
    CHECK(chaptered_record.front() == 3);
    CHECK(index::parse_passage(chaptered_record) == chaptered);
    chaptered.chapter_title.clear();  // a chapter without a title
    CHECK(index::parse_passage(index::serialize_passage(chaptered)) == chaptered);
    std::string chapter_zero = index::serialize_passage(p);
    chapter_zero.front() = 3;
    chapter_zero += std::string(1, '\0') + std::string(1, '\0');  // chapter 0, empty title
    CHECK_THROWS_AS(index::parse_passage(chapter_zero), IndexError);
    index::FileRecord r{"a.txt", "/x", "text", std::string(64, 'f'), 99, 4, 1, "sig", "", ""};
    CHECK(index::parse_file_record(index::serialize_file_record(r)) == r);
    passage::DocumentMeta m{"T", {"A B"}, "P", "C", "2024", "", ""};
    CHECK(index::parse_document_meta(index::serialize_document_meta(m)) == m);
    CHECK_THROWS_AS(index::parse_passage(R"({"para":1})"), IndexError);  // schema 2's JSON record
    // JSON holds only UTF-8: the error is the library's own, naming the path (escaped).
    r.source = "zz\xFF.txt";
    CHECK_THROWS_WITH(index::serialize_file_record(r),
                      "cannot store the file record: invalid UTF-8 in its path 'zz\\xFF.txt' at byte offset 2");
    m.title = "T\xC3";
    CHECK_THROWS_AS(index::serialize_document_meta(m), IndexError);
}

TEST_CASE("The passage record has the documented binary layout and refuses damaged data", "[index]") {
    // Layout (schema.hpp): format byte 1, then LEB128 ordinal, line, first byte and length in
    // bytes, and length-prefixed source, record and text. 300 is 0b10'0101100: 0xAC 0x02.
    const passage::Passage p{"a.txt", "r9", 3, 7, {300, 306}, "Be\xC5\x9F" "er"};
    const std::string expected = std::string("\x01\x03\x07\xAC\x02\x06", 6) + "\x05" "a.txt" + "\x02" "r9" +
                                 "\x06" "Be\xC5\x9F" "er";
    const std::string record = index::serialize_passage(p);
    CHECK(record == expected);

    const passage::Passage back = index::parse_passage(record);
    CHECK(back.source == "a.txt");
    CHECK(back.record == "r9");
    CHECK(back.ordinal == 3);
    CHECK(back.line == 7);
    CHECK(back.bytes == analysis::ByteRange{300, 306});
    CHECK(back.text == "Be\xC5\x9F" "er");

    // The widest values survive: the largest ordinal, and a first byte of 2^64 - 1, which
    // takes ten bytes (nine of 0xFF, then 0x01).
    constexpr std::size_t last = std::numeric_limits<std::size_t>::max();
    const passage::Passage big{"b.jsonl", "", UINT32_MAX, 0, {last, last}, ""};
    const std::string big_record = index::serialize_passage(big);
    CHECK(big_record == std::string("\x01\xFF\xFF\xFF\xFF\x0F\x00", 7) + std::string(9, '\xFF') +
                            std::string("\x01\x00", 2) + "\x07" "b.jsonl" + std::string(2, '\0'));
    const passage::Passage big_back = index::parse_passage(big_record);
    CHECK(big_back.ordinal == UINT32_MAX);
    CHECK(big_back.bytes == big.bytes);

    // Every truncation, a trailing byte, another format, and a number too wide for its field.
    for (std::size_t n = 0; n < record.size(); ++n) {
        INFO("first " << n << " bytes");
        CHECK_THROWS_AS(index::parse_passage(record.substr(0, n)), IndexError);
    }
    CHECK_THROWS_AS(index::parse_passage(record + "x"), IndexError);
    CHECK_THROWS_AS(index::parse_passage("\x02" + record.substr(1)), IndexError);
    const std::string wide_ordinal = std::string("\x01\x80\x80\x80\x80\x10", 6) + record.substr(2);  // 2^32
    CHECK_THROWS_AS(index::parse_passage(wide_ordinal), IndexError);
    CHECK_THROWS_AS(index::parse_passage(std::string("\x01") + std::string(11, '\xFF')), IndexError);
    // A tenth byte above 1 would need a 65th bit.
    const std::string bit_65 = std::string("\x01\x01\x00", 3) + std::string(9, '\xFF') + "\x02" + std::string(4, '\0');
    CHECK_THROWS_AS(index::parse_passage(bit_65), IndexError);
    // A range that would end past 2^64 - 1: the largest first byte and one byte of text.
    const std::string past_end = std::string("\x01\x01\x00", 3) + std::string(9, '\xFF') + "\x01\x01" +
                                 std::string(2, '\0') + "\x01" "x";
    CHECK_THROWS_AS(index::parse_passage(past_end), IndexError);
    // A length that is not the text's.
    std::string short_range = record;
    short_range[5] = '\x05';
    CHECK_THROWS_AS(index::parse_passage(short_range), IndexError);
    // 3 written as 0x83 0x00: a longer form than serialize_passage writes.
    CHECK_THROWS_AS(index::parse_passage(std::string("\x01\x83\x00", 3) + record.substr(2)), IndexError);
    // Text that is not UTF-8 (a lone continuation byte in place of the 'e').
    std::string bad_text = record;
    bad_text[bad_text.size() - 2] = '\x80';
    CHECK_THROWS_AS(index::parse_passage(bad_text), IndexError);
}

TEST_CASE("Long sources give bounded but distinct terms", "[index]") {
    const std::string a(300, 'a');
    const std::string b = a + "b";
    CHECK(index::source_term(a).size() < 245);
    CHECK(index::source_term(a) != index::source_term(b));
    CHECK(index::source_term("short.txt") == "Pshort.txt");
}

TEST_CASE("Indexing the shipped corpus stores every line as a passage at its exact bytes", "[index]") {
    test::TempDir dir;
    RecordingObserver observer;
    const auto summary = index::build_index({dir.path() / "db", {test::shipped_corpus()}}, observer);
    CHECK(observer.warnings.empty());
    CHECK(summary.clean());
    CHECK(summary.files_added == 5);

    std::size_t expected_passages = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test::shipped_corpus()))
        if (entry.path().extension() == ".txt") expected_passages += count_non_blank_lines(test::read_bytes(entry.path()));
    CHECK(summary.passages_total == expected_passages);

    index::IndexReader reader(dir.path() / "db");
    const auto& db = reader.database();
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        const auto p = reader.passage(db.get_document(*it));
        const std::string file = test::read_bytes(test::shipped_corpus() / p.source);
        REQUIRE(p.bytes.end <= file.size());
        CHECK(file.substr(p.bytes.begin, p.bytes.size()) == p.text);
    }
    // The catalog's metadata is stored with the documents.
    CHECK(reader.document("000_0303309b31980e84.txt").authors == std::vector<std::string>{"Meymet Enes Beşer"});
    CHECK(reader.document("002_963a1b5bd11c85ad.txt").date == "2024-07-09");
}

TEST_CASE("The 274,200 tons passage is in 003 at its exact byte range", "[index]") {
    test::TempDir dir;
    RecordingObserver observer;
    (void)index::build_index({dir.path() / "db", {test::shipped_corpus()}}, observer);
    index::IndexReader reader(dir.path() / "db");
    const std::string file = test::read_bytes(test::shipped_corpus() / "003_4a6a91b40eaa168d.txt");
    const std::size_t at = file.find("274,200 tons");
    REQUIRE(at != std::string::npos);
    const std::size_t begin = file.rfind('\n', at) + 1;
    const std::size_t end = file.find('\n', at);
    const auto& db = reader.database();
    std::size_t found = 0;
    for (auto it = db.postlist_begin("274200"); it != db.postlist_end("274200"); ++it) {
        const auto p = reader.passage(db.get_document(*it));
        CHECK(p.source == "003_4a6a91b40eaa168d.txt");
        CHECK(p.bytes.begin == begin);
        CHECK(p.bytes.end == end);
        CHECK(p.line == 1 + static_cast<std::uint32_t>(std::count(file.begin(), file.begin() + static_cast<long>(begin), '\n')));
        ++found;
    }
    CHECK(found == 1);
}

TEST_CASE("Re-indexing touches only changed, new and removed files", "[index]") {
    Fixture f;
    f.write("a.txt", "Alpha one.\nAlpha two.\n");
    f.write("b.txt", "Bravo.\n");
    f.write("c.txt", "Charlie.\n");
    auto first = f.run();
    CHECK(first.files_added == 3);
    CHECK(first.passages_total == 4);

    auto again = f.run();
    CHECK(again.files_unchanged == 3);
    CHECK(again.passages_written == 0);

    f.write("a.txt", "Alpha changed.\n");
    f.write("d.txt", "Delta.\n");
    std::filesystem::remove(f.corpus / "c.txt");
    auto update = f.run();
    CHECK(update.files_added == 1);
    CHECK(update.files_updated == 1);
    CHECK(update.files_removed == 1);
    CHECK(update.files_unchanged == 1);
    CHECK(update.passages_written == 2);
    CHECK(f.passages() == std::map<std::string, std::string>{
                              {"a.txt#1", "Alpha changed."}, {"b.txt#1", "Bravo."}, {"d.txt#1", "Delta."}});
    index::IndexReader reader(f.db);
    CHECK_FALSE(reader.file("c.txt").has_value());
    CHECK(reader.file("a.txt")->passages == 1);
}

TEST_CASE("A catalog change re-indexes the file it describes", "[index]") {
    Fixture f;
    f.write("a.txt", "Text.\n");
    f.write("catalog.json", R"({"files": {"a.txt": {"title": "Old"}}})");
    (void)f.run();
    CHECK(index::IndexReader(f.db).document("a.txt").title == "Old");
    f.write("catalog.json", R"({"files": {"a.txt": {"title": "New"}}})");
    auto update = f.run();
    CHECK(update.files_updated == 1);
    CHECK(index::IndexReader(f.db).document("a.txt").title == "New");
}

TEST_CASE("Bad files are skipped with a reason naming them; the rest is indexed", "[index]") {
    Fixture f;
    f.write("good.txt", "Good text.\n");
    f.write("bad_utf8.txt", "ok\xC3(\n");
    f.write("binary.txt", std::string("bin\0ary", 7));
    f.write("utf16.txt", "\xFF\xFEh\0i\0");
    f.write("bom.txt", "\xEF\xBB\xBF" "After the BOM.\n");
    f.write("crlf.txt", "Line one.\r\nLine two.\r\n");
    f.write("empty.txt", "");
    const auto summary = f.run();
    CHECK(summary.files_skipped == 3);
    CHECK_FALSE(summary.clean());
    REQUIRE(f.observer.warnings.size() == 3);
    const std::string all = f.observer.warnings[0] + f.observer.warnings[1] + f.observer.warnings[2];
    CHECK_THAT(all, Catch::Contains("bad_utf8.txt: skipped: invalid UTF-8 at byte offset 2"));
    CHECK_THAT(all, Catch::Contains("binary.txt: skipped: binary data (NUL byte at byte offset 3)"));
    CHECK_THAT(all, Catch::Contains("utf16.txt: skipped: UTF-16"));
    const auto passages = f.passages();
    CHECK(passages == std::map<std::string, std::string>{{"bom.txt#1", "After the BOM."},
                                                         {"crlf.txt#1", "Line one."},
                                                         {"crlf.txt#2", "Line two."},
                                                         {"good.txt#1", "Good text."}});
    index::IndexReader reader(f.db);
    CHECK(reader.file("empty.txt")->passages == 0);  // indexed, not skipped
    // The BOM is not part of the first paragraph's byte range.
    const auto& db = reader.database();
    const auto p = reader.passage(db.get_document(*db.postlist_begin(index::source_term("bom.txt"))));
    CHECK(p.bytes.begin == 3);
}

TEST_CASE("A file that turns bad is skipped and keeps its earlier passages", "[index]") {
    Fixture f;
    f.write("a.txt", "Readable.\n");
    (void)f.run();
    f.write("a.txt", "Now \xFF broken.\n");
    const auto summary = f.run();
    CHECK(summary.files_skipped == 1);
    CHECK(summary.files_removed == 0);
    CHECK(f.passages() == std::map<std::string, std::string>{{"a.txt#1", "Readable."}});
}

TEST_CASE("A file or directory name that is not UTF-8 is skipped by name; the other files' changes are kept",
          "[index]") {
    // It used to abort the run from inside the file's transaction, which discarded every file
    // indexed since the last commit, and left a new database without its versions.
    Fixture f;
    f.write("a.txt", "Alpha.\n");
    REQUIRE(f.run().clean());
    f.write("a.txt", "Alpha edited.\n");
    f.write("zz\xFF.txt", "Bad name.\n");
    f.write("d\xC3(/in.txt", "Bad folder.\n");  // \xC3 wants a continuation byte, '(' is none
    f.write("b.txt", "Bravo.\n");
    const auto summary = f.run();
    CHECK(summary.files_skipped == 2);
    CHECK(summary.files_updated == 1);
    CHECK(summary.files_added == 1);
    // Named with the bad bytes escaped, so that the message itself is valid UTF-8.
    const std::string root = f.corpus.string();
    CHECK(f.observer.warnings == std::vector<std::string>{
                                     root + "/d\\xC3(/in.txt: skipped: invalid UTF-8 in its path 'd\\xC3(/in.txt' at byte offset 1",
                                     root + "/zz\\xFF.txt: skipped: invalid UTF-8 in its path 'zz\\xFF.txt' at byte offset 2"});
    CHECK(f.passages() == std::map<std::string, std::string>{{"a.txt#1", "Alpha edited."}, {"b.txt#1", "Bravo."}});

    SECTION("a new database of such a corpus opens and holds the other files") {
        const std::filesystem::path fresh = f.dir.path() / "fresh.db";
        RecordingObserver observer;
        const auto built = index::build_index({fresh, {f.corpus}}, observer);
        CHECK(built.files_skipped == 2);
        CHECK(built.files_added == 2);
        CHECK(index::IndexReader(fresh).file("b.txt").has_value());
    }
}

TEST_CASE("A corpus whose own path is not UTF-8 is refused before the database is touched", "[index]") {
    test::TempDir dir;
    dir.write("c\xFF/a.txt", "Alpha.\n");
    dir.write("plain/b.txt", "Bravo.\n");
    const std::filesystem::path db = dir.path() / "db";
    RecordingObserver observer;
    const std::string escaped = (dir.path() / "c\\xFF").string();
    CHECK_THROWS_WITH(index::build_index({db, {dir.path() / "plain", dir.path() / "c\xFF"}}, observer),
                      Catch::Contains("corpus '" + escaped + "': invalid UTF-8 in its absolute path"));
    CHECK_FALSE(std::filesystem::exists(db));
    // Nor is a shard set or the two writers' staging folder created.
    CHECK_THROWS_AS(index::build_shards({db, {dir.path() / "c\xFF"}}, 2, observer), CorpusError);
    index::IndexOptions two_writers{db, {dir.path() / "c\xFF"}};
    two_writers.two_writer_min_bytes = 0;
    CHECK_THROWS_AS(index::build_index_or_shards(two_writers, 0, observer), CorpusError);
    CHECK(std::filesystem::directory_iterator(dir.path()) != std::filesystem::directory_iterator());
    for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
        CHECK((entry.path().filename() == "c\xFF" || entry.path().filename() == "plain"));
    CHECK(observer.warnings.empty());
}

namespace {

// Makes the database look indexed with `field` ("analyzer" or "schema") at `version`: the
// label the reader checks and each file record's signature, as an older indexer would have
// left them.
void pretend_version(const std::filesystem::path& db, const std::string& field, int current, int version) {
    Xapian::WritableDatabase w(db.string(), Xapian::DB_OPEN);
    const std::string prefix(index::metadata_key::file);
    const std::string stored = field + "=" + std::to_string(current) + ";";
    std::vector<std::string> keys(w.metadata_keys_begin(prefix), w.metadata_keys_end(prefix));
    for (const std::string& key : keys) {
        std::string record = w.get_metadata(key);
        const std::size_t at = record.find(stored);
        REQUIRE(at != std::string::npos);
        record.replace(at, stored.size(), field + "=" + std::to_string(version) + ";");
        w.set_metadata(key, record);
    }
    const std::string label(field == "schema" ? index::metadata_key::schema : index::metadata_key::analyzer);
    w.set_metadata(label, std::to_string(version));
    w.commit();
}

void pretend_analyzer(const std::filesystem::path& db, int version) {
    pretend_version(db, "analyzer", analysis::Analyzer::version, version);
}

std::string stored_analyzer(const std::filesystem::path& db) {
    return Xapian::Database(db.string()).get_metadata(std::string(index::metadata_key::analyzer));
}

}  // namespace

TEST_CASE("An index of an older analyzer is refused until every file is re-indexed", "[index]") {
    Fixture f;
    f.write("a.txt", "Alpha.\n");
    f.write("b.txt", "Bravo.\n");
    (void)f.run();
    const std::string current = std::to_string(analysis::Analyzer::version);
    CHECK(stored_analyzer(f.db) == current);
    CHECK_NOTHROW(index::IndexReader(f.db));

    const int older = analysis::Analyzer::version - 1;
    pretend_analyzer(f.db, older);
    CHECK_THROWS_WITH(index::IndexReader(f.db), Catch::Contains("analyzer version '" + std::to_string(older) + "'"));

    SECTION("a full run re-indexes every file and lifts the refusal") {
        const auto summary = f.run();
        CHECK(summary.files_updated == 2);
        CHECK(summary.files_unchanged == 0);
        CHECK(stored_analyzer(f.db) == current);
        CHECK_NOTHROW(index::IndexReader(f.db));
    }
    SECTION("a file skipped by the run keeps its old terms, and the database stays refused") {
        f.write("b.txt", "Now \xFF broken.\n");
        const auto summary = f.run();
        CHECK(summary.files_updated == 1);
        CHECK(summary.files_skipped == 1);
        CHECK(stored_analyzer(f.db) == std::to_string(older));
        CHECK_THROWS_AS(index::IndexReader(f.db), IndexError);
        f.write("b.txt", "Bravo again.\n");
        (void)f.run();
        CHECK(stored_analyzer(f.db) == current);
        CHECK_NOTHROW(index::IndexReader(f.db));
    }
}

TEST_CASE("An index of an older schema is refused until every file is re-indexed", "[index]") {
    Fixture f;
    f.write("a.txt", "Alpha.\n");
    f.write("b.txt", "Bravo.\n");
    (void)f.run();
    auto stored_schema = [&] {
        return Xapian::Database(f.db.string()).get_metadata(std::string(index::metadata_key::schema));
    };
    const std::string current = std::to_string(index::schema_version);
    CHECK(stored_schema() == current);

    // Schema 2 stored each passage as JSON.
    const int older = index::schema_version - 1;
    pretend_version(f.db, "schema", index::schema_version, older);
    {
        Xapian::WritableDatabase w(f.db.string(), Xapian::DB_OPEN);
        for (auto it = w.postlist_begin(""); it != w.postlist_end(""); ++it) {
            Xapian::Document doc = w.get_document(*it);
            doc.set_data(R"({"source":"a.txt","para":1,"line":1,"start_byte":0,"end_byte":6,"text":"Alpha."})");
            w.replace_document(*it, doc);
        }
        w.commit();
    }
    CHECK_THROWS_WITH(index::IndexReader(f.db), Catch::Contains("schema version '" + std::to_string(older) + "'"));

    SECTION("a full run re-indexes every file and lifts the refusal") {
        const auto summary = f.run();
        CHECK(summary.files_updated == 2);
        CHECK(stored_schema() == current);
        CHECK(f.passages() == std::map<std::string, std::string>{{"a.txt#1", "Alpha."}, {"b.txt#1", "Bravo."}});
    }
    SECTION("a file skipped by the run keeps its old record, and the database stays refused") {
        f.write("b.txt", "Now \xFF broken.\n");
        const auto summary = f.run();
        CHECK(summary.files_updated == 1);
        CHECK(summary.files_skipped == 1);
        CHECK(stored_schema() == std::to_string(older));
        CHECK_THROWS_WITH(index::IndexReader(f.db), Catch::Contains("re-run"));
        f.write("b.txt", "Bravo again.\n");
        (void)f.run();
        CHECK(stored_schema() == current);
        CHECK(f.passages() == std::map<std::string, std::string>{{"a.txt#1", "Alpha."}, {"b.txt#1", "Bravo again."}});
    }
}

TEST_CASE("A missing corpus is an error and changes nothing", "[index]") {
    Fixture f;
    f.write("a.txt", "Kept.\n");
    (void)f.run();
    RecordingObserver observer;
    CHECK_THROWS_AS(index::build_index({f.db, {f.corpus, f.dir.path() / "missing"}}, observer), CorpusError);
    CHECK(f.passages().size() == 1);
}

TEST_CASE("A second writer gets a clear error", "[index]") {
    Fixture f;
    f.write("a.txt", "Text.\n");
    (void)f.run();
    Xapian::WritableDatabase holder(f.db.string(), Xapian::DB_OPEN);
    REQUIRE_THROWS_AS(f.run(), IndexError);
    REQUIRE_THROWS_WITH(f.run(), Catch::Contains("locked"));
}

namespace {

// Every path under `dir`, relative to it.
std::set<std::string> tree(const std::filesystem::path& dir) {
    std::set<std::string> out;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
        out.insert(entry.path().lexically_relative(dir).string());
    return out;
}

}  // namespace

TEST_CASE("A database path inside a corpus, or a folder of other files, is refused and left as it was", "[index]") {
    // `indexer --db corpus corpus` used to write Xapian's files into the corpus.
    Fixture f;
    f.write("a.txt", "Alpha.\n");
    f.write("sub/b.txt", "Bravo.\n");
    f.dir.write("notes/todo.txt", "Not a database.\n");
    std::filesystem::create_directory_symlink(f.corpus, f.dir.path() / "link");
    const auto corpus_before = tree(f.corpus);
    const std::string corpus = f.corpus.string();
    auto refusal = [&](const std::filesystem::path& db) {
        RecordingObserver observer;
        try {
            (void)index::build_index_or_shards({db, {f.corpus}}, 0, observer);
        } catch (const IndexError& e) {
            return std::string(e.what());
        }
        return std::string("(not refused)");
    };
    CHECK(refusal(f.corpus) == "database '" + corpus + "' is the corpus '" + corpus +
                                   "' itself; give --db a path outside every corpus");
    const auto inside = f.corpus / "sub" / "index.db";
    CHECK(refusal(inside) == "database '" + inside.string() + "' is inside the corpus '" + corpus +
                                 "'; give --db a path outside every corpus");
    // Also when a link or a relative step leads there.
    const auto by_link = f.dir.path() / "link" / "index.db";
    CHECK(refusal(by_link) == "database '" + by_link.string() + "' is inside the corpus '" + corpus +
                                  "'; give --db a path outside every corpus");
    const auto by_step = f.dir.path() / "notes" / ".." / "corpus";
    CHECK(refusal(by_step) == "database '" + by_step.string() + "' is the corpus '" + corpus +
                                  "' itself; give --db a path outside every corpus");
    const auto notes = f.dir.path() / "notes";
    CHECK(refusal(notes) == "database '" + notes.string() + "' is a directory that holds no database (it has "
                                "'todo.txt'); give --db a new or empty directory, or a database the indexer wrote");
    // The library's other ways in refuse them too.
    RecordingObserver observer;
    CHECK_THROWS_WITH(index::build_index({notes, {f.corpus}}, observer), Catch::Contains("holds no database"));
    CHECK_THROWS_WITH(index::build_shards({notes, {f.corpus}}, 2, observer), Catch::Contains("holds no database"));
    CHECK_THROWS_WITH(index::build_index({f.corpus, {f.corpus}}, observer), Catch::Contains("is the corpus"));
    CHECK_THROWS_WITH(index::build_shards({inside, {f.corpus}}, 2, observer), Catch::Contains("is inside the corpus"));
    CHECK(tree(f.corpus) == corpus_before);
    CHECK(tree(notes) == std::set<std::string>{"todo.txt"});

    // What the indexer itself leaves is taken: an empty directory, a database, and what Xapian
    // writes before anything else (its lock file), as a killed first run leaves it.
    std::filesystem::create_directory(f.dir.path() / "empty.db");
    CHECK(index::build_index({f.dir.path() / "empty.db", {f.corpus}}, observer).files_added == 2);
    CHECK(index::build_index({f.dir.path() / "empty.db", {f.corpus}}, observer).files_unchanged == 2);
    f.dir.write("killed.db/flintlock", "");
    CHECK(index::build_index({f.dir.path() / "killed.db", {f.corpus}}, observer).files_added == 2);
    CHECK(observer.warnings.empty());
}

namespace {

// Permissions do not apply to root: such a test is skipped, with a warning (the reliability
// tests run the same cases as nobody).
bool running_as_root() {
    if (geteuid() != 0) return false;
    WARN("running as root: permissions do not apply (the reliability tests run this as nobody)");
    return true;
}

}  // namespace

TEST_CASE("A database that cannot be written is reported as such, not as locked", "[index]") {
    if (running_as_root()) return;
    Fixture f;
    f.write("a.txt", "Alpha.\n");
    (void)f.run();
    f.write("b.txt", "Bravo.\n");
    using std::filesystem::perms;
    std::filesystem::permissions(f.db, perms::owner_read | perms::owner_exec);
    std::string error = "(none)";
    try {
        (void)f.run();
    } catch (const IndexError& e) {
        error = e.what();
    }
    std::filesystem::permissions(f.db, perms::owner_all);
    CHECK(error == "database '" + f.db.string() + "' is not writable: Permission denied");
}

TEST_CASE("JSON Lines records become passages cited by record id", "[index]") {
    test::TempDir dir;
    static constexpr char nul_line[] = "{\"_id\": \"9\", \"text\": \"nul\0here\"}\n";
    const auto file = dir.write("docs.jsonl",
                                "{\"_id\": \"4983\", \"title\": \"Microstructural development\", \"text\": \"First para.\\n\\nSecond para.\"}\n"
                                "{\"_id\": \"5836\", \"text\": \"Only one.\"}\n"
                                "broken\n"
                                // A NUL in the file's first block skips this line only (it
                                // skipped the whole file as binary).
                                + std::string(nul_line, sizeof nul_line - 1));
    RecordingObserver observer;
    const auto summary = index::build_index({dir.path() / "db", {file}}, observer);
    CHECK(summary.records_skipped == 2);
    REQUIRE(observer.warnings.size() == 2);
    CHECK_THAT(observer.warnings[0], Catch::Contains("docs.jsonl:3"));
    CHECK_THAT(observer.warnings[1], Catch::Contains("docs.jsonl:4"));
    index::IndexReader reader(dir.path() / "db");
    CHECK(reader.passage_count() == 3);
    CHECK(reader.document("docs.jsonl#4983").title == "Microstructural development");
    CHECK(reader.document("docs.jsonl#5836").title == "Only one.");
    const auto& db = reader.database();
    std::set<std::string> keys;
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        const auto p = reader.passage(db.get_document(*it));
        keys.insert(p.record + "#" + std::to_string(p.ordinal) + "=" + p.text);
        CHECK(p.line == 0);
    }
    CHECK(keys == std::set<std::string>{"4983#1=First para.", "4983#2=Second para.", "5836#1=Only one."});
}

TEST_CASE("A stop request between files commits the finished ones and leaves the rest", "[index]") {
    Fixture f;
    f.write("a.txt", "Alpha old.\n");
    f.write("b.txt", "Bravo old.\n");
    f.write("c.txt", "Charlie old.\n");
    f.write("gone.txt", "Gone soon.\n");
    (void)f.run();
    f.write("a.txt", "Alpha new.\n");
    f.write("b.txt", "Bravo new.\n");
    f.write("c.txt", "Charlie new.\n");
    std::filesystem::remove(f.corpus / "gone.txt");

    // Small files are only asked about before each file: stop before the third.
    int asked = 0;
    index::IndexOptions options{f.db, {f.corpus}};
    options.stop_requested = [&] { return ++asked > 2; };
    const auto summary = index::build_index(options, f.observer);
    CHECK(summary.interrupted);
    CHECK_FALSE(summary.clean());
    CHECK(summary.files_updated == 2);
    CHECK(summary.files_not_reached == 1);
    CHECK(summary.files_removed == 0);
    CHECK(summary.rolled_back.empty());
    // a and b are committed; c was not reached; gone.txt is not removed, since the files
    // after the stop were never compared with the database.
    CHECK(f.passages() == std::map<std::string, std::string>{{"a.txt#1", "Alpha new."},
                                                             {"b.txt#1", "Bravo new."},
                                                             {"c.txt#1", "Charlie old."},
                                                             {"gone.txt#1", "Gone soon."}});
    const auto rest = f.run();
    CHECK(rest.clean());
    CHECK(rest.files_updated == 1);
    CHECK(rest.files_removed == 1);
    CHECK(f.passages() == std::map<std::string, std::string>{
                              {"a.txt#1", "Alpha new."}, {"b.txt#1", "Bravo new."}, {"c.txt#1", "Charlie new."}});
}

TEST_CASE("A stop request inside a large file rolls it back and keeps the files before it", "[index]") {
    // 1,500 one-line paragraphs: a large file (written passage by passage, can be abandoned).
    auto big = [](const std::string& word) {
        std::string text;
        for (int i = 1; i <= 1500; ++i) text += word + " paragraph " + std::to_string(i) + ".\n\n";
        return text;
    };
    Fixture f;
    f.write("a.txt", "Alpha old.\n");
    f.write("big.txt", big("old"));
    (void)f.run();
    f.write("a.txt", "Alpha new.\n");
    f.write("big.txt", big("new"));

    // Asked before a.txt, before big.txt, then before deleting each of big.txt's 1,500 old
    // passages and before writing each new one: stop half way through deleting, or through
    // writing. a.txt's change was pending (not yet committed) when big.txt began.
    const int stop_after = GENERATE(2 + 700, 2 + 1500 + 700);
    CAPTURE(stop_after);
    int asked = 0;
    index::IndexOptions options{f.db, {f.corpus}};
    options.stop_requested = [&] { return ++asked > stop_after; };
    const auto summary = index::build_index(options, f.observer);
    CHECK(summary.interrupted);
    CHECK(summary.files_updated == 1);
    CHECK(summary.rolled_back == (f.corpus / "big.txt").string());
    CHECK(summary.files_not_reached == 1);

    const auto stored = f.passages();
    CHECK(stored.at("a.txt#1") == "Alpha new.");
    CHECK(stored.size() == 1 + 1500);
    for (int i = 1; i <= 1500; ++i) {
        const std::string key = "big.txt#" + std::to_string(i);
        REQUIRE(stored.count(key) == 1);
        CHECK(stored.at(key) == "old paragraph " + std::to_string(i) + ".");
    }
    index::IndexReader reader(f.db);
    CHECK(reader.file("big.txt")->sha256 == passage::sha256_hex(big("old")));

    const auto rest = f.run();
    CHECK(rest.clean());
    CHECK(rest.files_updated == 1);
    CHECK(f.passages().at("big.txt#1500") == "new paragraph 1500.");
}

TEST_CASE("Rolling back a large file leaves a database that passes Xapian's own check", "[index]") {
    // Regression (a CI run): after a stop inside a large file, the next run failed with
    // "DatabaseCorruptError: Expected block 2097 to be level 0, not 1", and xapian-check said
    // "Used block also in freelist". The rolled-back transaction had freed and allocated
    // blocks; the writes after it (the run's final records and commit) went through a free list
    // that still held the cancelled transaction's blocks.
    //
    // 2 KiB blocks (Xapian's smallest; the indexer keeps an existing database's block size)
    // make a free-list block fill up after ~500 entries, so a few thousand passages are
    // enough. Every version has different words, so each rewrite frees most blocks.
    auto big = [](int version, int paragraphs) {
        std::string text;
        for (int i = 1; i <= paragraphs; ++i) {
            text += "v" + std::to_string(version) + "w" + std::to_string(i % 97) + " paragraph " + std::to_string(i);
            for (int w = 0; w < 12; ++w) text += " t" + std::to_string((i * 31 + w * 7 + version * 13) % 1009);
            text += ".\n\n";
        }
        return text;
    };
    const int paragraphs = 3000;
    Fixture f;
    { Xapian::WritableDatabase created(f.db.string(), Xapian::DB_CREATE, 2048); }
    auto check_database = [&](const std::string& when) {
        INFO(when);
        CHECK(test::xapian_check_failure(f.db) == "");
    };
    f.write("big.txt", big(0, paragraphs));
    REQUIRE(f.run().clean());
    f.write("big.txt", big(1, paragraphs));
    REQUIRE(f.run().clean());
    check_database("after two clean runs");

    // Asked before big.txt, before deleting each of its old passages and before writing each
    // new one: stop late in the writing, after Xapian has flushed postings several times.
    const int stop_after = GENERATE(1 + paragraphs + 2500, 1 + paragraphs + 2990);
    CAPTURE(stop_after);
    f.write("big.txt", big(2, paragraphs));
    int asked = 0;
    index::IndexOptions options{f.db, {f.corpus}};
    options.stop_requested = [&] { return ++asked > stop_after; };
    const auto stopped = index::build_index(options, f.observer);
    REQUIRE(stopped.interrupted);
    REQUIRE(stopped.rolled_back == (f.corpus / "big.txt").string());
    check_database("after the stop");
    index::IndexReader reader(f.db);
    CHECK(reader.file("big.txt")->sha256 == passage::sha256_hex(big(1, paragraphs)));

    REQUIRE(f.run().clean());
    check_database("after the completing run");
    CHECK(index::IndexReader(f.db).file("big.txt")->sha256 == passage::sha256_hex(big(2, paragraphs)));
}

TEST_CASE("A file that disappears between listing and reading is skipped and keeps its passages", "[index]") {
    // include_source is asked about each file as the listing finds it, before anything is
    // read (files are read on the preparing thread, possibly long before the writer gets to
    // them): removing the file there makes it vanish between listing and reading.
    Fixture f;
    f.write("a.txt", "Alpha.\n");
    f.write("b.txt", "Bravo old.\n");
    (void)f.run();
    f.write("a.txt", "Alpha changed.\n");
    f.write("b.txt", "Bravo new.\n");
    RecordingObserver observer;
    index::IndexOptions options{f.db, {f.corpus}};
    options.include_source = [&](std::string_view source) {
        if (source == "b.txt") std::filesystem::remove(f.corpus / "b.txt");
        return true;
    };
    const auto summary = index::build_index(options, observer);
    CHECK(summary.files_skipped == 1);
    CHECK(summary.files_updated == 1);
    CHECK(summary.files_removed == 0);
    REQUIRE(observer.warnings.size() == 1);
    CHECK_THAT(observer.warnings[0], Catch::Contains("b.txt: skipped: cannot open"));
    CHECK_THAT(observer.warnings[0], Catch::Contains("No such file or directory"));
    CHECK(f.passages() == std::map<std::string, std::string>{{"a.txt#1", "Alpha changed."}, {"b.txt#1", "Bravo old."}});
    // The next run sees it gone and removes its passages.
    CHECK(f.run().files_removed == 1);
    CHECK(f.passages() == std::map<std::string, std::string>{{"a.txt#1", "Alpha changed."}});
}

TEST_CASE("Regression #7: links that cannot be followed are skipped with a reason", "[index]") {
    Fixture f;
    f.write("good.txt", "Good text.\n");
    f.write("target.txt", "Linked text.\n");
    std::filesystem::create_symlink("b.txt", f.corpus / "a.txt");  // a -> b -> a: a loop
    std::filesystem::create_symlink("a.txt", f.corpus / "b.txt");
    std::filesystem::create_symlink("missing.txt", f.corpus / "dangling.txt");
    std::filesystem::create_symlink(".", f.corpus / "loop");  // a directory link: not followed
    std::filesystem::create_symlink("target.txt", f.corpus / "link.txt");
    const auto summary = f.run();
    CHECK(summary.files_skipped == 3);
    std::string all;
    for (const auto& w : f.observer.warnings) all += w + "\n";
    CHECK_THAT(all, Catch::Contains("a.txt: skipped: cannot open") && Catch::Contains("Too many levels of symbolic links"));
    CHECK_THAT(all, Catch::Contains("b.txt: skipped: cannot open"));
    CHECK_THAT(all, Catch::Contains("dangling.txt: skipped: cannot open") && Catch::Contains("No such file or directory"));
    CHECK(f.observer.warnings.size() == 3);
    // A link to a file is indexed under its own name, not its target's.
    CHECK(f.passages() == std::map<std::string, std::string>{
                              {"good.txt#1", "Good text."}, {"link.txt#1", "Linked text."}, {"target.txt#1", "Linked text."}});
}

TEST_CASE("Regression #7: an unreadable directory keeps its passages and is reported", "[index]") {
    if (running_as_root()) return;
    Fixture f;
    f.write("top.txt", "Top.\n");
    f.write("locked/in.txt", "Inside.\n");
    f.write("z.txt", "After.\n");
    (void)f.run();
    std::filesystem::permissions(f.corpus / "locked", std::filesystem::perms::none);
    const auto summary = f.run();
    std::filesystem::permissions(f.corpus / "locked", std::filesystem::perms::owner_all);
    CHECK(summary.listing_incomplete);
    CHECK_FALSE(summary.clean());
    CHECK(summary.files_removed == 0);
    REQUIRE(f.observer.warnings.size() == 2);
    CHECK_THAT(f.observer.warnings[0], Catch::Contains("cannot list") && Catch::Contains("Permission denied"));
    CHECK(f.passages().size() == 3);
}

TEST_CASE("Merging databases keeps every passage once, all alias groups and the oldest analyzer", "[index]") {
    test::TempDir dir;
    RecordingObserver observer;
    dir.write("one/a.txt", "Alpha first.\n\nAlpha second.\n");
    dir.write("one/aliases.conf", "Middle Corridor | TITR\n");
    dir.write("two/b.txt", "Bravo only.\n");
    dir.write("two/aliases.conf", "ASEAN | Association of Southeast Asian Nations\n");
    const auto one = dir.path() / "one.db";
    const auto two = dir.path() / "two.db";
    REQUIRE(index::build_index({one, {dir.path() / "one"}}, observer).clean());
    REQUIRE(index::build_index({two, {dir.path() / "two"}}, observer).clean());

    // two.db as an indexer of the previous analyzer would have left it: its file record's
    // signature names that analyzer, and so does its label.
    const int older = analysis::Analyzer::version - 1;
    {
        Xapian::WritableDatabase w(two.string(), Xapian::DB_OPEN);
        const std::string key = index::file_key("b.txt");
        index::FileRecord record = index::parse_file_record(w.get_metadata(key));
        const std::string current = ";analyzer=" + std::to_string(analysis::Analyzer::version) + ";";
        const std::size_t at = record.signature.find(current);
        REQUIRE(at != std::string::npos);
        record.signature.replace(at, current.size(), ";analyzer=" + std::to_string(older) + ";");
        w.set_metadata(key, index::serialize_file_record(record));
        w.set_metadata(std::string(index::metadata_key::analyzer), std::to_string(older));
        w.commit();
    }

    SECTION("the merged database holds both, and is refused until the older file is re-indexed") {
        const auto merged = dir.path() / "merged.db";
        // The current database first: Xapian alone would keep its label.
        index::compact_databases({one, two}, merged);
        CHECK(test::xapian_check_failure(merged) == "");
        const Xapian::Database db(merged.string());
        CHECK(db.get_doccount() == 3);
        CHECK(db.get_metadata(std::string(index::metadata_key::analyzer)) == std::to_string(older));
        const auto groups = index::parse_alias_groups(db.get_metadata(std::string(index::metadata_key::aliases)));
        CHECK(groups == std::vector<passage::AliasGroup>{{"Middle Corridor", "TITR"},
                                                        {"ASEAN", "Association of Southeast Asian Nations"}});
        CHECK_THROWS_WITH(index::IndexReader(merged), Catch::Contains("analyzer version '" + std::to_string(older) + "'"));

        const auto rerun = index::build_index({merged, {dir.path() / "one", dir.path() / "two"}}, observer);
        CHECK(rerun.files_updated == 1);  // b.txt, whose signature names the older analyzer
        CHECK(rerun.files_unchanged == 1);
        index::IndexReader reader(merged);
        CHECK(reader.database().get_doccount() == 3);
    }
    SECTION("a file in two of the databases is refused, and nothing is written") {
        const auto merged = dir.path() / "merged.db";
        CHECK_THROWS_WITH(index::compact_databases({one, two, one}, merged),
                          Catch::Contains("'a.txt' is indexed in more than one of the databases"));
        CHECK_FALSE(std::filesystem::exists(merged));
        CHECK_FALSE(std::filesystem::exists(merged.string() + ".merging"));
    }
    SECTION("also when Xapian merges more than three databases in several passes") {
        dir.write("three/c.txt", "Charlie.\n");
        dir.write("four/d.txt", "Delta.\n");
        REQUIRE(index::build_index({dir.path() / "three.db", {dir.path() / "three"}}, observer).clean());
        REQUIRE(index::build_index({dir.path() / "four.db", {dir.path() / "four"}}, observer).clean());
        const auto merged = dir.path() / "merged.db";
        CHECK_THROWS_WITH(index::compact_databases({one, dir.path() / "three.db", two, dir.path() / "four.db", two}, merged),
                          Catch::Contains("'b.txt' is indexed in more than one of the databases"));
        CHECK_FALSE(std::filesystem::exists(merged));
        // Found only in the last pass: b.txt's two databases are in different first-pass groups.
        CHECK_THROWS_WITH(index::compact_databases({one, two, dir.path() / "three.db", two}, merged),
                          Catch::Contains("'b.txt' is indexed in more than one of the databases"));
        CHECK_FALSE(std::filesystem::exists(merged));
        index::compact_databases({one, dir.path() / "three.db", two, dir.path() / "four.db"}, merged);
        CHECK(Xapian::Database(merged.string()).get_doccount() == 5);
        CHECK(index::parse_alias_groups(Xapian::Database(merged.string()).get_metadata(
                  std::string(index::metadata_key::aliases))).size() == 2);
    }
    SECTION("databases of different schema versions are refused") {
        {
            Xapian::WritableDatabase w(two.string(), Xapian::DB_OPEN);
            w.set_metadata(std::string(index::metadata_key::schema), std::to_string(index::schema_version - 1));
            w.commit();
        }
        CHECK_THROWS_WITH(index::compact_databases({one, two}, dir.path() / "merged.db"),
                          Catch::Contains("different schema versions"));
    }
    SECTION("an existing destination or a missing source is refused") {
        CHECK_THROWS_WITH(index::compact_databases({one}, two), Catch::Contains("exists; give a new database path"));
        CHECK_THROWS_WITH(index::compact_databases({dir.path() / "nowhere.db"}, dir.path() / "merged.db"),
                          Catch::Contains("no database at"));
        // A trailing slash names the same database; nothing is left beside it.
        index::compact_databases({one}, dir.path().string() + "/slash.db/");
        CHECK(Xapian::Database((dir.path() / "slash.db").string()).get_doccount() == 2);
        CHECK_FALSE(std::filesystem::exists(dir.path() / "slash.db.merging"));
    }
}
