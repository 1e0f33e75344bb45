// The query language: every construct parsed (rendered as a tree), malformed queries with
// the position of the fault, and what the Xapian queries match on a small in-memory index.

#include "cite/error.hpp"
#include "cite/evidence/match_finder.hpp"
#include "cite/index/document_builder.hpp"
#include "cite/index/schema.hpp"
#include "cite/passage/dates.hpp"
#include "cite/query/alias_expander.hpp"
#include "cite/query/query_builder.hpp"
#include "cite/query/query_parser.hpp"
#include "cite/rank/ranker.hpp"

#include <catch2/catch.hpp>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>

using namespace cite;

TEST_CASE("Parser builds the tree for every construct", "[query]") {
    auto [text, expected] = GENERATE(table<std::string, std::string>({
        {"corridor", "corridor"},
        {"Middle Corridor", "(GROUP middle corridor)"},
        {"\"Middle Corridor\"", "\"middle corridor\""},
        {"“Middle Corridor”", "\"middle corridor\""},
        {"a AND b", "(AND a b)"},
        {"a AND b AND c", "(AND a b c)"},
        {"a OR b c", "(OR a (GROUP b c))"},
        {"a NOT b", "(NOT a b)"},
        {"a -b", "(NOT a b)"},
        {"a b -c", "(NOT (GROUP a b) c)"},
        {"a -\"b c\"", "(NOT a \"b c\")"},
        {"a NEAR b", "(NEAR/10 a b)"},
        {"a NEAR/5 b NEAR/5 c", "(NEAR/5 a b c)"},
        {"\"Middle Corridor\" NEAR/20 tons", "(NEAR/20 \"middle corridor\" tons)"},
        {"(a OR b) AND c", "(AND (OR a b) c)"},
        {"title:Balancing", "title:balancing"},
        {"author:\"Enes Beşer\"", "author:\"enes beser\""},
        {"publisher:(Astana OR Fakti)", "(OR publisher:astana publisher:fakti)"},
        {"file:003 corridor", "(GROUP file:003 corridor)"},
        {"multi-vector", "\"multi vector|multivector\""},
        {"Kazakhstan's", "kazakhstan"},
        {"Kazakhstan’s", "kazakhstan"},
        {"274,200", "274200"},
        {"$31", "qty:31 usd"},
        {"\"6 million tons\"", "qty:6000000 ton"},
        {"six million tons", "qty:6000000 ton"},
        {"$31 billion China", "(GROUP qty:31000000000 usd china)"},
        {"US$31bn", "qty:31000000000 usd"},
        {"147%", "qty:147 percent"},
        {"between 5 and 7 million tons", "qty:5000000-7000000 ton"},
        {"cargo 2022 to 2023", "(GROUP cargo qty:2022-2023 year)"},
        {"2023", "2023"},
        {"\"274,200\"", "\"274200\""},
        {"and or not", "(GROUP and or not)"},
        {"!!! corridor", "corridor"},
        {"10:30", "\"10 30\""},
    }));
    CAPTURE(text);
    analysis::Analyzer analyzer;
    CHECK(query::to_string(query::parse_query(text, analyzer)) == expected);
}

TEST_CASE("Malformed queries name the position of the fault", "[query]") {
    auto [text, message, position] = GENERATE(table<std::string, std::string, std::size_t>({
        {"\"Middle Corridor", "unterminated quote", 0},
        {"x \"a", "unterminated quote", 2},
        {"(a OR b", "missing ')'", 0},
        {"a OR", "OR needs", 2},
        {"AND b", "AND needs a word, phrase or group before it", 0},
        {"a)", "unexpected ')'", 1},
        {"-a", "only excluded", 1},
        {"a NEAR/x b", "NEAR/n needs a whole number", 2},
        {"a NEAR/5000 b", "at most", 2},
        {"", "empty query", 0},
        {"   ", "empty query", 3},
        {"!!!", "nothing searchable", 0},
        {"file:", "file: needs", 0},
        {"()", "empty parentheses", 0},
        {"a \xFF", "invalid UTF-8", 2},
        {"a NOT", "NOT needs", 2},
        // These said "empty group" or "empty query".
        {"OR Kazakhstan", "OR needs a word, phrase or group before it", 0},
        {")", "unexpected ')'", 0},
        {"(((", "missing ')' for this '('", 2},
        {"a (b OR (", "missing ')' for this '('", 8},
        // A word too long to be indexed: "(only punctuation?)" was misleading.
        {std::string(70, 'a'), "words over 64 bytes", 0},
    }));
    CAPTURE(text);
    analysis::Analyzer analyzer;
    try {
        (void)query::parse_query(text, analyzer);
        FAIL("no error");
    } catch (const QueryError& e) {
        CHECK_THAT(e.what(), Catch::Contains(message));
        CHECK(e.position() == position);
    }
}

