// Copies of one story (index/similarity, index/duplicate_groups, search/copy_collapse): the
// tests write their own copies of generated stories (changed headline and boilerplate, trimmed
// and reordered paragraphs, an added correction, a byte-identical copy, a quoted paragraph)
// and compute the expected groups themselves: by construction, checked against the exact
// Jaccard similarity of word 5-shingles computed here with a regular expression.

#include "cite/index/duplicate_groups.hpp"
#include "cite/index/index_reader.hpp"
#include "cite/index/index_writer.hpp"
#include "cite/index/schema.hpp"
#include "cite/index/shard_set.hpp"
#include "cite/index/similarity.hpp"
#include "cite/search/search_service.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

using namespace cite;
namespace fs = std::filesystem;

namespace {

struct QuietObserver : index::IndexObserver {
    void warning(const std::string&, const std::string&) override {}
    void progress(const index::IndexProgress&) override {}
};

struct HitSink : output::ResultSink {
    std::vector<evidence::CitedHit> hits;
    output::SearchStats stats;
    void begin(const output::QueryInfo&) override {}
    void hit(const evidence::CitedHit& h) override { hits.push_back(h); }
    void end(const output::SearchStats& s) override { stats = s; }
};

// A paragraph of `words` pseudo-words from a fixed seed: distinct stories share almost no
// 5-word run.
std::string paragraph(std::mt19937& rng, std::size_t words) {
    static const std::vector<std::string> syllables{"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "pe", "da",
                                                    "zu", "fi", "go", "he", "ja", "be"};
    std::uniform_int_distribution<std::size_t> pick(0, syllables.size() - 1);
    std::uniform_int_distribution<int> length(1, 3);
    std::string out;
    for (std::size_t w = 0; w < words; ++w) {
        if (w > 0) out += ' ';
        for (int s = length(rng); s >= 0; --s) out += syllables[pick(rng)];
    }
    return out + ".";
}

std::vector<std::string> story(unsigned seed, std::size_t paragraphs) {
    std::mt19937 rng(seed);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < paragraphs; ++i) out.push_back(paragraph(rng, 40));
    return out;
}

std::string file_text(const std::string& headline, const std::vector<std::string>& body) {
    std::string out = headline + "\n\n";
    for (const std::string& p : body) out += p + "\n\n";
    return out;
}

// Exact Jaccard of word 5-shingles, words found by a regular expression (lower-cased ASCII
// letters and digits): independent of the signature code.
double exact_jaccard(const std::string& a, const std::string& b) {
    const auto shingles = [](std::string text) {
        std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
        static const std::regex word("[a-z0-9]+");
        std::vector<std::string> words;
        for (auto it = std::sregex_iterator(text.begin(), text.end(), word); it != std::sregex_iterator(); ++it)
            words.push_back(it->str());
        std::set<std::string> out;
        for (std::size_t i = 0; i + 5 <= words.size(); ++i)
            out.insert(words[i] + " " + words[i + 1] + " " + words[i + 2] + " " + words[i + 3] + " " + words[i + 4]);
        return out;
    };
    const auto sa = shingles(a);
    const auto sb = shingles(b);
    std::size_t common = 0;
    for (const auto& s : sa) common += sb.count(s);
    return static_cast<double>(common) / static_cast<double>(sa.size() + sb.size() - common);
}

// Groups as sets of sources, by connected components of pairs with exact_jaccard >= the threshold.
std::set<std::set<std::string>> expected_groups(const std::map<std::string, std::string>& files) {
    std::map<std::string, std::string> parent;
    for (const auto& [name, _] : files) parent[name] = name;
    const std::function<std::string(const std::string&)> find = [&](const std::string& x) {
        return parent[x] == x ? x : parent[x] = find(parent[x]);
    };
    for (auto a = files.begin(); a != files.end(); ++a)
        for (auto b = std::next(a); b != files.end(); ++b)
            if (exact_jaccard(a->second, b->second) >= index::same_story_similarity)
                parent[find(a->first)] = find(b->first);
    std::map<std::string, std::set<std::string>> by_root;
    for (const auto& [name, _] : files) by_root[find(name)].insert(name);
    std::set<std::set<std::string>> out;
    for (auto& [_, g] : by_root) out.insert(g);
    return out;
}

