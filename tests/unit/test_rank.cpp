// The ranker's paging and totals: candidates confirmed by a verifier (queries Xapian
// over-approximates) give an exact total when there are few, an estimate when confirming them
// all would mean reading thousands of passages. Coverage: which candidates it reorders, and how.

#include "cite/rank/ranker.hpp"

#include "cite/index/schema.hpp"

#include <catch2/catch.hpp>
#include <xapian.h>

#include <cmath>
#include <map>
#include <string>

using namespace cite;

namespace {

// `n` documents with the term "growth"; the verifier accepts even docids only.
Xapian::WritableDatabase growth_index(Xapian::doccount n) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    for (Xapian::doccount i = 0; i < n; ++i) {
        Xapian::Document doc;
        doc.add_term("growth");
        db.add_document(doc);
    }
    return db;
}

rank::RankedPage rank_even(const Xapian::Database& db) {
    query::CompiledQuery query;
    query.all = query.any = Xapian::Query("growth");
    rank::RankOptions options;
    options.all_words_first = false;
    const rank::Verifier even = [](const Xapian::Document& doc) { return doc.get_docid() % 2 == 0; };
    return rank::rank(db, query, 0, 10, options, &even);
}

}  // namespace

TEST_CASE("Confirmed candidates: exact totals when few, estimates when many", "[rank]") {
    SECTION("few candidates are all confirmed") {
        const auto db = growth_index(300);
        const rank::RankedPage page = rank_even(db);
        CHECK(page.total_exact);
        CHECK(page.total_matches == 150);  // docids 2, 4, ..., 300
        REQUIRE(page.hits.size() == 10);
        for (const rank::RankedHit& hit : page.hits) CHECK(hit.docid % 2 == 0);
    }
    SECTION("beyond verify_all_limit candidates the page is filled and the total estimated") {
        const auto db = growth_index(rank::verify_all_limit + 500);
        const rank::RankedPage page = rank_even(db);
        CHECK_FALSE(page.total_exact);
        CHECK(page.total_matches >= 10);
        REQUIRE(page.hits.size() == 10);
        for (const rank::RankedHit& hit : page.hits) CHECK(hit.docid % 2 == 0);
    }
}

namespace {

// Filler passages, so that IDFs are positive: every one has "Zother", the first `with_tons`
// also "Zton" (a common word, low IDF).
Xapian::WritableDatabase coverage_index(Xapian::doccount filler, Xapian::doccount with_tons) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    for (Xapian::doccount i = 0; i < filler; ++i) {
        Xapian::Document doc;
        doc.add_term("Zother", 4);
        if (i < with_tons) doc.add_term("Zton");
        db.add_document(doc);
    }
    return db;
}

Xapian::docid add(Xapian::WritableDatabase& db, const std::vector<std::pair<std::string, Xapian::termcount>>& terms) {
    Xapian::Document doc;
    for (const auto& [term, wdf] : terms) doc.add_term(term, wdf);
    return db.add_document(doc);
}

query::CompiledQuery corridor_tons() {
    query::CompiledQuery query;
    query.all = query.any = Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("Zcorridor"), Xapian::Query("Zton"));
    query.content_words = {{"corridor", "corridor"}, {"tons", "ton"}};
    return query;
}

// The premises of the coverage tests below are BM25's.
rank::RankedPage rank_bm25(const Xapian::Database& db, const query::CompiledQuery& query, rank::RankOptions options) {
    options.weighting = rank::Weighting::Bm25;
    options.all_words_first = false;
    options.title_weight = 0;
    return rank::rank(db, query, 0, 10, options);
}

std::vector<Xapian::docid> docids(const rank::RankedPage& page) {
    std::vector<Xapian::docid> out;
    for (const auto& hit : page.hits) out.push_back(hit.docid);
    return out;
}

rank::RankOptions without_coverage(rank::RankOptions options) {
    options.coverage.body = options.coverage.title = 0;
    return options;
}

bool scores_fall(const rank::RankedPage& page) {
    for (std::size_t i = 1; i < page.hits.size(); ++i)
        if (page.hits[i].score > page.hits[i - 1].score) return false;
    return true;
}

}  // namespace

