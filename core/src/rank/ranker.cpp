#include "cite/rank/ranker.hpp"

#include "cite/index/index_reader.hpp"
#include "cite/index/schema.hpp"

#include <algorithm>
#include <optional>

namespace cite::rank {
namespace {

struct Tier {
    std::vector<RankedHit> hits;
    Xapian::doccount total = 0;
    bool exact = true;
};

}  // namespace

Xapian::Enquire weighted_enquire(const Xapian::Database& db, const RankOptions& options) {
    Xapian::Enquire enquire(db);
    switch (options.weighting) {
    case Weighting::IneB2: enquire.set_weighting_scheme(Xapian::IneB2Weight(options.ineb2_c)); break;
    case Weighting::Bm25:
        enquire.set_weighting_scheme(Xapian::BM25Weight(options.bm25.k1, 0, 1, options.bm25.b, 0.5));
        break;
    }
    // Equal scores in corpus order (file, then position in it), not docid order: docids differ
    // between one database and the same corpus in shards (a multi-database interleaves its
    // shards' docids) and after incremental updates, and the ranking must not.
    enquire.set_sort_by_relevance_then_value(index::slot::corpus_order, false);
    return enquire;
}

RankedPage rank(const Xapian::Database& db, const query::CompiledQuery& query, std::size_t offset,
                std::size_t limit, const RankOptions& options, const Verifier* verifier,
                const WordPositions* positions) {
    // By the date's first day (index::slot::date_first, YYYYMMDD). Newest first sorts the
    // value reversed, which puts passages without a date (no value) after every date; oldest
    // first gives them a value above every date for the same place.
    // Declared before the Enquire that points to it.
    Xapian::MultiValueKeyMaker by_date;
    Xapian::Enquire enquire = weighted_enquire(db, options);
    if (options.time_limit > 0) enquire.set_time_limit(options.time_limit);
    if (options.order != Order::Relevance) {
        const bool newest = options.order == Order::Newest;
        by_date.add_value(index::slot::date_first, newest, newest ? std::string() : std::string("\xff"));
        enquire.set_sort_by_key_then_relevance(&by_date, false);
    }
    const Xapian::doccount doccount = db.get_doccount();
    const bool count_all = doccount <= exact_count_limit;
    // Candidates a verifier must confirm are ranked by their score alone (see rank()'s contract).
    const bool coverage = !verifier && options.order == Order::Relevance &&
                          options.coverage.body + options.coverage.title > 0 && !query.content_words.empty();

    auto take = [](Tier& t, Xapian::MSetIterator it) { t.hits.push_back({*it, it.get_weight(), it.get_document()}); };

    auto run = [&](const Xapian::Query& query_, std::size_t first, std::size_t max) {
        // Title words add weight to passages that already match; they never make one match.
        const Xapian::Query q = options.title_weight > 0 && !query.title_boost.empty()
                                    ? Xapian::Query(Xapian::Query::OP_AND_MAYBE, query_,
                                                    Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, query.title_boost,
                                                                  options.title_weight))
                                    : query_;
        // Nothing lies beyond the database: keeps huge --limit/--offset within Xapian's types.
        first = std::min<std::size_t>(first, doccount);
        max = std::min<std::size_t>(max, doccount);
        enquire.set_query(q);
        Tier t;
        if (!verifier) {
            // With coverage, the page is cut from the reordered top candidates, so they are
            // all fetched, from rank 0; without, only the page.
            const bool reorder = coverage && max > 0 && first < options.coverage.depth;
            const std::size_t fetch_first = reorder ? 0 : first;
            const std::size_t fetch_count =
                reorder ? std::min<std::size_t>(std::max(first + max, options.coverage.depth), doccount) : max;
            const auto check = count_all ? doccount : static_cast<Xapian::doccount>(fetch_first + fetch_count);
            Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(fetch_first),
                                                 static_cast<Xapian::doccount>(fetch_count), check);
            t.total = mset.get_matches_estimated();
            t.exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
            if (!reorder) {
                index::prefetch(mset);  // remote shards: the page's documents in one round trip
                for (auto it = mset.begin(); it != mset.end(); ++it) take(t, it);
                // A page beyond the reordered candidates: scaled as reorder_by_coverage scales
                // them, by the best score (of rank 0, so the highest the match attained).
                if (coverage && mset.get_max_attained() > 0)
                    for (RankedHit& h : t.hits) h.score /= mset.get_max_attained();
                return t;
            }
            std::vector<Candidate> candidates;
            candidates.reserve(mset.size());
            for (auto it = mset.begin(); it != mset.end(); ++it)
                candidates.push_back({*it, it.get_weight(), candidates.size()});
            // The same match, filtered by a term: same weights, same order of equal scores.
            const FilteredTop filtered_top = [&](const std::string& term, std::size_t depth) {
                Xapian::Enquire filtered = weighted_enquire(db, options);
                filtered.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query(term)));
                const Xapian::MSet top = filtered.get_mset(0, static_cast<Xapian::doccount>(depth));
                return std::vector<Xapian::docid>(top.begin(), top.end());
            };
            // Proximity reads the reordered candidates' passages: fetched together (remote shards:
            // pipelined, not one round trip at a time).
            const bool near = positions && options.coverage.proximity.weight > 0 && query.content_words.size() >= 2 &&
                              !mset.empty();
            if (near) {
                const std::size_t last = std::min<std::size_t>(options.coverage.depth, mset.size()) - 1;
                mset.fetch(mset.begin(), mset[static_cast<Xapian::doccount>(last)]);
            }
            const CandidatePositions candidate_positions = [&](const Candidate& c) {
                return (*positions)(mset[static_cast<Xapian::doccount>(c.match_rank)].get_document(), query.content_words);
            };
            reorder_by_coverage(db, query.content_words, options.coverage, candidates,
                                options.remote ? &filtered_top : nullptr, options.remote_postlist_limit,
                                near ? &candidate_positions : nullptr);
            const std::size_t end = std::min(first + max, candidates.size());
            for (std::size_t i = first; i < end; ++i) {
                const Xapian::MSetIterator it = mset[static_cast<Xapian::doccount>(candidates[i].match_rank)];
                mset.fetch(it);  // remote shards: pipelined, not one round trip at a time
            }
            for (std::size_t i = first; i < end; ++i) {
                const Xapian::MSetIterator it = mset[static_cast<Xapian::doccount>(candidates[i].match_rank)];
                t.hits.push_back({candidates[i].docid, candidates[i].score, it.get_document()});
            }
            return t;
        }
        // Candidates are confirmed here, in rank order, rather than by a Xapian::MatchDecider
        // during the match: Xapian's remote backend refuses MatchDeciders. Up to
        // verify_all_limit candidates, every one is confirmed, so the total is exact; beyond
        // it, candidates are read in growing windows until the page is full. (A claim with a
        // range such as "76-85%" made every passage with a percentage a candidate: confirming
        // them all took a second.)
        const std::size_t want = first + max;
        const bool confirm_all =
            count_all && enquire.get_mset(0, 0, verify_all_limit + 1).get_matches_upper_bound() <= verify_all_limit;
        std::size_t confirmed = 0;
        std::size_t start = 0;
        std::size_t window = confirm_all ? doccount : std::max<std::size_t>(2 * want, 100);
        for (;;) {
            Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(start),
                                                 static_cast<Xapian::doccount>(window),
                                                 static_cast<Xapian::doccount>(start + window));
            index::prefetch(mset);
            for (auto it = mset.begin(); it != mset.end(); ++it) {
                if (!confirm_all && confirmed >= want) break;
                if (!(*verifier)(it.get_document())) continue;
                if (confirmed >= first && confirmed < want) take(t, it);
                ++confirmed;
            }
            if (confirm_all || mset.size() < window) {  // every candidate seen
                t.total = static_cast<Xapian::doccount>(confirmed);
                t.exact = true;
                return t;
            }
            if (confirmed >= want) {
                t.total = std::max<Xapian::doccount>(static_cast<Xapian::doccount>(confirmed),
                                                     mset.get_matches_estimated());
                t.exact = false;
                return t;
            }
            start += window;
            window *= 2;
        }
    };

    RankedPage page;
    auto append = [&](Tier& t) {
        for (RankedHit& h : t.hits) page.hits.push_back(std::move(h));
    };

    if (!options.all_words_first) {
        Tier any = run(query.any, offset, limit);
        append(any);
        page.total_matches = any.total;
        page.total_exact = any.exact;
        return page;
    }
    Tier all = run(query.all, offset, limit);
    // With coverage, scores are at most 1 + body + title weights: lifting the first tier by
    // that keeps scores falling with rank across the tiers (and --format trec in rank order).
    if (coverage && !query.some.empty())
        for (RankedHit& h : all.hits) h.score += 1 + options.coverage.body + options.coverage.title;
    append(all);
    page.total_matches = all.total;
    page.total_exact = all.exact;
    if (query.some.empty()) return page;

    // The second tier starts where the first ends: how many "all" matches precede offset?
    std::size_t all_count = all.total;
    if (!all.exact) all_count = run(query.all, 0, 0).total;
    const std::size_t some_offset = offset > all_count ? offset - all_count : 0;
    const std::size_t room = limit - page.hits.size();
    Tier some = run(query.some, some_offset, room);
    if (room > 0) append(some);
    page.total_matches += some.total;
    page.total_exact = page.total_exact && some.exact;
    return page;
}

}  // namespace cite::rank