std::set<std::set<std::string>> found_groups(const index::IndexReader& reader,
                                             const std::map<std::string, std::string>& files) {
    index::DuplicateFinder finder(reader);
    std::set<std::set<std::string>> out;
    for (const auto& [name, _] : files) {
        std::set<std::string> g;
        for (const index::GroupMember& m : finder.group(name).members) g.insert(m.source);
        out.insert(g);
    }
    return out;
}

// The corpus: story A and three copies, story B and a byte-identical copy, an unrelated story
// C, and a story D that quotes one paragraph of A word for word.
struct Corpus {
    std::vector<std::string> a = story(1, 8);
    std::vector<std::string> b = story(2, 6);
    std::vector<std::string> c = story(3, 7);
    std::vector<std::string> d = story(4, 6);
    std::map<std::string, std::string> files;

    Corpus() {
        files["a.txt"] = file_text("Tory backing for ID cards", a);
        // Another headline and a boilerplate line.
        std::vector<std::string> retitled = a;
        retitled.push_back("Copyright the agency. All rights reserved, reproduced with permission here.");
        files["a_retitled.txt"] = file_text("Conservative backing for ID cards", retitled);
        // The last paragraph trimmed, two paragraphs swapped.
        std::vector<std::string> trimmed(a.begin(), a.end() - 1);
        std::swap(trimmed[2], trimmed[4]);
        files["a_trimmed.txt"] = file_text("Tory backing for ID cards", trimmed);
        // A correction added at the end, and one paragraph's figure corrected.
        std::vector<std::string> corrected = a;
        corrected[1] += " The figure was 12 percent, not 21 percent.";
        corrected.push_back("Correction: an earlier version of this story misstated the share of voters in favour.");
        files["a_corrected.txt"] = file_text("Tory backing for ID cards (corrected)", corrected);
        files["b.txt"] = file_text("Ministers debate budget", b);
        files["b_copy.txt"] = files["b.txt"];
        files["c.txt"] = file_text("Rain expected at the weekend", c);
        std::vector<std::string> quoting = d;
        quoting.insert(quoting.begin() + 2, a[3]);
        files["d.txt"] = file_text("Commentators react", quoting);
    }

    void write(const fs::path& dir) const {
        for (const auto& [name, text] : files) {
            std::ofstream out(dir / name, std::ios::binary);
            out << text;
        }
    }
};

index::IndexSummary build(const fs::path& corpus, const fs::path& db, bool similarity_terms = true) {
    QuietObserver observer;
    index::IndexOptions options;
    options.db_path = db;
    options.inputs = {corpus};
    options.similarity_terms = similarity_terms;
    return index::build_index(options, observer);
}

std::set<std::set<std::string>> by_construction() {
    return {{"a.txt", "a_retitled.txt", "a_trimmed.txt", "a_corrected.txt"}, {"b.txt", "b_copy.txt"}, {"c.txt"}, {"d.txt"}};
}

}  // namespace

TEST_CASE("Words fold case, punctuation and typographic quotes", "[duplicates]") {
    const auto words = [](std::string_view text) {
        std::vector<std::uint64_t> out;
        index::for_each_word_hash(text, [&](std::uint64_t h) { out.push_back(h); });
        return out;
    };
    CHECK(words("Tory backing, for ID-cards!") == words("tory backing for id cards"));
    CHECK(words("the party\xE2\x80\x99s leader \xE2\x80\x94 said") == words("the party's leader - said"));
    CHECK(words("na\xC3\xAFve caf\xC3\xA9") != words("naive cafe"));  // accents are part of words
    CHECK(words("").empty());
    CHECK(words(" ,;. ").empty());
    CHECK(words("one two three").size() == 3);
}

