// Counting from the index (search/index_count.hpp) against counting by reading and analysing
// every matching passage (evidence::MatchFinder, the --all path): for words and phrases taken
// from the shipped corpus itself, the two must agree in total, passages and per file.

#include "cite/analysis/analyzer.hpp"
#include "cite/index/index_writer.hpp"
#include "cite/index/schema.hpp"
#include "cite/passage/paragraph_splitter.hpp"
#include "cite/passage/source_text.hpp"
#include "cite/query/query_parser.hpp"
#include "cite/search/index_count.hpp"
#include "cite/search/search_service.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"

#include <catch2/catch.hpp>
#include <xapian.h>

#include <algorithm>
#include <regex>
#include <set>
#include <utility>
#include <vector>

using namespace cite;
namespace fs = std::filesystem;

namespace {

struct QuietObserver : index::IndexObserver {
    void warning(const std::string&, const std::string&) override {}
    void progress(const index::IndexProgress&) override {}
};

// Keeps only the end-of-search figures.
struct StatsSink : output::ResultSink {
    output::SearchStats stats;
    void begin(const output::QueryInfo&) override {}
    void hit(const evidence::CitedHit&) override {}
    void end(const output::SearchStats& s) override { stats = s; }
    [[nodiscard]] bool wants_evidence() const override { return false; }
};

output::MentionSummary summary_of(search::SearchService& service, const std::string& query, search::SearchMode mode,
                                  bool use_aliases = true) {
    StatsSink sink;
    search::SearchRequest request;
    request.query = query;
    request.mode = mode;
    request.use_aliases = use_aliases;
    (void)service.run(request, sink);
    return sink.stats.mentions.value_or(output::MentionSummary{});
}

// Query texts from the corpus: every distinct word as written, each quoted too, and every
// distinct pair of neighbouring words in a paragraph as a quoted phrase. Words that are query
// syntax (operators, field names) are left out.
std::set<std::string> queries_from_corpus(analysis::Analyzer& analyzer) {
    std::set<std::string> queries;
    auto add_paragraph = [&](const std::string& text) {
        std::string previous;
        for (const analysis::Token& t : analyzer.analyze(text)) {
            const std::string word = text.substr(t.bytes.begin, t.bytes.size());
            const bool syntax = word == "OR" || word == "AND" || word == "NOT" || word.starts_with("NEAR") ||
                                word.find_first_of(":\"()") != std::string::npos;
            if (t.kind != analysis::TokenKind::Word || syntax) {
                previous.clear();
                continue;
            }
            queries.insert(word);
            queries.insert('"' + word + '"');
            if (!previous.empty()) queries.insert('"' + previous + ' ' + word + '"');
            previous = word;
        }
    };
    for (const auto& entry : fs::directory_iterator(test::shipped_corpus())) {
        if (entry.path().extension() != ".txt") continue;
        const std::string bytes = test::read_bytes(entry.path());
        for (const passage::Paragraph& para : passage::split_paragraphs(bytes, passage::utf8_bom_length(bytes)))
            add_paragraph(bytes.substr(para.bytes.begin, para.bytes.size()));
    }
    return queries;
}

// The shipped corpus indexed into a temporary database, and a service on it.
struct ShippedIndex {
    test::TempDir dir;
    fs::path db = dir.path() / "index.db";
    index::IndexSummary summary = [this] {
        QuietObserver observer;
        return index::build_index({db, {test::shipped_corpus()}}, observer);
    }();
    search::SearchService service{db};
};

}  // namespace

TEST_CASE("Counts from the index equal counts from re-reading the passages", "[search]") {
    ShippedIndex shipped;
    search::SearchService& service = shipped.service;
    analysis::Analyzer analyzer;

    const std::set<std::string> queries = queries_from_corpus(analyzer);
    REQUIRE(queries.size() > 1000);  // ~900 words per article; a thin sample would prove little
    std::size_t compared = 0;
    for (const std::string& query : queries) {
        const auto fast = summary_of(service, query, search::SearchMode::Count);
        const auto slow = summary_of(service, query, search::SearchMode::Mentions);
        CAPTURE(query);
        CHECK(fast.total == slow.total);
        CHECK(fast.passages == slow.passages);
        CHECK(fast.per_file == slow.per_file);
        compared += slow.total > 0;
    }
    CHECK(compared == queries.size());  // every query comes from the corpus, so each is found

    // The comparison above is only worth something if the index path is taken: it is, for a
    // word, a quoted word and a phrase; not for a hyphenated word (two alternatives).
    Xapian::Database xdb(shipped.db.string());
    for (const char* query : {"corridor", "\"corridor\"", "\"Middle Corridor\""})
        CHECK(search::count_in_index(xdb, query::parse_query(query, analyzer)).has_value());
    CHECK_FALSE(search::count_in_index(xdb, query::parse_query("multi-vector", analyzer)).has_value());
    CHECK_FALSE(search::count_in_index(xdb, query::parse_query("corridor OR cargo", analyzer)).has_value());
}

