// Counting from the index (search/index_count.hpp) against counting by reading and analysing
// every matching passage (evidence::MatchFinder, the --all path): for words and phrases taken
// from the shipped corpus itself, the two must agree in total, passages and per file.

#include "cite/analysis/analyzer.hpp"
#include "cite/index/index_writer.hpp"
#include "cite/index/schema.hpp"
#include "cite/passage/paragraph_splitter.hpp"
#include "cite/passage/source_text.hpp"
#include "cite/query/query_parser.hpp"
#include "cite/search/analysis_pool.hpp"
#include "cite/search/citation_keys.hpp"
#include "cite/search/index_count.hpp"
#include "cite/search/search_service.hpp"
#include "temp_dir.hpp"
#include "test_paths.hpp"

#include <catch2/catch.hpp>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <regex>
#include <set>
#include <stdexcept>
#include <thread>
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

// Keeps every hit, with its evidence.
struct HitSink : output::ResultSink {
    std::vector<evidence::CitedHit> hits;
    void begin(const output::QueryInfo&) override {}
    void hit(const evidence::CitedHit& h) override { hits.push_back(h); }
    void end(const output::SearchStats&) override {}
    [[nodiscard]] bool wants_evidence() const override { return true; }
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

namespace {

// A machine with one core, where by design the pool starts no helper: nothing to test.
bool one_core() {
    if (std::thread::hardware_concurrency() >= 2) return false;
    WARN("one core: the pool starts no helper, so there is nothing to test");
    return true;
}

// A pool whose helper thread has started and built its tools (or 30 s have passed).
struct PoolWithHelper {
    analysis::Analyzer analyzer;
    analysis::SentenceSplitter sentences;
    search::AnalysisPool pool{{analyzer, sentences}, /*start_after=*/0};
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);