TEST_CASE("The signature estimates the Jaccard similarity of word 5-shingles", "[duplicates]") {
    const Corpus corpus;
    const auto signature = [](const std::string& text) {
        const std::vector<std::string_view> parts{text};
        return index::document_signature(parts).value();
    };
    for (const auto& [x, tx] : corpus.files) {
        for (const auto& [y, ty] : corpus.files) {
            CAPTURE(x, y);
            const double exact = exact_jaccard(tx, ty);
            const double estimate = index::estimated_similarity(signature(tx), signature(ty));
            // Three standard errors of a 128-bin estimate at worst (J = 0.5): 0.13.
            CHECK(std::abs(estimate - exact) <= 0.14);
        }
    }
    const std::vector<std::string_view> few{"only four words here"};
    CHECK_FALSE(index::document_signature(few).has_value());
    const auto sig = signature(corpus.files.at("a.txt"));
    CHECK(index::parse_signature(index::serialize_signature(sig)) == sig);
    CHECK_FALSE(index::parse_signature("short").has_value());
    CHECK(index::band_terms(sig).size() == index::lsh_bands);
}

TEST_CASE("A paragraph's copy term needs enough words and ignores case and punctuation", "[duplicates]") {
    CHECK_FALSE(index::copy_passage_term("Ad sales boost Time Warner profit").has_value());
    const std::string long_text = "Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn for the quarter.";
    const auto term = index::copy_passage_term(long_text);
    REQUIRE(term.has_value());
    CHECK(index::copy_passage_term("quarterly PROFITS at US media giant timewarner jumped 76 to 1 13bn for the quarter") == term);
    CHECK(index::copy_passage_term(long_text + " More.") != term);
}

TEST_CASE("The test's copies are far from the threshold, so the expectations are not borderline", "[duplicates]") {
    const Corpus corpus;
    const auto& f = corpus.files;
    for (const char* copy : {"a_retitled.txt", "a_trimmed.txt", "a_corrected.txt"}) {
        CAPTURE(copy);
        CHECK(exact_jaccard(f.at("a.txt"), f.at(copy)) >= 0.7);
    }
    CHECK(exact_jaccard(f.at("b.txt"), f.at("b_copy.txt")) == 1.0);
    CHECK(exact_jaccard(f.at("a.txt"), f.at("d.txt")) <= 0.2);
    CHECK(exact_jaccard(f.at("a.txt"), f.at("c.txt")) <= 0.05);
    CHECK(expected_groups(f) == by_construction());
}

TEST_CASE("The index groups copies of a story and nothing else", "[duplicates]") {
    test::TempDir dir;
    const Corpus corpus;
    fs::create_directories(dir.path() / "corpus");
    corpus.write(dir.path() / "corpus");
    build(dir.path() / "corpus", dir.path() / "db");
    const index::IndexReader reader(dir.path() / "db");
    CHECK(found_groups(reader, corpus.files) == expected_groups(corpus.files));

    index::DuplicateFinder finder(reader);
    const auto all = finder.all_groups();
    REQUIRE(all.size() == 2);
    CHECK(all[0].members.size() == 4);
    CHECK(all[0].canonical().source == "a.txt");  // no dates: corpus order
    CHECK(all[1].members.size() == 2);
    // D quotes one paragraph of A word for word: a passage copy, not a story copy.
    const auto copies = finder.passage_copies(corpus.a[3]);
    std::set<std::string> holding;
    for (const Xapian::docid id : copies) holding.insert(reader.passage(reader.database().get_document(id)).source);
    CHECK(holding == std::set<std::string>{"a.txt", "a_retitled.txt", "a_trimmed.txt", "a_corrected.txt", "d.txt"});
}

TEST_CASE("Built without similarity terms (to measure their cost), an index holds none and finds no copies",
          "[duplicates]") {
    test::TempDir dir;
    const Corpus corpus;
    fs::create_directories(dir.path() / "corpus");
    corpus.write(dir.path() / "corpus");
    build(dir.path() / "corpus", dir.path() / "db", false);
    const index::IndexReader reader(dir.path() / "db");
    const Xapian::Database& db = reader.database();
    for (const std::string_view prefix : {index::prefix::story_band, index::prefix::copy_passage})
        CHECK(db.allterms_begin(std::string(prefix)) == db.allterms_end(std::string(prefix)));
    CHECK(index::DuplicateFinder(reader).all_groups().empty());
}

