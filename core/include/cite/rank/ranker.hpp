#pragma once
// Runs a compiled query, weighted by a DFR model (IneB2) or BM25, and returns one page of
// ranked passages: passages that match every side-by-side word first, then those that match
// some.

#include "cite/query/query_builder.hpp"
#include "cite/rank/coverage.hpp"

#include <xapian.h>

#include <cstddef>
#include <functional>
#include <vector>

namespace cite::rank {

/// How a matching passage is weighted.
enum class Weighting {
    /// Xapian's IneB2Weight: divergence from randomness (Amati and van Rijsbergen), inverse
    /// expected document frequency, Bernoulli after-effect, normalisation 2. SciFact train,
    /// against BM25: nDCG@10 +0.0069, Recall@100 +0.0031 (README, "Ranking").
    IneB2,
    /// Xapian's BM25Weight.
    Bm25,
};

/// The order of ranked hits (--sort).
enum class Order {
    Relevance,  ///< by score (the default)
    Newest,     ///< by the document's date, newest first; equal dates by score; undated last
    Oldest,     ///< by the document's date, oldest first; equal dates by score; undated last
};

/// Xapian BM25Weight parameters, chosen by k1 x b grids on the BEIR SciFact train split, the
/// second with coverage on (README, "Ranking"); k2 = 0, k3 = 1 and min_normlen = 0.5 are
/// Xapian's.
struct Bm25Params {
    double k1 = 1.5;
    double b = 0.6;
};

/// IneB2's length normalisation: term frequency x log2(1 + c x average length / length).
/// Chosen with the title weight on SciFact train (c 0.3-1 all within 0.002 of the best).
inline constexpr double default_ineb2_c = 0.5;

/// The title weight chosen for each weighting on SciFact train.
[[nodiscard]] constexpr double tuned_title_weight(Weighting w) { return w == Weighting::IneB2 ? 0.3 : 0.45; }

struct RankOptions {
    Weighting weighting = Weighting::IneB2;
    Bm25Params bm25;                   ///< with Weighting::Bm25
    double ineb2_c = default_ineb2_c;  ///< with Weighting::IneB2
    /// Passages with all side-by-side words before those with some (the default for people);
    /// false ranks every candidate by its score alone (long claims, batch evaluation).
    bool all_words_first = true;
    /// By date rather than score (within each tier, with all_words_first): coverage does not
    /// reorder, since the order is not the score's.
    Order order = Order::Relevance;
    /// Xapian's time limit on each match, in seconds (Enquire::set_time_limit); 0: none. A match
    /// past it stops early, with fewer candidates: the caller then gives up on the request.
    double time_limit = 0;
    /// Weight of a query word found in the passage's document title relative to one found in
    /// the passage (0 turns title weighting off). Tuned on SciFact train for each weighting
    /// (README, "Ranking"): change `weighting` through for_weighting() to keep them paired.
    double title_weight = tuned_title_weight(Weighting::IneB2);
    /// Reordering of the best candidates by query coverage (rank/coverage.hpp).
    CoverageWeights coverage;
    /// Set by the search for a database with remote shards. Xapian's remote protocol sends a
    /// posting list whole, at about 7 us a posting on loopback, so coverage asks the match
    /// (FilteredTop: one round trip and a match on the server, a few ms) which candidates hold
    /// a word found in more than remote_postlist_limit passages. On Gutenberg over two
    /// xapian-tcpsrv shards, limits of 200-1000 gave the same p95 (27 ms; 10,000: 114 ms).
    bool remote = false;
    Xapian::doccount remote_postlist_limit = 500;

    /// The defaults, weighted by `w` with the title weight tuned for it.
    [[nodiscard]] static RankOptions for_weighting(Weighting w) {
        RankOptions options;
        options.weighting = w;
        options.title_weight = tuned_title_weight(w);
        return options;
    }
};

struct RankedHit {
    Xapian::docid docid = 0;
    double score = 0;
    Xapian::Document document;
};

struct RankedPage {
    std::vector<RankedHit> hits;
    Xapian::doccount total_matches = 0;
    bool total_exact = true;
};

/// An Enquire on `db` weighting by `options.weighting` and its parameters, equal scores in
/// corpus order (index::slot::corpus_order): how every ranked match is run.
[[nodiscard]] Xapian::Enquire weighted_enquire(const Xapian::Database& db, const RankOptions& options);

/// Confirms a candidate passage (for queries Xapian over-approximates).
using Verifier = std::function<bool(const Xapian::Document&)>;

/// Where each of `words` stands in a passage: its word positions, per word (the analyzer's
/// work, which the ranker does not do). For proximity (rank/proximity.hpp).
using WordPositions = std::function<std::vector<std::vector<std::uint32_t>>(
    const Xapian::Document& passage, const std::vector<query::ContentWord>& words)>;

/// Hits [offset, offset + limit) in rank order: with all_words_first, the `all` tier by
/// descending score, then the `some` tier; otherwise `any` by score alone. Equal scores are
/// in corpus order (index::slot::corpus_order), so the ranking is the same for one database
/// and for the same corpus in shards, local or remote. Totals are exact for databases up to
/// exact_count_limit passages, else Xapian's estimate. `verifier` confirms candidates after
/// the match (remote shards accept no MatchDecider); totals then count confirmed ones, exactly
/// when there are at most verify_all_limit candidates (confirming one re-reads its passage),
/// else as an estimate.
/// Scores: with coverage (options.coverage, the query has content words, no verifier), each
/// tier's best candidates are reordered and scored by reorder_by_coverage, the rest scaled
/// the same way, and the `all` tier lifted above the `some` tier, so scores fall with rank
/// across pages and tiers. Otherwise, or with a verifier, they are the weighting's scores.
/// With `positions`, coverage also weighs how close the words stand (CoverageWeights::proximity).
[[nodiscard]] RankedPage rank(const Xapian::Database& db, const query::CompiledQuery& query, std::size_t offset,
                              std::size_t limit, const RankOptions& options, const Verifier* verifier = nullptr,
                              const WordPositions* positions = nullptr);

inline constexpr Xapian::doccount exact_count_limit = 500000;
inline constexpr Xapian::doccount verify_all_limit = 2000;

}  // namespace cite::rank
