// Evidence: match spans follow the query's rules, quotes are exact substrings at their
// byte ranges (ASCII and not), sentences respect abbreviations, highlights cover exactly the
// matched words, and changed files are reported instead of quoted.

#include "cite/analysis/quantity.hpp"
#include "cite/evidence/evidence.hpp"
#include "cite/evidence/figure_compare.hpp"
#include "cite/evidence/match_finder.hpp"
#include "cite/evidence/quote_alignment.hpp"
#include "cite/passage/source_text.hpp"
#include "cite/query/alias_expander.hpp"
#include "cite/query/query_parser.hpp"

#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace cite;

namespace {

// A file with a heading line before the passage, so file offsets differ from text offsets.
const std::string heading = "Heading line\n";
const std::string text =
    "On Jan. 31 the panel met in the U.S. capital. Kazakhstan’s “Middle Corridor” carried "
    "274,200 tons — a 147 percent rise. Beşer wrote nothing else. The corridor is long.";

passage::Passage make_passage() {
    return passage::Passage{"f.txt", "", 2, 2, {heading.size(), heading.size() + text.size()}, text};
}

std::vector<std::string> matched_words(const std::string& query) {
    analysis::Analyzer analyzer;
    evidence::MatchFinder finder(analyzer);
    const auto spans = finder.find(query::parse_query(query, analyzer), make_passage(), {});
    std::vector<std::string> out;
    if (!spans) return {"<no match>"};
    for (const auto& s : *spans) out.push_back(text.substr(s.bytes.begin, s.bytes.size()));
    return out;
}

}  // namespace

TEST_CASE("Match spans cover exactly the words the query matches", "[evidence]") {
    using V = std::vector<std::string>;
    auto [query, expected] = GENERATE(table<std::string, V>({
        {"\"middle corridor\"", V{"Middle Corridor"}},
        {"corridor", V{"Corridor", "corridor"}},
        {"corridors", V{"Corridor", "corridor"}},  // stems
        {"\"corridors\"", V{"<no match>"}},         // phrases are exact
        {"Kazakhstan's", V{"Kazakhstan’s"}},
        {"274200 tons", V{"274,200 tons"}},         // one figure
        {"147%", V{"147 percent"}},
        {"\"between 100 and 200 percent\"", V{"147 percent"}},
        {"between 100 and 200 percent", V{"147 percent"}},
        {"148 percent", V{"<no match>"}},
        {"\"147 percent\"", V{"147 percent"}},
        {"Beser", V{"Beşer"}},
        {"corridor NOT tons", V{"<no match>"}},
        {"corridor -missingword", V{"Corridor", "corridor"}},
        {"\"Middle Corridor\" NEAR/3 tons", V{"Middle Corridor", "tons"}},
        {"\"Middle Corridor\" NEAR/1 tons", V{"<no match>"}},
        {"tons NEAR/2 rise", V{"<no match>"}},
        {"tons NEAR/4 rise", V{"tons", "rise"}},
        {"file:f.txt", V{}},
        {"file:other", V{"<no match>"}},
        {"zebra corridor", V{"Corridor", "corridor"}},  // some of the words
    }));
    CAPTURE(query);
    CHECK(matched_words(query) == expected);
}