TEST_CASE("Coverage puts the passage with every query word above one that repeats one", "[rank]") {
    auto db = coverage_index(20, 5);
    const Xapian::docid repeats = add(db, {{"Zcorridor", 8}, {"Zfiller", 4}});
    const Xapian::docid both = add(db, {{"Zcorridor", 1}, {"Zton", 1}, {"Zfiller", 2}});
    const query::CompiledQuery query = corridor_tons();

    const rank::RankOptions off = without_coverage(rank::RankOptions{});
    const rank::RankedPage plain = rank_bm25(db, query, off);
    // BM25 alone: the rare word eight times beats it once plus the common word once.
    REQUIRE(docids(plain).at(0) == repeats);
    REQUIRE(docids(plain).at(1) == both);

    const rank::RankedPage covered = rank_bm25(db, query, rank::RankOptions{});
    CHECK(docids(covered).at(0) == both);
    CHECK(docids(covered).at(1) == repeats);
    CHECK(covered.total_matches == plain.total_matches);  // reordered, never filtered
    CHECK(covered.hits.size() == plain.hits.size());
    CHECK(scores_fall(covered));

    SECTION("only the first `depth` candidates are reordered") {
        rank::RankOptions shallow;
        shallow.coverage.depth = 1;
        CHECK(docids(rank_bm25(db, query, shallow)) == docids(plain));
    }
    SECTION("a page beyond the reordered candidates is scaled like the whole list") {
        rank::RankOptions shallow;
        shallow.weighting = rank::Weighting::Bm25;
        shallow.coverage.depth = 1;
        shallow.all_words_first = false;
        shallow.title_weight = 0;
        const rank::RankedPage whole = rank::rank(db, query, 0, 10, shallow);
        const rank::RankedPage beyond = rank::rank(db, query, 1, 2, shallow);
        REQUIRE(beyond.hits.size() == 2);
        for (std::size_t i = 0; i < 2; ++i) {
            CHECK(beyond.hits[i].docid == whole.hits[i + 1].docid);
            CHECK(beyond.hits[i].score == Approx(whole.hits[i + 1].score));
        }
        CHECK(whole.hits[1].score <= 1.0);  // BM25 over the best, no coverage beyond depth
    }
    SECTION("pages cut from the reordered list agree with the whole list") {
        rank::RankOptions options;
        options.weighting = rank::Weighting::Bm25;
        options.all_words_first = false;
        options.title_weight = 0;
        const rank::RankedPage second = rank::rank(db, query, 1, 2, options);
        REQUIRE(second.hits.size() == 2);
        CHECK(second.hits[0].docid == covered.hits[1].docid);
        CHECK(second.hits[1].docid == covered.hits[2].docid);
    }
}

TEST_CASE("Title coverage breaks a tie between equal passages", "[rank]") {
    auto db = coverage_index(20, 10);
    const Xapian::docid plain_title = add(db, {{"Zcorridor", 1}, {"Zfiller", 4}});
    const Xapian::docid titled = add(db, {{"Zcorridor", 1}, {"Zfiller", 4}, {"ZScorridor", 1}});
    const query::CompiledQuery query = corridor_tons();
    const rank::RankOptions off = without_coverage(rank::RankOptions{});
    // The title term is not in the query and only lengthens that passage: BM25 puts it second.
    REQUIRE(docids(rank_bm25(db, query, off)).at(0) == plain_title);
    rank::RankOptions title_only;
    title_only.coverage.body = 0;
    CHECK(docids(rank_bm25(db, query, title_only)).at(0) == titled);
}