TEST_CASE("file: patterns are case-insensitive substrings with * globs", "[query]") {
    CHECK(query::file_pattern_matches("003", "003_4a6a91b40eaa168d.txt"));
    CHECK(query::file_pattern_matches("4A6A", "003_4a6a91b40eaa168d.txt"));
    CHECK(query::file_pattern_matches("00*.txt", "dir/003_x.txt"));
    CHECK_FALSE(query::file_pattern_matches("004", "003_4a6a91b40eaa168d.txt"));
}

namespace {

// A tiny in-memory index: passage i is document i.
class MiniIndex {
  public:
    explicit MiniIndex(const std::vector<std::pair<std::string, std::string>>& passages)
        : m_db(std::string(), Xapian::DB_BACKEND_INMEMORY) {
        std::uint32_t n = 0;
        for (const auto& [source, text] : passages) {
            passage::Passage p{source, "", ++n, n, {0, text.size()}, text};
            m_db.add_document(index::build_document(p, {"Title " + source, {"Ann Author"}, "", "", "", "", ""}, m_analyzer));
        }
    }

    // Documents in the all tier, then (after '|', when there are any) the some tier.
    std::string matches(const std::string& text) {
        const auto compiled = query::build_query(query::parse_query(text, m_analyzer), m_db);
        auto ids = [&](const Xapian::Query& q) {
            std::set<Xapian::docid> out;
            if (q.empty()) return out;
            Xapian::Enquire e(m_db);
            e.set_query(q);
            for (auto m : e.get_mset(0, 100)) out.insert(m);
            return out;
        };
        std::string out;
        for (auto id : ids(compiled.all)) out += std::to_string(id) + " ";
        if (const auto some = ids(compiled.some); !some.empty()) {
            out += "|";
            for (auto id : some) out += " " + std::to_string(id);
        }
        while (!out.empty() && out.back() == ' ') out.pop_back();
        return out;
    }

  private:
    analysis::Analyzer m_analyzer;
    Xapian::WritableDatabase m_db;
};

}  // namespace