TEST_CASE("Groups follow incremental updates: a changed file leaves or joins, a removed one leaves", "[duplicates]") {
    test::TempDir dir;
    Corpus corpus;
    const fs::path root = dir.path() / "corpus";
    fs::create_directories(root);
    corpus.write(root);
    build(root, dir.path() / "db");

    // a_trimmed becomes another story; c becomes a copy of b; a_retitled is removed.
    corpus.files["a_trimmed.txt"] = file_text("Tory backing for ID cards", story(7, 8));
    corpus.files["c.txt"] = file_text("Budget debate goes on", corpus.b);
    corpus.files.erase("a_retitled.txt");
    fs::remove(root / "a_retitled.txt");
    corpus.write(root);
    const auto summary = build(root, dir.path() / "db");
    CHECK(summary.files_updated == 2);
    CHECK(summary.files_removed == 1);

    const index::IndexReader reader(dir.path() / "db");
    const std::set<std::set<std::string>> expected{
        {"a.txt", "a_corrected.txt"}, {"a_trimmed.txt"}, {"b.txt", "b_copy.txt", "c.txt"}, {"d.txt"}};
    CHECK(expected_groups(corpus.files) == expected);
    CHECK(found_groups(reader, corpus.files) == expected);
    index::DuplicateFinder finder(reader);
    CHECK(finder.group("a_retitled.txt").members.size() == 1);  // not in the index any more
}

TEST_CASE("Groups hold across shards", "[duplicates]") {
    test::TempDir dir;
    const Corpus corpus;
    fs::create_directories(dir.path() / "corpus");
    corpus.write(dir.path() / "corpus");
    QuietObserver observer;
    index::IndexOptions options;
    options.db_path = dir.path() / "set";
    options.inputs = {dir.path() / "corpus"};
    index::build_shards(options, 3, observer, 1);
    // The copies of A are spread over more than one shard, or the test proves nothing.
    std::set<std::size_t> shards;
    for (const char* name : {"a.txt", "a_retitled.txt", "a_trimmed.txt", "a_corrected.txt"})
        shards.insert(index::shard_of(name, 3));
    REQUIRE(shards.size() > 1);
    const index::IndexReader reader(dir.path() / "set");
    CHECK(found_groups(reader, corpus.files) == expected_groups(corpus.files));
}

TEST_CASE("Ranked results collapse copies onto the canonical copy, citing the others", "[duplicates]") {
    test::TempDir dir;
    const Corpus corpus;
    const fs::path root = dir.path() / "corpus";
    fs::create_directories(root);
    corpus.write(root);
    // The corrected copy is the oldest: it is the canonical one.
    dir.write("corpus/catalog.json", R"({"format_version": 1, "files": {
        "a.txt": {"date": "2005-02-03"}, "a_corrected.txt": {"date": "2005-02-01"},
        "a_retitled.txt": {"date": "2005-02-02"}}})");
    build(root, dir.path() / "db");
    search::SearchService service(dir.path() / "db");

    // Words of A's fourth paragraph, which A's copies and D (quoting it) all hold.
    search::SearchRequest request;
    request.query = "\"" + corpus.a[3].substr(0, corpus.a[3].find(' ', 30)) + "\"";
    HitSink collapsed;
    service.run(request, collapsed);
    REQUIRE(collapsed.hits.size() == 1);
    const evidence::CitedHit& hit = collapsed.hits.front();
    CHECK(hit.passage.source == "a_corrected.txt");
    CHECK(hit.rank == 1);
    CHECK(hit.also_in == 4);
    std::set<std::string> cited;
    for (const evidence::CopyCitation& c : hit.copies) {
        cited.insert(c.passage.source);
        CHECK(c.same_words);
        // Each copy stays citable where it stands: its bytes in its own file.
        const std::string& text = corpus.files.at(c.passage.source);
        CHECK(text.substr(c.passage.bytes.begin, c.passage.bytes.size()) == corpus.a[3]);
    }
    CHECK(cited == std::set<std::string>{"a.txt", "a_retitled.txt", "a_trimmed.txt", "d.txt"});
    // Canonical order: dated copies by date, then undated ones in corpus order.
    CHECK(hit.copies[0].passage.source == "a_retitled.txt");
    CHECK(hit.copies[1].passage.source == "a.txt");

    request.collapse_copies = false;
    HitSink every;
    service.run(request, every);
    CHECK(every.hits.size() == 5);
    for (const auto& h : every.hits) CHECK(h.copies.empty());
}