TEST_CASE("With coverage, scores fall with rank across the all-words and some-words tiers", "[rank]") {
    // "tons" is common, so "corridor" alone covers most of the query; the second passage with
    // both words is long, so its BM25 is well below the first's. Without the lift, "corridor"
    // alone (second tier) would score above it.
    auto db = coverage_index(20, 15);
    add(db, {{"Zcorridor", 8}, {"Zfiller", 4}});
    add(db, {{"Zcorridor", 1}, {"Zton", 1}, {"Zfiller", 2}});
    add(db, {{"Zcorridor", 1}, {"Zton", 1}, {"Zfiller", 40}});
    query::CompiledQuery query = corridor_tons();
    query.all = Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("Zcorridor"), Xapian::Query("Zton"));
    query.some = Xapian::Query(Xapian::Query::OP_AND_NOT, query.any, query.all);
    rank::RankOptions options;
    options.weighting = rank::Weighting::Bm25;
    options.title_weight = 0;
    const rank::RankedPage page = rank::rank(db, query, 0, 50, options);
    // Two passages hold both words, the one with "corridor" only follows, then the 15
    // fillers with "tons" only.
    REQUIRE(page.hits.size() == 2 + 1 + 15);
    CHECK(page.total_matches == 18);
    CHECK(scores_fall(page));
    CHECK(page.hits[1].score > page.hits[2].score);  // the tier boundary
}

TEST_CASE("Remote shards: coverage found through filtered matches ranks as posting lists do", "[rank]") {
    // Two shards. The first: 400 passages with the two words and the title words in a varied
    // pattern. The second: 150 identical passages, so equal scores, whose tie order (the
    // corpus-order value, descending here) is not docid order; coverage reorders the best 60,
    // so the cut falls among equals. With `remote`, words in more than remote_postlist_limit
    // passages are looked up by filtering the match (limit 0: all of them; 150: only the
    // common ones); any candidate the lookup misses loses coverage and drops. The page of 100,
    // within and beyond the reordered 60, must be the posting lists' page in both tiers.
    auto varied = coverage_index(100, 60);
    for (unsigned i = 0; i < 400; ++i) {
        std::vector<std::pair<std::string, Xapian::termcount>> terms = {{"Zfiller", 1 + i % 7}};
        if (i % 3 != 0) terms.push_back({"Zcorridor", 1 + i % 4});
        if (i % 5 < 2 || i % 3 == 0) terms.push_back({"Zton", 1 + i % 3});
        if (i % 4 == 1) terms.push_back({"ZScorridor", 1});
        if (i % 11 == 0) terms.push_back({"ZSton", 1});
        add(varied, terms);
    }
    Xapian::WritableDatabase equal(std::string(), Xapian::DB_BACKEND_INMEMORY);
    for (unsigned i = 0; i < 150; ++i) {
        Xapian::Document doc;
        doc.add_term("Zcorridor", 2);
        doc.add_term("Zton", 1);
        doc.add_term("Zfiller", 2);
        doc.add_value(index::slot::corpus_order, "b" + std::to_string(1000 - i));
        equal.add_document(doc);
    }
    for (Xapian::docid id = 1; id <= varied.get_lastdocid(); ++id) {
        Xapian::Document doc = varied.get_document(id);
        doc.add_value(index::slot::corpus_order, "a" + std::to_string(1000 + id));
        varied.replace_document(id, doc);
    }
    Xapian::Database db;
    db.add_database(varied);
    db.add_database(equal);

    query::CompiledQuery query = corridor_tons();
    query.all = Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("Zcorridor"), Xapian::Query("Zton"));
    query.some = Xapian::Query(Xapian::Query::OP_AND_NOT, query.any, query.all);
    query.title_boost = Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("ZScorridor"), Xapian::Query("ZSton"));
    // The filtered match must score as the unfiltered one under either weighting.
    for (const auto weighting : {rank::Weighting::IneB2, rank::Weighting::Bm25})
    for (const bool tiers : {false, true}) {
        for (const double title_weight : {0.0, 0.45}) {
            rank::RankOptions local;
            local.weighting = weighting;
            local.all_words_first = tiers;
            local.title_weight = title_weight;
            local.coverage.depth = 60;
            const rank::RankedPage expected = rank::rank(db, query, 0, 100, local);
            REQUIRE(expected.hits.size() == 100);
            REQUIRE(docids(rank::rank(db, query, 0, 100, without_coverage(local))) != docids(expected));  // coverage reorders here
            for (const Xapian::doccount limit : {0U, 150U}) {
                rank::RankOptions remote = local;
                remote.remote = true;
                remote.remote_postlist_limit = limit;
                const rank::RankedPage got = rank::rank(db, query, 0, 100, remote);
                INFO("weighting " << static_cast<int>(weighting) << ", tiers " << tiers << ", title weight "
                                  << title_weight << ", limit " << limit);
                CHECK(docids(got) == docids(expected));
                REQUIRE(got.hits.size() == expected.hits.size());
                for (std::size_t i = 0; i < got.hits.size(); ++i)
                    CHECK(got.hits[i].score == Approx(expected.hits[i].score));
            }
        }
    }
}