TEST_CASE("Xapian queries match what each construct promises", "[query]") {
    MiniIndex index({
        {"a.txt", "Middle Corridor cargo grew."},      // 1
        {"a.txt", "The corridor in the middle."},      // 2
        {"a.txt", "A multi-vector policy."},           // 3
        {"a.txt", "Its multivector foreign policy."},  // 4
        {"b.txt", "Six million tons of cargo."},       // 5
        {"b.txt", "Kazakhstan’s 274,200 tons."},       // 6
        {"c.txt", "A vector of change."},              // 7
    });
    auto [text, expected] = GENERATE(table<std::string, std::string>({
        {"\"middle corridor\"", "1"},
        {"middle corridor", "1 2"},
        {"cargo tons", "5 | 1 6"},
        {"multivector", "3 4"},
        {"multi-vector", "3 4"},
        {"\"multi vector\"", "3"},
        {"\"multivector foreign policy\"", "4"},
        {"corridor NEAR/1 middle", "1"},
        {"corridor NEAR/2 middle", "1 2"},
        {"corridor NOT cargo", "2"},
        {"corridor -cargo", "2"},
        {"corridor OR tons", "1 2 5 6"},
        {"cargo file:b.txt", "5"},
        {"file:b.txt", "5 6"},
        // Filters combined in parentheses still filter; they are not one of "some of the words".
        {"corridor cargo (file:a.txt OR file:c.txt)", "1 | 2"},
        {"cargo (file:b.txt OR file:c.txt)", "5"},
        {"(file:b.txt OR file:c.txt)", "5 6 7"},
        {"Kazakhstan's 274200", "6"},
        {"title:b.txt", "5 6"},
        {"author:\"Ann Author\"", "1 2 3 4 5 6 7"},
        // Among some of the words, a hyphenated word counts by each part and its joined form.
        {"multi-vector cargo", "| 1 3 4 5 7"},
        {"multi-vector policy", "3 4 | 7"},
        {"author:\"Author Ann\"", ""},
        {"corridors", "1 2"},
        {"\"corridors\"", ""},
        // A function word alone never makes a passage match some of the words (2 holds
        // "the", 5 and 7 "of")...
        {"the cargo", "| 1 5"},
        {"cargo of the", "| 1 5"},
        // ...unless it is quoted, or the query holds nothing else.
        {"\"the\" cargo", "| 1 2 5"},
        {"of the", "| 2 5 7"},
    }));
    CAPTURE(text);
    CHECK(index.matches(text) == expected);
}

TEST_CASE("Alias groups replace any of their names, quoted or not", "[query]") {
    analysis::Analyzer analyzer;
    const query::AliasTable table({{"Middle Corridor", "Trans-Caspian Route", "TITR"}, {"BRI", "Belt and Road"}},
                                  analyzer);
    // TITR and BRI are acronyms: their phrases match capitals only (case:), named in any case.
    const std::string corridor = "(ALIASES \"middle corridor\" \"trans caspian|transcaspian route\" \"case:TITR\")";
    const std::string bri = "(ALIASES \"case:BRI\" \"belt and road\")";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"TITR", corridor},
        {"titr's", corridor},
        {"\"Middle Corridor\"", corridor},
        {"Middle Corridor", corridor},
        {"Middle Corridor tons", "(GROUP " + corridor + " tons)"},
        {"the middle corridor", "(GROUP the " + corridor + ")"},
        {"“Trans‑Caspian Route” OR BRI", "(OR " + corridor + " " + bri + ")"},
        {"corridor", "corridor"},
        {"\"middle corridor route\"", "\"middle corridor route\""},
        {"title:TITR", "title:case:TITR"},
        {"TITR NEAR/5 tons", "(NEAR/5 " + corridor + " tons)"},
    };
    for (const auto& [text, expected] : cases) {
        CAPTURE(text);
        query::Node n = query::parse_query(text, analyzer);
        query::expand_aliases(n, table);
        CHECK(query::to_string(n) == expected);
    }
    CHECK(query::alias_names(query::parse_query("x", analyzer)).empty());
    // Names of an excluded group are not counted as mentions (they were listed, each with 0).
    auto names = [&](const std::string& text) {
        query::Node n = query::parse_query(text, analyzer);
        query::expand_aliases(n, table);
        return query::alias_names(n);
    };
    const std::vector<std::string> corridor_names{"Middle Corridor", "Trans-Caspian Route", "TITR"};
    CHECK(names("Kazakhstan -TITR").empty());
    CHECK(names("Kazakhstan NOT (BRI OR TITR)").empty());
    CHECK(names("TITR -BRI") == corridor_names);
}