TEST_CASE("A near-identical paragraph of a copy collapses; different paragraphs do not", "[duplicates]") {
    test::TempDir dir;
    const Corpus corpus;
    const fs::path root = dir.path() / "corpus";
    fs::create_directories(root);
    corpus.write(root);
    build(root, dir.path() / "db");
    search::SearchService service(dir.path() / "db");
    // A's second paragraph; the corrected copy added a sentence to it.
    search::SearchRequest request;
    request.query = "\"" + corpus.a[1].substr(0, corpus.a[1].find(' ', 30)) + "\"";
    HitSink sink;
    service.run(request, sink);
    REQUIRE(sink.hits.size() == 1);
    CHECK(sink.hits[0].passage.source == "a.txt");
    CHECK(sink.hits[0].also_in == 3);
    std::size_t near = 0;
    for (const auto& c : sink.hits[0].copies) near += c.same_words ? 0 : 1;
    CHECK(near == 1);  // a_corrected.txt's paragraph, not word for word

    // Two different paragraphs of one story stay two results.
    request.query = "\"" + corpus.a[0].substr(0, corpus.a[0].find(' ', 20)) + "\" OR \"" +
                    corpus.a[5].substr(0, corpus.a[5].find(' ', 20)) + "\"";
    HitSink two;
    service.run(request, two);
    CHECK(two.hits.size() == 2);
}

TEST_CASE("Mention counts say how many distinct stories hold a mention", "[duplicates]") {
    test::TempDir dir;
    const Corpus corpus;
    const fs::path root = dir.path() / "corpus";
    fs::create_directories(root);
    corpus.write(root);
    build(root, dir.path() / "db");
    search::SearchService service(dir.path() / "db");
    // Words of A's fourth paragraph (in A's 4 copies and in D) or of B's first (in B's 2).
    for (const auto mode : {search::SearchMode::Count, search::SearchMode::Mentions}) {
        search::SearchRequest request;
        request.mode = mode;
        request.query = "\"" + corpus.a[3].substr(0, corpus.a[3].find(' ', 30)) + "\" OR \"" +
                        corpus.b[0].substr(0, corpus.b[0].find(' ', 30)) + "\"";
        HitSink sink;
        service.run(request, sink);
        REQUIRE(sink.stats.mentions.has_value());
        CHECK(sink.stats.mentions->documents == 7);
        REQUIRE(sink.stats.mentions->stories.has_value());
        CHECK(*sink.stats.mentions->stories == 3);  // A, B and D
        request.collapse_copies = false;
        HitSink plain;
        service.run(request, plain);
        CHECK_FALSE(plain.stats.mentions->stories.has_value());
    }
}

TEST_CASE("check and facts count a figure repeated by copies of one story once", "[duplicates]") {
    test::TempDir dir;
    const fs::path root = dir.path() / "corpus";
    fs::create_directories(root);
    std::vector<std::string> x = story(11, 5);
    x.insert(x.begin(), "Coal exports reached 4 million tons in 2023, the trade ministry said on Monday.");
    std::vector<std::string> y = story(12, 5);
    y.insert(y.begin() + 1, "Figures from the port show coal exports reached 4 million tons in 2023 after a slow start.");
    const std::map<std::string, std::string> files{{"x.txt", file_text("Coal exports rise", x)},
                                                   {"x_copy.txt", file_text("Coal exports up sharply", x)},
                                                   {"y.txt", file_text("Port has a busy year", y)}};
    for (const auto& [name, text] : files) dir.write("corpus/" + name, text);
    // Expected by construction, and not borderline.
    REQUIRE(expected_groups(files) == std::set<std::set<std::string>>{{"x.txt", "x_copy.txt"}, {"y.txt"}});
    build(root, dir.path() / "db");
    search::SearchService service(dir.path() / "db");

    const evidence::ClaimCheck check = service.check_claim("Coal exports reached 4 million tons in 2023");
    CHECK(check.verdict == evidence::ClaimVerdict::Supported);
    CHECK(check.supporting_documents == 3);
    CHECK(check.independent_sources == 2);

    const evidence::FactTable table = service.list_facts("coal");
    std::size_t checked = 0;
    for (const auto& [unit, facts] : table.by_unit) {
        for (const evidence::Fact& fact : facts) {
            if (fact.stated.quantity.value != 4e6) continue;
            CHECK(fact.independent_sources == 2);
            ++checked;
        }
    }
    CHECK(checked == 3);
}
