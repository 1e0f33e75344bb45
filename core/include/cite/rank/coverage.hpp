#pragma once
// Query coverage: how much of a query's content a passage holds. BM25 and IneB2 add up
// per-word evidence, so a passage that repeats two of a claim's words can outrank one that
// has all of them once; coverage reorders the best candidates by the share of the query's
// content words (weighted by IDF) found in the passage and in its document's title.

#include "cite/query/query_builder.hpp"
#include "cite/rank/proximity.hpp"

#include <xapian.h>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace cite::rank {

/// Weights tuned on BEIR SciFact train (README, "Ranking"); both 0 turn coverage off.
struct CoverageWeights {
    double body = 2.0;   ///< share of content words in the passage or its title
    double title = 0.7;  ///< share of content words in the title
    /// What a word held only through a stem-mate counts, against 1 for its exact form
    /// (case, diacritics and apostrophes folded): "executed" is held in full by "executed",
    /// by stem_only by "executive". Chosen on SciFact train and the BBC word pairs
    /// (docs/searching.md); 1 makes stem-mates count in full.
    double stem_only = 0.5;
    /// Candidates reordered: the rest keep the match's order below them, so pages agree.
    std::size_t depth = 200;
    /// The words' best window in the passage (rank/proximity.hpp), given CandidatePositions.
    ProximityWeights proximity;
};

/// A candidate in the match's order; `score` becomes the coverage-adjusted score.
struct Candidate {
    Xapian::docid docid = 0;
    double score = 0;
    std::size_t match_rank = 0;  ///< position before reordering
};

/// Which candidates hold a term, found by the match rather than by the term's posting list:
/// the docids of the best `depth` matches of the ranking query filtered by the term. Every
/// candidate among the best `depth` that holds the term is there: filtering only removes
/// passages above it: a filter term adds no weight, and neither weighting has a part that
/// depends on the query's length (BM25's k2 is 0), so scores and tie order are the ranking
/// query's (rank::weighted_enquire).
/// For remote shards, whose posting lists Xapian's protocol ships whole.
using FilteredTop = std::function<std::vector<Xapian::docid>(const std::string& term, std::size_t depth)>;

/// Where the content words stand in a candidate's passage: for each word (in the order given
/// to reorder_by_coverage), its word positions.
using CandidatePositions = std::function<std::vector<std::vector<std::uint32_t>>(const Candidate&)>;

/// Reorders the first `weights.depth` of `candidates` (in the match's order, best first) by
/// score / best score + body x body coverage + title x title coverage, where a coverage is the
/// IDF-weighted share of the content words found; ties keep the match's order. Every candidate's
/// score is rescaled the same way (the ones beyond depth by score / best score only), so the
/// scores still fall with rank. Does nothing without content words or candidates.
/// With `filtered_top`, a term in more than `postlist_limit` passages is looked up through it.
/// With `positions` and two or more content words, the score of each of those candidates also
/// gains weights.proximity.weight x its proximity_share by the same IDF weights.
void reorder_by_coverage(const Xapian::Database& db, const std::vector<query::ContentWord>& words,
                         const CoverageWeights& weights, std::vector<Candidate>& candidates,
                         const FilteredTop* filtered_top = nullptr, Xapian::doccount postlist_limit = 0,
                         const CandidatePositions* positions = nullptr);

}  // namespace cite::rank