TEST_CASE("Phrase counts where a phrase's word occurs once, twice, or twice in the phrase", "[search]") {
    // index_count.cpp counts a passage once, without reading positions, when some word of the
    // phrase occurs in it once; these paragraphs sit on both sides of that shortcut. The
    // expected counts are the paragraphs' own, by hand.
    test::TempDir dir;
    QuietObserver observer;
    const fs::path db = dir.path() / "index.db";
    // b.txt is indexed first, so its passages have the lower docids: files are still listed
    // in corpus order (by name), not in docid order.
    dir.write("corpus/b.txt", "The old man and the old man left.\n");  // old man: 2
    (void)index::build_index({db, {dir.path() / "corpus"}}, observer);
    dir.write("corpus/a.txt",
              "The old man sat.\n\n"                        // old man: 1 (each word once)
              "An old dog and an old man.\n\n"              // old man: 1 (old twice, man once)
              "Old man, old man, come in.\n\n"              // old man: 2 (both twice)
              "A man grew old.\n\n"                         // old man: 0 (both words, no phrase)
              "Old old man: old old old.\n");                // old old: 3 (the word twice in it)
    (void)index::build_index({db, {dir.path() / "corpus"}}, observer);
    {
        const Xapian::Database xdb(db.string());
        REQUIRE(*xdb.postlist_begin(index::source_term("b.txt")) < *xdb.postlist_begin(index::source_term("a.txt")));
    }
    search::SearchService service{db};

    const auto old_man = summary_of(service, "\"old man\"", search::SearchMode::Count);
    CHECK(old_man.total == 1 + 1 + 2 + 1 + 2);
    CHECK(old_man.passages == 5);
    CHECK(old_man.per_file == std::vector<std::pair<std::string, std::size_t>>{{"a.txt", 5}, {"b.txt", 2}});
    const auto old_old = summary_of(service, "\"old old\"", search::SearchMode::Count);
    CHECK(old_old.total == 3);
    CHECK(old_old.passages == 1);
    // Punctuation does not break a phrase ("man, old", "man: old"); "man grew old" is no match.
    CHECK(summary_of(service, "\"man old\"", search::SearchMode::Count).total == 2);
    CHECK(summary_of(service, "\"grew man\"", search::SearchMode::Count).total == 0);
    // The same figures by re-reading the passages (the --all path).
    for (const char* query : {"\"old man\"", "\"old old\""}) {
        const auto slow = summary_of(service, query, search::SearchMode::Mentions);
        const auto fast = summary_of(service, query, search::SearchMode::Count);
        CAPTURE(query);
        CHECK(fast.total == slow.total);
        CHECK(fast.per_file == slow.per_file);
    }
}

TEST_CASE("Counts from the index equal a case-insensitive whole-word count of the files' bytes", "[search]") {
    ShippedIndex shipped;
    search::SearchService& service = shipped.service;

    // Quoted words and phrases (exact terms, no stems); the words of a phrase may be apart by
    // any white space, a line break included. Each count comes from the bytes, per file.
    for (const auto& [query, pattern] : std::vector<std::pair<std::string, std::string>>{
             {"\"Kazakhstan\"", R"(\bkazakhstan\b)"},
             {"\"China\"", R"(\bchina\b)"},
             {"\"foreign policy\"", R"(\bforeign\s+policy\b)"},
             {"\"Central Asia\"", R"(\bcentral\s+asia\b)"},
             {"\"Middle Corridor\"", R"(\bmiddle\s+corridor\b)"}}) {
        const std::regex re(pattern, std::regex::icase);
        std::vector<std::pair<std::string, std::size_t>> per_file;
        std::size_t total = 0;
        for (const auto& entry : fs::directory_iterator(test::shipped_corpus())) {
            if (entry.path().extension() != ".txt") continue;
            const std::string bytes = test::read_bytes(entry.path());
            const auto n = static_cast<std::size_t>(
                std::distance(std::sregex_iterator(bytes.begin(), bytes.end(), re), std::sregex_iterator()));
            if (n > 0) per_file.emplace_back(entry.path().filename().string(), n);
            total += n;
        }
        std::sort(per_file.begin(), per_file.end());
        CAPTURE(query);
        REQUIRE(total > 0);
        const auto counted = summary_of(service, query, search::SearchMode::Count, /*use_aliases=*/false);
        CHECK(counted.total == total);
        CHECK(counted.per_file == per_file);
    }
}