TEST_CASE("Passages are weighted by IneB2 unless BM25 is asked for", "[rank]") {
    // 40 passages of varied length; "ton" in every third, one to four times. Each passage's
    // length and the collection statistics are counted here from what is added, not read
    // back from the index.
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    std::map<Xapian::docid, std::pair<double, double>> wdf_and_length;
    double total_length = 0, collection_freq = 0, with_ton = 0;
    const double passages = 40;
    for (unsigned i = 0; i < passages; ++i) {
        const Xapian::termcount other = 1 + (i * 7) % 13;
        const Xapian::termcount tons = i % 3 == 0 ? 1 + i % 4 : 0;
        std::vector<std::pair<std::string, Xapian::termcount>> terms = {{"Zother", other}};
        if (tons > 0) terms.push_back({"Zton", tons});
        const Xapian::docid id = add(db, terms);
        total_length += other + tons;
        if (tons > 0) {
            wdf_and_length[id] = {tons, other + tons};
            collection_freq += tons;
            ++with_ton;
        }
    }
    query::CompiledQuery query;
    query.all = query.any = Xapian::Query("Zton");
    rank::RankOptions options = without_coverage(rank::RankOptions{});
    options.all_words_first = false;
    options.title_weight = 0;

    SECTION("IneB2: Amati's formula with Xapian's expected document frequency") {
        REQUIRE(options.weighting == rank::Weighting::IneB2);
        for (const double c : {rank::default_ineb2_c, 2.0}) {
            options.ineb2_c = c;
            const rank::RankedPage page = rank::rank(db, query, 0, 100, options);
            REQUIRE(page.hits.size() == wdf_and_length.size());
            const double average_length = total_length / passages;
            const double expected_df = passages * (1 - std::exp(-collection_freq / passages));
            const double idf = std::log2((passages + 1) / (expected_df + 0.5));
            for (const rank::RankedHit& hit : page.hits) {
                const auto [wdf, length] = wdf_and_length.at(hit.docid);
                const double tfn = wdf * std::log2(1 + c * average_length / length);
                INFO("c " << c << ", docid " << hit.docid);
                CHECK(hit.score == Approx(idf * (collection_freq + 1) / with_ton * tfn / (tfn + 1)));
            }
        }
    }
    SECTION("BM25 with the options' k1 and b, as Xapian computes it") {
        options.weighting = rank::Weighting::Bm25;
        options.bm25 = {1.1, 0.3};
        Xapian::Enquire reference(db);
        reference.set_weighting_scheme(Xapian::BM25Weight(1.1, 0, 1, 0.3, 0.5));
        reference.set_query(query.any);
        std::map<Xapian::docid, double> expected;
        const Xapian::MSet mset = reference.get_mset(0, 100);
        for (auto it = mset.begin(); it != mset.end(); ++it) expected[*it] = it.get_weight();
        const rank::RankedPage page = rank::rank(db, query, 0, 100, options);
        REQUIRE(page.hits.size() == wdf_and_length.size());
        for (const rank::RankedHit& hit : page.hits) CHECK(hit.score == Approx(expected.at(hit.docid)));
    }
}