TEST_CASE("Evidence quotes whole sentences at exact file byte ranges", "[evidence]") {
    const std::string file = heading + text;
    analysis::Analyzer analyzer;
    analysis::SentenceSplitter sentences;
    evidence::MatchFinder finder(analyzer);
    const auto p = make_passage();

    SECTION("one sentence, with abbreviations inside the previous one") {
        const auto spans = finder.find(query::parse_query("\"Middle Corridor\"", analyzer), p, {});
        const auto ev = evidence::select_evidence(p, *spans, sentences);
        REQUIRE(ev.size() == 1);
        const std::string expected_quote = "Kazakhstan’s “Middle Corridor” carried 274,200 tons — a 147 percent rise.";
        CHECK(ev[0].quote == expected_quote);
        CHECK(ev[0].bytes.begin == file.find(expected_quote));
        CHECK(file.substr(ev[0].bytes.begin, ev[0].bytes.size()) == ev[0].quote);
        REQUIRE(ev[0].highlights.size() == 1);
        CHECK(ev[0].highlights[0].begin == file.find("Middle Corridor"));
        CHECK(ev[0].highlights[0].end == file.find("Middle Corridor") + std::string("Middle Corridor").size());
        CHECK(ev[0].line == 2);
        // The context really surrounds the quote in the source.
        CHECK(file.find(ev[0].prefix + ev[0].quote + ev[0].suffix) != std::string::npos);
        CHECK_FALSE(ev[0].prefix.empty());
        CHECK_FALSE(ev[0].suffix.empty());
    }
    SECTION("the first sentence keeps Jan. and U.S. inside it") {
        const auto spans = finder.find(query::parse_query("panel", analyzer), p, {});
        const auto ev = evidence::select_evidence(p, *spans, sentences);
        REQUIRE(ev.size() == 1);
        CHECK(ev[0].quote == "On Jan. 31 the panel met in the U.S. capital.");
        CHECK(ev[0].bytes.begin == heading.size());
        CHECK(ev[0].prefix.empty());
    }
    SECTION("matches in two separated sentences give two quotes") {
        const auto spans = finder.find(query::parse_query("corridor", analyzer), p, {});
        const auto ev = evidence::select_evidence(p, *spans, sentences);
        REQUIRE(ev.size() == 2);
        CHECK(ev[1].quote == "The corridor is long.");
        CHECK(file.substr(ev[1].bytes.begin, ev[1].bytes.size()) == ev[1].quote);
        CHECK(ev[1].suffix.empty());
    }
    SECTION("matches in adjacent sentences give one quote") {
        const auto spans = finder.find(query::parse_query("tons OR Beser", analyzer), p, {});
        const auto ev = evidence::select_evidence(p, *spans, sentences);
        REQUIRE(ev.size() == 1);
        CHECK(ev[0].quote.starts_with("Kazakhstan’s"));
        CHECK(ev[0].quote.ends_with("Beşer wrote nothing else."));
        CHECK(ev[0].highlights.size() == 2);
    }
    SECTION("overlapping matches merge into one highlight") {
        const auto spans = finder.find(query::parse_query("\"Middle Corridor\" OR corridor", analyzer), p, {});
        const auto ev = evidence::select_evidence(p, *spans, sentences);
        REQUIRE(ev.size() == 2);
        REQUIRE(ev[0].highlights.size() == 1);
        CHECK(file.substr(ev[0].highlights[0].begin, ev[0].highlights[0].size()) == "Middle Corridor");
    }
    SECTION("words next to each other give one highlight, words apart give two") {
        const auto spans = finder.find(query::parse_query("Middle Corridor tons", analyzer), p, {});
        const auto ev = evidence::select_evidence(p, *spans, sentences);
        REQUIRE(ev.size() == 2);
        REQUIRE(ev[0].highlights.size() == 2);
        CHECK(file.substr(ev[0].highlights[0].begin, ev[0].highlights[0].size()) == "Middle Corridor");
        CHECK(file.substr(ev[0].highlights[1].begin, ev[0].highlights[1].size()) == "tons");
    }
    SECTION("each match on its own: its sentence, highlighting only it") {
        // "tons" and "Beser" sit in adjacent sentences, which select_evidence would join.
        const auto spans = finder.find(query::parse_query("tons OR Beser", analyzer), p, {});
        REQUIRE(spans->size() == 2);
        const auto each = evidence::select_evidence_each(p, *spans, sentences);
        REQUIRE(each.size() == 2);
        const std::vector<std::pair<std::string, std::string>> expected = {
            {"Kazakhstan’s “Middle Corridor” carried 274,200 tons — a 147 percent rise.", "tons"},
            {"Beşer wrote nothing else.", "Beşer"}};
        for (std::size_t k = 0; k < 2; ++k) {
            CAPTURE(k);
            REQUIRE(each[k].size() == 1);
            CHECK(each[k][0].quote == expected[k].first);
            CHECK(each[k][0].bytes.begin == file.find(expected[k].first));
            REQUIRE(each[k][0].highlights.size() == 1);
            CHECK(each[k][0].highlights[0].begin == file.find(expected[k].second));
            CHECK(each[k][0].highlights[0].size() == expected[k].second.size());
        }
        CHECK(evidence::select_evidence_each(p, {}, sentences).empty());
    }
    SECTION("no body match quotes the first sentence without highlights") {
        const auto ev = evidence::select_evidence(p, {}, sentences);
        REQUIRE(ev.size() == 1);
        CHECK(ev[0].highlights.empty());
        CHECK(ev[0].quote == "On Jan. 31 the panel met in the U.S. capital.");
    }
}