TEST_CASE("Coverage weighs the plain words every passage should hold", "[query]") {
    analysis::Analyzer analyzer;
    const query::AliasTable table({{"Middle Corridor", "Trans-Caspian Route", "TITR"}}, analyzer);
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    auto content = [&](const std::string& text) {
        query::Node n = query::parse_query(text, analyzer);
        query::expand_aliases(n, table);
        std::string out;
        for (const query::ContentWord& w : query::build_query(n, db).content_words)
            out += (out.empty() ? "" : " ") + w.term + "/" + (w.stem.empty() ? "-" : w.stem);
        return out;
    };
    // One per stem; words that are not stemmed (figures, gene names) count by their term.
    CHECK(content("Cargo tons, cargoes and 14 HNF4A") == "cargo/cargo tons/ton and/and 14/- hnf4a/-");
    // Not quoted phrases, OR alternatives, alias groups or excluded words.
    CHECK(content("\"freight rates\" cargo") == "cargo/cargo");
    CHECK(content("(rail OR road) cargo") == "cargo/cargo");
    CHECK(content("Middle Corridor tons") == "tons/ton");
    CHECK(content("cargo -rail") == "cargo/cargo");
    CHECK(content("cargo NOT (rail road)") == "cargo/cargo");
    // Hyphenated words by their parts, not the joined form.
    CHECK(content("multi-vector") == "multi/multi vector/vector");

    // Title words add weight for content words only: a title's "the" says nothing.
    const std::string boost = query::build_query(query::parse_query("the cargo of tons", analyzer), db)
                                  .title_boost.get_description();
    CHECK(boost.find("ZScargo") != std::string::npos);
    CHECK(boost.find("ZSton") != std::string::npos);
    CHECK(boost.find("ZSthe") == std::string::npos);
    CHECK(boost.find("ZSof") == std::string::npos);
}

TEST_CASE("Letter case: acronyms and case: match only as written", "[query]") {
    MiniIndex index({
        {"a.txt", "The US economy grew."},     // 1
        {"a.txt", "Tell us about it."},        // 2
        {"a.txt", "Us and them."},             // 3
        {"b.txt", "Apple sold more iPods."},   // 4
        {"b.txt", "An apple a day."},          // 5
        {"b.txt", "The US's WHO report."},     // 6
    });
    auto [text, expected] = GENERATE(table<std::string, std::string>({
        // An all-capital word of 2-5 letters matches capitals only; lower case matches all.
        {"US", "1 6"},
        {"us", "1 2 3 6"},
        {"Us", "1 2 3 6"},
        {"\"US economy\"", "1"},
        {"WHO", "6"},
        {"case:Apple", "4"},
        {"case:apple", "4 5"},
        {"apple", "4 5"},
        {"case:\"US economy\"", "1"},
        {"case:(Us OR Apple)", "3 4"},
        // A query with a word of six capitals or more is shouted: no letter case.
        {"US ECONOMY", "1 | 2 3 6"},
    }));
    CAPTURE(text);
    CHECK(index.matches(text) == expected);
}

TEST_CASE("Letter case in the parsed tree and in alias names", "[query]") {
    analysis::Analyzer analyzer;
    auto parsed = [&](const std::string& text) { return query::to_string(query::parse_query(text, analyzer)); };
    CHECK(parsed("US") == "case:US");
    CHECK(parsed("us") == "us");
    CHECK(parsed("AIDS vaccine") == "(GROUP case:AIDS vaccine)");
    CHECK(parsed("case:iPod") == "case:iPod");
    CHECK(parsed("title:WHO") == "title:case:WHO");
    CHECK(parsed("ABCDEF US") == "(GROUP abcdef us)");
    CHECK_THROWS_AS(query::parse_query("case:", analyzer), QueryError);

    const query::AliasTable table({{"US", "United States", "case:Apple Inc"}}, analyzer);
    const std::string group = "(ALIASES \"case:US\" \"united states\" \"case:Apple case:Inc\")";
    for (const std::string text : {"US", "us", "United States", "apple inc"}) {
        CAPTURE(text);
        query::Node n = query::parse_query(text, analyzer);
        query::expand_aliases(n, table);
        CHECK(query::to_string(n) == group);
    }
    query::Node n = query::parse_query("US", analyzer);
    query::expand_aliases(n, table);
    CHECK(query::alias_names(n) == std::vector<std::string>{"US", "United States", "Apple Inc"});
}

