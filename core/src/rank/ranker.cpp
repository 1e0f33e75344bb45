#include "cite/rank/ranker.hpp"

#include <algorithm>
#include <optional>

namespace cite::rank {
namespace {

class VerifierDecider : public Xapian::MatchDecider {
  public:
    explicit VerifierDecider(const Verifier& verifier) : m_verifier(verifier) {}
    bool operator()(const Xapian::Document& doc) const override { return m_verifier(doc); }

  private:
    const Verifier& m_verifier;
};

struct Tier {
    Xapian::MSet mset;
    Xapian::doccount total = 0;
    bool exact = true;
};

}  // namespace

RankedPage rank(const Xapian::Database& db, const query::CompiledQuery& query, std::size_t offset,
                std::size_t limit, const RankOptions& options, const Verifier* verifier) {
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(Xapian::BM25Weight(options.bm25.k1, 0, 1, options.bm25.b, 0.5));
    // Equal scores fall back to ascending docid: index order, stable across runs.
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    std::optional<VerifierDecider> decider;
    if (verifier) decider.emplace(*verifier);
    const Xapian::MatchDecider* match_decider = decider ? &*decider : nullptr;
    const Xapian::doccount doccount = db.get_doccount();
    const bool count_all = doccount <= exact_count_limit;

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
        const auto check = count_all ? doccount : static_cast<Xapian::doccount>(first + max);
        Tier t;
        t.mset = enquire.get_mset(static_cast<Xapian::doccount>(first), static_cast<Xapian::doccount>(max), check,
                                  nullptr, match_decider);
        t.total = t.mset.get_matches_estimated();
        t.exact = t.mset.get_matches_lower_bound() == t.mset.get_matches_upper_bound();
        return t;
    };

    RankedPage page;
    auto take = [&](const Tier& t) {
        for (auto it = t.mset.begin(); it != t.mset.end(); ++it)
            page.hits.push_back({*it, it.get_weight(), it.get_document()});
    };

    if (!options.all_words_first) {
        Tier any = run(query.any, offset, limit);
        take(any);
        page.total_matches = any.total;
        page.total_exact = any.exact;
        return page;
    }
    Tier all = run(query.all, offset, limit);
    take(all);
    page.total_matches = all.total;
    page.total_exact = all.exact;
    if (query.some.empty()) return page;

    // The second tier starts where the first ends: how many "all" matches precede offset?
    std::size_t all_count = all.total;
    if (!all.exact) all_count = run(query.all, 0, 0).total;
    const std::size_t some_offset = offset > all_count ? offset - all_count : 0;
    const std::size_t room = limit - page.hits.size();
    Tier some = run(query.some, some_offset, room);
    if (room > 0) take(some);
    page.total_matches += some.total;
    page.total_exact = page.total_exact && some.exact;
    return page;
}

}  // namespace cite::rank