TEST_CASE("Freshness: unchanged, changed and missing files", "[evidence]") {
    test::TempDir dir;
    dir.write("a.txt", "original");
    index::FileRecord record{"a.txt", dir.path().string(), "text", passage::sha256_hex("original"), 8, 1, 1, "", "", ""};
    evidence::FreshnessChecker fresh;
    CHECK(fresh.check(record) == evidence::SourceStatus::Fresh);

    dir.write("a.txt", "changed!");
    evidence::FreshnessChecker after_change;
    CHECK(after_change.check(record) == evidence::SourceStatus::Stale);

    std::filesystem::remove(dir.path() / "a.txt");
    evidence::FreshnessChecker after_removal;
    CHECK(after_removal.check(record) == evidence::SourceStatus::Missing);
}

namespace {

struct Analysed {
    std::string text;
    std::vector<evidence::Word> words;
};

Analysed analysed(analysis::Analyzer& a, std::string content) {
    auto words = evidence::words_of(a.analyze(content));
    return {std::move(content), std::move(words)};
}

}  // namespace

TEST_CASE("Word runs match through typography but not through other words", "[evidence]") {
    analysis::Analyzer a;
    const auto source = analysed(a, "He said: “Kazakhstan’s multi\u00ADvector policy\u00A0works.” Then Kazakhstan's policy works");
    const auto quote = analysed(a, "kazakhstan's multivector POLICY works");
    const auto runs = evidence::find_word_runs(quote.text, quote.words, source.text, source.words, false);
    REQUIRE(runs.size() == 1);
    CHECK(source.text.substr(source.words[runs[0]].bytes.begin).starts_with("Kazakhstan’s multi"));
    CHECK(evidence::find_word_runs(quote.text, quote.words, source.text, source.words, true).empty());

    const auto diffs = evidence::typographic_differences(quote.text, quote.words, source.text, source.words, runs[0]);
    std::vector<std::string> kinds;
    for (const auto& d : diffs) {
        kinds.push_back(d.kind);
        CHECK(source.text.substr(d.source_bytes.begin, d.source_bytes.size()) == d.source);
    }
    CHECK(kinds == std::vector<std::string>{"apostrophe, case", "soft hyphen", "case", "space"});
}

TEST_CASE("Gaps between words: each kind of typographic difference", "[evidence]") {
    analysis::Analyzer a;
    auto [quote_text, source_text, kind] = GENERATE(table<std::string, std::string, std::string>({
        {"one two", "one\ntwo", "line break"},
        {"one two", "one\u00A0two", "space"},
        {"one \"two\" three", "one “two” three", "quotation mark"},
        {"one - two", "one – two", "dash"},
        {"one, two", "one two", "punctuation"},
        {"BESER wrote", "Beşer wrote", "diacritics"},
        // Letters NFD leaves whole, folded as the analyzer folds them.
        {"Orsted near Lodz", "Ørsted near Łódź", "diacritics"},
        {"Encyclopaedia Britannica", "Encyclopædia Britannica", "character form"},  // a ligature
        {"274200 tons", "274,200 tons", "digit grouping"},
    }));
    CAPTURE(quote_text, source_text);
    const auto q = analysed(a, quote_text);
    const auto s = analysed(a, source_text);
    REQUIRE(evidence::find_word_runs(q.text, q.words, s.text, s.words, false) == std::vector<std::size_t>{0});
    const auto diffs = evidence::typographic_differences(q.text, q.words, s.text, s.words, 0);
    REQUIRE(!diffs.empty());
    CHECK(diffs.front().kind == kind);
}

TEST_CASE("Words the analyzer reads alike are not typography when their wording differs", "[evidence]") {
    analysis::Analyzer a;
    auto [quote_text, source_text] = GENERATE(table<std::string, std::string>({
        {"the country largest partner", "the country’s largest partner"},
        {"a 147% rise", "a 147 percent rise"},
        {"IFN-γ levels", "IFN-gamma levels"},
    }));
    CAPTURE(quote_text, source_text);
    const auto q = analysed(a, quote_text);
    const auto s = analysed(a, source_text);
    CHECK(evidence::find_word_runs(q.text, q.words, s.text, s.words, false).empty());
}