namespace {

// The days a date covers, by the calendar of <chrono> (independent of passage::day_span):
// {first, last} as YYYYMMDD numbers, or nullopt for a date that does not exist.
std::optional<std::pair<int, int>> calendar_span(const std::string& date) {
    using namespace std::chrono;
    const auto number = [](const std::string& s) {
        return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })
                   ? std::stoi(s) : -1;
    };
    const auto ymd_number = [](const year_month_day& d) {
        return int(d.year()) * 10000 + int(unsigned(d.month())) * 100 + int(unsigned(d.day()));
    };
    if (date.size() == 4 && number(date) >= 1) {
        const year y{number(date)};
        return std::pair{ymd_number(y / January / 1), ymd_number(y / December / 31)};
    }
    if (date.size() == 7 && date[4] == '-' && number(date.substr(0, 4)) >= 1) {
        const year_month ym{year{number(date.substr(0, 4))}, month(unsigned(number(date.substr(5))))};
        if (!ym.ok()) return std::nullopt;
        return std::pair{ymd_number(ym / 1), ymd_number(year_month_day{ym / last})};
    }
    if (date.size() == 10 && date[4] == '-' && date[7] == '-' && number(date.substr(0, 4)) >= 1) {
        const year_month_day d{year{number(date.substr(0, 4))}, month(unsigned(number(date.substr(5, 2)))),
                               day(unsigned(number(date.substr(8))))};
        if (!d.ok()) return std::nullopt;
        return std::pair{ymd_number(d), ymd_number(d)};
    }
    return std::nullopt;
}

}  // namespace

TEST_CASE("day_span covers the days of a year, a month or a day", "[query]") {
    for (const char* text : {"2024", "2023", "1900", "2000", "0001", "9999", "2024-02", "2023-02", "1900-02",
                                   "2000-02", "2024-04", "2024-12", "2024-13", "2024-00", "2024-02-29", "2023-02-29",
                                   "1900-02-29", "2000-02-29", "2024-04-31", "2024-04-30", "2024-01-00", "0000",
                                   "24", "2024-1", "2024-01-1", "2024/01", "2024-01-01T00", "", "abcd", "2024-0a"}) {
        const std::string date = text;
        CAPTURE(date);
        const auto expected = calendar_span(date);
        const auto got = passage::day_span(date);
        REQUIRE(got.has_value() == expected.has_value());
        if (!got) continue;
        CHECK(std::stoi(got->first) == expected->first);
        CHECK(std::stoi(got->last) == expected->second);
        CHECK(got->first.size() == 8);
    }
}

TEST_CASE("date: ranges match documents whose whole date lies within", "[query]") {
    // Each passage's document has one of these dates ("" undated).
    const std::vector<std::string> dates = {"2019", "2020-12", "2021-01-01", "2023", "2023-01-15", "2024-02",
                                            "2024-06-30", "2024-07-01", "2025", ""};
    analysis::Analyzer analyzer;
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    for (std::uint32_t i = 0; i < dates.size(); ++i) {
        const std::string text = "Cargo report number " + std::to_string(i + 1) + ".";
        passage::Passage p{"d" + std::to_string(i + 1) + ".txt", "", 1, 1, {0, text.size()}, text};
        passage::DocumentMeta meta{"Title", {}, "", "", dates[i]};
        db.add_document(index::build_document(p, meta, analyzer));
    }
    // The range's first and last day by the rule (docs/query-language.md); 0 / 99999999: open.
    auto [filter, from, to] = GENERATE(table<std::string, int, int>({
        {"date:2024", 20240101, 20241231},
        {"date:2023-01..2024-06", 20230101, 20240630},
        {"date:..2020", 0, 20201231},
        {"date:2021..", 20210101, 99999999},
        {"date:2020-12-31..2021-01-01", 20201231, 20210101},
        {"date:2024-02-29", 20240229, 20240229},
        {"date:2019..2025", 20190101, 20251231},
    }));
    CAPTURE(filter);
    std::set<Xapian::docid> expected;
    for (std::uint32_t i = 0; i < dates.size(); ++i)
        if (const auto span = calendar_span(dates[i]); span && span->first >= from && span->second <= to)
            expected.insert(i + 1);
    for (const std::string& query : {filter, "cargo " + filter}) {
        const auto parsed = query::parse_query(query, analyzer);
        const auto compiled = query::build_query(parsed, db);
        Xapian::Enquire e(db);
        e.set_query(compiled.all);
        std::set<Xapian::docid> got;
        for (auto m : e.get_mset(0, 100)) got.insert(m);
        CHECK(got == expected);
        // The evidence matcher (which confirms passages in --all) agrees with the index.
        for (std::uint32_t i = 0; i < dates.size(); ++i) {
            const passage::Passage p = index::parse_passage(db.get_document(i + 1).get_data());
            const passage::DocumentMeta meta{"Title", {}, "", "", dates[i]};
            CAPTURE(query, i, dates[i], to_string(parsed));
            CHECK(evidence::MatchFinder(analyzer).find(parsed, p, meta).has_value() == expected.contains(i + 1));
        }
    }
}

