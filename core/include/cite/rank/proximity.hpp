#pragma once
// Proximity: passages where the query's words stand close together rank above passages where
// the same words are scattered. Coverage (rank/coverage.hpp) weighs which of the query's
// content words a passage holds; proximity weighs how many of them one small window of the
// passage holds, the best such window, by the same IDF weights.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cite::rank {

/// Tuned on BEIR SciFact train with the other defaults (docs/searching.md, "Words near each
/// other"); weight 0 turns proximity off.
struct ProximityWeights {
    double weight = 0.25;       ///< added to the coverage score: weight x best window share
    std::uint32_t window = 8;   ///< consecutive word positions in a window
};

/// positions[k]: the word positions (1-based, ascending or not) where content word k stands
/// in one passage; weights[k]: that word's weight (0 for a word that does not count). The best
/// sum of weights of distinct words that all stand within `window` consecutive positions,
/// divided by the sum of all weights: 1 when every word sits in one window, 0 when no window
/// holds two words (a single word is no proximity) or the weights sum to 0.
[[nodiscard]] double proximity_share(const std::vector<std::vector<std::uint32_t>>& positions,
                                     const std::vector<double>& weights, std::uint32_t window);

}  // namespace cite::rank