TEST_CASE("Proximity share: the best window's IDF-weighted share of the query's words", "[rank]") {
    using Positions = std::vector<std::vector<std::uint32_t>>;
    const std::vector<double> even{1.0, 1.0};
    // Two words within the window: all of the query sits together.
    CHECK(rank::proximity_share(Positions{{1}, {3}}, even, 12) == Approx(1.0));
    // A window of 12 positions spans p .. p + 11: 1 and 12 share one, 1 and 13 do not.
    CHECK(rank::proximity_share(Positions{{1}, {12}}, even, 12) == Approx(1.0));
    CHECK(rank::proximity_share(Positions{{1}, {13}}, even, 12) == 0.0);
    // One word alone is no proximity, however often it stands there.
    CHECK(rank::proximity_share(Positions{{1, 2, 3}, {}}, even, 12) == 0.0);
    // Three words weighted 2, 1, 1: the first two together, the third far away: 3 of 4.
    CHECK(rank::proximity_share(Positions{{5}, {7}, {40}}, {2.0, 1.0, 1.0}, 12) == Approx(0.75));
    // The best window is taken, wherever it lies: the last two, weighted 1 + 1 of 4.
    CHECK(rank::proximity_share(Positions{{1}, {50, 100}, {103}}, {2.0, 1.0, 1.0}, 12) == Approx(0.5));
    // A word of weight 0 (a function word) neither counts nor makes a pair.
    CHECK(rank::proximity_share(Positions{{1}, {2}, {30}}, {0.0, 1.0, 1.0}, 12) == 0.0);
    CHECK(rank::proximity_share(Positions{{1}, {2}}, {0.0, 0.0}, 12) == 0.0);
}

TEST_CASE("Coverage: a word held only through a stem-mate counts less than the word as typed", "[rank]") {
    // "executed" and "executive" share the stem "execut". The passage with "executive" twice
    // outweighs the one with "executed" once by the stem alone; counted as typed, the exact
    // form wins.
    auto db = coverage_index(30, 0);
    const Xapian::docid mate = add(db, {{"Zexecut", 2}, {"executive", 2}, {"Zfiller", 2}});
    const Xapian::docid exact = add(db, {{"Zexecut", 1}, {"executed", 1}, {"Zfiller", 3}});
    query::CompiledQuery query;
    query.all = query.any = Xapian::Query("Zexecut");
    query.content_words = {{"executed", "execut"}};

    rank::RankOptions stems_alike;
    stems_alike.coverage.stem_only = 1.0;
    REQUIRE(docids(rank_bm25(db, query, stems_alike)) == std::vector<Xapian::docid>{mate, exact});
    CHECK(docids(rank_bm25(db, query, rank::RankOptions{})) == std::vector<Xapian::docid>{exact, mate});
}

TEST_CASE("Proximity: the passage whose query words stand together ranks above a scattered one", "[rank]") {
    // Two passages with the same terms and frequencies, so the same weight; the positions
    // callback says where the words stand: apart in the first, side by side in the second.
    auto db = coverage_index(20, 5);
    const Xapian::docid scattered = add(db, {{"Zcorridor", 1}, {"Zton", 1}, {"Zfiller", 2}});
    const Xapian::docid together = add(db, {{"Zcorridor", 1}, {"Zton", 1}, {"Zfiller", 2}});
    const query::CompiledQuery query = corridor_tons();
    const rank::WordPositions positions = [&](const Xapian::Document& doc, const std::vector<query::ContentWord>& words) {
        REQUIRE(words.size() == 2);
        using Positions = std::vector<std::vector<std::uint32_t>>;
        return doc.get_docid() == together ? Positions{{10}, {11}} : Positions{{1}, {60}};
    };
    rank::RankOptions options;
    options.weighting = rank::Weighting::Bm25;
    options.all_words_first = false;
    options.title_weight = 0;
    // The two lead (they hold both words; the fillers with "tons" follow).
    const auto first_two = [](const rank::RankedPage& page) {
        return std::vector<Xapian::docid>{page.hits.at(0).docid, page.hits.at(1).docid};
    };
    const rank::RankedPage without = rank::rank(db, query, 0, 10, options);
    REQUIRE(first_two(without) == std::vector<Xapian::docid>{scattered, together});  // equal: corpus order
    const rank::RankedPage near = rank::rank(db, query, 0, 10, options, nullptr, &positions);
    CHECK(first_two(near) == std::vector<Xapian::docid>{together, scattered});
    CHECK(scores_fall(near));
    options.coverage.proximity.weight = 0;
    CHECK(docids(rank::rank(db, query, 0, 10, options, nullptr, &positions)) == docids(without));
}
