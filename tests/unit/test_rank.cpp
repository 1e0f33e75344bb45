// The ranker's paging and totals: candidates confirmed by a verifier (queries Xapian
// over-approximates) give an exact total when there are few, an estimate when confirming them
// all would mean reading thousands of passages.

#include "cite/rank/ranker.hpp"

#include <catch2/catch.hpp>
#include <xapian.h>

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