TEST_CASE("Alignment finds the closest wording and the changed number", "[evidence]") {
    analysis::Analyzer a;
    const auto source = analysed(a, "In 2023 the volume grew. The aim is to reach 10 million tons by 2027 by upgrading ports.");
    const auto quote = analysed(a, "the aim is to reach 10 million tons by 2030");
    const auto al = evidence::align_words(quote.text, quote.words, source.text, source.words, false);
    // 9 of 10 quote words equal over a 10-word window: Dice = 18 / 20.
    CHECK(al.similarity == Approx(0.9));
    CHECK(al.coverage == Approx(0.9));
    REQUIRE(al.ops.size() == 2);
    CHECK(al.ops[0].kind == evidence::DiffOp::Kind::Equal);
    CHECK(al.ops[0].source == "The aim is to reach 10 million tons by");
    CHECK(al.ops[1].kind == evidence::DiffOp::Kind::Replace);
    CHECK(al.ops[1].quoted == "2030");
    CHECK(al.ops[1].source == "2027");
    CHECK(al.ops[1].number_changed);
    CHECK(source.text.substr(al.ops[1].source_bytes.begin, al.ops[1].source_bytes.size()) == "2027");

    SECTION("words that all occur but never together align poorly") {
        const auto scattered = analysed(a, "volume aim upgrading 2023 ports");
        const auto far = evidence::align_words(scattered.text, scattered.words, source.text, source.words, false);
        CHECK(far.similarity < 0.7);
    }
    SECTION("an inserted and a deleted word") {
        const auto q2 = analysed(a, "the aim is reach 10 million tons quickly by 2027");
        const auto al2 = evidence::align_words(q2.text, q2.words, source.text, source.words, false);
        std::vector<std::string> ops;
        for (const auto& op : al2.ops) ops.push_back(std::string(evidence::to_string(op.kind)) + ":" + op.quoted + "|" + op.source);
        CHECK(ops == std::vector<std::string>{"equal:the aim is|The aim is", "insert:|to", "equal:reach 10 million tons|reach 10 million tons",
                                              "delete:quickly|", "equal:by 2027|by 2027"});
    }
}

// ---- figure comparison (evidence/figure_compare.hpp) ---------------------------------------

namespace {

analysis::Quantity figure(const std::string& written) {
    analysis::Analyzer analyzer;
    const auto found = analysis::find_quantities(written, analyzer.analyze(written));
    REQUIRE(found.size() == 1);
    return found.front();
}

}  // namespace

TEST_CASE("Figures agree by kind, currency, direction, qualifier and rounding", "[evidence]") {
    using evidence::FigureAgreement;
    // claimed, stated, agreement: each row follows from one rule in figure_compare.hpp.
    auto [claimed, stated, expected] = GENERATE(table<std::string, std::string, FigureAgreement>({
        {"$1.13bn", "$1.13bn", FigureAgreement::Equal},
        {"50 million pounds", "£50m", FigureAgreement::Equal},              // one sum, two writings
        {"$1.1bn", "$1.13bn", FigureAgreement::Equal},                      // equal at the claim's precision
        {"$1.13bn", "$1.1bn", FigureAgreement::Equal},                      // ... or the source's
        {"about $1.1bn", "$1.13bn", FigureAgreement::Equal},                // within 10% under "about"
        {"nearly 14 million", "13.7 million", FigureAgreement::Equal},      // up to 10% below
        {"nearly 14 million", "16 million", FigureAgreement::Differs},      // "nearly" is below
        {"200 million", "150 million", FigureAgreement::Differs},           // rounding hides at most 5%
        {"£250m", "£520m", FigureAgreement::Differs},
        {"$198m", "£198m", FigureAgreement::Differs},                       // the currency swapped
        {"$58m", "481.42m yuan", FigureAgreement::Unsettled},               // perhaps a conversion
        {"rose 16%", "fell 16%", FigureAgreement::Differs},                 // the direction flipped
        {"fewer than 6 million", "more than 6 million", FigureAgreement::Differs},
        {"more than 6 million", "fewer than 8 million", FigureAgreement::Unsettled},
        {"as much as 50%", "as much as 30%", FigureAgreement::Differs},     // same qualifier: values
        {"$50m", "more than $50m", FigureAgreement::Unsettled},             // a bound is no value
        {"more than $50m", "more than $50m", FigureAgreement::Equal},
        {"between 250 and 600 euros", "600 euros", FigureAgreement::Equal}, // within the range
        {"262 quangos", "162 quangos", FigureAgreement::Differs},
        {"262 quangos", "162 staff", FigureAgreement::Incomparable},        // other things counted
        {"45%", "45 percentage points", FigureAgreement::Incomparable},
        {"805 metres", "508 metres", FigureAgreement::Differs},
        {"805 metres", "508 tons", FigureAgreement::Incomparable},
        {"a third of it", "33%", FigureAgreement::Equal},
    }));
    CAPTURE(claimed, stated);
    CHECK(evidence::compare_figures(figure(claimed), figure(stated)) == expected);
}