    PoolWithHelper() {
        pool.for_each(1, [](std::size_t, search::AnalysisTools&) {});  // starts the helper
        while (!pool.helping() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
};

}  // namespace

TEST_CASE("The analysis pool runs every item once, each with its own thread's analyzer", "[search]") {
    analysis::Analyzer analyzer;
    analysis::SentenceSplitter sentences;
    search::AnalysisPool pool({analyzer, sentences}, /*start_after=*/0);

    // Each item analyses its own text; the reference terms come from a third analyzer, here.
    analysis::Analyzer reference;
    auto terms_of = [](analysis::Analyzer& a, const std::string& text) {
        std::string out;
        for (const analysis::Token& t : a.analyze(text)) out += t.term + '/' + t.stem + ' ';
        return out;
    };
    std::vector<std::string> texts;
    std::vector<std::string> expected;
    for (int i = 0; i < 3000; ++i) {
        texts.push_back("Passage " + std::to_string(i) + ": the cargo volumes of corridor " + std::to_string(i * 7) +
                        " rose in Be\xc5\x9f" "er's e-mail.");
        expected.push_back(terms_of(reference, texts.back()));
    }
    for (int round = 0; round < 3; ++round) {  // the helper starts during the first
        std::vector<int> calls(texts.size(), 0);
        std::vector<std::string> got(texts.size());
        pool.for_each(texts.size(), [&](std::size_t i, search::AnalysisTools& tools) {
            ++calls[i];
            got[i] = terms_of(tools.analyzer, texts[i]);
        });
        CAPTURE(round);
        CHECK(std::count(calls.begin(), calls.end(), 1) == static_cast<long>(texts.size()));
        CHECK(got == expected);
    }
    pool.for_each(0, [](std::size_t, search::AnalysisTools&) { FAIL("no items, no calls"); });
}

TEST_CASE("The analysis pool's helper takes items, with its own tools", "[search]") {
    if (one_core()) return;
    PoolWithHelper p;
    REQUIRE(p.pool.helping());
    search::AnalysisPool& pool = p.pool;
    const auto deadline = p.deadline;
    const analysis::Analyzer& analyzer = p.analyzer;

    // Every item waits until items have run on two different analyzers: with one thread
    // alone, they would wait out the deadline and the check below fails.
    std::mutex mutex;
    std::set<const analysis::Analyzer*> seen;
    std::atomic<bool> both{false};
    std::vector<const analysis::Analyzer*> ran_on(64, nullptr);
    pool.for_each(ran_on.size(), [&](std::size_t i, search::AnalysisTools& tools) {
        ran_on[i] = &tools.analyzer;
        {
            std::lock_guard lock(mutex);
            seen.insert(&tools.analyzer);
            if (seen.size() == 2) both = true;
        }
        while (!both && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    });
    CHECK(both);
    CHECK(seen.count(&analyzer) == 1);  // the caller's own tools are among them
    CHECK(std::count(ran_on.begin(), ran_on.end(), nullptr) == 0);
}

TEST_CASE("The analysis pool rethrows a failed item's error and stays usable", "[search]") {
    analysis::Analyzer analyzer;
    analysis::SentenceSplitter sentences;
    search::AnalysisPool pool({analyzer, sentences}, /*start_after=*/0);
    for (int round = 0; round < 2; ++round) {
        CAPTURE(round);
        CHECK_THROWS_WITH(pool.for_each(500, [](std::size_t i, search::AnalysisTools&) {
                              if (i == 7) throw std::runtime_error("item 7");
                          }),
                          "item 7");
        std::atomic<int> done{0};
        pool.for_each(500, [&](std::size_t, search::AnalysisTools&) { ++done; });
        CHECK(done == 500);
    }
}

TEST_CASE("The analysis pool waits for the helper's item before rethrowing meanwhile's error", "[search]") {
    if (one_core()) return;
    PoolWithHelper p;
    REQUIRE(p.pool.helping());
    search::AnalysisPool& pool = p.pool;
    const auto deadline = p.deadline;

    // The helper's item is under way when `meanwhile` throws, and still runs for a while:
    // for_each must not return (the job lives on its stack) until the helper has left it.
    std::atomic<bool> meanwhile_started{false};
    std::atomic<int> in_flight{0};
    std::atomic<int> items{0};
    std::thread::id meanwhile_thread;
    CHECK_THROWS_WITH(pool.for_each(
                          500,
                          [&](std::size_t, search::AnalysisTools&) {
                              ++in_flight;
                              ++items;
                              while (!meanwhile_started && std::chrono::steady_clock::now() < deadline)
                                  std::this_thread::yield();
                              std::this_thread::sleep_for(std::chrono::milliseconds(20));
                              --in_flight;
                          },
                          [&] {
                              meanwhile_thread = std::this_thread::get_id();
                              meanwhile_started = true;
                              while (in_flight == 0 && std::chrono::steady_clock::now() < deadline)
                                  std::this_thread::yield();
                              throw std::runtime_error("reading failed");
                          }),
                      "reading failed");
    CHECK(in_flight == 0);
    CHECK(items >= 1);
    CHECK(items < 500);  // the error stopped the job: the helper took no new items
    CHECK(meanwhile_thread == std::this_thread::get_id());
    std::atomic<int> done{0};
    pool.for_each(500, [&](std::size_t, search::AnalysisTools&) { ++done; });
    CHECK(done == 500);
}

TEST_CASE("Listing every mention across many passages gives each, in corpus order, with its sentence", "[search]") {
    // 700 passages (more than the pool's first items and several of the listing's chunks),
    // paragraph j holding the word 1 + j % 3 times, each in its own sentence. Expected
    // offsets come from the files' bytes.
    test::TempDir dir;
    QuietObserver observer;
    const fs::path db = dir.path() / "index.db";
    struct Expected {
        std::string file;
        std::size_t begin;
        std::string sentence;
    };
    std::vector<Expected> expected;
    for (const auto& [file, paragraphs] : std::vector<std::pair<std::string, int>>{{"a.txt", 400}, {"b.txt", 300}}) {
        std::string bytes;
        for (int j = 0; j < paragraphs; ++j) {
            if (j > 0) bytes += "\n\n";
            bytes += "Paragraph " + std::to_string(j) + " opens here.";
            for (int m = 0; m <= j % 3; ++m) {
                const std::string sentence = "Sentence " + std::to_string(m) + " holds a marker.";
                bytes += ' ';
                expected.push_back({file, bytes.size() + sentence.find("marker"), sentence});
                bytes += sentence;
            }
        }
        bytes += '\n';
        dir.write("corpus/" + file, bytes);
    }
    (void)index::build_index({db, {dir.path() / "corpus"}}, observer);
    search::SearchService service{db};

    for (int round = 0; round < 2; ++round) {  // the second with the pool's helper running
        HitSink sink;
        search::SearchRequest request;
        request.query = "marker";
        request.mode = search::SearchMode::Mentions;
        const output::SearchStats stats = service.run(request, sink);
        CAPTURE(round);
        REQUIRE(sink.hits.size() == expected.size());
        CHECK(stats.mentions->total == expected.size());
        CHECK(stats.mentions->passages == 700);
        for (std::size_t k = 0; k < expected.size(); ++k) {
            const evidence::CitedHit& hit = sink.hits[k];
            CAPTURE(k);
            CHECK(hit.rank == k + 1);
            CHECK(hit.passage.source == expected[k].file);
            REQUIRE(hit.mention);
            CHECK(hit.mention->bytes.begin == expected[k].begin);
            CHECK(hit.mention->text == "marker");
            REQUIRE(hit.evidence.size() == 1);
            CHECK(hit.evidence[0].quote == expected[k].sentence);
            CHECK(hit.evidence[0].highlights == std::vector<analysis::ByteRange>{hit.mention->bytes});
        }
    }
    // --count of a query the index cannot count alone goes through the same passages.
    const auto counted = summary_of(service, "marker OR absentword", search::SearchMode::Count);
    CHECK(counted.total == expected.size());
    CHECK(counted.passages == 700);
    CHECK(counted.per_file == std::vector<std::pair<std::string, std::size_t>>{{"a.txt", 400 / 3 * 6 + 1}, {"b.txt", 600}});
}

TEST_CASE("Regression: quote, check and facts give no verdict from a file changed or deleted since indexing", "[search]") {
    // A copy of the shipped corpus, indexed, then 003's "$31 billion" changed to "$41 billion",
    // then 003 deleted. The index still holds the old text; the file does not: no verdict may
    // rest on it, and the file is named as left out.
    test::TempDir dir;
    const fs::path corpus = dir.path() / "corpus";
    fs::copy(test::shipped_corpus(), corpus, fs::copy_options::recursive);
    const std::string name = "003_4a6a91b40eaa168d.txt";
    const fs::path file = corpus / name;
    fs::permissions(file, fs::perms::owner_write, fs::perm_options::add);
    const std::string original = test::read_bytes(file);
    const std::string wording = "bilateral trade hitting $31 billion in 2023";
    const std::string figure = "$31 billion";
    REQUIRE(original.find(wording) != std::string::npos);
    REQUIRE(original.find(figure) == original.rfind(figure));
    const std::string other = "004_1c0e81e84614d3ea.txt";
    const std::string other_wording = "Kazakhstan is the only country in the region with the ESP status";
    REQUIRE(test::read_bytes(corpus / other).find(other_wording) != std::string::npos);
    const std::string claim31 = "China–Kazakhstan trade hit $31 billion in 2023";
    const std::string claim41 = "China–Kazakhstan trade hit $41 billion in 2023";
    QuietObserver observer;
    const fs::path db = dir.path() / "index.db";
    (void)index::build_index({db, {corpus}}, observer);

    {  // While the file holds what was indexed, it backs the verdicts.
        search::SearchService service{db};
        const auto quote = service.verify_quote(wording, false);
        CHECK(quote.verdict == evidence::QuoteVerdict::Exact);
        REQUIRE(quote.matches.size() == 1);
        CHECK(quote.matches[0].hit.passage.source == name);
        CHECK(quote.left_out.empty());
        const auto supported = service.check_claim(claim31);
        CHECK(supported.verdict == evidence::ClaimVerdict::Supported);
        CHECK(supported.left_out.empty());
        CHECK(service.check_claim(claim41).verdict == evidence::ClaimVerdict::Contradicted);
        CHECK(service.list_facts('"' + figure + '"').passages == 1);
    }

    std::string edited = original;
    edited.replace(edited.find(figure), figure.size(), "$41 billion");
    REQUIRE(edited.find(wording) == std::string::npos);
    dir.write("corpus/" + name, edited);
    for (const evidence::SourceStatus status : {evidence::SourceStatus::Stale, evidence::SourceStatus::Missing}) {
        CAPTURE(evidence::to_string(status));
        if (status == evidence::SourceStatus::Missing) fs::remove(file);
        search::SearchService service{db};  // a new run: each file is hashed once per run
        const std::vector<evidence::LeftOutSource> left_out = {{name, status}};

        const auto quote = service.verify_quote(wording, false);
        CHECK(quote.verdict == evidence::QuoteVerdict::NotFound);
        CHECK(quote.matches.empty());
        CHECK(quote.left_out == left_out);
        // Another file's wording is still found, and nothing is left out of that verdict.
        const auto fresh = service.verify_quote(other_wording, false);
        CHECK(fresh.verdict == evidence::QuoteVerdict::Exact);
        REQUIRE_FALSE(fresh.matches.empty());
        CHECK(fresh.matches[0].hit.passage.source == other);
        CHECK(fresh.matches[0].hit.status == evidence::SourceStatus::Fresh);
        CHECK(fresh.left_out.empty());

        for (const std::string& claim : {claim31, claim41}) {
            CAPTURE(claim);
            const auto check = service.check_claim(claim);
            CHECK(check.verdict != evidence::ClaimVerdict::Supported);
            CHECK(check.verdict != evidence::ClaimVerdict::Contradicted);
            for (const auto& ev : check.evidence) {
                CHECK(ev.hit.passage.source != name);
                CHECK(evidence::quotable(ev.hit.status));
            }
            CHECK(check.left_out == left_out);
        }

        const auto facts = service.list_facts('"' + figure + '"');
        CHECK(facts.by_unit.empty());
        CHECK(facts.passages == 0);
        CHECK(facts.left_out == left_out);
        // Figures of the other files are still listed, none of 003's.
        const auto corridor = service.list_facts("\"Middle Corridor\"");
        CHECK(corridor.left_out == left_out);
        CHECK(corridor.passages > 0);
        for (const auto& [unit, list] : corridor.by_unit)
            for (const auto& fact : list) CHECK(fact.hit.passage.source != name);

        // A listing keeps the mention's place, marked, but not its words or its quote; ranked
        // search marks the hit and withholds its quote, as before.
        HitSink mentions;
        search::SearchRequest request;
        request.query = '"' + figure + '"';
        request.mode = search::SearchMode::Mentions;
        (void)service.run(request, mentions);
        REQUIRE(mentions.hits.size() == 1);
        const evidence::CitedHit& mention = mentions.hits[0];
        CHECK(mention.status == status);
        REQUIRE(mention.mention);
        CHECK(mention.mention->bytes.begin == original.find(figure));
        CHECK(mention.mention->text.empty());
        CHECK(mention.evidence.empty());
        HitSink ranked;
        request.mode = search::SearchMode::Ranked;
        (void)service.run(request, ranked);
        REQUIRE(ranked.hits.size() == 1);
        CHECK(ranked.hits[0].status == status);
        CHECK(ranked.hits[0].evidence.empty());
    }
}

namespace {

std::vector<evidence::CitedHit> ranked(search::SearchService& service, const std::string& query,
                                       output::SearchStats* stats = nullptr) {
    HitSink sink;
    search::SearchRequest request;
    request.query = query;
    request.limit = 50;
    struct Both : output::ResultSink {
        HitSink& hits;
        output::SearchStats* stats;
        Both(HitSink& h, output::SearchStats* s) : hits(h), stats(s) {}
        void begin(const output::QueryInfo& q) override { hits.begin(q); }
        void hit(const evidence::CitedHit& h) override { hits.hit(h); }
        void end(const output::SearchStats& s) override {
            if (stats) *stats = s;
        }
    } both(sink, stats);
    (void)service.run(request, both);
    return sink.hits;
}

bool holds_word(const std::string& text, const std::string& word) {
    return std::regex_search(text, std::regex("\\b" + word + "\\b", std::regex::icase));
}

}  // namespace

TEST_CASE("The exact word first: a passage with the word as typed ranks above its stem-mates", "[search]") {
    // Many short passages with "executive" (the frequent stem-mate, in the document titles
    // too), one long passage with "executed".
    test::TempDir dir;
    std::string a;
    for (int i = 0; i < 12; ++i) a += "The executive board met on day " + std::to_string(i) + ".\n\n";
    a += "Officials said the prisoner was executed at dawn after a long appeal, which lawyers for the family had "
         "pursued through three courts over several years without any success.\n";
    dir.write("corpus/a.txt", a);
    dir.write("corpus/b.txt", "Executive pay rose again.\n\nThe executive team was replaced.\n");
    QuietObserver observer;
    (void)index::build_index({dir.path() / "index.db", {dir.path() / "corpus"}}, observer);
    search::SearchService service{dir.path() / "index.db"};
    const auto hits = ranked(service, "executed");
    REQUIRE(hits.size() == 15);  // every passage matches by the stem
    CHECK(holds_word(hits.front().passage.text, "executed"));
    for (std::size_t i = 1; i < hits.size(); ++i) CHECK_FALSE(holds_word(hits[i].passage.text, "executed"));
}

TEST_CASE("Proximity: query words side by side rank above the same words far apart", "[search]") {
    test::TempDir dir;
    const std::string filler = "which the analysts had long expected to see in the figures for the last quarter of "
                               "the year, as they said on Monday";
    std::string text;
    for (int i = 0; i < 10; ++i) text += "Other news of day " + std::to_string(i) + " in the markets.\n\n";
    // The same words, as often, in passages of the same length: apart, then together.
    text += "Apple reported its results, " + filler + ", with sales up.\n\n";
    text += "Apple sales reported results, " + filler + ", with its up.\n";
    dir.write("corpus/a.txt", text);
    QuietObserver observer;
    (void)index::build_index({dir.path() / "index.db", {dir.path() / "corpus"}}, observer);
    search::SearchService service{dir.path() / "index.db"};
    const auto hits = ranked(service, "apple sales");
    REQUIRE(hits.size() == 2);
    CHECK(hits[0].passage.text.starts_with("Apple sales"));
    CHECK(hits[1].passage.text.starts_with("Apple reported"));
}

TEST_CASE("A word no passage holds is named with the nearest indexed word; an empty index says so", "[search]") {
    test::TempDir dir;
    dir.write("corpus/a.txt", "Yukos faces an auction of its main unit.\n\nThe auction was held in Moscow.\n");
    QuietObserver observer;
    (void)index::build_index({dir.path() / "index.db", {dir.path() / "corpus"}}, observer);
    search::SearchService service{dir.path() / "index.db"};
    output::SearchStats stats;
    const auto hits = ranked(service, "Yukos auktion", &stats);
    CHECK(hits.size() == 1);  // Yukos alone
    // "auktion" is one substitution from "auction", the only indexed word within two edits.
    REQUIRE(stats.unmatched.size() == 1);
    CHECK(stats.unmatched[0].word == "auktion");
    CHECK(stats.unmatched[0].nearest == "auction");
    CHECK_FALSE(stats.empty_index);
    // Quoted, the exact form must be there; and a word far from every indexed one has no suggestion.
    (void)ranked(service, "\"auctions\" Yukos xqzvwj", &stats);
    REQUIRE(stats.unmatched.size() == 2);
    CHECK(stats.unmatched[0].word == "auctions");
    CHECK(stats.unmatched[0].nearest == "auction");
    CHECK(stats.unmatched[1].word == "xqzvwj");
    CHECK(stats.unmatched[1].nearest.empty());
    // Words that match say nothing.
    (void)ranked(service, "Moscow auction", &stats);
    CHECK(stats.unmatched.empty());

    dir.write("empty/.keep.md", "");
    (void)index::build_index({dir.path() / "empty.db", {dir.path() / "empty"}}, observer);
    search::SearchService empty{dir.path() / "empty.db"};
    CHECK(ranked(empty, "auction", &stats).empty());
    CHECK(stats.empty_index);
    CHECK(stats.unmatched.empty());  // no word to suggest from an empty index
}

TEST_CASE("Mention modes (--all, --count) read an unquoted run of words as one phrase and say so", "[search]") {
    test::TempDir dir;
    const std::string text = "Jose Mourinho praised the side.\n\nMourinho said Jose was fine.\n\n"
                              "Chelsea boss Jose Mourinho and Mourinho's staff.\n";
    dir.write("corpus/a.txt", text);
    QuietObserver observer;
    (void)index::build_index({dir.path() / "index.db", {dir.path() / "corpus"}}, observer);
    search::SearchService service{dir.path() / "index.db"};
    const auto count = [&](const std::string& pattern) {
        const std::regex re(pattern);
        return std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator());
    };
    const std::ptrdiff_t expected = count("Jose\\s+Mourinho");
    for (const auto mode : {search::SearchMode::Count, search::SearchMode::Mentions}) {
        const auto summary = summary_of(service, "Jose Mourinho", mode);
        CHECK(summary.total == static_cast<std::size_t>(expected));
        CHECK(summary.phrase == "Jose Mourinho");
        // Written apart, each word counts.
        const auto apart = summary_of(service, "Jose OR Mourinho", mode);
        CHECK(apart.phrase.empty());
        CHECK(apart.total == static_cast<std::size_t>(count("\\bJose\\b") + count("\\bMourinho\\b")));  // "Mourinho's" too
    }
    // A single word, or a quoted phrase, is read as written: nothing to say.
    CHECK(summary_of(service, "Mourinho", search::SearchMode::Count).phrase.empty());
    CHECK(summary_of(service, "\"Jose Mourinho\"", search::SearchMode::Count).phrase.empty());
}

TEST_CASE("Elisions: a word is found after an elided article, English apostrophes stay words", "[search]") {
    test::TempDir dir;
    const std::string text = "Le président de l'Assemblée a parlé. L’Assemblée vote, et l'Assemblée nationale "
                             "aussi. Une Assemblée élue.\n\nIl rappresentante dell'Unione e l'Unione. "
                             "O'Brien said Obama's plan was rock'n'roll, and it's D'Souza's.\n";
    dir.write("corpus/a.txt", text);
    QuietObserver observer;
    (void)index::build_index({dir.path() / "index.db", {dir.path() / "corpus"}}, observer);
    search::SearchService service{dir.path() / "index.db"};
    // Expected by a regular expression over the text: the word after nothing, a space, or
    // an elided article and its apostrophe.
    const auto count = [&](const std::string& pattern) {
        const std::regex re(pattern);
        return static_cast<std::size_t>(std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator()));
    };
    CHECK(summary_of(service, "Assemblée", search::SearchMode::Count).total == count("Assemblée"));
    CHECK(summary_of(service, "Assemblée", search::SearchMode::Count).total == 4);
    CHECK(summary_of(service, "Unione", search::SearchMode::Count).total == count("Unione"));
    // Typed with its article, the elided form is a phrase of two words.
    CHECK(summary_of(service, "l'Assemblée", search::SearchMode::Count).total ==
          count("[lL]('|’)Assemblée"));
    // English words keep their apostrophes: "Brien" is not a word of the text, "O'Brien" is.
    CHECK(summary_of(service, "Brien", search::SearchMode::Count).total == 0);
    CHECK(summary_of(service, "O'Brien", search::SearchMode::Count).total == 1);
    CHECK(summary_of(service, "Souza", search::SearchMode::Count).total == 0);
    CHECK(summary_of(service, "roll", search::SearchMode::Count).total == 0);
    // The highlight covers the word, not the article.
    const auto hits = ranked(service, "\"Assemblée nationale\"");
    REQUIRE(hits.size() == 1);
    REQUIRE(hits[0].evidence.size() == 1);
    const evidence::EvidenceSpan& ev = hits[0].evidence[0];
    REQUIRE(ev.highlights.size() == 1);
    CHECK(text.substr(ev.highlights[0].begin, ev.highlights[0].size()) == "Assemblée nationale");
}

TEST_CASE("Every highlight says how it matched: exact, folded, stem, alias, figure", "[search]") {
    test::TempDir dir;
    // One word in each form, each in a sentence of its own.
    const std::string text = "They executed the plan. The EXECUTED order stood. The executive met. Crédit rose. "
                             "Credit fell. The United States agreed. Exports were $31 billion.\n";
    dir.write("corpus/a.txt", text);
    dir.write("corpus/aliases.conf", "US | United States | USA\n");
    QuietObserver observer;
    (void)index::build_index({dir.path() / "index.db", {dir.path() / "corpus"}}, observer);
    search::SearchService service{dir.path() / "index.db"};
    // Each highlight's kind by the rule: the bytes as typed are exact; the same term after
    // folding case or diacritics is folded; another word of the stem is stem.
    std::map<std::string, std::string> how;  // highlighted bytes -> matched_as
    for (const std::string query : {"executed", "credit", "US", "\"$31 billion\""}) {
        for (const auto& hit : ranked(service, query))
            for (const auto& ev : hit.evidence) {
                REQUIRE(ev.matched_as.size() == ev.highlights.size());
                for (std::size_t k = 0; k < ev.highlights.size(); ++k) {
                    const std::string bytes = text.substr(ev.highlights[k].begin, ev.highlights[k].size());
                    how[query + ":" + bytes] = evidence::to_string(ev.matched_as[k].kind);
                    if (ev.matched_as[k].kind == evidence::MatchKind::Alias) CHECK(ev.matched_as[k].alias == bytes);
                    if (ev.matched_as[k].kind == evidence::MatchKind::Stem) CHECK(ev.matched_as[k].query_word == "executed");
                }
            }
    }
    CHECK(how["executed:executed"] == "exact");
    CHECK(how["executed:EXECUTED"] == "folded");
    CHECK(how["executed:executive"] == "stem");
    CHECK(how["credit:Credit"] == "folded");
    CHECK(how["credit:Crédit"] == "folded");
    CHECK(how["US:United States"] == "alias");
    CHECK(how["\"$31 billion\":$31 billion"] == "figure");
}

TEST_CASE("A quote across a paragraph break is found in both paragraphs and cites both", "[search][quote]") {
    // A real file of the shipped corpus: the last sentence of one paragraph and the first of
    // the next, cut from the file's bytes.
    test::TempDir dir;
    const std::string name = "003_4a6a91b40eaa168d.txt";
    const std::string file = test::read_bytes(test::shipped_corpus() / name);
    dir.write("corpus/" + name, file);
    QuietObserver observer;
    (void)index::build_index({dir.path() / "index.db", {dir.path() / "corpus"}}, observer);
    search::SearchService service{dir.path() / "index.db"};
    // The first break between two one-line paragraphs, the first with two sentences or more.
    std::size_t head_begin = 0, head_end = 0, tail_begin = 0, tail_end = 0;
    for (std::size_t at = file.find("\n\n"); at != std::string::npos; at = file.find("\n\n", at + 2)) {
        const std::size_t para_begin = file.rfind("\n\n", at - 1) == std::string::npos ? 0 : file.rfind("\n\n", at - 1) + 2;
        const std::string para = file.substr(para_begin, at - para_begin);
        const std::size_t next_end = file.find('\n', at + 2);
        if (next_end == std::string::npos) break;
        const std::string next = file.substr(at + 2, next_end - at - 2);
        const std::size_t last_sentence = para.rfind(". ");
        const std::size_t first_sentence = next.find(". ");
        if (para.find('\n') != std::string::npos || next.empty() || last_sentence == std::string::npos ||
            first_sentence == std::string::npos || !para.ends_with("."))
            continue;
        head_begin = para_begin + last_sentence + 2;
        head_end = at - 1;  // without its full stop
        tail_begin = at + 2;
        tail_end = at + 2 + first_sentence;
        break;
    }
    REQUIRE(tail_end > 0);
    const std::string quote = file.substr(head_begin, head_end - head_begin) + ". " + file.substr(tail_begin, tail_end - tail_begin);
    CAPTURE(quote);
    const auto check = service.verify_quote(quote, false);
    CHECK(check.verdict == evidence::QuoteVerdict::Exact);
    REQUIRE(check.matches.size() == 1);
    const evidence::QuoteMatch& m = check.matches[0];
    REQUIRE(m.parts.size() == 2);
    CHECK(m.parts[0].begin == head_begin);
    CHECK(m.parts[0].end == head_end);
    CHECK(m.parts[1].begin == tail_begin);
    CHECK(m.parts[1].end == tail_end);
    CHECK(m.source_text == file.substr(head_begin, tail_end - head_begin));
    REQUIRE(m.continued.size() == 1);
    CHECK(m.continued[0].passage.ordinal == m.hit.passage.ordinal + 1);
    CHECK(m.hit.passage.bytes.end == head_end + 1);  // the paragraph ends with the full stop
    CHECK(m.continued[0].passage.bytes.begin == tail_begin);
}

TEST_CASE("Mention modes (--all, --count) of catalog fields only list the matching passages", "[search]") {
    test::TempDir dir;
    dir.write("corpus/a.txt", "First paragraph.\n\nSecond paragraph.\n\nThird one.\n");
    dir.write("corpus/b.txt", "Other text.\n");
    dir.write("corpus/catalog.json", R"({"format_version": 1, "files": {
        "a.txt": {"title": "Glazer bid for United", "authors": ["Nick Assinder"]},
        "b.txt": {"title": "Another story", "authors": []}}})");
    QuietObserver observer;
    (void)index::build_index({dir.path() / "index.db", {dir.path() / "corpus"}}, observer);
    search::SearchService service{dir.path() / "index.db"};
    for (const std::string query : {"title:Glazer", "author:Assinder"}) {
        CAPTURE(query);
        const auto counted = summary_of(service, query, search::SearchMode::Count);
        CHECK(counted.total == 3);  // a.txt's three paragraphs
        CHECK(counted.passages == 3);
        CHECK(counted.fields_only);
        HitSink sink;
        search::SearchRequest request;
        request.query = query;
        request.mode = search::SearchMode::Mentions;
        (void)service.run(request, sink);
        REQUIRE(sink.hits.size() == 3);
        for (const evidence::CitedHit& hit : sink.hits) {
            REQUIRE(hit.mention);
            CHECK(hit.mention->bytes == hit.passage.bytes);  // the passage as a whole
            CHECK(hit.mention->text == hit.passage.text);
        }
    }
    // With a body word, only the word's mentions count.
    CHECK(summary_of(service, "title:Glazer paragraph", search::SearchMode::Count).total == 2);
    CHECK_FALSE(summary_of(service, "title:Glazer paragraph", search::SearchMode::Count).fields_only);
}

