#include "cite/rank/coverage.hpp"

#include "cite/analysis/function_words.hpp"
#include "cite/index/schema.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace cite::rank {

namespace {

// BM25's probabilistic IDF, kept positive: near 0 for words in most passages.
double idf(Xapian::doccount passages, Xapian::doccount with_word) {
    const double n = with_word;
    return std::log(1.0 + (passages - n + 0.5) / (n + 0.5));
}

// Which of `docids` (ascending) hold `term`, found in `termfreq` passages: by skipping through
// its posting list, or for a term in more than `postlist_limit` passages by `filtered_top` if
// given.
std::vector<bool> holders(const Xapian::Database& db, const std::string& term, Xapian::doccount termfreq,
                          const std::vector<Xapian::docid>& docids, const FilteredTop* filtered_top,
                          Xapian::doccount postlist_limit) {
    std::vector<bool> out(docids.size(), false);
    if (filtered_top && termfreq > postlist_limit) {
        std::vector<Xapian::docid> found = (*filtered_top)(term, docids.size());
        std::sort(found.begin(), found.end());
        for (std::size_t i = 0; i < docids.size(); ++i) out[i] = std::binary_search(found.begin(), found.end(), docids[i]);
        return out;
    }
    Xapian::PostingIterator it = db.postlist_begin(term);
    const Xapian::PostingIterator end = db.postlist_end(term);
    for (std::size_t i = 0; i < docids.size() && it != end; ++i) {
        it.skip_to(docids[i]);
        if (it != end && *it == docids[i]) out[i] = true;
    }
    return out;
}

}  // namespace

void reorder_by_coverage(const Xapian::Database& db, const std::vector<query::ContentWord>& words,
                         const CoverageWeights& weights, std::vector<Candidate>& candidates,
                         const FilteredTop* filtered_top, Xapian::doccount postlist_limit,
                         const CandidatePositions* positions) {
    if (candidates.empty() || (weights.body <= 0 && weights.title <= 0)) return;
    const std::size_t depth = std::min(weights.depth, candidates.size());
    const double best = candidates.front().score;
    if (!(best > 0)) return;

    // Candidates by docid, for one pass through each posting list.
    std::vector<std::size_t> by_docid(depth);
    for (std::size_t i = 0; i < depth; ++i) by_docid[i] = i;
    std::sort(by_docid.begin(), by_docid.end(),
              [&](std::size_t a, std::size_t b) { return candidates[a].docid < candidates[b].docid; });
    std::vector<Xapian::docid> docids(depth);
    for (std::size_t i = 0; i < depth; ++i) docids[i] = candidates[by_docid[i]].docid;

    const Xapian::doccount passages = db.get_doccount();
    std::vector<double> body(depth, 0.0);
    std::vector<double> title(depth, 0.0);
    double total = 0;
    std::vector<double> word_weights(words.size(), 0.0);  // for proximity, by the same IDF
    for (std::size_t k = 0; k < words.size(); ++k) {
        const query::ContentWord& w = words[k];
        if (analysis::is_function_word(w.term)) continue;
        // The terms the index holds for the word: its stem, or the word itself if not stemmed.
        const std::string body_term = w.stem.empty() ? w.term : std::string(index::prefix::stem) + w.stem;
        const std::string title_term = w.stem.empty()
                                           ? std::string(index::prefix::title) + w.term
                                           : std::string(index::prefix::stem) + std::string(index::prefix::title) + w.stem;
        const Xapian::doccount body_freq = db.get_termfreq(body_term);
        const double weight = idf(passages, body_freq);
        total += weight;
        word_weights[k] = weight;
        const std::vector<bool> in_body = holders(db, body_term, body_freq, docids, filtered_top, postlist_limit);
        // The title term's frequency only decides the remote lookup (a round trip there).
        const Xapian::doccount title_freq = filtered_top ? db.get_termfreq(title_term) : 0;
        const std::vector<bool> in_title = holders(db, title_term, title_freq, docids, filtered_top, postlist_limit);
        // A stemmed word held only through a stem-mate ("executive" for "executed") counts
        // weights.stem_only of it: the word as typed is held in full.
        std::vector<bool> exact_body(depth, true);
        std::vector<bool> exact_title(depth, true);
        if (!w.stem.empty() && weights.stem_only < 1) {
            const std::string title_exact = std::string(index::prefix::title) + w.term;
            exact_body = holders(db, w.term, filtered_top ? db.get_termfreq(w.term) : 0, docids, filtered_top,
                                 postlist_limit);
            exact_title = holders(db, title_exact, filtered_top ? db.get_termfreq(title_exact) : 0, docids,
                                  filtered_top, postlist_limit);
        }
        for (std::size_t i = 0; i < depth; ++i) {
            const double share = exact_body[i] || exact_title[i] ? 1.0 : weights.stem_only;
            if (in_body[i] || in_title[i]) body[by_docid[i]] += weight * share;
            if (in_title[i]) title[by_docid[i]] += weight * (exact_title[i] ? 1.0 : weights.stem_only);
        }
    }
    for (Candidate& c : candidates) c.score /= best;
    if (total > 0) {
        for (std::size_t i = 0; i < depth; ++i)
            candidates[i].score += (weights.body * body[i] + weights.title * title[i]) / total;
        const std::size_t counted =
            static_cast<std::size_t>(std::count_if(word_weights.begin(), word_weights.end(), [](double w) { return w > 0; }));
        if (positions && weights.proximity.weight > 0 && counted >= 2)
            for (std::size_t i = 0; i < depth; ++i)
                candidates[i].score += weights.proximity.weight *
                                       proximity_share((*positions)(candidates[i]), word_weights, weights.proximity.window);
        std::stable_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(depth),
                         [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    }
}

}  // namespace cite::rank