TEST_CASE("Years date the figures of their sentence", "[evidence]") {
    analysis::Analyzer analyzer;
    auto times = [&](const std::string& sentence) {
        const auto figures = analysis::find_quantities(sentence, analyzer.analyze(sentence));
        std::vector<std::string> out;
        const auto t = evidence::figure_times(sentence, figures, std::nullopt);
        for (std::size_t i = 0; i < figures.size(); ++i) {
            if (figures[i].unit == "year") continue;
            out.push_back(sentence.substr(figures[i].bytes.begin, figures[i].bytes.size()) + "@" +
                          (!t[i] ? "-" : *t[i] == evidence::other_time ? "other" : std::to_string(*t[i])));
        }
        return out;
    };
    using V = std::vector<std::string>;
    CHECK(times("trade hit $31 billion in 2023, a rise from over $24 billion in 2022.") ==
          V{"$31 billion@2023", "$24 billion@2022"});
    CHECK(times("revenues slipped 11% from £3.24bn ($6.13bn) in 2003 to £2.89bn in 2004.") ==
          V{"11%@-", "£3.24bn@2003", "$6.13bn@2003", "£2.89bn@2004"});
    CHECK(times("The deficit hit $412bn in the 12 months to 30 September 2004, after reaching $377bn in the "
                "previous fiscal year.") == V{"$412bn@2004", "12 months@-", "$377bn@2003"});
    CHECK(times("and $377bn in the previous year.") == V{"$377bn@other"});
    // A comparison's base year dates nothing.
    CHECK(times("saw 274,200 tons in January 2024 - a 147 percent rise from January 2023.") ==
          V{"274,200 tons@2024", "147 percent@2024"});
    CHECK(times("BMW sold nearly 95,000 cars in Asia last year, up 2.6% on 2003.") == V{"95,000@-", "2.6%@-"});
    CHECK(evidence::same_time(2004, std::nullopt));
    CHECK_FALSE(evidence::same_time(2004, 2003));
    CHECK_FALSE(evidence::same_time(evidence::other_time, evidence::other_time));
}

TEST_CASE("A Cyrillic alias name matches in every Russian case, a Latin one as written", "[evidence][languages]") {
    analysis::Analyzer analyzer;
    const query::AliasTable table({{"Middle Corridor", "Средний коридор", "ТМТМ", "Орта дәліз"}}, analyzer);
    const std::string ru = "Грузы по Среднему коридору растут; о Среднем коридоре (ТМТМ) и средних коридорах, "
                           "о Middle Corridors и тмтм. Средний и коридор. Орта дәлізі.";
    const passage::Passage p{"ru.txt", "", 1, 1, {0, ru.size()}, ru};
    query::Node n = query::parse_query("Middle Corridor", analyzer);
    query::expand_aliases(n, table);
    const auto spans = evidence::MatchFinder(analyzer).find(n, p, {});
    REQUIRE(spans);
    std::vector<std::pair<std::string, std::string>> got;
    for (const auto& s : *spans) got.emplace_back(ru.substr(s.bytes.begin, s.bytes.size()), s.alias);
    std::sort(got.begin(), got.end());
    // Each Russian case of both words, in sequence (the plural too: a stem has no number);
    // the acronym in its capitals only; the Latin name exact ("Corridors" is not it); the
    // Kazakh possessive дәлізі by the Kazakh suffix rule (дәліз + -і).
    using P = std::pair<std::string, std::string>;
    std::vector<P> expected{P{"Среднем коридоре", "Средний коридор"}, P{"Среднему коридору", "Средний коридор"},
                            P{"ТМТМ", "ТМТМ"}, P{"средних коридорах", "Средний коридор"},
                            P{"Орта дәлізі", "Орта дәліз"}};
    std::sort(expected.begin(), expected.end());
    CHECK(got == expected);
}