TEST_CASE("Claim checks: a figure's measure must be named, brackets do not cut a figure off its words",
          "[search]") {
    // Each file states one figure; each claim below is judged by one rule of docs/fact-checking.md.
    test::TempDir dir;
    dir.write("corpus/farm.txt", "Farm seizure\n\nProsecutors plan to seize 12,900 acres (5,200 hectares) from "
                                 "the Charcote cattle ranch.\n");
    dir.write("corpus/pay.txt", "Bonus row\n\nChief executive Jon Brantley was paid a bonus of £44,914 last year.\n");
    dir.write("corpus/album.txt", "Album sales\n\nThe Velvet Pines' debut album sold 1.6 million copies in the UK "
                                  "last year.\n");
    dir.write("corpus/revenue.txt", "Zanthor results\n\nZanthor revenues slipped 11% from £3.24bn ($6.13bn) in 2003 "
                                    "to £2.89bn in 2004.\n");
    QuietObserver observer;
    const fs::path db = dir.path() / "index.db";
    (void)index::build_index({db, {dir.path() / "corpus"}}, observer);
    search::SearchService service{db};
    using V = evidence::ClaimVerdict;
    auto verdict = [&](const std::string& claim) { return service.check_claim(claim).verdict; };

    // A bracketed figure restates the one before it: the words around the brackets are its own.
    CHECK(verdict("Prosecutors plan to seize 5,200 hectares of the Charcote cattle ranch.") == V::Supported);
    CHECK(verdict("Prosecutors plan to seize 6,000 hectares of the Charcote cattle ranch.") == V::Contradicted);
    // A bracketed aside between a figure and its words is read through.
    CHECK(verdict("Zanthor revenues slipped to £2.89bn in 2004.") == V::Supported);
    // A bonus is no counterpart to a salary: the claimed measure is not named where £44,914 stands.
    CHECK(verdict("Jon Brantley was paid a salary of £180,000.") == V::NotFound);
    CHECK(verdict("Jon Brantley was paid a bonus of £50,000.") == V::Contradicted);
    // A figure the passage places somewhere the claim does not name is another place's.
    CHECK(verdict("The Velvet Pines' debut album sold 3 million copies worldwide.") == V::NotFound);
    CHECK(verdict("The Velvet Pines' debut album sold 3 million copies in the UK.") == V::Contradicted);
}

