#pragma once
// Copies of one story counted and shown once: ranked hits folded into one result per passage
// (its canonical copy, with the other copies as citations), and the distinct stories among
// documents (docs/duplicates.md). Groups come from index::DuplicateFinder.

#include "cite/evidence/evidence.hpp"
#include "cite/index/duplicate_groups.hpp"
#include "cite/index/index_reader.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace cite::search {

/// Two paragraphs of copies of one story are the same passage when their word-bigram
/// Jaccard similarity (index::passage_similarity) is at least this: a corrected figure or a
/// trimmed sentence keeps a paragraph well above it.
inline constexpr double same_passage_similarity = 0.5;

/// A ranked passage before collapsing.
struct RankedPassage {
    passage::Passage passage;
    double score = 0;
};

/// One result after collapsing: `passage` is the canonical copy among the ranked passages
/// that are copies of one another, `score` the best of theirs, `copies` every other copy:
/// those ranked, and those elsewhere in the index with the same words (which may not match a
/// filtered query, so never stand for the result), canonical order.
struct CollapsedHit {
    passage::Passage passage;
    double score = 0;
    std::vector<evidence::CopyCitation> copies;
    std::size_t also_in = 0;  ///< distinct other documents among `copies`
};

/// Folds `ranked` (rank order) into results, in the rank order of their best passage. Two
/// passages are copies when they hold the same words (a copy-passage term, any documents) or
/// are in different documents of one story group and at least same_passage_similarity alike.
[[nodiscard]] std::vector<CollapsedHit> collapse_copies(const std::vector<RankedPassage>& ranked,
                                                        index::DuplicateFinder& finder,
                                                        const index::IndexReader& reader);

/// How many independent sources the passages are: two are one source when their documents
/// are copies of one story (one group) or they hold the same words (a copy-passage term).
[[nodiscard]] std::size_t count_independent_sources(const std::vector<passage::Passage>& passages,
                                                    index::DuplicateFinder& finder);

/// The number of distinct stories among `documents` (pairs of source and record): documents
/// of one group count once.
[[nodiscard]] std::size_t count_stories(const std::vector<std::pair<std::string, std::string>>& documents,
                                        index::DuplicateFinder& finder);

}  // namespace cite::search