TEST_CASE("Bad dates name their position in the query", "[query]") {
    auto [text, message, position] = GENERATE(table<std::string, std::string, std::size_t>({
        {"date:2024-13", "'2024-13' is not a date", 5},
        {"cargo date:2023-02-29", "'2023-02-29' is not a date", 11},
        {"date:2023..2024-1", "'2024-1' is not a date", 11},
        {"date:24..2024", "'24' is not a date", 5},
        {"date:..", "needs a date on at least one side", 5},
        {"date:2025..2024", "ends (2024) before it begins (2025)", 11},
        {"date:", "date: needs a date or a range", 0},
        {"date:\"2024\"", "date: needs a date or a range", 0},
    }));
    CAPTURE(text);
    analysis::Analyzer analyzer;
    try {
        (void)query::parse_query(text, analyzer);
        FAIL("no error");
    } catch (const QueryError& e) {
        CHECK_THAT(e.what(), Catch::Contains(message));
        CHECK(e.position() == position);
    }
}

TEST_CASE("Sorting by date orders by the document's date, undated last", "[query]") {
    const std::vector<std::string> dates = {"2021-03", "", "2024-06-30", "1999", "2024", "", "2023-01-15"};
    analysis::Analyzer analyzer;
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    for (std::uint32_t i = 0; i < dates.size(); ++i) {
        const std::string text = "Cargo report number " + std::to_string(i + 1) + ".";
        passage::Passage p{"d" + std::to_string(i + 1) + ".txt", "", 1, 1, {0, text.size()}, text};
        db.add_document(index::build_document(p, {"Title", {}, "", "", dates[i]}, analyzer));
    }
    // Expected: dated documents by their first day (calendar_span), newest or oldest first, then
    // the undated ones.
    for (const auto order : {rank::Order::Newest, rank::Order::Oldest}) {
        std::vector<std::pair<int, Xapian::docid>> dated;
        for (std::uint32_t i = 0; i < dates.size(); ++i)
            if (const auto span = calendar_span(dates[i])) dated.emplace_back(span->first, i + 1);
        std::sort(dated.begin(), dated.end());
        if (order == rank::Order::Newest) std::reverse(dated.begin(), dated.end());
        std::vector<Xapian::docid> expected_dated;
        for (const auto& [day, id] : dated) expected_dated.push_back(id);

        rank::RankOptions options;
        options.order = order;
        const auto compiled = query::build_query(query::parse_query("cargo", analyzer), db);
        const rank::RankedPage page = rank::rank(db, compiled, 0, 100, options);
        std::vector<Xapian::docid> got;
        for (const auto& h : page.hits) got.push_back(h.docid);
        REQUIRE(got.size() == dates.size());
        CHECK(std::vector<Xapian::docid>(got.begin(), got.begin() + static_cast<std::ptrdiff_t>(expected_dated.size())) ==
              expected_dated);
        for (std::size_t i = expected_dated.size(); i < got.size(); ++i) CHECK(dates[got[i] - 1].empty());
        // Paging cuts the same order.
        const rank::RankedPage second = rank::rank(db, compiled, 2, 2, options);
        REQUIRE(second.hits.size() == 2);
        CHECK(second.hits[0].docid == got[2]);
        CHECK(second.hits[1].docid == got[3]);
    }
}