TEST_CASE("Citation keys are unique across the corpus, JSONL records included", "[search]") {
    // Two records and a text file, all titled alike and undated: by the key rule each would be
    // "solar-output"; in one corpus they must differ, whatever output a record is cited in.
    test::TempDir dir;
    dir.write("a.jsonl", "{\"_id\":\"r1\",\"title\":\"Solar output rose\",\"text\":\"Farms made power.\"}\n"
                         "{\"_id\":\"r2\",\"title\":\"Solar output rose\",\"text\":\"Panels made power.\"}\n");
    dir.write("corpus/b.txt", "Solar output rose\n\nTurbines made power.\n");
    QuietObserver observer;
    const fs::path db = dir.path() / "index.db";
    (void)index::build_index({db, {dir.path() / "a.jsonl", dir.path() / "corpus"}}, observer);
    search::SearchService service{db};
    const auto keys = search::corpus_citation_keys(service.reader());
    REQUIRE(keys->size() == 3);
    std::set<std::string> distinct;
    for (const std::string document : {"a.jsonl#r1", "a.jsonl#r2", "b.txt"}) {
        const std::string key = keys->key(document, service.reader().document(document));
        CAPTURE(document, key);
        CHECK(key.starts_with("solar-output"));
        distinct.insert(key);
    }
    CHECK(distinct.size() == 3);
}
